"""The common answer written in as few round trips as the database allows, under the same rules.

:mod:`preliminary.quick_save` reads, decides, and then has this module store the answer and move
the attempt on to the next question. The rules are the same on every database: the answer and the
move are stored together or not at all; the move is guarded by the position and status the save
read, so a concurrent save or a time-out that moved the attempt first makes it store nothing; an
answer already there (the unique ``(attempt, position)``, stored a moment ago by another request)
stores nothing; and :func:`store` says True only once the data is committed, so the phone is
acknowledged only then.

How differs by database, on purpose:

* **PostgreSQL**: every statement is a round trip to the server, and in a server process each one
  costs eventlet's green ``select`` and psycopg's send machinery (most of a save's CPU in a py-spy
  profile of bench.scale's cluster). psycopg outside autocommit sends BEGIN and COMMIT as round
  trips of their own: read, insert, update and those two made five. Here the connection is in
  autocommit while the save uses it (:func:`save_connection`): the read is one statement of its own
  (it needs no transaction: whatever it found that matters to the write is checked again by the
  guarded move), and the write is one statement, ``WITH moved AS (UPDATE … RETURNING id) INSERT …
  SELECT … FROM moved``, which PostgreSQL runs atomically: it inserts only if the guarded update moved
  the attempt, and a unique violation of the insert undoes the update with it. Two round trips; the
  statement's own commit makes it durable before it returns. A concurrent update of the same attempt
  waits for the row and then finds the position moved (READ COMMITTED re-reads the row), so it
  stores nothing.
* **SQLite**: in-process, a statement costs no round trip, and SQLite has no INSERT/UPDATE inside a
  WITH. The insert and the guarded update run in one transaction and commit (pysqlite begins it at
  the insert; the read before it opens none).
"""
from contextlib import contextmanager
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.pool import PoolProxiedConnection

from preliminary.models import AttemptStatus, PrelimAnswer, PrelimAttempt
from preliminary.prepared import Prepared

_ANSWER, _ATTEMPT = PrelimAnswer.__table__, PrelimAttempt.__table__
_ANSWER_COLUMNS = ("attempt_id", "position", "question_id", "choice", "points", "answered_ms")
_POSITION = sa.bindparam("position", type_=sa.Integer)
_MOVE_ON = (
    sa.update(_ATTEMPT)
    .where(_ATTEMPT.c.id == sa.bindparam("attempt_id"), _ATTEMPT.c.position == _POSITION,
           _ATTEMPT.c.status == AttemptStatus.OPEN.value)
    .values(position=_POSITION + 1, question_started_ms=sa.bindparam("answered_ms"),
            score=_ATTEMPT.c.score + sa.bindparam("points"))
)
"""The attempt moved on past the answered position, only if it is still there and open."""
_SQLITE_INSERT = Prepared(sa.insert(_ANSWER).values({name: sa.bindparam(name) for name in _ANSWER_COLUMNS}))
_SQLITE_MOVE_ON = Prepared(_MOVE_ON)
_moved = _MOVE_ON.returning(_ATTEMPT.c.id).cte("moved")
_POSTGRESQL_MOVE_ON_AND_INSERT = Prepared(
    sa.insert(_ANSWER).add_cte(_moved).from_select(
        _ANSWER_COLUMNS, sa.select(_moved.c.id, *(sa.bindparam(column.name, type_=column.type)
                                                  for column in (_ANSWER.c[name] for name in _ANSWER_COLUMNS[1:]))))
)
"""Both in one statement: the answer's row is inserted from the moved attempt's, so only if it moved."""


@contextmanager
def save_connection(engine: Engine) -> Iterator[PoolProxiedConnection]:
    """A pooled DB-API connection for one save; back to the pool after, rolled back unless committed.

    On PostgreSQL it is in autocommit meanwhile (see the module's docstring). psycopg's autocommit
    is a setting of the client (changing it sends nothing) that it lets change only outside a
    transaction, which autocommit never opens; it is set back before the connection goes back, so
    every other user of the pool finds it transactional as always (the pool's rollback on return
    then has nothing to roll back and sends nothing either). Only a broken connection (the server
    went away mid-save) refuses to be set back; its error goes up like any other of the save, and the
    pool's rollback on return fails on it too, so the pool drops it rather than hand it on.
    Prepared statements are the session's, not the transaction's: psycopg still prepares the two
    statements after their fifth run on a connection, and with no transaction left to roll back no
    ROLLBACK makes it deallocate them.
    """
    connection = engine.raw_connection()
    driver = connection.driver_connection if engine.dialect.name == "postgresql" else None
    try:
        if driver is not None:
            driver.autocommit = True
        yield connection
    finally:
        try:
            if driver is not None:
                driver.autocommit = False
        finally:
            connection.close()


def store(connection: PoolProxiedConnection, dialect: Dialect, answer: dict[str, Any]) -> bool:
    """Store ``answer`` (its attempt_id, position, question_id, choice, points, answered_ms) and move
    its attempt on from that position, at ``answered_ms``; True once committed, False with nothing
    stored when the attempt was not open at that position or the answer was there already."""
    try:
        if dialect.name == "postgresql":
            return _POSTGRESQL_MOVE_ON_AND_INSERT.execute(connection, dialect, answer).rowcount == 1
        _SQLITE_INSERT.execute(connection, dialect, answer)
        if _SQLITE_MOVE_ON.execute(connection, dialect, answer).rowcount != 1:
            return False
    except dialect.loaded_dbapi.IntegrityError:
        return False
    connection.commit()
    return True
