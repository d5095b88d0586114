"""Login and logout pages, and the organizers' list of accounts."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from accounts.access import roles_required
from accounts.models import ROLE_LABELS, Role
from accounts.service import AccountError, create_user, find_user, list_users
from accounts.throttle import locked_message, login_throttle
from extensions import login_manager

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = "请先登录。"


class LoginForm(FlaskForm):
    """The login form: name and password."""

    username = StringField("用户名", validators=[DataRequired(message="请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired(message="请输入密码")])


class NewUserForm(FlaskForm):
    """An organizer creates an account for a colleague: name, role and a first password."""

    username = StringField("用户名", validators=[DataRequired(message="请输入用户名")])
    role = SelectField("角色", choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in Role])
    password = PasswordField("初始密码（至少 8 个字符）", validators=[DataRequired(message="请输入密码")])


def _safe_next(target: str | None) -> str:
    """Follow ``next`` only to a path on this site, never to another host."""
    if target and not urlsplit(target).netloc and target.startswith("/"):
        return target
    return url_for("dashboard.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and log a user in."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        throttle, address = login_throttle(), request.remote_addr or "unknown"
        wait = throttle.retry_after(address, form.username.data)
        if wait:
            flash(locked_message(wait), "error")
            return render_template("accounts/login.html", form=form), 429, {"Retry-After": str(wait)}
        user = find_user(form.username.data)
        if user is None or not user.check_password(form.password.data):
            throttle.failed(address, form.username.data)
            flash("用户名或密码错误", "error")
        else:
            throttle.succeeded(address, form.username.data)
            # A permanent session expires after PERMANENT_SESSION_LIFETIME of inactivity, so a
            # laptop left logged in at the venue does not stay open for ever.
            session.permanent = True
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out and return to the login page."""
    logout_user()
    return redirect(url_for("accounts.login"))


@bp.route("/users", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def users():
    """List every account, and let an organizer create one for a colleague."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            create_user(form.username.data, form.password.data, form.role.data)
        except AccountError as error:
            flash(str(error), "error")
        else:
            flash(f"已创建用户 {form.username.data.strip()}", "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/users.html", form=form, users=list_users(), role_labels=ROLE_LABELS)
