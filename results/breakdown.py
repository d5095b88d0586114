"""Points per stage for every team, adding up to the total. Pure."""
from collections import defaultdict
from dataclasses import dataclass

from contest.config import Team
from contest.events import ScoreAdjusted
from contest.state import ContestStatus
from results.history import History

@dataclass(frozen=True)
class BreakdownRow:
    """A team's points: the base score, what each stage gave, the adjustments, the total."""

    team: Team
    base: int
    stages: tuple[int, ...]  # in the order of Breakdown.stage_titles
    adjustments: int
    total: int


@dataclass(frozen=True)
class Breakdown:
    """Points per stage for every team (seat order); base + stages + adjustments = total."""

    stage_indexes: tuple[int, ...]
    stage_titles: tuple[str, ...]
    rows: tuple[BreakdownRow, ...]

    def row(self, team_id: int) -> BreakdownRow | None:
        """The row of ``team_id``."""
        return next((row for row in self.rows if row.team.id == team_id), None)


def stage_breakdown(history: History) -> Breakdown:
    """Each team's points per stage; corrections (by host or judges) have their own column.

    A foul's penalty counts in the stage it happened in. The columns are the regular stages in
    play order; the tiebreak gets a column only if it ever changed a score (by the rules it
    does not), so the columns always add up to the total.
    """
    config = history.config
    points: dict[tuple[int, int | None], int] = defaultdict(int)  # (team, stage or None) -> points
    for step in history.standing:
        in_stage = None if isinstance(step.event, ScoreAdjusted) else step.stage_index
        for team, delta in step.event.score_changes().items():
            points[(team, in_stage)] += delta
    scored = {stage for (_team, stage), value in points.items() if value and stage is not None}
    indexes = tuple(i for i in range(len(config.stages)) if i in config.regular_stage_indexes or i in scored)
    base = config.rules.base_score if history.state.status != ContestStatus.NOT_STARTED else 0
    rows = []
    for team in sorted(config.teams, key=lambda t: t.seat):
        by_stage = tuple(points[(team.id, i)] for i in indexes)
        adjustments = points[(team.id, None)]
        rows.append(BreakdownRow(team, base, by_stage, adjustments, base + sum(by_stage) + adjustments))
    return Breakdown(indexes, tuple(history.stage_title(i) for i in indexes), tuple(rows))

