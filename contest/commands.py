"""What people (and the server's clock) ask of the contest. A command is a wish; the engine
either turns it into an event or refuses it with a reason the host can read.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """Base of all commands; ``actor`` says who asked ("host:alice", "team:3", "clock")."""

    actor: str = "host"


@dataclass(frozen=True)
class StartContest(Command):
    """Open the contest: scores set to the base score."""


@dataclass(frozen=True)
class StartStage(Command):
    """Start the next stage in order; ``draw_seed`` breaks score ties for the risk stage's order."""

    draw_seed: int = 0


@dataclass(frozen=True)
class NextQuestion(Command):
    """Show the next question (to its team, or to all) or begin the next team's turn."""


@dataclass(frozen=True)
class OpenBuzzers(Command):
    """Buzzer and tiebreak: let teams buzz from now on."""


@dataclass(frozen=True)
class Buzz(Command):
    """A team's press; ``pressed_at`` is the press time on the server clock, when the phone knew it."""

    team: int = 0
    pressed_at: int | None = None
    open_token: int | None = None


@dataclass(frozen=True)
class CloseBuzzers(Command):
    """Close open buzzers before anyone buzzed: the question is void."""


@dataclass(frozen=True)
class SubmitAnswer(Command):
    """The holder's answer from its phone (choice questions), e.g. "B", "AC", "对"."""

    team: int = 0
    choice: str = ""


@dataclass(frozen=True)
class Judge(Command):
    """The host's verdict on the held question: "right", "wrong" or "void"."""

    verdict: str = ""


@dataclass(frozen=True)
class Pass(Command):
    """Speed round: the team skips the current question."""


@dataclass(frozen=True)
class ChooseTier(Command):
    """Risk stage: the team on turn picks a value."""

    team: int = 0
    tier: int = 0


@dataclass(frozen=True)
class Abstain(Command):
    """Risk stage: the team on turn declines to answer (0 points)."""

    team: int = 0


@dataclass(frozen=True)
class TimeOut(Command):
    """The running clock has reached its deadline."""


@dataclass(frozen=True)
class RevealAnswer(Command):
    """Show the answer, explanation and policy source to the hall."""


@dataclass(frozen=True)
class EndStage(Command):
    """Close the current stage."""


@dataclass(frozen=True)
class AdjustScore(Command):
    """A judge's correction: ``delta`` points to ``team``, with a reason that stays in the audit."""

    team: int = 0
    delta: int = 0
    reason: str = ""


@dataclass(frozen=True)
class Undo(Command):
    """Take back the last decision; it stays in the log, marked as undone."""


@dataclass(frozen=True)
class StartTiebreak(Command):
    """Play off a tie that decides a place among exactly these teams."""

    teams: tuple[int, ...] = ()


@dataclass(frozen=True)
class FinishContest(Command):
    """Close the contest with its final standings."""


@dataclass(frozen=True)
class ResumeAfterRestart(Command):
    """The server came back after it stopped with a clock running: a restart, or a stall such as the
    server's computer sleeping (sent by the server itself).

    An answer or speed-window clock resumes with the time it had left at the last stored event;
    buzzers that were open are void (presses on their way were lost), so the host opens them again.
    """


@dataclass(frozen=True)
class HideScores(Command):
    """Suspense: the display and the phones stop showing scores and places until the reveal."""


@dataclass(frozen=True)
class FreezeScores(Command):
    """Suspense: the display and the phones keep the scores of this moment until unfrozen or revealed."""


@dataclass(frozen=True)
class UnfreezeScores(Command):
    """Suspense: a frozen scoreboard shows the scores of now again (while the contest runs)."""


@dataclass(frozen=True)
class RevealNextPlace(Command):
    """Ceremony (揭晓下一名): after the finish, uncover the next place of a hidden or frozen
    scoreboard, from the last place upward."""


@dataclass(frozen=True)
class RevealAllPlaces(Command):
    """Ceremony (全部揭晓): the hall sees every score and place again; also ends a hiding or a
    freeze during the contest."""
