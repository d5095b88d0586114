"""Issue 16 item 4 in real Chromium: the answer clock runs out just before the host judges; the host
undoes the timeout and the clock stays stopped, so the host judges the answer given in time; a key
whose command the rules refuse shows the server's reason.

One scenario in one test, on its own server whose 必答题 clock is 5 s (the shortest allowed).
"""
import re

import pytest
from playwright.sync_api import expect

from tests.live_server import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    """A real server with the demo contest and a 5-second answer clock in 必答题."""
    live = LiveServer()
    live.set_stage_rule("required", "time_limit", 5)
    live.start()
    yield live
    live.stop()


def test_an_undone_timeout_stops_the_clock_and_the_host_judges(browser, server, screenshot_dir):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("input[name=username]", "host")
    page.fill("input[name=password]", "demo-host")
    page.click("button[type=submit]")
    page.goto(server.url + server.host_path())
    controls = page.locator(".hc-controls")
    notice = page.locator("#notice")
    first = server.demo["teams"][0]

    for key in ("StartContest", "StartStage", "NextQuestion"):
        expect(controls).to_have_attribute("data-busy", "false")
        page.click(f'button[data-key="{key}"]')
    expect(page.locator("#phase-label")).to_have_text("答题中")

    # The server's own clock times the team out after 5 s.
    expect(page.locator("#verdict")).to_have_text(re.compile("超时"), timeout=15_000)
    expect(controls).to_have_attribute("data-busy", "false")
    page.keyboard.press("Control+z")
    expect(notice).to_have_text("已执行：撤销")

    # The clock stays stopped: the question waits for the host's verdict, whatever the time.
    expect(page.locator("#clock-label")).to_have_text("计时已停止，请判定")
    expect(page.locator("#phase-label")).to_have_text("答题中")
    page.wait_for_function("""() => document.querySelector('#clock').dataset.state === 'idle'""")
    page.screenshot(path=str(screenshot_dir / "01_clock_stopped_1366.png"))

    # A key the rules refuse now says why, in the server's words.
    page.keyboard.press("o")
    expect(notice).to_have_text("现在不能「开始抢答」：「必答题」环节不能抢答")
    page.keyboard.press("p")
    expect(notice).to_have_text("现在不能「过」：「必答题」环节不能过题")
    page.screenshot(path=str(screenshot_dir / "02_refusal_reason_1366.png"))

    page.keyboard.press("r")
    expect(page.locator("#verdict")).to_have_text("回答正确")
    expect(page.locator(f'#scoreboard tr[data-team="{first["id"]}"] .hc-delta')).to_have_text("+10")
    context.close()
