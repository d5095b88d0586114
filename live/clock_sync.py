"""Each phone's clock, estimated by the server: repeated ping exchanges, NTP-style.

The server sends ``clock_probe`` with its own time and the phone answers with its clock. Only
the server's clock measures the round trip, so a phone cannot make its delay look shorter; it
can only answer slowly, which makes it look farther away: the transport's own ping/pong
(live.transport_ping), the kernel's TCP round trip (live.kernel_rtt) and the hall's other phones
bound what that gains (contest.fairness).
"""
import socket
import threading
from dataclasses import dataclass, field

from flask import Flask, current_app

from contest.fairness import NO_CREDIT, ClockEstimate, ClockSample, Credit, credit_for
from extensions import socketio
from live.kernel_rtt import min_round_trip
from live.protocol import CLOCK_PROBE, NAMESPACES
from live.transport_ping import on_round_trip
from play.clock import now_ms
from play.routing import cluster_of

FIRST_PROBES = 6  # quick probes right after a phone connects
FIRST_INTERVAL_MS = 300
REFRESH_INTERVAL_MS = 5000  # then one every 5 s, so a phone moving from Wi-Fi to 4G is noticed
SHARE_INTERVAL_MS = 1000  # with several processes, each tells the others its phones' bounds this often
SHARED_FOR_MS = 3000  # and a process's bounds count for the buzzer's window this long after it told them


@dataclass
class PhoneClock:
    """What the server knows of one connected phone's clock."""

    contest_id: int
    estimate: ClockEstimate = field(default_factory=ClockEstimate)
    eio_sid: str | None = None  # its Engine.IO session, whose transport pongs are measured
    namespace: str = NAMESPACES["team"]  # where its probes go (a buzzer station's are on /station)
    tcp: socket.socket | None = None  # its TCP connection (long-polling: the handshake's), read by live.kernel_rtt
    probes_sent: int = 0
    next_probe_at: float = 0.0


class ClockSync:
    """The clocks of every connected phone of one app, by Socket.IO session id."""

    def __init__(self) -> None:
        self.phones: dict[str, PhoneClock] = {}
        self.by_transport: dict[str, str] = {}  # Engine.IO session id -> Socket.IO session id
        self.elsewhere: dict[str, tuple[float, dict[int, list[float]]]] = {}  # process -> (told at, its bounds)
        self.shared_at = 0.0
        self.lock = threading.Lock()
        on_round_trip(self.transport_round_trip)

    def track(self, sid: str, contest_id: int, eio_sid: str | None = None, namespace: str = NAMESPACES["team"],
              tcp: socket.socket | None = None) -> None:
        """Start probing a phone (or a buzzer station) that just connected."""
        with self.lock:
            self.phones[sid] = PhoneClock(contest_id, eio_sid=eio_sid, namespace=namespace, tcp=tcp)
            if eio_sid is not None:
                self.by_transport[eio_sid] = sid

    def transport_round_trip(self, eio_sid: str, round_trip: float) -> None:
        """A transport pong came back: a check on that phone's probe delay."""
        with self.lock:
            phone = self.phones.get(self.by_transport.get(eio_sid, ""))
            if phone is not None:
                phone.estimate.add_transport(round_trip)

    def forget(self, sid: str) -> None:
        """Stop probing a phone that disconnected."""
        with self.lock:
            phone = self.phones.pop(sid, None)
            if phone is not None and phone.eio_sid is not None:
                self.by_transport.pop(phone.eio_sid, None)

    def estimate(self, sid: str) -> ClockEstimate:
        """The phone's current estimate (empty when unknown)."""
        with self.lock:
            phone = self.phones.get(sid)
            return phone.estimate if phone else ClockEstimate()

    def record_press(self, sid: str, excess: float) -> None:
        """Remember how much earlier than its usual delay explains a press of this phone claimed to be."""
        with self.lock:
            phone = self.phones.get(sid)
            if phone is not None:
                phone.estimate.add_press(excess)

    def credit(self, sid: str) -> Credit:
        """How much credit the phone's press may get, weighed against the other phones of its contest."""
        with self.lock:
            phone = self.phones.get(sid)
            if phone is None:
                return NO_CREDIT
            peers = [other.estimate.delay for other_sid, other in self.phones.items()
                     if other_sid != sid and other.contest_id == phone.contest_id and other.estimate.known]
            return credit_for(phone.estimate, peers)

    def bounds(self, contest_id: int, now: float | None = None) -> list[float]:
        """The most credit each known phone of one contest may get (for the arbitration window;
        the hall's other phones only flag a phone, they do not change its bound), with those the
        other processes of a cluster told lately (their phones' presses are judged here too)."""
        now = now_ms() if now is None else now
        with self.lock:
            there = [bound for told_at, by_contest in self.elsewhere.values() if now - told_at < SHARED_FOR_MS
                     for bound in by_contest.get(contest_id, ())]
            return self._bounds_here(contest_id) + there

    def _bounds_here(self, contest_id: int) -> list[float]:
        """The bounds of this process's phones of the contest (under the lock)."""
        return [credit_for(p.estimate, []).bound for p in self.phones.values()
                if p.contest_id == contest_id and p.estimate.known]

    def told(self, process: str, by_contest: dict[int, list[float]], now: float) -> None:
        """Another process's phones' bounds, by contest (play.cluster)."""
        with self.lock:
            self.elsewhere[process] = (now, by_contest)

    def share_due(self, now: float) -> dict[int, list[float]] | None:
        """This process's phones' bounds by contest, when it is time to tell the other processes again."""
        with self.lock:
            if now - self.shared_at < SHARE_INTERVAL_MS:
                return None
            self.shared_at = now
            return {contest_id: self._bounds_here(contest_id) for contest_id in {p.contest_id for p in self.phones.values()}}

    def probe_due(self, now: float) -> None:
        """Send a probe to every phone whose next one is due."""
        with self.lock:
            due = [(sid, phone) for sid, phone in self.phones.items() if phone.next_probe_at <= now]
            for _sid, phone in due:
                phone.probes_sent += 1
                pause = FIRST_INTERVAL_MS if phone.probes_sent < FIRST_PROBES else REFRESH_INTERVAL_MS
                phone.next_probe_at = now + pause
        for sid, phone in due:
            self._probe(sid, phone.namespace, now)

    def _probe(self, sid: str, namespace: str, sent: float) -> None:
        """One exchange: the answer's arrival time completes the sample."""
        def answered(reply=None):
            phone_time = reply.get("phone_now") if isinstance(reply, dict) else None
            if isinstance(phone_time, (int, float)) and not isinstance(phone_time, bool):
                received = now_ms()
                with self.lock:
                    phone = self.phones.get(sid)
                    tcp = phone.tcp if phone is not None else None
                kernel = min_round_trip(tcp)  # a system call: outside the lock
                with self.lock:
                    phone = self.phones.get(sid)
                    if phone is not None:
                        phone.estimate.add(ClockSample(sent=sent, phone=phone_time, received=received))
                        if kernel is not None:
                            phone.estimate.add_kernel(kernel)

        socketio.emit(CLOCK_PROBE, {"s0": sent}, to=sid, namespace=namespace, callback=answered, ignore_queue=True)


def clock_sync(app: Flask | None = None) -> ClockSync:
    """This app's phone clocks."""
    app = app or current_app
    return app.extensions.setdefault("clock_sync", ClockSync())


def share_bounds(app: Flask, now: float) -> None:
    """With several processes (a tick hook): tell the others the bounds of this process's phones, so
    that the owner of a contest opens a buzzer window long enough for every phone, wherever it is."""
    by_contest = clock_sync(app).share_due(now)
    cluster = cluster_of(app)
    if by_contest is not None and cluster is not None:
        cluster.everywhere(heard_bounds, (cluster.process_id, by_contest))


def heard_bounds(process: str, by_contest: dict[int, list[float]]) -> None:
    """Another process's phones' bounds arrived (runs in every other process; timed by this one's clock)."""
    clock_sync().told(process, by_contest, now_ms())
