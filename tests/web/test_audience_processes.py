"""The audience hall over two apps on one database and one Redis, in one test process: a host step on
one "process" reaches the other's hall, the distribution each shows is the whole hall's, a phone
answering on both counts once, and the draw reads every process's answers (audience/hall.py,
audience/publisher.py). Skipped when Redis does not answer (failed in CI). The same with real server
processes and sockets: tests/live/test_audience_processes.py.
"""
import time

import pytest
import sqlalchemy as sa

from audience import commands, publisher
from audience import hall as halls
from audience.identity import new_phone
from audience.models import AudienceAnswer
from extensions import db, socketio
from tests.web.test_audience import QUESTION
from tests.web.test_cluster import apps, redis_client  # noqa: F401  (the two apps sharing a Redis)

HOST = "host:host-user"


def step(app, contest_id: int, action: str, **data) -> dict:
    """A host step, received by ``app``'s process."""
    with app.app_context():
        return commands.run(contest_id, {"action": action, **data}, HOST)


def hall_in(app, contest_id: int) -> halls.Hall:
    """``app``'s hall of the contest (loaded, as when one of its screens connected)."""
    with app.app_context():
        return halls.hall(contest_id)


def answer_on(app, contest_id: int, phone, question_id: int, choice: str) -> dict:
    with app.app_context():
        return halls.answer(contest_id, phone, question_id, choice)


def tick(*apps) -> None:
    """One publisher tick of each app, in order."""
    for app in apps:
        with app.app_context():
            publisher.tick()


def shown_in(app, contest_id: int) -> dict:
    """The distribution ``app`` sends its display."""
    with app.app_context():
        return halls.tally_of(halls.hall(contest_id))


def eventually(check, seconds: float = 5.0) -> None:
    """Wait until ``check()`` holds (a step reaches the other process through Redis)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the other process never followed"
        time.sleep(0.02)


def follows(app, contest_id: int, check) -> halls.Hall:
    """``app``'s hall once ``check(hall)`` holds."""
    current = hall_in(app, contest_id)
    eventually(lambda: check(current))
    return current


def stored(app, question_id: int) -> dict[str, str]:
    """phone -> stored choice."""
    with app.app_context():
        return dict(db.session.execute(sa.select(AudienceAnswer.phone, AudienceAnswer.choice)
                                       .where(AudienceAnswer.question_id == question_id)).all())


@pytest.fixture
def opened(apps):
    """A question opened on the first process while the second holds the hall; both see it open."""
    a, b, contest_id = apps
    hall_in(b, contest_id)
    assert step(a, contest_id, **QUESTION) == {"ok": True}
    question_id = hall_in(a, contest_id).question.id
    follows(b, contest_id, lambda current: current.question is not None and current.question.id == question_id)
    return a, b, contest_id, question_id


def test_answers_on_both_processes_make_one_distribution_and_one_draw(opened):
    """Phones answer on either process; each display shows the whole hall's counts; the close stores the
    other process's answers at once, so the draw on the host's process finds the right answers given there."""
    a, b, contest_id, question_id = opened
    on_a, on_b = [new_phone() for _ in range(3)], [new_phone() for _ in range(2)]
    for phone, choice in zip(on_a, "ACA"):
        assert answer_on(a, contest_id, phone, question_id, choice)["ok"]
    for phone in on_b:
        assert answer_on(b, contest_id, phone, question_id, "B") == {"ok": True, "choice": "B"}
    tick(a, b, a)
    whole = {"question": question_id, "counts": [2, 2, 1], "total": 5}
    assert shown_in(b, contest_id) == whole and shown_in(a, contest_id) == whole

    late = new_phone()
    assert answer_on(b, contest_id, late, question_id, "B")["ok"], "the second process has not ticked since"
    assert step(a, contest_id, "close") == {"ok": True}
    eventually(lambda: stored(a, question_id).get(late.id) == "B")  # stored by the other process on hearing it
    assert answer_on(b, contest_id, new_phone(), question_id, "B") == {"ok": False, "reason": "答题已截止"}
    assert step(a, contest_id, "reveal") == {"ok": True}
    assert step(a, contest_id, "draw") == {"ok": True}
    winner = follows(b, contest_id, lambda current: bool(current.question.winner_phone)).question.winner_phone
    assert winner in {phone.id for phone in [*on_b, late]}, "only phones on the second process answered B"
    assert shown_in(a, contest_id)["counts"] == [2, 3, 1]

    assert step(a, contest_id, "end") == {"ok": True}
    follows(b, contest_id, lambda current: current.question is None)


def test_a_phone_answering_on_both_processes_counts_once_with_its_first_answer(opened, monkeypatch):
    """A phone that answered on one process is refused another option on the other (looked up as it
    connects); one that answered on both before either stored gets its first stored answer back, and the
    other answers of the colliding batch are stored."""
    a, b, contest_id, question_id = opened
    moved = new_phone()
    assert answer_on(a, contest_id, moved, question_id, "A")["ok"]
    tick(a)
    with b.app_context():
        halls.recall(halls.hall(contest_id), moved)  # its reconnect lands on the second process
    assert answer_on(b, contest_id, moved, question_id, "C") == \
        {"ok": False, "reason": "您已作答，不能更改", "choice": "A"}

    told = []
    monkeypatch.setattr(socketio, "emit", lambda event, data, **where: told.append((event, data, where)))
    both, other = new_phone(), new_phone()
    assert answer_on(a, contest_id, both, question_id, "B")["ok"]
    assert answer_on(b, contest_id, both, question_id, "C")["ok"], "neither process knows of the other answer yet"
    assert answer_on(b, contest_id, other, question_id, "A")["ok"]
    tick(a, b)
    assert stored(a, question_id) == {moved.id: "A", both.id: "B", other.id: "A"}
    assert hall_in(b, contest_id).answers[both.id] == "B"
    corrections = [data for event, data, where in told if where.get("to") == publisher.phone_room(contest_id, both.id)]
    assert [view["me"]["choice"] for view in corrections] == ["B"], "the phone is shown its first answer"
    tick(a)
    assert shown_in(a, contest_id) == shown_in(b, contest_id) == {"question": question_id, "counts": [2, 1, 0],
                                                                    "total": 3}
