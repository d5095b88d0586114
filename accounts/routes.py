"""Login and logout pages."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from accounts.service import find_user
from extensions import login_manager

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = "请先登录。"


class LoginForm(FlaskForm):
    """The login form: name and password."""

    username = StringField("用户名", validators=[DataRequired(message="请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired(message="请输入密码")])


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
        user = find_user(form.username.data)
        if user is None or not user.check_password(form.password.data):
            flash("用户名或密码错误", "error")
        else:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out and return to the login page."""
    logout_user()
    return redirect(url_for("accounts.login"))
