"""The contests this server process holds: each one's state, lock and remembered acknowledgements.

Every command of a contest is decided from the state cached here under the contest's lock, so a
contest is read from its stored events once per process, not once per command. Each Flask app
(and so each test) has its own registry.
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from contest.evolve import replay
from contest.state import ContestState
from play import press_log
from play.resume import resume_after_restart
from storage.event_store import load_events, recent_acknowledgements

REMEMBERED_ACKS = 2000


@dataclass
class LiveContest:
    """One contest in play in this process."""

    contest_id: int
    state: ContestState | None  # None until the contest is started (no events stored)
    lock: threading.RLock = field(default_factory=threading.RLock)
    acks: OrderedDict = field(default_factory=OrderedDict)  # (who, client id) -> acknowledgement
    presses_question: press_log.Question = None  # (stage index, turn) the presses belong to
    presses: list[dict] = field(default_factory=list)  # the host's press log of that question (play.press_log)
    hall: Any = None  # what the transport keeps of this contest (live.audiences.Hall), created by it


def _registry() -> tuple[dict[int, LiveContest], threading.Lock]:
    """This app's live contests (each app, and so each test, has its own)."""
    return current_app.extensions.setdefault("live_contests", ({}, threading.Lock()))


def get_live(contest_id: int) -> LiveContest:
    """The live contest ``contest_id``, loaded from its stored events on first use."""
    contests, lock = _registry()
    with lock:
        live = contests.get(contest_id)
        if live is None:
            live = LiveContest(contest_id, None)
            _load(live)  # resumed before the contest is registered: the ticker only sees registered ones
            contests[contest_id] = live
        return live


def reload(contest_id: int) -> LiveContest:
    """The live contest read again from the store (a process taking it over from another, play.cluster)."""
    live = loaded(contest_id)
    if live is None:
        return get_live(contest_id)
    with live.lock:
        _load(live)
    return live


def _load(live: LiveContest) -> None:
    """Fill ``live`` from the stored events, acknowledgements and presses (resuming a stopped clock)."""
    events = load_events(live.contest_id)
    live.acks.update(_stored_acks(live.contest_id))
    live.state = resume_after_restart(live.contest_id, replay(events) if events else None)
    live.presses_question, live.presses = press_log.rebuilt(live.contest_id, live.state, events)


def loaded(contest_id: int) -> LiveContest | None:
    """The live contest if this process holds it (nothing to update otherwise: it loads fresh)."""
    contests, lock = _registry()
    with lock:
        return contests.get(contest_id)


def loaded_contests() -> list[LiveContest]:
    """Every contest this app holds (for the ticker)."""
    contests, lock = _registry()
    with lock:
        return list(contests.values())


def _stored_acks(contest_id: int) -> OrderedDict:
    """The acknowledgements of the contest's last stored client commands, remembered again on loading it.

    A command stored just before the previous process stopped may come again (its acknowledgement
    never arrived); answering it from memory, like any retry, keeps the database out of every message.
    """
    return OrderedDict(((who, client_id), {"ok": True, "seq": seq})
                       for who, client_id, seq in recent_acknowledgements(contest_id, REMEMBERED_ACKS))
