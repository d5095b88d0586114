"""A fair buzzer for live contests: presses are timed by the phone's own clock, converted to
server time, and in ``compensated`` mode the server waits a short window after the first valid
press so that an earlier press from a farther phone can still win.

Every press is recorded (storage.models.BuzzPress) with its times and what became of it.
"""
import math
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Flask, current_app

from contest.buzz_audit import PHONE_CHARS
from contest.commands import Buzz
from contest.engine import is_accepted
from contest.fairness import Press, first_press, window_ms, with_congestion
from contest.rules import Arbitration, FlaggedPhones, StageKind
from extensions import db, socketio
from live.clock_sync import clock_sync
from live.runtime import LiveContest, execute, get_live, now_ms, publish
from storage.models import BuzzPress

WAIT_MARGIN_S = 5.0  # a press waits at most this long for its window to be decided


@dataclass
class PendingPress:
    """A valid press waiting for its window to close."""

    press: Press
    command: Buzz
    who: str
    client_id: str | None
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


def handle_buzz(contest_id: int, team: int, who: str, sid: str, payload: dict[str, Any],
                client_id: str | None) -> dict[str, Any]:
    """Judge one press and return its acknowledgement (after its window, in compensated mode)."""
    arrived = now_ms()
    live = get_live(contest_id)
    press = _press_of(live, team, sid, payload.get("pressed_at"), arrived)
    token = payload.get("open_token")
    token = token if isinstance(token, int) and not isinstance(token, bool) and abs(token) < 2**31 else None
    command = Buzz(actor=who, team=team, pressed_at=int(press.compensated_at), open_token=token)
    mode = _arbitration(live)
    pending = None
    with live.lock:
        if mode == Arbitration.COMPENSATED and live.state and is_accepted(live.state, command, arrived):
            pending = _join_window(live, PendingPress(press, command, who, client_id), arrived)
    if pending is None:
        ack = execute(contest_id, command, who, client_id)
    else:
        window, entry = pending
        window.decided.wait(timeout=(window.closes_at - arrived) / 1000 + WAIT_MARGIN_S)
        ack = entry.ack or {"ok": False, "reason": "抢答判定超时，请重试"}
        command, press = entry.command, entry.settled or press
    if press.unexplained is not None:
        clock_sync().record_press(sid, press.unexplained)
    socketio.sleep(0)  # let the verdict's messages go out before the audit row is written
    _record(contest_id, press, command, sid, mode, ack)
    return ack


def _press_of(live: LiveContest, team: int, sid: str, stamp: Any, arrived: int) -> Press:
    """The press as the server judges it: the phone's stamp (if a finite number), its clock and credit."""
    stamp = float(stamp) if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) else None
    stamp = stamp if stamp is not None and math.isfinite(stamp) else None
    estimate, credit = clock_sync().estimate(sid), clock_sync().credit(sid)
    return Press(team=team, arrived_at=arrived, stamped_at=stamp, offset=estimate.offset_at(arrived),
                 delay=estimate.delay, clock_known=estimate.known, credit=credit,
                 trusted=credit.flag is None or _flagged_phones(live) != FlaggedPhones.ARRIVAL)


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
    window = live.buzz_window if live.buzz_window and live.buzz_window.token == token else None
    if window is None or window.closed:
        wait = window_ms(clock_sync().bounds(live.contest_id))
        window = BuzzWindow(token=token, closes_at=now + wait)
        live.buzz_window = window
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
    publishes, and a press slipping in then must not be left without an answer.
    """
    socketio.sleep(max(0.0, (window.closes_at - now_ms()) / 1000))
    with app.app_context():
        try:
            live = get_live(contest_id)
            with live.lock:
                window.closed = True
                remaining = list(window.presses)
            settled = with_congestion([entry.press for entry in remaining])
            for entry, press in zip(remaining, settled):
                entry.settled, entry.command = press, replace(entry.command, pressed_at=int(press.compensated_at))
            while remaining:
                best = first_press([entry.press for entry in remaining], Arbitration.COMPENSATED)
                entry = next(e for e in remaining if e.press is best)
                entry.ack = execute(contest_id, entry.command, entry.who, entry.client_id)
                remaining.remove(entry)
        finally:
            window.decided.set()


def _record(contest_id: int, press: Press, command: Buzz, sid: str, mode: str, ack: dict[str, Any]) -> None:
    """Keep the press for the audit, whatever became of it."""
    db.session.add(BuzzPress(
        contest_id=contest_id, open_token=command.open_token, team_id=press.team, connection=sid[:64],
        stamped_at=press.stamped_at, arrived_at=int(press.arrived_at),
        offset_ms=press.offset if press.clock_known else None, delay_ms=press.delay if press.clock_known else None,
        flag=press.credit.flag if press.credit else None,
        pressed_at=command.pressed_at, arbitration=str(mode), accepted=bool(ack.get("ok")),
        outcome="accepted" if ack.get("ok") else str(ack.get("reason", ""))[:200], event_seq=ack.get("seq"),
    ))
    db.session.commit()
    _show_to_host(contest_id, press, command, ack, sid[:PHONE_CHARS])


def _show_to_host(contest_id: int, press: Press, command: Buzz, ack: dict[str, Any], phone: str) -> None:
    """Add the press to the buzz log of the current question and update the console (and, once the
    buzz is decided, the race on the display and the phones).

    ``phone`` names the connection as the report's 抢答记录 does, so a press on the console can be
    found again in the report.
    """
    live = get_live(contest_id)
    with live.lock:
        stage = live.state.stage if live.state else None
        question = (stage.index, stage.turn) if stage else None
        if live.presses_question != question:
            live.presses, live.presses_question = [], question
        live.presses.append({
            "team": press.team, "phone": phone, "arrived_at": int(press.arrived_at), "pressed_at": command.pressed_at,
            "delay": round(press.delay) if press.clock_known else None,
            "offset": round(press.offset) if press.clock_known else None,
            "accepted": bool(ack.get("ok")), "reason": None if ack.get("ok") else ack.get("reason"),
            "flag": press.credit.flag_text if press.credit else None,
        })
        publish(live, now_ms())  # the host's log; the display's and phones' race once decided
