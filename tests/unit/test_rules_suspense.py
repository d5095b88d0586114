"""Suspense (悬念): do hiding, freezing (by hand and by a stage's 最后 N 题冻结比分) and the ceremony's
reveal change only what the display and the phones see, never the scores, and survive replay and undo?"""
import pytest
from hypothesis import HealthCheck, given, settings

from contest import commands as c
from contest.decide import Refusal
from contest.engine import apply, replay
from contest.rules import BuzzerRules, RequiredRules, RiskRules, SpeedRules, StageKind, TiebreakRules
from contest.scoring import standings
from contest.suspense import CEREMONY, FROZEN, HIDDEN, hall_mode
from contest.views import for_display, for_host, for_team
from tests.unit.factories import Match, make_config
from tests.unit.test_engine_properties import played

T1, T2, T3 = 101, 102, 103


def required_match(freeze_last: int = 0, teams: int = 3) -> Match:
    """A contest of one required stage (2 rounds, so 2 × teams questions), started."""
    match = Match(make_config(teams, stages=(StageKind.REQUIRED,), required=RequiredRules(freeze_last=freeze_last)))
    match.do(c.StartStage())
    return match


def play_question(match: Match, verdict: str = "right") -> None:
    """The next required question, judged."""
    match.do(c.NextQuestion())
    match.do(c.Judge(verdict=verdict))


def display_scores(match: Match) -> dict[str, int]:
    """The scores the display shows now."""
    return for_display(match.state, match.now)["scores"]


def refused(match: Match, command: c.Command) -> str:
    """The reason ``command`` is refused now."""
    with pytest.raises(Refusal) as refusal:
        apply(match.state, command, match.now)
    return refusal.value.reason


# --- hiding -------------------------------------------------------------------------------------


def test_hidden_scores_reach_neither_the_display_nor_the_phones_but_the_host():
    """While hidden, do the display and every phone hold no score and no place, the host the real ones?"""
    match = required_match()
    match.do(c.HideScores())
    play_question(match)
    display = for_display(match.state, match.now)
    assert display["suspense"]["mode"] == HIDDEN and display["scores"] == {} and display["standings"] == []
    for team in match.teams:
        phone = for_team(match.state, team, match.now)
        assert phone["me"]["score"] is None and phone["scores"] == {} and phone["standings"] == []
    host = for_host(match.state, match.now)
    assert host["scores"][str(T1)] == 110 and host["suspense"]["hidden"]


def test_a_phone_still_learns_its_own_verdict_while_hidden():
    """Does the phone of the team that answered still see the verdict (the hall hears it too)?"""
    match = required_match()
    match.do(c.HideScores())
    play_question(match, "wrong")
    assert for_team(match.state, T1, match.now)["stage"]["verdict"] == "wrong"


def test_hiding_is_refused_before_the_start_and_twice():
    """Is hiding refused before the start and when already hidden, with the reason?"""
    match = Match(make_config(3, stages=(StageKind.REQUIRED,)), start=False)
    assert refused(match, c.HideScores()) == "比赛尚未开始"
    match.do(c.StartContest())
    match.do(c.HideScores())
    assert refused(match, c.HideScores()) == "比分已经隐藏"
    assert refused(match, c.FreezeScores()) == "比分已隐藏，无需冻结"


def test_the_risk_order_follows_the_real_scores_while_hidden():
    """Does the risk stage still order the teams by their real scores (a rule, not a display)?"""
    match = Match(make_config(3, stages=(StageKind.RISK,)))
    match.do(c.HideScores())
    match.do(c.AdjustScore(team=T3, delta=30, reason="测试"))
    match.do(c.StartStage())
    assert match.state.stage.order[0] == T3


# --- freezing -----------------------------------------------------------------------------------


def test_a_manual_freeze_keeps_the_scores_of_its_moment():
    """Frozen by hand: does the display keep the scores of the freeze, and follow again once unfrozen?"""
    match = required_match()
    play_question(match)
    match.do(c.FreezeScores())
    play_question(match)
    assert display_scores(match) == {str(T1): 110, str(T2): 100, str(T3): 100}
    assert for_team(match.state, T2, match.now)["me"]["score"] == 100
    assert for_host(match.state, match.now)["scores"][str(T2)] == 110
    match.do(c.UnfreezeScores())
    assert display_scores(match)[str(T2)] == 110


def test_the_last_n_questions_freeze_by_themselves():
    """With 最后 N 题冻结比分 = 2 of 6 questions: is the board live through the 4th and frozen from the
    5th question on, as of just before it?"""
    match = required_match(freeze_last=2)
    for _ in range(4):
        play_question(match)
        assert hall_mode(match.state) is None
    match.do(c.NextQuestion())
    assert hall_mode(match.state) == FROZEN
    before = display_scores(match)
    match.do(c.Judge(verdict="right"))
    play_question(match)
    assert display_scores(match) == before
    assert for_host(match.state, match.now)["scores"] != before


def test_a_manual_unfreeze_is_not_undone_by_the_next_question():
    """Unfrozen by the host inside the last questions: does the next question leave the board live?"""
    match = required_match(freeze_last=2)
    for _ in range(4):
        play_question(match)
    play_question(match)
    match.do(c.UnfreezeScores())
    play_question(match)
    assert hall_mode(match.state) is None


def test_undoing_the_question_that_froze_the_board_unfreezes_it():
    """Undo of the question whose showing froze the board: is the board live again?"""
    match = required_match(freeze_last=1)
    for _ in range(5):
        play_question(match)
    match.do(c.NextQuestion())
    assert hall_mode(match.state) == FROZEN
    match.do(c.Undo())
    assert hall_mode(match.state) is None


def test_the_buzzer_stage_freezes_at_its_planned_questions_not_counting_void_ones():
    """Buzzer, 3 planned, last 1: does a void question (no buzz) not bring the freeze forward, so the
    board freezes when the third planned question goes up?"""
    match = Match(make_config(3, stages=(StageKind.BUZZER,), buzzer=BuzzerRules(question_count=3, freeze_last=1)))
    match.do(c.StartStage())
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.CloseBuzzers())  # void: does not count toward the plan
    for team in (T1, T2):
        match.do(c.NextQuestion())
        assert hall_mode(match.state) is None
        match.do(c.OpenBuzzers())
        match.do(c.Buzz(team=team))
        match.do(c.Judge(verdict="right"))
    match.do(c.NextQuestion())
    assert hall_mode(match.state) == FROZEN


def test_the_risk_stage_freezes_for_its_last_turns():
    """Risk, one round of 3 teams, last 1: is the board live for two turns and frozen for the third?"""
    match = Match(make_config(3, stages=(StageKind.RISK,), risk=RiskRules(freeze_last=1)))
    match.do(c.StartStage())
    for _ in range(2):
        match.do(c.NextQuestion())
        match.do(c.Abstain(team=match.state.stage.holder))
        assert hall_mode(match.state) is None
    match.do(c.NextQuestion())
    assert hall_mode(match.state) == FROZEN


def test_unfreezing_is_refused_when_not_frozen_and_after_the_finish():
    """Is unfreezing refused without a freeze, and after the finish (the ceremony reveals instead)?"""
    match = required_match()
    assert refused(match, c.UnfreezeScores()) == "比分没有冻结"
    match.do(c.AdjustScore(team=T1, delta=3, reason="测试"))
    match.do(c.AdjustScore(team=T2, delta=2, reason="测试"))
    match.do(c.FreezeScores())
    match.do(c.EndStage())
    match.do(c.FinishContest())
    assert refused(match, c.UnfreezeScores()) == "比赛已结束"


# --- the ceremony -------------------------------------------------------------------------------


def finished_hidden(teams: int = 4, bonuses: tuple[int, ...] = (4, 3, 2, 1)) -> Match:
    """A finished one-stage contest whose scores were hidden before its stage; team i gets bonuses[i]."""
    match = Match(make_config(teams, stages=(StageKind.REQUIRED,)))
    match.do(c.HideScores())
    match.do(c.StartStage())
    for team, bonus in zip(match.teams, bonuses):
        match.do(c.AdjustScore(team=team, delta=bonus, reason="测试"))
    match.do(c.EndStage())
    match.do(c.FinishContest())
    return match


def test_revealing_place_by_place_is_refused_before_the_finish():
    """Is 揭晓下一名 refused while the contest runs, and when nothing is hidden?"""
    match = required_match()
    assert refused(match, c.RevealNextPlace()) == "比分没有隐藏或冻结，无需揭晓"
    match.do(c.HideScores())
    assert refused(match, c.RevealNextPlace()) == "请先结束比赛，再逐名揭晓成绩"


def test_the_ceremony_uncovers_from_the_last_place_up_and_ends_with_the_winner():
    """Does each 揭晓下一名 uncover the lowest covered line, the display holding exactly the uncovered ones,
    until the first place shows everything again?"""
    match = finished_hidden()
    real = [line.team for line in standings(match.state)]
    assert for_display(match.state, match.now)["suspense"]["mode"] == CEREMONY
    for count in range(1, 5):
        match.do(c.RevealNextPlace())
        shown = for_display(match.state, match.now)["standings"]
        assert [line["team"] for line in shown] == real[-count:]
        assert for_team(match.state, real[0], match.now)["me"]["score"] is (None if count < 4 else 104)
    assert hall_mode(match.state) is None


def test_tied_teams_are_uncovered_one_per_press_with_their_shared_place():
    """Two teams tied for second (both second prize): uncovered one per press, both at place 2?"""
    match = finished_hidden(bonuses=(9, 2, 2, 1))
    for _ in range(3):
        match.do(c.RevealNextPlace())
    assert [line["place"] for line in for_display(match.state, match.now)["standings"]] == [2, 2, 4]


def test_reveal_all_ends_the_ceremony_at_once_and_a_step_can_be_undone():
    """Can one reveal step be undone, and does 全部揭晓 show every line at once?"""
    match = finished_hidden()
    match.do(c.RevealNextPlace())
    match.do(c.Undo())
    assert for_display(match.state, match.now)["standings"] == []
    match.do(c.RevealAllPlaces())
    assert len(for_display(match.state, match.now)["standings"]) == 4
    assert refused(match, c.RevealAllPlaces()) == "比分没有隐藏或冻结，无需揭晓"


def test_replay_keeps_the_ceremony_where_it_was():
    """Does replaying the log (a restart) give the same views half-way through the ceremony?"""
    match = finished_hidden()
    match.do(c.RevealNextPlace())
    again = replay(match.events)
    assert again == match.state
    for view in (for_host, for_display):
        assert view(again, match.now) == view(match.state, match.now)


# --- properties ---------------------------------------------------------------------------------

SUSPENSE_CONFIG = make_config(
    teams=3,
    required=RequiredRules(rounds=1, freeze_last=1),
    speed=SpeedRules(packet_size=2),
    buzzer=BuzzerRules(question_count=3, freeze_last=2),
    risk=RiskRules(freeze_last=1),
    tiebreak=TiebreakRules(),
)


def hall_sees_only_what_it_may(state, now: int) -> None:
    """The host sees the real standings; the display and the phones the real ones, none, the frozen
    ones or the uncovered ones, by the mode; a correction while hidden or frozen changes nothing they see."""
    host, display = for_host(state, now), for_display(state, now)
    real = [(line.team, line.score, line.place) for line in standings(state)]
    assert [(line["team"], line["score"], line["place"]) for line in host["standings"]] == real
    shown = [(line["team"], line["score"], line["place"]) for line in display["standings"]]
    mode = hall_mode(state)
    if mode is None:
        assert shown == real
    elif mode == HIDDEN:
        assert shown == [] and display["scores"] == {}
    elif mode == FROZEN:
        assert display["scores"] == {str(team): score for team, score in state.suspense.frozen_scores.items()}
    else:
        assert shown == (real[len(real) - state.suspense.revealed:] if state.suspense.revealed else [])
    for team in state.config.seat_order:
        assert for_team(state, team, now)["me"]["score"] == display["scores"].get(str(team))
    if mode in (HIDDEN, FROZEN):
        corrected, _ = apply(state, c.AdjustScore(team=T1, delta=7, reason="更正"), now)
        after = for_display(corrected, now)
        assert (after["scores"], after["standings"]) == (display["scores"], display["standings"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(played(SUSPENSE_CONFIG, hall_sees_only_what_it_may))
def test_the_host_always_sees_the_real_scores_and_the_hall_never_more_than_it_may(game):
    """For any played sequence (hiding, freezing and revealing among the moves): does every state keep
    the host's view real and the hall's within its mode, and does replay give the same views?"""
    state, log = game
    again = replay(log)
    now = log[-1].at
    assert for_display(again, now) == for_display(state, now) and for_host(again, now) == for_host(state, now)
