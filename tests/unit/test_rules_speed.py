"""速答题: does each team get its packet and its window, and does the window clock rule the turn?"""
from dataclasses import replace

from contest import commands as c
from contest.rules import SpeedRules, StageKind
from contest.state import Phase
from tests.unit.factories import make_questions
from tests.unit.test_rules_support import T1, T2, T3, in_stage, name, refuse, stage_with


def first_packet(**rules):
    """A speed stage (packets of 3 unless told) with seat 1's packet running."""
    match = in_stage(StageKind.SPEED, speed=SpeedRules(**{"packet_size": 3, **rules}))
    match.do(c.NextQuestion())
    return match


def test_a_turn_opens_the_team_s_packet_and_window():
    """Does NextQuestion give seat 1 the first question of its packet and a 40-second window?"""
    match = in_stage(StageKind.SPEED, speed=SpeedRules(packet_size=3))
    state = match.do(c.NextQuestion())
    stage = state.stage
    assert (stage.holder, stage.phase, stage.question.id, stage.packet_position) == (T1, Phase.ANSWERING, "SPD-1", 1)
    assert (stage.clock_started, stage.deadline) == (match.now, match.now + 40_000)


def test_the_window_is_a_setting():
    """Does window=60 give a 60-second window?"""
    match = in_stage(StageKind.SPEED, speed=SpeedRules(packet_size=3, window=60))
    assert match.do(c.NextQuestion()).stage.deadline == match.now + 60_000


def test_each_team_gets_its_own_packet_of_n_in_seat_order():
    """Do the packets of 3 go to seats 1, 2, 3 with questions 1–3, 4–6, 7–9?"""
    match = in_stage(StageKind.SPEED, speed=SpeedRules(packet_size=3))
    seen = []
    for _ in range(3):
        state = match.do(c.NextQuestion())
        ids = [state.stage.question.id]
        for _ in range(2):
            ids.append(match.do(c.Pass()).stage.question.id)
        seen.append((state.stage.holder, ids))
        match.do(c.Pass())
    assert seen == [(T1, ["SPD-1", "SPD-2", "SPD-3"]), (T2, ["SPD-4", "SPD-5", "SPD-6"]),
                    (T3, ["SPD-7", "SPD-8", "SPD-9"])]
    refuse(match, c.NextQuestion(), "所有队伍都已完成速答，请结束本环节")


def test_right_answers_are_counted_and_scored():
    """Do right, wrong, right give +20 and a count of two rights?"""
    match = first_packet()
    for verdict in ("right", "wrong", "right"):
        state = match.do(c.Judge(verdict=verdict))
    assert (state.scores[T1], state.stage.right_count) == (120, 2)
    assert state.scores[T2] == state.scores[T3] == 100


def test_a_custom_points_wrong_is_applied_in_the_speed_round():
    """Does points_wrong=-5 take 5 points for each wrong answer?"""
    match = first_packet(points_wrong=-5)
    match.do(c.Judge(verdict="wrong"))
    assert match.do(c.Judge(verdict="wrong")).scores[T1] == 90


def test_a_question_s_own_points_count_in_the_speed_round():
    """Does a speed question worth 5 give 5 for a right answer?"""
    questions = (replace(make_questions("OWN", 1, "true_false")[0], points=5),) + make_questions("SPD", 8)
    match = stage_with(StageKind.SPEED, questions, speed=SpeedRules(packet_size=3))
    match.do(c.NextQuestion())
    assert match.do(c.Judge(verdict="right")).scores[T1] == 105


def test_each_verdict_shows_the_next_question_of_the_packet():
    """Does a verdict move the team to the packet's next question without stopping the clock?"""
    match = first_packet()
    deadline = match.state.stage.deadline
    state = match.do(c.Judge(verdict="right"), after_ms=5_000)
    stage = state.stage
    assert (stage.phase, stage.question.id, stage.packet_position, stage.deadline) == \
        (Phase.ANSWERING, "SPD-2", 2, deadline)


def test_a_pass_moves_on_without_points():
    """Does Pass show the next question and score nothing?"""
    match = first_packet(points_wrong=-5)
    state = match.do(c.Pass())
    assert (state.scores[T1], state.stage.question.id, state.stage.right_count) == (100, "SPD-2", 0)
    assert match.events[-1].kind == "Passed" and match.events[-1].team == T1


def test_the_window_clock_keeps_running_across_questions():
    """Is the deadline of the window the same after several answers and passes?"""
    match = first_packet(packet_size=5)
    deadline = match.state.stage.deadline
    for command in (c.Judge(verdict="right"), c.Pass(), c.Judge(verdict="wrong")):
        assert match.do(command, after_ms=7_000).stage.deadline == deadline
    refuse(match, c.TimeOut(), "时间未到（还剩 19 秒）")


def test_the_window_s_timeout_ends_the_turn():
    """Does the window's TimeOut end the team's turn, keeping its points and giving none for the open question?"""
    match = first_packet(points_wrong=-5)
    match.do(c.Judge(verdict="right"), after_ms=10_000)
    state = match.do(c.TimeOut(actor="clock"), after_ms=30_000)
    stage = state.stage
    assert (stage.phase, stage.question, stage.deadline, stage.right_count) == (Phase.TURN_OVER, None, None, 1)
    assert state.scores[T1] == 110
    assert (match.events[-1].team, match.events[-1].delta) == (T1, 0)


def test_the_window_s_timeout_before_its_end_is_refused():
    """Is the window's TimeOut refused before the window ends?"""
    refuse(first_packet(), c.TimeOut(), "时间未到（还剩 1 秒）", after_ms=39_001)


def test_the_packet_ending_early_ends_the_turn():
    """Does answering the whole packet before the window ends close the turn and stop the clock?"""
    match = first_packet()
    for verdict in ("right", "right", "right"):
        state = match.do(c.Judge(verdict=verdict))
    assert (state.stage.phase, state.stage.deadline, state.stage.right_count) == (Phase.TURN_OVER, None, 3)
    refuse(match, c.TimeOut(), "当前没有在计时", after_ms=60_000)
    refuse(match, c.Judge(verdict="right"), "现在没有待判定的作答")
    assert match.do(c.NextQuestion()).stage.holder == T2


def test_a_short_last_packet_ends_with_the_questions():
    """When the stage has one question too few, does the last team's packet end after the questions left?"""
    questions = make_questions("SPD", 8, "true_false")
    match = stage_with(StageKind.SPEED, questions, speed=SpeedRules(packet_size=3))
    for _ in range(2):
        match.do(c.NextQuestion())
        for _ in range(3):
            match.do(c.Pass())
    match.do(c.NextQuestion())
    match.do(c.Judge(verdict="right"))
    state = match.do(c.Judge(verdict="right"))
    assert (state.stage.holder, state.stage.phase, state.scores[T3]) == (T3, Phase.TURN_OVER, 120)


def test_a_team_without_questions_left_is_refused():
    """Is a team's turn refused when no question is left for its packet, naming the team?"""
    match = stage_with(StageKind.SPEED, make_questions("SPD", 3, "true_false"), speed=SpeedRules(packet_size=3))
    match.do(c.NextQuestion())
    for _ in range(3):
        match.do(c.Pass())
    refuse(match, c.NextQuestion(), f"速答题不足，{name(T2)}没有题目")


def test_the_next_packet_waits_while_one_runs():
    """Is NextQuestion refused while a team's packet runs?"""
    match = first_packet()
    match.do(c.Judge(verdict="right"))
    refuse(match, c.NextQuestion(), "本题尚未结束，请先判定或等待计时结束")


def test_pass_outside_a_packet_is_refused():
    """Is Pass refused on the title card and once the turn is over?"""
    match = in_stage(StageKind.SPEED, speed=SpeedRules(packet_size=1))
    refuse(match, c.Pass(), "现在没有可以过的题")
    match.do(c.NextQuestion())
    match.do(c.Pass())
    refuse(match, c.Pass(), "现在没有可以过的题")


def test_pass_outside_the_speed_round_is_refused():
    """Is Pass refused in a buzzer stage?"""
    refuse(in_stage(StageKind.BUZZER), c.Pass(), "「抢答题」环节不能过题")


def test_the_speed_round_takes_no_phone_answers():
    """Is a phone answer refused in the speed round, which is oral?"""
    refuse(first_packet(), c.SubmitAnswer(team=T1, choice="对"), "本环节为口头作答，请口头回答主持人")


def test_the_speed_round_can_end_between_packets_only():
    """Is EndStage refused while a packet runs, and accepted once it is over?"""
    match = first_packet(packet_size=1)
    refuse(match, c.EndStage(), "本题尚未结束，请先判定或等待计时结束")
    match.do(c.Judge(verdict="right"))
    assert match.do(c.EndStage()).played_stages == [0]
