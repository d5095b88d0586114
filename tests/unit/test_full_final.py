"""Can a whole final be played through the engine: 8 teams, four stages, a tiebreak, the prizes?"""
import pytest

from contest import commands as c
from contest.decide import Refusal
from contest.engine import replay
from contest.scoring import pending_ties, prize_name, standings
from contest.state import ContestStatus, Phase
from tests.unit.factories import Match, make_config

T1, T2, T3, T4, T5, T6, T7, T8 = range(101, 109)


def play_required(match: Match) -> None:
    """Two rounds in seat order: seats 1–4 right, 5–8 wrong, a void and a timeout among them."""
    match.do(c.StartStage())
    for turn in range(16):
        state = match.do(c.NextQuestion())
        holder = state.stage.holder
        assert holder == match.teams[turn % 8]
        if holder == T7 and turn >= 8:
            match.do(c.TimeOut(actor="clock"), after_ms=30_000)
        elif holder == T8 and turn >= 8:
            match.do(c.Judge(verdict="void"))
        else:
            match.do(c.Judge(verdict="right" if holder <= T4 else "wrong"))
        match.do(c.RevealAnswer())
    match.do(c.EndStage())


def play_speed(match: Match) -> None:
    """Each team's packet of three: rights, wrongs, passes and window time-outs."""
    plans = {
        T1: ["right", "right", "pass"], T2: ["right", "wrong", "right"], T3: ["right", "timeout"],
        T4: ["pass", "pass", "pass"], T5: ["right", "right", "right"], T6: ["right", "right", "wrong"],
        T7: ["wrong", "wrong", "wrong"], T8: ["right", "timeout"],
    }
    match.do(c.StartStage())
    for team in match.teams:
        state = match.do(c.NextQuestion())
        assert state.stage.holder == team and state.stage.phase == Phase.ANSWERING
        for step in plans[team]:
            if step == "pass":
                match.do(c.Pass())
            elif step == "timeout":
                match.do(c.TimeOut(actor="clock"), after_ms=40_000)
            else:
                match.do(c.Judge(verdict=step))
        assert match.state.stage.phase == Phase.TURN_OVER
    match.do(c.EndStage())


def play_buzzer(match: Match) -> None:
    """An early buzz (foul), a right, a wrong, a question nobody buzzes, another right."""
    match.do(c.StartStage())
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T3, actor="team:103"))  # before opening: foul
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T1))
    match.do(c.Judge(verdict="right"))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T5))
    match.do(c.Judge(verdict="wrong"))
    match.do(c.RevealAnswer())
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.TimeOut(actor="clock"), after_ms=10_000)
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T6))
    match.do(c.Judge(verdict="right"))
    match.do(c.EndStage())


RISK_PLAN = {T1: (10, "right"), T2: ("abstain", None), T6: (30, "wrong"), T3: (20, "right"),
             T4: (10, "right"), T5: (10, "right"), T8: (20, "right"), T7: (30, "right")}


def play_risk(match: Match) -> None:
    """In score order each team picks a value (one abstains) and answers for it."""
    match.do(c.StartStage(draw_seed=7))
    assert match.state.stage.order[:3] == (T1, T2, T6)
    for _ in range(8):
        state = match.do(c.NextQuestion())
        team = state.stage.holder
        tier, verdict = RISK_PLAN[team]
        if tier == "abstain":
            match.do(c.Abstain(team=team, actor=f"team:{team}"))
            continue
        match.do(c.ChooseTier(team=team, tier=tier, actor=f"team:{team}"))
        match.do(c.Judge(verdict=verdict))
    match.do(c.EndStage())


def test_a_whole_final_ends_with_the_prize_list():
    """Do four stages and a tiebreak give the standings and prizes a hall would expect?"""
    match = Match(make_config())
    play_required(match)
    assert [match.score(t) for t in match.teams] == [120, 120, 120, 120, 100, 100, 100, 100]
    play_speed(match)
    assert [match.score(t) for t in match.teams] == [140, 140, 130, 120, 130, 120, 100, 110]
    play_buzzer(match)
    assert [match.score(t) for t in match.teams] == [150, 140, 120, 120, 120, 130, 100, 110]
    play_risk(match)
    assert [match.score(t) for t in match.teams] == [160, 140, 140, 130, 130, 100, 130, 130]

    # Four teams tie at 130 across the last prize boundary (6th place): a tiebreak is needed.
    assert pending_ties(match.state) == [(T4, T5, T7, T8)]
    with pytest.raises(Refusal, match="同分且影响获奖"):
        match.do(c.FinishContest())
    with pytest.raises(Refusal, match="只能在同分且影响获奖名次的队伍之间加赛"):
        match.do(c.StartTiebreak(teams=(T4, T5)))

    match.do(c.StartTiebreak(teams=(T8, T7, T5, T4)))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T7))
    match.do(c.Judge(verdict="right"))  # T7 takes the best open place
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T4))  # early: out for this question, no points in a tiebreak
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T8))
    match.do(c.Judge(verdict="wrong"))  # T8 takes the worst open place
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T5))
    state = match.do(c.Judge(verdict="right"))  # T5 next; T4 is left with the last open place
    assert state.stage.phase == Phase.RESOLVED
    assert match.score(T4) == 130, "a tiebreak foul costs no points"
    match.do(c.EndStage())
    state = match.do(c.FinishContest())

    assert state.status == ContestStatus.FINISHED
    final = [(line.place, line.team, line.score, prize_name(line.prize)) for line in standings(state)]
    assert final == [
        (1, T1, 160, "一等奖"),
        (2, T2, 140, "二等奖"), (2, T3, 140, "二等奖"),
        (4, T7, 130, "三等奖"), (5, T5, 130, "三等奖"), (6, T4, 130, "三等奖"),
        (7, T8, 130, ""), (8, T6, 100, ""),
    ]
    assert state.history[-1].ranking == (T1, T2, T3, T7, T5, T4, T8, T6)
    assert replay(match.events) == state
