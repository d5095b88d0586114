"""The serial buzzer bridge of docs/protocol.md (examples/buzzer_bridge.py) against a real server:
does a line from the box press for the team in that seat, beside a phone, and is a line for no
team refused without reaching the server?"""
import io

import pytest

from examples.buzzer_bridge import StationBridge, session_cookie
from tests.live.clients import LiveClient, host_cookie, to_first_buzzer_question

pytestmark = pytest.mark.live


def test_serial_lines_press_for_their_seats_beside_a_phone(running_server):
    """Seat 2's button (a line "2") wins over seat 1's phone pressing after it; "9" and "x" are refused."""
    url, demo = running_server.url, running_server.demo
    first, second = demo["teams"][0], demo["teams"][1]
    host = LiveClient(url, "/host", {"contest": demo["contest"]}, {"Cookie": host_cookie(url)})
    phone = LiveClient(url, "/team", {"credential": first["credential"]})
    bridge = StationBridge(url, demo["contest"], session_cookie(url, "host", "demo-host"))
    try:
        to_first_buzzer_question(host)
        host.command("OpenBuzzers")
        bridge.run(io.StringIO("2\n\n9\nx\n"))  # as read from the box's device file
        host.wait_for(lambda view: view["stage"]["holder"] == second["id"], seconds=10)
        late = phone.call("buzz", {"client_id": "late-phone"})
        assert not late["ok"] and "已抢到" in late["reason"]
        answers = dict(bridge.wait_for_answers(3, seconds=10))
        assert answers["2"]["ok"]
        assert answers["9"] == {"ok": False, "reason": "没有 9 号队伍，按键未计入"}
        assert answers["x"]["reason"].startswith("无法识别的按键")
        presses = host.wait_for(lambda view: len(view["stage"]["presses"]) == 2)["stage"]["presses"]
        assert sorted((p["team"], p["phone"] == "抢答器 serial-2", p["accepted"]) for p in presses) == sorted(
            [(second["id"], True, True), (first["id"], False, False)])
    finally:
        bridge.close()
        phone.close()
        host.close()

