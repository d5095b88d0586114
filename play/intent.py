"""Where in the contest a host command was meant to act, so that a queued key press never lands
on a later question than the one it was pressed for.

A host marking a speed round presses R once a second, faster than the server's change reaches the
console. The console therefore queues its commands and names, with each, the place it was
pressed for: ``{"stage": <stage index>, "turn": <turn>, "question": <question_number>}`` (each
``null`` where there is none: between stages, between questions). The server executes the
command only while the contest is still at that place, and otherwise refuses it with a reason
naming both places. See docs/protocol.md ("meant_for").
"""
from dataclasses import dataclass
from typing import Any

from contest.engine import Refusal
from contest.state import ContestState

FIELDS = ("stage", "turn", "question")


@dataclass(frozen=True)
class Place:
    """A place in the contest: the stage being played, its turn and its question (None where none)."""

    stage: int | None
    turn: int | None
    question: int | None

    @classmethod
    def of(cls, state: ContestState | None) -> "Place":
        """Where ``state`` is now (before the start: no stage)."""
        stage = state.stage if state is not None else None
        if stage is None:
            return cls(None, None, None)
        return cls(stage.index, stage.turn, stage.next_question if stage.question else None)

    def describe(self, state: ContestState | None) -> str:
        """The place as the host reads it, e.g. "速答题第 3 题"."""
        if self.stage is None or state is None or not 0 <= self.stage < len(state.config.stages):
            return "环节之间"
        title = state.config.stages[self.stage].display_title
        return f"{title}第 {self.question} 题" if self.question is not None else f"{title}（题目之间）"


def check(state: ContestState | None, meant_for: Place | None) -> None:
    """Refuse a command whose place is no longer the contest's (nothing to check without one)."""
    if meant_for is None:
        return
    now = Place.of(state)
    if now != meant_for:
        raise Refusal(f"按键时是{meant_for.describe(state)}，现在已是{now.describe(state)}，"
                      "为免记到别的题上，本操作未执行")


def parse(value: Any) -> Place | None:
    """The ``meant_for`` member of a host command, or None; ValueError (Chinese) when malformed."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - set(FIELDS):
        raise ValueError("meant_for 应为 {stage, turn, question}")
    numbers = [value.get(name) for name in FIELDS]
    if any(n is not None and (isinstance(n, bool) or not isinstance(n, int)) for n in numbers):
        raise ValueError("meant_for 的 stage、turn、question 应为整数或 null")
    return Place(*numbers)
