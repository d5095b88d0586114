"""Creating and finding users, shared by the command line and the pages."""
import sqlalchemy as sa

from accounts.models import Role, User
from extensions import db


class AccountError(ValueError):
    """A user cannot be created as asked; the message says why, in Chinese."""


def create_user(username: str, password: str, role: str) -> User:
    """Create a user with a hashed password; refuses a taken name, a short password or a bad role."""
    username = username.strip()
    if not username:
        raise AccountError("用户名不能为空")
    if role not in {r.value for r in Role}:
        raise AccountError(f"未知角色「{role}」，应为 organizer 或 host")
    if len(password) < 8:
        raise AccountError("密码至少需要 8 个字符")
    if find_user(username) is not None:
        raise AccountError(f"用户名「{username}」已存在")
    user = User(username=username, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def find_user(username: str) -> User | None:
    """The user with this login name, if any."""
    return db.session.scalar(sa.select(User).where(User.username == username.strip()))


def list_users() -> list[User]:
    """Every account, by role then name, for the organizers' account page."""
    return list(db.session.scalars(sa.select(User).order_by(User.role, User.username)))
