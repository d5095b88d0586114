"""Database set-up that the models do not express: SQLite pragmas and table creation."""
from sqlalchemy import MetaData, event, inspect, text
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


def add_new_columns(engine: Engine, metadata: MetaData) -> None:
    """Add the nullable columns a newer version put in an existing table (``create_all`` only makes
    missing tables), so a database from before an upgrade keeps working with its rows intact."""
    inspector = inspect(engine)
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
