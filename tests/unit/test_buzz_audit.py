"""The buzz record of the audit: does every press land under the question that was on screen when
it arrived, in the order the phones pressed, with what became of it and its clock estimates?"""
from contest import commands as c
from contest.press import PressRecord
from results.buzz_audit import buzz_audit, filter_buzz
from results.history import fold_history
from contest.rules import BuzzerRules, StageKind
from tests.unit.factories import Match
from tests.unit.test_rules_support import T1, T2, T3, in_stage


def press(team: int, arrived_at: int, *, pressed_at: int | None = None, event=None, outcome: str = "accepted",
          offset: float | None = None, delay: float | None = None, stamped_at: float | None = None,
          token: int | None = None) -> PressRecord:
    """A stored press: accepted when it became ``event``, else refused with ``outcome``."""
    return PressRecord(
        team_id=team, connection=f"sid-of-{team}-phone", open_token=token, stamped_at=stamped_at,
        arrived_at=arrived_at, offset_ms=offset, delay_ms=delay,
        pressed_at=arrived_at if pressed_at is None else pressed_at, arbitration="compensated",
        accepted=event is not None, outcome="accepted" if event is not None else outcome,
        event_seq=event.seq if event is not None else None,
    )


def last(match: Match):
    """The event the last command gave."""
    return match.events[-1]


def buzzer_match(**rules) -> Match:
    """A three-team buzzer stage on its title card."""
    return in_stage(StageKind.BUZZER, buzzer=BuzzerRules(**rules))


def test_an_early_press_during_reading_belongs_to_the_question_and_reads_as_a_foul():
    """Is a foul during reading listed under its question before the winner, as "开始抢答前"?"""
    match = buzzer_match()
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T2, pressed_at=match.now + 40), after_ms=50)
    foul = last(match)
    match.do(c.OpenBuzzers())
    opened = last(match)
    match.do(c.Buzz(team=T3), after_ms=300)
    won = last(match)
    presses = [press(T2, foul.at, pressed_at=foul.at - 10, event=foul),
               press(T3, won.at, event=won),
               press(T1, won.at + 20, outcome="抢答已结束，3号 队伍3已抢到")]
    [question] = buzz_audit(fold_history(match.events), presses)
    assert (question.heading, question.question_id) == ("抢答题 第1题", "BUZ-1")
    assert question.stem == "BUZ 选择题 1"
    assert [opening.token for opening in question.openings] == [opened.token]
    assert [(line.rank, line.team_text, line.verdict) for line in question.lines] == [
        (1, "2号 队伍2", "提前抢答（犯规 −10）"),
        (2, "3号 队伍3", "抢到"),
        (3, "1号 队伍1", "抢答已结束，3号 队伍3已抢到"),
    ]
    early, winner, late = question.lines
    assert (early.opening, early.since_text(early.since_pressed)) == (None, "开始抢答前")
    assert winner.since_text(winner.since_pressed) == "开始抢答后 +300 ms"
    assert late.since_text(late.since_arrived) == "开始抢答后 +320 ms"
    assert [line.won for line in question.lines] == [False, True, False]


def test_the_presses_of_a_second_opening_are_listed_with_the_first_and_their_token():
    """With 补答, are both openings' presses in one group, each press naming the opening it answered?"""
    match = buzzer_match(second_chance=True)
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    first_opening = last(match)
    match.do(c.Buzz(team=T1), after_ms=200)
    first_win = last(match)
    match.do(c.Judge(verdict="wrong"))
    match.do(c.OpenBuzzers(), after_ms=1_000)
    second_opening = last(match)
    match.do(c.Buzz(team=T2), after_ms=150)
    second_win = last(match)
    match.do(c.Judge(verdict="right"))
    match.do(c.NextQuestion())
    next_question = last(match)
    presses = [press(T1, first_win.at, event=first_win), press(T2, second_win.at, event=second_win),
               press(T3, next_question.at, pressed_at=next_question.at - 30,
                     outcome="现在不能抢答，请等待主持人出题并开始抢答")]  # pressed on 第1题, arrived on 第2题
    first, second = buzz_audit(fold_history(match.events), presses)
    assert [(o.token, o.ordinal) for o in first.openings] == [(first_opening.token, 1), (second_opening.token, 2)]
    assert [(line.team_text, line.opening.token) for line in first.lines] == [
        ("1号 队伍1", first_opening.token), ("2号 队伍2", second_opening.token)]
    assert first.lines[1].since_text(first.lines[1].since_pressed) == "第2次开始抢答后 +150 ms"
    assert (second.heading, [line.team_text for line in second.lines]) == ("抢答题 第2题", ["3号 队伍3"])


def test_presses_are_ordered_by_compensated_press_time_not_arrival():
    """Does a farther phone that pressed first come first although its press arrived later?"""
    match = buzzer_match()
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    opened_at = match.now
    near = press(T1, opened_at + 200, pressed_at=opened_at + 190, offset=5.4, delay=10.2, stamped_at=opened_at + 195.4,
                 outcome="抢答已结束，2号 队伍2已抢到")
    far = press(T2, opened_at + 230, pressed_at=opened_at + 150, offset=-1000.0, delay=80.0,
                stamped_at=opened_at - 850.0, outcome="抢答已结束，2号 队伍2已抢到")
    [question] = buzz_audit(fold_history(match.events), [near, far])
    assert [line.team_text for line in question.lines] == ["2号 队伍2", "1号 队伍1"]
    first, second = question.lines
    assert (first.stamped_server, first.offset_text, first.delay_text) == (opened_at + 150, "−1000 ms", "80 ms")
    assert (second.stamped_server, second.offset_text, second.delay_text) == (opened_at + 190, "+5 ms", "10 ms")
    assert (first.since_pressed, first.since_arrived) == (150, 230)
    assert first.arbitration_text == "校正延迟"


def test_equal_press_times_are_ordered_by_arrival():
    """When two compensated times are equal, does the earlier arrival come first?"""
    match = buzzer_match()
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    at = match.now
    later, sooner = press(T1, at + 90, pressed_at=at + 50), press(T2, at + 60, pressed_at=at + 50)
    [question] = buzz_audit(fold_history(match.events), [later, sooner])
    assert [line.record.team_id for line in question.lines] == [T2, T1]


def test_an_unknown_clock_reads_unknown_and_has_no_converted_stamp():
    """Without a clock estimate, are offset, delay and the converted stamp unknown, and the phone id short?"""
    match = buzzer_match()
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    [question] = buzz_audit(fold_history(match.events), [press(T1, match.now + 5, stamped_at=123456.0, outcome="x")])
    [line] = question.lines
    assert (line.offset, line.delay, line.stamped_server) == (None, None, None)
    assert (line.offset_text, line.delay_text, line.phone) == ("未知", "未知", "sid-of")


def test_an_undone_win_says_so():
    """Is a winning press whose BuzzWon the host took back marked as undone, and no longer the winner?"""
    match = buzzer_match()
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T1))
    won = last(match)
    match.do(c.Undo(actor="host:alice"))
    [question] = buzz_audit(fold_history(match.events), [press(T1, won.at, event=won)])
    assert (question.lines[0].verdict, question.lines[0].won) == ("抢到（已撤销）", False)


def test_a_press_before_any_question_has_its_own_group():
    """Is a press on the stage's title card listed as "（未出题）", apart from the first question?"""
    match = buzzer_match()
    title_card_at = match.now
    match.do(c.NextQuestion())
    [card, _first] = buzz_audit(fold_history(match.events), [press(T1, title_card_at + 1, outcome="现在不能抢答"),
                                                press(T2, match.now, outcome="x")])
    assert card.heading == "抢答题（未出题）" and card.openings == ()


def test_the_filters_keep_each_press_rank_in_its_question():
    """Filtered by team, does a press keep its rank among all presses, and by stage drop other stages?"""
    match = buzzer_match()
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    at = match.now
    questions = buzz_audit(fold_history(match.events), [press(T1, at + 10), press(T2, at + 20), press(T3, at + 30)])
    [mine] = filter_buzz(questions, team=T3)
    assert [(line.rank, line.record.team_id) for line in mine.lines] == [(3, T3)]
    assert filter_buzz(questions, stage=questions[0].stage_index) == questions
    assert filter_buzz(questions, stage=questions[0].stage_index + 1) == []
    assert filter_buzz(questions, team=999) == []


def race_question(**rules):
    """A question where 3号 presses first, 1号 18 ms later (twice), 2号 42 ms later; 2号 also fouled before."""
    match = buzzer_match(**rules)
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    opened_at = match.now
    presses = [press(T2, opened_at - 5, pressed_at=opened_at - 30, outcome="提前"),
               press(T3, opened_at + 120, pressed_at=opened_at + 100, outcome="x"),
               press(T1, opened_at + 125, pressed_at=opened_at + 118, outcome="x"),
               press(T1, opened_at + 160, pressed_at=opened_at + 150, outcome="x"),
               press(T2, opened_at + 150, pressed_at=opened_at + 142, outcome="x")]
    [question] = buzz_audit(fold_history(match.events), presses)
    return question


def test_the_race_lists_each_team_once_with_its_ms_behind_the_first():
    """Is the race "3号 +0 ms · 1号 +18 ms · 2号 +42 ms": after the opening, each team's first press?"""
    assert race_question().race_text == "3号 +0 ms · 1号 +18 ms · 2号 +42 ms"


def test_the_race_is_hidden_when_the_stage_turns_it_off():
    """With show_race off, is there no race line?"""
    assert race_question(show_race=False).race_text == ""
