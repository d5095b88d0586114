"""With several server processes, the host console and the display count every process's connections.

python-socketio keeps its rooms per process, and :class:`live.audiences.Hall` counts only this
process's connections (``publish`` needs exactly those: it patches this process's audiences). So,
on the ticker (every 0.1 s, only with several processes), each process tells the others its own
counts for every contest it holds: at the next tick after one of its connections comes or goes,
and once a second anyway, as :func:`live.clock_sync.share_bounds` tells its phones' delay bounds,
through the same broadcast (:func:`play.cluster.Cluster.everywhere`). Each process keeps what it
heard (:class:`live.presence_totals.Reports`), forgets a process silent for
:data:`live.presence_totals.KEPT_FOR_MS` (it died), and sends its host consoles and displays the
patch whenever the other processes' sum changes. As a single process none of this runs.
"""
from flask import Flask, current_app

from live.audiences import PRESENCE_AUDIENCES, hall_of, online_here, publish
from live.presence_totals import Counts, Outbox, Reports, counted
from play.clock import now_ms
from play.registry import loaded_contests
from play.routing import cluster_of


def share_presence(app: Flask, now: float) -> None:
    """A tick hook with several processes: forget the processes that fell silent, show the hosts and
    displays the new sums, and tell the others this process's connections when they are due (when
    Redis fails, the ticker logs it and they are told again within a second)."""
    _reports(app).expire(now)
    _show_totals(app)
    if _outbox(app).due(_comings_and_goings(), now):
        cluster = cluster_of(app)
        cluster.everywhere(heard_presence, (cluster.process_id, _counts_here()))


def heard_presence(process: str, by_contest: dict[int, Counts]) -> None:
    """Another process's connections arrived (runs in every other process; timed by this one's clock)."""
    _reports(current_app).told(process, by_contest, now_ms())
    _show_totals(current_app)


def _comings_and_goings() -> dict[int, int]:
    """How many connections came or went so far in each contest this process holds: the counts are
    counted again only when this moves (counting reads the room of every bound phone, under the
    contest's lock: at 2,000 phones, ten times a second, it tripled the CPU of a buzzer round)."""
    return {live.contest_id: live.hall.comings_and_goings for live in loaded_contests() if live.hall is not None}


def _counts_here() -> dict[int, Counts]:
    """This process's open connections to each contest it holds (those without any are left out)."""
    by_contest = {}
    for live in loaded_contests():
        hall = live.hall
        if hall is None or not any(hall.presence.values()):
            continue
        with live.lock:
            counts = counted(hall.presence, online_here(live))
        if counts is not None:
            by_contest[live.contest_id] = counts
    return by_contest


def _show_totals(app: Flask) -> None:
    """Each held contest whose other processes' sum changed: its host consoles and displays see it."""
    reports = _reports(app)
    for live in loaded_contests():
        total = reports.total(live.contest_id)
        with live.lock:
            hall = hall_of(live)
            if hall.others != total:
                hall.others = total
                publish(live, now_ms(), only=PRESENCE_AUDIENCES)


def _reports(app: Flask) -> Reports:
    """What the other processes of ``app``'s cluster told."""
    return app.extensions.setdefault("presence_reports", Reports())


def _outbox(app: Flask) -> Outbox:
    """When ``app`` tells its own counts next."""
    return app.extensions.setdefault("presence_outbox", Outbox())
