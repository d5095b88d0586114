"""Flood control for live connections: token buckets per connection, per socket and per address.

One phone sending hundreds of buzzes or answers a second (a stuck key, a script) must not slow
the others down. Each connection may send a burst of events and then a steady rate; anything
beyond is answered at once with a refusal, before any payload is read, the database touched or the
contest's lock taken, so a flood costs the server little more than reading the messages. The
refusals of a connection are logged at most once a second, with how many there were; after
REFUSALS_BEFORE_CLOSE refusals in a row the connection is closed (its reconnects then meet the
connect limits).

Connecting costs more than an event (a credential to check, a contest to look up, a snapshot to
send), and 2,000 forged connect frames on one WebSocket froze the server for 8.8 s. So
:class:`ConnectGate` counts connect attempts before anything is checked: per socket (a page
connects once, and again after a drop), per address (a hall's phones share one NAT address:
every phone reconnecting at once after a restart fits in the burst), and the refused ones per
address. A socket over its rate, or with SOCKET_REFUSALS_BEFORE_CLOSE refused attempts, or
from an address with too many refused attempts, is closed without a look at its credential.

Pure Python, no Flask: time is passed in (seconds, monotonic).
"""
import threading
from dataclasses import dataclass

FLOOD_REASON = "操作过于频繁，请稍候"
CONNECT_FLOOD_REASON = "连接尝试过于频繁，请稍候再连接"
LOG_INTERVAL_S = 1.0


@dataclass(frozen=True)
class Rate:
    """A steady ``per_second`` rate with a ``burst`` allowance."""

    per_second: float
    burst: int


# A phone presses, answers and pings its clock: 10 events a second, bursts of 20, is far above what
# a person does (the page sends 3 clock pings at a (re)connection and one command per tap). The host
# console clicks faster and asks for snapshots; the display only listens.
# A buzzer station (live.station) presses for several teams but is held to a phone's rate: a person
# presses a hardware key no faster than a screen, and the station page drops key repeats.
RATES = {"team": Rate(10, 20), "host": Rate(30, 60), "display": Rate(10, 20), "station": Rate(10, 20)}
REFUSALS_BEFORE_CLOSE = 50
"""Refused events within REFUSAL_WINDOW_S after which a connection is closed: a person never gets one refusal."""
REFUSAL_WINDOW_S = 10.0
"""The window that counts refusals. Not "in a row": a flooder past its rate still gets a token every
0.1 s, and at 400 events a second that accepted event would start the count again before it reached 50."""

SOCKET_CONNECTS = Rate(1, 5)
"""Connect attempts of one Engine.IO socket: a page connects one namespace, and again after a drop."""
SOCKET_REFUSALS_BEFORE_CLOSE = 3
ADDRESS_CONNECTS = Rate(20, 100)
"""Connect attempts of one address: 8 teams' phones, the host and the display reconnecting at once fit."""
ADDRESS_REFUSALS = Rate(1, 20)
"""Refused connect attempts of one address (a wrong or stale link now and then); beyond, its sockets are closed."""


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

    def refill(self, now: float) -> None:
        """Add the tokens earned since the last look."""
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.rate.burst), self.tokens + elapsed * self.rate.per_second)
        self.updated = now

    def has_token(self, now: float) -> bool:
        """Whether a token is there, without taking it."""
        self.refill(now)
        return self.tokens >= 1.0

    def take(self, now: float) -> bool:
        """Take a token if there is one: whether the event may go ahead."""
        self.refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


@dataclass
class _Connection:
    """A connection's bucket, the refusals not yet logged and the refusals of its current counting window."""

    bucket: TokenBucket
    refused: int = 0
    logged_at: float | None = None
    recent: int = 0
    recent_since: float = float("-inf")


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
            if now - connection.recent_since > REFUSAL_WINDOW_S:
                connection.recent, connection.recent_since = 0, now
            connection.recent += 1
            return False

    def to_close(self, sid: str) -> bool:
        """Whether connection ``sid`` has just been refused REFUSALS_BEFORE_CLOSE times within REFUSAL_WINDOW_S (once)."""
        with self.lock:
            connection = self.connections.get(sid)
            return connection is not None and connection.recent == REFUSALS_BEFORE_CLOSE

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


class ConnectGate:
    """The connect attempts of every socket and every address, for all namespaces of a server."""

    FORGET_AFTER_S = 60.0

    def __init__(self, address_rate: Rate = ADDRESS_CONNECTS, socket_rate: Rate = SOCKET_CONNECTS,
                 refusal_rate: Rate = ADDRESS_REFUSALS):
        self.address_rate, self.socket_rate, self.refusal_rate = address_rate, socket_rate, refusal_rate
        self.sockets: dict[str, list] = {}  # socket → [bucket, refused attempts]
        self.addresses: dict[str, TokenBucket] = {}
        self.refusals: dict[str, TokenBucket] = {}
        self.lock = threading.Lock()
        self.pruned_at = 0.0

    def admit(self, socket_id: str, address: str, now: float) -> bool:
        """Whether a connect attempt may be checked at all; False means: close that socket, check nothing."""
        with self.lock:
            self._prune(now)
            if self._shut_out(address, now):
                return False
            entry = self.sockets.setdefault(socket_id, [TokenBucket.full(self.socket_rate, now), 0])
            if not entry[0].take(now):
                return False
            bucket = self.addresses.setdefault(address, TokenBucket.full(self.address_rate, now))
            return bucket.take(now)

    def shut_out(self, address: str, now: float) -> bool:
        """Whether ``address`` used up its refused attempts: its new sockets are not worth opening."""
        with self.lock:
            return self._shut_out(address, now)

    def _shut_out(self, address: str, now: float) -> bool:
        """:meth:`shut_out`, the lock held."""
        refusals = self.refusals.get(address)
        return refusals is not None and not refusals.has_token(now)

    def refused(self, socket_id: str, address: str, now: float) -> bool:
        """Count a refused attempt; whether its socket is to be closed now."""
        with self.lock:
            entry = self.sockets.get(socket_id)
            if entry is not None:
                entry[1] += 1
            refusals = self.refusals.setdefault(address, TokenBucket.full(self.refusal_rate, now))
            refusals.take(now)
            return entry is None or entry[1] >= SOCKET_REFUSALS_BEFORE_CLOSE or not refusals.has_token(now)

    def penalise(self, address: str, now: float) -> None:
        """A connection of ``address`` was closed for flooding: that costs half its allowance of refusals,
        so a flooder reconnecting again and again is soon turned away unchecked."""
        with self.lock:
            refusals = self.refusals.setdefault(address, TokenBucket.full(self.refusal_rate, now))
            refusals.refill(now)
            refusals.tokens = max(0.0, refusals.tokens - self.refusal_rate.burst / 2)

    def _prune(self, now: float) -> None:
        """Forget buckets untouched for a minute (full again by then), at most once a minute."""
        if now - self.pruned_at < self.FORGET_AFTER_S:
            return
        self.pruned_at = now
        cutoff = now - self.FORGET_AFTER_S
        self.sockets = {key: entry for key, entry in self.sockets.items() if entry[0].updated > cutoff}
        self.addresses = {key: bucket for key, bucket in self.addresses.items() if bucket.updated > cutoff}
        self.refusals = {key: bucket for key, bucket in self.refusals.items() if bucket.updated > cutoff}
