"""Creating, finding, changing and removing users, shared by the command line and the pages."""
import sqlalchemy as sa

from accounts import hashing
from accounts.models import Role, User, hash_method
from accounts.rules import RuleError, check_password, checked_name, name_key
from extensions import db


class AccountError(ValueError):
    """A user cannot be created or changed as asked; the message says why, in Chinese."""


def create_user(username: str, password: str, role: str, demo: bool = False) -> User:
    """Create a user with a hashed password; refuses a taken name, a weak password or a bad role.

    ``demo`` marks the demo logins, whose passwords are public by design (the password rules,
    which refuse them for everybody else, are not applied to them).
    """
    try:
        username = checked_name(username)
        if not demo:
            check_password(password, username)
    except RuleError as error:
        raise AccountError(str(error)) from error
    if role not in {r.value for r in Role}:
        raise AccountError(f"未知角色「{role}」，应为 {' / '.join(r.value for r in Role)}")
    if find_user(username) is not None:
        raise AccountError(f"用户名「{username}」已存在（不区分大小写与全角半角）")
    user = User(username=username, name_key=name_key(username), role=role)
    user.set_password(password)
    user.demo = demo
    db.session.add(user)
    db.session.commit()
    return user


def find_user(username: str) -> User | None:
    """The user with this login name, however it is cased or written (full-width, half-width)."""
    return db.session.scalar(sa.select(User).where(User.name_key == name_key(username)))


def authenticate(username: str, password: str) -> User | None:
    """The enabled user with this name and password, else None; every attempt costs one password hash.

    A name that does not exist is checked against a dummy hash, so the time of the answer does not
    tell whether the name exists.
    """
    user = find_user(username)
    if user is None:
        hashing.waste_a_check(password, hash_method())
        return None
    if not user.check_password(password) or user.disabled:
        return None
    return user


def list_users() -> list[User]:
    """Every account, by role then name, for the account page."""
    return list(db.session.scalars(sa.select(User).order_by(User.role, User.username)))


def end_sessions(user: User) -> None:
    """End every session of ``user`` (each carries the version it was opened at)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.commit()


def change_password(user: User, new_password: str) -> None:
    """Set a new password (within the rules); every session of the user ends."""
    try:
        check_password(new_password, user.username)
    except RuleError as error:
        raise AccountError(str(error)) from error
    user.set_password(new_password)
    end_sessions(user)


def set_disabled(user: User, disabled: bool) -> None:
    """Disable (every session ends, no login) or enable a user."""
    if disabled:
        _keep_an_administrator(user)
    user.disabled = disabled
    end_sessions(user)


def delete_user(user: User) -> None:
    """Delete a user; their contests stay (without owner, the site admin keeps them)."""
    _keep_an_administrator(user)
    db.session.delete(user)
    db.session.commit()


def _keep_an_administrator(user: User) -> None:
    """Refuse to disable or delete the last enabled site admin (nobody could then see every contest)."""
    if user.role != Role.ADMIN:
        return
    others = db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.role == Role.ADMIN, User.id != user.id, User.disabled.is_(False)))
    if not others:
        raise AccountError("这是唯一可用的站点管理员，不能停用或删除")


def demo_logins_enabled() -> list[str]:
    """The names of demo logins that still have their public password and are enabled."""
    return list(db.session.scalars(sa.select(User.username).where(User.demo.is_(True), User.disabled.is_(False))))
