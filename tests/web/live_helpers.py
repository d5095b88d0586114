"""Socket.IO test clients for the live tests: a host, a display and team phones on one contest."""
import pytest

from contest_setup import joining
from extensions import socketio
from live.merge_patch import apply_patch, without_nulls
from tests.web.setup_factories import make_contest


class ViewClient:
    """A Socket.IO test client that keeps its view up to date from snapshot and change events."""

    def __init__(self, app, namespace: str, auth: dict, flask_client=None):
        self.namespace = namespace
        self.client = socketio.test_client(app, namespace=namespace, auth=auth, flask_test_client=flask_client)
        self.view: dict = {}
        self.seq = 0
        self.events: list[dict] = []
        if self.connected:
            self.pump()

    @property
    def connected(self) -> bool:
        """Whether the server accepted the connection."""
        return self.client.is_connected(self.namespace)

    def pump(self) -> dict:
        """Apply every received snapshot and change, as the browser does; return the view."""
        for message in self.client.get_received(self.namespace):
            payload = message["args"][0]
            if message["name"] == "snapshot":
                self.view, self.seq = payload["view"], payload["seq"]
            elif message["name"] == "change":
                assert payload["base_seq"] == self.seq, "a change must follow the view the client holds"
                self.view = apply_patch(self.view, payload["patch"])
                self.seq = payload["seq"]
                self.events.extend(payload["events"])
        return self.view

    def send(self, event: str, payload: dict | None = None) -> dict:
        """Emit ``event`` and return the server's acknowledgement."""
        ack = self.client.emit(event, payload or {}, namespace=self.namespace, callback=True)
        self.pump()
        return ack

    def resync(self) -> dict:
        """Ask for a fresh snapshot (as a client that missed a change does)."""
        return self.client.emit("resync", {}, namespace=self.namespace, callback=True)

    def close(self) -> None:
        """Disconnect."""
        if self.connected:
            self.client.disconnect(namespace=self.namespace)


def team_auth(team) -> dict:
    """The auth payload a non-browser phone client sends: its signed credential."""
    return {"credential": joining.new_phone_credential(team)}


def matches_server_view(client: ViewClient) -> bool:
    """Whether the view built from patches equals what the server holds for it (nulls read as absent)."""
    fresh = client.resync()["view"]
    ignore = {"server_now"}
    return ({k: v for k, v in without_nulls(client.pump()).items() if k not in ignore}
            == {k: v for k, v in without_nulls(fresh).items() if k not in ignore})


def connect_hall(app, client, auth, contest) -> dict:
    """A logged-in host, the display and the first two teams' phones connected to ``contest``."""
    teams = contest.teams_by_seat
    auth.login_as("host")
    return {
        "contest": contest.id,
        "host": ViewClient(app, "/host", {"contest": contest.id}, client),
        "display": ViewClient(app, "/display", {"contest": contest.id, "token": contest.display_token}),
        "teams": [team.id for team in teams],
        "phones": [ViewClient(app, "/team", team_auth(team)) for team in teams[:2]],
    }


def close_hall(hall: dict) -> None:
    """Disconnect the host, the display and the phones."""
    for view_client in (hall["host"], hall["display"], *hall["phones"]):
        view_client.close()


@pytest.fixture
def hall(app, client, auth):
    """A ready contest with a logged-in host, the display and two team phones connected."""
    with app.app_context():
        hall = connect_hall(app, client, auth, make_contest(ready=True))
        yield hall
        close_hall(hall)


def host_do(hall, kind, **args):
    """The host sends one command and the acknowledgement must be positive."""
    ack = hall["host"].send("command", {"type": kind, **args})
    assert ack["ok"], ack
    return ack


def to_buzzer_stage(hall):
    """Start the contest and skip the required and speed stages to reach the buzzer stage."""
    host_do(hall, "StartContest")
    for _ in range(2):
        host_do(hall, "StartStage")
        host_do(hall, "EndStage")
    host_do(hall, "StartStage")
