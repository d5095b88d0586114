"""The host's press log: every press of the question on screen, as the console lists it.

It is kept with the contest in memory and filled by :mod:`play.service` before the decision's one
notification, and rebuilt from the stored presses when a process loads the contest (after a
restart the host still sees who pressed for the question on screen).
"""
from contest.events import OPENING, Event
from contest.state import ContestState
from storage.presses import load_presses

Question = tuple[int, int] | None  # (stage index, turn) of the question on screen; None between stages


def question_of(state: ContestState | None) -> Question:
    """The question a press arriving now belongs to in the host's log."""
    stage = state.stage if state else None
    return (stage.index, stage.turn) if stage else None


def rebuilt(contest_id: int, state: ContestState | None, events: list[Event]) -> tuple[Question, list[dict]]:
    """The log of the question on screen, from the presses stored since it was put there."""
    shown = [event.at for event in events if isinstance(event, OPENING)]
    if question_of(state) is None or not shown:
        return None, []
    return question_of(state), [press.for_host() for press in load_presses(contest_id, arrived_from=shown[-1])]

