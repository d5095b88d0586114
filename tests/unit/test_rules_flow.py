"""Does the contest open, move from stage to stage and close only when the rules allow?"""
import pytest

from contest import commands as c
from contest.config import ContestConfig
from contest.engine import apply
from contest.rules import BuzzerRules, StageKind
from contest.state import ContestStatus, Phase
from tests.unit.factories import Match, make_config
from tests.unit.test_rules_support import T1, T2, T3, T4, T5, T6, in_stage, name, refuse, set_scores
from tests.unit.test_rules_support import skip_stages, tied_at_the_end, with_questions

BEFORE_START = [
    c.StartStage(), c.NextQuestion(), c.OpenBuzzers(), c.Buzz(team=T1), c.CloseBuzzers(),
    c.SubmitAnswer(team=T1, choice="A"), c.Judge(verdict="right"), c.Pass(), c.ChooseTier(team=T1, tier=10),
    c.Abstain(team=T1), c.TimeOut(), c.RevealAnswer(), c.EndStage(), c.AdjustScore(team=T1, delta=5, reason="r"),
    c.StartTiebreak(teams=(T1, T2)), c.FinishContest(),
]


@pytest.mark.parametrize("command", BEFORE_START, ids=lambda command: type(command).__name__)
def test_commands_before_the_start_are_refused(command):
    """Is every command but StartContest refused before the contest has started?"""
    refuse(Match(start=False), command, "比赛尚未开始")


def test_nothing_can_be_undone_before_the_start():
    """Is Undo refused before the start, since only the creation is on record?"""
    refuse(Match(start=False), c.Undo(), "没有可以撤销的操作")


def test_the_start_gives_every_team_the_base_score():
    """Does StartContest set every team to the base score and open the contest?"""
    match = Match(make_config(3))
    assert match.state.status == ContestStatus.RUNNING
    assert match.state.scores == {T1: 100, T2: 100, T3: 100}


def test_starting_twice_is_refused():
    """Is a second StartContest refused?"""
    refuse(Match(), c.StartContest(), "比赛已经开始")


def test_a_stage_cannot_start_while_another_is_open():
    """Is StartStage refused while a stage is in play, naming it?"""
    refuse(in_stage(StageKind.REQUIRED), c.StartStage(), "请先结束当前环节「必答题」")


def test_stages_are_played_in_their_configured_order():
    """Do the stages open in the order of the configuration, whatever their kind?"""
    config = make_config(2, stages=(StageKind.BUZZER, StageKind.REQUIRED, StageKind.SPEED))
    match = Match(config)
    kinds = []
    for _ in range(3):
        kinds.append(match.do(c.StartStage()).stage.kind)
        assert match.state.stage.phase == Phase.INTRO
        match.do(c.EndStage())
    assert kinds == [StageKind.BUZZER, StageKind.REQUIRED, StageKind.SPEED]
    assert match.state.played_stages == [0, 1, 2]


def test_no_stage_is_left_after_all_are_played():
    """Is StartStage refused once every regular stage was played (the tiebreak is not one)?"""
    match = Match(make_config(2, stages=(StageKind.REQUIRED, StageKind.TIEBREAK)))
    skip_stages(match)
    refuse(match, c.StartStage(), "所有环节都已完成")


def test_a_stage_without_questions_cannot_start():
    """Is a stage without questions refused at its start, naming it?"""
    config = with_questions(make_config(2, stages=(StageKind.SPEED,)), StageKind.SPEED, ())
    refuse(Match(config), c.StartStage(), "「速答题」没有题目，无法开始")


def test_required_and_speed_stages_follow_the_seats():
    """Is the order of turns of a required stage the seat order, not the order of ids?"""
    config = make_config(3, stages=(StageKind.REQUIRED,))
    seats = {T1: 3, T2: 1, T3: 2}
    config = ContestConfig(config.title, tuple(type(t)(t.id, t.name, seats[t.id]) for t in config.teams),
                           config.stages, config.rules)
    assert Match(config).do(c.StartStage()).stage.order == (T2, T3, T1)


# --- the risk stage's order -------------------------------------------------------------------


def risk_match(scores: dict[int, int], teams: int = 6) -> Match:
    """A contest about to open its risk stage with these scores."""
    match = Match(make_config(teams, stages=(StageKind.RISK,)))
    set_scores(match, scores)
    return match


def risk_order(match: Match, seed: int) -> tuple[int, ...]:
    """The order the risk stage would open with, drawn with ``seed`` (the match is not changed)."""
    state, _ = apply(match.state, c.StartStage(draw_seed=seed), match.now)
    return state.stage.order


def test_the_risk_stage_goes_from_the_highest_score_down():
    """Does the risk stage's order follow the scores, high to low, whatever the seats?"""
    match = risk_match({T1: 90, T2: 150, T3: 120, T4: 100, T5: 130, T6: 110})
    assert risk_order(match, 1) == (T2, T5, T3, T6, T4, T1)


def test_tied_scores_are_ordered_by_the_seeded_draw():
    """Does the same seed give the same order of tied teams, and do several seeds vary it?"""
    match = risk_match({T1: 90, T2: 120, T3: 120, T4: 120, T5: 120, T6: 150})
    orders = {seed: risk_order(match, seed) for seed in range(12)}
    for seed, order in orders.items():
        assert order[0] == T6 and order[-1] == T1
        assert sorted(order[1:5]) == [T2, T3, T4, T5]
        assert risk_order(match, seed) == order
    assert len({order[1:5] for order in orders.values()}) > 1


def test_the_drawn_order_is_recorded_in_the_event():
    """Does the StageStarted event carry the drawn order, so a replay needs no chance?"""
    match = risk_match({T1: 100, T2: 100, T3: 100})
    state = match.do(c.StartStage(draw_seed=42))
    assert match.events[-1].order == state.stage.order == risk_order(risk_match({T1: 100}), 42)


# --- ending stages and the contest ------------------------------------------------------------


@pytest.mark.parametrize("kind, opening", [
    (StageKind.REQUIRED, [c.NextQuestion()]),
    (StageKind.SPEED, [c.NextQuestion()]),
    (StageKind.BUZZER, [c.NextQuestion(), c.OpenBuzzers()]),
    (StageKind.RISK, [c.NextQuestion()]),
], ids=lambda value: str(value) if isinstance(value, StageKind) else "")
def test_a_stage_cannot_end_while_a_question_is_open(kind, opening):
    """Is EndStage refused while a team answers, the buzzers are open or a team picks a value?"""
    match = in_stage(kind)
    for command in opening:
        match.do(command)
    refuse(match, c.EndStage(), "本题尚未结束，请先判定或等待计时结束")


@pytest.mark.parametrize("opening", [
    [c.NextQuestion()],
    [c.NextQuestion(), c.OpenBuzzers(), c.Buzz(team=T1), c.Judge(verdict="wrong")],
], ids=["read", "reopened for a second chance"])
def test_a_stage_cannot_end_while_a_question_is_being_read(opening):
    """Is EndStage refused while a buzzer question waits for its buzzers, first or second chance?"""
    match = in_stage(StageKind.BUZZER, buzzer=BuzzerRules(second_chance=True))
    for command in opening:
        match.do(command)
    assert match.state.stage.phase == Phase.READING
    refuse(match, c.EndStage(), "本题正在读题，请先开始抢答并结束本题（或撤销出题），再结束本环节")


def test_a_stage_ends_once_its_question_is_decided():
    """Does EndStage close the stage once the question is judged, counting it as played?"""
    match = in_stage(StageKind.REQUIRED)
    match.do(c.NextQuestion())
    match.do(c.Judge(verdict="right"))
    state = match.do(c.EndStage())
    assert state.stage is None and state.played_stages == [0]


def test_end_stage_outside_a_stage_is_refused():
    """Is EndStage refused between stages?"""
    refuse(Match(), c.EndStage(), "当前不在任何环节中，请先开始一个环节")


def test_the_contest_cannot_finish_with_stages_left():
    """Is FinishContest refused while a stage remains, naming it?"""
    match = Match(make_config(2, stages=(StageKind.REQUIRED, StageKind.SPEED)))
    match.do(c.StartStage())
    match.do(c.EndStage())
    refuse(match, c.FinishContest(), "还有环节未进行：「速答题」")


def test_the_contest_cannot_finish_during_a_stage():
    """Is FinishContest refused while a stage is open?"""
    refuse(in_stage(StageKind.REQUIRED), c.FinishContest(), "请先结束当前环节「必答题」")


def test_the_contest_cannot_finish_with_a_tie_on_a_prize_boundary():
    """Is FinishContest refused while two teams tie across the first-prize boundary?"""
    match = tied_at_the_end(4, {T1: 130, T2: 130, T3: 110, T4: 100})
    refuse(match, c.FinishContest(), f"{name(T1)}、{name(T2)} 同分且影响获奖，请先加赛")


def test_the_contest_finishes_with_its_ranking():
    """Does FinishContest close the contest and record the final ranking?"""
    match = tied_at_the_end(4, {T1: 110, T2: 130, T3: 120, T4: 100})
    state = match.do(c.FinishContest())
    assert state.status == ContestStatus.FINISHED
    assert match.events[-1].ranking == (T2, T3, T1, T4)


@pytest.mark.parametrize("command", [c.StartContest(), c.StartStage(), c.NextQuestion(), c.FinishContest(),
                                     c.StartTiebreak(teams=(T1, T2))], ids=lambda command: type(command).__name__)
def test_after_the_finish_only_corrections_remain(command):
    """Is every command of play refused once the contest is finished?"""
    match = tied_at_the_end(2, {T1: 110})
    match.do(c.FinishContest())
    refuse(match, command, "比赛已结束")
