"""Tables of a contest as the organizer prepares it: the contest, its teams, stages and questions.

The pure rules live in :mod:`contest`; here they are stored as JSON (``rules_to_dict``) so a new
setting needs no migration. The table ``contest`` and its key ``contest.id`` are what the event
log refers to; the live layer moves ``status`` to live and finished.
"""
import secrets
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from extensions import db

QUESTION_TABLE_KEY = "bank_question.id"
"""The bank's question table key that stage questions point at."""


def utcnow() -> datetime:
    """Now, in UTC, for the time columns."""
    return datetime.now(timezone.utc)


def new_token() -> str:
    """A random, URL-safe secret for display links and team join links."""
    return secrets.token_urlsafe(16)


DEFAULT_PHONES_PER_TEAM = 2
"""Phones a team may bind: the answering phone and a spare."""


class ContestStatus(StrEnum):
    """Where a contest is in its life: prepared (draft), checked (ready), played (live), done."""

    DRAFT = "draft"
    READY = "ready"
    LIVE = "live"
    FINISHED = "finished"


STATUS_LABELS = {
    ContestStatus.DRAFT: "草稿",
    ContestStatus.READY: "就绪",
    ContestStatus.LIVE: "进行中",
    ContestStatus.FINISHED: "已结束",
}


class Contest(db.Model):
    """A contest being prepared or played; its rules, teams, stages and drawn questions."""

    __tablename__ = "contest"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=ContestStatus.DRAFT, index=True)
    rules: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    bank_ids: so.Mapped[list[int]] = so.mapped_column(sa.JSON, default=list)
    display_token: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_token)
    phones_per_team: so.Mapped[int] = so.mapped_column(default=DEFAULT_PHONES_PER_TEAM,
                                                       server_default=sa.text(str(DEFAULT_PHONES_PER_TEAM)))
    join_codes_shown: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)
    created_by: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    teams: so.Mapped[list["ContestTeam"]] = so.relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="ContestTeam.id"
    )
    hosts: so.Mapped[list["User"]] = so.relationship(  # noqa: F821  (accounts.models.User)
        secondary="contest_host", order_by="User.username", passive_deletes=True
    )
    stages: so.Mapped[list["ContestStage"]] = so.relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="ContestStage.position"
    )

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return STATUS_LABELS[ContestStatus(self.status)]

    @property
    def is_editable(self) -> bool:
        """Only a draft may change; a ready contest goes back to draft first."""
        return self.status == ContestStatus.DRAFT

    @property
    def teams_by_seat(self) -> list["ContestTeam"]:
        """Teams in seat order, teams without a seat last."""
        return sorted(self.teams, key=lambda team: (team.seat is None, team.seat or 0, team.id))


contest_host = sa.Table(
    "contest_host",
    db.metadata,
    sa.Column("contest_id", sa.ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True),
)
"""The hosts an organizer assigned to a contest: they may run it and read its results."""


class ContestTeam(db.Model):
    """A team of a contest, its seat, and the secrets that bind its phones.

    ``join_secret`` is part of the join link: a new one kills the old link and QR code.
    ``phone_secret`` is part of each phone's credential: a new one logs every phone out, and a
    credential of a deleted team never fits a later team that got the same id. It is empty in a
    database made before it existed, until the team's first phone joins.
    """

    __tablename__ = "contest_team"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contest_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100))
    company: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    members: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    alternates: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    seat: so.Mapped[int | None] = so.mapped_column()
    join_secret: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_token)
    phone_secret: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_token, server_default="")

    contest: so.Mapped[Contest] = so.relationship(back_populates="teams")
    phones: so.Mapped[list["TeamPhone"]] = so.relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="TeamPhone.id"
    )

    @property
    def has_phone(self) -> bool:
        """Whether a phone joined since the last revocation."""
        return bool(self.phones)

    @property
    def color_class(self) -> str:
        """The CSS class of the team's colour (``static/css/teams.css``), by seat."""
        return f"team-{self.seat}" if self.seat else "team-none"


class TeamPhone(db.Model):
    """One phone bound to a team: its own secret is in its credential, so it can be dropped alone."""

    __tablename__ = "team_phone"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    team_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest_team.id", ondelete="CASCADE"), index=True)
    secret: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_token)
    number: so.Mapped[int] = so.mapped_column()
    joined_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    team: so.Mapped[ContestTeam] = so.relationship(back_populates="phones")

    @property
    def label(self) -> str:
        """How the host console and the team page name it."""
        return f"手机 {self.number}"


class ContestStage(db.Model):
    """One stage of a contest in its place: kind, title, rules and the organizer's draw filter."""

    __tablename__ = "contest_stage"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contest_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    position: so.Mapped[int] = so.mapped_column()
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    title: so.Mapped[str] = so.mapped_column(sa.String(100), default="")
    rules: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    draw_filter: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)

    contest: so.Mapped[Contest] = so.relationship(back_populates="stages")
    questions: so.Mapped[list["StageQuestion"]] = so.relationship(
        back_populates="stage",
        cascade="all, delete-orphan",
        order_by="(StageQuestion.tier, StageQuestion.is_spare, StageQuestion.position)",
    )


class StageQuestion(db.Model):
    """A bank question drawn for a stage, in its place; ``tier`` for risk, ``is_spare`` for buzzer.

    ``contest_id`` is repeated here so the database itself refuses a question used twice in
    one contest.
    """

    __tablename__ = "stage_question"
    __table_args__ = (sa.UniqueConstraint("contest_id", "question_id", name="uq_stage_question_once"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contest_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    stage_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest_stage.id", ondelete="CASCADE"), index=True)
    question_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(QUESTION_TABLE_KEY, ondelete="CASCADE"))
    position: so.Mapped[int] = so.mapped_column()
    tier: so.Mapped[int | None] = so.mapped_column()
    is_spare: so.Mapped[bool] = so.mapped_column(default=False)

    stage: so.Mapped[ContestStage] = so.relationship(back_populates="questions")


class ContestBranding(db.Model):
    """A contest's branding (品牌与外观): its title lines, theme colour and pictures.

    The pictures are stored already re-encoded (:mod:`contest_setup.brand_images`) and served by the
    platform under ``asset_key``, a random key renewed at each change (so a page never shows an old
    picture from a cache, and one contest's pictures cannot be fetched by counting ids).
    """

    __tablename__ = "contest_branding"

    contest_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    subtitle: so.Mapped[str] = so.mapped_column(sa.Text, default="")  # 主办单位/承办单位, one line each
    theme_colour: so.Mapped[str] = so.mapped_column(sa.String(7), default="")
    logo_png: so.Mapped[bytes | None] = so.mapped_column(sa.LargeBinary)
    background_jpeg: so.Mapped[bytes | None] = so.mapped_column(sa.LargeBinary)
    asset_key: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_token, unique=True)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)
