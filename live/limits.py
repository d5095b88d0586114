"""Flood control for live connections: a small token bucket per connection.

One phone sending hundreds of buzzes or answers a second (a stuck key, a script) must not slow
the others down. Each connection may send a burst of events and then a steady rate; anything
beyond is answered at once with a refusal, before any payload is read, the database touched or the
contest's lock taken, so a flood costs the server little more than reading the messages. The
refusals of a connection are logged at most once a second, with how many there were.

Pure Python, no Flask: time is passed in (seconds, monotonic).
"""
import threading
from dataclasses import dataclass

FLOOD_REASON = "操作过于频繁，请稍候"
LOG_INTERVAL_S = 1.0


@dataclass(frozen=True)
class Rate:
    """A steady ``per_second`` rate with a ``burst`` allowance."""

    per_second: float
    burst: int


# A phone presses, answers and pings its clock: 10 events a second, bursts of 20, is far above what
# a person does (the page sends 3 clock pings at a (re)connection and one command per tap). The host
# console clicks faster and asks for snapshots; the display only listens.
RATES = {"team": Rate(10, 20), "host": Rate(30, 60), "display": Rate(10, 20)}


@dataclass
class TokenBucket:
    """``burst`` tokens that refill at ``per_second``; each event takes one."""

    rate: Rate
    tokens: float
    updated: float

    @classmethod
    def full(cls, rate: Rate, now: float) -> "TokenBucket":
        """A bucket with its whole burst available."""
        return cls(rate, float(rate.burst), now)

    def take(self, now: float) -> bool:
        """Take a token if there is one: whether the event may go ahead."""
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.rate.burst), self.tokens + elapsed * self.rate.per_second)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class _Connection:
    """A connection's bucket and the refusals not yet logged."""

    bucket: TokenBucket
    refused: int = 0
    logged_at: float | None = None


class ConnectionLimits:
    """The buckets of every live connection of one namespace, by Socket.IO session id."""

    def __init__(self, rates: dict[str, Rate] | None = None):
        self.rates = rates or RATES
        self.connections: dict[str, _Connection] = {}
        self.lock = threading.Lock()

    def allow(self, sid: str, role: str, now: float) -> bool:
        """Whether connection ``sid`` (of ``role``) may send one more event now."""
        with self.lock:
            connection = self.connections.get(sid)
            if connection is None:
                rate = self.rates.get(role, RATES["team"])
                connection = self.connections[sid] = _Connection(TokenBucket.full(rate, now))
            if connection.bucket.take(now):
                return True
            connection.refused += 1
            return False

    def refusals_to_log(self, sid: str, now: float) -> int:
        """How many refusals of ``sid`` to log now: all since the last log line, or 0 within a second of it."""
        with self.lock:
            connection = self.connections.get(sid)
            if connection is None or not connection.refused:
                return 0
            if connection.logged_at is not None and now - connection.logged_at < LOG_INTERVAL_S:
                return 0
            count, connection.refused, connection.logged_at = connection.refused, 0, now
            return count

    def forget(self, sid: str) -> None:
        """The connection closed."""
        with self.lock:
            self.connections.pop(sid, None)
