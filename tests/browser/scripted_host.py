"""The host, scripted: a python-socketio client logged in through the real login form.

Browser tests that watch the projector or a phone let this host drive the contest, so that only
the pages under test run in Chromium. It keeps its own view from snapshot and change messages.
"""
import re
import uuid

import requests
import socketio

from live.merge_patch import apply_patch


class ScriptedHost:
    """The demo host on /host of ``server``'s demo contest."""

    def __init__(self, server):
        session = requests.Session()
        form = session.get(f"{server.url}/login").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        answer = session.post(f"{server.url}/login",
                              data={"csrf_token": token, "username": "host", "password": "demo-host"})
        assert answer.ok and "/login" not in answer.url, "the demo host could not log in"
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        self.view: dict = {}
        self.client = socketio.Client()
        self.client.on("snapshot", self._snapshot, namespace="/host")
        self.client.on("change", self._change, namespace="/host")
        self.client.connect(server.url, namespaces=["/host"], auth={"contest": server.demo["contest"]},
                            headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)

    def _snapshot(self, payload):
        self.view = payload["view"]

    def _change(self, payload):
        self.view = apply_patch(self.view, payload["patch"])

    def command(self, kind: str, **arguments) -> dict:
        """Send a host command; it must be accepted."""
        ack = self.client.call("command", {"type": kind, "client_id": uuid.uuid4().hex, **arguments},
                               namespace="/host", timeout=10)
        assert ack["ok"], f"{kind} refused: {ack}"
        return ack

    @property
    def stage(self) -> dict:
        """The stage part of the host's current view."""
        return self.view.get("stage") or {}

    def close(self) -> None:
        self.client.disconnect()
