"""Answering: starting an attempt, storing each answer when given, and the server's clock on both.

Every rule of time is enforced here, at the server: an attempt's clock runs from its start
whether or not the phone is open; an answer is accepted until its time limit (or the window's end)
plus :data:`~preliminary.settings.GRACE_SECONDS`; an attempt whose time ran out is closed the
next time anybody looks at it (:func:`settle`). Each answer is committed before it is
acknowledged, so a reload, a lost network or another phone finds it stored. The right answers
never leave the server before the attempt is over.
"""
import random
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from contest_setup import bank
from extensions import db
from preliminary import service
from preliminary.models import AttemptStatus, PrelimAnswer, PrelimAttempt, PrelimPerson, PrelimRound
from preliminary.paper import PaperError, draw_paper
from preliminary.scoring import AnswerError, answer_points, full_marks, normalise_choice
from preliminary.service import PrelimError, ms_of, round_settings
from preliminary.settings import GRACE_SECONDS, RoundSettings, TimeMode, local_day
from question_bank.models import Question

GRACE_MS = GRACE_SECONDS * 1000


@dataclass(frozen=True)
class Allowance:
    """How many attempts a person has used and may still start, and why not when none."""

    used: int
    total: int
    today_left: int | None
    reason: str

    @property
    def can_start(self) -> bool:
        """Whether the person may start an attempt now."""
        return not self.reason


def open_attempt(person: PrelimPerson) -> PrelimAttempt | None:
    """The person's attempt in progress, if any."""
    return db.session.scalar(sa.select(PrelimAttempt).where(PrelimAttempt.person_id == person.id,
                                                            PrelimAttempt.status == AttemptStatus.OPEN))


def person_attempts(person: PrelimPerson) -> list[PrelimAttempt]:
    """Every attempt of a person, oldest first."""
    return list(db.session.scalars(sa.select(PrelimAttempt).where(PrelimAttempt.person_id == person.id)
                                   .order_by(PrelimAttempt.id)))


def allowance(prelim: PrelimRound, person: PrelimPerson, now: int, settings: RoundSettings | None = None,
              attempts: list[PrelimAttempt] | None = None) -> Allowance:
    """What the person may still do at ``now`` under the round's window and attempt limits (given
    the person's ``attempts`` when already read)."""
    settings = settings or round_settings(prelim)
    attempts = person_attempts(person) if attempts is None else attempts
    today = local_day_ms(now)
    used_today = sum(1 for attempt in attempts if attempt.day == today)
    today_left = settings.attempts_per_day - used_today if settings.attempts_per_day else None
    phase = service.window_phase(prelim, now)
    reason = ""
    if phase == "before":
        reason = "答题尚未开始"
    elif phase == "closed":
        reason = "答题时间已结束"
    elif len(attempts) >= settings.attempts_total:
        reason = f"您的答题次数已用完（共 {settings.attempts_total} 次）"
    elif today_left is not None and today_left <= 0:
        reason = f"今天的答题次数已用完（每天 {settings.attempts_per_day} 次），明天再来"
    return Allowance(len(attempts), settings.attempts_total, today_left, reason)


def local_day_ms(now: int) -> str:
    """The Beijing calendar day of a server time in ms."""
    from datetime import datetime, timezone

    return local_day(datetime.fromtimestamp(now / 1000, tz=timezone.utc))


def start_attempt(prelim: PrelimRound, person: PrelimPerson, now: int, rng: random.Random | None = None) -> PrelimAttempt:
    """Start a new attempt with a freshly drawn paper, or give back the one in progress."""
    current = open_attempt(person)
    if current is not None and not settle(current, prelim, now):
        return current
    settings = round_settings(prelim)
    allowed = allowance(prelim, person, now, settings)
    if not allowed.can_start:
        raise PrelimError(allowed.reason)
    questions = service.round_questions(prelim)
    try:
        paper = draw_paper(questions, service.round_strata(prelim), rng or random.Random(),
                           settings.shuffle_questions, settings.shuffle_options)
    except PaperError as error:
        raise PrelimError("试卷暂时无法生成，请联系组织者（题库题目不足）") from error
    types = {question["id"]: question["type"] for question in questions}
    window_end = ms_of(prelim.window_end)
    paper_end = now + settings.paper_seconds * 1000 if settings.time_mode == TimeMode.PAPER else window_end
    attempt = PrelimAttempt(
        round_id=prelim.id, person_id=person.id, company_id=person.company_id, day=local_day_ms(now),
        paper=[[item.question_id, list(item.option_order)] for item in paper],
        position=0, started_ms=now, question_started_ms=now, deadline_ms=min(paper_end, window_end),
        full_marks=full_marks((types[item.question_id] for item in paper), settings),
    )
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:  # a second "start" from another phone won the race: use its attempt
        db.session.rollback()
        attempt = open_attempt(person)
        if attempt is None:
            raise
    return attempt


def question_deadline(attempt: "PrelimAttempt | Sitting", settings: RoundSettings) -> int:
    """When the current question's time runs out (ms), for an attempt or a snapshot of one."""
    if settings.time_mode == TimeMode.QUESTION:
        return min(attempt.question_started_ms + settings.question_seconds * 1000, attempt.deadline_ms)
    return attempt.deadline_ms


def settle(attempt: PrelimAttempt, prelim: PrelimRound, now: int, settings: RoundSettings | None = None) -> bool:
    """Apply the clock to an open attempt at ``now``: time out questions, close it when its time is over.

    Returns whether the attempt is closed afterwards. Commits only when something changed.
    """
    if attempt.status != AttemptStatus.OPEN:
        return True
    settings = settings or round_settings(prelim)
    changed = False
    while attempt.status == AttemptStatus.OPEN and now > question_deadline(attempt, settings) + GRACE_MS:
        deadline = question_deadline(attempt, settings)
        if settings.time_mode == TimeMode.PAPER or deadline >= attempt.deadline_ms:
            _finish(attempt, deadline)
        else:
            db.session.add(PrelimAnswer(attempt_id=attempt.id, position=attempt.position,
                                        question_id=attempt.question_ids[attempt.position], choice=None,
                                        points=0, answered_ms=deadline))
            _advance(attempt, deadline + GRACE_MS)
        changed = True
    if changed:
        db.session.commit()
    return attempt.status != AttemptStatus.OPEN


def _advance(attempt: PrelimAttempt, moment: int) -> None:
    """Move to the next question at ``moment``, or finish after the last one."""
    _apply(attempt, _advanced(attempt, moment))


def _finish(attempt: PrelimAttempt, moment: int) -> None:
    """Close an attempt at ``moment``."""
    _apply(attempt, _finished(attempt, moment))


def _advanced(attempt: PrelimAttempt, moment: int) -> dict:
    """The attempt's changed fields after moving on to the next question at ``moment`` (finished after the last)."""
    changes = {"position": attempt.position + 1, "question_started_ms": moment}
    if changes["position"] >= len(attempt.paper):
        changes.update(_finished(attempt, min(moment, attempt.deadline_ms)))
    return changes


def _finished(attempt: PrelimAttempt, moment: int) -> dict:
    """The attempt's changed fields when closed at ``moment``."""
    return {"status": AttemptStatus.FINISHED, "finished_ms": max(moment, attempt.started_ms)}


def _apply(attempt: PrelimAttempt, changes: dict) -> None:
    """Set the attempt's fields (the session writes them at the next commit)."""
    for name, value in changes.items():
        setattr(attempt, name, value)


@dataclass(frozen=True)
class Sitting:
    """An attempt as it stood when last changed; kept because a commit expires the row itself."""

    id: int
    position: int
    paper: list
    question_started_ms: int
    deadline_ms: int
    leave_count: int
    status: str

    @property
    def is_open(self) -> bool:
        """Whether the attempt is still being answered."""
        return self.status == AttemptStatus.OPEN

    @property
    def current_question_id(self) -> int:
        """The question being answered now."""
        return self.paper[self.position][0]


def sitting_of(attempt: PrelimAttempt) -> Sitting:
    """A snapshot of ``attempt``."""
    return Sitting(attempt.id, attempt.position, attempt.paper, attempt.question_started_ms, attempt.deadline_ms,
                   attempt.leave_count, attempt.status)


@dataclass(frozen=True)
class Ack:
    """The server's answer to an answer: stored (or already stored, the same), and where the paper is now."""

    duplicate: bool
    sitting: Sitting


def submit_answer(prelim: PrelimRound, person: PrelimPerson, payload: object, now: int) -> Ack:
    """Store one answer of ``person`` (``{"attempt", "position", "question", "choice"}``), once.

    Refused, with nothing stored: another person's attempt, a question not in the paper, a
    question that is not the current one, an answer after the time limit or the window's end, a
    different answer to a question already answered. The same answer sent again is acknowledged
    again (a phone that lost the first acknowledgement resends). The common case (the current
    question, in time) costs three reads and one write: the questions come from the round's cache.
    """
    attempt_id, position, question_id, choice = answer_fields(payload)
    attempt = db.session.get(PrelimAttempt, attempt_id)
    if attempt is None or attempt.person_id != person.id:
        raise PrelimError("这不是您的答题记录")
    if not 0 <= position < len(attempt.paper) or attempt.question_ids[position] != question_id:
        raise PrelimError("该题不在您的试卷中")
    question = question_dict(prelim, question_id)
    try:
        given = normalise_choice(question["type"], len(question["options"]), choice)
    except AnswerError as error:
        raise PrelimError(str(error)) from error
    settings = round_settings(prelim)
    settle(attempt, prelim, now, settings)
    if attempt.status == AttemptStatus.OPEN and position == attempt.position:
        points = answer_points(question["type"], question["answer"], given, settings)
        answer = {"attempt_id": attempt.id, "position": position, "question_id": question_id, "choice": given,
                  "points": points, "answered_ms": now}
        try:
            _store_answer(attempt, answer, {**_advanced(attempt, now), "score": attempt.score + points})
        except IntegrityError:  # the same answer arrived twice at once; the first one is stored
            db.session.rollback()
            return submit_answer(prelim, person, payload, now)
        return Ack(False, sitting_of(attempt))
    stored = _stored_answer(attempt.id, position)
    if stored is not None:
        if stored.choice == given:
            return Ack(True, sitting_of(attempt))
        raise PrelimError("本题已作答，答案不能修改" if stored.choice else "本题作答时间已到，答案未被记录")
    if attempt.status == AttemptStatus.VOID:
        raise PrelimError("本次答题因离开页面次数过多已作废")
    if attempt.status != AttemptStatus.OPEN:
        raise PrelimError("本次答题时间已到，答案未被记录")
    raise PrelimError("请按顺序作答当前题目")


_PROGRESS = ("position", "question_started_ms", "score", "status", "finished_ms")
"""What answering a question may change in its attempt."""
_INSERT_ANSWER = sa.insert(PrelimAnswer.__table__)
_WRITE_PROGRESS = (sa.update(PrelimAttempt.__table__).where(PrelimAttempt.__table__.c.id == sa.bindparam("attempt_id"))
                   .values({name: sa.bindparam(f"new_{name}") for name in _PROGRESS}))


def _store_answer(attempt: PrelimAttempt, answer: dict, changes: dict) -> None:
    """Insert ``answer``, write the ``attempt``'s ``changes`` and commit; then the loaded attempt holds them.

    Two statements built once, with the attempt left untouched until they are committed: the ORM's
    flush of the same two rows cost more CPU than everything else an answer does
    (bench.preliminary_cpu), and a clean session commits without one.
    """
    progress = {f"new_{name}": changes.get(name, getattr(attempt, name)) for name in _PROGRESS}
    db.session.execute(_INSERT_ANSWER, answer)
    db.session.execute(_WRITE_PROGRESS, {"attempt_id": attempt.id, **progress})
    _commit_keeping_values()
    for name, value in changes.items():
        set_committed_value(attempt, name, value)


def _commit_keeping_values() -> None:
    """Commit without expiring the loaded rows: the reply is built from the round and the attempt
    just written, and reading them back would cost a query each on every answer."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def paper_questions(prelim: PrelimRound, attempt: PrelimAttempt) -> dict[int, dict]:
    """The questions of an attempt's paper by id: from the round's cache, the bank for any it lacks
    (a question deleted since is left out)."""
    cached = service.round_question_map(prelim)
    questions = {qid: cached[qid] for qid in attempt.question_ids if qid in cached}
    missing = [qid for qid in attempt.question_ids if qid not in questions]
    return {**questions, **bank.questions_by_id(missing)} if missing else questions


def question_dict(prelim: PrelimRound, question_id: int) -> dict:
    """A question of the round as a plain dict, from the round's cache (or the bank, if just added)."""
    question = service.round_question_map(prelim).get(question_id)
    if question is None:
        row = db.session.get(Question, question_id)
        if row is None:
            raise PrelimError("该题已从题库删除，请联系组织者")
        question = row.to_contest_question()
    return question


def answer_fields(payload: object) -> tuple[int, int, int, object]:
    """The attempt, position, question and choice of an answer request, checked for shape."""
    if not isinstance(payload, dict):
        raise PrelimError("请求格式不正确")
    values = [payload.get(key) for key in ("attempt", "position", "question")]
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        raise PrelimError("请求格式不正确")
    return values[0], values[1], values[2], payload.get("choice")


def _stored_answer(attempt_id: int, position: int) -> PrelimAnswer | None:
    """The answer stored for one question of an attempt."""
    return db.session.scalar(sa.select(PrelimAnswer).where(PrelimAnswer.attempt_id == attempt_id,
                                                           PrelimAnswer.position == position))


def record_leave(prelim: PrelimRound, person: PrelimPerson, attempt_id: object, now: int) -> PrelimAttempt:
    """Count one time the person left the answering page; void the attempt past the round's limit."""
    attempt = db.session.get(PrelimAttempt, attempt_id) if isinstance(attempt_id, int) else None
    if attempt is None or attempt.person_id != person.id:
        raise PrelimError("这不是您的答题记录")
    settings = round_settings(prelim)
    if settle(attempt, prelim, now, settings):
        return attempt
    attempt.leave_count += 1
    if settings.leave_limit and attempt.leave_count > settings.leave_limit:
        attempt.status = AttemptStatus.VOID
        attempt.finished_ms = now
    db.session.commit()
    return attempt


def answers_of(attempt: PrelimAttempt) -> list[PrelimAnswer]:
    """The stored answers of an attempt, in paper order."""
    return list(db.session.scalars(sa.select(PrelimAnswer).where(PrelimAnswer.attempt_id == attempt.id)
                                   .order_by(PrelimAnswer.position)))


def settle_round(prelim: PrelimRound, now: int) -> None:
    """Close every attempt of the round whose time is over (before results are computed).

    Only the attempts :func:`settle` would change are loaded: during a rush a thousand papers are
    open at once, and reading each (its paper is JSON) every few seconds cost a server process a
    sixth of its CPU (docs/performance.md).
    """
    settings = round_settings(prelim)
    for attempt in db.session.scalars(sa.select(PrelimAttempt).where(PrelimAttempt.round_id == prelim.id,
                                                                     PrelimAttempt.status == AttemptStatus.OPEN,
                                                                     overdue(settings, now))):
        settle(attempt, prelim, now, settings)


def overdue(settings: RoundSettings, now: int) -> sa.ColumnElement[bool]:
    """SQL for "the current question's time, grace included, is over at ``now``": the loop of :func:`settle`."""
    late = now - GRACE_MS
    over = PrelimAttempt.deadline_ms < late
    if settings.time_mode == TimeMode.QUESTION:
        over = sa.or_(over, PrelimAttempt.question_started_ms < late - settings.question_seconds * 1000)
    return over
