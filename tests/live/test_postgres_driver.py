"""Does a PostgreSQL query leave the other green threads running, under eventlet and under gevent?

A server process runs every connection on one OS thread: a query that blocked the whole process
while PostgreSQL works would freeze every phone of the hall for as long. Each case runs in a fresh
process patched exactly as ``python app.py`` patches itself (async_server.monkey_patch_for), then
opens the database through SQLAlchemy with psycopg as the app does; one green thread runs
``SELECT pg_sleep(1)`` while another ticks every 50 ms, and counts its ticks during the query.
"""
import json
import subprocess
import sys

import pytest

from tests.databases import TEST_DATABASE_URL, on_postgresql
from tests.live_server import ROOT

pytestmark = [pytest.mark.live, pytest.mark.skipif(not on_postgresql(), reason="TEST_DATABASE_URL is not set")]

PROBE = """
import json, sys, time
from async_server import monkey_patch_for
mode = sys.argv[1]
monkey_patch_for(mode)
import sqlalchemy as sa
import socketio
engine = sa.create_engine(sys.argv[2])
ticks = []
def ticker():
    while True:
        ticks.append(time.monotonic())
        time.sleep(0.05)
server = socketio.Server(async_mode=mode)
with engine.connect() as connection:
    connection.execute(sa.text("SELECT 1"))
    server.start_background_task(ticker)
    time.sleep(0.1)
    start = time.monotonic()
    connection.execute(sa.text("SELECT pg_sleep(1)"))
    end = time.monotonic()
import psycopg.waiting
print(json.dumps({"ticks": sum(start < tick < end for tick in ticks), "seconds": end - start,
                  "wait": psycopg.waiting.wait.__name__}))
"""


@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_a_slow_query_lets_the_other_green_threads_run(async_mode):
    """During a one-second query, does a 50 ms ticker keep ticking (at least a quarter of its 20 ticks)?"""
    output = subprocess.run([sys.executable, "-c", PROBE, async_mode, TEST_DATABASE_URL], cwd=ROOT, check=True,
                            capture_output=True, text=True, timeout=60).stdout
    result = json.loads(output.strip().splitlines()[-1])
    assert result["seconds"] >= 1
    assert result["ticks"] >= 5, result
    assert result["wait"] != "wait_c", result
