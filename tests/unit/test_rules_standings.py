"""Standings: are places shared, prizes given by level, and only ties on a boundary sent to a tiebreak?"""
from contest import commands as c
from contest.rules import ContestRules, RequiredRules, StageKind
from contest.scoring import award_boundaries, pending_ties, prize_name, standings
from contest.state import ContestStatus
from tests.unit.factories import Match, make_config
from tests.unit.test_rules_support import T1, T2, T3, T4, T5, T6, T7, T8, tied_at_the_end


def table(match: Match) -> list[tuple]:
    """The standings as (place, team, score, prize level, tied, undecided)."""
    return [(s.place, s.team, s.score, s.prize, s.tied, s.undecided) for s in standings(match.state)]


def test_equal_scores_share_a_place():
    """Do 130, 120, 120, 100 give places 1, 2, 2, 4?"""
    match = tied_at_the_end(4, {T1: 130, T2: 120, T3: 120, T4: 100})
    assert [(s.place, s.team, s.score, s.tied) for s in standings(match.state)] == [
        (1, T1, 130, False), (2, T2, 120, True), (2, T3, 120, True), (4, T4, 100, False)]


def test_the_default_prizes_are_one_two_three():
    """With eight different scores, is it one first, two second and three third prizes, then none?"""
    match = tied_at_the_end(8, {team: 200 - 10 * i for i, team in enumerate((T1, T2, T3, T4, T5, T6, T7, T8))})
    assert [prize_name(s.prize) for s in standings(match.state)] == \
        ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖", "", ""]
    assert award_boundaries(match.state) == [1, 3, 6]


def test_custom_prizes_set_the_levels():
    """With prizes (2, 2), do two first and two second prizes go to the top four?"""
    scores = {T1: 160, T2: 150, T3: 140, T4: 130, T5: 120, T6: 110}
    match = tied_at_the_end(6, scores, rules=ContestRules(prizes=(2, 2)))
    assert [s.prize for s in standings(match.state)] == [0, 0, 1, 1, None, None]
    assert award_boundaries(match.state) == [2, 4]


def test_boundaries_past_the_last_team_do_not_count():
    """With four teams, is the third-prize boundary after place 6 left out?"""
    assert award_boundaries(tied_at_the_end(4, {}).state) == [1, 3]


def test_prize_names_go_past_the_third():
    """Are prize levels named 一等奖, 二等奖, …, and an unnamed level by its number?"""
    assert [prize_name(level) for level in (0, 1, 2, 3, None, 7)] == ["一等奖", "二等奖", "三等奖", "优秀奖", "", "第8等奖"]


def test_a_tie_inside_one_prize_level_needs_no_tiebreak():
    """Do two teams tied inside the second prize both get it, with no tiebreak and the finish allowed?"""
    match = tied_at_the_end(4, {T1: 130, T2: 120, T3: 120, T4: 100})
    assert table(match)[1:3] == [(2, T2, 120, 1, True, False), (2, T3, 120, 1, True, False)]
    assert pending_ties(match.state) == []
    assert match.do(c.FinishContest()).status == ContestStatus.FINISHED


def test_a_tie_below_every_prize_needs_no_tiebreak():
    """Do two teams tied below the last prize share a place with no prize and no tiebreak?"""
    scores = {T1: 190, T2: 180, T3: 170, T4: 160, T5: 150, T6: 140, T7: 100, T8: 100}
    match = tied_at_the_end(8, scores)
    assert table(match)[6:] == [(7, T7, 100, None, True, False), (7, T8, 100, None, True, False)]
    assert pending_ties(match.state) == []


def test_a_tie_across_a_boundary_is_pending_and_its_prize_undecided():
    """Do three teams tied across the second/third boundary wait for a tiebreak with their prize undecided?"""
    match = tied_at_the_end(4, {T1: 140, T2: 130, T3: 130, T4: 130})
    assert table(match) == [(1, T1, 140, 0, False, False), (2, T2, 130, None, True, True),
                            (2, T3, 130, None, True, True), (2, T4, 130, None, True, True)]
    assert pending_ties(match.state) == [(T2, T3, T4)]


def test_every_tie_across_a_boundary_is_pending():
    """Are two separate ties, on two boundaries, both pending, in ranking order?"""
    scores = {T1: 150, T2: 150, T3: 130, T4: 130, T5: 120, T6: 110}
    assert pending_ties(tied_at_the_end(6, scores).state) == [(T1, T2), (T3, T4)]


def test_the_advancing_cut_adds_a_boundary():
    """With advance_count=2, is a tie over places 2 and 3 pending, though no prize separates them?"""
    scores = {T1: 130, T2: 120, T3: 120, T4: 100}
    without = tied_at_the_end(4, scores, rules=ContestRules(prizes=(1,)))
    assert (award_boundaries(without.state), pending_ties(without.state)) == ([1], [])
    cut = tied_at_the_end(4, scores, rules=ContestRules(prizes=(1,), advance_count=2))
    assert (award_boundaries(cut.state), pending_ties(cut.state)) == ([1, 2], [(T2, T3)])
    assert [s.undecided for s in standings(cut.state)] == [False, True, True, False]


def test_reached_first_orders_equal_scores_by_who_got_there_first():
    """With tie_rule=reached_first, does the team that reached 110 first rank above the other, untied?"""
    config = make_config(3, stages=(StageKind.REQUIRED,), required=RequiredRules(rounds=1),
                         rules=ContestRules(tie_rule="reached_first"))
    match = Match(config)
    match.do(c.StartStage())
    for verdict in ("right", "right", "wrong"):
        match.do(c.NextQuestion())
        match.do(c.Judge(verdict=verdict))
    assert table(match) == [(1, T1, 110, 0, False, False), (2, T2, 110, 1, False, False),
                            (3, T3, 100, 1, False, False)]
    assert pending_ties(match.state) == []


def test_reached_first_after_a_later_change_ranks_lower():
    """With reached_first, does a team whose score last changed later rank below one that got there earlier?"""
    match = tied_at_the_end(3, {}, rules=ContestRules(tie_rule="reached_first"))
    match.do(c.AdjustScore(team=T3, delta=10, reason="先到 110"))
    match.do(c.AdjustScore(team=T1, delta=20, reason="先到 120"))
    match.do(c.AdjustScore(team=T1, delta=-10, reason="后到 110"))
    assert [s.team for s in standings(match.state)] == [T3, T1, T2]


def test_reached_first_still_ties_teams_that_never_scored():
    """With reached_first, do teams still at the base score tie, pending when they straddle a boundary?"""
    match = tied_at_the_end(3, {T3: 110}, rules=ContestRules(tie_rule="reached_first"))
    assert table(match) == [(1, T3, 110, 0, False, False), (2, T1, 100, 1, True, False),
                            (2, T2, 100, 1, True, False)]
    match = tied_at_the_end(3, {T3: 90}, rules=ContestRules(tie_rule="reached_first"))
    assert pending_ties(match.state) == [(T1, T2)]


def test_the_base_score_is_a_setting():
    """Does base_score=0 start every team at 0?"""
    match = tied_at_the_end(3, {}, rules=ContestRules(base_score=0))
    assert match.state.scores == {T1: 0, T2: 0, T3: 0}
