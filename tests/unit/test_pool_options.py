"""The database connection pool of a server process: kept open on PostgreSQL, SQLAlchemy's own on
SQLite, the environment's when set."""
from config import pool_options

POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432/contest"
SQLITE = "sqlite:////srv/contest/instance/contest.db"


def test_postgresql_keeps_its_connections_open(monkeypatch):
    for name in ("DATABASE_POOL_SIZE", "DATABASE_POOL_OVERFLOW", "DATABASE_POOL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    assert pool_options(POSTGRES) == {"pool_size": 20, "max_overflow": 0, "pool_timeout": 10.0}
    assert pool_options(SQLITE) == {"pool_size": 5, "max_overflow": 10, "pool_timeout": 10.0}


def test_the_environment_decides_when_set(monkeypatch):
    monkeypatch.setenv("DATABASE_POOL_SIZE", "8")
    monkeypatch.setenv("DATABASE_POOL_OVERFLOW", "4")
    monkeypatch.setenv("DATABASE_POOL_TIMEOUT", "2.5")
    expected = {"pool_size": 8, "max_overflow": 4, "pool_timeout": 2.5}
    assert pool_options(POSTGRES) == expected
    assert pool_options(SQLITE) == expected


def test_an_in_memory_database_takes_no_pool():
    assert pool_options("sqlite://") == {}
    assert pool_options("sqlite:///:memory:") == {}
