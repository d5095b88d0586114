"""The event log of each contest: append-only rows, numbered per contest.

The unique (contest_id, seq) pair is the concurrency guard: two writers that decided from the
same state both try to store the same next number, and the database lets only one of them in.
"""
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

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


class BuzzPress(db.Model):
    """Every press that reached the server, accepted or not, with the times that judged it.

    Kept apart from the event log because most presses change nothing (they lose the race or
    come too late), yet the audit must show them all: who pressed when, by whose clock, how far
    away the phone was, and what became of the press.
    """

    __tablename__ = "buzz_press"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contest_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    open_token: so.Mapped[int | None]  # the opening the phone answered (its sequence number)
    team_id: so.Mapped[int]
    connection: so.Mapped[str] = so.mapped_column(sa.String(64))  # the phone's Socket.IO session
    stamped_at: so.Mapped[float | None]  # the phone's own clock at the press
    arrived_at: so.Mapped[int] = so.mapped_column(sa.BigInteger)  # server clock
    offset_ms: so.Mapped[float | None]  # phone clock minus server clock, as estimated
    delay_ms: so.Mapped[float | None]  # estimated one-way delay
    pressed_at: so.Mapped[int] = so.mapped_column(sa.BigInteger)  # compensated press time, server clock
    arbitration: so.Mapped[str] = so.mapped_column(sa.String(16))
    accepted: so.Mapped[bool]
    outcome: so.Mapped[str] = so.mapped_column(sa.String(200))  # the event it became, or the refusal
    event_seq: so.Mapped[int | None]
    flag: so.Mapped[str | None] = so.mapped_column(sa.String(40))  # why the phone was out of line (contest.fairness)


class CommandRecord(db.Model):
    """The client id of an accepted command, stored in the same transaction as its event.

    A client sends a command again with the same client id when its acknowledgement did not come
    (the connection dropped, or the server stopped between storing the event and acknowledging it).
    The process that answers may be a new one that never saw the first try: this row lets it return
    the first acknowledgement instead of acting twice (a second "right" in the speed round would
    score the next question).
    """

    __tablename__ = "command_ack"
    __table_args__ = (sa.UniqueConstraint("contest_id", "who", "client_id", name="uq_command_ack_client"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    contest_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    who: so.Mapped[str] = so.mapped_column(sa.String(120))  # "host:alice", "team:3"
    client_id: so.Mapped[str] = so.mapped_column(sa.String(64))
    seq: so.Mapped[int]  # the acknowledged sequence number (the command's last event)
