"""The one way a command reaches a live contest: decide it, store it, then notify the subscribers.

Under the contest's lock :func:`execute` applies the engine to the cached state, stores the events
(with the client's command id, so a retry is recognised even by another process), and only then
acknowledges and calls every subscriber (save, then notify: nothing is sent that is not stored).
The Socket.IO layer subscribes its ``publish``; the judges' corrections, the benchmarks and the
tests call :func:`execute` with or without it. A retried command (same client id) gets the first
acknowledgement again instead of acting twice.
"""
from dataclasses import dataclass
from typing import Any, Callable

from flask import Flask, current_app

from contest import commands as c
from contest.engine import Refusal, apply, create_contest
from contest.events import ContestFinished, Event
from contest.press import PressRecord
from contest.state import ContestState
from contest_setup import service as setup
from extensions import db
from play import intent
from play import clock, press_log
from play.registry import REMEMBERED_ACKS, LiveContest, get_live
from play.routing import on_owner
from storage.event_store import ConcurrentWriteError, acknowledged_seq, append_events, load_state
from storage.presses import add_presses, store_presses

Subscriber = Callable[[LiveContest, int, list[Event]], None]
"""Called with the contest, the server time of the decision and its stored events (none: only shown state changed)."""


def subscribe(app: Flask, subscriber: Subscriber) -> None:
    """Call ``subscriber`` after every stored decision of ``app``'s contests (once per function)."""
    subscribers = app.extensions.setdefault("play_subscribers", [])
    if subscriber not in subscribers:
        subscribers.append(subscriber)


def notify(live: LiveContest, now: int, events: list[Event] = ()) -> None:
    """Tell every subscriber that ``live`` changed (under its lock, after the change is stored)."""
    for subscriber in current_app.extensions.get("play_subscribers", ()):
        subscriber(live, now, list(events))


def execute(contest_id: int, command: c.Command, who: str, client_id: str | None = None,
            meant_for: intent.Place | None = None, press: PressRecord | None = None) -> dict[str, Any]:
    """Apply ``command`` to the contest, store it, then acknowledge and notify the subscribers.

    With ``meant_for`` the command acts only while the contest is still at that place. A buzz
    comes with its ``press``: judged by the acknowledgement, it is stored (with the event when it
    became one) and added to the host's press log before the one notification. With several
    processes it is decided by the contest's owner (:mod:`play.routing`).

    Returns the acknowledgement: ``{"ok": True, "seq": n}`` or ``{"ok": False, "reason": …}``.
    """
    return on_owner(contest_id, execute_here, contest_id, command, who, client_id, meant_for, press)


def execute_here(contest_id: int, command: c.Command, who: str, client_id: str | None = None,
                 meant_for: intent.Place | None = None, press: PressRecord | None = None) -> dict[str, Any]:
    """:func:`execute` in this process (the contest's owner)."""
    return execute_presses(contest_id, [Pressed(command, who, client_id, press)], meant_for)[0]


@dataclass(frozen=True)
class Pressed:
    """One command of a batch for :func:`execute_presses`: a buzz with its press, or any command."""

    command: c.Command
    who: str
    client_id: str | None = None
    press: PressRecord | None = None


def execute_presses(contest_id: int, batch: list[Pressed],
                    meant_for: intent.Place | None = None) -> list[dict[str, Any]]:
    """Decide and store each command of ``batch`` in turn under one hold of the lock, then notify once.

    A closed buzzer window is judged so: its presses in judging order, the first the rules accept
    winning and the rest refused. The presses that became no event are stored together in one
    commit, and the screens get one update for the whole window instead of one per press (200
    phones pressing at once queued 12–16 s when each press had its own commit and publish).
    Returns the acknowledgements in the batch's order. Only the contest's owner calls it (the buzzer's
    windows run there, play.routing).
    """
    live = get_live(contest_id)
    with live.lock:
        now = clock.now_ms()
        acks, events, unstored = [], [], []
        for item in batch:
            ack, decided = _answer(live, item, now, meant_for)
            acks.append(ack)
            events += decided
            if item.press is not None:
                judged = item.press.judged(ack)
                if not decided:
                    unstored.append(judged)
                _log_press(live, judged)
        if unstored:
            store_presses(contest_id, unstored)
        if events or any(item.press is not None for item in batch):
            notify(live, now, events)
        return acks


def _answer(live: LiveContest, item: Pressed, now: int,
            meant_for: intent.Place | None) -> tuple[dict[str, Any], list[Event]]:
    """The acknowledgement of ``item`` (the first one again for a retried client id) and its stored events."""
    key = (item.who, item.client_id) if item.client_id else None
    if key and key in live.acks:
        return live.acks[key], []
    ack, events = _decide(live, item.command, now, key, meant_for, item.press)
    if key:
        live.acks[key] = ack
        while len(live.acks) > REMEMBERED_ACKS:
            live.acks.popitem(last=False)
    return ack, events


def record_press(contest_id: int, press: PressRecord, ack: dict[str, Any]) -> None:
    """Keep a press that no command was decided for (its wait for a verdict ran out), and show it to the host
    (in the contest's owner, which runs the buzzer's windows)."""
    live = get_live(contest_id)
    with live.lock:
        judged = press.judged(ack)
        store_presses(contest_id, [judged])
        _log_press(live, judged)
        notify(live, clock.now_ms())


def _decide(live: LiveContest, command: c.Command, now: int, client: tuple[str, str] | None,
            meant_for: intent.Place | None, press: PressRecord | None) -> tuple[dict[str, Any], list[Event]]:
    """The acknowledgement of a command not answered before, and the events it stored (none when refused)."""
    try:
        events = _decide_and_store(live, command, now, client, meant_for, press)
    except Refusal as refusal:
        return {"ok": False, "reason": refusal.reason}, []
    except AlreadyStored as stored:
        return {"ok": True, "seq": stored.seq}, []
    _after_events(live, events)
    return {"ok": True, "seq": live.state.seq}, events


def _log_press(live: LiveContest, press: PressRecord) -> None:
    """Add ``press`` to the host's log of the question on screen (a new question starts a new log)."""
    question = press_log.question_of(live.state)
    if live.presses_question != question:
        live.presses, live.presses_question = [], question
    live.presses.append(press.for_host())


class AlreadyStored(Exception):
    """The command was stored before, by another process that got its first try: ``seq`` acknowledged it."""

    def __init__(self, seq: int):
        super().__init__(seq)
        self.seq = seq


def _decide_and_store(live: LiveContest, command: c.Command, now: int, client: tuple[str, str] | None = None,
                      meant_for: intent.Place | None = None, press: PressRecord | None = None) -> list[Event]:
    """Apply and store (with the client's command id, and the press it came from, in one transaction);
    when another writer got there first, reload and decide once more, unless that writer stored this
    very command (:class:`AlreadyStored`)."""
    for _attempt in range(2):
        intent.check(live.state, meant_for)
        if live.state is None:
            new_state, events = _create(live, command, now)
        else:
            new_state, events = apply(live.state, command, now)
        if press is not None:
            add_presses(live.contest_id, [press.judged({"ok": True, "seq": new_state.seq})])
        try:
            append_events(live.contest_id, events, client)
        except ConcurrentWriteError:
            current_app.logger.warning("contest %s: seq %s was stored by another writer first; reloaded",
                                       live.contest_id, events[0].seq)
            live.state = load_state(live.contest_id)
            notify(live, now)  # this process's clients see what the other writer decided
            seq = acknowledged_seq(live.contest_id, *client) if client else None
            if seq is not None:
                raise AlreadyStored(seq)
            continue
        live.state = new_state
        return events
    raise Refusal("操作冲突：另一位主持人刚刚做出了决定，请查看最新状态后重试")


def _create(live: LiveContest, command: c.Command, now: int) -> tuple[ContestState, list[Event]]:
    """The first command of a contest must start it: record its configuration, then start."""
    if not isinstance(command, c.StartContest):
        raise Refusal("比赛尚未开始")
    contest = setup.get_contest(live.contest_id)
    if contest is None:
        raise Refusal("比赛不存在")
    try:
        setup.require_startable(contest)
    except setup.SetupError as error:
        raise Refusal(str(error)) from None
    state, created = create_contest(setup.build_contest_config(contest), now, actor=command.actor)
    state, started = apply(state, command, now)
    return state, created + started


def _after_events(live: LiveContest, events: list[Event]) -> None:
    """Keep the contest's lifecycle status in step with the engine."""
    kinds = {event.kind for event in events}
    if kinds & {"ContestCreated", ContestFinished.kind}:
        contest = setup.get_contest(live.contest_id)
        if "ContestCreated" in kinds:
            setup.mark_live(contest)
        if ContestFinished.kind in kinds:
            setup.mark_finished(contest)
        db.session.commit()
