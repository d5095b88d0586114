"""Is the buzzer fair: clocks estimated from pings, presses converted and bounded, the right winner?"""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contest.fairness import ClockEstimate, ClockSample, Press, first_press, window_ms


def sample(sent, up, down, phone_offset):
    """A ping exchange with ``up`` and ``down`` travel times to a phone whose clock is ``phone_offset`` off."""
    return ClockSample(sent=sent, phone=sent + up + phone_offset, received=sent + up + down)


def test_a_symmetric_ping_gives_the_exact_offset_and_delay():
    """With equal travel both ways, is the phone's offset and one-way delay recovered exactly?"""
    estimate = ClockEstimate()
    estimate.add(sample(1000, 40, 40, phone_offset=-2500))
    assert (estimate.offset, estimate.delay) == (-2500, 40)


def test_the_lowest_delay_samples_decide():
    """Do samples that waited in a queue (long round trips) not skew the estimate?"""
    estimate = ClockEstimate()
    for sent in range(0, 3000, 300):
        estimate.add(sample(sent, 20, 20, phone_offset=700))
    estimate.add(sample(5000, 20, 400, phone_offset=700))  # stuck on the way back
    estimate.add(sample(6000, 350, 20, phone_offset=700))  # stuck on the way out
    assert estimate.offset == pytest.approx(700)
    assert estimate.delay == pytest.approx(20)


def test_only_recent_samples_are_kept():
    """When the network changes (Wi-Fi to 4G), do old samples eventually stop counting?"""
    estimate = ClockEstimate()
    for sent in range(0, 1600, 100):
        estimate.add(sample(sent, 10, 10, phone_offset=0))
    for sent in range(2000, 3600, 100):
        estimate.add(sample(sent, 80, 80, phone_offset=0))
    assert estimate.delay == pytest.approx(80)


def test_an_impossible_sample_is_ignored():
    """Is an answer that came back before it was sent ignored?"""
    estimate = ClockEstimate()
    estimate.add(ClockSample(sent=100, phone=0, received=50))
    assert not estimate.known and estimate.offset == 0 and estimate.delay == 0


def test_an_honest_press_converts_to_server_time():
    """Does a stamp on the phone's clock become the press time on the server's clock?"""
    press = Press(team=1, arrived_at=10_150, stamped_at=7_500 + 10_000, offset=7_500, delay=150)
    assert press.compensated_at == 10_000


def test_a_forged_early_stamp_gains_no_more_than_the_measured_delay():
    """Does a phone stamping 500 ms early get credited with at most its one-way delay?"""
    press = Press(team=1, arrived_at=10_150, stamped_at=10_000 - 500, offset=0, delay=150)
    assert press.compensated_at == 10_000


def test_a_stamp_after_arrival_counts_as_the_arrival():
    """Can a press not be credited later than it arrived (a phone whose clock runs ahead)?"""
    press = Press(team=1, arrived_at=10_000, stamped_at=10_900, offset=0, delay=30)
    assert press.compensated_at == 10_000


def test_a_press_without_stamp_or_clock_counts_at_arrival():
    """Is a press with no stamp, or from a phone whose clock is unknown, timed by its arrival?"""
    assert Press(team=1, arrived_at=10_000, stamped_at=None, offset=0, delay=30).compensated_at == 10_000
    unknown = Press(team=1, arrived_at=10_000, stamped_at=9_000, offset=0, delay=0, clock_known=False)
    assert unknown.compensated_at == 10_000


def test_the_window_is_the_largest_delay_capped():
    """Does the server wait for the slowest phone's delay, but never more than 200 ms?"""
    assert window_ms([12, 80, 35]) == 80
    assert window_ms([12, 480]) == 200
    assert window_ms([]) == 0


def test_a_slow_phone_that_pressed_first_wins_only_when_compensated():
    """Does a phone 150 ms away that pressed 30 ms earlier win by compensation and lose by arrival?"""
    slow = Press(team=1, arrived_at=10_000 + 150, stamped_at=10_000 - 2_000, offset=-2_000, delay=150)
    fast = Press(team=2, arrived_at=10_030 + 10, stamped_at=10_030 + 900, offset=900, delay=10)
    assert first_press([slow, fast], "compensated").team == 1
    assert first_press([slow, fast], "arrival").team == 2


def test_no_presses_is_an_error():
    """Is asking for a winner among no presses refused?"""
    with pytest.raises(ValueError):
        first_press([], "arrival")


times = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@given(arrived=times, stamped=times, offset=st.floats(-1e4, 1e4), delay=st.floats(0, 500))
def test_a_compensated_press_lies_within_its_delay_before_arrival(arrived, stamped, offset, delay):
    """Whatever a phone stamps, is its press credited between arrival − delay and arrival?"""
    press = Press(team=1, arrived_at=arrived, stamped_at=stamped, offset=offset, delay=delay)
    assert arrived - delay <= press.compensated_at <= arrived
