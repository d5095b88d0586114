"""The team phone in real Chromium at 360×640 with touch: two teams' phones and a scripted host
play through the buzzer stage (locked, armed, won, lost, foul), a reload, a network drop, a risk
turn answered on the phone, and a phone turned away at connect.

Screenshots of every state go to test-artifacts/screenshots/<test name>/.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import join_team
from tests.browser.scripted_host import ScriptedHost
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 640}, "has_touch": True, "is_mobile": True}
WAIT_MS = 5000

# Failed network requests are expected while the test itself takes the phone offline.
NETWORK_FAILURE = re.compile(r"ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed|Failed to load resource")


@pytest.fixture
def server():
    """The demo contest with phone answers in the risk stage, for one test (overrides the shared fixture).

    The demo answers every stage orally; its risk stage is switched to phone answers so that a
    risk turn can be played on the phone (values, then options, each with its confirmation).
    """
    live = LiveServer()
    live.set_stage_rule("risk", "answer_mode", "phone")
    live.start()
    yield live
    live.stop()


class Phone:
    """One team's phone: its own browser context (its own cookie), opened from the team's join link."""

    def __init__(self, browser, server: LiveServer, seat: int, shots):
        self.team = server.demo["teams"][seat - 1]
        self.label = f"{self.team['seat']}号 {self.team['name']}"
        self.context = browser.new_context(**PHONE)
        self.page = self.context.new_page()
        self.shots = shots
        self.errors: list[str] = []
        self.offline = False
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        join_team(self.page, server.url + self.team["join_path"])
        self.button = self.page.locator("#ph-buzz")

    def on_console(self, message) -> None:
        if message.type == "error" and not (self.offline and NETWORK_FAILURE.search(message.text)):
            self.errors.append(message.text)

    def set_offline(self, offline: bool) -> None:
        if offline:
            self.offline = True
        self.context.set_offline(offline)

    def shot(self, name: str) -> None:
        # Animations are fast-forwarded: a phone the test is not touching may not have painted
        # its last transition yet, and the picture should show the state, not a frame of it.
        self.page.screenshot(path=str(self.shots / f"{name}-seat{self.team['seat']}.png"), animations="disabled")

    def expect_state(self, state: str, text: str | re.Pattern | None = None) -> None:
        expect(self.button).to_be_visible(timeout=WAIT_MS)
        expect(self.button).to_have_attribute("data-state", state, timeout=WAIT_MS)
        if text is not None:
            expect(self.button).to_contain_text(text, timeout=WAIT_MS)

    def expect_headline(self, text) -> None:
        expect(self.page.locator("#ph-headline")).to_contain_text(text, timeout=WAIT_MS)

    def expect_score(self, score: int) -> None:
        expect(self.page.locator("#ph-score")).to_have_text(str(score), timeout=WAIT_MS)

    def press_and_read_state(self) -> str:
        """Touch the button and report its state in the same moment (before any answer arrives)."""
        return self.page.evaluate("""() => {
            const button = document.getElementById("ph-buzz");
            button.dispatchEvent(new PointerEvent("pointerdown", {bubbles: true, button: 0, pointerType: "touch"}));
            return button.dataset.state;
        }""")

    def reload(self) -> None:
        self.page.reload()
        self.page.wait_for_url("**/team")

    def close(self) -> None:
        self.context.close()


def assert_thumb_sized_and_low(phone: Phone) -> None:
    """The buzz button sits in the lower half of the screen and takes at least 70 % of its width."""
    box = phone.button.bounding_box()
    assert box["y"] >= 640 / 2, f"button starts at y={box['y']}, not in the lower half"
    assert box["y"] + box["height"] <= 640, "button runs off the screen"
    assert box["width"] >= 0.7 * 360, f"button is {box['width']}px wide, under 70 % of 360"


def assert_no_console_errors(*phones: Phone) -> None:
    for phone in phones:
        assert phone.errors == [], f"console errors on seat {phone.team['seat']}: {phone.errors}"


def test_two_phones_play_the_buzzer_stage_and_a_risk_turn(browser, server, screenshot_dir):
    """Locked, armed, won/lost, reload, foul, network drop, then a risk turn answered on the phone."""
    host = ScriptedHost(server)
    one = Phone(browser, server, 1, screenshot_dir)
    two = Phone(browser, server, 2, screenshot_dir)
    try:
        one.expect_headline("已加入")
        expect(one.page.locator("#ph-detail")).to_contain_text("等待比赛开始")
        expect(one.page.locator("#ph-name")).to_have_text(one.team["name"])
        assert "team-1" in one.page.locator("body").get_attribute("class")
        one.shot("01-joined")

        host.command("StartContest")
        host.command("StartStage")
        one.expect_headline("必答题即将开始")
        one.expect_score(100)
        for _ in range(2):  # 必答 and 速答 are skipped: the buzzer stage is the phone's own
            host.command("EndStage")
            host.command("StartStage")
        one.expect_state("locked", "等待主持人")
        one.expect_headline("抢答题即将开始")
        host.command("NextQuestion")
        for phone in (one, two):
            phone.expect_state("locked", "等待主持人")
        one.expect_headline("请听主持人读题")
        assert_thumb_sized_and_low(one)
        one.shot("02-locked")

        host.command("OpenBuzzers")
        for phone in (one, two):
            phone.expect_state("armed", "抢答")
        assert_thumb_sized_and_low(one)
        one.shot("03-armed")

        one.button.tap()
        one.expect_state("won", "你们抢到了！")
        two.expect_state("lost", re.compile(rf"{one.label}\s*先抢到"))
        one.shot("04-won")
        two.shot("05-lost")

        one.reload()  # mid-question: the same screen comes back from the server's view
        one.expect_state("won", "你们抢到了！")
        two.reload()
        two.expect_state("lost", re.compile(rf"{one.label}\s*先抢到"))

        host.command("Judge", verdict="right")
        one.expect_score(110)
        one.expect_headline("回答正确")
        one.shot("06-judged")

        host.command("NextQuestion")  # read, buzzers still closed: a press now is early
        two.expect_state("locked", "等待主持人")
        assert two.press_and_read_state() == "pressed", "the press must show at once, before the server answers"
        two.expect_state("foul", "犯规")
        two.expect_score(90)
        one.expect_state("locked", "等待主持人")
        two.shot("07-foul")

        host.command("OpenBuzzers")
        one.expect_state("armed")
        two.expect_state("foul", "犯规")
        one.set_offline(True)
        expect(one.page.locator("#ph-banner")).to_have_text("网络已断开，正在重新连接…", timeout=WAIT_MS)
        one.expect_state("offline")
        one.shot("08-offline")
        host.command("CloseBuzzers")  # decided while the phone is away: it must catch up by itself
        one.set_offline(False)
        expect(one.page.locator("#ph-banner")).to_have_text("已重新连接", timeout=10000)
        one.expect_state("done", "无人抢答")
        one.shot("09-reconnected")
        one.offline = False
        expect(one.page.locator("#ph-banner")).to_be_hidden(timeout=WAIT_MS)  # the good news goes away by itself

        host.command("EndStage")
        host.command("StartStage")  # risk: in score order, so seat 1 (110) picks first
        host.command("NextQuestion")
        tiers = one.page.locator("#ph-tiers .ph-tier")
        expect(tiers).to_have_count(3, timeout=WAIT_MS)
        expect(tiers.first).to_contain_text("10")
        two.expect_headline(f"{one.label} 正在选择分值")
        expect(two.page.locator("#ph-tiers")).to_be_hidden()
        one.shot("10-tiers")
        one.page.locator("#ph-tiers .ph-tier[data-tier='10']").tap()
        expect(one.page.locator("#ph-tiers .ph-confirm")).to_contain_text("确认选择 10 分")
        one.page.locator("#ph-tiers .ph-confirm .ph-btn-main").tap()

        options = one.page.locator("#ph-answer .ph-option")
        expect(options.first).to_be_visible(timeout=WAIT_MS)
        submit = one.page.locator("#ph-answer .ph-submit")
        expect(submit).to_be_disabled()
        options.first.tap()
        expect(options.first).to_have_attribute("aria-pressed", "true")
        one.shot("11-answer")
        submit.tap()
        confirm = one.page.locator("#ph-answer .ph-confirm")
        expect(confirm).to_contain_text("确认提交答案「A」")
        one.shot("12-confirm")
        confirm.locator(".ph-btn-main").tap()
        expect(one.page.locator("#ph-detail")).to_contain_text("本队答案：A", timeout=WAIT_MS)
        one.expect_headline(re.compile("回答正确|回答错误"))
        one.shot("13-answered")

        assert_no_console_errors(one, two)
    finally:
        host.close()
        one.close()
        two.close()


def test_a_phone_turned_away_at_connect_is_told_to_scan_again(browser, server, screenshot_dir):
    """A phone whose credential is gone (revoked, or cookies cleared) is refused when it reconnects."""
    phone = Phone(browser, server, 3, screenshot_dir)
    try:
        expect(phone.page.locator("#ph-name")).to_have_text(phone.team["name"])
        expect(phone.page.locator("#phone")).to_have_attribute("data-link", "online", timeout=WAIT_MS)
        phone.context.clear_cookies()
        phone.set_offline(True)
        expect(phone.page.locator("#ph-banner")).to_be_visible(timeout=WAIT_MS)
        phone.set_offline(False)
        refused = phone.page.locator("#ph-refused")
        expect(refused).to_be_visible(timeout=10000)
        expect(refused).to_contain_text("请重新扫描二维码加入")
        phone.shot("refused")
        phone.errors = [e for e in phone.errors if not NETWORK_FAILURE.search(e)]
        assert_no_console_errors(phone)
    finally:
        phone.close()
