"""风险题: does the team on turn pick a value and answer for plus or minus that value?"""
from dataclasses import replace

import pytest

from contest import commands as c
from contest.rules import RiskRules, StageKind
from contest.state import Phase, Verdict
from tests.unit.factories import Match, make_config, make_questions
from tests.unit.test_rules_support import T1, T2, T3, in_stage, name, refuse, set_scores, with_questions

SCORES = {T1: 120, T2: 110, T3: 100}  # so the order of turns is seats 1, 2, 3


def risk_stage(questions=None, **rules) -> Match:
    """A risk stage of three teams, with scores that order the turns T1, T2, T3, on its title card."""
    config = make_config(3, stages=(StageKind.RISK,), risk=RiskRules(**rules))
    if questions is not None:
        config = with_questions(config, StageKind.RISK, questions)
    match = Match(config)
    set_scores(match, SCORES)
    match.do(c.StartStage())
    return match


def choosing(**rules) -> Match:
    """A risk stage where T1 is to pick a value."""
    match = risk_stage(**rules)
    match.do(c.NextQuestion())
    return match


def chosen(tier: int, **rules) -> Match:
    """A risk stage where T1 picked ``tier`` and answers."""
    match = choosing(**rules)
    match.do(c.ChooseTier(team=T1, tier=tier))
    return match


def test_a_turn_waits_for_the_team_to_pick_a_value():
    """Does NextQuestion give the highest-scoring team the choice, with no question and no clock yet?"""
    match = risk_stage()
    assert match.state.stage.order == (T1, T2, T3)
    stage = match.do(c.NextQuestion()).stage
    assert (stage.holder, stage.phase, stage.question, stage.deadline) == (T1, Phase.CHOOSING, None, None)


def test_the_chosen_question_is_of_that_tier():
    """Does picking 20 show the first unused 20-point question and start the 60-second clock?"""
    match = choosing()
    stage = match.do(c.ChooseTier(team=T1, tier=20, actor="team:101")).stage
    assert (stage.question.id, stage.question.tier, stage.tier) == ("RSK20-1", 20, 20)
    assert (stage.phase, stage.deadline) == (Phase.ANSWERING, match.now + 60_000)


def test_the_next_team_picking_the_same_tier_gets_the_next_question():
    """Does the second team picking 20 get the second 20-point question?"""
    match = chosen(20)
    match.do(c.Judge(verdict="right"))
    match.do(c.NextQuestion())
    assert match.do(c.ChooseTier(team=T2, tier=20)).stage.question.id == "RSK20-2"


def test_a_team_not_on_turn_cannot_pick():
    """Is ChooseTier refused from a team that is not on turn, naming the team on turn?"""
    refuse(choosing(), c.ChooseTier(team=T2, tier=10), f"{name(T2)}现在不能选择分值（现在轮到{name(T1)}）")


def test_an_unknown_tier_is_refused():
    """Is a value that is not one of the tiers refused, listing them?"""
    refuse(choosing(), c.ChooseTier(team=T1, tier=15), "没有 15 分的档位（可选 10/20/30）")


def test_a_used_up_tier_is_refused():
    """Is a tier whose questions are all used refused, asking for another value?"""
    questions = make_questions("A", 3, tier=10) + make_questions("B", 3, tier=20) + make_questions("C", 1, tier=30)
    match = risk_stage(questions)
    match.do(c.NextQuestion())
    match.do(c.ChooseTier(team=T1, tier=30))
    match.do(c.Judge(verdict="right"))
    match.do(c.NextQuestion())
    refuse(match, c.ChooseTier(team=T2, tier=30), "30 分的题目已用完，请选择其他分值")
    assert match.do(c.ChooseTier(team=T2, tier=20)).stage.question.id == "B-1"


def test_picking_twice_is_refused():
    """Is a second ChooseTier refused once a value is picked?"""
    refuse(chosen(10), c.ChooseTier(team=T1, tier=30), "已经选定分值")


@pytest.mark.parametrize("tier", [10, 20, 30])
def test_a_right_answer_gains_the_value(tier):
    """Does a right answer give + the chosen value?"""
    state = chosen(tier).do(c.Judge(verdict="right"))
    assert (state.scores[T1], state.stage.phase, state.stage.verdict) == (120 + tier, Phase.JUDGED, Verdict.RIGHT)


@pytest.mark.parametrize("tier", [10, 20, 30])
def test_a_wrong_answer_loses_the_value(tier):
    """Does a wrong answer cost the chosen value?"""
    assert chosen(tier).do(c.Judge(verdict="wrong")).scores[T1] == 120 - tier


def test_a_timeout_loses_the_value():
    """Does the answer clock running out cost the chosen value?"""
    match = chosen(30)
    refuse(match, c.TimeOut(), "时间未到（还剩 1 秒）", after_ms=59_001)
    state = match.do(c.TimeOut(actor="clock"), after_ms=60_000)
    assert (state.scores[T1], state.stage.verdict) == (90, Verdict.TIMEOUT)


def test_custom_tiers_are_played():
    """With tiers 10/30/50, does a right 50 give +50?"""
    assert chosen(50, tiers=(10, 30, 50)).do(c.Judge(verdict="right")).scores[T1] == 170


def test_the_answer_time_is_a_setting():
    """Does answer_time=120 give 120 seconds?"""
    match = choosing(answer_time=120)
    assert match.do(c.ChooseTier(team=T1, tier=10)).stage.deadline == match.now + 120_000


def test_the_value_counts_not_the_question_s_own_points_or_time():
    """Does a risk question's tier, not its own points, decide the score, while its own time limit counts?"""
    questions = list(make_questions("RSK", 3, tier=20))
    questions[0] = replace(questions[0], points=5, time_limit=90)
    match = risk_stage(tuple(questions) + make_questions("X", 3, tier=10) + make_questions("Y", 3, tier=30))
    match.do(c.NextQuestion())
    assert match.do(c.ChooseTier(team=T1, tier=20)).stage.deadline == match.now + 90_000
    assert match.do(c.Judge(verdict="right")).scores[T1] == 140


def test_an_abstention_scores_nothing():
    """Does Abstain end the turn with 0 points?"""
    match = choosing()
    state = match.do(c.Abstain(team=T1, actor="team:101"))
    assert (state.scores[T1], state.stage.phase, state.stage.verdict) == (120, Phase.JUDGED, Verdict.ABSTAIN)
    assert match.do(c.NextQuestion()).stage.holder == T2


def test_abstaining_can_be_forbidden():
    """With allow_abstain=False, is Abstain refused?"""
    refuse(choosing(allow_abstain=False), c.Abstain(team=T1), "本场比赛风险题不允许放弃")


def test_only_the_team_on_turn_can_abstain():
    """Is Abstain refused from a team that is not on turn?"""
    refuse(choosing(), c.Abstain(team=T3), f"{name(T3)}现在不能放弃（现在轮到{name(T1)}）")


def test_abstaining_after_picking_is_refused():
    """Is Abstain refused once the team has picked its value?"""
    refuse(chosen(10), c.Abstain(team=T1), "已经选定分值，不能放弃")


def test_the_choice_has_no_clock_and_no_verdict():
    """While the team picks, are TimeOut, Judge, NextQuestion and EndStage refused?"""
    match = choosing()
    refuse(match, c.TimeOut(), "当前没有在计时", after_ms=600_000)
    refuse(match, c.Judge(verdict="right"), "现在没有待判定的作答")
    refuse(match, c.NextQuestion(), "本题尚未结束，请先判定或等待计时结束")
    refuse(match, c.EndStage(), "本题尚未结束，请先判定或等待计时结束")


def test_every_team_has_its_turns_then_the_stage_ends():
    """With rounds=2, does the order repeat once, and is a further turn refused?"""
    match = risk_stage(rounds=2)
    holders = []
    for _ in range(6):
        holders.append(match.do(c.NextQuestion()).stage.holder)
        match.do(c.Abstain(team=holders[-1]))
    assert holders == [T1, T2, T3, T1, T2, T3]
    refuse(match, c.NextQuestion(), "所有队伍都已完成风险题，请结束本环节")


def test_choosing_outside_the_risk_stage_is_refused():
    """Are ChooseTier and Abstain refused in a required stage?"""
    match = in_stage(StageKind.REQUIRED)
    refuse(match, c.ChooseTier(team=T1, tier=10), "「必答题」环节不能选择分值")
    refuse(match, c.Abstain(team=T1), "「必答题」环节不能放弃")


@pytest.mark.parametrize("choice, score", [("B", 150), ("C", 90)])
def test_a_phone_answer_is_marked_for_the_value(choice, score):
    """In phone mode, does a right phone answer gain the value and a wrong one lose it?"""
    match = chosen(30, answer_mode="phone")
    assert match.do(c.SubmitAnswer(team=T1, choice=choice)).scores[T1] == score
