"""Flood limits that close sockets: the connect gate (per socket, per address, refused attempts) and a
connection refused too many events within a few seconds."""
from hypothesis import given, settings
from hypothesis import strategies as st

from live.limits import (
    REFUSAL_WINDOW_S,
    REFUSALS_BEFORE_CLOSE,
    SOCKET_REFUSALS_BEFORE_CLOSE,
    ConnectGate,
    ConnectionLimits,
    Rate,
)


def test_one_socket_may_connect_a_few_times_then_once_a_second():
    """Does a socket get its burst of connect attempts, then one a second?"""
    gate = ConnectGate(socket_rate=Rate(1, 5))
    assert [gate.admit("s", "10.0.0.1", 0.0) for _ in range(6)] == [True] * 5 + [False]
    assert gate.admit("s", "10.0.0.1", 1.0) and not gate.admit("s", "10.0.0.1", 1.1)


def test_a_socket_is_closed_after_a_few_refused_attempts():
    """Is a socket whose credentials keep being refused closed at its third refusal?"""
    gate = ConnectGate()
    verdicts = []
    for attempt in range(SOCKET_REFUSALS_BEFORE_CLOSE):
        assert gate.admit("s", "10.0.0.1", attempt / 10)
        verdicts.append(gate.refused("s", "10.0.0.1", attempt / 10))
    assert verdicts == [False] * (SOCKET_REFUSALS_BEFORE_CLOSE - 1) + [True]


def test_an_address_with_many_refused_attempts_is_shut_out_for_a_while():
    """After 20 refused attempts from many sockets of one address, is every socket of it turned away
    without a check (others addresses not), until its allowance refills?"""
    gate = ConnectGate(refusal_rate=Rate(1, 20))
    for number in range(20):
        assert gate.admit(f"s{number}", "10.0.0.1", 0.0)
        gate.refused(f"s{number}", "10.0.0.1", 0.0)
    assert not gate.admit("fresh", "10.0.0.1", 0.1)
    assert gate.admit("other", "10.0.0.2", 0.1)
    assert gate.admit("fresh", "10.0.0.1", 1.2)


@settings(deadline=None)  # time here is passed in; a loaded machine must not fail it
@given(st.integers(min_value=1, max_value=400))
def test_a_hall_reconnecting_at_once_fits_in_the_address_burst(phones):
    """Do up to 100 sockets of one NAT address connecting at the same moment all get through (and no
    more than that)?"""
    gate = ConnectGate(address_rate=Rate(20, 100))
    admitted = sum(gate.admit(f"s{number}", "192.0.2.7", 5.0) for number in range(phones))
    assert admitted == min(phones, 100)


def test_a_connection_refused_many_events_is_to_be_closed_once_even_between_its_tokens():
    """A flood at 400 events a second against 10 a second: the bucket lets one through every 0.1 s. Is the
    connection still to be closed at its REFUSALS_BEFORE_CLOSE-th refusal (the accepted events do not start
    the count again), and said so once?"""
    limits = ConnectionLimits({"team": Rate(10, 1)})
    verdicts, accepted = [], 0
    for number in range(400):
        accepted += limits.allow("s", "team", number / 400)
        verdicts.append(limits.to_close("s"))
    assert accepted > 5, "the flood gets a token now and then"
    assert verdicts.count(True) == 1


def test_refusals_far_apart_never_close_a_connection():
    """A refusal now and then, more than REFUSAL_WINDOW_S apart in groups: is the count started again, so
    that a phone that once pressed too fast is never cut off?"""
    limits = ConnectionLimits({"team": Rate(1, 1)})
    for group in range(5):
        start = group * (REFUSAL_WINDOW_S + 1)
        for number in range(REFUSALS_BEFORE_CLOSE // 2):
            limits.allow("s", "team", start + 0.001 * number)
            assert not limits.to_close("s")
