"""The raw event log folded once, with the stage, question and scores around each event.

Pure: no Flask, Socket.IO or database. The fold is :func:`contest.evolve.evolve`, the one that
live play and replay use, so a report can never disagree with the standings the hall saw. The
raw log keeps undone decisions and the ``DecisionUndone`` that took them back: the audit shows
both, every other view counts only the decisions that stand.

An undo always takes back the last decision that stands, so the state folded up to a decision
that is never undone is exactly the state of the final record at that point; that is why one
pass over the raw log (:func:`fold_history`, once per report) serves every view of
:mod:`results.standings`, :mod:`results.progression`, :mod:`results.breakdown`,
:mod:`results.questions`, :mod:`results.audit` and :mod:`results.buzz_audit`.
"""
from collections import Counter
from dataclasses import dataclass

from contest.config import ContestConfig, Question, Team
from contest.events import OPENING, BuzzersOpened, ContestCreated, DecisionUndone, Event, StageEnded, TiebreakStarted
from contest.evolve import evolve, initial_state
from contest.rules import StageKind
from contest.state import ContestState, Phase

# OPENING events put something new on screen: they belong to what they open, so their stage and
# question are read after they are folded; every other event belongs to what was on screen before.


@dataclass(frozen=True)
class Step:
    """One raw event and what the fold knew around it."""

    event: Event
    stage_index: int | None
    stage_kind: StageKind | None
    question: Question | None
    phase_before: Phase | None
    phase_after: Phase | None
    scores: dict[int, int]  # after the event
    opened_at: int | None  # buzzer: when the buzzers last opened, for a BuzzWon's buzz time
    undone: bool  # a later DecisionUndone took this event back

    @property
    def stands(self) -> bool:
        """Whether the event counts in the final record (neither undone nor an undo itself)."""
        return not self.undone and not isinstance(self.event, DecisionUndone)


@dataclass(frozen=True)
class History:
    """The raw log folded once: a step per event, the final state, question numbers."""

    steps: tuple[Step, ...]
    state: ContestState
    numbers: dict[tuple[int, str], int]  # (stage index, question id) -> order of appearance in its stage

    @property
    def config(self) -> ContestConfig:
        """The contest's configuration, from its first event."""
        return self.state.config

    @property
    def standing(self) -> list[Step]:
        """The steps whose events count in the final record."""
        return [step for step in self.steps if step.stands]

    def stage_title(self, index: int | None) -> str:
        """The title of stage ``index`` as the hall saw it ("" outside any stage)."""
        return "" if index is None else self.config.stages[index].display_title

    def team(self, team_id: int | None) -> Team | None:
        """The team with ``team_id``, if it plays."""
        return None if team_id is None else self.config.team(team_id)

    def question_label(self, step: Step) -> str:
        """"第3题" for the question of ``step`` (by its order of appearance in its stage), else ""."""
        if step.question is None:
            return ""
        number = self.numbers.get((step.stage_index, step.question.id))
        return f"第{number}题" if number else ""


def fold_history(events: list[Event]) -> History:
    """Fold the raw log once, keeping the stage, question and scores around each event."""
    if not events or not isinstance(events[0], ContestCreated):
        raise ValueError("事件记录必须以 ContestCreated 开始")
    undone = {event.target_seq for event in events if isinstance(event, DecisionUndone)}
    state = initial_state(events[0])
    steps = [Step(events[0], None, None, None, None, None, {}, None, False)]
    opened_at = None
    for event in events[1:]:
        before = _context(state)
        evolve(state, event)
        after = _context(state)
        if isinstance(event, BuzzersOpened):
            opened_at = event.at
        place = after if isinstance(event, OPENING) else before
        question = None if isinstance(event, StageEnded) else place[2]  # the stage's card, not its last question
        steps.append(Step(event, place[0], place[1], question, before[3], after[3], dict(state.scores), opened_at,
                          event.seq in undone))
    return History(tuple(steps), state, _question_numbers(steps))


def _context(state: ContestState) -> tuple:
    """Where the contest is: stage index and kind, question on screen, phase."""
    stage = state.stage
    if stage is None:
        return None, None, None, None
    return stage.index, stage.kind, stage.question, stage.phase


def _question_numbers(steps: list[Step]) -> dict[tuple[int, str], int]:
    """Number the questions that stand by their order of appearance within their stage.

    The order of appearance is what the hall heard ("第3题"); a question's place in the stage's
    list means nothing in a risk stage, where questions are drawn by value.
    """
    numbers: dict[tuple[int, str], int] = {}
    per_stage: Counter = Counter()
    for step in steps:
        if step.stands and step.question is not None and (step.stage_index, step.question.id) not in numbers:
            per_stage[step.stage_index] += 1
            numbers[(step.stage_index, step.question.id)] = per_stage[step.stage_index]
    return numbers


def event_teams(event: Event) -> tuple[int, ...]:
    """The teams an event is about (the holder of a question shown to one team, the tied teams …)."""
    if isinstance(event, TiebreakStarted):
        return tuple(event.teams)
    team = getattr(event, "team", None)
    if team is None:
        team = getattr(event, "holder", None)
    return () if team is None else (team,)
