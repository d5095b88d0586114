"""Real python-socketio clients for the live tests: each keeps its role's view as a browser does."""
import re
import threading
import time
import uuid

import requests
import socketio

from live.merge_patch import apply_patch


def host_cookie(base_url: str, username: str = "host", password: str = "demo-host") -> str:
    """Log in through the real login page (with its CSRF token) and return the session cookie."""
    session = requests.Session()
    page = session.get(f"{base_url}/login", timeout=5).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    response = session.post(f"{base_url}/login", data={"csrf_token": token.group(1), "username": username,
                                                       "password": password}, timeout=5, allow_redirects=False)
    assert response.status_code == 302, "the demo host must be able to log in"
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


class LiveClient:
    """One connection (host, display or phone) that applies snapshots and patches to its view."""

    def __init__(self, base_url: str, namespace: str, auth: dict, headers: dict | None = None,
                 transports: tuple[str, ...] = ("websocket",)):
        self.namespace = namespace
        self.transports = list(transports)
        self.view: dict = {}
        self.seq = -1
        self.events: list[dict] = []
        self.changed = threading.Condition()
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
        self.sio.on("snapshot", self._snapshot, namespace=namespace)
        self.sio.on("change", self._change, namespace=namespace)
        self.base_url, self.auth, self.headers = base_url, auth, headers or {}
        self.connect()

    def connect(self) -> None:
        """Connect over WebSocket as a phone browser would (or over the transports it was given)."""
        self.sio.connect(self.base_url, namespaces=[self.namespace], auth=self.auth, headers=self.headers,
                         transports=self.transports, wait_timeout=10)

    def _snapshot(self, payload: dict) -> None:
        with self.changed:
            self.view, self.seq = payload["view"], payload["seq"]
            self.changed.notify_all()

    def _change(self, payload: dict) -> None:
        with self.changed:
            if payload["base_seq"] != self.seq:
                self.view = self.call("resync")["view"]
                self.seq = self.view["seq"]
            else:
                self.view = apply_patch(self.view, payload["patch"])
                self.seq = payload["seq"]
            self.events.extend(payload["events"])
            self.changed.notify_all()

    def call(self, event: str, payload: dict | None = None) -> dict:
        """Send an event and wait for its acknowledgement."""
        return self.sio.call(event, payload or {}, namespace=self.namespace, timeout=10)

    def command(self, kind: str, **args) -> dict:
        """A host command with a fresh client id; the acknowledgement must be positive."""
        ack = self.call("command", {"type": kind, "client_id": uuid.uuid4().hex, **args})
        assert ack["ok"], f"{kind} refused: {ack}"
        return ack

    def wait_for(self, check, seconds: float = 5.0) -> dict:
        """Wait until ``check(view)`` holds; return the view."""
        deadline = time.monotonic() + seconds
        with self.changed:
            while True:
                try:
                    if self.view and check(self.view):
                        return self.view
                except (KeyError, TypeError):
                    pass
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.namespace} never reached the expected view: {self.view}")
                self.changed.wait(left)

    def wait_seq(self, seq: int, seconds: float = 5.0) -> dict:
        """Wait until this client has seen event ``seq``."""
        return self.wait_for(lambda view: self.seq >= seq, seconds)

    def close(self) -> None:
        """Disconnect."""
        self.sio.disconnect()


class AudienceHost:
    """The host's /audience connection: its steps, and the distributions it receives (like the display)."""

    def __init__(self, url: str, contest: int, cookie: str):
        self.contest = contest
        self.tallies: list[tuple[float, dict]] = []
        self.sio = socketio.Client()
        self.sio.on("audience_tally", lambda tally: self.tallies.append((time.monotonic(), tally)), namespace="/audience")
        self.sio.connect(url, namespaces=["/audience"], auth={"role": "host", "contest": contest},
                         headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)

    def step(self, action: str, **args) -> None:
        ack = self.sio.call("audience_command", {"action": action, **args}, namespace="/audience", timeout=10)
        assert ack == {"ok": True}, f"{action}: {ack}"

    def close(self) -> None:
        self.sio.disconnect()


# The helpers below bring the demo contest (必答, 速答, 抢答, 风险) to the moment a test is about.
# ``host`` is any client with ``command(kind, **arguments)``: a LiveClient or the browser tests'
# ScriptedHost.


def skip_stages(host, count: int) -> None:
    """Start and end the next ``count`` stages without playing them."""
    for _ in range(count):
        host.command("StartStage")
        host.command("EndStage")


def to_first_buzzer_question(host) -> None:
    """Start the demo contest, skip 必答 and 速答, and show the first 抢答 question (buzzers closed)."""
    host.command("StartContest")
    skip_stages(host, 2)
    host.command("StartStage")
    host.command("NextQuestion")


def finish_with_distinct_scores(host, teams: list[dict]) -> None:
    """After the last stage: give each team its seat number in points, so no two tie for a prize, and finish.

    The demo teams' scores must differ by ten or not at all (any whole questions played), so that the
    seat points keep every pair apart.
    """
    for team in teams:
        host.command("AdjustScore", team=team["id"], delta=team["seat"], reason="测试：拉开同分")
    host.command("FinishContest")
