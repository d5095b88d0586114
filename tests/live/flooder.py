"""A flooding client in a process of its own (as it would be on its own device): raw Socket.IO frames
over WebSocket at a fixed rate for a bounded time, to loopback only; it prints what it measured.

It writes the frames itself (no Socket.IO client library that would pace or check them) and, like
an attacker, opens a new WebSocket at once whenever the server closes one. Two kinds of flood:

* ``events``: a phone with a valid credential sends buzzes and answers;
* ``connects``: connect frames with a forged phone credential (``team``) or a wrong display token
  (``display``), all on one WebSocket until the server closes it.

It runs at the normal CPU priority, so that on a loaded machine it still reaches its rate (the test
checks it did).

    python -m tests.live.flooder URL events CREDENTIAL SECONDS PER_SECOND
    python -m tests.live.flooder URL connects team|display:CONTEST SECONDS PER_SECOND
"""
import json
import sys
import threading
import time
from urllib.parse import urlparse

import websocket

from live.limits import CONNECT_FLOOD_REASON, FLOOD_REASON

MAX_FRAMES = 10_000


class Counts:
    """What the flood sent and what the server answered, shared by the sender and the readers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values = {"sent": 0, "sockets": 0, "closed_by_server": 0, "flood": 0, "answered": 0,
                       "connect_refused": 0, "connect_turned_away": 0, "connected": 0,
                       "handshakes_refused": 0, "handshakes_failed": 0, "sending_seconds": 0.0}

    def add(self, name: str, amount: float = 1) -> None:
        with self.lock:
            self.values[name] += amount


def open_socket(url: str, counts: "Counts") -> websocket.WebSocket | None:
    """A new Engine.IO WebSocket, past its open packet; None when the server would not take it."""
    address = urlparse(url)
    try:
        ws = websocket.create_connection(f"ws://{address.netloc}/socket.io/?EIO=4&transport=websocket", timeout=5)
        opened = ws.recv()
    except websocket.WebSocketBadStatusException as refusal:
        counts.add("handshakes_refused" if refusal.status_code == 429 else "handshakes_failed")
        return None
    except (OSError, websocket.WebSocketException):
        counts.add("handshakes_failed")
        return None
    return ws if isinstance(opened, str) and opened.startswith("0") else None


def read_answers(ws: websocket.WebSocket, counts: Counts, connected: threading.Event, closed: threading.Event) -> None:
    """Count the server's answers on ``ws`` until it closes: acknowledgements, connects, refusals."""
    while True:
        try:
            frame = ws.recv()
        except (OSError, websocket.WebSocketException):
            frame = ""
        if not frame or frame == "1":  # the connection or Engine.IO's close packet
            closed.set()
            return
        if frame == "2":
            try:
                ws.send("3")  # answer the server's ping like any client
            except (OSError, websocket.WebSocketException):
                return
        elif frame.startswith("43"):
            counts.add("flood" if FLOOD_REASON in json.loads(frame[frame.index("["):])[0].get("reason", "") else "answered")
        elif frame.startswith("44"):  # a refused connect: checked (the reason names what is wrong) or turned away
            reason = json.loads(frame[frame.index("{"):]).get("message", "")
            counts.add("connect_turned_away" if reason == CONNECT_FLOOD_REASON else "connect_refused")
        elif frame.startswith("40"):
            counts.add("connected")
            connected.set()


def event_frames(credential: str):
    """The connect frame of a phone, then buzzes and answers numbered from 1."""
    def frame(number: int) -> str:
        event, payload = ("buzz", {"pressed_at": 0}) if number % 2 else ("answer", {"choice": "A"})
        return f'42/team,{number}' + json.dumps([event, {**payload, "client_id": f"flood-{number}"}])
    return f'40/team,{json.dumps({"credential": credential})}', frame


def connect_frames(target: str):
    """No opening frame; connect frames with a forged credential or a wrong display token."""
    if target == "team":
        return None, lambda number: f'40/team,{json.dumps({"credential": f"forged.{number}.credential"})}'
    contest = int(target.split(":")[1])
    return None, lambda number: f'40/display,{json.dumps({"contest": contest, "token": f"wrong-{number}"})}'


def flood(url: str, kind: str, target: str, seconds: float, per_second: int) -> dict:
    """Send ``per_second`` frames a second for ``seconds`` (at most MAX_FRAMES); reconnect when closed."""
    assert urlparse(url).hostname == "127.0.0.1", "the flood stays on loopback"
    opening, frame = event_frames(target) if kind == "events" else connect_frames(target)
    counts = Counts()
    end = time.monotonic() + seconds
    number = 0
    while time.monotonic() < end and number < MAX_FRAMES:
        ws = open_socket(url, counts)
        if ws is None:
            time.sleep(0.01)
            continue
        counts.add("sockets")
        connected, closed = threading.Event(), threading.Event()
        reader = threading.Thread(target=read_answers, args=(ws, counts, connected, closed), daemon=True)
        reader.start()
        if opening:
            ws.send(opening)
            if not connected.wait(5):
                ws.close()
                continue
        started, sent_here = time.monotonic(), 0
        try:
            while time.monotonic() < end and number < MAX_FRAMES:
                time.sleep(max(0.0, started + sent_here / per_second - time.monotonic()))
                if closed.is_set():
                    raise ConnectionAbortedError("closed by the server")
                number += 1
                ws.send(frame(number))
                sent_here += 1
                counts.add("sent")
                last_sent = time.monotonic()
        except (OSError, websocket.WebSocketException):
            counts.add("closed_by_server")
        if sent_here:  # from its first frame to one period after its last: the pace it kept on this socket
            counts.add("sending_seconds", last_sent - started + 1 / per_second)
        ws.close()
        reader.join(2)
    time.sleep(1.0)  # the last answers arrive
    values = dict(counts.values)
    values["rate"] = round(values["sent"] / values["sending_seconds"], 1) if values["sending_seconds"] else 0.0
    values["sending_seconds"] = round(values["sending_seconds"], 2)
    return values


if __name__ == "__main__":
    url, kind, target, seconds, per_second = sys.argv[1:6]
    print(json.dumps(flood(url, kind, target, float(seconds), int(per_second))), flush=True)
