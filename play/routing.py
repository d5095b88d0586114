"""Where a contest's decisions are made: in this process, or in the one that owns the contest.

As a single process (no ``SOCKETIO_MESSAGE_QUEUE``) every contest is decided here and these
functions cost one dictionary look-up; with several, :mod:`play.cluster` routes to the owner.
"""
from typing import Any, Callable

from flask import Flask, current_app


def cluster_of(app: Flask | None = None) -> Any:
    """This app's :class:`play.cluster.Cluster`, or None when it runs as a single process."""
    return (app or current_app).extensions.get("play_cluster")


def on_owner(contest_id: int, here: Callable[..., dict], *args) -> dict:
    """``here(*args)`` in the process that owns the contest (in place when there is only one process).

    ``here`` must be a module-level function and ``args`` picklable: they may travel to another process.
    """
    cluster = cluster_of()
    return here(*args) if cluster is None else cluster.call(contest_id, here, args)


def owns(contest_id: int) -> bool:
    """Whether this process decides for the contest (always, as a single process)."""
    cluster = cluster_of()
    return cluster is None or cluster.leases.owns(contest_id)


def elsewhere(here: Callable[..., Any], *args) -> None:
    """With several processes, ``here(*args)`` in every other one too: what each process's own
    connections must follow (a phone cut, the display muted); nothing as a single process."""
    cluster = cluster_of()
    if cluster is not None:
        cluster.everywhere(here, args)
