"""Work a process repeats in the background: the deadline ticker, the audience publisher.

Each runs on a green thread of its own (eventlet or gevent, through Socket.IO's helpers), started
once per app by the first connection that needs it, and outlives a failing round (a database
hiccup, Redis unreachable): the failure is logged and the next round tries again, because a
loop that ended would silently stop every deadline or every tally of this process. Starting it
also starts this process's part of a cluster, if any, which hears the other processes. Tests that
drive time themselves set ``LIVE_CLOCK=False`` and call the work directly.
"""
from typing import Callable

from flask import Flask

from extensions import db, socketio
from play.routing import cluster_of


def start_repeating(app: Flask, name: str, period_s: float, work: Callable[[], None]) -> None:
    """Run ``work()`` every ``period_s`` in a background task, started once per app under ``name``."""
    cluster = cluster_of(app)
    if cluster is not None:
        cluster.run()
    started = app.extensions.setdefault("background_work", set())
    if app.config.get("LIVE_CLOCK", True) and name not in started:
        started.add(name)
        socketio.start_background_task(repeat_forever, app, name, period_s, work)


def repeat_forever(app: Flask, name: str, period_s: float, work: Callable[[], None]) -> None:
    """The background task: ``work()`` in an app context every ``period_s``, whatever it raises."""
    while True:
        socketio.sleep(period_s)
        with app.app_context():
            try:
                work()
            except Exception:  # noqa: BLE001  (the loop must outlive one failing round)
                db.session.rollback()
                app.logger.exception("%s failed", name)
