"""Helpers for the crash, flood and concurrency tests: kill and restart a real server, wait for every
client to come back by itself, read what the server stored."""
import signal
import time
from pathlib import Path

import socketio

from config import TestConfig
from contest.events import Event
from extensions import db
from factory import create_app
from live.merge_patch import apply_patch
from storage.event_store import load_events
from tests.live.clients import LiveClient, host_cookie
from tests.live_server import LiveServer


class SurvivingClient(LiveClient):
    """A LiveClient that lives through the server's death, as the pages' own client does.

    LiveClient asks for a resync while holding its view's lock; a change handled just as the server
    dies then waits 10 s for an answer that never comes, and the snapshot from the restarted server
    waits behind it. Here the resync is asked without the lock, and a failed one is dropped: the
    snapshot sent after reconnecting replaces the whole view anyway.
    """

    def _change(self, payload: dict) -> None:
        with self.changed:
            if payload["base_seq"] == self.seq and self.view:
                self.view = apply_patch(self.view, payload["patch"])
                self.seq = payload["seq"]
                self.events.extend(payload["events"])
                self.changed.notify_all()
                return
        try:
            fresh = self.call("resync")
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
            return
        with self.changed:
            if fresh["seq"] >= self.seq:
                self.view, self.seq = fresh["view"], fresh["seq"]
            self.events.extend(payload["events"])
            self.changed.notify_all()


def database_url(server: LiveServer) -> str:
    """The server's database: its DATABASE_URL, else the SQLite file of its instance folder."""
    return server.database.get("DATABASE_URL") or f"sqlite:///{Path(server.instance) / 'contest.db'}"


def stored_events(server: LiveServer) -> list[Event]:
    """The demo contest's events as stored, read in the test process with the app's own storage code."""
    app = create_app(TestConfig(database_url(server)))
    with app.app_context():
        try:
            return load_events(server.demo["contest"])
        finally:
            db.session.remove()
            db.engine.dispose()


def server_log(server: LiveServer) -> list[str]:
    """The lines the server (all its processes) wrote to its log."""
    path = Path(server.instance) / "server.log"
    return path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []


def connect_hall(server: LiveServer, phones: int = 3) -> dict:
    """The host, the display and the phones of the first ``phones`` teams, connected."""
    contest = server.demo["contest"]
    teams = server.demo["teams"][:phones]
    hall = {
        "host": SurvivingClient(server.url, "/host", {"contest": contest}, {"Cookie": host_cookie(server.url)}),
        "display": SurvivingClient(server.url, "/display", {"contest": contest,
                                                            "token": server.demo["display_token"]}),
        "phones": {team["id"]: SurvivingClient(server.url, "/team", {"credential": team["credential"]})
                   for team in teams},
        "teams": [team["id"] for team in server.demo["teams"]],
    }
    hall["host"].wait_for(lambda view: sum(key.startswith("team:") for key in view.get("presence", {})) == phones)
    return hall


def clients_of(hall: dict) -> list[LiveClient]:
    """Every connection of the hall."""
    return [hall["host"], hall["display"], *hall["phones"].values()]


def forget_views(clients: list[LiveClient]) -> None:
    """Drop what each client holds, so that only a snapshot from the restarted server fills it again."""
    for client in clients:
        with client.changed:
            client.view, client.seq = {}, -1


def crash_and_restart(server: LiveServer, clients: list[LiveClient], down_seconds: float = 0.0) -> tuple[float, float]:
    """SIGKILL the server at once, keep it down ``down_seconds``, start it on the same instance folder.

    Returns the monotonic times at which the new process was started and at which it answered.
    Nobody reconnects the clients: they must come back by themselves.
    """
    server.stop(signal.SIGKILL)
    forget_views(clients)
    time.sleep(down_seconds)
    started = time.monotonic()
    server.start()
    answering = time.monotonic()
    print(f"restart: server answering {answering - started:.2f} s after it was started")
    return started, answering


def everyone_back(clients: list[LiveClient], seq: int, seconds: float = 15.0, since: float | None = None,
                  since_what: str = "the server was started") -> float:
    """Wait until every client has reconnected by itself and holds a view at ``seq``; returns the seconds
    that took (counted from ``since``, a monotonic time, when given: the moment ``since_what``)."""
    since = time.monotonic() if since is None else since
    deadline = time.monotonic() + seconds
    for client in clients:
        client.wait_for(lambda view, c=client: c.seq == seq and view.get("seq") == seq,
                        max(0.1, deadline - time.monotonic()))
    while not all(client.sio.connected for client in clients):  # set just after the snapshot arrives
        assert time.monotonic() < deadline, "a client did not reconnect"
        time.sleep(0.02)
    took = time.monotonic() - since
    print(f"restart: {len(clients)} clients back at seq {seq} {took:.2f} s after {since_what}")
    return took


def patient(client: LiveClient, seconds: float = 10.0) -> LiveClient:
    """Let the client wait up to ``seconds`` for the server to accept it when it reconnects, as a browser does.

    python-socketio gives a reconnecting client 1 s to be accepted, then drops the connection and
    tries again; the socket.io JavaScript client of the pages waits 20 s. In a storm on a loaded
    machine the 1 s makes clients abandon connections the server is about to accept, and retry:
    churn a real hall of phones would not cause.
    """
    connect = client.sio.connect
    client.sio.connect = lambda *args, **kwargs: connect(*args, **{**kwargs, "wait_timeout": seconds})
    return client


def close_all(clients: list[LiveClient]) -> None:
    """Disconnect every client (ignoring ones already gone)."""
    for client in clients:
        try:
            client.close()
        except Exception:  # noqa: BLE001 - a client of a dead server may fail to say goodbye
            pass
