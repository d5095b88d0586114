"""The state of a contest at one moment: everything the rules need to decide the next step.

The state is only ever built by folding events (see :mod:`contest.evolve`), so a state and the
replay of its events are the same by construction; the tests check it all the same.
Times are integer milliseconds of the server clock, passed in, never read here.
"""
from dataclasses import dataclass, field
from enum import StrEnum

from contest.config import ContestConfig, Question
from contest.rules import StageKind


class ContestStatus(StrEnum):
    """Where the contest is in its life."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    FINISHED = "finished"


class Phase(StrEnum):
    """What the current stage is waiting for."""

    INTRO = "intro"  # stage title card, no question yet
    CHOOSING = "choosing"  # risk: the team on turn picks a value or abstains
    READING = "reading"  # buzzer: question shown and read aloud, buzzers closed
    BUZZING = "buzzing"  # buzzer: buzzers open
    ANSWERING = "answering"  # a team holds the question and the clock runs
    JUDGED = "judged"  # the question is decided
    REVEALED = "revealed"  # the answer is shown to the hall
    TURN_OVER = "turn_over"  # speed: the team's window or packet is over
    RESOLVED = "resolved"  # tiebreak: every tied team has its place


class Verdict(StrEnum):
    """How a question ended for the team that held it."""

    RIGHT = "right"
    WRONG = "wrong"
    VOID = "void"  # prompting or a voided question: no points
    TIMEOUT = "timeout"  # answer time ran out: scored as wrong
    NO_BUZZ = "no_buzz"  # buzzer: nobody buzzed in time
    ABSTAIN = "abstain"  # risk: the team declined to answer
    PASS = "pass"  # speed: the team passed


@dataclass
class BuzzRecord:
    """One press as the rules saw it, kept for the host and the audit."""

    team: int
    arrived_at: int
    pressed_at: int | None
    outcome: str  # "won", "foul", "lockout"


@dataclass
class StageProgress:
    """Progress through the stage being played."""

    index: int  # into ContestConfig.stages
    kind: StageKind
    order: tuple[int, ...]  # team ids in the order of turns (tiebreak: the tied teams)
    phase: Phase = Phase.INTRO
    turn: int = -1  # required/risk: index of the turn; speed: index of the team's packet
    next_question: int = 0  # index of the next unused question of the stage
    question: Question | None = None
    holder: int | None = None  # team that holds the question
    deadline: int | None = None  # when the running clock ends
    clock_started: int | None = None
    clock_stopped: bool = False  # an undone timeout stopped the clock: the host judges, nothing times out
    verdict: Verdict | None = None
    submitted: str | None = None  # the holder's answer from its phone
    open_token: int = 0  # buzzer: counts openings, so a press names the opening it answers
    interrupted: bool = False  # buzzer: a server restart voided the opening; presses wait for the next one
    out: set[int] = field(default_factory=set)  # teams out for this question (foul, wrong answer)
    locked_until: dict[int, int] = field(default_factory=dict)  # lockout policy
    buzzes: list[BuzzRecord] = field(default_factory=list)
    played_questions: set[str] = field(default_factory=set)  # buzzer: ids of the questions that count toward the plan
    tier: int | None = None  # risk: the chosen value
    used_by_tier: dict[int, int] = field(default_factory=dict)  # risk: questions used per tier
    right_count: int = 0  # speed: right answers in this packet
    packet_position: int = 0  # speed: questions shown in this packet
    placed_top: list[int] = field(default_factory=list)  # tiebreak: winners, best first
    placed_bottom: list[int] = field(default_factory=list)  # tiebreak: losers, best first
    resolved_answer_shown: bool = False  # tiebreak: the deciding question's answer was revealed

    @property
    def remaining(self) -> list[int]:
        """Tiebreak: the tied teams still playing for a place."""
        placed = set(self.placed_top) | set(self.placed_bottom)
        return [team for team in self.order if team not in placed]


@dataclass
class Suspense:
    """What the hall may see of the scores (docs/rules.md, 悬念). The host always sees the real ones.

    ``frozen_scores`` and ``frozen_reached`` are the scores (and when each was reached, for the
    tie rule) at the freeze; ``auto_frozen`` the stages whose last questions froze the board by
    their rule, so a manual unfreeze is not undone by the next question; ``revealed`` counts the
    places uncovered in the ceremony, from the last place upward.
    """

    hidden: bool = False
    frozen_scores: dict[int, int] | None = None
    frozen_reached: dict[int, int] | None = None
    auto_frozen: set[int] = field(default_factory=set)
    revealed: int = 0

    @property
    def active(self) -> bool:
        """Whether the hall sees anything other than the real scores."""
        return self.hidden or self.frozen_scores is not None


@dataclass
class ContestState:
    """The whole contest: configuration, scores, the stage in play and the effective event history."""

    config: ContestConfig
    status: ContestStatus = ContestStatus.NOT_STARTED
    seq: int = 0  # sequence number of the last event, undone ones included
    last_at: int = 0  # server time (ms) of that last event: a restart resumes clocks from it
    scores: dict[int, int] = field(default_factory=dict)
    reached_at: dict[int, int] = field(default_factory=dict)  # seq of each team's last score change
    stage: StageProgress | None = None
    played_stages: list[int] = field(default_factory=list)
    tiebreak_question_next: int = 0  # the tiebreak pool is shared by all tiebreaks
    tiebreak_results: list[tuple[int, ...]] = field(default_factory=list)  # each: tied teams, best first
    history: list = field(default_factory=list)  # effective events, oldest first
    clock_shifts: dict[int, int] = field(default_factory=dict)  # ms undos gave back, by seq of the clock's event
    stopped_clocks: set[int] = field(default_factory=set)  # seqs of the clock events whose timeout was undone
    suspense: Suspense = field(default_factory=Suspense)

    @property
    def next_regular_stage(self) -> int | None:
        """Index of the next stage to play in order, or None when all are played."""
        for index in self.config.regular_stage_indexes:
            if index not in self.played_stages:
                return index
        return None

    def team_name(self, team_id: int) -> str:
        """The team's name with its seat, as the hall knows it (for messages)."""
        team = self.config.team(team_id)
        return f"{team.seat}号 {team.name}" if team else f"队伍{team_id}"
