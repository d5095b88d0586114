"""Tables of the preliminary round: the round, its companies, people, attempts and answers.

Times of attempts and answers are integers of milliseconds since the epoch (the server's clock),
so the time rules compare numbers; the window is kept as UTC datetimes. Settings and the paper
plan are JSON (:mod:`preliminary.settings`, :mod:`preliminary.paper`), so a new setting needs no
migration. The database itself refuses a mobile number twice in a round and two answers to one
question of an attempt.
"""
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from contest_setup.models import new_token as new_secret
from contest_setup.models import utcnow
from extensions import db

__all__ = ["AttemptStatus", "PrelimAnswer", "PrelimAttempt", "PrelimCompany", "PrelimDuplicate", "PrelimPerson",
           "PrelimRound", "new_secret", "utcnow"]


class AttemptStatus(StrEnum):
    """An attempt is open while answered, then finished, or void (too many page leaves)."""

    OPEN = "open"
    FINISHED = "finished"
    VOID = "void"


class PrelimRound(db.Model):
    """A preliminary round of a contest series, with the final it feeds."""

    __tablename__ = "prelim_round"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    organizer_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    final_contest_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="SET NULL"))
    window_start: so.Mapped[datetime | None] = so.mapped_column()
    window_end: so.Mapped[datetime | None] = so.mapped_column()
    bank_ids: so.Mapped[list[int]] = so.mapped_column(sa.JSON, default=list)
    strata: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON, default=list)
    settings: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    display_token: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_secret)
    qualified_at: so.Mapped[datetime | None] = so.mapped_column()
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    created_by: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    companies: so.Mapped[list["PrelimCompany"]] = so.relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="PrelimCompany.id")


class PrelimCompany(db.Model):
    """A company (单位) of a round: its declared headcount and the secret of its invite link."""

    __tablename__ = "prelim_company"
    __table_args__ = (sa.UniqueConstraint("round_id", "name", name="uq_prelim_company_name"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    round_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_round.id", ondelete="CASCADE"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100))
    credit_code: so.Mapped[str] = so.mapped_column(sa.String(18), default="")
    contact: so.Mapped[str] = so.mapped_column(sa.String(50), default="")
    headcount: so.Mapped[int] = so.mapped_column()
    invite_secret: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_secret)

    round: so.Mapped[PrelimRound] = so.relationship(back_populates="companies")


class PrelimPerson(db.Model):
    """A participant: name and mobile number, one company; ``version`` is part of the phone's cookie."""

    __tablename__ = "prelim_person"
    __table_args__ = (sa.UniqueConstraint("round_id", "mobile", name="uq_prelim_person_mobile"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    round_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_round.id", ondelete="CASCADE"), index=True)
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_company.id", ondelete="CASCADE"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(30))
    mobile: so.Mapped[str] = so.mapped_column(sa.String(11))
    version: so.Mapped[int] = so.mapped_column(default=1)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    company: so.Mapped[PrelimCompany] = so.relationship()


class PrelimDuplicate(db.Model):
    """A registration refused because the number is already registered with another company."""

    __tablename__ = "prelim_duplicate"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    round_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_round.id", ondelete="CASCADE"), index=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_person.id", ondelete="CASCADE"))
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_company.id", ondelete="CASCADE"))
    name: so.Mapped[str] = so.mapped_column(sa.String(30))
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    person: so.Mapped[PrelimPerson] = so.relationship()
    company: so.Mapped[PrelimCompany] = so.relationship()


class PrelimAttempt(db.Model):
    """One sitting of a paper: the drawn paper, where the person is, the clock, the outcome."""

    __tablename__ = "prelim_attempt"
    __table_args__ = (
        sa.Index("ix_prelim_attempt_person_status", "person_id", "status"),
        # One open attempt per person, even when two "start" requests race.
        sa.Index("uq_prelim_attempt_open", "person_id", unique=True,
                 sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'")),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    round_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_round.id", ondelete="CASCADE"), index=True)
    person_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_person.id", ondelete="CASCADE"))
    company_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_company.id", ondelete="CASCADE"))
    day: so.Mapped[str] = so.mapped_column(sa.String(10))
    paper: so.Mapped[list[list[Any]]] = so.mapped_column(sa.JSON)
    position: so.Mapped[int] = so.mapped_column(default=0)
    started_ms: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    question_started_ms: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    deadline_ms: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    finished_ms: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default=AttemptStatus.OPEN)
    score: so.Mapped[int] = so.mapped_column(default=0)
    full_marks: so.Mapped[int] = so.mapped_column(default=0)
    leave_count: so.Mapped[int] = so.mapped_column(default=0)

    person: so.Mapped[PrelimPerson] = so.relationship()

    @property
    def elapsed_ms(self) -> int:
        """Time used, from the start to the last answer or the time limit."""
        return (self.finished_ms or self.started_ms) - self.started_ms

    @property
    def question_ids(self) -> list[int]:
        """The paper's question ids in the person's order."""
        return [item[0] for item in self.paper]


class PrelimAnswer(db.Model):
    """One answer as the server received it (``choice`` None: the question's time ran out)."""

    __tablename__ = "prelim_answer"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "position", name="uq_prelim_answer_position"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    attempt_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prelim_attempt.id", ondelete="CASCADE"), index=True)
    position: so.Mapped[int] = so.mapped_column()
    question_id: so.Mapped[int] = so.mapped_column()
    choice: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    points: so.Mapped[int] = so.mapped_column(default=0)
    answered_ms: so.Mapped[int] = so.mapped_column(sa.BigInteger)
