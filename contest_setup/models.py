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
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)
    created_by: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    teams: so.Mapped[list["ContestTeam"]] = so.relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="ContestTeam.id"
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


class ContestTeam(db.Model):
    """A team of a contest, its seat, and the secrets that bind its phone.

    ``join_secret`` is part of the join link: a new one kills the old link and QR code.
    ``binding_version`` is part of each phone's credential: raising it logs every phone out.
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
    binding_version: so.Mapped[int] = so.mapped_column(default=1)
    phone_joins: so.Mapped[int] = so.mapped_column(default=0)
    phone_joined_at: so.Mapped[datetime | None] = so.mapped_column()

    contest: so.Mapped[Contest] = so.relationship(back_populates="teams")

    @property
    def has_phone(self) -> bool:
        """Whether a phone joined since the last revocation."""
        return self.phone_joins > 0

    @property
    def color_class(self) -> str:
        """The CSS class of the team's colour (``static/css/teams.css``), by seat."""
        return f"team-{self.seat}" if self.seat else "team-none"


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
