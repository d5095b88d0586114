"""The host's audience steps, from a checked payload to the stored step and the screens told.

``{"action": "open", "bank_question": id}`` or ``{"action": "open", "stem": …, "options": [...],
"answer": "B"}``, then ``close``, ``reveal``, optionally ``draw`` (a winner among the right answers),
and ``end``. Each is acknowledged ``{"ok": true}`` or refused with a reason in Chinese.
"""
from typing import Any

from audience import hall as halls
from audience.models import Phase
from audience.publisher import publish_step
from audience.questions import AudienceError, offered, offered_draft, typed
from contest_setup import service


def run(contest_id: int, data: dict[str, Any], who: str) -> dict[str, Any]:
    """Do the step ``data`` asks for and tell every screen."""
    action = data.get("action")
    try:
        if action == "open":
            current = halls.open_question(contest_id, _draft(contest_id, data), who)
        elif action == "close":
            current = halls.step(contest_id, Phase.CLOSED)
        elif action == "reveal":
            current = halls.step(contest_id, Phase.REVEALED)
        elif action == "draw":
            current = halls.draw_winner(contest_id)
        elif action == "end":
            current = halls.end(contest_id)
        else:
            return {"ok": False, "reason": "未知的观众互动操作"}
    except AudienceError as error:
        return {"ok": False, "reason": str(error)}
    publish_step(current)
    return {"ok": True}


def _draft(contest_id: int, data: dict[str, Any]):
    """The question to open: a bank question by id, or the host's own."""
    if "bank_question" in data:
        return offered_draft(service.get_contest(contest_id), data["bank_question"])
    return typed(data.get("stem"), data.get("options"), data.get("answer"))


def offered_questions(contest_id: int) -> list[dict[str, Any]]:
    """The bank questions the host may put to the hall now."""
    return offered(service.get_contest(contest_id))
