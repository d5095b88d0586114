"""Does the buzzer give the race to the team that pressed first, not to the one on the faster network?

A real server process measures each phone's clock by probing it; one phone answers everything
150 ms late (as if it were far away on 4G), and presses 30 ms before a phone on a fast network.
"""
import threading
import time

import pytest

from tests.live.clients import LiveClient, host_cookie, to_first_buzzer_question

pytestmark = pytest.mark.live

SLOW_MS = 150


class DistantPhone(LiveClient):
    """A phone whose messages take ``SLOW_MS`` each way: probes are answered and presses sent late."""

    def __init__(self, *args, one_way_ms: float, **kwargs):
        self.one_way = one_way_ms / 1000
        super().__init__(*args, **kwargs)
        self.sio.on("clock_probe", self._probe, namespace=self.namespace)

    def _probe(self, _probe):
        """The probe reaches the phone late, the phone reads its clock, the answer travels back late."""
        time.sleep(self.one_way)
        now = time.time() * 1000
        time.sleep(self.one_way)
        return {"phone_now": now}

    def press_later(self, pressed_at: float, token: int) -> dict:
        """A press stamped at ``pressed_at`` that reaches the server ``one_way`` later."""
        time.sleep(max(0.0, pressed_at / 1000 + self.one_way - time.time()))
        return self.call("buzz", {"open_token": token, "pressed_at": pressed_at, "client_id": f"p{pressed_at}"})


def race(server, arbitration: str) -> tuple[int, int, dict, dict]:
    """A distant phone presses 30 ms before a near one; returns both teams and both acknowledgements."""
    server.set_stage_rule("buzzer", "arbitration", arbitration)
    server.start()
    contest = server.demo["contest"]
    far_team, near_team = server.demo["teams"][0], server.demo["teams"][1]
    host = LiveClient(server.url, "/host", {"contest": contest}, {"Cookie": host_cookie(server.url)})
    far = DistantPhone(server.url, "/team", {"credential": far_team["credential"]}, one_way_ms=SLOW_MS)
    near = DistantPhone(server.url, "/team", {"credential": near_team["credential"]}, one_way_ms=2)
    time.sleep(2.5)  # the server's first clock probes
    to_first_buzzer_question(host)
    token = host.command("OpenBuzzers")["seq"]
    far.wait_for(lambda view: view["stage"]["phase"] == "buzzing")
    near.wait_for(lambda view: view["stage"]["phase"] == "buzzing")
    pressed = time.time() * 1000 + 100
    results = {}
    far_thread = threading.Thread(target=lambda: results.update(far=far.press_later(pressed, token)))
    far_thread.start()
    results["near"] = near.press_later(pressed + 30, token)
    far_thread.join()
    winner = host.wait_for(lambda view: view["stage"]["phase"] == "answering")["stage"]["holder"]
    presses = host.wait_for(lambda view: len(view["stage"]["presses"]) == 2)["stage"]["presses"]
    for client in (host, far, near):
        client.close()
    delays = {press["team"]: press["delay"] for press in presses}
    assert delays[far_team["id"]] >= SLOW_MS * 0.8 > delays[near_team["id"]], "the console shows each phone's delay"
    assert all(press["phone"] for press in presses)
    return winner, far_team["id"], results["far"], results["near"]


def test_a_distant_phone_that_pressed_first_wins_when_compensated(server):
    """With compensation, does the 150 ms-away phone that pressed 30 ms earlier win?"""
    winner, far_team, far_ack, near_ack = race(server, "compensated")
    assert winner == far_team
    assert far_ack["ok"] and not near_ack["ok"]


def test_the_same_race_is_lost_by_arrival(server):
    """By arrival, does the near phone win the same race, as today's buzzer apps decide it?"""
    winner, far_team, far_ack, near_ack = race(server, "arrival")
    assert winner != far_team
    assert near_ack["ok"] and not far_ack["ok"]
