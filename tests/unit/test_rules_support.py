"""Helpers shared by the test_rules_* modules: refusals that leave the state alone, short contests.

This module holds no tests of its own; it is named like them only so that it lives with them.
"""
import copy
import re
from dataclasses import replace

import pytest

from contest import commands as c
from contest.config import Question, StageConfig
from contest.decide import Refusal
from contest.engine import apply
from contest.rules import BuzzerRules, RequiredRules, SpeedRules, StageKind, TiebreakRules
from tests.unit.factories import T0, Match, make_config

T1, T2, T3, T4, T5, T6, T7, T8 = range(101, 109)
HIDDEN_KEYS = ("answer", "explanation", "source")


def name(team: int) -> str:
    """A factory team as the hall knows it in messages: "2号 队伍2"."""
    return f"{team - 100}号 队伍{team - 100}"


def refuse(match: Match, command: c.Command, message: str, after_ms: int = 0) -> None:
    """Assert that ``command`` is refused with exactly ``message`` and that the state is untouched."""
    before = copy.deepcopy(match.state)
    with pytest.raises(Refusal, match=f"^{re.escape(message)}$"):
        apply(match.state, command, match.now + after_ms)
    assert match.state == before, "a refused command must not change the state"


def in_stage(kind: StageKind, teams: int = 3, **rules) -> Match:
    """A started contest of ``teams`` teams with only this stage (and a tiebreak), on its title card."""
    stages = (kind,) if kind == StageKind.TIEBREAK else (kind, StageKind.TIEBREAK)
    match = Match(make_config(teams, stages=stages, **rules))
    match.do(c.StartStage())
    return match


def with_questions(match_config, kind: StageKind, questions: tuple[Question, ...]):
    """``match_config`` with the questions of its ``kind`` stage replaced."""
    stages = tuple(replace(stage, questions=questions) if stage.kind == kind else stage
                   for stage in match_config.stages)
    return replace(match_config, stages=stages)


def stage_with(kind: StageKind, questions: tuple[Question, ...], teams: int = 3, **rules) -> Match:
    """Like :func:`in_stage`, with the stage's questions given."""
    stages = (kind, StageKind.TIEBREAK)
    match = Match(with_questions(make_config(teams, stages=stages, **rules), kind, questions))
    match.do(c.StartStage())
    return match


def skip_stages(match: Match) -> None:
    """Open and close every regular stage still to play, without playing a question."""
    while match.state.next_regular_stage is not None:
        match.do(c.StartStage())
        match.do(c.EndStage())


def set_scores(match: Match, scores: dict[int, int]) -> None:
    """Bring the teams to ``scores`` by judge corrections, in the order given."""
    for team, score in scores.items():
        if score != match.score(team):
            match.do(c.AdjustScore(team=team, delta=score - match.score(team), reason="测试设定分数"))


def tied_at_the_end(teams: int, scores: dict[int, int], **config) -> Match:
    """A contest with every regular stage done and the given scores, ready for tiebreaks or the finish."""
    match = Match(make_config(teams, stages=(StageKind.REQUIRED, StageKind.TIEBREAK), **config))
    skip_stages(match)
    set_scores(match, scores)
    return match


def buzz_in(match: Match, team: int, after_ms: int = 100):
    """Put the next question up, open the buzzers and let ``team`` win them."""
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    return match.do(c.Buzz(team=team), after_ms=after_ms)


def hidden_keys(view) -> set[str]:
    """The keys of HIDDEN_KEYS found anywhere in a (nested) view."""
    found = set()
    if isinstance(view, dict):
        found |= {key for key in view if key in HIDDEN_KEYS}
        for value in view.values():
            found |= hidden_keys(value)
    elif isinstance(view, list):
        for value in view:
            found |= hidden_keys(value)
    return found


def one_stage(kind: StageKind, rules, questions: tuple[Question, ...]) -> StageConfig:
    """A stage of ``kind`` with these rules and questions."""
    return StageConfig(kind, rules, questions)


def whole_contest() -> Match:
    """A finished three-team contest that produces every kind of event, phone answers, undos, restarts and a
    hidden last stage revealed in the ceremony included."""
    config = make_config(3, required=RequiredRules(rounds=1, answer_mode="phone"), speed=SpeedRules(packet_size=2),
                         buzzer=BuzzerRules(), tiebreak=TiebreakRules(early_buzz="lockout"))
    match = Match(config)
    script = [
        c.StartStage(), c.NextQuestion(), c.SubmitAnswer(team=T1, choice="B", actor="team:101"), c.RevealAnswer(),
        c.NextQuestion(), c.Judge(verdict="wrong"), c.NextQuestion(), (c.TimeOut(actor="clock"), 30_000),
        c.EndStage(),
        c.StartStage(), c.NextQuestion(), c.Judge(verdict="right"), c.Pass(),
        c.NextQuestion(), c.Judge(verdict="right"), (c.TimeOut(actor="clock"), 40_000),
        c.NextQuestion(), c.Pass(), c.Judge(verdict="wrong"), c.EndStage(),
        c.StartStage(), c.NextQuestion(), c.Buzz(team=T3, actor="team:103"), c.OpenBuzzers(),
        c.Buzz(team=T2), c.Judge(verdict="right"), c.RevealAnswer(),
        c.NextQuestion(), c.OpenBuzzers(), (c.ResumeAfterRestart(actor="server"), 5_000), c.OpenBuzzers(),
        c.CloseBuzzers(),
        c.NextQuestion(), c.OpenBuzzers(), c.Buzz(team=T1), c.Judge(verdict="wrong"), c.EndStage(),
        c.AdjustScore(team=T3, delta=5, reason="误判"), c.Undo(), c.AdjustScore(team=T3, delta=10, reason="评委更正"),
        c.FreezeScores(), c.UnfreezeScores(), c.HideScores(),
        c.StartStage(draw_seed=3), c.NextQuestion(), c.ChooseTier(team=T2, tier=10), c.Judge(verdict="wrong"),
        c.NextQuestion(), c.Abstain(team=T1), c.NextQuestion(), c.ChooseTier(team=T3, tier=20),
        (c.ResumeAfterRestart(actor="server"), 20_000), (c.TimeOut(actor="clock"), 60_000), c.EndStage(),
        c.StartTiebreak(teams=(T1, T2)), c.NextQuestion(), c.Buzz(team=T1), c.OpenBuzzers(),
        (c.Buzz(team=T2), 300), c.Judge(verdict="right"), c.EndStage(),
        c.FinishContest(), c.RevealNextPlace(), c.RevealAllPlaces(), c.AdjustScore(team=T3, delta=-5, reason="赛后复核"),
    ]
    for step in script:
        command, after_ms = step if isinstance(step, tuple) else (step, 100)
        match.do(command, after_ms=after_ms)
    return match
