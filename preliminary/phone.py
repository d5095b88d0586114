"""What a participant's phone shows, as one JSON document built at the server at ``now``.

The phone renders whatever this says (``phase``: ``question``, ``ready``, ``result`` or
``closed``) and counts down from ``remaining_ms``, the server's own figure, so a reload or a
second phone shows the same question and the same time left. Right answers appear only in the
``review`` of a finished attempt, and only when the round's reveal setting allows.
"""
from typing import Any

from contest_setup import bank
from preliminary import attempts as answering
from preliminary.models import AttemptStatus, PrelimAttempt, PrelimPerson, PrelimRound
from preliminary.results import counted_result, round_results
from preliminary.service import ms_of, round_settings, window_phase
from preliminary.settings import GRACE_SECONDS, Reveal, RoundSettings, TimeMode, window_text
from question_bank.schema import OPTION_LETTERS


def phone_state(prelim: PrelimRound, person: PrelimPerson, now: int) -> dict[str, Any]:
    """The phone's whole screen for ``person`` at ``now``."""
    settings = round_settings(prelim)
    attempts = answering.person_attempts(person)  # read once: every part of the screen needs them
    attempt = next((a for a in attempts if a.status == AttemptStatus.OPEN), None)
    if attempt is not None and answering.settle(attempt, prelim, now, settings):
        attempt = None
    allowed = answering.allowance(prelim, person, now, settings, attempts)
    state: dict[str, Any] = {
        "server_ms": now,
        "grace_ms": GRACE_SECONDS * 1000,
        "person": {"name": person.name, "company": person.company.name},
        "window": {"start": window_text(prelim.window_start), "end": window_text(prelim.window_end),
                   "phase": window_phase(prelim, now)},
        "allowance": {"used": allowed.used, "total": allowed.total, "today_left": allowed.today_left,
                      "can_start": allowed.can_start, "reason": allowed.reason},
    }
    if attempt is not None:
        state["phase"] = "question"
        sitting = answering.sitting_of(attempt)
        state["question"] = question_view(answering.question_dict(prelim, sitting.current_question_id), sitting,
                                          settings, now)
        return state
    closed = [a for a in attempts if a.status != AttemptStatus.OPEN]
    if closed:
        state["phase"] = "result"
        state["result"] = result_view(prelim, person, closed[-1], settings, now, attempts)
    else:
        state["phase"] = "ready" if allowed.can_start else "closed"
    return state


def after_answer(prelim: PrelimRound, person: PrelimPerson, ack: answering.Ack, now: int) -> dict[str, Any]:
    """The reply to an answer: the next question at once (no further reads), or the whole end screen."""
    if not ack.sitting.is_open:
        return phone_state(prelim, person, now)
    question = answering.question_dict(prelim, ack.sitting.current_question_id)
    return next_question_reply(question, ack.sitting, round_settings(prelim), now)


def next_question_reply(question: dict, sitting: answering.Sitting, settings: RoundSettings, now: int) -> dict[str, Any]:
    """The reply to an answer that moved ``sitting`` on to ``question``: that question, nothing else."""
    return {"server_ms": now, "grace_ms": GRACE_SECONDS * 1000, "phase": "question",
            "question": question_view(question, sitting, settings, now)}


def question_view(question: dict, sitting: answering.Sitting, settings: RoundSettings, now: int) -> dict[str, Any]:
    """The sitting's current ``question`` as the person sees it: stem, options in the person's order, time left."""
    question_id, order = sitting.paper[sitting.position]
    options = question["options"]
    deadline = answering.question_deadline(sitting, settings)
    limit = settings.question_seconds if settings.time_mode == TimeMode.QUESTION else settings.paper_seconds
    true_false = question["type"] == "true_false"
    return {
        "attempt": sitting.id,
        "position": sitting.position,
        "number": sitting.position + 1,
        "total": len(sitting.paper),
        "id": question_id,
        "type": question["type"],
        "type_label": bank.TYPE_LABELS.get(question["type"], ""),
        "stem": question["stem"],
        "options": [{"value": "对", "text": "对"}, {"value": "错", "text": "错"}] if true_false
        else [{"value": OPTION_LETTERS[i], "text": options[i]} for i in order if i < len(options)],
        "remaining_ms": max(deadline - now, 0),
        "limit_ms": limit * 1000,
        "per_question": settings.time_mode == TimeMode.QUESTION,
        "leaves": sitting.leave_count,
        "leave_limit": settings.leave_limit,
    }


def result_view(prelim: PrelimRound, person: PrelimPerson, attempt: PrelimAttempt, settings: RoundSettings,
                now: int, attempts: list[PrelimAttempt]) -> dict[str, Any]:
    """The end screen: this attempt, the person's counted rank (among all the person's ``attempts``),
    the company's standing, the review."""
    results = round_results(prelim, now)
    counted = counted_result(attempts, settings)
    rank, ranked = results.place_of(person.id, counted)
    company = results.company(person.company_id)
    view: dict[str, Any] = {
        "attempt": attempt.id,
        "void": attempt.status == AttemptStatus.VOID,
        "score": attempt.score,
        "full_marks": attempt.full_marks,
        "elapsed_ms": attempt.elapsed_ms,
        "leaves": attempt.leave_count,
        "best_score": counted.score if counted else None,
        "rank": rank,
        "ranked": ranked,
        "company": None if company is None else {
            "name": company.name, "rank": company.rank, "companies": len(results.companies),
            "participants": company.participants, "headcount": company.headcount,
            "rate": round(company.rate * 100, 1), "score": company.score,
        },
    }
    if _may_review(prelim, settings, now):
        view["review"] = review(attempt, answering.paper_questions(prelim, attempt))
    else:
        view["review_note"] = ("正确答案将在答题时间结束后公布" if settings.reveal == Reveal.AFTER_WINDOW
                               else "本次初赛不公布正确答案")
    return view


def _may_review(prelim: PrelimRound, settings: RoundSettings, now: int) -> bool:
    """Whether right answers may be shown now."""
    if settings.reveal == Reveal.AFTER_ATTEMPT:
        return True
    return settings.reveal == Reveal.AFTER_WINDOW and now >= ms_of(prelim.window_end)


def review(attempt: PrelimAttempt, questions: dict[int, dict]) -> list[dict[str, Any]]:
    """The paper with the person's answers, the right answers, explanations and policy sources
    (``questions``: the paper's questions by id)."""
    given = {answer.position: answer for answer in answering.answers_of(attempt)}
    items = []
    for position, (question_id, order) in enumerate(attempt.paper):
        question = questions.get(question_id)
        if question is None:
            continue
        answer = given.get(position)
        shown = [OPTION_LETTERS[i] for i in order]
        items.append({
            "number": position + 1,
            "stem": question["stem"],
            "options": [{"label": OPTION_LETTERS[n], "text": question["options"][i]} for n, i in enumerate(order)
                        if i < len(question["options"])],
            "given": _as_shown(answer.choice if answer else None, shown),
            "right": _as_shown(question["answer"], shown),
            "points": answer.points if answer else 0,
            "correct": bool(answer and answer.choice == question["answer"]),
            "explanation": question["explanation"],
            "source": question["source"],
        })
    return items


def _as_shown(letters: str | None, shown: list[str]) -> str:
    """Original option letters as the person saw them (shuffled options get their shown letters)."""
    if letters is None:
        return "未作答"
    if not shown or letters in ("对", "错"):
        return letters
    return "".join(sorted(OPTION_LETTERS[shown.index(letter)] for letter in letters if letter in shown))
