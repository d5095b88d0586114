"""What happened: the record of a contest. Each accepted command becomes exactly one event, so
"undo the last decision" takes back exactly one event.

Events carry every value that was decided with the clock or chance (deadlines, orders), so that
folding them again never needs the clock or chance: replay is exact.
"""
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    """Base of all events: its sequence number in the contest, when (server ms) and who."""

    seq: int
    at: int
    actor: str

    kind: ClassVar[str] = ""
    undoable: ClassVar[bool] = True

    def __deepcopy__(self, memo: dict) -> "Event":
        """Events never change, so copies of a state share them."""
        return self

    def score_changes(self) -> dict[int, int]:
        """Points this event gives or takes, by team id."""
        return {}


EVENT_TYPES: dict[str, type[Event]] = {}


def event_type(cls: type[Event]) -> type[Event]:
    """Register an event class under its class name, for storage and replay."""
    cls.kind = cls.__name__
    EVENT_TYPES[cls.kind] = cls
    return cls


class ScoringEvent(Event):
    """Mixin for events with a ``team`` and a ``delta`` that changes that team's score."""

    def score_changes(self) -> dict[int, int]:
        """The one team's change, if any."""
        return {self.team: self.delta} if self.delta else {}


@event_type
@dataclass(frozen=True)
class ContestCreated(Event):
    """The contest exists with this configuration (see :func:`contest.config.config_to_dict`)."""

    config: dict
    undoable: ClassVar[bool] = False


@event_type
@dataclass(frozen=True)
class ContestStarted(Event):
    """Every team starts at the base score."""


@event_type
@dataclass(frozen=True)
class StageStarted(Event):
    """A stage begins; ``order`` is the order of turns (drawn for ties in the risk stage)."""

    stage_index: int
    order: tuple[int, ...]


@event_type
@dataclass(frozen=True)
class QuestionShown(Event):
    """A question is on screen; with a ``holder`` its answer clock runs until ``deadline``."""

    turn: int
    question_index: int
    holder: int | None
    deadline: int | None


@event_type
@dataclass(frozen=True)
class TurnStarted(Event):
    """Risk: a team's turn to pick a value. Speed: a team's packet and window begin."""

    turn: int
    holder: int
    deadline: int | None
    question_index: int | None


@event_type
@dataclass(frozen=True)
class BuzzersOpened(Event):
    """Buzzers open until ``deadline``; ``token`` names this opening."""

    token: int
    deadline: int


@event_type
@dataclass(frozen=True)
class BuzzWon(Event):
    """``team`` buzzed first and holds the question until ``deadline``."""

    team: int
    pressed_at: int | None
    deadline: int


@event_type
@dataclass(frozen=True)
class EarlyBuzz(ScoringEvent):
    """``team`` pressed before the buzzers opened: a foul (``delta``, out) or a lockout."""

    team: int
    pressed_at: int | None
    policy: str
    delta: int
    locked_until: int | None


@event_type
@dataclass(frozen=True)
class BuzzersClosed(Event):
    """The host closed the buzzers with no winner: the question is void."""


@event_type
@dataclass(frozen=True)
class Judged(ScoringEvent):
    """A verdict on the held question and its points; ``auto`` when marked from the phone ``answer``."""

    team: int
    verdict: str
    delta: int
    answer: str = ""
    auto: bool = False


@event_type
@dataclass(frozen=True)
class Passed(Event):
    """Speed round: the team passed the question."""

    team: int


@event_type
@dataclass(frozen=True)
class TierChosen(Event):
    """Risk: ``team`` picked ``tier``; question ``question_index`` is shown, clock until ``deadline``."""

    team: int
    tier: int
    question_index: int
    deadline: int


@event_type
@dataclass(frozen=True)
class Abstained(Event):
    """Risk: the team declined this turn."""

    team: int


@event_type
@dataclass(frozen=True)
class TimedOut(ScoringEvent):
    """The clock ran out: no buzz (void), no answer (``delta``), or the speed window closed."""

    team: int | None
    delta: int


@event_type
@dataclass(frozen=True)
class AnswerRevealed(Event):
    """The answer, explanation and source are shown to the hall."""


@event_type
@dataclass(frozen=True)
class StageEnded(Event):
    """The stage is over."""

    stage_index: int


@event_type
@dataclass(frozen=True)
class ScoreAdjusted(ScoringEvent):
    """A correction by the host or the judges, with its reason."""

    team: int
    delta: int
    reason: str


@event_type
@dataclass(frozen=True)
class DecisionUndone(Event):
    """Event ``target_seq`` (a ``target_kind``) no longer counts; it stays in the log."""

    target_seq: int
    target_kind: str
    undoable: ClassVar[bool] = False


@event_type
@dataclass(frozen=True)
class TiebreakStarted(Event):
    """A tiebreak among exactly these tied teams."""

    teams: tuple[int, ...]


@event_type
@dataclass(frozen=True)
class ClockResumed(Event):
    """After a server restart the running clock goes on with ``remaining`` ms, now until ``deadline``.

    ``remaining`` is what the clock had left at the last stored event (``stopped_at``), so the team
    loses none of its time to the stop. ``clock_started`` moves with the deadline, so the countdown
    keeps its full length. Not undoable: Undo never reaches back past a restart.
    """

    deadline: int
    clock_started: int
    remaining: int
    stopped_at: int
    undoable: ClassVar[bool] = False


@event_type
@dataclass(frozen=True)
class BuzzingInterrupted(Event):
    """After a server restart, buzzers that were open (opening ``token``) are void: back to reading.

    Presses on their way when the server stopped were lost, so the opening cannot be judged fairly;
    the host opens the buzzers again. Not undoable.
    """

    token: int
    undoable: ClassVar[bool] = False


@event_type
@dataclass(frozen=True)
class ContestFinished(Event):
    """The contest is closed; ``ranking`` is the final order of team ids."""

    ranking: tuple[int, ...]
    undoable: ClassVar[bool] = False


@event_type
@dataclass(frozen=True)
class ScoresHidden(Event):
    """Scores and places are hidden from the display and the phones (the host still sees them)."""


@event_type
@dataclass(frozen=True)
class ScoresFrozen(Event):
    """The display and the phones keep the scores as they are at this event (the host sees them move on)."""


@event_type
@dataclass(frozen=True)
class ScoresUnfrozen(Event):
    """A frozen scoreboard shows the scores of now again."""


@event_type
@dataclass(frozen=True)
class PlaceRevealed(Event):
    """Ceremony: ``team`` at ``place`` is uncovered, the next one up from the last place."""

    team: int
    place: int


@event_type
@dataclass(frozen=True)
class ScoresRevealed(Event):
    """Every score and place is shown to the hall again: the hiding, freeze or ceremony is over."""


SUSPENSE_EVENTS = (ScoresHidden, ScoresFrozen, ScoresUnfrozen, PlaceRevealed, ScoresRevealed)
"""Events that change only what the hall may see of the scores, never a score."""


OPENING = (StageStarted, TiebreakStarted, QuestionShown, TurnStarted, TierChosen)
"""Events that put something new on screen: they belong to what they open (a press arriving after
one belongs to its question, in the host's press log and in the buzz audit alike)."""


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event as JSON-ready data, with its ``kind``."""
    data = asdict(event)
    for name, value in data.items():
        if isinstance(value, tuple):
            data[name] = list(value)
    return {"kind": event.kind, **data}


def event_from_dict(data: dict[str, Any]) -> Event:
    """Rebuild an event from :func:`event_to_dict` data; unknown kinds or fields raise ValueError."""
    values = dict(data)
    kind = values.pop("kind", None)
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"未知的事件类型：{kind}")
    names = {item.name for item in fields(cls)}
    if set(values) != names:
        raise ValueError(f"事件 {kind} 的字段不符：{sorted(set(values) ^ names)}")
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = tuple(value)
    return cls(**values)
