"""What each new database connection is told before the platform uses it."""
from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_connections(engine: Engine) -> None:
    """Settings the models do not express, run on every new connection of ``engine``.

    SQLite: WAL lets the live pages read while a decision is written, the busy timeout makes a
    second writer wait for the lock instead of failing at once, and foreign keys are enforced.
    PostgreSQL: the session's time zone is UTC, so a moment stored in a ``timestamp`` column (all
    of them are UTC, naive or not) is stored and read back as the same wall-clock value whatever
    the server's own time zone is, as SQLite does.
    """
    statements = _CONNECTION_SETTINGS.get(engine.dialect.name)
    if not statements:
        return

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):  # pragma: no cover - exercised on connect
        cursor = dbapi_connection.cursor()
        for statement in statements:
            cursor.execute(statement)
        cursor.close()
        if engine.dialect.name == "postgresql":
            dbapi_connection.commit()  # psycopg opened a transaction for the SET


_CONNECTION_SETTINGS = {
    "sqlite": ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
               "PRAGMA busy_timeout=5000"),
    "postgresql": ("SET TIME ZONE 'UTC'",),
}
