"""Do a phone's "not pressed yet" heartbeats bound what its press may claim (contest.fairness.Heartbeats)?"""
import pytest

from contest.fairness import (FLAG_EARLY_STAMPS, HEARTBEAT_ALLOWANCE_MS, HEARTBEAT_EVERY_MS, HEARTBEAT_WITNESSES,
                              JITTER_ALLOWANCE, SILENT_ALLOWANCE_MS, ClockEstimate, Heartbeats, Press, credit_for,
                              first_press)
from tests.unit.test_fairness import probed

OPENING = 7
DELAY = 20


def heartbeating(start: float, until: float, early: float = 0.0, estimate: ClockEstimate | None = None,
                 waited: float = 0.0) -> Heartbeats:
    """The heartbeats of a phone ``DELAY`` ms away (clock on the server's) sent every HEARTBEAT_EVERY_MS from
    ``start`` while before ``until``, each stamped ``early`` ms early and waiting ``waited`` ms more on its way."""
    heartbeats, sent = Heartbeats(), start
    while sent < until:
        heartbeats.add(OPENING, sent - early, sent + DELAY + waited, estimate or probed(DELAY))
        sent += HEARTBEAT_EVERY_MS
    return heartbeats


def press_of(team: int, pressed: float, stamp: float, heartbeats: Heartbeats | None, waited: float = 0.0) -> Press:
    """A press made at ``pressed`` (server clock), stamped ``stamp``, that waited ``waited`` ms more than its delay."""
    estimate = probed(DELAY)
    return Press(team=team, arrived_at=pressed + DELAY + waited, stamped_at=stamp, offset=0, delay=estimate.delay,
                 credit=credit_for(estimate, [], heartbeats),
                 not_before=heartbeats.last_stamp if heartbeats is not None else None)


def test_a_press_stamped_before_the_last_heartbeat_counts_from_that_heartbeat():
    """A page that shaves only this press by 30 ms after heartbeating honestly: is its press placed
    no earlier than its last heartbeat's stamp (it was made after it), and does the shave still show
    as its excess (an early-stamp witness)?"""
    heartbeats = heartbeating(100_000, 100_110)  # the last one stamped 100_100
    shaved = press_of(1, 100_110, 100_110 - 30, heartbeats)
    assert heartbeats.last_stamp == 100_100
    assert shaved.compensated_at == 100_100
    assert shaved.unexplained == pytest.approx(30)


def test_a_one_off_shave_after_heartbeats_loses_to_an_earlier_honest_press():
    """Team 1 presses 10 ms after team 2 and shaves its stamp by 30 ms: does team 2 still win?"""
    honest = press_of(2, 100_100, 100_100, heartbeating(100_000, 100_100))
    shaved = press_of(1, 100_110, 100_080, heartbeating(100_005, 100_110))
    assert shaved.compensated_at == 100_105
    assert first_press([shaved, honest], "compensated").team == 2


def test_an_honest_press_after_its_heartbeats_is_believed():
    """Is a press stamped after the phone's last heartbeat taken at its stamp?"""
    press = press_of(1, 100_110, 100_110, heartbeating(100_000, 100_110))
    assert press.compensated_at == 100_110


def test_a_heartbeating_phones_slow_press_is_believed_within_the_wider_allowance():
    """A heartbeating phone's honest press that waited 30 ms more on its way (a retransmission): is
    its stamp believed, while the same press of a phone that does not heartbeat is held later?"""
    heartbeats = heartbeating(100_000, 100_110)
    assert press_of(1, 100_110, 100_110, heartbeats, waited=30).compensated_at == 100_110
    assert press_of(1, 100_110, 100_110, None, waited=30).compensated_at > 100_110


def test_the_allowance_follows_the_heartbeats():
    """Is a heartbeating phone allowed HEARTBEAT_ALLOWANCE_MS, one expected to heartbeat that sent
    none SILENT_ALLOWANCE_MS, and a connection that does not heartbeat (a station) its jitters?"""
    estimate = probed(DELAY, jitter=4)
    assert credit_for(estimate, [], heartbeating(0, 100, estimate=estimate)).bound == pytest.approx(
        estimate.delay + HEARTBEAT_ALLOWANCE_MS)
    assert credit_for(estimate, [], Heartbeats(OPENING)).bound == pytest.approx(estimate.delay + SILENT_ALLOWANCE_MS)
    assert credit_for(estimate, []).bound == pytest.approx(estimate.delay + JITTER_ALLOWANCE * estimate.jitter)


def test_heartbeats_that_all_claim_too_early_flag_the_phone():
    """A page that stamps (or holds) every heartbeat 30 ms early, to shave its press unnoticed: are
    its stamps no longer believed, within this very opening?"""
    estimate = probed(DELAY)
    credit = credit_for(estimate, [], heartbeating(100_000, 100_200, early=30, estimate=estimate))
    assert credit.flag == FLAG_EARLY_STAMPS and not credit.stamps_believed


def test_an_honest_phones_heartbeats_do_not_flag_it():
    """Heartbeats that mostly waited 15 ms more, one of them at the path's floor: is the phone not flagged?"""
    estimate = probed(DELAY, jitter=4)
    heartbeats = heartbeating(100_000, 100_200, estimate=estimate, waited=15)
    heartbeats.add(OPENING, 100_200, 100_200 + DELAY, estimate)
    credit = credit_for(estimate, [], heartbeats)
    assert credit.flag is None and credit.stamps_believed


def test_a_few_heartbeats_are_no_habit():
    """Are fewer than HEARTBEAT_WITNESSES heartbeats, however early, not judged as a habit?"""
    estimate = probed(DELAY)
    few = heartbeating(100_000, 100_000 + (HEARTBEAT_WITNESSES - 1) * HEARTBEAT_EVERY_MS, early=30, estimate=estimate)
    assert few.count == HEARTBEAT_WITNESSES - 1
    assert credit_for(estimate, [], few).flag is None


def test_heartbeats_of_another_opening_do_not_count():
    """Does a heartbeat of a new opening start the count again, and do a press's heartbeats come only
    from its own opening?"""
    estimate = probed(DELAY)
    heartbeats = heartbeating(100_000, 100_200, early=30, estimate=estimate)
    assert heartbeats.of(OPENING) is heartbeats
    assert heartbeats.of(OPENING + 1).count == 0 and heartbeats.of(OPENING + 1).last_stamp is None
    heartbeats.add(OPENING + 1, 200_000, 200_000 + DELAY, estimate)
    assert (heartbeats.token, heartbeats.count, heartbeats.last_stamp) == (OPENING + 1, 1, 200_000)
    assert heartbeats.least_excess == pytest.approx(0)


def test_heartbeats_before_the_clock_is_known_bound_the_press_but_show_no_excess():
    """Before the first probe answer the server cannot tell a heartbeat's excess: does it still keep
    the latest stamp (a later stamp never moves back)?"""
    heartbeats = Heartbeats()
    heartbeats.add(OPENING, 5_000, 100, ClockEstimate())
    heartbeats.add(OPENING, 4_000, 120, ClockEstimate())
    assert heartbeats.last_stamp == 5_000 and heartbeats.least_excess == float("inf")
