"""The server's clock: when a deadline passes, the contest times out by itself.

Deadlines live in the contest state as server times, so after a restart the clock simply
finds them again (a clock that was running is resumed first, see
:func:`live.runtime.resume_after_restart`). Clients only draw the countdown.
"""
from flask import Flask, current_app

from contest.commands import ResumeAfterRestart, TimeOut
from extensions import socketio
from live.clock_sync import clock_sync
from live.runtime import execute, loaded_contests, now_ms

TICK_SECONDS = 0.1
STALL_MS = 10_000  # a tick this late means the whole process was stopped (the laptop slept, say)


def tick() -> None:
    """Probe the phones' clocks that are due, and time out every contest whose clock has run out.

    After a stall (no tick for STALL_MS: the server's computer slept or the process was paused),
    running clocks are resumed as after a restart before any deadline is checked, so the stall does
    not eat the teams' time.
    """
    now = now_ms()
    last, current_app.extensions["live_clock_last_tick"] = current_app.extensions.get("live_clock_last_tick"), now
    stalled = last is not None and now - last > STALL_MS
    clock_sync().probe_due(now)
    for live in loaded_contests():
        stage = live.state.stage if live.state else None
        if stalled and stage is not None and stage.deadline is not None:
            execute(live.contest_id, ResumeAfterRestart(actor="server"), "server")
            stage = live.state.stage if live.state else None
        if stage is not None and stage.deadline is not None and stage.deadline <= now:
            execute(live.contest_id, TimeOut(actor="clock"), "clock")


def run_clock(app: Flask) -> None:
    """Tick forever in a background task (a green thread under eventlet or gevent)."""
    while True:
        socketio.sleep(TICK_SECONDS)
        with app.app_context():
            tick()


def start_clock(app: Flask) -> None:
    """Start the clock once per app; tests that drive time themselves set LIVE_CLOCK=False."""
    if app.config.get("LIVE_CLOCK", True) and not app.extensions.get("live_clock_started"):
        app.extensions["live_clock_started"] = True
        socketio.start_background_task(run_clock, app)
