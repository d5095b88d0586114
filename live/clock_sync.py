"""Each phone's clock, estimated by the server: repeated ping exchanges, NTP-style.

The server sends ``clock_probe`` with its own time and the phone answers with its clock. Only
the server's clock measures the round trip, so a phone cannot make its delay look shorter; it
can only answer slowly, which makes it look farther away and is bounded by the window cap.
"""
import threading
from dataclasses import dataclass, field

from flask import Flask, current_app

from contest.fairness import ClockEstimate, ClockSample
from extensions import socketio
from live.protocol import CLOCK_PROBE, NAMESPACES

FIRST_PROBES = 6  # quick probes right after a phone connects
FIRST_INTERVAL_MS = 300
REFRESH_INTERVAL_MS = 5000  # then one every 5 s, so a phone moving from Wi-Fi to 4G is noticed


@dataclass
class PhoneClock:
    """What the server knows of one connected phone's clock."""

    contest_id: int
    estimate: ClockEstimate = field(default_factory=ClockEstimate)
    probes_sent: int = 0
    next_probe_at: float = 0.0


class ClockSync:
    """The clocks of every connected phone of one app, by Socket.IO session id."""

    def __init__(self) -> None:
        self.phones: dict[str, PhoneClock] = {}
        self.lock = threading.Lock()

    def track(self, sid: str, contest_id: int) -> None:
        """Start probing a phone that just connected."""
        with self.lock:
            self.phones[sid] = PhoneClock(contest_id)

    def forget(self, sid: str) -> None:
        """Stop probing a phone that disconnected."""
        with self.lock:
            self.phones.pop(sid, None)

    def estimate(self, sid: str) -> ClockEstimate:
        """The phone's current estimate (empty when unknown)."""
        with self.lock:
            phone = self.phones.get(sid)
            return phone.estimate if phone else ClockEstimate()

    def delays(self, contest_id: int) -> list[float]:
        """The known one-way delays of the phones of one contest (for the arbitration window)."""
        with self.lock:
            return [p.estimate.delay for p in self.phones.values() if p.contest_id == contest_id and p.estimate.known]

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
