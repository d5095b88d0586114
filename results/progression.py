"""Each team's score after each decided question or turn: the chart of the results page,
the printed report and the projector between stages. Pure."""
from dataclasses import dataclass
from typing import Any

from contest.config import Team
from contest.events import (
    Abstained,
    BuzzersClosed,
    ContestStarted,
    EarlyBuzz,
    Judged,
    Passed,
    ScoreAdjusted,
    StageEnded,
    TimedOut,
)
from contest.rules import StageKind
from contest.state import Phase
from results.history import History, Step

@dataclass(frozen=True)
class Progression:
    """Each team's score after each decided question or turn, and after each adjustment."""

    teams: tuple[Team, ...]  # seat order
    labels: tuple[str, ...]  # one per point: "开始", "必答题 第3题", "速答题 2号", "调整 5号"
    series: dict[int, tuple[int, ...]]  # team id -> score at each point
    stage_starts: tuple[tuple[int, str], ...]  # (point index, stage title) where a stage's points begin

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for the display's chart."""
        return {
            "teams": [{"id": t.id, "seat": t.seat, "name": t.name} for t in self.teams],
            "labels": list(self.labels),
            "series": {str(team): list(scores) for team, scores in self.series.items()},
            "stages": [{"start": start, "title": title} for start, title in self.stage_starts],
        }


DECIDING = (Judged, TimedOut, Abstained, BuzzersClosed, Passed)


def score_progression(history: History) -> Progression:
    """One point per decided question (per team turn in a speed stage), plus one per adjustment.

    A speed packet counts as one point, the team's whole turn: fifteen flat points per team
    would bury the rest of the chart. A foul's penalty shows at the point of its question.
    """
    teams = tuple(sorted(history.config.teams, key=lambda team: team.seat))
    labels: list[str] = []
    series: dict[int, list[int]] = {team.id: [] for team in teams}
    starts: list[tuple[int, str, int]] = []  # (point index, title, stage index)
    last_scores: dict[int, int] | None = None
    for step in history.standing:
        label = _point_label(history, step, last_scores)
        if label is None:
            continue
        if step.stage_index is not None and (not starts or starts[-1][2] != step.stage_index):
            starts.append((len(labels), history.stage_title(step.stage_index), step.stage_index))
        labels.append(label)
        for team in teams:
            series[team.id].append(step.scores.get(team.id, 0))
        last_scores = step.scores
    return Progression(teams, tuple(labels), {t: tuple(s) for t, s in series.items()},
                       tuple((start, title) for start, title, _index in starts))


def _point_label(history: History, step: Step, last_scores: dict[int, int] | None) -> str | None:
    """The label of the chart point that ``step`` makes, or None when it makes none."""
    event = step.event
    title = history.stage_title(step.stage_index)
    if isinstance(event, ContestStarted):
        return "开始"
    if isinstance(event, ScoreAdjusted):
        return f"调整 {history.team(event.team).seat}号"
    if step.stage_kind == StageKind.SPEED:
        turn_over = step.phase_after == Phase.TURN_OVER and step.phase_before != Phase.TURN_OVER
        return f"{title} {history.team(event.team).seat}号" if turn_over else None
    if step.stage_kind == StageKind.RISK and isinstance(event, (Judged, TimedOut, Abstained)):
        return f"{title} {history.team(event.team).seat}号"
    if isinstance(event, DECIDING) or (isinstance(event, EarlyBuzz) and step.phase_after == Phase.JUDGED):
        return f"{title} {history.question_label(step)}".strip()
    if isinstance(event, StageEnded) and last_scores is not None and step.scores != last_scores:
        return f"{title} 结束"  # a penalty that no decision followed still shows
    return None

