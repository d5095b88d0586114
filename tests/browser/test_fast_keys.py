"""A host marking the speed round faster than the server's changes arrive loses no key press: R
pressed five times 200 ms apart, on a console whose messages take half a second (a busy machine),
counts five right answers, each on its own question, and the console shows all five.
A press meant for a question that has passed is refused, and the console says so.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.fresh import fresh_server, open_console, scripted_host_of, wait_for  # noqa: F401

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
LATENCY_MS = 500

# Every message from the server reaches the page LATENCY_MS late, in order: a loaded server.
SLOW_SERVER = """
(() => {
  const Native = window.WebSocket;
  window.WebSocket = class SlowWebSocket extends Native {
    set onmessage(handler) { super.onmessage = (event) => setTimeout(() => handler.call(this, event), %d); }
    get onmessage() { return super.onmessage; }
  };
})();
""" % LATENCY_MS


def to_speed_question(host) -> None:
    """Start, skip the required stage, and show the first team its first speed question."""
    host.command("StartContest")
    host.command("StartStage")
    host.command("EndStage")
    host.command("StartStage")
    host.command("NextQuestion")
    wait_for(host, lambda view: (view.get("stage") or {}).get("phase") == "answering", "the first speed question")


@pytest.fixture
def speed_round(browser, fresh_server, scripted_host_of):
    """The first speed question up, and the host's console on a server whose messages come late:
    the scripted host, the console page, its errors, and the question's number."""
    host = scripted_host_of(fresh_server)
    to_speed_question(host)
    page, errors = open_console(browser, fresh_server, LAPTOP)
    page.add_init_script(SLOW_SERVER)
    page.reload()
    expect(page.locator("#link-console")).to_have_attribute("data-state", "ok")
    expect(page.locator("#phase-label")).to_have_text("答题中")
    return host, page, errors, host.stage["question_number"]


def test_five_quick_right_answers_count_five(speed_round, screenshot_dir):
    host, page, errors, first = speed_round

    for _ in range(5):
        page.keyboard.press("r")
        page.wait_for_timeout(200)  # the host's pace, not a wait for anything
    page.screenshot(path=str(screenshot_dir / "01_queued.png"))

    log = page.locator("#command-log li")
    expected = [f"正确 · 第 {first + n} 题 · 已执行" for n in reversed(range(5))]
    expect(log).to_have_text(expected, timeout=15_000)
    wait_for(host, lambda view: view["stage"].get("right_count") == 5, "five right answers")
    assert host.stage["question_number"] == first + 5
    expect(page.locator(".hc-controls")).to_have_attribute("data-busy", "false")
    page.screenshot(path=str(screenshot_dir / "02_five_counted.png"))
    assert errors == []


def test_a_press_for_a_passed_question_is_refused_visibly(speed_round, screenshot_dir):
    host, page, errors, first = speed_round

    # The host presses W for the question on screen while another judge's verdict on it is on its way.
    host.command("Judge", verdict="right")
    page.keyboard.press("w")

    notice = page.locator("#notice")
    expect(notice).to_have_attribute("data-kind", "error", timeout=15_000)
    expect(notice).to_have_text(re.compile(rf"未执行「错误」：按键时是速答题第 {first} 题，现在已是速答题第 {first + 1} 题"))
    expect(page.locator("#command-log li").first).to_have_text(f"错误 · 第 {first} 题 · 未执行")
    wait_for(host, lambda view: view["stage"]["question_number"] == first + 1, "the next question")
    assert host.stage["right_count"] == 1
    page.screenshot(path=str(screenshot_dir / "01_refused.png"))
    assert errors == []
