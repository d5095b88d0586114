"""Login sessions that can be ended, and that end by themselves.

A session (Flask's signed cookie) remembers ``"<user id>:<session version>"`` and when the login
happened. It is honoured only while

* the user exists, is enabled and still has that session version: logout, a new password and
  disabling raise the version, so every copy of the cookie stops working at once;
* less than ``PERMANENT_SESSION_LIFETIME`` (``SESSION_HOURS``) has passed since the login: the
  cookie is re-signed by later requests, but the login time inside it is not, so using a session
  does not keep it alive for ever.
"""
import time

from flask import current_app, session

from accounts.models import User
from extensions import db, login_manager

LOGIN_AT = "login_at"


def start(user) -> None:
    """Remember when ``user`` logged in (call right after ``login_user``)."""
    session.permanent = True
    session[LOGIN_AT] = int(time.time())


def _expired() -> bool:
    """Whether this session's login is older than the session lifetime."""
    login_at = session.get(LOGIN_AT)
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    return not isinstance(login_at, int) or time.time() - login_at > lifetime


@login_manager.user_loader
def load_user(session_id: str):
    """Flask-Login's loader: the user of a session that is still valid, else None (logged out)."""
    user_id, _, version = str(session_id).partition(":")
    if not user_id.isdigit() or not version.isdigit() or _expired():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.disabled or user.session_version != int(version):
        return None
    return user
