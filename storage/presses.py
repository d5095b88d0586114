"""The stored buzz presses of each contest (the ``buzz_press`` table), read and written as
:class:`contest.press.PressRecord` so no other module touches the table's columns.

Presses are kept apart from the event log because most of them change nothing (they lose the race
or come too late), yet the audit must show them all.
"""
from dataclasses import asdict, fields
from typing import Iterable

import sqlalchemy as sa

from contest.press import PressRecord
from extensions import db
from storage.models import BuzzPress

COLUMNS = [field.name for field in fields(PressRecord)]


def add_presses(contest_id: int, records: Iterable[PressRecord]) -> None:
    """Add presses to the transaction at hand, committed with it (an accepted press with its event)."""
    db.session.add_all(BuzzPress(contest_id=contest_id, **asdict(record)) for record in records)


def store_presses(contest_id: int, records: list[PressRecord]) -> None:
    """Store presses that became no event (refused, or already answered) in one commit of their own."""
    add_presses(contest_id, records)
    db.session.commit()


def load_presses(contest_id: int, arrived_from: int | None = None) -> list[PressRecord]:
    """The contest's stored presses in the order they were stored (only those arrived from ``arrived_from`` on).

    Only the columns the record holds are read, so a column added to the table for some other use
    does not disturb its readers.
    """
    query = sa.select(*(getattr(BuzzPress, name) for name in COLUMNS)).where(BuzzPress.contest_id == contest_id)
    if arrived_from is not None:
        query = query.where(BuzzPress.arrived_at >= arrived_from)
    return [PressRecord(*row) for row in db.session.execute(query.order_by(BuzzPress.id))]
