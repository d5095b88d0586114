"""The audience question of each contest in this server process, its answers, and their storage.

A few hundred phones answer within seconds, while the teams' buzzers must stay as fast as ever. So
an answer costs the server no database write and no broadcast: under the hall's lock it is checked
(the question open, the option valid, the phone's first answer) and counted in memory, and the
phone gets its acknowledgement at once. The answers waiting to be stored are written in one
transaction by :func:`store_pending`, which the publisher (:mod:`audience.publisher`) runs a few
times a second, and before anything that reads them back (the draw). A phone answering twice gets
its first answer back (same option) or a refusal (another option): one answer per phone per question.

The host's steps (open, close, reveal, draw, end) are rare and are stored at once. A server that
restarts loads the contest's current question and its stored answers again; answers not yet
stored (at most a publisher period's) are lost, which an audience vote can afford (docs/event-day.md).

Each server process holds its own hall. With several processes (``SOCKETIO_MESSAGE_QUEUE``) the
store is what they share: a host step on one process makes every other one bring its hall to the
stored state (:func:`sync`, run through :mod:`audience.publisher`), each reads the stored counts a
few times a second (:func:`refresh_tally`: the whole hall's distribution is what is stored, plus the
answers this process has not stored yet), and the unique (question, phone) row decides which answer
of a phone that answered on two processes counts (:func:`store_pending`). See docs/reliability.md.
"""
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from audience.identity import AudiencePhone, code_of
from audience.models import AudienceAnswer, AudienceQuestion, Phase, utcnow
from audience.questions import AudienceError, Draft
from extensions import db

NEXT_STEP = {Phase.OPEN: Phase.CLOSED, Phase.CLOSED: Phase.REVEALED}
STEP_REFUSALS = {
    Phase.CLOSED: "只有正在作答的题才能停止作答",
    Phase.REVEALED: "请先停止作答，再公布答案",
}


def now_ms() -> int:
    """The server clock in milliseconds."""
    return int(time.time() * 1000)


@dataclass
class Hall:
    """One contest's audience question in this process: the question, every phone's answer, the tally."""

    contest_id: int
    question: AudienceQuestion | None = None  # detached copy of the current (not ended) question
    answers: dict[str, str] = field(default_factory=dict)  # phone id -> option letter
    tally: Counter = field(default_factory=Counter)  # option letter -> answers
    pending: list[dict[str, Any]] = field(default_factory=list)  # answers not stored yet
    tally_changed: bool = False  # answers came since the display was last told
    corrected: list[AudiencePhone] = field(default_factory=list)  # phones whose answer here lost to a stored one
    lock: threading.RLock = field(default_factory=threading.RLock)
    store_lock: threading.Lock = field(default_factory=threading.Lock)  # taken before ``lock``, never after

    @property
    def total(self) -> int:
        """How many phones answered the current question (``answers`` may also hold phones that
        answered on another process, learnt for refusing them here: the tally counts each once)."""
        return sum(self.tally.values())


@dataclass
class Halls:
    """Every hall of this app, and the audience phones connected to it (for the connection budget)."""

    halls: dict[int, Hall] = field(default_factory=dict)
    phones: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def halls() -> Halls:
    """This app's halls (each app, and so each test, has its own)."""
    return current_app.extensions.setdefault("audience_halls", Halls())


def hall(contest_id: int) -> Hall:
    """The hall of ``contest_id``, with its current question and answers loaded on first use."""
    registry = halls()
    with registry.lock:
        found = registry.halls.get(contest_id)
        if found is None:
            found = registry.halls[contest_id] = _load(contest_id)
        return found


def loaded_hall(contest_id: int) -> Hall | None:
    """The hall of ``contest_id`` if this app holds it (a hall not held is loaded fresh when asked for)."""
    registry = halls()
    with registry.lock:
        return registry.halls.get(contest_id)


def loaded_halls() -> list[Hall]:
    """Every hall this app holds (for the publisher)."""
    registry = halls()
    with registry.lock:
        return list(registry.halls.values())


def _load(contest_id: int) -> Hall:
    """A hall from the database: the contest's question that is not ended, and its answers."""
    return sync(Hall(contest_id))


def sync(current: Hall) -> Hall:
    """Bring ``current`` to the stored state: the contest's question that is not ended, its stored
    answers and the answers this process accepted but has not stored yet (first use, or another
    process's host step). Answering here stops first when the stored question moved on, and this
    process's answers are stored before the others are read, so none is lost or counted twice."""
    stored = _current_question(current.contest_id)
    with current.lock:
        held = current.question
        same = held is not None and stored is not None and held.id == stored.id
        if held is not None and not same:
            held.phase = Phase.CLOSED  # the question was ended elsewhere: no answer in between
        elif same:
            held.phase = stored.phase
    store_pending(current)
    rows = dict(db.session.execute(sa.select(AudienceAnswer.phone, AudienceAnswer.choice)
                                   .where(AudienceAnswer.question_id == stored.id)).all()) if stored else {}
    with current.lock:
        mine = current.answers if same else {}
        current.question = stored
        current.answers = {**mine, **rows}  # the stored answer of a phone wins over one here
        current.tally = Counter(current.answers.values())
    return current


def _current_question(contest_id: int) -> AudienceQuestion | None:
    """The contest's stored question that is not ended (detached), or None."""
    question = db.session.scalars(sa.select(AudienceQuestion).where(
        AudienceQuestion.contest_id == contest_id, AudienceQuestion.phase != Phase.ENDED)
        .order_by(AudienceQuestion.id.desc())).first()
    return _detached(question) if question is not None else None


def _detached(question: AudienceQuestion) -> AudienceQuestion:
    """``question`` loaded and detached from the session, so the hall can keep it between requests."""
    db.session.refresh(question)
    db.session.expunge(question)
    return question


def admit_phone(budget: int) -> bool:
    """Count one more connected audience phone, unless ``budget`` phones are connected already."""
    registry = halls()
    with registry.lock:
        if registry.phones >= budget:
            return False
        registry.phones += 1
        return True


def release_phone() -> None:
    """An audience phone disconnected."""
    registry = halls()
    with registry.lock:
        registry.phones = max(0, registry.phones - 1)


# --- the host's steps ---------------------------------------------------------------------------


def open_question(contest_id: int, draft: Draft, who: str) -> Hall:
    """Put ``draft`` to the hall; refused while another question is not ended."""
    current = hall(contest_id)
    with current.lock:
        if current.question is not None:
            raise AudienceError("请先结束当前观众互动题")
        question = AudienceQuestion(contest_id=contest_id, stem=draft.stem, options=list(draft.options),
                                    answer=draft.answer, bank_question_id=draft.bank_question_id,
                                    phase=Phase.OPEN, opened_by=who)
        db.session.add(question)
        db.session.commit()
        current.question = _detached(question)
        current.answers, current.tally, current.pending = {}, Counter(), []
        current.tally_changed = False  # the step's view carries the empty distribution
    return current


def step(contest_id: int, phase: Phase) -> Hall:
    """Close answering (CLOSED) or show the right option (REVEALED): the next step only."""
    current = hall(contest_id)
    with current.lock:
        question = current.question
        if question is None or NEXT_STEP.get(Phase(question.phase)) != phase:
            raise AudienceError(STEP_REFUSALS[phase])
        _set(question, phase=phase)
    store_pending(current)
    return current


def end(contest_id: int) -> Hall:
    """Put the current question away (the display goes back to the contest); its answers are stored first."""
    current = hall(contest_id)
    with current.lock:
        question = current.question
        if question is None:
            raise AudienceError("当前没有观众互动题")
        if question.phase == Phase.OPEN:
            question.phase = Phase.CLOSED  # no answer may come in between storing and ending
    store_pending(current)
    with current.lock:
        _set(question, phase=Phase.ENDED)
        current.question, current.answers, current.tally = None, {}, Counter()
        current.tally_changed = False
    return current


def draw_winner(contest_id: int, rng: random.Random | None = None) -> Hall:
    """Draw one phone among the right answers, once, after the reveal; the draw is stored."""
    current = hall(contest_id)
    store_pending(current)
    with current.lock:
        question = current.question
        if question is None or question.phase != Phase.REVEALED:
            raise AudienceError("公布答案后才能抽取幸运观众")
        if question.winner_phone:
            raise AudienceError("本题已抽过幸运观众")
        right = db.session.execute(sa.select(AudienceAnswer.phone, AudienceAnswer.company).where(
            AudienceAnswer.question_id == question.id, AudienceAnswer.choice == question.answer)
            .order_by(AudienceAnswer.id)).all()
        if not right:
            raise AudienceError("没有答对的观众，无法抽奖")
        phone, company = (rng or random.SystemRandom()).choice(right)
        _set(question, winner_phone=phone, winner_company=company, drawn_at=utcnow())
    return current


def _set(question: AudienceQuestion, **values: Any) -> None:
    """Store new values of the hall's detached question, and keep them on it."""
    db.session.execute(sa.update(AudienceQuestion).where(AudienceQuestion.id == question.id).values(**values))
    db.session.commit()
    for name, value in values.items():
        setattr(question, name, value)


# --- the hall's answers -------------------------------------------------------------------------


def answer(contest_id: int, phone: AudiencePhone, question_id: Any, choice: Any) -> dict[str, Any]:
    """A phone's answer: counted in memory and acknowledged; stored by the next :func:`store_pending`."""
    current = hall(contest_id)
    with current.lock:
        question = current.question
        if question is None or isinstance(question_id, bool) or question_id != question.id:
            return {"ok": False, "reason": "这道题已结束"}
        first = current.answers.get(phone.id)
        if first is not None:
            return ({"ok": True, "choice": first} if first == choice
                    else {"ok": False, "reason": "您已作答，不能更改", "choice": first})
        if question.phase != Phase.OPEN:
            return {"ok": False, "reason": "答题已截止"}
        if not isinstance(choice, str) or len(choice) != 1 or choice not in letters(question):
            return {"ok": False, "reason": "选项无效"}
        current.answers[phone.id] = choice
        current.tally[choice] += 1
        current.tally_changed = True
        current.pending.append({"question_id": question.id, "phone": phone.id, "company": phone.company,
                                "choice": choice, "answered_ms": now_ms()})
        return {"ok": True, "choice": choice}


def store_pending(current: Hall) -> int:
    """Store the answers that came since the last call, in one transaction; how many were given.

    One plain insert, as a single process always manages. With several processes a phone may have
    answered on another one too: its stored answer wins (the unique row), the batch is stored again
    without it, and the phone is corrected here (:func:`_lost_to_stored`)."""
    with current.store_lock:
        with current.lock:
            batch, current.pending = current.pending, []
        if batch:
            try:
                db.session.execute(sa.insert(AudienceAnswer), batch)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                _store_each_once(current, batch)
        return len(batch)


INSERT_UNLESS_STORED = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
"""Each database's INSERT … ON CONFLICT DO NOTHING (both the platform runs on have it)."""


def _store_each_once(current: Hall, batch: list[dict[str, Any]]) -> None:
    """Store every answer of ``batch`` whose phone has no stored answer to that question yet."""
    insert = INSERT_UNLESS_STORED[db.session.get_bind().dialect.name]
    stored = set(db.session.execute(
        insert(AudienceAnswer).on_conflict_do_nothing().returning(AudienceAnswer.question_id, AudienceAnswer.phone),
        batch).all())
    db.session.commit()
    _lost_to_stored(current, [row for row in batch if (row["question_id"], row["phone"]) not in stored])


def _lost_to_stored(current: Hall, lost: list[dict[str, Any]]) -> None:
    """Answers that another process stored first for their phones: here too the stored answer is the
    phone's, counted once, and the phone is told it (:mod:`audience.publisher`)."""
    for row in lost:
        first = db.session.scalar(sa.select(AudienceAnswer.choice).where(
            AudienceAnswer.question_id == row["question_id"], AudienceAnswer.phone == row["phone"]))
        with current.lock:
            if current.question is None or current.question.id != row["question_id"]:
                continue
            current.tally[row["choice"]] -= 1
            current.tally[first] += 1  # the phone counts once, with its stored answer
            current.answers[row["phone"]] = first
            current.tally_changed = True
            current.corrected.append(AudiencePhone(row["phone"], row["company"]))
        current_app.logger.warning("audience phone %s answered question %s on two processes; its first answer "
                                   "%s counts", code_of(row["phone"]), row["question_id"], first)


def recall(current: Hall, phone: AudiencePhone) -> None:
    """With several processes, when a phone connects: its stored answer to the current question, which
    it may have given on another process (one read per connection, none per answer)."""
    with current.lock:
        question = current.question
        if question is None or phone.id in current.answers:
            return
    first = db.session.scalar(sa.select(AudienceAnswer.choice).where(
        AudienceAnswer.question_id == question.id, AudienceAnswer.phone == phone.id))
    if first is not None:
        with current.lock:
            if current.question is question:
                current.answers.setdefault(phone.id, first)


def refresh_tally(current: Hall) -> None:
    """With several processes: the whole hall's distribution, the stored counts (every process stores
    its answers a few times a second) with the answers here not stored yet."""
    with current.store_lock:  # no batch between the pending list and the store while counting
        with current.lock:
            question = current.question
        if question is None:
            return
        stored = Counter(dict(db.session.execute(
            sa.select(AudienceAnswer.choice, sa.func.count()).where(AudienceAnswer.question_id == question.id)
            .group_by(AudienceAnswer.choice)).all()))
        with current.lock:
            if current.question is not question:
                return
            tally = stored + Counter(row["choice"] for row in current.pending if row["question_id"] == question.id)
            if tally != current.tally:
                current.tally, current.tally_changed = tally, True


def letters(question: AudienceQuestion) -> str:
    """The option letters of ``question``."""
    return "ABCDEF"[: len(question.options)]


# --- what each screen sees ----------------------------------------------------------------------


def tally_of(current: Hall) -> dict[str, Any]:
    """The distribution of answers: a count per option, in option order, and the total."""
    question = current.question
    counts = [current.tally.get(letter, 0) for letter in letters(question)] if question else []
    return {"question": question.id if question else None, "counts": counts, "total": current.total}


def view(current: Hall, role: str, phone: AudiencePhone | None = None) -> dict[str, Any]:
    """What ``role`` (host, display or phone) sees of the hall's question now.

    The host always sees the right option; the display and the phones once it is revealed. The
    host and the display see the live distribution; the phones only the final one, with the answer.
    A phone's own answer and code are added for that phone alone.
    """
    with current.lock:
        question = current.question
        if question is None:
            shown: dict[str, Any] = {"question": None}
        else:
            revealed = question.phase == Phase.REVEALED
            shown = {"question": {"id": question.id, "stem": question.stem, "options": list(question.options),
                                  "phase": question.phase}}
            if revealed or role == "host":
                shown["question"]["answer"] = question.answer
            if revealed or role != "phone":
                shown["tally"] = tally_of(current)
            if question.winner_phone:
                shown["winner"] = {"code": code_of(question.winner_phone), "company": question.winner_company}
        if phone is not None:
            shown["me"] = {"code": phone.code, "company": phone.company,
                           "choice": current.answers.get(phone.id) if question else None}
        return shown
