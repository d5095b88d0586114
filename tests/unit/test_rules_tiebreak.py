"""加赛: is a tie on a prize boundary played off among exactly the tied teams, without changing scores?"""
import pytest

from contest import commands as c
from contest.rules import StageKind, TiebreakRules
from contest.engine import available_commands
from contest.scoring import pending_ties, prize_name, standings
from contest.views import for_display
from contest.state import ContestStatus, Phase, Verdict
from tests.unit.factories import Match, make_config
from tests.unit.test_rules_support import T1, T2, T3, T4, T5, T6, buzz_in, name, refuse, set_scores
from tests.unit.test_rules_support import skip_stages, tied_at_the_end, with_questions

PAIR = {T1: 130, T2: 130, T3: 110, T4: 100}  # T1 and T2 tie across the first-prize boundary
TRIO = {T1: 130, T2: 130, T3: 130, T4: 100}  # three teams tie across it


def tiebreak(scores: dict[int, int], teams: tuple[int, ...], **rules) -> Match:
    """A contest at its end with ``scores``, its tiebreak among ``teams`` started."""
    match = tied_at_the_end(len(scores), scores, **rules)
    match.do(c.StartTiebreak(teams=teams))
    return match


def places(match: Match) -> list[tuple[int, int, int, str]]:
    """The standings as (place, team, score, prize name)."""
    return [(line.place, line.team, line.score, prize_name(line.prize)) for line in standings(match.state)]


# --- starting ---------------------------------------------------------------------------------


def test_a_tiebreak_starts_among_exactly_the_tied_group():
    """Does StartTiebreak accept the pending group, in any order, and seat its teams in seat order?"""
    match = tied_at_the_end(4, PAIR)
    assert pending_ties(match.state) == [(T1, T2)]
    state = match.do(c.StartTiebreak(teams=(T2, T1)))
    stage = state.stage
    assert (stage.kind, stage.order, stage.phase, stage.remaining) == (StageKind.TIEBREAK, (T1, T2), Phase.INTRO,
                                                                       [T1, T2])
    assert match.events[-1].teams == (T1, T2)


def test_a_tiebreak_among_other_teams_is_refused():
    """Is a tiebreak refused for a part of the group, a larger group or other teams, naming the pending one?"""
    match = tied_at_the_end(4, PAIR)
    message = f"只能在同分且影响获奖名次的队伍之间加赛（当前需要加赛：{name(T1)}、{name(T2)}）"
    for teams in [(T1,), (T1, T2, T3), (T3, T4), (T1, T1, T2)]:
        refuse(match, c.StartTiebreak(teams=teams), message)


def test_a_tie_inside_one_prize_level_needs_no_tiebreak():
    """Is a tiebreak refused for two teams tied inside the second-prize level?"""
    match = tied_at_the_end(4, {T1: 130, T2: 120, T3: 120, T4: 100})
    refuse(match, c.StartTiebreak(teams=(T2, T3)), "只能在同分且影响获奖名次的队伍之间加赛（当前需要加赛：无）")


def test_a_tiebreak_needs_a_tiebreak_stage():
    """Is StartTiebreak refused in a contest configured without a tiebreak stage?"""
    match = Match(make_config(4, stages=(StageKind.REQUIRED,)))
    skip_stages(match)
    set_scores(match, PAIR)
    refuse(match, c.StartTiebreak(teams=(T1, T2)), "本场比赛未设置加赛环节")


def test_a_tiebreak_waits_for_every_stage():
    """Is a tiebreak refused while regular stages remain to be played?"""
    match = Match(make_config(4, stages=(StageKind.REQUIRED, StageKind.TIEBREAK)))
    set_scores(match, PAIR)
    refuse(match, c.StartTiebreak(teams=(T1, T2)), "加赛在所有环节结束后进行")


def test_a_tiebreak_needs_questions_left():
    """Is a tiebreak refused when the tiebreak pool is empty?"""
    config = with_questions(make_config(4, stages=(StageKind.REQUIRED, StageKind.TIEBREAK)), StageKind.TIEBREAK, ())
    match = Match(config)
    skip_stages(match)
    set_scores(match, PAIR)
    refuse(match, c.StartTiebreak(teams=(T1, T2)), "加赛题已用完，请补充加赛题")


def test_a_tiebreak_cannot_start_during_another():
    """Is a second StartTiebreak refused while one is in play?"""
    refuse(tiebreak(PAIR, (T1, T2)), c.StartTiebreak(teams=(T1, T2)), "请先结束当前环节「加赛」")


# --- playing ----------------------------------------------------------------------------------


def test_a_team_outside_the_tiebreak_cannot_buzz():
    """Is a buzz from a team that is not in the tiebreak refused?"""
    match = tiebreak(PAIR, (T1, T2))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    refuse(match, c.Buzz(team=T3), f"{name(T3)}不在本次加赛中")


@pytest.mark.parametrize("verdict, top, bottom", [("right", [T2], []), ("wrong", [], [T2])])
def test_right_takes_the_best_open_place_and_wrong_the_worst(verdict, top, bottom):
    """Among three, does a right answer take first place and a wrong one the last, scores unchanged?"""
    match = tiebreak(TRIO, (T1, T2, T3))
    buzz_in(match, T2)
    stage = match.do(c.Judge(verdict=verdict)).stage
    assert (stage.placed_top, stage.placed_bottom, stage.remaining, stage.phase) == (top, bottom, [T1, T3], Phase.JUDGED)
    assert match.state.scores == TRIO


def test_a_placed_team_plays_no_more():
    """Is a team that already has its place refused on the next question?"""
    match = tiebreak(TRIO, (T1, T2, T3))
    buzz_in(match, T2)
    match.do(c.Judge(verdict="right"))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    refuse(match, c.Buzz(team=T2), f"{name(T2)}不在本次加赛中")


def test_successive_wrong_answers_fill_the_places_from_the_bottom():
    """Do two wrong answers among three give the last team first place, in the right order?"""
    match = tiebreak(TRIO, (T1, T2, T3))
    buzz_in(match, T1)
    match.do(c.Judge(verdict="wrong"))
    buzz_in(match, T3)
    state = match.do(c.Judge(verdict="wrong"))
    assert state.stage.phase == Phase.RESOLVED
    assert state.tiebreak_results == [(T2, T3, T1)]


def test_an_answer_timeout_takes_the_worst_place_without_points():
    """Does an answer timeout count as wrong (last place) and cost no points?"""
    match = tiebreak(PAIR, (T1, T2))
    buzz_in(match, T1)
    refuse(match, c.TimeOut(), "时间未到（还剩 1 秒）", after_ms=19_999)
    state = match.do(c.TimeOut(actor="clock"), after_ms=20_000)
    assert (state.tiebreak_results, state.scores[T1]) == ([(T2, T1)], 130)


def test_a_tiebreak_foul_costs_no_points_but_puts_the_team_out():
    """Does an early press in a tiebreak put the team out of the question without costing points?"""
    match = tiebreak(TRIO, (T1, T2, T3))
    match.do(c.NextQuestion())
    state = match.do(c.Buzz(team=T1))
    assert (state.scores[T1], state.stage.out, match.events[-1].delta) == (130, {T1}, 0)
    match.do(c.OpenBuzzers())
    refuse(match, c.Buzz(team=T1), f"{name(T1)}本题已抢答犯规，不能再抢答")


def test_the_lockout_policy_applies_in_a_tiebreak():
    """With early_buzz=lockout, is an early tiebreak press held back for the lockout, then accepted?"""
    match = tiebreak(PAIR, (T1, T2), tiebreak=TiebreakRules(early_buzz="lockout", lockout_ms=500))
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T1))
    match.do(c.OpenBuzzers())
    refuse(match, c.Buzz(team=T1), f"{name(T1)}提前按下，锁定中", after_ms=399)
    assert match.do(c.Buzz(team=T1), after_ms=400).stage.holder == T1


def test_when_both_teams_foul_the_tiebreak_question_is_void():
    """When both tied teams press early, is the question void so that the next one can come?"""
    match = tiebreak(PAIR, (T1, T2))
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T1))
    state = match.do(c.Buzz(team=T2))
    assert (state.stage.phase, state.stage.verdict, state.stage.remaining) == (Phase.JUDGED, Verdict.NO_BUZZ, [T1, T2])
    assert match.do(c.NextQuestion()).stage.question.id == "TIE-2"


def test_a_question_nobody_takes_places_nobody():
    """Do a no-buzz timeout and a void verdict leave every place open for the next question?"""
    match = tiebreak(PAIR, (T1, T2))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    state = match.do(c.TimeOut(), after_ms=10_000)
    assert (state.stage.verdict, state.stage.remaining) == (Verdict.NO_BUZZ, [T1, T2])
    buzz_in(match, T2)
    state = match.do(c.Judge(verdict="void"))
    assert (state.stage.phase, state.stage.remaining, state.stage.question.id) == (Phase.JUDGED, [T1, T2], "TIE-2")


# --- the result -------------------------------------------------------------------------------


def test_the_result_is_recorded_and_the_standings_follow_it():
    """Does a right answer between two decide both places, the standings and prizes following, scores equal?"""
    match = tiebreak(PAIR, (T1, T2))
    buzz_in(match, T2)
    state = match.do(c.Judge(verdict="right"))
    assert (state.stage.phase, state.tiebreak_results) == (Phase.RESOLVED, [(T2, T1)])
    refuse(match, c.NextQuestion(), "加赛已决出名次，请结束本环节")
    match.do(c.EndStage())
    assert places(match) == [(1, T2, 130, "一等奖"), (2, T1, 130, "二等奖"), (3, T3, 110, "二等奖"),
                             (4, T4, 100, "三等奖")]
    assert pending_ties(match.state) == []
    assert [line.by_tiebreak for line in standings(match.state)] == [True, True, False, False]
    state = match.do(c.FinishContest())
    assert (state.status, match.events[-1].ranking) == (ContestStatus.FINISHED, (T2, T1, T3, T4))


def test_the_deciding_question_can_be_revealed_and_the_tiebreak_stays_resolved():
    """Can the host show the hall the answer of the question that decided the places, once, and then only end?"""
    match = tiebreak(PAIR, (T1, T2))
    buzz_in(match, T2)
    match.do(c.Judge(verdict="right"))
    assert c.RevealAnswer() in available_commands(match.state, match.now)
    assert "answer" not in for_display(match.state, match.now)["stage"]["question"]
    state = match.do(c.RevealAnswer())
    assert state.stage.phase == Phase.RESOLVED
    assert for_display(state, match.now)["stage"]["question"]["answer"] == state.stage.question.answer
    refuse(match, c.RevealAnswer(), "答案已经揭晓")
    refuse(match, c.NextQuestion(), "加赛已决出名次，请结束本环节")
    match.do(c.Undo())
    assert not match.state.stage.resolved_answer_shown
    match.do(c.RevealAnswer())
    match.do(c.EndStage())
    assert match.state.tiebreak_results == [(T2, T1)]


def test_a_tiebreak_ended_early_leaves_the_tie_pending():
    """Does ending a tiebreak before its result leave the tie to be played again?"""
    match = tiebreak(PAIR, (T1, T2))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.CloseBuzzers())
    state = match.do(c.EndStage())
    assert (state.stage, state.tiebreak_results, pending_ties(state)) == (None, [], [(T1, T2)])
    refuse(match, c.FinishContest(), f"{name(T1)}、{name(T2)} 同分且影响获奖，请先加赛")
    match.do(c.StartTiebreak(teams=(T1, T2)))
    assert match.do(c.NextQuestion()).stage.question.id == "TIE-2"


def test_the_tiebreak_pool_is_shared_across_two_tiebreaks():
    """Does a second tiebreak take its questions after the ones the first one used?"""
    scores = {T1: 150, T2: 150, T3: 130, T4: 130, T5: 120, T6: 110}
    match = tied_at_the_end(6, scores)
    assert pending_ties(match.state) == [(T1, T2), (T3, T4)]
    match.do(c.StartTiebreak(teams=(T1, T2)))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.CloseBuzzers())
    assert buzz_in(match, T1).stage.question.id == "TIE-2"
    match.do(c.Judge(verdict="right"))
    match.do(c.EndStage())
    match.do(c.StartTiebreak(teams=(T3, T4)))
    assert buzz_in(match, T4).stage.question.id == "TIE-3"
    match.do(c.Judge(verdict="wrong"))
    match.do(c.EndStage())
    assert match.state.tiebreak_results == [(T1, T2), (T3, T4)]
    assert [line.team for line in standings(match.state)] == [T1, T2, T3, T4, T5, T6]


def test_the_tiebreak_pool_can_run_out():
    """Is the next tiebreak question refused once the shared pool is used up?"""
    config = make_config(4, stages=(StageKind.REQUIRED, StageKind.TIEBREAK))
    config = with_questions(config, StageKind.TIEBREAK, config.stages[1].questions[:1])
    match = Match(config)
    skip_stages(match)
    set_scores(match, PAIR)
    match.do(c.StartTiebreak(teams=(T1, T2)))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.CloseBuzzers())
    refuse(match, c.NextQuestion(), "本环节题目已用完")
    match.do(c.EndStage())
    refuse(match, c.StartTiebreak(teams=(T1, T2)), "加赛题已用完，请补充加赛题")
