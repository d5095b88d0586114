"""The quick save's write (preliminary.answer_store): a save that loses its position to another
request, or finds its answer stored already, stores nothing and leaves the decision to the route; on
PostgreSQL an answer costs two round trips and the pooled connection goes back transactional."""
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from extensions import db
from preliminary import answer_store
from preliminary.models import PrelimAnswer, PrelimAttempt
from tests.databases import on_postgresql
from tests.web.prelim_factories import clock  # noqa: F401  (a fixture)
from tests.web.test_preliminary_phone import answers_stored, hall, register, send, start  # noqa: F401  (hall is a fixture)

on_postgresql_only = pytest.mark.skipif(not on_postgresql(), reason="PostgreSQL's round trips and autocommit")


@pytest.fixture
def before_store(app, monkeypatch):
    """Run a step (set ``step[0]``) on another connection just before the quick save writes; the list
    of what each store returned and of the attempt's (position, score) right after it."""
    step, outcomes = [None], []
    original = answer_store.store

    def interfered(connection, dialect, answer):
        with db.engine.begin() as other:
            step[0](other, answer)
        stored = original(connection, dialect, answer)
        with db.engine.connect() as other:
            attempt = other.execute(sa.select(PrelimAttempt.position, PrelimAttempt.score)).one()
        outcomes.append((stored, tuple(attempt)))
        return stored

    monkeypatch.setattr(answer_store, "store", interfered)
    with app.app_context():
        yield step, outcomes


def test_a_save_whose_position_was_taken_meanwhile_stores_nothing(app, client, hall, before_store):
    """When another request moves the attempt on between the save's read and its write, does the
    write store no answer and leave the attempt where the other request put it?"""
    step, outcomes = before_store
    register(client, hall)
    shown = start(client, hall)["question"]
    step[0] = lambda other, answer: other.execute(
        sa.update(PrelimAttempt).where(PrelimAttempt.id == answer["attempt_id"]).values(position=1))
    reply = send(client, hall, shown)
    assert outcomes == [(False, (1, 0))]
    assert reply.status_code == 409 and answers_stored(app) == 0


def store_and_move_on(other, answer) -> None:
    """What a concurrent save of the same answer commits: the answer, and its attempt moved on."""
    other.execute(sa.insert(PrelimAnswer).values(answer))
    other.execute(sa.update(PrelimAttempt).where(PrelimAttempt.id == answer["attempt_id"])
                  .values(position=answer["position"] + 1, score=PrelimAttempt.score + answer["points"]))


def test_a_save_whose_answer_was_stored_meanwhile_stores_nothing(app, client, hall, before_store):
    """When another request stores the same answer between the save's read and its write (a phone's
    retry), does the write store nothing more, the attempt moved and scored once, and does the route
    then call it a repeat?"""
    step, outcomes = before_store
    register(client, hall)
    shown = start(client, hall)["question"]
    step[0] = store_and_move_on
    reply = send(client, hall, shown)
    assert outcomes == [(False, (1, 1))]  # moved past the first question, scored its 1 point once
    assert reply.get_json()["duplicate"] is True and answers_stored(app) == 1


@contextmanager
def round_trips(app, folder: Path):
    """The messages PostgreSQL received on the connections opened meanwhile (libpq's trace), as a
    list of lines filled when the block ends."""
    received, traces = [], []

    def trace(connection, _record):
        traces.append(open(folder / f"trace{len(traces)}", "w"))
        connection.pgconn.trace(traces[-1].fileno())
        connection.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)

    with app.app_context():
        db.engine.dispose()  # every connection from now on is a new one, traced after its settings
        sa.event.listen(db.engine, "connect", trace)
    try:
        yield received
    finally:
        with app.app_context():
            sa.event.remove(db.engine, "connect", trace)
            db.engine.dispose()
        for file in traces:
            file.close()
            received.extend(Path(file.name).read_text().splitlines())


@on_postgresql_only
def test_an_answer_in_time_is_two_round_trips_on_postgresql(app, client, hall, tmp_path):
    """Does storing an answer on PostgreSQL take one round trip to read and one to write (no BEGIN,
    no COMMIT), the write being the single statement that moves the attempt on and inserts the answer?"""
    register(client, hall)
    shown = start(client, hall)["question"]
    with round_trips(app, tmp_path) as messages:
        assert send(client, hall, shown).get_json()["saved"]
    statements = [line.split('"')[3].split()[0] for line in messages if line.startswith("F\t") and "\tParse\t" in line]
    assert statements == ["SELECT", "WITH"]
    assert sum("\tReadyForQuery\t" in line for line in messages) == 2
    assert not any('"BEGIN"' in line or '"COMMIT"' in line for line in messages)
    assert answers_stored(app) == 1


@on_postgresql_only
def test_the_connection_goes_back_to_the_pool_in_a_transaction_again(app, client, hall, monkeypatch):
    """After a save stored, one refused and one that failed after its read, is every connection the
    saves used back out of autocommit, so the rest of the platform's statements stay transactional?"""
    used, original = [], answer_store.save_connection

    @contextmanager
    def recorded(engine):
        with original(engine) as connection:
            used.append(connection.driver_connection)
            assert connection.driver_connection.autocommit
            yield connection

    monkeypatch.setattr(answer_store, "save_connection", recorded)
    register(client, hall)
    shown = start(client, hall)["question"]
    assert send(client, hall, shown).get_json()["saved"]
    assert send(client, hall, shown).get_json()["duplicate"] is True
    monkeypatch.setattr(answer_store, "_POSTGRESQL_MOVE_ON_AND_INSERT", None)  # fails after the read
    assert send(client, hall, start(client, hall)["question"]).get_json()["saved"]
    assert len(used) == 3 and not any(connection.autocommit for connection in used)
    with app.app_context():
        assert db.engine.pool.checkedout() == 0
