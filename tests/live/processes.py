"""Two real server processes of one installation: one database, one Redis, one Socket.IO channel.

The database is the demo's (a shared SQLite file in the first server's instance folder, or the
PostgreSQL copy of ``TEST_DATABASE_URL``); the queue is ``TEST_REDIS_URL`` (default
``redis://127.0.0.1:6379/0``), under a channel of the test's own so that sessions sharing one Redis
never hear each other. Without a Redis answering, the tests are skipped, except in CI (``CI`` set).
"""
import os
import uuid

import pytest
import redis
import sqlalchemy as sa

from tests.live_server import LiveServer

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_or_skip() -> redis.Redis:
    """The test Redis; the test is skipped (failed in CI) when it does not answer."""
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis at TEST_REDIS_URL={TEST_REDIS_URL} does not answer ({error}): start redis-server")
    return client


def cluster_settings() -> dict[str, str]:
    """The settings every process of one test's installation shares."""
    return {"SOCKETIO_MESSAGE_QUEUE": TEST_REDIS_URL, "SOCKETIO_CHANNEL": f"contest-test-{uuid.uuid4().hex[:12]}"}


def sibling(first: LiveServer) -> LiveServer:
    """A second process of ``first``'s installation: same instance folder (secret key, SQLite file), database and queue."""
    return LiveServer(instance=first.instance, demo=first.demo, database=first.database, settings=first.settings,
                      async_mode=first.async_mode)


def owner_of(server: LiveServer, client: redis.Redis) -> str | None:
    """The process id of the lease holder of the demo contest (play/cluster.py names it host-pid-random)."""
    value = client.get(f"{server.settings['SOCKETIO_CHANNEL']}:play:owner:{server.demo['contest']}")
    return value.decode().rsplit("-", 2)[1] if value else None


def stored_events(server: LiveServer) -> list[tuple[int, str, str]]:
    """The demo contest's event log as stored: (seq, kind, actor) in order."""
    url = server.database.get("DATABASE_URL") or f"sqlite:///{server.instance}/contest.db"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT seq, kind, actor FROM contest_event WHERE contest_id = :c "
                                              "ORDER BY seq"), {"c": server.demo["contest"]})
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()


def assert_gapless(events: list[tuple[int, str, str]]) -> None:
    """Every seq from 1 on, exactly once."""
    seqs = [seq for seq, _kind, _actor in events]
    assert seqs == list(range(1, len(seqs) + 1)), f"the event log has gaps or repeats: {seqs}"
