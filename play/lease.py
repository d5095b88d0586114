"""Which server process owns a live contest: a lease, claimed with the contest and renewed while held.

With several server processes (``SOCKETIO_MESSAGE_QUEUE`` set, docs/reliability.md) exactly one
process decides, stores and ticks each live contest: the holder of its lease. A lease is a key in
Redis holding the owner's process id, set only when absent and expiring after ``ttl_ms`` unless
renewed (SET NX PX); a process that dies stops renewing, its leases expire, and another process
claims them. :class:`Leases` is the bookkeeping of one process; the shared store is given to it
(:class:`RedisLeaseStore`), and so is the clock, so the rules can be tested with a fake one.

A process trusts its own lease only until ``ttl_ms - margin_ms`` after it *sent* the claim or the
renewal: the key in the store lives at least that long, so two processes never both believe they
own a contest (and if a stalled one still wrote, the event log's unique (contest, seq) refuses it).
"""
from dataclasses import dataclass
from typing import Callable, Protocol

import redis

# Renew only while the key still holds our id (never extend another process's lease).
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"


class LeaseStore(Protocol):
    """Where leases are kept, shared by every process."""

    def claim(self, key: str, holder: str, ttl_ms: int) -> bool:
        """Set ``key`` to ``holder`` for ``ttl_ms`` if nobody holds it; whether it was set."""

    def renew(self, key: str, holder: str, ttl_ms: int) -> bool:
        """Extend ``key`` by ``ttl_ms`` if ``holder`` still holds it; whether it did."""

    def holder(self, key: str) -> str | None:
        """Who holds ``key`` now (None: nobody, or its lease expired)."""


class RedisLeaseStore:
    """Leases as Redis keys: SET NX PX to claim, a compare-and-expire script to renew."""

    def __init__(self, client: redis.Redis):
        self.client = client
        self._renew = client.register_script(_RENEW)

    def claim(self, key: str, holder: str, ttl_ms: int) -> bool:
        return bool(self.client.set(key, holder, nx=True, px=ttl_ms))

    def renew(self, key: str, holder: str, ttl_ms: int) -> bool:
        return bool(self._renew(keys=[key], args=[holder, ttl_ms]))

    def holder(self, key: str) -> str | None:
        value = self.client.get(key)
        return value.decode() if isinstance(value, bytes) else value


@dataclass(frozen=True)
class LeaseTimes:
    """How long a lease lives, how often it is renewed, and how early its holder stops trusting it."""

    ttl_ms: int = 5000
    renew_ms: int = 1000
    margin_ms: int = 1000

    def __post_init__(self) -> None:
        if not 0 < self.renew_ms < self.ttl_ms - self.margin_ms:
            raise ValueError("租约续期间隔须小于租约时长减去安全余量（PLAY_LEASE_RENEW_MS < PLAY_LEASE_MS - 1000）")


class Leases:
    """The leases one process holds, and its claims, renewals and look-ups."""

    def __init__(self, store: LeaseStore, process_id: str, times: LeaseTimes, clock: Callable[[], float],
                 prefix: str = "owner:"):
        self.store, self.process_id, self.times, self.clock, self.prefix = store, process_id, times, clock, prefix
        self.held: dict[int, float] = {}  # contest id -> until when (this process's clock, ms) it trusts its lease

    def owns(self, contest_id: int) -> bool:
        """Whether this process may decide for the contest now (it holds a lease it still trusts)."""
        until = self.held.get(contest_id)
        return until is not None and self.clock() < until

    def claim(self, contest_id: int) -> bool:
        """Take the contest's lease if nobody holds it; whether this process owns the contest now."""
        if self.owns(contest_id):
            return True
        sent = self.clock()
        if not self.store.claim(self._key(contest_id), self.process_id, self.times.ttl_ms):
            return False
        self.held[contest_id] = self._trusted_until(sent)
        return True

    def renew_all(self) -> list[int]:
        """Renew every held lease; returns the contests whose lease was lost (expired, or taken)."""
        lost = []
        for contest_id in list(self.held):
            sent = self.clock()
            if self.store.renew(self._key(contest_id), self.process_id, self.times.ttl_ms):
                self.held[contest_id] = self._trusted_until(sent)
            else:
                del self.held[contest_id]
                lost.append(contest_id)
        return lost

    def holder(self, contest_id: int) -> str | None:
        """The process that owns the contest now, by the store (None: nobody)."""
        return self.process_id if self.owns(contest_id) else self.store.holder(self._key(contest_id))

    def _trusted_until(self, sent: float) -> float:
        return sent + self.times.ttl_ms - self.times.margin_ms

    def _key(self, contest_id: int) -> str:
        return f"{self.prefix}{contest_id}"
