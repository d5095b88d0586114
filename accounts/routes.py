"""Login and logout, changing one's password, and the account list where accounts are created,
disabled and deleted."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo

from accounts import sessions
from accounts.access import roles_required
from accounts.models import ROLE_LABELS, Role, User
from accounts.rules import NAME_MAX, NAME_MIN, PASSWORD_MIN
from accounts.service import (AccountError, authenticate, change_password, create_user, delete_user, end_sessions,
                              list_users, set_disabled)
from accounts.throttle import locked_message, login_throttle
from extensions import db, login_manager

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = "请先登录。"


class LoginForm(FlaskForm):
    """The login form: name and password."""

    username = StringField("用户名", validators=[DataRequired(message="请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired(message="请输入密码")])


class NewUserForm(FlaskForm):
    """A colleague's account: name, role and a first password."""

    username = StringField(f"用户名（{NAME_MIN}–{NAME_MAX} 个字符，不区分大小写）",
                           validators=[DataRequired(message="请输入用户名")])
    role = SelectField("角色")
    password = PasswordField(f"初始密码（至少 {PASSWORD_MIN} 个字符）", validators=[DataRequired(message="请输入密码")])


class PasswordForm(FlaskForm):
    """Changing one's own password: the current one, then the new one twice."""

    current = PasswordField("当前密码", validators=[DataRequired(message="请输入当前密码")])
    new = PasswordField(f"新密码（至少 {PASSWORD_MIN} 个字符）", validators=[DataRequired(message="请输入新密码")])
    again = PasswordField("再次输入新密码", validators=[EqualTo("new", message="两次输入的新密码不一致")])


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
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            throttle.failed(address, form.username.data)
            flash("用户名或密码错误，或账号已停用", "error")
        else:
            throttle.succeeded(address, form.username.data)
            login_user(user)
            sessions.start(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out: every session of this user ends (a copied cookie too), then the login page."""
    if current_user.is_authenticated:
        end_sessions(current_user)
    logout_user()
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; other sessions of the account end, this one stays logged in."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current.data):
            flash("当前密码不正确", "error")
        else:
            try:
                change_password(user, form.new.data)
            except AccountError as error:
                flash(str(error), "error")
            else:
                login_user(user)
                sessions.start(user)
                flash("密码已修改；其他设备上的登录已退出", "success")
                return redirect(url_for("dashboard.home"))
    return render_template("accounts/password.html", form=form)


def _creatable_roles() -> list[Role]:
    """The roles the current user may give: an admin any, an organizer organizers and hosts."""
    return [role for role in Role if current_user.has_role(role)]


def _may_manage(user: User) -> bool:
    """Whether the current user may disable or delete ``user``: an admin anyone, an organizer hosts; never oneself."""
    if user.id == current_user.id:
        return False
    return current_user.is_admin or user.role == Role.HOST


@bp.route("/users", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def users():
    """List every account, and let an organizer or admin create one for a colleague."""
    form = NewUserForm()
    form.role.choices = [SelectChoice(role.value, ROLE_LABELS[role]) for role in reversed(_creatable_roles())]
    if form.validate_on_submit():
        try:
            user = create_user(form.username.data, form.password.data, form.role.data)
        except AccountError as error:
            flash(str(error), "error")
        else:
            flash(f"已创建用户 {user.username}", "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/users.html", form=form, users=list_users(), role_labels=ROLE_LABELS,
                           may_manage=_may_manage)


USER_ACTIONS = {
    "disable": (lambda user: set_disabled(user, True), "已停用 {name}，其登录已全部退出"),
    "enable": (lambda user: set_disabled(user, False), "已启用 {name}"),
    "delete": (delete_user, "已删除 {name}"),
}


@bp.route("/users/<int:user_id>/<action>", methods=["POST"])
@roles_required(Role.ORGANIZER)
def user_action(user_id: int, action: str):
    """Disable, enable or delete an account (an organizer: hosts only; an admin: anyone but oneself)."""
    user = db.session.get(User, user_id)
    if user is None or action not in USER_ACTIONS:
        abort(404)
    if not _may_manage(user):
        abort(403)
    function, message = USER_ACTIONS[action]
    name = user.username
    try:
        function(user)
    except AccountError as error:
        flash(str(error), "error")
    else:
        flash(message.format(name=name), "success")
    return redirect(url_for("accounts.users"))
