"""Judge corrections and Undo: is every score change correctable, with a reason, and kept in the record?"""
import pytest

from contest import commands as c
from contest.engine import is_accepted, replay
from contest.events import DecisionUndone
from contest.rules import BuzzerRules, StageKind
from contest.scoring import standings
from contest.state import ContestStatus, Phase
from tests.unit.factories import Match, make_config
from tests.unit.test_rules_support import T1, T2, T3, in_stage, refuse, tied_at_the_end


def question_up(kind: StageKind = StageKind.REQUIRED, **rules) -> Match:
    """A stage of ``kind`` with its first question (or packet) up for seat 1."""
    match = in_stage(kind, **rules)
    match.do(c.NextQuestion())
    return match


def finished() -> Match:
    """A finished contest of three teams: T2 130, T1 120, T3 100."""
    match = tied_at_the_end(3, {T1: 120, T2: 130})
    match.do(c.FinishContest())
    return match


def undone(match: Match) -> DecisionUndone:
    """The DecisionUndone event just recorded, checked to be the log's last."""
    event = match.events[-1]
    assert isinstance(event, DecisionUndone)
    return event


# --- AdjustScore ------------------------------------------------------------------------------


def test_an_adjustment_changes_the_score_with_its_reason():
    """Does AdjustScore add its delta and keep its reason (trimmed) in the event?"""
    match = Match(make_config(3))
    state = match.do(c.AdjustScore(team=T2, delta=-5, reason="  评委更正：提示作答  ", actor="host:judge"))
    assert state.scores == {T1: 100, T2: 95, T3: 100}
    event = match.events[-1]
    assert (event.kind, event.team, event.delta, event.reason, event.actor) == \
        ("ScoreAdjusted", T2, -5, "评委更正：提示作答", "host:judge")


@pytest.mark.parametrize("delta", [0, 2.5, True, "5"])
def test_an_adjustment_needs_a_non_zero_whole_delta(delta):
    """Is an adjustment of 0, a fraction, a boolean or a string refused?"""
    refuse(Match(), c.AdjustScore(team=T1, delta=delta, reason="更正"), "调整分数必须是非零整数")


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_adjustment_needs_a_reason(reason):
    """Is an adjustment without a reason refused?"""
    refuse(Match(), c.AdjustScore(team=T1, delta=5, reason=reason), "调整分数必须说明原因")


def test_an_adjustment_needs_a_team_of_the_contest():
    """Is an adjustment for a team that does not play refused?"""
    refuse(Match(), c.AdjustScore(team=999, delta=5, reason="更正"), "没有编号为 999 的队伍")


def test_an_adjustment_is_allowed_during_a_question():
    """Can the judges correct a score while a team is answering, without disturbing the question?"""
    match = question_up()
    before = match.state.stage
    state = match.do(c.AdjustScore(team=T3, delta=10, reason="上题更正"))
    assert state.scores[T3] == 110 and state.stage == before


def test_an_adjustment_after_the_finish_shows_in_the_standings():
    """Is a judge correction accepted after the finish, and do the standings follow it?"""
    match = finished()
    assert [s.team for s in standings(match.state)] == [T2, T1, T3]
    state = match.do(c.AdjustScore(team=T3, delta=50, reason="赛后复核"))
    assert state.status == ContestStatus.FINISHED
    assert [(s.team, s.score) for s in standings(state)] == [(T3, 150), (T2, 130), (T1, 120)]


# --- Undo -------------------------------------------------------------------------------------


def test_undoing_a_verdict_restores_the_score_and_the_phase():
    """Does Undo of a right verdict take the points back and let the team answer again?"""
    match = question_up()
    match.do(c.Judge(verdict="right"))
    state = match.do(c.Undo())
    assert (state.scores[T1], state.stage.phase, state.stage.holder, state.stage.verdict) == \
        (100, Phase.ANSWERING, T1, None)
    assert match.do(c.Judge(verdict="wrong")).scores[T1] == 100


def test_undo_gives_a_running_clock_its_time_back():
    """Does the answer clock resume with the time it had when the undone verdict was given?"""
    match = question_up()
    shown = match.now
    match.do(c.Judge(verdict="wrong"), after_ms=5_000)
    state = match.do(c.Undo(), after_ms=3_000)
    assert (state.stage.deadline, state.stage.clock_started) == (shown + 33_000, shown + 3_000)
    refuse(match, c.TimeOut(), "时间未到（还剩 25 秒）")


def test_undo_twice_over_a_redone_verdict_keeps_the_time_left():
    """After undo, a new verdict and its undo, is the time left still the time left at that verdict?"""
    match = question_up()
    shown = match.now
    match.do(c.Judge(verdict="wrong"), after_ms=5_000)  # 25 s left
    match.do(c.Undo(), after_ms=3_000)  # clock runs again with 25 s
    match.do(c.Judge(verdict="right"), after_ms=2_000)  # 23 s left
    state = match.do(c.Undo(), after_ms=4_000)
    assert state.stage.deadline == match.now + 23_000 == shown + 37_000
    refuse(match, c.TimeOut(), "时间未到（还剩 23 秒）")


def test_undoing_a_correction_keeps_the_time_an_earlier_undo_gave_back():
    """After an undo gave the clock its time back, does undoing a later correction leave that time alone?"""
    match = question_up()
    match.do(c.Judge(verdict="wrong"), after_ms=5_000)
    deadline = match.do(c.Undo(), after_ms=3_000).stage.deadline
    match.do(c.AdjustScore(team=T2, delta=5, reason="更正"), after_ms=1_000)
    state = match.do(c.Undo(), after_ms=500)
    assert state.stage.deadline == deadline + 500
    assert state.scores[T2] == 100


def test_undo_gives_the_speed_window_its_time_back():
    """Does undoing a speed verdict restore the answer and the window's time left at that verdict?"""
    match = question_up(StageKind.SPEED)
    deadline = match.state.stage.deadline
    match.do(c.Judge(verdict="right"), after_ms=4_000)
    state = match.do(c.Undo(), after_ms=6_000)
    assert (state.stage.deadline, state.stage.question.id, state.stage.right_count, state.scores[T1]) == \
        (deadline + 6_000, "SPD-1", 0, 100)


def test_undoing_an_early_buzz_gives_the_points_and_the_question_back():
    """Does Undo of a foul give back its points and let the team buzz on this question?"""
    match = in_stage(StageKind.BUZZER, buzzer=BuzzerRules())
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T2))
    state = match.do(c.Undo())
    assert (state.scores[T2], state.stage.out, state.stage.buzzes) == (100, set(), [])
    match.do(c.OpenBuzzers())
    assert match.do(c.Buzz(team=T2)).stage.holder == T2


def test_undoing_a_won_buzz_reopens_the_buzzers():
    """Does Undo of a won buzz reopen the buzzers with the window time left when it was won?"""
    match = in_stage(StageKind.BUZZER)
    match.do(c.NextQuestion())
    opened = match.do(c.OpenBuzzers()).stage.deadline
    assert match.do(c.Buzz(team=T1), after_ms=2_000).stage.holder == T1
    state = match.do(c.Undo(), after_ms=1_000)
    assert (state.stage.phase, state.stage.holder, state.stage.deadline) == (Phase.BUZZING, None, opened + 1_000)
    assert match.do(c.Buzz(team=T3)).stage.holder == T3


@pytest.mark.parametrize("first, second", [("right", "void"), ("void", "right")])
def test_undoing_a_verdict_recounts_the_planned_questions(first, second):
    """With one question planned, does undoing its verdict and judging again offer NextQuestion exactly
    when the question ends up void, and do the count and the replay agree?"""
    match = in_stage(StageKind.BUZZER, buzzer=BuzzerRules(question_count=1))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T1))
    state = match.do(c.Judge(verdict=first))
    assert is_accepted(state, c.NextQuestion(), match.now) == (first == "void")
    assert match.do(c.Undo()).stage.played_questions == set()
    state = match.do(c.Judge(verdict=second))
    assert is_accepted(state, c.NextQuestion(), match.now) == (second == "void")
    assert replay(match.events) == state


def test_repeated_undo_walks_back_one_decision_at_a_time():
    """Does each Undo take back the previous decision, down to the contest's start?"""
    match = question_up()
    match.do(c.Judge(verdict="right"))
    match.do(c.RevealAnswer())
    steps = []
    for _ in range(5):
        state = match.do(c.Undo())
        steps.append((state.status, state.stage.phase if state.stage else None, state.scores.get(T1)))
    assert steps == [
        (ContestStatus.RUNNING, Phase.JUDGED, 110),
        (ContestStatus.RUNNING, Phase.ANSWERING, 100),
        (ContestStatus.RUNNING, Phase.INTRO, 100),
        (ContestStatus.RUNNING, None, 100),
        (ContestStatus.NOT_STARTED, None, None),
    ]
    assert [undone.target_kind for undone in match.events if isinstance(undone, DecisionUndone)] == \
        ["AnswerRevealed", "Judged", "QuestionShown", "StageStarted", "ContestStarted"]
    refuse(match, c.Undo(), "没有可以撤销的操作")


def test_undo_with_nothing_to_undo_is_refused():
    """Is Undo refused when only the contest's creation is on record?"""
    refuse(Match(start=False), c.Undo(), "没有可以撤销的操作")


def test_the_finish_cannot_be_undone():
    """Is Undo refused right after FinishContest, pointing to a correction instead?"""
    refuse(finished(), c.Undo(), "比赛已结束，不能撤销；如需更正请调整分数并说明原因")


def test_an_adjustment_after_the_finish_can_be_undone():
    """Can a correction made after the finish be taken back, leaving the contest finished?"""
    match = finished()
    match.do(c.AdjustScore(team=T3, delta=50, reason="赛后复核"))
    state = match.do(c.Undo())
    assert (state.status, state.scores[T3], undone(match).target_kind) == (ContestStatus.FINISHED, 100, "ScoreAdjusted")
    refuse(match, c.Undo(), "比赛已结束，不能撤销；如需更正请调整分数并说明原因")


def test_the_undone_decision_stays_in_the_log():
    """Is the undone event kept in the log, named by a DecisionUndone, and does the log replay to the state?"""
    match = question_up()
    match.do(c.Judge(verdict="right"))
    judged = match.events[-1]
    state = match.do(c.Undo(actor="host:alice"))
    event = undone(match)
    assert (event.target_seq, event.target_kind, event.actor, event.seq) == \
        (judged.seq, "Judged", "host:alice", judged.seq + 1)
    assert judged in match.events and judged not in state.history
    assert state.seq == event.seq
    assert replay(match.events) == state


def test_a_log_with_several_undos_replays_to_the_same_state():
    """Does a log with undos, redone verdicts and a clock given back replay to exactly the live state?"""
    match = question_up()
    match.do(c.Judge(verdict="wrong"), after_ms=5_000)
    match.do(c.Undo(), after_ms=3_000)
    match.do(c.Judge(verdict="right"), after_ms=2_000)
    match.do(c.Undo(), after_ms=4_000)
    match.do(c.AdjustScore(team=T2, delta=5, reason="更正"))
    match.do(c.Undo())
    state = match.do(c.Judge(verdict="right"))
    assert replay(match.events) == state
    assert state.scores == {T1: 110, T2: 100, T3: 100}


# --- undoing a timeout ------------------------------------------------------------------------


def timed_out(kind: StageKind = StageKind.REQUIRED) -> Match:
    """The first question (or packet) of a ``kind`` stage, its clock run out and the timeout undone."""
    match = question_up(kind)
    match.do(c.TimeOut(actor="clock"), after_ms=match.state.stage.deadline - match.now)
    match.do(c.Undo(), after_ms=50)
    return match


@pytest.mark.parametrize("kind", [StageKind.REQUIRED, StageKind.SPEED])
def test_undoing_a_timeout_stops_the_clock_so_the_host_judges(kind):
    """Does undoing a timeout leave the question open with no deadline, so the clock cannot time it out again,
    and does the host's verdict then count?"""
    match = timed_out(kind)
    state = match.state
    assert (state.stage.phase, state.stage.holder, state.stage.deadline, state.stage.clock_stopped) == \
        (Phase.ANSWERING, T1, None, True)
    refuse(match, c.TimeOut(actor="clock"), "当前没有在计时", after_ms=60_000)
    assert match.do(c.Judge(verdict="right")).scores[T1] == 110
    assert replay(match.events) == match.state


def test_after_an_undone_timeout_the_speed_turn_ends_with_the_judged_answer():
    """Speed: the window had run out, so is the answer judged after the undone timeout the packet's last?"""
    match = timed_out(StageKind.SPEED)
    state = match.do(c.Judge(verdict="right"))
    assert (state.stage.phase, state.stage.question, state.stage.right_count) == (Phase.TURN_OVER, None, 1)


def test_undoing_a_buzzer_timeout_keeps_the_buzzers_open_without_a_clock():
    """Does undoing "nobody buzzed" reopen the buzzers with no deadline, so a team may still buzz?"""
    match = in_stage(StageKind.BUZZER)
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.TimeOut(actor="clock"), after_ms=match.state.stage.deadline - match.now)
    state = match.do(c.Undo(), after_ms=50)
    assert (state.stage.phase, state.stage.deadline) == (Phase.BUZZING, None)
    state = match.do(c.Buzz(team=T2), after_ms=30_000)
    assert (state.stage.holder, state.stage.deadline) == (T2, match.now + 20_000)


def test_undoing_a_verdict_after_an_undone_timeout_keeps_the_clock_stopped():
    """After the host judged the question whose timeout was undone, does undoing that verdict leave the
    clock stopped rather than restarting an expired one?"""
    match = timed_out()
    match.do(c.Judge(verdict="wrong"), after_ms=2_000)
    state = match.do(c.Undo(), after_ms=1_000)
    assert (state.stage.phase, state.stage.deadline, state.stage.clock_stopped) == (Phase.ANSWERING, None, True)
    assert replay(match.events) == state


def test_the_next_question_after_an_undone_timeout_has_its_clock():
    """Does the clock run again for the next question once the stopped one is judged?"""
    match = timed_out()
    match.do(c.Judge(verdict="right"))
    state = match.do(c.NextQuestion())
    assert (state.stage.holder, state.stage.deadline, state.stage.clock_stopped) == (T2, match.now + 30_000, False)
