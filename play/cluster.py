"""Several server processes, one live contest: the owner decides, the others forward to it.

Only with ``SOCKETIO_MESSAGE_QUEUE`` set (docs/reliability.md, "Several processes"). Each live
contest has one owning process, the holder of its lease (:mod:`play.lease`). Every command of the
contest runs in the owner: a process that receives one for a contest it does not own publishes it,
with a request id, on the owner's Redis channel and waits for the owner's answer, so that the phone
is acknowledged with the owner's decision. After each stored decision the owner publishes the
events to every process (:mod:`play.replica`), which updates its copy and shows it to its own
connections. A process whose owner died waits for the lease to expire, claims it, reloads the
contest from the store and carries on; a command that cannot reach any owner in time is refused
with a retry (its client id makes the retry safe: a command already stored is answered, not redone).

What travels is pickled, like Flask-SocketIO's own Redis queue: the Redis server must be private.
Without a queue :func:`play.routing.on_owner` calls the function in place, and none of this runs.
"""
import os
import pickle
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import redis
from flask import Flask, current_app

from contest.state import ContestState, ContestStatus
from extensions import socketio
from play import clock
from play.lease import LeaseTimes, Leases, RedisLeaseStore
from play.registry import loaded_contests, reload

RETRY_PAUSE_S = 0.2  # between two attempts to reach an owner that does not answer
REDIS_TIMEOUT_S = 5.0  # a Redis command that takes longer fails (the listener alone waits without limit)
NO_OWNER_REASON = "服务器正在交接这场比赛，请稍后重试"


@dataclass
class _Waiter:
    """A forwarded request waiting for the owner's answer."""

    answered: threading.Event = field(default_factory=threading.Event)
    reply: Any = None


class Cluster:
    """This process's part of the cluster: its leases, its Redis channel and its waiting requests."""

    def __init__(self, app: Flask, url: str, times: LeaseTimes, prefix: str):
        self.app, self.url, self.prefix = app, url, prefix  # prefix: this installation's names in Redis
        self.client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S)
        self.process_id = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.channel, self.everyone = f"{prefix}process:{self.process_id}", f"{prefix}all"
        self.leases = Leases(RedisLeaseStore(self.client), self.process_id, times, clock.now_ms, f"{prefix}owner:")
        self.forward_seconds = times.ttl_ms / 1000 + 3  # long enough for a dead owner's lease to expire
        self.waiting: dict[str, _Waiter] = {}
        self.lock = threading.Lock()
        self.running = False
        self.subscribed = threading.Event()  # set once this process hears its channel (replies reach it)

    def run(self) -> None:
        """Start listening and keeping the leases, once (on first use: a `flask` command never starts them)."""
        with self.lock:
            started, self.running = self.running, True
        if not started:
            socketio.start_background_task(self.listen)
            socketio.start_background_task(self.keep)

    def call(self, contest_id: int, here: Callable[..., dict], args: tuple) -> dict:
        """``here(*args)`` run by the contest's owner: this process (claiming a free lease) or another;
        a refusal with a retry when no owner answers in time (Redis unreachable, or no process takes over)."""
        self.run()
        deadline = time.monotonic() + self.forward_seconds
        try:
            return self._call(contest_id, here, args, deadline)
        except redis.RedisError as error:
            current_app.logger.warning("contest %s: the queue failed: %s", contest_id, error)
            return {"ok": False, "reason": NO_OWNER_REASON}

    def _call(self, contest_id: int, here: Callable[..., dict], args: tuple, deadline: float) -> dict:
        self.subscribed.wait(max(0.0, deadline - time.monotonic()))
        while time.monotonic() < deadline:
            holder = self.leases.holder(contest_id)
            if holder is None and self.take(contest_id):
                holder = self.process_id
            if holder == self.process_id:
                return here(*args)
            if holder is not None:
                reply = self._forward(holder, contest_id, here, args, deadline)
                if reply is not None:
                    return reply
            socketio.sleep(RETRY_PAUSE_S)
        current_app.logger.warning("contest %s: no owner answered within %.0f s", contest_id, self.forward_seconds)
        return {"ok": False, "reason": NO_OWNER_REASON}

    def take(self, contest_id: int) -> bool:
        """Claim the contest's free lease; on success, this process's copy is reloaded from the store first."""
        if not self.leases.claim(contest_id):
            return False
        current_app.logger.warning("contest %s: this process (%s) now owns it", contest_id, self.process_id)
        reload(contest_id)
        return True

    def everywhere(self, here: Callable[..., None], args: tuple) -> None:
        """Run ``here(*args)`` in every other process (in the order this process sent them)."""
        self.client.publish(self.everyone, pickle.dumps(("all", self.process_id, here, args)))

    def _forward(self, holder: str, contest_id: int, here: Callable, args: tuple, deadline: float) -> dict | None:
        """Send the request to ``holder``; its reply, or None when it did not take it (gone, or no longer owner)."""
        request_id, waiter = secrets.token_hex(8), _Waiter()
        with self.lock:
            self.waiting[request_id] = waiter
        try:
            message = pickle.dumps(("request", request_id, self.channel, contest_id, here, args))
            if not self.client.publish(f"{self.prefix}process:{holder}", message):
                return None  # nobody listens there: the owner died and its lease has not expired yet
            waiter.answered.wait(max(0.0, deadline - time.monotonic()))
            return waiter.reply
        finally:
            with self.lock:
                self.waiting.pop(request_id, None)

    def listen(self) -> None:
        """Receive requests, replies and broadcasts forever (a background task); subscribe again after
        losing Redis (what was published meanwhile is lost: a follower catches up at the next decision)."""
        while True:
            try:
                pubsub = redis.Redis.from_url(self.url).pubsub(ignore_subscribe_messages=True)  # waits without a timeout
                pubsub.subscribe(self.channel, self.everyone)
                self.subscribed.set()
                for message in pubsub.listen():
                    self._received(message["data"])
            except redis.RedisError as error:
                with self.app.app_context():
                    current_app.logger.warning("cluster channel lost, subscribing again: %s", error)
                socketio.sleep(RETRY_PAUSE_S)

    def _received(self, data: bytes) -> None:
        """A reply to a request of this process, a request for a contest it owns, or a broadcast."""
        try:
            kind, *rest = pickle.loads(data)
        except Exception:  # noqa: BLE001  (a message this version cannot read must not stop the listener)
            with self.app.app_context():
                current_app.logger.exception("unreadable cluster message")
            return
        if kind == "reply":
            self._replied(*rest)
        elif kind == "request":
            socketio.start_background_task(self._serve, *rest)
        elif rest[0] != self.process_id:
            with self.app.app_context():
                self._safely(rest[1], rest[2])

    def _replied(self, request_id: str, reply: Any) -> None:
        with self.lock:
            waiter = self.waiting.get(request_id)
        if waiter is not None:
            waiter.reply = reply
            waiter.answered.set()

    def _serve(self, request_id: str, reply_to: str, contest_id: int, here: Callable, args: tuple) -> None:
        """Answer a forwarded request: run it if this process still owns the contest, else say so (None)."""
        with self.app.app_context():
            reply = self._safely(here, args) if self.leases.owns(contest_id) else None
            self.client.publish(reply_to, pickle.dumps(("reply", request_id, reply)))

    def _safely(self, here: Callable, args: tuple) -> Any:
        """``here(*args)``; an error is logged and answered as a refusal, never left without a reply."""
        try:
            return here(*args)
        except Exception:  # noqa: BLE001  (the sender must get an answer whatever happened here)
            current_app.logger.exception("forwarded %s failed", getattr(here, "__name__", here))
            return {"ok": False, "reason": "服务器内部错误，请重试"}

    def keep(self) -> None:
        """Renew this process's leases and claim those of loaded contests nobody owns (a background task)."""
        while True:
            socketio.sleep(self.leases.times.renew_ms / 1000)
            with self.app.app_context():
                try:
                    self._keep_once()
                except Exception:  # noqa: BLE001  (Redis or the database failed: try again at the next turn)
                    current_app.logger.exception("leases not kept")

    def _keep_once(self) -> None:
        for contest_id in self.leases.renew_all():
            current_app.logger.warning("contest %s: lease lost by %s", contest_id, self.process_id)
        for live in loaded_contests():
            if _in_play(live.state) and self.leases.holder(live.contest_id) is None:
                self.take(live.contest_id)


def _in_play(state: ContestState | None) -> bool:
    """Whether a contest is started and not finished (it needs an owner to tick its clock)."""
    return state is not None and state.status != ContestStatus.FINISHED


def prepare(app: Flask, url: str) -> Cluster:
    """Make ``app`` one process of the cluster behind the Redis at ``url`` (it starts on first use: :meth:`Cluster.run`)."""
    times = LeaseTimes(int(app.config["PLAY_LEASE_MS"]), int(app.config["PLAY_LEASE_RENEW_MS"]))
    prefix = f"{app.config['SOCKETIO_CHANNEL']}:play:"
    cluster = app.extensions["play_cluster"] = Cluster(app, url, times, prefix)
    return cluster
