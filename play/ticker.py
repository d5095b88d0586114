"""The server's deadline ticker: when a deadline passes, the contest times out by itself.

Deadlines live in the contest state as server times, so after a restart the ticker simply
finds them again (a clock that was running is resumed first, see
:func:`play.resume.resume_after_restart`). Clients only draw the countdown. Other per-tick work
of the app (the live layer probes the phones' clocks) is registered with :func:`on_tick`, so it
runs on the same green thread without this package knowing the transport.
"""
from typing import Callable

from flask import Flask, current_app

from contest.commands import ResumeAfterRestart, TimeOut
from play import clock
from play.background import start_repeating
from play.registry import loaded_contests
from play.routing import owns
from play.service import execute

TICK_SECONDS = 0.1
STALL_MS = 10_000  # a tick this late means the whole process was stopped (the laptop slept, say)


def on_tick(app: Flask, work: Callable[[int], None]) -> None:
    """Run ``work(now)`` at every tick of ``app``'s ticker, before its deadlines are checked."""
    hooks = app.extensions.setdefault("play_tick_hooks", [])
    if work not in hooks:
        hooks.append(work)


def tick() -> None:
    """Run the registered per-tick work, and time out every contest whose clock has run out.

    A failing piece of work is logged and the tick goes on: an exception here would end the
    ticker's task, and with it every deadline of this process.

    After a stall (no tick for STALL_MS: the server's computer slept or the process was paused),
    running clocks are resumed as after a restart before any deadline is checked, so the stall does
    not eat the teams' time.
    """
    now = clock.now_ms()
    last, current_app.extensions["live_clock_last_tick"] = current_app.extensions.get("live_clock_last_tick"), now
    stalled = last is not None and now - last > STALL_MS
    for work in current_app.extensions.get("play_tick_hooks", ()):
        try:
            work(now)
        except Exception:  # noqa: BLE001  (Redis unreachable, say: the deadlines must still be kept)
            current_app.logger.exception("per-tick work failed")
    for live in loaded_contests():
        if not owns(live.contest_id):
            continue  # another process owns it and ticks its deadlines (play.cluster)
        stage = live.state.stage if live.state else None
        if stalled and stage is not None and stage.deadline is not None:
            execute(live.contest_id, ResumeAfterRestart(actor="server"), "server")
            stage = live.state.stage if live.state else None
        if stage is not None and stage.deadline is not None and stage.deadline <= now:
            execute(live.contest_id, TimeOut(actor="clock"), "clock")


def start_clock(app: Flask) -> None:
    """Start the ticker once per app (see :mod:`play.background`)."""
    start_repeating(app, "deadline ticker", TICK_SECONDS, tick)
