"""A fair buzzer for live contests: presses are timed by the phone's own clock, converted to
server time, and in ``compensated`` mode the server waits a short window after the first valid
press so that an earlier press from a farther phone can still win.

Every press is recorded (a :class:`contest.press.PressRecord`, stored by :mod:`play.service` with
its event) with its times and what became of it.
"""
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Flask, current_app

from contest.commands import Buzz
from contest.engine import is_accepted
from contest.fairness import Press, judging_order, window_ms, with_congestion
from contest.press import PressRecord
from contest.press_source import CONNECTION_CHARS
from contest.rules import Arbitration, FlaggedPhones, StageKind
from extensions import socketio
from live.audiences import hall_of
from live.payloads import BuzzRequest
from live.clock_sync import clock_sync
from play.clock import now_ms
from play.registry import LiveContest, get_live
from play.routing import cluster_of, on_owner
from play.service import Pressed, execute, execute_presses, record_press

WAIT_MARGIN_S = 5.0  # a press waits at most this long for its window to be decided
FORWARDING_MS = 100
"""With several processes, the window waits this much longer: a press that reached another process
in time still has to be forwarded to the owner (a Redis round trip, and a busy process's turn)."""


@dataclass
class PendingPress:
    """A valid press waiting for its window to close."""

    press: Press
    command: Buzz
    who: str
    client_id: str | None
    connection: str  # what its record keeps as its source (a phone's session, a station's key)
    ack: dict[str, Any] | None = None
    settled: Press | None = None  # the press with its window's queue allowed, once decided


@dataclass
class BuzzWindow:
    """The presses of one opening that arrived within the window after the first valid one."""

    token: int
    closes_at: float
    presses: list[PendingPress] = field(default_factory=list)
    closed: bool = False  # set under the contest's lock when judging starts: later presses open a new window
    decided: threading.Event = field(default_factory=threading.Event)


def handle_buzz(contest_id: int, team: int, who: str, sid: str, request: BuzzRequest,
                client_id: str | None, source: str | None = None) -> dict[str, Any]:
    """Judge one press and return its acknowledgement (after its window, in compensated mode).

    ``sid`` is the connection whose clock stamped the press; ``source`` is what the press record
    keeps as its connection (contest.press_source: a buzzer station names its key), by default ``sid``.
    """
    arrived = now_ms()
    press = _press_of(get_live(contest_id), team, sid, request.pressed_at, arrived)
    ack = on_owner(contest_id, judge, contest_id, press, request.open_token, who, client_id, source or sid)
    if press.unexplained is not None:
        clock_sync().record_press(sid, press.unexplained)
    return ack


def judge(contest_id: int, press: Press, open_token: int | None, who: str, client_id: str | None,
          connection: str) -> dict[str, Any]:
    """Judge a press timed by the process its phone is connected to, in the contest's owner
    (with several processes, the one whose buzzer windows see every press of an opening)."""
    arrived = int(press.arrived_at)
    live = get_live(contest_id)
    command = Buzz(actor=who, team=press.team, pressed_at=int(press.compensated_at), open_token=open_token)
    mode = _arbitration(live)
    pending = None
    with live.lock:
        if mode == Arbitration.COMPENSATED and live.state and is_accepted(live.state, command, arrived):
            pending = _join_window(live, PendingPress(press, command, who, client_id, connection), arrived)
    if pending is None:
        ack = execute(contest_id, command, who, client_id, press=_record_of(press, command, connection, mode))
    else:
        window, entry = pending
        window.decided.wait(timeout=(window.closes_at - arrived) / 1000 + WAIT_MARGIN_S)
        ack = entry.ack
        if ack is None:
            ack = {"ok": False, "reason": "抢答判定超时，请重试"}
            record_press(contest_id, _record_of(entry.settled or press, entry.command, connection, mode), ack)
    return ack


def _press_of(live: LiveContest, team: int, sid: str, stamp: float | None, arrived: int) -> Press:
    """The press as the server judges it: the phone's stamp, its clock and credit."""
    estimate, credit = clock_sync().estimate(sid), clock_sync().credit(sid)
    return Press(team=team, arrived_at=arrived, stamped_at=stamp, offset=estimate.offset_at(arrived),
                 delay=estimate.delay, clock_known=estimate.known, credit=credit,
                 trusted=credit.flag is None or _flagged_phones(live) != FlaggedPhones.ARRIVAL)


def _record_of(press: Press, command: Buzz, connection: str, mode: str) -> PressRecord:
    """The press as it is kept, before its verdict (play.service judges it by the acknowledgement)."""
    return PressRecord(
        team_id=press.team, connection=connection[:CONNECTION_CHARS], open_token=command.open_token,
        stamped_at=press.stamped_at,
        arrived_at=int(press.arrived_at), offset_ms=press.offset if press.clock_known else None,
        delay_ms=press.delay if press.clock_known else None, pressed_at=command.pressed_at,
        arbitration=str(mode), accepted=False, outcome="", event_seq=None,
        flag=press.credit.flag if press.credit else None)


def _buzzer_rules(live: LiveContest) -> Any:
    """The rules of the current stage when it is a buzzer or tiebreak stage, else None."""
    stage = live.state.stage if live.state else None
    if stage is None or stage.kind not in (StageKind.BUZZER, StageKind.TIEBREAK):
        return None
    return live.state.config.stages[stage.index].rules


def _arbitration(live: LiveContest) -> str:
    """The stage's arbitration mode (arrival outside buzzer and tiebreak stages)."""
    rules = _buzzer_rules(live)
    return rules.arbitration if rules else Arbitration.ARRIVAL


def _flagged_phones(live: LiveContest) -> str:
    """What the stage credits a flagged phone's press."""
    rules = _buzzer_rules(live)
    return rules.flagged_phones if rules else FlaggedPhones.BOUNDED


def _join_window(live: LiveContest, entry: PendingPress, now: int) -> tuple[BuzzWindow, PendingPress]:
    """Add a valid press to its opening's window, opening the window with the first press."""
    token = live.state.stage.open_token
    hall = hall_of(live)
    window = hall.buzz_window if hall.buzz_window and hall.buzz_window.token == token else None
    if window is None or window.closed:
        wait = window_ms(clock_sync().bounds(live.contest_id)) + (FORWARDING_MS if cluster_of() else 0)
        window = BuzzWindow(token=token, closes_at=now + wait)
        hall.buzz_window = window
        socketio.start_background_task(_decide_after, current_app._get_current_object(), live.contest_id, window)
    for waiting in window.presses:
        if (waiting.who, waiting.client_id) == (entry.who, entry.client_id) and entry.client_id:
            return window, waiting  # a retried press is the same press
    window.presses.append(entry)
    return window, entry


def _decide_after(app: Flask, contest_id: int, window: BuzzWindow) -> None:
    """When the window closes, the earliest compensated press that the rules accept wins.

    The window is closed under the contest's lock, so a press either is in it or opens a new one
    (judged after this one, and refused if this one found a winner); judging yields while it
    publishes, and a press slipping in then must not be left without an answer. The whole window
    is judged as one batch (play.service.execute_presses): one commit, one update of the screens.
    """
    socketio.sleep(max(0.0, (window.closes_at - now_ms()) / 1000))
    with app.app_context():
        try:
            live = get_live(contest_id)
            with live.lock:
                window.closed = True
                entries = list(window.presses)
            settled = with_congestion([entry.press for entry in entries])
            order = [entries[index] for index in judging_order(settled, Arbitration.COMPENSATED)]
            for entry, press in zip(entries, settled):
                entry.settled, entry.command = press, replace(entry.command, pressed_at=int(press.compensated_at))
            acks = execute_presses(contest_id, [
                Pressed(entry.command, entry.who, entry.client_id,
                        _record_of(entry.settled, entry.command, entry.connection, Arbitration.COMPENSATED))
                for entry in order])
            for entry, ack in zip(order, acks):
                entry.ack = ack
        finally:
            window.decided.set()
