"""Can a doctored phone win a race it lost by answering the server's clock probes late?

A real server process; the cheating page holds every ``clock_probe`` answer 400 ms and answers
with its clock at the moment it replies, so it looks 200 ms farther away than it is and its clock
looks 200 ms ahead. It presses 150 ms after an honest phone on the same network and stamps the
press honestly: the old buzzer credited it its inflated delay and it won. The transport's own
pong (answered by the Socket.IO library, which the page does not touch) shows its real delay.
A rebuilt client holds its transport pongs as long, so both measures agree on the false delay:
the kernel's TCP round trip of its connection (answered by the operating system) does not, under
eventlet's server and gevent's, over WebSocket and long-polling alike. Where the server cannot
read it (behind a reverse proxy, KERNEL_RTT_CHECK=0), the hall's other phones (well under a
millisecond away) show it far out of line.
"""
import threading
import time

import pytest
from engineio import packet

from tests.live.clients import LiveClient, host_cookie, to_first_buzzer_question

pytestmark = pytest.mark.live

HOLD_MS = 400
LATER_MS = 150
PROBES = 6  # the server's quick probes after a phone connects (live.clock_sync.FIRST_PROBES)


class CountingPhone(LiveClient):
    """A phone that counts the clock probes it answered and the transport pings it received."""

    hold = 0.0  # how long the page holds each clock probe answer
    pong_hold = 0.0  # how long the client holds each transport pong (a rebuilt Socket.IO client)

    def __init__(self, *args, **kwargs):
        self.probes = self.pings = 0
        self.counted = threading.Condition()
        super().__init__(*args, **kwargs)
        self.sio.on("clock_probe", self._probe, namespace=self.namespace)

    def connect(self) -> None:
        """Count the transport's pings as they arrive (the library answers them)."""
        receive = self.sio.eio._receive_packet

        def counting(pkt):
            if pkt.packet_type == packet.PING:
                with self.counted:
                    self.pings += 1
                    self.counted.notify_all()
                if self.pong_hold:
                    pong = packet.Packet(packet.PONG, pkt.data)
                    threading.Timer(self.pong_hold, self.sio.eio._send_packet, [pong]).start()
                    return None
            return receive(pkt)

        self.sio.eio._receive_packet = counting
        super().connect()

    def _probe(self, _probe):
        time.sleep(self.hold)
        with self.counted:
            self.probes += 1
            self.counted.notify_all()
        return {"phone_now": time.time() * 1000}

    def wait_for_clock(self, seconds: float = 20) -> None:
        """Wait until the server has its quick probes and two transport pings of this phone."""
        with self.counted:
            assert self.counted.wait_for(lambda: self.probes >= PROBES and self.pings >= 2, timeout=seconds), \
                f"{self.probes} probes, {self.pings} pings"

    def press(self, pressed_at: float, token: int) -> dict:
        """A press stamped at ``pressed_at`` on this phone's clock, sent at that moment."""
        time.sleep(max(0.0, pressed_at / 1000 - time.time()))
        return self.call("buzz", {"open_token": token, "pressed_at": pressed_at, "client_id": f"p{pressed_at}"})


class DoctoredPhone(CountingPhone):
    """A page that answers every clock probe late, with its clock at the moment it replies."""

    hold = HOLD_MS / 1000


class RebuiltClient(DoctoredPhone):
    """A rebuilt client that holds its transport pongs as long as its probe answers."""

    pong_hold = HOLD_MS / 1000


HELD = "时钟探测比传输层心跳慢，疑似故意延迟应答"
OUT_OF_LINE = "延迟远高于场内其他手机"


WEBSOCKET, POLLING = ("websocket",), ("polling",)


@pytest.mark.parametrize("doctored, kernel_check, flag, async_mode, transports", [
    (DoctoredPhone, "1", HELD, None, WEBSOCKET),
    # the kernel's round trip is read under either server, over either transport (live/kernel_rtt.py)
    (RebuiltClient, "1", HELD, "eventlet", WEBSOCKET), (RebuiltClient, "1", HELD, "gevent", WEBSOCKET),
    (RebuiltClient, "1", HELD, "eventlet", POLLING), (RebuiltClient, "1", HELD, "gevent", POLLING),
    (RebuiltClient, "0", OUT_OF_LINE, None, WEBSOCKET)],
    ids=["page", "rebuilt-eventlet-websocket", "rebuilt-gevent-websocket", "rebuilt-eventlet-polling",
         "rebuilt-gevent-polling", "rebuilt-no-kernel-check"])
def test_a_phone_that_delays_its_probe_answers_does_not_win_a_race_it_lost(server, monkeypatch, doctored, kernel_check,
                                                                           flag, async_mode, transports):
    """The doctored phone presses 150 ms after the honest one: does the honest one win, and is the
    cheater flagged on the console with the reason that caught it?"""
    monkeypatch.setenv("SOCKETIO_PING_INTERVAL", "1")
    monkeypatch.setenv("KERNEL_RTT_CHECK", kernel_check)
    server.async_mode = async_mode or server.async_mode
    server.start()
    contest = server.demo["contest"]
    cheat_team, honest_team = server.demo["teams"][0], server.demo["teams"][1]
    host = LiveClient(server.url, "/host", {"contest": contest}, {"Cookie": host_cookie(server.url)})
    cheater = doctored(server.url, "/team", {"credential": cheat_team["credential"]}, transports=transports)
    honest = CountingPhone(server.url, "/team", {"credential": honest_team["credential"]})
    bystanders = [CountingPhone(server.url, "/team", {"credential": team["credential"]})
                  for team in server.demo["teams"][2:4]]  # the hall: enough phones to judge a phone by
    for phone in (cheater, honest, *bystanders):
        phone.wait_for_clock()
    to_first_buzzer_question(host)
    token = host.command("OpenBuzzers")["seq"]
    for phone in (cheater, honest):
        phone.wait_for(lambda view: view["stage"]["phase"] == "buzzing")
    pressed = time.time() * 1000 + 100
    acks = {}
    late = threading.Thread(target=lambda: acks.update(cheater=cheater.press(pressed + LATER_MS, token)))
    late.start()
    acks["honest"] = honest.press(pressed, token)
    late.join()
    winner = host.wait_for(lambda view: view["stage"]["phase"] == "answering")["stage"]["holder"]
    presses = host.wait_for(lambda view: len(view["stage"]["presses"]) == 2)["stage"]["presses"]
    for client in (host, cheater, honest, *bystanders):
        client.close()
    assert winner == honest_team["id"]
    assert acks["honest"]["ok"] and not acks["cheater"]["ok"]
    flags = {press["team"]: press["flag"] for press in presses}
    assert flags[cheat_team["id"]] == flag and not flags[honest_team["id"]], "the console names the doctored phone"
