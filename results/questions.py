"""What became of each question that was shown: holders, verdicts, buzz times, fouls. Pure."""
from dataclasses import dataclass, field

from contest.config import Team
from contest.events import BuzzersClosed, BuzzWon, EarlyBuzz, Judged, Passed, QuestionShown, TierChosen, TimedOut
from contest.rules import EarlyBuzzPolicy, StageKind
from contest.state import Phase
from results.history import History, Step, event_teams
from results.labels import team_label, with_points
from web.words import VERDICT_LABELS

@dataclass(frozen=True)
class Outcome:
    """How a question ended for one team (or for nobody: no buzz)."""

    team: Team | None
    verdict: str  # a key of VERDICT_LABELS
    delta: int

    @property
    def label(self) -> str:
        """"2号 青禾生物队 正确 +10", or "无人抢答"."""
        return with_points(f"{team_label(self.team)} {VERDICT_LABELS[self.verdict]}".strip(), self.delta)


@dataclass
class QuestionStat:
    """What became of one question that was shown: who held it, the verdicts, buzz times, fouls."""

    stage_index: int
    stage_title: str
    number: int
    question_id: str
    stem: str
    answer: str
    holders: list[Team] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    buzz_ms: list[int] = field(default_factory=list)  # per buzz won: ms from the opening to the press
    fouls: list[Team] = field(default_factory=list)
    points: int = 0  # every point given or taken on this question, fouls included

    @property
    def right(self) -> int:
        """How many teams answered it right."""
        return sum(1 for outcome in self.outcomes if outcome.verdict == "right")

    @property
    def wrong(self) -> int:
        """How many answered it wrong or ran out of time."""
        return sum(1 for outcome in self.outcomes if outcome.verdict in ("wrong", "timeout"))


def question_stats(history: History) -> list[QuestionStat]:
    """Every question that was shown (and not taken back), in order of play.

    Buzz time is measured from the buzzers' opening to the winning press: the press time on the
    server clock when the phone reported it (``pressed_at``), else its arrival. In compensated
    arbitration the decision waits a short window, which would otherwise count against the team.
    """
    stats: dict[tuple[int, str], QuestionStat] = {}
    for step in history.standing:
        if step.question is None:
            continue
        key = (step.stage_index, step.question.id)
        if key not in stats:
            stats[key] = QuestionStat(step.stage_index, history.stage_title(step.stage_index), history.numbers[key],
                                      step.question.id, step.question.stem, step.question.answer)
        _count(stats[key], history, step)
    return list(stats.values())


def _count(stat: QuestionStat, history: History, step: Step) -> None:
    """Add what one event tells about its question."""
    event = step.event
    stat.points += sum(event.score_changes().values())
    team = history.team(event_teams(event)[0]) if event_teams(event) else None
    if team is not None and isinstance(event, (QuestionShown, BuzzWon, TierChosen, Judged, TimedOut, Passed)):
        if team not in stat.holders:
            stat.holders.append(team)
    if isinstance(event, BuzzWon) and step.opened_at is not None:
        pressed = event.pressed_at if event.pressed_at is not None else event.at
        stat.buzz_ms.append(max(0, pressed - step.opened_at))
    if isinstance(event, EarlyBuzz) and event.policy == EarlyBuzzPolicy.FOUL:
        stat.fouls.append(team)
    verdict = verdict_of(step)
    if verdict is not None:
        holder = None if verdict == "no_buzz" else team
        stat.outcomes.append(Outcome(holder, verdict, sum(event.score_changes().values())))


def verdict_of(step: Step) -> str | None:
    """The verdict an event gives its question, if it gives one."""
    event = step.event
    if isinstance(event, Judged):
        return event.verdict
    if isinstance(event, Passed):
        return "pass"
    if isinstance(event, BuzzersClosed):
        return "no_buzz"
    if isinstance(event, TimedOut):
        if step.phase_before == Phase.BUZZING:
            return "no_buzz"
        return "unanswered" if step.stage_kind == StageKind.SPEED else "timeout"
    if isinstance(event, EarlyBuzz) and step.phase_after == Phase.JUDGED:
        return "no_buzz"  # every team fouled: nobody may answer
    return None

