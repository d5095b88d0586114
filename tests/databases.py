"""The database each test gets: a fresh SQLite file by default, a clean PostgreSQL database when
``TEST_DATABASE_URL`` names a server (``postgresql+psycopg://root@127.0.0.1:5432/contest_test``).

On PostgreSQL the session migrates one database with the real ``flask db upgrade`` and copies it
(``CREATE DATABASE … TEMPLATE``) into a few databases that the web tests borrow: a test borrows
one (or two, for a second installation), and gives it back emptied (``TRUNCATE … RESTART
IDENTITY``, its ids starting at 1 again), so the next test finds it as a new one would be. Making and
dropping a database for every test cost about 2.5 s on a loaded machine; emptying one costs a
fraction. A live server gets a copy of its own (the demo's, or the migrated one). Tests pass alone,
in any order and beside another session on the same server: the names carry the process id, and the
session drops what it created when it ends. The database named in the URL need not exist; the
server's ``postgres`` database is used to create and drop the others.
"""
import atexit
import functools
import itertools
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or None
ROOT = Path(__file__).resolve().parents[1]


def on_postgresql() -> bool:
    """Whether this session's tests run on PostgreSQL."""
    return TEST_DATABASE_URL is not None


class PostgresDatabases:
    """Creates and drops the databases of one test session on one PostgreSQL server."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.prefix = f"{self.url.database or 'contest_test'}_{os.getpid()}"
        self._numbers = itertools.count(1)
        self._created: list[str] = []
        self._idle: list[str] = []  # borrowable databases, emptied, at the newest revision
        self._server = sa.create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                                        poolclass=sa.pool.NullPool)
        atexit.register(self.drop_all)

    def url_of(self, name: str) -> str:
        """The URL of database ``name`` on the same server, as the app and its commands take it."""
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        """A new database, a copy of ``template`` (the migrated empty one when not given); its URL."""
        name = f"{self.prefix}_{next(self._numbers)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template or self.migrated_template}"')
        self._created.append(name)
        return self.url_of(name)

    def borrow(self) -> str:
        """A migrated, empty database no other test is using; its URL (:meth:`give_back` it after)."""
        return self.url_of(self._idle.pop()) if self._idle else self.create()

    def give_back(self, url: str) -> None:
        """Empty a borrowed database for the next test: connections the test left are closed, every
        table but ``alembic_version`` is emptied and its ids restart."""
        name = make_url(url).database
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                       "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            tables = connection.scalars(sa.text("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = "
                                                "current_schema() AND tablename <> 'alembic_version'")).all()
            connection.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        engine.dispose()
        self._idle.append(name)

    def drop(self, url: str) -> None:
        """Drop the database of ``url`` (its connections are closed by the server first)."""
        name = make_url(url).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self._created:
            self._created.remove(name)

    def drop_all(self) -> None:
        """Drop every database this session created, the templates last."""
        for name in reversed(self._created):
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()

    @functools.cached_property
    def migrated_template(self) -> str:
        """A database upgraded to the newest revision by the real command, copied for each test."""
        name = self.empty_database()
        run_flask(["db", "upgrade"], {"DATABASE_URL": self.url_of(name)})
        return name

    def empty_database(self) -> str:
        """A new, empty database (not even migrated); its name."""
        name = f"{self.prefix}_{next(self._numbers)}"
        self._execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return name

    def _execute(self, statement: str) -> None:
        with self._server.connect() as connection:
            connection.exec_driver_sql(statement)


def run_flask(arguments: list[str], env: dict[str, str]) -> str:
    """Run ``flask --app app …`` as an operator would; its output."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *arguments], cwd=ROOT,
                          env={**os.environ, **env}, check=True, capture_output=True, text=True).stdout


@functools.cache
def postgres() -> PostgresDatabases:
    """The session's PostgreSQL databases (only when ``TEST_DATABASE_URL`` is set)."""
    return PostgresDatabases(TEST_DATABASE_URL)


def fresh_database_url(folder: Path, name: str = "test.db", empty: bool = False) -> str:
    """A database for one test alone: a new SQLite file in ``folder``, or a borrowed PostgreSQL one,
    at the newest revision (a new SQLite file is migrated by the app that opens it), or a new
    ``empty`` one without even the schema."""
    if not on_postgresql():
        return f"sqlite:///{folder / name}"
    return postgres().url_of(postgres().empty_database()) if empty else postgres().borrow()


def release_database(url: str, empty: bool = False) -> None:
    """Give back a test's PostgreSQL database, or drop it if it was made ``empty`` (the test may
    have left it in any state); a SQLite file goes with the test's folder."""
    if make_url(url).get_backend_name() != "postgresql":
        return
    if empty:
        postgres().drop(url)
    else:
        postgres().give_back(url)
