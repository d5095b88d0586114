"""Is the buzzer fair: clocks estimated from pings, presses converted and bounded, the right winner?"""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contest.fairness import (CONGESTION_CAP_MS, FLAG_EARLY_STAMPS, FLAG_INCONSISTENT, FLAG_OUT_OF_LINE, WINDOW_CAP_MS,
                              ClockEstimate, ClockSample, Credit, Press, credit_for, first_press, window_ms,
                              with_congestion)


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


def test_the_window_is_the_largest_credit_capped():
    """Does the server wait for the largest credit any phone may get, but never more than the cap?"""
    assert window_ms([12, 80, 35]) == 80
    assert window_ms([12, 480]) == WINDOW_CAP_MS
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


@given(arrived=times, stamped=times, offset=st.floats(-1e4, 1e4), typical=st.floats(0, 300),
       allowance=st.floats(0, 300), congestion=st.floats(0, 300))
def test_a_compensated_press_lies_within_its_bound_before_arrival(arrived, stamped, offset, typical, allowance,
                                                                   congestion):
    """Whatever a phone stamps, is its press credited between arrival − (bound + congestion) and arrival?"""
    credit = Credit(typical=typical, bound=typical + allowance)
    press = Press(team=1, arrived_at=arrived, stamped_at=stamped, offset=offset, delay=typical, credit=credit,
                  congestion=congestion)
    assert arrived - credit.bound - congestion <= press.compensated_at <= arrived


def probed(one_way: float, jitter: float = 0.0, hold: float = 0.0, count: int = 16, offset: float = 0.0,
           every: float = 5000, drift: float = 0.0) -> ClockEstimate:
    """A phone probed ``count`` times: ``one_way`` each way plus ``jitter`` on every other answer;
    ``hold``: a doctored page answers that much late with its clock at the moment it replies."""
    estimate = ClockEstimate()
    for index in range(count):
        sent = index * every
        up = one_way + (jitter if index % 2 else 0)
        replied = sent + one_way + hold
        estimate.add(ClockSample(sent=sent, phone=replied + offset + drift * replied, received=replied + up))
    return estimate


def test_a_phone_holding_its_probe_answers_is_held_to_its_transport_ping():
    """Does a page answering probes 300 ms late get only the delay the transport's pong shows, and a flag?"""
    cheater = probed(20, hold=300)
    for _ in range(4):
        cheater.add_transport(40)
    credit = credit_for(cheater, peers=[15, 30, 25])
    assert cheater.delay > 150
    assert credit.flag == FLAG_INCONSISTENT
    assert credit.typical == pytest.approx(20) and credit.bound < 50


def test_an_honest_phone_agrees_with_its_transport_ping():
    """Is a phone whose probes and pongs agree neither flagged nor held back?"""
    honest = probed(20, jitter=4)
    honest.add_transport(46)
    credit = credit_for(honest, peers=[18, 25])
    assert credit.flag is None and credit.typical == pytest.approx(20)


def test_a_doctored_phone_pressing_after_an_honest_one_does_not_win():
    """A page that holds its probe answers 300 ms looks 150 ms farther: pressing 100 ms after an
    honest phone, with an honest stamp on its (mis-estimated) clock, does it still lose?"""
    cheater, honest = probed(20, hold=300), probed(20)
    cheater.add_transport(40)
    honest.add_transport(40)
    pressed = 100_000
    late = Press(team=1, arrived_at=pressed + 100 + 20, stamped_at=pressed + 100, offset=cheater.offset_at(pressed),
                 delay=cheater.delay, credit=credit_for(cheater, [honest.delay]))
    fair = Press(team=2, arrived_at=pressed + 20, stamped_at=pressed, offset=honest.offset_at(pressed),
                 delay=honest.delay, credit=credit_for(honest, [cheater.delay]))
    assert late.offset > 100  # the hold did skew its clock estimate: its stamp converts 150 ms early
    assert first_press([late, fair], "compensated").team == 2
    assert late.compensated_at >= pressed + 100


def test_a_phone_far_slower_than_its_peers_is_flagged_out_of_line_and_held_to_the_hall():
    """Is a phone (pongs held too) 60 ms slower than the slowest of its peers flagged, and credited
    no more than that line?"""
    far = credit_for(probed(170), peers=[15, 20, 25, 30])
    assert far.flag == FLAG_OUT_OF_LINE and far.typical == pytest.approx(90) and far.bound <= 90 + 5
    assert credit_for(probed(40), peers=[15, 20, 25, 30]).flag is None
    assert credit_for(probed(170), peers=[15, 20]).flag is None  # two phones are no picture of a hall


def test_an_honest_4g_phone_among_wifi_phones_keeps_its_credit():
    """A hall has Wi-Fi phones and a 4G phone at 100 ms: is a 4G phone at 150 ms, within 60 ms of the
    slowest peer, credited its own delay?"""
    credit = credit_for(probed(150), peers=[15, 20, 25, 100])
    assert credit.flag is None and credit.typical == pytest.approx(150)


def test_a_phone_holding_probe_answers_and_pongs_pressing_after_an_honest_one_does_not_win():
    """A rebuilt client holds its probe answers and its transport pongs 300 ms, so both look 150 ms
    farther and its clock 150 ms ahead; among phones at 15–30 ms, pressing 100 ms after an honest
    phone, does it lose and is it flagged?"""
    cheater, honest = probed(20, hold=300), probed(20)
    cheater.add_transport(340)
    honest.add_transport(40)
    peers = [15, 20, 25, 30]
    credit = credit_for(cheater, peers + [honest.delay])
    pressed = 100_000
    late = Press(team=1, arrived_at=pressed + 100 + 20, stamped_at=pressed + 100, offset=cheater.offset_at(pressed),
                 delay=cheater.delay, credit=credit)
    fair = Press(team=2, arrived_at=pressed + 20, stamped_at=pressed, offset=honest.offset_at(pressed),
                 delay=honest.delay, credit=credit_for(honest, peers + [cheater.delay]))
    assert credit.flag == FLAG_OUT_OF_LINE
    assert first_press([late, fair], "compensated").team == 2


def test_a_rebuilt_client_holding_probes_and_pongs_is_held_to_the_kernels_round_trip():
    """The kernel's TCP round trip (the phone's operating system answers it) joins the pongs: does a
    client holding both its probe answers and its pongs 300 ms get only the kernel's delay?"""
    cheater = probed(20, hold=300)
    for _ in range(4):
        cheater.add_transport(340)  # its held pongs
    cheater.add_kernel(41)  # the kernel's minimum round trip on its connection
    credit = credit_for(cheater, peers=[15, 20, 150, 170])  # a hall with 4G phones: the line does not catch it
    assert credit.flag == FLAG_INCONSISTENT and credit.typical == pytest.approx(20.5)


def test_a_busy_page_answering_probes_late_is_held_to_its_kernel_round_trip_but_not_flagged():
    """A page whose script is busy answers probes 40 ms late; the kernel's round trip has no such
    wait. Is the phone credited its network delay, without being called a cheat on the console?"""
    busy = probed(20, hold=40)
    busy.add_kernel(41)
    credit = credit_for(busy, peers=[15, 20, 25])
    assert credit.flag is None and credit.typical == pytest.approx(20.5)


def test_a_far_phone_whose_kernel_confirms_its_delay_is_not_held_to_the_hall():
    """An honest phone 170 ms away in a Wi-Fi hall: its kernel's round trip shows the distance is
    real, not held answers. Is it credited its own delay, unflagged?"""
    far = probed(170)
    far.add_kernel(341)
    credit = credit_for(far, peers=[15, 20, 25, 30])
    assert credit.flag is None and credit.typical == pytest.approx(170)


def test_a_phone_held_to_the_hall_line_is_not_taken_for_a_shaver():
    """An honest far phone held to the hall's line: its presses take its own delay, far beyond the
    line. Is its habit measured against its own probes, so it is not flagged for early stamps?"""
    far = probed(170, jitter=10)
    peers = [15, 20, 25, 30]
    for index in range(6):
        pressed = 100_000 + index * 30_000
        press = Press(team=1, arrived_at=pressed + 172, stamped_at=pressed, offset=far.offset_at(pressed),
                      delay=far.delay, credit=credit_for(far, peers))
        assert press.unexplained == pytest.approx(2)
        far.add_press(press.unexplained)
    assert credit_for(far, peers).flag == FLAG_OUT_OF_LINE


def test_no_phone_is_credited_more_than_the_window_cap():
    """However far a phone claims to be, pongs included, is its credit capped?"""
    far = probed(900)
    far.add_transport(1800)
    credit = credit_for(far, peers=[])
    assert credit.bound <= WINDOW_CAP_MS and credit.typical <= WINDOW_CAP_MS


def test_a_stamp_far_before_the_range_is_credited_only_the_typical_delay():
    """Does a press stamped 500 ms early get only the phone's typical delay, less than honest jitter would?"""
    credit = Credit(typical=30, bound=45)
    forged = Press(team=1, arrived_at=10_040, stamped_at=10_000 - 500, offset=0, delay=30, credit=credit)
    assert forged.compensated_at == 10_010


def test_an_honest_press_that_met_jitter_is_not_pushed_later():
    """A phone whose probes show jitter: is a press that waited 15 ms over its floor placed when it was pressed?

    The old clamp (no earlier than arrival − measured delay) put it 15 ms late."""
    estimate = probed(30, jitter=12)
    credit = credit_for(estimate, peers=[])
    press = Press(team=1, arrived_at=10_000 + 30 + 15, stamped_at=10_000, offset=estimate.offset_at(10_000),
                  delay=estimate.delay, credit=credit)
    assert press.compensated_at == pytest.approx(10_000, abs=1)


def test_a_press_stuck_in_a_queue_is_held_to_its_range_not_dropped_to_arrival():
    """Is a stamp a little before the plausible range held to the range's start?"""
    credit = Credit(typical=30, bound=45)
    press = Press(team=1, arrived_at=10_100, stamped_at=10_020, offset=0, delay=30, credit=credit)
    assert press.compensated_at == 10_100 - 45


def test_a_hall_wide_queue_at_the_press_is_allowed_to_every_press():
    """When every press waited ~30 ms more than usual, is each one still placed by its stamp?"""
    credit = Credit(typical=20, bound=25)
    presses = [Press(team=team, arrived_at=10_000 + 10 * team + 20 + 30, stamped_at=10_000 + 10 * team, offset=0,
                     delay=20, credit=credit) for team in range(4)]
    settled = with_congestion(presses)
    assert [press.compensated_at for press in settled] == [10_000, 10_010, 10_020, 10_030]
    assert first_press(presses, "compensated").team == 0


def test_one_phone_cannot_widen_its_own_congestion_allowance():
    """Does a forged stamp on one press not widen that press's own allowance?"""
    credit = Credit(typical=20, bound=25)
    honest = [Press(team=team, arrived_at=10_020 + team, stamped_at=10_000 + team, offset=0, delay=20, credit=credit)
              for team in range(3)]
    forged = Press(team=9, arrived_at=10_025, stamped_at=10_025 - 20 - 60, offset=0, delay=20, credit=credit)
    settled = with_congestion(honest + [forged])
    assert settled[-1].congestion == pytest.approx(0)
    assert first_press(honest + [forged], "compensated").team == 0


def test_the_offset_follows_a_drifting_clock():
    """A phone clock running 200 ppm fast, probed for 80 s: is its offset right at the press, 5 s later?"""
    estimate = probed(20, jitter=2, offset=1_000, drift=0.0002)
    press_time = 16 * 5000 + 5000
    assert estimate.offset_at(press_time) == pytest.approx(1_000 + 0.0002 * press_time, abs=1)


def test_the_transport_ping_keeps_only_recent_round_trips():
    """Are impossible (negative) transport round trips ignored?"""
    estimate = ClockEstimate()
    estimate.add_transport(-5)
    assert estimate.transport_delay is None
    estimate.add_transport(50)
    assert estimate.transport_delay == 25


def test_a_phone_that_keeps_shaving_its_stamps_loses_its_allowance():
    """A page stamping every press 30 ms early looks like an honest press that met a queue, once;
    press after press, is the phone flagged and held to its measured delay?"""
    shaver, honest = probed(40, jitter=12), probed(40, jitter=12)
    for excess in (4, 0, 9, 2, 6, 3):
        honest.add_press(excess)
        shaver.add_press(30 + excess)
    assert credit_for(honest, []).flag is None and credit_for(honest, []).bound > honest.delay
    shaved = credit_for(shaver, [])
    assert shaved.flag == FLAG_EARLY_STAMPS and shaved.bound == pytest.approx(shaver.delay)


def test_a_press_remembers_the_excess_its_queue_does_not_explain():
    """Is the window's queue taken off what a press is remembered to have claimed?"""
    press = Press(team=1, arrived_at=10_070, stamped_at=10_000, offset=0, delay=20, congestion=30)
    assert press.excess == 50 and press.unexplained == 20


def test_a_jittery_phone_that_keeps_shaving_is_caught_though_its_allowance_covers_the_shave():
    """A 4G phone whose probes wait up to 25 ms (allowance ~60 ms) stamps every press 30 ms early:
    the shave hides inside its allowance, but press after press its stamps claim more than its
    jitter explains. Is it flagged, while the same phone pressing honestly is not?"""
    shaver, honest = probed(150, jitter=50), probed(150, jitter=50)
    assert credit_for(honest, []).bound - honest.delay > 30  # one shaved press alone would be believed
    for excess in (-6, -2, 0, 1, -4, 3):
        honest.add_press(excess)
        shaver.add_press(30 + excess)
    assert credit_for(honest, []).flag is None
    assert credit_for(shaver, []).flag == FLAG_EARLY_STAMPS


def test_an_honest_jittery_phone_whose_presses_often_queue_is_not_taken_for_a_shaver():
    """A 4G phone's presses wait 0–60 ms in queues: four of six waited long (the median is far above
    its probes' jitter), but its fastest went at the path's floor. Is it left unflagged, while a
    phone adding 30 ms to the same presses is caught?"""
    honest, shaver = probed(150, jitter=20), probed(150, jitter=20)
    for excess in (2, 41, 35, 58, 44, 9):
        honest.add_press(excess)
        shaver.add_press(30 + excess)
    assert credit_for(honest, []).flag is None
    assert credit_for(shaver, []).flag == FLAG_EARLY_STAMPS


def test_a_phone_caught_shaving_is_credited_its_delay_whatever_it_stamps():
    """Once flagged, are the phone's stamps not believed at all (neither held to its range nor
    widened by the window's queue), so that it loses the race it pressed 20 ms late?"""
    shaver = probed(40, jitter=4)
    for excess in (30, 31, 29, 33, 30, 32):
        shaver.add_press(excess)
    credit = credit_for(shaver, [])
    assert not credit.stamps_believed
    queued = Credit(typical=20, bound=30)
    honest = [Press(team=team, arrived_at=10_000 + 20 + 25, stamped_at=10_000, offset=0, delay=20, credit=queued)
              for team in (1, 2)]  # both met a 25 ms queue: the window allows 25 ms more
    cheat = Press(team=3, arrived_at=10_020 + 40 + 2, stamped_at=10_020 - 30, offset=shaver.offset, delay=shaver.delay,
                  credit=credit)
    settled = with_congestion(honest + [cheat])
    assert settled[-1].compensated_at == pytest.approx(10_022)
    assert first_press(honest + [cheat], "compensated").team in (1, 2)


def test_a_phone_caught_shaving_is_no_witness_of_a_queue():
    """Do the inflated excesses of a flagged phone's presses not widen the other presses' range?"""
    caught = Credit(typical=20, bound=20, flag=FLAG_EARLY_STAMPS, stamps_believed=False)
    normal = Credit(typical=20, bound=25)
    presses = [Press(team=1, arrived_at=10_020, stamped_at=10_000, offset=0, delay=20, credit=normal),
               Press(team=2, arrived_at=10_020, stamped_at=10_000 - 45, offset=0, delay=20, credit=caught),
               Press(team=3, arrived_at=10_020, stamped_at=10_000 - 45, offset=0, delay=20, credit=caught)]
    assert with_congestion(presses)[0].congestion == 0


def test_the_longest_queue_of_the_other_teams_is_allowed():
    """A queue at the access point delays the presses behind it by different amounts: the first
    presser waited 30 ms, the others 5, 25 and 10. Is it allowed the longest wait of the others
    (the median, 10 ms, would place it after team 1), and does it win?"""
    credit = Credit(typical=20, bound=25)
    queues = {0: 30, 1: 5, 2: 25, 3: 10}
    presses = [Press(team=team, arrived_at=10_000 + 10 * team + 20 + queue, stamped_at=10_000 + 10 * team, offset=0,
                     delay=20, credit=credit) for team, queue in queues.items()]
    settled = with_congestion(presses)
    assert settled[0].congestion == pytest.approx(25) and settled[0].compensated_at == pytest.approx(10_000)
    assert first_press(presses, "compensated").team == 0


def test_a_queue_is_allowed_only_up_to_its_cap_and_not_from_the_same_team():
    """Does a second phone of the same team not widen its teammate's range, and is no queue
    allowed beyond CONGESTION_CAP_MS?"""
    credit = Credit(typical=20, bound=25)
    late = [Press(team=team, arrived_at=10_020 + 200, stamped_at=10_000, offset=0, delay=20, credit=credit)
            for team in (1, 2)]
    teammate = Press(team=9, arrived_at=10_020 + 40, stamped_at=10_000, offset=0, delay=20, credit=credit)
    me = Press(team=9, arrived_at=10_020, stamped_at=10_000, offset=0, delay=20, credit=credit)
    settled = with_congestion(late + [teammate, me])
    assert settled[-1].congestion == CONGESTION_CAP_MS
    assert with_congestion([late[0], teammate, me])[-1].congestion == 0  # one other team: no witness pair


def test_a_one_off_shave_gains_at_most_the_allowance_and_the_queue():
    """A phone with an honest past shaves one press: in that press it cannot be told from a press
    that met a queue. Does it gain no more than its allowance and the window's queue, however
    far it shaves?"""
    credit = Credit(typical=20, bound=30)
    arrived, pressed = 10_000 + 20, 10_000  # it really met no queue
    for shave in (10, 30, 500):
        press = Press(team=1, arrived_at=arrived, stamped_at=pressed - shave, offset=0, delay=20, credit=credit,
                      congestion=15)
        assert press.compensated_at >= pressed - (credit.bound - credit.typical) - 15
