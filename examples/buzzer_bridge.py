"""A bridge for a serial buzzer box: it reads one line per press from the box ("3" when button 3 goes
down) and presses for the team in that seat through the buzzer station protocol (docs/protocol.md,
"Buzzer station"). A box that types keys over USB needs no bridge: open the station page instead.

Run it from the project folder on a computer in the hall, logged in as a host of the contest:

    stty -F /dev/ttyUSB0 9600 raw -echo        # the box's speed; no line editing by the terminal
    python -m examples.buzzer_bridge http://192.0.2.10:5000 --contest 3 --user host --device /dev/ttyUSB0

Each line is stamped the moment it is read, on this computer's clock; the server measures that clock
as it measures a phone's (``clock_probe``), so a press is judged by when it was read, not by when it
arrived. Only requests and python-socketio are needed (both in requirements.txt); the device is read
as a file, so no serial library is.
"""
import argparse
import getpass
import re
import sys
import threading
import time
import uuid
from collections.abc import Iterable

import requests
import socketio

from live.merge_patch import apply_patch

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BUTTON = re.compile(r"[0-9]{1,2}")  # what the box sends: the button's number, which is the team's seat


def session_cookie(url: str, username: str, password: str) -> str:
    """Log in through the login page (it wants its CSRF token back) and return the session cookie."""
    web = requests.Session()
    token = CSRF.search(web.get(f"{url}/login", timeout=10).text).group(1)
    answer = web.post(f"{url}/login", data={"csrf_token": token, "username": username, "password": password},
                      timeout=10, allow_redirects=False)
    if answer.status_code != 302:
        raise SystemExit("登录失败：请检查用户名和密码")
    return "; ".join(f"{name}={value}" for name, value in web.cookies.items())


class StationBridge:
    """A buzzer station without a browser: ``/host`` for the view (teams, the opening's token),
    ``/station`` for the presses and the clock probes."""

    def __init__(self, url: str, contest: int, cookie: str):
        self.view: dict = {}
        self.seq = -1
        self.answers: list[tuple[str, dict]] = []  # (button, acknowledgement), in the order they came
        self.lock = threading.Lock()
        self.answered = threading.Condition(self.lock)
        self.client = socketio.Client()
        self.client.on("snapshot", self._snapshot, namespace="/host")
        self.client.on("change", self._change, namespace="/host")
        self.client.on("clock_probe", lambda _probe: {"phone_now": time.time() * 1000}, namespace="/station")
        self.client.connect(url, namespaces=["/host", "/station"], auth={"contest": contest},
                            headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)

    def _snapshot(self, payload: dict) -> None:
        with self.lock:
            self.view, self.seq = payload["view"], payload["seq"]

    def _change(self, payload: dict) -> None:
        with self.lock:
            if payload["base_seq"] == self.seq:
                self.view, self.seq = apply_patch(self.view, payload["patch"]), payload["seq"]
                return
        self._snapshot(self.client.call("resync", {}, namespace="/host", timeout=10))

    def team_in_seat(self, seat: int) -> int | None:
        """The id of the team sitting in ``seat``, or None."""
        with self.lock:
            return next((team["id"] for team in self.view.get("teams", []) if team["seat"] == seat), None)

    def press(self, line: str) -> None:
        """One line from the box: stamp it at once, then send it as the press of the team in that seat.

        Sent without waiting for the answer (in ``compensated`` mode it comes when the arbitration
        window closes), so a second button read meanwhile is stamped when it was read, not later.
        """
        pressed_at = time.time() * 1000
        button = line.strip()
        try:
            payload = self.payload(button, pressed_at)
        except ValueError as refusal:
            self.report(button, {"ok": False, "reason": str(refusal)})
            return
        self.client.emit("station_buzz", payload, namespace="/station", callback=lambda ack: self.report(button, ack))

    def payload(self, button: str, pressed_at: float) -> dict:
        """The ``station_buzz`` payload for a button, or ValueError saying why it cannot be sent."""
        if not BUTTON.fullmatch(button):
            raise ValueError(f"无法识别的按键：{button[:20]}")
        team = self.team_in_seat(int(button))
        if team is None:
            raise ValueError(f"没有 {button} 号队伍，按键未计入")
        with self.lock:
            token = (self.view.get("stage") or {}).get("open_token")
        return {"team": team, "key": f"serial-{button}", "open_token": token, "pressed_at": pressed_at,
                "client_id": uuid.uuid4().hex}

    def report(self, button: str, ack: dict) -> None:
        """Print what became of a press (and keep it, for whoever watches the bridge)."""
        with self.answered:
            self.answers.append((button, ack))
            self.answered.notify_all()
        print(button, "已计入" if ack.get("ok") else ack.get("reason"), flush=True)

    def wait_for_answers(self, count: int, seconds: float) -> list[tuple[str, dict]]:
        """The answers once ``count`` presses are answered (fewer if ``seconds`` pass first)."""
        with self.answered:
            self.answered.wait_for(lambda: len(self.answers) >= count, seconds)
            return list(self.answers)

    def run(self, lines: Iterable[str]) -> None:
        """Press for every non-empty line, as it is read."""
        for line in lines:
            if line.strip():
                self.press(line)

    def close(self) -> None:
        self.client.disconnect()


def main() -> None:
    parser = argparse.ArgumentParser(description="串口抢答器桥接：把抢答器每行送出的按钮号作为该座位队伍的抢答")
    parser.add_argument("url", help="服务器地址，如 http://192.0.2.10:5000")
    parser.add_argument("--contest", type=int, required=True, help="比赛编号（主持台地址 /host/<编号>）")
    parser.add_argument("--user", required=True, help="这场比赛的主持人或组织者账号")
    parser.add_argument("--device", default="-", help="抢答器的串口设备，如 /dev/ttyUSB0（默认读标准输入）")
    options = parser.parse_args()
    cookie = session_cookie(options.url, options.user, getpass.getpass("密码："))
    bridge = StationBridge(options.url, options.contest, cookie)
    try:
        with (open(options.device, encoding="ascii", errors="replace") if options.device != "-" else sys.stdin) as box:
            bridge.run(box)
    finally:
        bridge.close()


if __name__ == "__main__":
    main()
