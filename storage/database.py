"""Database set-up that the models do not express: SQLite pragmas and adding new columns to old tables."""
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


def add_missing_columns(engine: Engine, metadata: MetaData) -> list[str]:
    """Add to existing tables the columns (and their indexes) that newer models declare.

    ``create_all`` creates missing tables but never changes an existing one, so a database made by
    an earlier version would lack a new column and every page touching its table would fail. New
    columns therefore carry a ``server_default`` (or are nullable), and are added here at start-up.
    Returns the ``table.column`` names added.
    """
    inspector = inspect(engine)
    existing_tables = set(inspector.get_table_names())
    added = []
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name not in existing_tables:
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                column_type = column.type.compile(dialect=engine.dialect)
                default = f" DEFAULT {_sql_literal(column.server_default.arg, engine)}" if column.server_default else ""
                preparer = engine.dialect.identifier_preparer
                connection.execute(text(f"ALTER TABLE {preparer.quote(table.name)} ADD COLUMN "
                                        f"{preparer.quote(column.name)} {column_type}{default}"))
                added.append(f"{table.name}.{column.name}")
            present_indexes = {index["name"] for index in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in present_indexes:
                    index.create(connection)
    return added


def _sql_literal(value, engine: Engine) -> str:
    """A column's server default as SQL: a quoted string, or a compiled expression (``sa.text("2")``)."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value.compile(dialect=engine.dialect))


def drop_retired_columns(engine: Engine, retired: dict[str, tuple[str, ...]]) -> list[str]:
    """Drop columns that the models no longer declare, where an earlier version's database still has them.

    A retired ``NOT NULL`` column without a default would make every new row fail. Returns the
    ``table.column`` names dropped (SQLite 3.35 or later, PostgreSQL).
    """
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    dropped = []
    with engine.begin() as connection:
        for table, columns in retired.items():
            if table not in tables:
                continue
            present = {column["name"] for column in inspector.get_columns(table)}
            preparer = engine.dialect.identifier_preparer
            for column in columns:
                if column in present:
                    connection.execute(text(f"ALTER TABLE {preparer.quote(table)} DROP COLUMN {preparer.quote(column)}"))
                    dropped.append(f"{table}.{column}")
    return dropped
