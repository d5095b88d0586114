"""Three things the whole-final test found, in real Chromium against a real server:

- long company team names (23 characters) stay readable on the phone's header and on the projector
  (join cards, side scoreboard, holder bar, buzz flash) at 1920×1080 and 1280×720;
- a verdict given right after a buzz is shown at once, not hidden behind the buzz flash;
- after a server restart with the buzzers open, the console, the phone and the projector say that
  the opening was voided (stage.interrupted), until the host opens the buzzers again.

Each test has a server of its own and brings the demo contest to its moment through the host.
Screenshots go to test-artifacts/screenshots/<test name>/.
"""
import json
import signal
import subprocess
import sys
import time
import uuid

import pytest
import socketio
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.pages import (CONSOLE_LAYOUT_PROBLEMS, DISPLAY_LAYOUT_PROBLEMS, LAPTOP, PHONE,
                                 PHONE_LAYOUT_PROBLEMS, PROJECTOR, PROJECTOR_SMALL, WAIT_MS, ConsoleErrors, settle)
from tests.live.clients import finish_with_distinct_scores, host_cookie, skip_stages, to_first_buzzer_question
from tests.live.restart import SurvivingClient, patient
from tests.live_server import ROOT, LiveServer

pytestmark = pytest.mark.browser

LONG_NAMES = {1: "苏州工业园区新一代信息技术产业创新联合体代表队", 2: "长三角生物医药与高端医疗器械协同创新中心代表队"}
FLOOR_720_PX = 24  # the least a team name may be on the side scoreboard of a 1280×720 projector
FLASH_MS = 1300  # static/js/display/moments.js: a buzz flash left alone is up this long, then settles
HOLD_JUMP_S = 5  # holding a page's clock first moves it on this far (to a moment surely in its future)

_RENAME_SCRIPT = """
import json, sys
from contest_setup.cli import find_demo_contest
from extensions import db
from factory import create_app
names = json.loads(sys.argv[1])
with create_app().app_context():
    for team in find_demo_contest().teams_by_seat:
        team.name = names.get(str(team.seat), team.name)
    db.session.commit()
"""

# What a person sees of a name: its font, whether its text is whole, how many lines show, and its
# box to compare with its neighbours. Whole: every line of the text lies in the element's box (a line
# hidden by the two-line clamp lies below it, a line cut across runs past its right edge); the boxes
# are compared, not scrollHeight, which Chinese glyphs taller than their line box raise a little.
NAME_BOX = """
(el) => {
  const box = el.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(el);
  const lines = [...range.getClientRects()].filter((r) => r.width > 0);
  const shown = lines.filter((r) => (r.top + r.bottom) / 2 > box.top && (r.top + r.bottom) / 2 < box.bottom);
  const across = lines.every((r) => r.left >= box.left - 1 && r.right <= box.right + 1);
  return {
    text: el.textContent, font: parseFloat(getComputedStyle(el).fontSize),
    whole: across && shown.length === lines.length && el.scrollWidth <= el.clientWidth + 1,
    lines: new Set(shown.map((r) => Math.round(r.top))).size,
    left: box.left, right: box.right, top: box.top, bottom: box.bottom,
  };
}
"""

# On the projector, when the buzz flash and the verdict stamp come and go, and whether the stamp was
# the topmost thing where it stands at the moment it appeared (window.moments, in performance.now() ms).
WATCH_MOMENTS = """
() => {
  const flash = document.getElementById('flash');
  const stamp = document.getElementById('stamp');
  const seen = window.moments = {};
  new MutationObserver(() => {
    if (!flash.hidden && seen.flash == null) seen.flash = performance.now();
    if (!stamp.hidden && seen.stamp == null) {
      seen.stamp = performance.now();
      seen.flashUp = !flash.hidden;
      const r = stamp.getBoundingClientRect();
      stamp.style.pointerEvents = 'auto'; // the stamp lets clicks through; hit-test it for this one look
      seen.onTop = stamp.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      stamp.style.pointerEvents = '';
    }
    if (flash.hidden && seen.stamp != null && seen.flashGone == null) seen.flashGone = performance.now();
  }).observe(document.getElementById('app'), { subtree: true, attributes: true, attributeFilter: ['hidden'] });
}
"""


@pytest.fixture
def server():
    """The demo contest with the teams of seats 1 and 2 renamed to long company team names."""
    live = LiveServer()
    live.prepare()
    subprocess.run([sys.executable, "-c", _RENAME_SCRIPT, json.dumps(LONG_NAMES)], cwd=ROOT, env=live.env,
                   check=True, capture_output=True)
    for team in live.demo["teams"]:
        team["name"] = LONG_NAMES.get(team["seat"], team["name"])
    live.start()
    yield live
    live.stop()


@pytest.fixture
def hall(browser, server):
    """The projector at both sizes, seat 1's phone, the console (browser) and the host's commands (client)."""
    errors = ConsoleErrors()
    contexts = []

    def open_page(name, path, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        errors.watch(page, name)
        page.goto(server.url + path)
        return page

    displays = {size["width"]: open_page(f"display{size['width']}", server.display_path(), viewport=size)
                for size in (PROJECTOR, PROJECTOR_SMALL)}
    phone = open_page("phone1", server.demo["teams"][0]["join_path"], **PHONE)
    phone.click("#join-button")
    phone.wait_for_url("**/team")
    console = open_page("console", "/login", viewport=LAPTOP, locale="zh-CN")
    console.fill("input[name=username]", "host")
    console.fill("input[name=password]", "demo-host")
    console.click("button[type=submit]")
    console.wait_for_load_state()
    console.goto(server.url + server.host_path())
    host = patient(SurvivingClient(server.url, "/host", {"contest": server.demo["contest"]},
                                   {"Cookie": host_cookie(server.url)}))
    state = {"displays": displays, "phone": phone, "console": console, "host": host, "errors": errors, "clients": []}
    yield state
    host.close()
    for client in state["clients"]:
        client.disconnect()
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def no_console_errors(hall, request):
    """Every test ends with no console error on any page."""
    yield
    hall["errors"].assert_none(f"after {request.node.name}")


def hold_clock(page) -> None:
    """Stop the page's own clock: its timers (the flash's moment, the stamp's) and animation frames (a
    score counting up) wait until ``page.clock.resume()``.

    The host judging "within the flash's moment" is then a fact of the page's clock, not a race
    against a loaded machine. Timers set before the hold (the connection's) keep running.
    """
    page.clock.install()
    page.clock.pause_at(time.time() + HOLD_JUMP_S)


def name_box(page, selector: str) -> dict:
    return page.locator(selector).evaluate(NAME_BOX)


def display_problems(page) -> list[str]:
    """The projector's layout problems, except a side-scoreboard name cut after two lines on purpose."""
    return [problem for problem in page.evaluate(DISPLAY_LAYOUT_PROBLEMS)
            if not (problem.startswith(".d-row-name") and "overflows down" in problem)]


def shoot_displays(hall, folder, moment: str, still: bool = True) -> None:
    for width, page in hall["displays"].items():
        if still:
            settle(page)
        assert display_problems(page) == [], f"display {width}, {moment}"
        page.screenshot(path=str(folder / f"{moment}-{width}.png"))


def test_a_long_name_is_whole_on_the_phone_and_the_join_cards(hall, server, screenshot_dir):
    phone = hall["phone"]
    expect(phone.locator("#phone")).to_have_attribute("data-link", "online", timeout=WAIT_MS)
    expect(phone.locator("#ph-name")).to_have_text(LONG_NAMES[1])
    name = name_box(phone, "#ph-name")
    assert name["whole"] and name["lines"] <= 2, f"the phone's header cuts the name: {name}"
    assert name["font"] >= 16, f"the name is set too small to read: {name}"
    score = phone.locator("#ph-score-box").bounding_box()
    assert name["right"] <= score["x"] and name["left"] >= 0, f"the name runs into the score: {name}, {score}"
    assert phone.evaluate(PHONE_LAYOUT_PROBLEMS) == []
    phone.screenshot(path=str(screenshot_dir / "phone-joined.png"))

    for width, page in hall["displays"].items():
        page.wait_for_selector("#join-view:not([hidden])", timeout=WAIT_MS)
        card = name_box(page, ".dj-card[data-team='%d'] .dj-name" % server.demo["teams"][0]["id"])
        assert card["whole"] and card["lines"] <= 2, f"{width}: join card {card}"
        unit = page.evaluate("document.getElementById('app').getBoundingClientRect().height / 100")
        assert card["font"] >= 2.4 * unit, f"{width}: the join card's name shrank to {card['font']}px"
    shoot_displays(hall, screenshot_dir, "join")


def test_the_scoreboard_keeps_long_names_large_and_clear_of_the_score(hall, server, screenshot_dir):
    host = hall["host"]
    host.command("StartContest")
    host.command("StartStage")
    host.command("NextQuestion")  # 必答: seat 1 answers first, so its name is in the holder bar
    for width, page in hall["displays"].items():
        expect(page.locator("#holder .d-holder-name")).to_have_text(LONG_NAMES[1], timeout=WAIT_MS)
        settle(page)
        unit = page.evaluate("document.getElementById('app').getBoundingClientRect().height / 100")
        for seat in LONG_NAMES:
            row = page.locator(f"#board li[data-team='{server.demo['teams'][seat - 1]['id']}']")
            name = row.locator(".d-row-name").evaluate(NAME_BOX)
            score = row.locator(".d-row-score").bounding_box()
            assert name["lines"] == 2, f"{width}: a long name shows on two lines: {name}"
            assert name["right"] <= score["x"], f"{width}: the name runs into the score: {name}, {score}"
            if width == PROJECTOR_SMALL["width"]:
                assert name["font"] >= FLOOR_720_PX, f"1280: the scoreboard name shrank to {name['font']}px"
        holder = name_box(page, "#holder .d-holder-name")
        assert holder["whole"] and holder["font"] >= 4.5 * unit, f"{width}: holder bar {holder}"
    shoot_displays(hall, screenshot_dir, "required-question")


def test_a_verdict_right_after_the_buzz_is_not_hidden_by_the_flash(hall, server, screenshot_dir):
    host = hall["host"]
    to_first_buzzer_question(host)
    host.command("OpenBuzzers")
    second = socketio.Client()
    second.connect(server.url, namespaces=["/team"], auth={"credential": server.demo["teams"][1]["credential"]},
                   transports=["websocket"], wait_timeout=10)
    hall["clients"].append(second)
    for page in hall["displays"].values():
        expect(page.locator("#holder .d-holder-name")).to_have_text("请抢答！", timeout=WAIT_MS)

    for page in hall["displays"].values():
        page.evaluate(WATCH_MOMENTS)
        hold_clock(page)  # the flash, once up, stays until the verdict comes, however slowly
    ack = second.call("buzz", {"open_token": host.view["stage"]["open_token"], "client_id": uuid.uuid4().hex},
                      namespace="/team", timeout=10)
    assert ack["ok"], ack
    host.command("Judge", verdict="right")  # at once: a host who judges a quick answer
    for width, page in hall["displays"].items():
        page.wait_for_function("() => window.moments.stamp != null", timeout=WAIT_MS)
        page.screenshot(path=str(screenshot_dir / f"verdict-over-flash-{width}.png"))
    for width, page in hall["displays"].items():
        try:  # the page's clock is held: only the verdict can take the flash down
            page.wait_for_function("() => window.moments.flashGone != null", timeout=WAIT_MS)
        except PlaywrightTimeoutError as error:
            raise AssertionError(f"{width}: the verdict did not cut the flash short") from error
        seen = page.evaluate("() => window.moments")
        assert seen["flashUp"], f"{width}: the verdict came after the flash, so this test shows nothing: {seen}"
        assert seen["onTop"], f"{width}: the verdict is behind the flash: {seen}"
        assert seen["flashGone"] - seen["flash"] < FLASH_MS, f"{width}: the flash was not cut short: {seen}"
        assert page.locator("#stamp").is_visible(), f"{width}: the verdict stays its time"
        assert page.locator("#holder .d-holder-name").text_content() == LONG_NAMES[2]
        page.clock.resume()
    shoot_displays(hall, screenshot_dir, "verdict-settled", still=False)

    phone = hall["phone"]  # the other team's phone: who took it and how it went
    expect(phone.locator("#ph-headline")).to_contain_text("回答正确", timeout=WAIT_MS)
    assert phone.evaluate(PHONE_LAYOUT_PROBLEMS) == []
    phone.screenshot(path=str(screenshot_dir / "phone-other-team-judged.png"), animations="disabled")


def test_after_a_restart_with_open_buzzers_every_screen_says_to_open_them_again(hall, server, screenshot_dir):
    host, phone, console, errors = hall["host"], hall["phone"], hall["console"], hall["errors"]
    to_first_buzzer_question(host)
    host.command("OpenBuzzers")
    expect(phone.locator("#ph-buzz")).to_have_attribute("data-state", "armed", timeout=WAIT_MS)
    expect(console.locator("#interrupted")).to_be_hidden()

    pages = ["console", "phone1", *(f"display{width}" for width in hall["displays"])]
    for name in pages:
        errors.expect_network_failures(name, True)
    server.stop(signal.SIGKILL)  # a crash: no goodbye to anyone
    server.start()

    expect(console.locator("#interrupted")).to_be_visible(timeout=20_000)
    expect(console.locator("#interrupted")).to_have_text("服务器已恢复：刚才的抢答已作废，请重新开始抢答")
    expect(console.locator('button[data-key="OpenBuzzers"]')).to_be_enabled(timeout=WAIT_MS)
    assert console.evaluate(CONSOLE_LAYOUT_PROBLEMS) == []
    console.screenshot(path=str(screenshot_dir / "console-interrupted.png"))

    expect(phone.locator("#ph-headline")).to_have_text("服务器刚刚恢复", timeout=20_000)
    expect(phone.locator("#ph-detail")).to_have_text("请等待主持人重新开始抢答")
    expect(phone.locator("#ph-buzz")).to_have_attribute("data-state", "locked")
    expect(phone.locator("#ph-banner")).to_be_hidden(timeout=WAIT_MS)  # "已重新连接" goes away by itself
    assert phone.evaluate(PHONE_LAYOUT_PROBLEMS) == []
    phone.screenshot(path=str(screenshot_dir / "phone-interrupted.png"), animations="disabled")

    for page in hall["displays"].values():
        expect(page.locator("#holder .d-holder-name")).to_contain_text("服务器已恢复", timeout=20_000)
    shoot_displays(hall, screenshot_dir, "display-interrupted")
    for name in pages:
        errors.expect_network_failures(name, False)

    host.wait_for(lambda view: view["stage"]["interrupted"] is True, seconds=20)
    host.command("OpenBuzzers")
    expect(console.locator("#interrupted")).to_be_hidden(timeout=WAIT_MS)
    expect(phone.locator("#ph-headline")).to_have_text("开始抢答！", timeout=WAIT_MS)
    for page in hall["displays"].values():
        expect(page.locator("#holder .d-holder-name")).to_have_text("请抢答！", timeout=WAIT_MS)


def test_the_final_standings_show_long_names_whole(hall, server, screenshot_dir):
    host = hall["host"]
    host.command("StartContest")
    skip_stages(host, 4)
    finish_with_distinct_scores(host, server.demo["teams"])  # no ties to play off
    for width, page in hall["displays"].items():
        page.wait_for_selector("#final-view:not([hidden])", timeout=WAIT_MS)
        page.wait_for_function("() => !document.querySelector('#final-rows .pending')", timeout=20_000)
        unit = page.evaluate("document.getElementById('app').getBoundingClientRect().height / 100")
        for seat in LONG_NAMES:
            row = page.locator(f"#final-rows .d-final-row.team-{seat}")
            name = row.locator(".d-final-name").evaluate(NAME_BOX)
            assert name["whole"] and name["font"] >= 3.5 * unit, f"{width}: final standings {name}"
    shoot_displays(hall, screenshot_dir, "final")
