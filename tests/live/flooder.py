"""A flooding phone in a process of its own (as it would be on its own device): sends buzzes and
answers at a fixed rate for a bounded time, to loopback only, and prints how they were answered.

It runs at a lower CPU priority: on the hall's network the flooding phone's own work (building and
sending hundreds of messages a second) is done by the phone, not by the server's computer.

    python -m tests.live.flooder http://127.0.0.1:PORT CREDENTIAL SECONDS PER_SECOND
"""
import json
import os
import sys
import threading
import time
from urllib.parse import urlparse

import socketio

from live.limits import FLOOD_REASON

MAX_EVENTS = 5000


def flood(url: str, credential: str, seconds: float, per_second: int) -> dict:
    """Send ``per_second`` events a second for ``seconds`` (at most MAX_EVENTS); count the acknowledgements."""
    assert urlparse(url).hostname == "127.0.0.1", "the flood stays on loopback"
    counts = {"sent": 0, "flood": 0, "other": 0}
    lock = threading.Lock()

    def counted(ack=None):
        with lock:
            counts["flood" if isinstance(ack, dict) and ack.get("reason") == FLOOD_REASON else "other"] += 1

    phone = socketio.Client()
    phone.connect(url, namespaces=["/team"], auth={"credential": credential}, transports=["websocket"],
                  wait_timeout=10)
    start = time.monotonic()
    for number in range(min(MAX_EVENTS, int(seconds * per_second))):
        time.sleep(max(0.0, start + number / per_second - time.monotonic()))
        event, payload = ("buzz", {"pressed_at": 0}) if number % 2 else ("answer", {"choice": "A"})
        phone.emit(event, {**payload, "client_id": f"flood-{number}"}, namespace="/team", callback=counted)
        counts["sent"] += 1
    counts["send_seconds"] = round(time.monotonic() - start, 2)
    wait_until = time.monotonic() + 10
    while counts["flood"] + counts["other"] < counts["sent"] and time.monotonic() < wait_until:
        time.sleep(0.05)
    phone.disconnect()
    return counts


if __name__ == "__main__":
    os.nice(10)
    print(json.dumps(flood(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))), flush=True)
