"""A Core statement compiled once for the database in use and run on the driver's own cursor.

SQLAlchemy's ``Connection.execute`` costs about 30 µs of Python a statement (cache look-up,
execution context, result wrapper, events) where SQLite itself takes 5; on the preliminary's
answer save, the one request a round makes a hundred thousand times, that was most of its CPU
(bench.preliminary_cpu). :class:`Prepared` keeps what SQLAlchemy would do for these few
statements: the SQL is compiled by the dialect (so the same statement runs on SQLite and
PostgreSQL), fixed values and parameter order come from that compilation, and the column types'
own bind and result processors convert values (JSON columns come back as Python objects on
either driver). What it leaves out is only the per-call machinery, and the connection's
``before_cursor_execute`` events, which no statement here needs.
"""
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class _Compiled:
    """A statement as one dialect runs it."""

    sql: str
    names: tuple[str, ...] | None  # parameter order for positional drivers; None: by name
    fixed: dict[str, Any]
    bind_processors: dict[str, Callable]
    result_processors: tuple[Callable | None, ...]


class Prepared:
    """``statement`` (a Core select, insert or update with ``bindparam`` values), ready to run."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect: Dialect) -> _Compiled:
        """The statement compiled for ``dialect`` (once)."""
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = self._by_dialect[dialect.name] = self._compile(dialect)
        return compiled

    def _compile(self, dialect: Dialect) -> _Compiled:
        """Compile for ``dialect``, with the processors SQLAlchemy would use."""
        compiled = self.statement.compile(dialect=dialect)
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        fixed = {name: bind.value for name, bind in binds.items() if not bind.required}
        bind_processors = {name: processor for name, bind in binds.items()
                           if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))}
        columns = getattr(self.statement, "selected_columns", ())
        result_processors = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                                  for column in columns)
        names = tuple(compiled.positiontup) if compiled.positional else None
        return _Compiled(compiled.string, names, fixed, bind_processors, result_processors)

    def execute(self, connection, dialect: Dialect, params: dict[str, Any]):
        """Run on ``connection`` (a DB-API connection); the driver's cursor."""
        compiled = self._compiled(dialect)
        values = {**compiled.fixed, **params}
        for name, processor in compiled.bind_processors.items():
            values[name] = processor(values[name])
        cursor = connection.cursor()
        cursor.execute(compiled.sql, tuple(values[name] for name in compiled.names) if compiled.names else values)
        return cursor

    def first(self, connection, dialect: Dialect, params: dict[str, Any]) -> tuple | None:
        """The first row of a select, its values converted by the columns' types; None when none."""
        cursor = self.execute(connection, dialect, params)
        row = cursor.fetchone()
        cursor.close()
        if row is None:
            return None
        return tuple(value if processor is None else processor(value)
                     for processor, value in zip(self._compiled(dialect).result_processors, row))
