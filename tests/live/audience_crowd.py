"""A hall of audience phones in a process of its own (as a few hundred devices would be): each gets its
cookie from the phone page once, connects to /audience over a raw WebSocket and answers every question
the host opens, once, after a random delay; loopback only.

    python -m tests.live.audience_crowd URL CONTEST PHONES SPREAD_SECONDS

It reads commands on stdin, one a line: ``connect`` connects every phone and prints ``{"connected": n}``
(once all are in, or after CONNECT_TIMEOUT_S); ``leave`` closes them and prints ``{"left": n}``; ``quit``
prints what was sent and acknowledged in all and ends.
"""
import heapq
import json
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import requests
import websocket

from audience.identity import COOKIE

CONNECT_TIMEOUT_S = 60
CHOICES = "AB"


class Crowd:
    """The phones, their answers waiting to be sent, and the counts."""

    def __init__(self, url: str, contest: int, spread: float):
        self.url, self.contest, self.spread = url, contest, spread
        self.lock = threading.Lock()
        self.due: list[tuple[float, int, int, websocket.WebSocket]] = []  # (when, ack id, question, socket)
        self.answered: dict[int, set[int]] = {}  # socket number -> questions it scheduled
        self.counts = {"connected": 0, "sent": 0, "ok": 0, "refused": 0, "views": 0, "failed": 0}
        self.sockets: list[websocket.WebSocket] = []
        self.stopping = threading.Event()

    def add(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1

    def cookie_of(self, number: int) -> str | None:
        """Phone ``number``'s cookie, from the phone page (kept for its later connections)."""
        try:
            return requests.get(f"{self.url}/a/{self.contest}", timeout=20).cookies[COOKIE]
        except (OSError, KeyError, requests.RequestException):
            return None

    def open_phone(self, number: int, cookie: str | None) -> None:
        """Open the phone's WebSocket, connect to /audience and read it until closed."""
        address = urlparse(self.url)
        if cookie is None:
            self.add("failed")
            return
        try:
            ws = websocket.create_connection(f"ws://{address.netloc}/socket.io/?EIO=4&transport=websocket",
                                             header=[f"Cookie: {COOKIE}={cookie}"], timeout=30)
            ws.recv()  # Engine.IO's open packet
            ws.send(f'40/audience,{json.dumps({"contest": self.contest})}')
        except (OSError, websocket.WebSocketException):
            self.add("failed")
            return
        with self.lock:
            self.sockets.append(ws)
        threading.Thread(target=self.read, args=(number, ws), daemon=True).start()

    def read(self, number: int, ws: websocket.WebSocket) -> None:
        """Answer pings, count acknowledgements, schedule an answer for each newly opened question."""
        while True:
            try:
                frame = ws.recv()
            except (OSError, websocket.WebSocketException):
                return
            if not frame or frame == "1":
                return
            if frame == "2":
                ws.send("3")
            elif frame.startswith("40/audience"):
                self.add("connected")
            elif frame.startswith("43/audience"):
                ack = json.loads(frame[frame.index("["):])[0]
                self.add("ok" if ack.get("ok") else "refused")
            elif frame.startswith('42/audience,["audience_view"'):
                self.add("views")
                question = (json.loads(frame[frame.index("["):])[1] or {}).get("question")
                if question and question["phase"] == "open":
                    self.schedule(number, question["id"], ws)

    def schedule(self, number: int, question: int, ws: websocket.WebSocket) -> None:
        """Answer ``question`` once, after a random delay within the spread."""
        with self.lock:
            seen = self.answered.setdefault(number, set())
            if question in seen:
                return
            seen.add(question)
            heapq.heappush(self.due, (time.monotonic() + random.uniform(0, self.spread), len(seen), question, ws))

    def connect(self, cookies: list[str | None]) -> int:
        """Connect every phone; how many are in."""
        with self.lock:
            self.counts["connected"] = 0
        with ThreadPoolExecutor(20) as pool:
            list(pool.map(self.open_phone, range(len(cookies)), cookies))
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        while self.counts["connected"] + self.counts["failed"] < len(cookies) and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.counts["connected"]

    def leave(self) -> int:
        """Close every phone (after the last acknowledgements arrive); how many were open."""
        time.sleep(1.0)
        with self.lock:
            sockets, self.sockets, self.due = self.sockets, [], []
        for ws in sockets:
            ws.close()
        return len(sockets)

    def send_due(self) -> None:
        """Send each scheduled answer when it is due."""
        while not self.stopping.is_set():
            with self.lock:
                ready = []
                while self.due and self.due[0][0] <= time.monotonic():
                    ready.append(heapq.heappop(self.due))
            for _when, ack_id, question, ws in ready:
                payload = {"question": question, "choice": random.choice(CHOICES)}
                try:
                    ws.send(f'42/audience,{ack_id}' + json.dumps(["audience_answer", payload]))
                    self.add("sent")
                except (OSError, websocket.WebSocketException):
                    self.add("failed")
            time.sleep(0.005)


def main(url: str, contest: int, phones: int, spread: float) -> None:
    assert urlparse(url).hostname == "127.0.0.1", "the crowd stays on loopback"
    crowd = Crowd(url, contest, spread)
    with ThreadPoolExecutor(20) as pool:
        cookies = list(pool.map(crowd.cookie_of, range(phones)))
    threading.Thread(target=crowd.send_due, daemon=True).start()
    for command in sys.stdin:
        if command.strip() == "connect":
            print(json.dumps({"connected": crowd.connect(cookies)}), flush=True)
        elif command.strip() == "leave":
            print(json.dumps({"left": crowd.leave()}), flush=True)
        else:
            break
    crowd.leave()
    crowd.stopping.set()
    print(json.dumps(crowd.counts), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
