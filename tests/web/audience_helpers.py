"""Socket.IO test clients of the /audience namespace: a phone with its own cookie jar, the display, the host."""
from extensions import socketio

NAMESPACE = "/audience"


class AudienceClient:
    """One connection to /audience that keeps the last view and every distribution it received."""

    def __init__(self, app, auth: dict, flask_client=None):
        self.client = socketio.test_client(app, namespace=NAMESPACE, auth=auth, flask_test_client=flask_client)
        self.view: dict = {}
        self.tallies: list[dict] = []

    @property
    def connected(self) -> bool:
        """Whether the server accepted the connection."""
        return self.client.is_connected(NAMESPACE)

    def pump(self) -> dict:
        """Take every received view and distribution; return the last view."""
        for message in self.client.get_received(NAMESPACE):
            if message["name"] == "audience_view":
                self.view = message["args"][0]
            elif message["name"] == "audience_tally":
                self.tallies.append(message["args"][0])
        return self.view

    def send(self, event: str, payload=None) -> dict:
        """Emit ``event`` and return the acknowledgement."""
        ack = self.client.emit(event, payload, namespace=NAMESPACE, callback=True)
        self.pump()
        return ack


def phone(app, contest_id: int, flask_client=None) -> AudienceClient:
    """A phone that opened the page (so it holds its cookie) and connected."""
    flask_client = flask_client or app.test_client()
    assert flask_client.get(f"/a/{contest_id}").status_code == 200
    client = AudienceClient(app, {"contest": contest_id}, flask_client)
    client.flask = flask_client
    client.pump()
    return client
