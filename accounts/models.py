"""The user model: a login name, a hashed password and a role."""
from datetime import datetime, timezone
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db, login_manager


class Role(StrEnum):
    """What a user may do: organizers prepare contests, hosts run them on the day."""

    ORGANIZER = "organizer"
    HOST = "host"


ROLE_LABELS = {Role.ORGANIZER: "组织者", Role.HOST: "主持人"}


class User(UserMixin, db.Model):
    """A person who logs in with a password; never a team phone."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True, index=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    created_at: so.Mapped[datetime] = so.mapped_column(
        default=lambda: datetime.now(timezone.utc)
    )

    def set_password(self, password: str) -> None:
        """Keep only a salted hash of ``password``.

        The method is werkzeug's default (scrypt) unless ``PASSWORD_HASH_METHOD`` names another;
        tests may choose a cheap one, as each scrypt hash costs a noticeable fraction of a second.
        """
        method = current_app.config.get("PASSWORD_HASH_METHOD") or "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds one of ``roles``; organizers may also do what hosts do."""
        return self.role in roles or (self.role == Role.ORGANIZER and Role.HOST in roles)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user of a session cookie."""
    return db.session.get(User, int(user_id))
