"""Standings, prizes and the ties that need a tiebreak.

Ranking rule: higher score first. Equal scores are then ordered by the contest's tie rule
(``reached_first``: the team whose score last changed earlier ranks higher) and by the outcome of
a tiebreak played among exactly that group. Teams still equal share a place (1, 2, 2, 4). A tied
group that straddles an award boundary (the prize counts, one first, two second and three third
by default, give boundaries after places 1, 3 and 6) or the advancing cut needs a tiebreak.
"""
from dataclasses import dataclass
from itertools import accumulate, groupby

from contest.rules import TieRule
from contest.state import ContestState

PRIZE_NAMES = ("一等奖", "二等奖", "三等奖", "优秀奖", "五等奖", "六等奖")


@dataclass(frozen=True)
class Standing:
    """One team's line in the standings."""

    place: int  # 1-based; tied teams share it
    team: int
    score: int
    prize: int | None  # 0 = first prize level; None = no prize, or undecided while tied
    tied: bool  # shares its place with another team
    undecided: bool  # tied across a boundary: its prize waits for a tiebreak
    by_tiebreak: bool = False  # equal on points with other teams, its place decided by a tiebreak


def prize_name(level: int | None) -> str:
    """The Chinese name of a prize level ("一等奖"), or "" for none."""
    if level is None:
        return ""
    return PRIZE_NAMES[level] if level < len(PRIZE_NAMES) else f"第{level + 1}等奖"


def team_score(state: ContestState, team: int) -> int:
    """A team's score; before the start every team stands at the contest's base score."""
    return state.scores.get(team, state.config.rules.base_score)


def _equal_groups(state: ContestState) -> list[list[int]]:
    """Teams in ranking order, as groups equal on score and the contest's tie rule."""
    rules = state.config.rules

    def primary(team: int) -> tuple[int, int]:
        reached = state.reached_at.get(team, 0) if rules.tie_rule == TieRule.REACHED_FIRST else 0
        return (-team_score(state, team), reached)

    teams = sorted((team.id for team in state.config.teams), key=lambda t: (primary(t), t))
    return [list(members) for _key, members in groupby(teams, key=primary)]


def _tie_groups(state: ContestState) -> list[list[int]]:
    """Teams in ranking order, as groups that are still equal after every tie rule."""
    return [split for group in _equal_groups(state) for split in _apply_tiebreaks(state, group)]


def decided_by_tiebreak(state: ContestState) -> set[int]:
    """The teams whose place a tiebreak decided (equal on points with the others it was played among)."""
    return {team for group in _equal_groups(state) if len(_apply_tiebreaks(state, group)) > 1 for team in group}


def _apply_tiebreaks(state: ContestState, group: list[int]) -> list[list[int]]:
    """Split an equal group by the latest tiebreak played among exactly its teams."""
    if len(group) > 1:
        for result in reversed(state.tiebreak_results):
            if set(result) == set(group):
                return [[team] for team in result]
    return [group]


def award_boundaries(state: ContestState) -> list[int]:
    """Positions after which a prize level or the advancing cut changes (e.g. 1, 3, 6)."""
    rules = state.config.rules
    team_count = len(state.config.teams)
    cuts = set(accumulate(rules.prizes))
    if rules.advance_count:
        cuts.add(rules.advance_count)
    return sorted(cut for cut in cuts if 0 < cut < team_count)


def _prize_level(state: ContestState, position: int) -> int | None:
    """The prize level of a 0-based position, or None past the last prize."""
    for level, cut in enumerate(accumulate(state.config.rules.prizes)):
        if position < cut:
            return level
    return None


def standings(state: ContestState) -> list[Standing]:
    """The standings now, best first, with prizes (undecided where a tie straddles a boundary)."""
    boundaries = award_boundaries(state)
    by_tiebreak = decided_by_tiebreak(state)
    lines = []
    position = 0
    for group in _tie_groups(state):
        start, end = position, position + len(group)
        straddles = any(start < cut < end for cut in boundaries)
        levels = {_prize_level(state, p) for p in range(start, end)}
        prize = None if straddles or len(levels) > 1 else levels.pop()
        for team in group:
            lines.append(Standing(start + 1, team, team_score(state, team), prize, len(group) > 1, straddles,
                                  team in by_tiebreak))
        position = end
    return lines


def pending_ties(state: ContestState) -> list[tuple[int, ...]]:
    """The tied groups that decide a prize or the advancing cut, each needing a tiebreak."""
    boundaries = award_boundaries(state)
    pending = []
    position = 0
    for group in _tie_groups(state):
        start, end = position, position + len(group)
        if any(start < cut < end for cut in boundaries):
            pending.append(tuple(sorted(group)))
        position = end
    return pending
