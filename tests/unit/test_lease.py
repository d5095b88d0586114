"""The owner lease of a live contest (play/lease.py): one owner at a time, renewed while alive,
taken over once it expires; on a fake clock and an in-memory store that expires keys like Redis."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from play.lease import LeaseTimes, Leases

TIMES = LeaseTimes(ttl_ms=5000, renew_ms=1000, margin_ms=1000)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class MemoryStore:
    """Redis's SET NX PX, compare-and-expire and compare-and-delete, on the fake clock."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock, self.keys = clock, {}

    def _live(self, key):
        holder, expires = self.keys.get(key, (None, 0))
        return holder if expires > self.clock() else None

    def claim(self, key, holder, ttl_ms):
        if self._live(key) is not None:
            return False
        self.keys[key] = (holder, self.clock() + ttl_ms)
        return True

    def renew(self, key, holder, ttl_ms):
        if self._live(key) != holder:
            return False
        self.keys[key] = (holder, self.clock() + ttl_ms)
        return True

    def holder(self, key):
        return self._live(key)


@pytest.fixture
def clock():
    return FakeClock()


def processes(clock, *names):
    store = MemoryStore(clock)
    return [Leases(store, name, TIMES, clock) for name in names]


def test_only_one_process_claims_a_contest(clock):
    a, b = processes(clock, "a", "b")
    assert a.claim(7)
    assert not b.claim(7)
    assert a.owns(7) and not b.owns(7)
    assert b.holder(7) == "a"


def test_a_renewed_lease_outlives_its_first_term(clock):
    a, b = processes(clock, "a", "b")
    a.claim(7)
    for _ in range(20):
        clock.now += TIMES.renew_ms
        assert a.renew_all() == []
    assert a.owns(7) and not b.claim(7)


def test_a_dead_owners_lease_is_taken_over_once_it_expires(clock):
    a, b = processes(clock, "a", "b")
    a.claim(7)
    clock.now += TIMES.ttl_ms - 1
    assert not b.claim(7), "still a's until its lease expires"
    clock.now += 1
    assert b.claim(7) and b.owns(7)
    assert a.renew_all() == [7], "a woke up: its renewal fails and it knows it lost the contest"
    assert not a.owns(7)


def test_an_owner_stops_trusting_its_lease_before_the_store_lets_it_go(clock):
    a, b = processes(clock, "a", "b")
    a.claim(7)
    clock.now += TIMES.ttl_ms - TIMES.margin_ms
    assert not a.owns(7), "a stalled owner stops deciding a margin before anyone else may claim"
    assert b.holder(7) == "a"


def test_renewal_never_extends_another_process_lease(clock):
    a, b = processes(clock, "a", "b")
    a.claim(7)
    clock.now += TIMES.ttl_ms
    b.claim(7)
    a.renew_all()
    clock.now += TIMES.ttl_ms - 1
    assert b.holder(7) == "b" and a.holder(7) == "b"


def test_renewal_interval_must_leave_room_before_the_lease_is_distrusted():
    with pytest.raises(ValueError):
        LeaseTimes(ttl_ms=2000, renew_ms=1000, margin_ms=1000)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(["claim", "renew", "sleep"]),
                          st.integers(min_value=0, max_value=7000)), max_size=40))
def test_never_two_owners_at_once(steps):
    """Whatever the processes do and however long they stall, at most one of them believes it owns the contest."""
    clock = FakeClock()
    leases = dict(zip("abc", processes(clock, "a", "b", "c")))
    for name, action, pause in steps:
        clock.now += pause
        if action == "claim":
            leases[name].claim(1)
        elif action == "renew":
            leases[name].renew_all()
        assert sum(lease.owns(1) for lease in leases.values()) <= 1
