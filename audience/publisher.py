"""Telling the screens: each host step at once, the hall's answers a few times a second.

A host step (open, close, reveal, draw, end) is sent to the hall's three rooms of the ``/audience``
namespace (:func:`publish_step`): the phones get their view, the display and the host theirs.
Answers are never broadcast one by one: :func:`tick` runs every PERIOD_S, stores the answers that
came since the last tick in one transaction, and sends the new distribution to the display and
the host only (at most 1 / PERIOD_S messages a second, however many phones answer). The phones see
the distribution with the right answer, in the reveal's view.

Each process tells only its own connections, from its own hall. With several processes a host
step also runs :func:`follow_step` in every other one (:func:`play.routing.elsewhere`), which brings
its hall to the stored step before telling its screens, so a phone never sees a question its
process would refuse; and each tick reads the stored distribution (:func:`audience.hall.refresh_tally`).
Reading the store, rather than the processes telling each other their counts, keeps an answer as
cheap as with one process (it is never sent anywhere), counts a phone that answered on two
processes once (the store's unique row), and survives a process that dies or restarts; it costs one
small grouped count per hall a tick in each process, and the display lags by up to two ticks.
"""
from flask import Flask

from audience.hall import Hall, loaded_hall, loaded_halls, refresh_tally, store_pending, sync, tally_of, view
from extensions import socketio
from live.protocol import AUDIENCE_TALLY, AUDIENCE_VIEW, NAMESPACES
from play.background import start_repeating
from play.routing import cluster_of, elsewhere

NAMESPACE = NAMESPACES["audience"]
PERIOD_S = 0.25
ROLES = ("host", "display", "phone")


def room(contest_id: int, role: str) -> str:
    """The room of one role of one contest's hall."""
    return f"audience-{contest_id}-{role}"


def phone_room(contest_id: int, phone_id: str) -> str:
    """The room of one phone's connections to one contest's hall (to correct its answer)."""
    return f"audience-{contest_id}-phone-{phone_id}"


def publish_step(current: Hall) -> None:
    """After a host step here: this process's screens, and with several processes every other one's."""
    if cluster_of() is not None:
        refresh_tally(current)
        elsewhere(follow_step, current.contest_id)
    _tell_step(current)


def follow_step(contest_id: int) -> None:
    """Another process's host step: this process's hall takes the stored step, then its screens see it."""
    current = loaded_hall(contest_id)
    if current is not None:  # a hall not held here is loaded fresh when a screen asks for it
        sync(current)
        _tell_step(current)


def _tell_step(current: Hall) -> None:
    """Send every role of this process its view (the phones' own answers stay on their phones)."""
    for role in ROLES:
        socketio.emit(AUDIENCE_VIEW, view(current, role), to=room(current.contest_id, role), namespace=NAMESPACE,
                      ignore_queue=True)
    _tell_corrected(current)


def _tell_corrected(current: Hall) -> None:
    """Each phone whose answer here lost to the one it gave on another process gets its view with that
    first answer (through the queue: it may have moved to another process since)."""
    with current.lock:
        phones, current.corrected = current.corrected, []
    for phone in phones:
        socketio.emit(AUDIENCE_VIEW, view(current, "phone", phone), to=phone_room(current.contest_id, phone.id),
                      namespace=NAMESPACE)


def tick() -> None:
    """Store the answers of every hall, and send the display and host a changed distribution."""
    several = cluster_of() is not None
    for current in loaded_halls():
        store_pending(current)
        _tell_corrected(current)
        if several:
            refresh_tally(current)
        with current.lock:
            changed, current.tally_changed = current.tally_changed, False
            tally = tally_of(current) if changed else None
        if tally is not None:
            for role in ("host", "display"):
                socketio.emit(AUDIENCE_TALLY, tally, to=room(current.contest_id, role), namespace=NAMESPACE,
                              ignore_queue=True)


def start_publisher(app: Flask) -> None:
    """Start the publisher once per app (see :mod:`play.background`)."""
    start_repeating(app, "audience publisher", PERIOD_S, tick)
