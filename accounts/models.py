"""The user model: a login name, a hashed password, a role, and what ends its sessions."""
from datetime import datetime, timezone
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_login import UserMixin

from accounts import hashing
from extensions import db


class Role(StrEnum):
    """What a user may do: admins see every contest, organizers prepare theirs, hosts run the ones given to them."""

    ADMIN = "admin"
    ORGANIZER = "organizer"
    HOST = "host"


ROLE_LABELS = {Role.ADMIN: "站点管理员", Role.ORGANIZER: "组织者", Role.HOST: "主持人"}
ROLE_RANKS = {Role.HOST: 1, Role.ORGANIZER: 2, Role.ADMIN: 3}
"""Each role may do what the roles below it do."""


class User(UserMixin, db.Model):
    """A person who logs in with a password; never a team phone.

    ``session_version`` is part of every session of the user (:meth:`get_id`): raising it (logout,
    a new password, disabling) ends them all, even a copied cookie. ``demo`` marks the demo logins,
    whose passwords are public, until their password is changed.
    """

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True, index=True)
    name_key: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True, index=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    created_at: so.Mapped[datetime] = so.mapped_column(
        default=lambda: datetime.now(timezone.utc)
    )
    disabled: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    session_version: so.Mapped[int] = so.mapped_column(default=1, server_default=sa.text("1"))
    demo: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())

    def set_password(self, password: str) -> None:
        """Keep only a salted hash of ``password``.

        A demo login stops being one. The method is werkzeug's default (scrypt) unless ``PASSWORD_HASH_METHOD`` names another;
        tests may choose a cheap one, as each scrypt hash costs a noticeable fraction of a second.
        """
        self.password_hash = hashing.hash_password(password, hash_method())
        self.demo = False  # a new password is no longer the public demo one

    def check_password(self, password: str) -> bool:
        """Whether ``password`` matches the stored hash."""
        return hashing.password_matches(self.password_hash, password)

    def get_id(self) -> str:
        """What the session remembers: the user and the session version it was opened at."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """A disabled user cannot log in (Flask-Login refuses inactive users)."""
        return not self.disabled

    @property
    def role_label(self) -> str:
        """The role in Chinese."""
        return ROLE_LABELS.get(Role(self.role), self.role)

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds one of ``roles`` or a role above it (an organizer may host, an admin everything)."""
        rank = ROLE_RANKS.get(self.role, 0)
        return any(rank >= ROLE_RANKS[Role(role)] for role in roles)

    @property
    def is_admin(self) -> bool:
        """The site admin sees and manages every contest and account."""
        return self.role == Role.ADMIN


def hash_method() -> str:
    """The app's password hash method (``PASSWORD_HASH_METHOD``, scrypt by default)."""
    return current_app.config.get("PASSWORD_HASH_METHOD") or "scrypt"
