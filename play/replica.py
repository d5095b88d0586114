"""Every process shows the owner's decisions: the owner sends each stored decision to the others.

With several processes (:mod:`play.cluster`) a contest is decided in its owner, but its phones,
host and display may be connected to any process. After each stored decision the owner sends the
new events and the host's press log to every other process; each one applies the events to its own
copy of the contest and tells its own subscribers, so :mod:`live` patches its own connections from
the views it sent them (the Socket.IO queue is not needed for that: each process emits locally).
A process whose copy missed an event (it loaded the contest in between) reads it again from the store.
"""
import copy

from flask import Flask

from contest.evolve import evolve
from contest.events import Event
from play import clock
from play.cluster import Cluster, prepare
from play.press_log import Question
from play.registry import LiveContest, loaded
from play.routing import cluster_of, owns
from play.service import notify, subscribe
from storage.event_store import load_state


def start(app: Flask, url: str) -> Cluster:
    """Make ``app`` a process of the cluster behind ``url`` whose contests' decisions reach every process."""
    cluster = prepare(app, url)
    subscribe(app, share)
    return cluster


def share(live: LiveContest, now: int, events: list[Event]) -> None:
    """The owner's subscriber: send the decision (and the host's press log) to every other process."""
    if owns(live.contest_id):
        cluster_of().everywhere(follow, (live.contest_id, events, live.presses_question, list(live.presses)))


def follow(contest_id: int, events: list[Event], question: Question, presses: list[dict]) -> None:
    """Another process's decision: apply it to this process's copy, if it holds one, and show it."""
    live = loaded(contest_id)
    if live is None:
        return  # loaded fresh from the store when a connection asks for it
    with live.lock:
        if events and live.state is not None and events[0].seq == live.state.seq + 1:
            state = copy.deepcopy(live.state)
            for event in events:
                evolve(state, event)
            live.state = state
        elif events and (live.state is None or events[-1].seq > live.state.seq):
            live.state = load_state(contest_id)
        live.presses_question, live.presses = question, presses
        notify(live, clock.now_ms(), events)
