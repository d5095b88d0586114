"""Each phone's clock, estimated by the server: repeated ping exchanges, NTP-style.

The server sends ``clock_probe`` with its own time and the phone answers with its clock. Only
the server's clock measures the round trip, so a phone cannot make its delay look shorter; it
can only answer slowly, which makes it look farther away: the transport's own ping/pong
(live.transport_ping) and the hall's other phones bound what that gains (contest.fairness).
"""
import threading
from dataclasses import dataclass, field

from flask import Flask, current_app

from contest.fairness import NO_CREDIT, ClockEstimate, ClockSample, Credit, credit_for
from extensions import socketio
from live.protocol import CLOCK_PROBE, NAMESPACES
from live.transport_ping import on_round_trip

FIRST_PROBES = 6  # quick probes right after a phone connects
FIRST_INTERVAL_MS = 300
REFRESH_INTERVAL_MS = 5000  # then one every 5 s, so a phone moving from Wi-Fi to 4G is noticed


@dataclass
class PhoneClock:
    """What the server knows of one connected phone's clock."""

    contest_id: int
    estimate: ClockEstimate = field(default_factory=ClockEstimate)
    eio_sid: str | None = None  # its Engine.IO session, whose transport pongs are measured
    probes_sent: int = 0
    next_probe_at: float = 0.0


class ClockSync:
    """The clocks of every connected phone of one app, by Socket.IO session id."""

    def __init__(self) -> None:
        self.phones: dict[str, PhoneClock] = {}
        self.by_transport: dict[str, str] = {}  # Engine.IO session id -> Socket.IO session id
        self.lock = threading.Lock()
        on_round_trip(self.transport_round_trip)

    def track(self, sid: str, contest_id: int, eio_sid: str | None = None) -> None:
        """Start probing a phone that just connected."""
        with self.lock:
            self.phones[sid] = PhoneClock(contest_id, eio_sid=eio_sid)
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

    def bounds(self, contest_id: int) -> list[float]:
        """The most credit each known phone of one contest may get (for the arbitration window;
        the hall's other phones only flag a phone, they do not change its bound)."""
        with self.lock:
            return [credit_for(p.estimate, []).bound for p in self.phones.values()
                    if p.contest_id == contest_id and p.estimate.known]

    def probe_due(self, now: float) -> None:
        """Send a probe to every phone whose next one is due."""
        with self.lock:
            due = [sid for sid, phone in self.phones.items() if phone.next_probe_at <= now]
            for sid in due:
                phone = self.phones[sid]
                phone.probes_sent += 1
                pause = FIRST_INTERVAL_MS if phone.probes_sent < FIRST_PROBES else REFRESH_INTERVAL_MS
                phone.next_probe_at = now + pause
        for sid in due:
            self._probe(sid, now)

    def _probe(self, sid: str, sent: float) -> None:
        """One exchange: the answer's arrival time completes the sample."""
        from live.runtime import now_ms

        def answered(reply=None):
            phone_time = reply.get("phone_now") if isinstance(reply, dict) else None
            if isinstance(phone_time, (int, float)) and not isinstance(phone_time, bool):
                with self.lock:
                    phone = self.phones.get(sid)
                    if phone is not None:
                        phone.estimate.add(ClockSample(sent=sent, phone=phone_time, received=now_ms()))

        socketio.emit(CLOCK_PROBE, {"s0": sent}, to=sid, namespace=NAMESPACES["team"], callback=answered)


def clock_sync(app: Flask | None = None) -> ClockSync:
    """This app's phone clocks."""
    app = app or current_app
    return app.extensions.setdefault("clock_sync", ClockSync())
