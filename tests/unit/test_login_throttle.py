"""Does the login throttle lock after repeated failures, for the right time, and only whom it should?"""
from accounts.throttle import LoginThrottle, locked_message


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: Clock) -> LoginThrottle:
    return LoginThrottle(max_failures=5, max_failures_per_address=20, window=300, lock=300, clock=clock)


def test_five_failures_lock_for_the_lock_time():
    """After 5 failures is the name locked for 300 s from the fifth, then free again?"""
    clock = Clock()
    limits = throttle(clock)
    for _ in range(4):
        limits.failed("10.0.0.1", "host")
        assert limits.retry_after("10.0.0.1", "host") == 0
    limits.failed("10.0.0.1", "host")
    assert limits.retry_after("10.0.0.1", "host") == 300
    clock.now += 299.5
    assert limits.retry_after("10.0.0.1", "host") == 1
    clock.now += 0.5
    assert limits.retry_after("10.0.0.1", "host") == 0


def test_failures_outside_the_window_are_forgotten():
    """Do failures spread over more than the window never add up to a lock?"""
    clock = Clock()
    limits = throttle(clock)
    for _ in range(10):
        limits.failed("10.0.0.1", "host")
        clock.now += 76  # at most 4 failures in any 300 s
    assert limits.retry_after("10.0.0.1", "host") == 0


def test_a_success_clears_the_count():
    """Does a success reset the name's count?"""
    clock = Clock()
    limits = throttle(clock)
    for _ in range(4):
        limits.failed("10.0.0.1", "host")
    limits.succeeded("10.0.0.1", "host")
    for _ in range(4):
        limits.failed("10.0.0.1", "host")
    assert limits.retry_after("10.0.0.1", "host") == 0


def test_names_are_compared_as_typed_loosely():
    """Do "Host", " host " and "host" count as one name?"""
    limits = throttle(Clock())
    for name in ("Host", " host ", "host", "HOST", "host"):
        limits.failed("10.0.0.1", name)
    assert limits.retry_after("10.0.0.1", "host") > 0


def test_a_lock_is_per_address_and_name():
    """Is another address, or another name, not locked by someone else's failures?"""
    limits = throttle(Clock())
    for _ in range(5):
        limits.failed("10.0.0.1", "host")
    assert limits.retry_after("10.0.0.2", "host") == 0
    assert limits.retry_after("10.0.0.1", "organizer") == 0


def test_many_names_from_one_address_lock_the_address():
    """Do 20 failures over different names lock the address for every name?"""
    limits = throttle(Clock())
    for number in range(20):
        limits.failed("10.0.0.1", f"guess{number}")
    assert limits.retry_after("10.0.0.1", "organizer") == 300
    assert limits.retry_after("10.0.0.2", "organizer") == 0


def test_memory_stays_bounded(monkeypatch):
    """Are expired counts dropped once many keys are remembered?"""
    import accounts.throttle as module

    monkeypatch.setattr(module, "MAX_TRACKED_KEYS", 10)
    clock = Clock()
    limits = throttle(clock)
    for number in range(30):
        limits.failed(f"10.0.{number}.1", "x")
    clock.now += 301
    limits.failed("10.9.9.9", "x")
    assert len(limits._failures) <= 3


def test_the_message_names_whole_minutes():
    """Does the message round the wait up to whole minutes (at least one)?"""
    assert "请 1 分钟后再试" in locked_message(5)
    assert "请 5 分钟后再试" in locked_message(300)
    assert "请 2 分钟后再试" in locked_message(61)
