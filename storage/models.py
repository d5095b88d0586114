"""The event log of each contest: append-only rows, numbered per contest.

The unique (contest_id, seq) pair is the concurrency guard: two writers that decided from the
same state both try to store the same next number, and the database lets only one of them in.
"""
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

import contest_setup.models  # noqa: F401  (the contest table that events belong to)
from extensions import db


class EventRecord(db.Model):
    """One stored event of one contest."""

    __tablename__ = "contest_event"
    __table_args__ = (sa.UniqueConstraint("contest_id", "seq", name="uq_contest_event_seq"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contest_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    seq: so.Mapped[int]
    kind: so.Mapped[str] = so.mapped_column(sa.String(40))
    actor: so.Mapped[str] = so.mapped_column(sa.String(120))
    at: so.Mapped[int] = so.mapped_column(sa.BigInteger)  # server time in ms, as the engine saw it
    payload: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    recorded_at: so.Mapped[datetime] = so.mapped_column(default=lambda: datetime.now(timezone.utc))
