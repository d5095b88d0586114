"""Audience questions on two real server processes behind one Redis (docs/reliability.md, "Several
processes"): the host opens a question on the first, phones answer on both, the display on the second
shows the whole hall's distribution, and a phone whose connection moves to the other process is held
to its first answer. Skipped when Redis does not answer (failed in CI); the finer cases (a phone
answering on both before either stored) are in tests/web/test_audience_processes.py.
"""
import threading
import time

import pytest
import requests
import socketio

from audience.identity import COOKIE
from tests.live.clients import AudienceHost, host_cookie
from tests.live.test_several_processes import redis_client, start_both, two_servers  # noqa: F401
from tests.web.test_audience import QUESTION

pytestmark = pytest.mark.live


class AudienceScreen:
    """One /audience connection (a phone or the display) that keeps its last view and distribution."""

    def __init__(self, url: str, auth: dict, cookie: str | None = None):
        self.view: dict = {}
        self.tally: dict = {}
        self.changed = threading.Condition()
        self.sio = socketio.Client()
        self.sio.on("audience_view", lambda view: self._keep(view=view), namespace="/audience")
        self.sio.on("audience_tally", lambda tally: self._keep(tally=tally), namespace="/audience")
        self.sio.connect(url, namespaces=["/audience"], auth=auth, transports=["websocket"], wait_timeout=10,
                         headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})

    def _keep(self, **received) -> None:
        with self.changed:
            for name, value in received.items():
                setattr(self, name, value)
                if name == "view" and "tally" in value:
                    self.tally = value["tally"]
            self.changed.notify_all()

    def wait_for(self, check, seconds: float = 5.0) -> None:
        """Wait until ``check(self)`` holds."""
        with self.changed:
            assert self.changed.wait_for(lambda: check(self), seconds), (self.view, self.tally)

    def answer(self, question_id: int, choice: str) -> dict:
        return self.sio.call("audience_answer", {"question": question_id, "choice": choice}, namespace="/audience",
                             timeout=10)

    def close(self) -> None:
        self.sio.disconnect()


def phone_cookie(server) -> str:
    """A new phone: its signed cookie from the phone page (valid on every process of the installation)."""
    return requests.get(f"{server.url}/a/{server.demo['contest']}", timeout=10).cookies[COOKIE]


def open_question(screen: AudienceScreen) -> bool:
    question = screen.view.get("question")
    return bool(question) and question["phase"] == "open"


def test_a_hall_answering_on_two_processes(two_servers, redis_client):
    """Open on the first process; two phones answer on each; the display on the second shows all four;
    a phone that answered on the first and reconnects to the second gets its answer back and may not change it."""
    a, servers = two_servers
    b = start_both(a, servers)
    contest = a.demo["contest"]
    host = AudienceHost(a.url, contest, host_cookie(a.url))
    display = AudienceScreen(b.url, {"role": "display", "contest": contest, "token": a.demo["display_token"]})
    cookies = [phone_cookie(a) for _ in range(4)]
    phones = [AudienceScreen(server.url, {"contest": contest}, cookie)
              for server, cookie in zip((a, a, b, b), cookies)]
    host.step("open", **{key: value for key, value in QUESTION.items() if key != "action"})
    for screen in (display, *phones):
        screen.wait_for(open_question)
    question_id = display.view["question"]["id"]
    for screen, choice in zip(phones, "ABBC"):
        assert screen.answer(question_id, choice) == {"ok": True, "choice": choice}
    display.wait_for(lambda screen: screen.tally.get("counts") == [1, 2, 1] and screen.tally["total"] == 4)

    phones[0].close()  # its connection drops; the reconnect lands on the other process
    time.sleep(0.2)
    moved = AudienceScreen(b.url, {"contest": contest}, cookies[0])
    moved.wait_for(lambda screen: screen.view.get("me", {}).get("choice") == "A")
    assert moved.answer(question_id, "C") == {"ok": False, "reason": "您已作答，不能更改", "choice": "A"}

    host.step("close")
    assert moved.answer(question_id, "C")["ok"] is False
    host.step("reveal")
    for screen in (display, moved, phones[3]):
        screen.wait_for(lambda screen: screen.view["question"]["phase"] == "revealed")
        assert screen.view["tally"] == {"question": question_id, "counts": [1, 2, 1], "total": 4}
    host.step("draw")
    display.wait_for(lambda screen: "winner" in screen.view)
    host.step("end")
    display.wait_for(lambda screen: screen.view == {"question": None})
    for screen in (host, display, moved, *phones[1:]):
        screen.close()
