"""Database set-up that the models do not express: SQLite pragmas and table creation."""
from sqlalchemy import event
from sqlalchemy.engine import Engine


def use_sqlite_wal(engine: Engine) -> None:
    """Put every SQLite connection in WAL mode with a busy timeout.

    WAL lets the live pages read while a decision is written, and the timeout makes a second
    writer wait for the lock instead of failing at once. Other databases are left untouched.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record):  # pragma: no cover - exercised on connect
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
