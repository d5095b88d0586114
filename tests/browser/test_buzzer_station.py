"""The buzzer station in real Chromium: the host opens it beside the console, learns a key for a
team, and a USB buzzer box's keys (synthetic keydown events) press for the teams; a held key's
repeats and unmapped keys do nothing. A team's phone and the station press in the same question,
and the host console shows each press with the station's key.

Screenshots go to test-artifacts/screenshots/<test name>/.
"""
import pytest
from playwright.sync_api import expect

from tests.browser.pages import LAPTOP, ConsoleErrors, join_team, log_in
from tests.browser.scripted_host import ScriptedHost

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
PHONE = {"viewport": {"width": 360, "height": 640}, "has_touch": True, "is_mobile": True}


def station_presses(host: ScriptedHost) -> list[dict]:
    """The presses of the current question that came from a station's key."""
    return [press for press in host.stage.get("presses", []) if press["phone"].startswith("抢答器")]


def wait_for(page, check, what: str) -> None:
    """Wait (on the page's event loop) until ``check()`` holds, the scripted host's view being updated meanwhile."""
    for _ in range(100):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never happened: {what}")


def test_hardware_keys_press_for_their_teams_beside_a_phone(browser, server, screenshot_dir):
    """Learn a key, press mapped, repeated and unmapped keys, and mix a phone's press in one question."""
    teams = server.demo["teams"]
    one, two, three = teams[0], teams[1], teams[2]
    host = ScriptedHost(server)
    errors = ConsoleErrors()
    desk = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    phone_context = browser.new_context(**PHONE)
    try:
        station = desk.new_page()
        errors.watch(station, "station")
        log_in(station, server.url, "host", "demo-host")
        station.goto(f"{server.url}/host/{server.demo['contest']}")
        with desk.expect_page() as opened:  # the console's link opens the station in a new tab
            station.click("#station-link")
        console, station = station, opened.value
        errors.watch(station, "station")
        errors.watch(console, "console")
        expect(station.locator("#link-station")).to_have_attribute("data-state", "ok", timeout=WAIT_MS)
        expect(station.locator("#link-view")).to_have_attribute("data-state", "ok", timeout=WAIT_MS)
        rows = station.locator("#st-keys tr")
        expect(rows).to_have_count(len(teams), timeout=WAIT_MS)
        expect(station.locator(f"#st-keys tr[data-team='{two['id']}'] .st-key")).to_have_text("2、小键盘 2")

        # Learn: 学习 on seat 3's row, then the box's key for seat 3 (here C).
        station.click(f"#st-keys tr[data-team='{three['id']}'] button")
        expect(station.locator("#st-learn-hint")).to_contain_text(f"请按 3号 {three['name']}")
        station.screenshot(path=str(screenshot_dir / "01-learning.png"))
        station.keyboard.press("c")
        expect(station.locator(f"#st-keys tr[data-team='{three['id']}'] .st-key")).to_have_text("C")
        station.reload()  # kept in this browser
        expect(station.locator(f"#st-keys tr[data-team='{three['id']}'] .st-key")).to_have_text("C", timeout=WAIT_MS)
        expect(station.locator("#link-station")).to_have_attribute("data-state", "ok", timeout=WAIT_MS)

        phone = phone_context.new_page()
        errors.watch(phone, "phone")
        join_team(phone, server.url + one["join_path"])

        host.command("StartContest")
        host.command("StartStage")
        for _ in range(2):  # 必答 and 速答 skipped: on to the buzzer stage
            host.command("EndStage")
            host.command("StartStage")
        host.command("NextQuestion")
        host.command("OpenBuzzers")
        expect(station.locator("#st-phase")).to_have_attribute("data-phase", "buzzing", timeout=WAIT_MS)

        # Seat 2's buzzer: held down, so the box repeats it; only the first keydown counts.
        station.keyboard.down("2")
        station.keyboard.down("2")  # repeat: true
        station.keyboard.down("2")
        expect(station.locator("#st-seen-team")).to_have_text(f"2号 {two['name']}", timeout=WAIT_MS)
        expect(station.locator("#st-seen-result")).to_have_text("抢到", timeout=WAIT_MS)
        station.keyboard.up("2")
        wait_for(station, lambda: host.stage.get("holder") == two["id"], "seat 2 holds the question")
        (pressed,) = station_presses(host)
        assert (pressed["team"], pressed["phone"], pressed["accepted"]) == (two["id"], "抢答器 Digit2", True)
        assert pressed["delay"] is not None, "the station's clock is measured like a phone's"
        station.screenshot(path=str(screenshot_dir / "02-seat2-won.png"))

        # A key no team has: shown, not sent.
        station.keyboard.press("9")
        expect(station.locator("#st-seen-team")).to_have_text("未对应任何队伍，不计")
        station.screenshot(path=str(screenshot_dir / "03-unmapped.png"))

        # The console shows the press with its key, and who holds the question.
        expect(console.locator("#buzz-log")).to_contain_text("抢答器 Digit2", timeout=WAIT_MS)
        expect(console.locator("#buzz-log")).to_contain_text(two["name"])
        console.screenshot(path=str(screenshot_dir / "04-console.png"))

        # Next question: seat 1's phone presses first, then the station's learned key for seat 3.
        host.command("Judge", verdict="wrong")
        host.command("NextQuestion")
        host.command("OpenBuzzers")
        button = phone.locator("#ph-buzz")
        expect(button).to_have_attribute("data-state", "armed", timeout=WAIT_MS)
        button.tap()
        expect(button).to_have_attribute("data-state", "won", timeout=WAIT_MS)
        station.keyboard.press("c")
        expect(station.locator("#st-seen-team")).to_have_text(f"3号 {three['name']}", timeout=WAIT_MS)
        expect(station.locator("#st-seen-result")).to_contain_text("已抢到", timeout=WAIT_MS)
        expect(station.locator("#st-seen")).to_have_attribute("data-state", "refused")
        wait_for(station, lambda: len(host.stage.get("presses", [])) == 2, "both presses listed")
        presses = sorted(host.stage["presses"], key=lambda press: press["arrived_at"])
        assert [(p["team"], p["accepted"], p["phone"].startswith("抢答器")) for p in presses] == [
            (one["id"], True, False), (three["id"], False, True)]
        assert presses[1]["phone"] == "抢答器 KeyC"
        assert host.stage["holder"] == one["id"]
        expect(station.locator("#st-log li")).to_have_count(2)
        station.screenshot(path=str(screenshot_dir / "05-phone-first.png"))
        expect(console.locator("#buzz-log")).to_contain_text("抢答器 KeyC", timeout=WAIT_MS)
        console.screenshot(path=str(screenshot_dir / "06-console-mixed.png"))
        errors.assert_none("on the station, the console and the phone")
    finally:
        host.close()
        desk.close()
        phone_context.close()
