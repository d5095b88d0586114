"""Suspense (悬念): what the hall may see of the scores while the host hides or freezes them, and
the ceremony that uncovers them place by place. Pure.

The real scores never change for it: the host's view, the reports and the rules (the risk
stage's order, ties, prizes) always use them. Only the display's and the phones' projections go
through :func:`hall_standings`.
"""
from dataclasses import replace

from contest.rules import StageKind
from contest.scoring import Standing, standings
from contest.state import ContestState, ContestStatus

HIDDEN = "hidden"  # nothing of the scores, while the contest runs
FROZEN = "frozen"  # the scores of the freeze
CEREMONY = "ceremony"  # after the finish: only the places uncovered so far, from the last upward


def hall_mode(state: ContestState) -> str | None:
    """What the hall sees of the scores: None (the real ones), HIDDEN, FROZEN or CEREMONY."""
    suspense = state.suspense
    if not suspense.active:
        return None
    if state.status == ContestStatus.FINISHED:
        return CEREMONY
    return HIDDEN if suspense.hidden else FROZEN


def hall_standings(state: ContestState) -> list[Standing]:
    """The standings the hall may see: all, the frozen ones, the uncovered ones, or none."""
    mode = hall_mode(state)
    if mode is None:
        return standings(state)
    if mode == HIDDEN:
        return []
    if mode == FROZEN:
        suspense = state.suspense
        return standings(replace(state, scores=suspense.frozen_scores, reached_at=suspense.frozen_reached))
    lines = standings(state)
    return lines[len(lines) - state.suspense.revealed:] if state.suspense.revealed else []


def next_to_reveal(state: ContestState) -> Standing | None:
    """Ceremony: the line the next 揭晓下一名 uncovers (the lowest still covered), or None."""
    if hall_mode(state) != CEREMONY:
        return None
    lines = standings(state)
    covered = len(lines) - state.suspense.revealed
    return lines[covered - 1] if covered > 0 else None


def freeze(state: ContestState) -> None:
    """Keep the scores of now for the hall."""
    state.suspense.frozen_scores = dict(state.scores)
    state.suspense.frozen_reached = dict(state.reached_at)


def clear(state: ContestState) -> None:
    """The hall sees the real scores again (the stages already frozen by rule stay so marked)."""
    state.suspense.hidden = False
    state.suspense.frozen_scores = None
    state.suspense.frozen_reached = None
    state.suspense.revealed = 0


def freeze_if_last_questions(state: ContestState) -> None:
    """The stage's rule 最后 N 题冻结比分: freeze once, when the first of its last N questions (or
    risk turns) goes up. Called after a question or a turn is put up."""
    stage = state.stage
    rules = state.config.stages[stage.index].rules
    last = getattr(rules, "freeze_last", 0)
    if not last or stage.index in state.suspense.auto_frozen:
        return
    if stage.kind == StageKind.BUZZER:
        done, total = len(stage.played_questions), rules.question_count
    elif stage.kind == StageKind.REQUIRED:
        done, total = stage.turn, min(rules.rounds * len(stage.order), len(state.config.stages[stage.index].questions))
    elif stage.kind == StageKind.RISK:
        done, total = stage.turn, rules.rounds * len(stage.order)
    else:
        return
    if done >= total - last:
        state.suspense.auto_frozen.add(stage.index)
        if state.suspense.frozen_scores is None:
            freeze(state)
