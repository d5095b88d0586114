"""Tables of the audience questions (观众互动题): the questions a host put to the hall and the hall's answers.

Kept apart from the contest's event log on purpose: audience answers never touch a team's score,
are not engine events, and a few hundred of them arrive in a second. Each answer belongs to one
anonymous phone (the random id in its signed cookie, :mod:`audience.identity`) and, if the phone
picked one, to a company, which the 优秀组织奖 of a preliminary round may count
(:func:`audience.participation.phones_by_company`).
"""
from datetime import datetime, timezone
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

import contest_setup.models  # noqa: F401  (the contest table the questions belong to)
from extensions import db


def utcnow() -> datetime:
    """Now, in UTC, for the time columns."""
    return datetime.now(timezone.utc)


class Phase(StrEnum):
    """Where an audience question is: answering open, answering closed, answer shown, put away."""

    OPEN = "open"
    CLOSED = "closed"
    REVEALED = "revealed"
    ENDED = "ended"


class AudienceQuestion(db.Model):
    """One question put to the hall: its text, options and right option, its phase and its drawn winner."""

    __tablename__ = "audience_question"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contest_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    bank_question_id: so.Mapped[int | None] = so.mapped_column()  # where it was taken from, if from the bank
    stem: so.Mapped[str] = so.mapped_column(sa.Text)
    options: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    answer: so.Mapped[str] = so.mapped_column(sa.String(1))  # the right option's letter
    phase: so.Mapped[str] = so.mapped_column(sa.String(16), default=Phase.OPEN, index=True)
    opened_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    winner_phone: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    winner_company: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    drawn_at: so.Mapped[datetime | None] = so.mapped_column()
    opened_by: so.Mapped[str] = so.mapped_column(sa.String(120), default="")


class AudienceAnswer(db.Model):
    """One phone's answer to one audience question: the database refuses a second one."""

    __tablename__ = "audience_answer"
    __table_args__ = (sa.UniqueConstraint("question_id", "phone", name="uq_audience_answer_once"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    question_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("audience_question.id", ondelete="CASCADE"),
                                                   index=True)
    phone: so.Mapped[str] = so.mapped_column(sa.String(32))
    company: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    choice: so.Mapped[str] = so.mapped_column(sa.String(1))
    answered_ms: so.Mapped[int] = so.mapped_column(sa.BigInteger)  # server time in ms

