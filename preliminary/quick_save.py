"""The common answer, stored without ORM objects: the current question, in time, not the last.

Nearly every answer of a round is this one, and the ORM's request machinery (a session, three
loaded objects, their identity map and attribute events) cost several times what SQLite takes to
store it (bench.preliminary_cpu). So it takes a shorter road to the same rules: one prepared query
reads the cookie's person (with the version the cookie must match), the round's settings and
banks, and the named attempt *only if it is that person's*; :mod:`preliminary.answer_store`
inserts the answer and moves the attempt on, the move guarded by the position and status it was
read with, so a concurrent save or time-out makes it change nothing, and commits (on PostgreSQL the
read and that write are two round trips in all); then the reply, the next question. The answer is
acknowledged only after that commit.

Anything else (no such person or attempt, another person's attempt, a question not current or not
in the paper, a malformed choice, time over, the last question, a race lost) returns None and the
full path of :func:`preliminary.attempts.submit_answer` decides, with its refusals and its end
screen, exactly as before; nothing has been written then.
"""
import json
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from extensions import db
from preliminary import answer_store, service
from preliminary.attempts import GRACE_MS, Sitting, answer_fields, question_deadline
from preliminary.identity import CookieIdentity
from preliminary.models import PrelimAttempt, PrelimPerson, PrelimRound
from preliminary.phone import next_question_reply
from preliminary.prepared import Prepared
from preliminary.scoring import AnswerError, answer_points, normalise_choice
from preliminary.service import PrelimError

_PERSON, _ROUND, _ATTEMPT = PrelimPerson.__table__, PrelimRound.__table__, PrelimAttempt.__table__
_READ = Prepared(
    sa.select(_PERSON.c.version, sa.cast(_ROUND.c.settings, sa.Text), sa.cast(_ROUND.c.bank_ids, sa.Text),
              _ATTEMPT.c.paper, _ATTEMPT.c.position,
              _ATTEMPT.c.question_started_ms, _ATTEMPT.c.deadline_ms, _ATTEMPT.c.leave_count, _ATTEMPT.c.status)
    .select_from(_PERSON.join(_ROUND, _ROUND.c.id == _PERSON.c.round_id)
                 .join(_ATTEMPT, sa.and_(_ATTEMPT.c.id == sa.bindparam("attempt_id"),
                                         _ATTEMPT.c.person_id == _PERSON.c.id)))
    .where(_PERSON.c.id == sa.bindparam("person_id"), _PERSON.c.round_id == sa.bindparam("round_id"))
)
"""Compiled once (preliminary.prepared): composing and executing a statement through SQLAlchemy
costs more CPU than SQLite takes to run it."""


ROUND_JSON_KEPT = 1000
_round_json_decoded: dict[str, Any] = {}


def _round_json(text: str) -> Any:
    """A round's settings or bank list, decoded once per distinct text (every answer reads them
    and they change only when an organizer saves the round)."""
    value = _round_json_decoded.get(text)
    if value is None:
        if len(_round_json_decoded) >= ROUND_JSON_KEPT:
            _round_json_decoded.clear()
        value = _round_json_decoded[text] = json.loads(text)
    return value


def save_and_move_on(round_id: int, cookie: CookieIdentity, payload: object, now: int) -> dict[str, Any] | None:
    """Store the answer ``payload`` of the cookie's person and give the next question; None when
    this is not the common case (see the module's docstring), with nothing stored."""
    try:
        attempt_id, position, question_id, choice = answer_fields(payload)
    except PrelimError:
        return None
    engine = db.engine
    with answer_store.save_connection(engine) as connection:
        found = _READ.first(connection, engine.dialect, {"round_id": round_id, "person_id": cookie.person_id,
                                                          "attempt_id": attempt_id})
        if found is None:
            return None
        version, stored_settings, bank_ids, paper, current, question_started_ms, deadline_ms, leaves, status = found
        if version != cookie.version:
            return None
        settings = service.stored_settings(round_id, _round_json(stored_settings))
        sitting = Sitting(attempt_id, current, paper, question_started_ms, deadline_ms, leaves, status)
        if not (sitting.is_open and position == sitting.position < len(sitting.paper) - 1
                and sitting.current_question_id == question_id
                and now <= question_deadline(sitting, settings) + GRACE_MS):
            return None
        questions = service.question_map(round_id, _round_json(bank_ids))
        question = questions.get(question_id)
        following = questions.get(sitting.paper[position + 1][0])
        if question is None or following is None:
            return None
        try:
            given = normalise_choice(question["type"], len(question["options"]), choice)
        except AnswerError:
            return None
        points = answer_points(question["type"], question["answer"], given, settings)
        if not answer_store.store(connection, engine.dialect, {
                "attempt_id": attempt_id, "position": position, "question_id": question_id, "choice": given,
                "points": points, "answered_ms": now}):
            return None
    reply = next_question_reply(following, replace(sitting, position=position + 1, question_started_ms=now),
                                settings, now)
    return {"ok": True, "saved": True, "duplicate": False, **reply}
