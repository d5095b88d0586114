"""Storing and loading a contest's events. Loading a contest is replaying its events.

An event is acknowledged to anyone only after :func:`append_events` has committed it, so an
accepted decision survives a crash of the server at any later moment.
"""
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from contest.events import Event, event_from_dict, event_to_dict
from contest.evolve import replay
from contest.state import ContestState
from extensions import db
from storage.models import CommandRecord, EventRecord


class ConcurrentWriteError(RuntimeError):
    """Another writer stored the same sequence number first; the caller must reload and retry."""


def append_events(contest_id: int, events: list[Event], command: tuple[str, str] | None = None) -> None:
    """Store ``events`` of ``contest_id`` in one transaction, or none of them.

    ``command`` (who, client id) names the client command they answer, remembered with them (see
    :func:`acknowledged_seq`). Raises :class:`ConcurrentWriteError` when one of their sequence
    numbers is taken.
    """
    if command is not None and events:
        db.session.add(CommandRecord(contest_id=contest_id, who=command[0], client_id=command[1], seq=events[-1].seq))
    for event in events:
        data = event_to_dict(event)
        db.session.add(EventRecord(contest_id=contest_id, seq=event.seq, kind=event.kind, actor=event.actor,
                                   at=event.at, payload=data))
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ConcurrentWriteError(f"比赛 {contest_id} 的事件序号已被占用，请刷新后重试") from error


def recent_acknowledgements(contest_id: int, limit: int) -> list[tuple[str, str, int]]:
    """The last ``limit`` stored client commands of ``contest_id`` as (who, client id, seq), oldest first."""
    rows = db.session.execute(
        sa.select(CommandRecord.who, CommandRecord.client_id, CommandRecord.seq)
        .where(CommandRecord.contest_id == contest_id).order_by(CommandRecord.id.desc()).limit(limit)
    ).all()
    return [tuple(row) for row in reversed(rows)]


def acknowledged_seq(contest_id: int, who: str, client_id: str) -> int | None:
    """The sequence number an earlier command of ``who`` with ``client_id`` was acknowledged with, if stored."""
    return db.session.scalar(sa.select(CommandRecord.seq).where(
        CommandRecord.contest_id == contest_id, CommandRecord.who == who, CommandRecord.client_id == client_id))


def load_events(contest_id: int) -> list[Event]:
    """All events of ``contest_id``, in order (empty when it never started)."""
    rows = db.session.scalars(
        sa.select(EventRecord).where(EventRecord.contest_id == contest_id).order_by(EventRecord.seq)
    )
    return [event_from_dict(row.payload) for row in rows]


def load_state(contest_id: int) -> ContestState | None:
    """The contest rebuilt from its stored events, or None when it has none yet."""
    events = load_events(contest_id)
    return replay(events) if events else None
