"""Does a password hash leave the event loop free (issue 15, item 11)?

Under eventlet or gevent a hash computed in the request's green thread stops every other
connection for its duration (scrypt: tens of milliseconds per login). Each case runs in a fresh
monkey-patched interpreter: a green thread ticks every millisecond while one scrypt check runs;
the ticks seen during the check show whether the loop kept running. The bound compares with the
check's own duration, not a wall-clock figure.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys, time, json
library = sys.argv[1]
if library == "eventlet":
    import eventlet; eventlet.monkey_patch(); spawn, sleep = eventlet.spawn, eventlet.sleep
else:
    from gevent import monkey; monkey.patch_all(); import gevent; spawn, sleep = gevent.spawn, gevent.sleep
from werkzeug.security import generate_password_hash
from accounts import hashing
stored = generate_password_hash("right-password", "scrypt")
ticks = []
def ticker():
    while True:
        ticks.append(time.perf_counter()); sleep(0.001)
spawn(ticker); sleep(0.01)
best = None
for _ in range(3):
    start = time.perf_counter()
    hashing.password_matches(stored, "wrong-password")
    end = time.perf_counter()
    during = sum(start < t < end for t in ticks)
    best = max(best or 0, during)
print(json.dumps({"ticks": best, "ms": (end - start) * 1000}))
"""


@pytest.mark.parametrize("library", ["eventlet", "gevent"])
def test_other_green_threads_run_while_a_password_is_checked(library):
    """While a login's scrypt check runs, do other green threads (the live connections) keep running?"""
    result = subprocess.run([sys.executable, "-c", SCRIPT, library], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["ticks"] >= 3, f"the loop stood still during a {measured['ms']:.0f} ms check: {measured}"
