"""The result sheet: standings with prizes, and the tiebreaks that decided them. Pure."""
from dataclasses import dataclass

from contest.config import Team
from contest.events import TiebreakStarted
from contest.scoring import prize_name, standings
from contest.state import ContestStatus
from results.history import History

@dataclass(frozen=True)
class ResultLine:
    """One team's line on the result sheet."""

    place: int
    team: Team
    score: int
    prize: str  # "一等奖" …, or ""
    tied: bool  # shares its place
    undecided: bool  # tied across a prize boundary: waits for a tiebreak


@dataclass(frozen=True)
class TiebreakOutcome:
    """A tiebreak: the teams that were tied on ``score`` and the order it gave them (best first)."""

    teams: tuple[Team, ...]
    score: int
    order: tuple[Team, ...]  # empty while the tiebreak has not placed every team


@dataclass(frozen=True)
class Results:
    """The standings with prizes and the tiebreaks that decided them."""

    title: str
    status: ContestStatus
    lines: tuple[ResultLine, ...]
    tiebreaks: tuple[TiebreakOutcome, ...]

    @property
    def finished(self) -> bool:
        """Whether the contest is closed (the standings are final, bar judges' corrections)."""
        return self.status == ContestStatus.FINISHED

    def remark(self, line: ResultLine) -> str:
        """Why a line stands where it does, when the score alone does not say: tie or tiebreak."""
        if line.undecided:
            return "同分，待加赛"
        rank = self.tiebreak_rank(line.team.id)
        if rank is not None:
            return f"加赛第{rank}名"
        return "并列" if line.tied else ""

    def tiebreak_rank(self, team_id: int) -> int | None:
        """The 1-based place ``team_id`` took in the tiebreak that decided it, if any."""
        for outcome in reversed(self.tiebreaks):
            ids = [team.id for team in outcome.order]
            if team_id in ids:
                return ids.index(team_id) + 1
        return None


def final_results(history: History) -> Results:
    """Standings with prizes (prize counts from the contest rules) and every tiebreak's outcome."""
    state = history.state
    lines = tuple(
        ResultLine(line.place, history.team(line.team), line.score, prize_name(line.prize), line.tied, line.undecided)
        for line in standings(state)
    )
    return Results(state.config.title, state.status, lines, _tiebreaks(history))


def _tiebreaks(history: History) -> tuple[TiebreakOutcome, ...]:
    """Each tiebreak that stands, with the result it produced (matched by its group of teams)."""
    results = list(history.state.tiebreak_results)
    outcomes = []
    for step in history.standing:
        if not isinstance(step.event, TiebreakStarted):
            continue
        group = set(step.event.teams)
        result = next((r for r in results if set(r) == group), ())
        if result:
            results.remove(result)
        teams = tuple(history.team(t) for t in step.event.teams)
        score = step.scores.get(step.event.teams[0], 0)
        outcomes.append(TiebreakOutcome(teams, score, tuple(history.team(t) for t in result)))
    return tuple(outcomes)

