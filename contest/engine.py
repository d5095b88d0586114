"""The contest engine's public face: create a contest, apply a command, replay a log.

``apply(state, command, now)`` returns a new state and the events to store, or raises
:class:`Refusal`; the state passed in is never changed. Time is always passed in (server
milliseconds), so the engine has no hidden clock and a restarted server knows every deadline.
"""
import copy

from contest import commands as c
from contest.config import ContestConfig, config_to_dict, validate_config
from contest.decide import Refusal, decide
from contest.events import ContestCreated, Event
from contest.evolve import evolve, initial_state, replay
from contest.scoring import pending_ties
from contest.state import ContestState

__all__ = ["Refusal", "apply", "available_commands", "create_contest", "host_commands", "is_accepted",
           "refusal_reason", "replay"]


def create_contest(config: ContestConfig, now: int, actor: str = "organizer") -> tuple[ContestState, list[Event]]:
    """A new contest from ``config``: its first event records the whole configuration."""
    validate_config(config)
    created = ContestCreated(seq=1, at=now, actor=actor, config=config_to_dict(config))
    return initial_state(created), [created]


def apply(state: ContestState, command: c.Command, now: int) -> tuple[ContestState, list[Event]]:
    """Decide ``command`` at ``now``: the new state and its events, or :class:`Refusal`."""
    event = decide(state, command, now)
    new_state = copy.deepcopy(state)
    evolve(new_state, event)
    return new_state, [event]


def host_commands(state: ContestState, now: int) -> list[tuple[c.Command, str | None]]:
    """Each command the host console offers, with the reason the rules refuse it now (None: accepted).

    The console enables the accepted ones and, when the host asks for a refused one, says why.
    """
    candidates: list[c.Command] = [
        c.StartContest(), c.StartStage(), c.NextQuestion(), c.OpenBuzzers(), c.CloseBuzzers(),
        c.Judge(verdict="right"), c.Judge(verdict="wrong"), c.Judge(verdict="void"), c.Pass(),
        c.TimeOut(), c.RevealAnswer(), c.EndStage(), c.Undo(), c.FinishContest(),
        c.HideScores(), c.FreezeScores(), c.UnfreezeScores(), c.RevealNextPlace(), c.RevealAllPlaces(),
    ]
    candidates += [c.StartTiebreak(teams=group) for group in pending_ties(state)]
    holder = state.stage.holder if state.stage else None
    if holder is not None:
        tiers = getattr(state.config.stages[state.stage.index].rules, "tiers", ())
        candidates += [c.ChooseTier(team=holder, tier=tier) for tier in tiers]
        candidates.append(c.Abstain(team=holder))
    return [(command, refusal_reason(state, command, now)) for command in candidates]


def available_commands(state: ContestState, now: int) -> list[c.Command]:
    """The host's commands that the rules accept right now (for the console's buttons)."""
    return [command for command, reason in host_commands(state, now) if reason is None]


def refusal_reason(state: ContestState, command: c.Command, now: int) -> str | None:
    """Why the rules would refuse ``command`` now, or None when they would accept it (nothing is changed)."""
    try:
        decide(state, command, now)
    except Refusal as refusal:
        return refusal.reason
    return None


def is_accepted(state: ContestState, command: c.Command, now: int) -> bool:
    """Whether the rules would accept ``command`` now (nothing is changed)."""
    return refusal_reason(state, command, now) is None
