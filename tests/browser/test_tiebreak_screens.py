"""The tiebreak as the hall sees it: the projector's title card names the tied teams and what
they play for, a team outside the tiebreak reads that it is not playing (not "press once the host
starts"), the deciding question's answer can be revealed to the hall, and the final standings say
which places the tiebreak decided."""
import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.fresh import fresh_server, open_console, open_display, scripted_host_of, wait_for  # noqa: F401
from tests.browser.pages import join_team, settle
from tests.live.clients import LiveClient

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"viewport": {"width": 360, "height": 640}, "has_touch": True, "is_mobile": True, "locale": "zh-CN"}
# After every stage skipped, these corrections leave seats 1 and 2 tied on 130 for the first prize.
CORRECTIONS = {1: 30, 2: 30, 3: 20, 4: 15, 5: 10, 6: 5, 7: 3, 8: 1}


def to_tiebreak(host, server) -> tuple[dict, dict]:
    """Every stage skipped, seats 1 and 2 tied for the first prize, their tiebreak started."""
    teams = server.demo["teams"]
    host.command("StartContest")
    for _ in range(4):
        host.command("StartStage")
        host.command("EndStage")
    for team in teams:
        host.command("AdjustScore", team=team["id"], delta=CORRECTIONS[team["seat"]], reason="风采展示评分")
    wait_for(host, lambda view: view.get("pending_ties") == [[teams[0]["id"], teams[1]["id"]]], "the tie for first")
    host.command("StartTiebreak", teams=[teams[0]["id"], teams[1]["id"]])
    return teams[0], teams[1]


def decide(host, server, winner: dict) -> None:
    """The tiebreak's first question, won and answered right by ``winner``'s phone: places decided."""
    phone = LiveClient(server.url, "/team", {"credential": winner["credential"]})
    try:
        host.command("NextQuestion")
        host.command("OpenBuzzers")
        token = phone.wait_for(lambda view: view["me"]["can_buzz"])["stage"]["open_token"]
        ack = phone.call("buzz", {"open_token": token, "pressed_at": int(time.time() * 1000),
                                  "client_id": uuid.uuid4().hex})
        assert ack["ok"], ack
        wait_for(host, lambda view: view["stage"].get("holder") == winner["id"], "the winner holding the question")
        host.command("Judge", verdict="right")
        wait_for(host, lambda view: view["stage"]["phase"] == "resolved", "the places decided")
    finally:
        phone.close()


def test_the_title_card_names_the_tied_teams_and_outsiders_know_they_watch(browser, fresh_server, scripted_host_of,
                                                                           screenshot_dir):
    host = scripted_host_of(fresh_server)
    display, errors = open_display(browser, fresh_server, PROJECTOR)
    outsider = fresh_server.demo["teams"][2]
    phone = browser.new_context(**PHONE).new_page()
    join_team(phone, fresh_server.url + outsider["join_path"])
    first, second = to_tiebreak(host, fresh_server)

    teams = display.locator("#intro-teams")
    expect(teams).to_be_visible()
    expect(teams.locator(".d-tb-label")).to_have_text("同为 130 分 · 争夺第 1–2 名")
    expect(teams.locator(".d-tb-team")).to_have_text([f"1号 {first['name']}", f"2号 {second['name']}"])
    display.screenshot(path=str(screenshot_dir / "01_intro_1920.png"))

    expect(phone.locator("#ph-headline")).to_have_text("本队不参加此次加赛")
    expect(phone.locator("#ph-detail")).to_contain_text(f"1号 {first['name']}、2号 {second['name']} 同分加赛")
    phone.screenshot(path=str(screenshot_dir / "02_outsider_phone.png"))
    assert errors == []


def test_the_deciding_question_can_be_revealed_to_the_hall(browser, fresh_server, scripted_host_of, screenshot_dir):
    host = scripted_host_of(fresh_server)
    first, _second = to_tiebreak(host, fresh_server)
    decide(host, fresh_server, first)
    display, display_errors = open_display(browser, fresh_server, PROJECTOR)
    console, console_errors = open_console(browser, fresh_server, LAPTOP)

    reveal = console.locator('button[data-key="RevealAnswer"]')
    expect(reveal).to_be_enabled()
    expect(console.locator("#answer-secret")).to_have_text("大屏未显示")
    expect(display.locator("#notice-title")).to_have_text("加赛结束")
    console.keyboard.press("Space")  # the highlighted next step: 揭晓答案
    expect(console.locator("#answer-secret")).to_have_text("已向全场揭晓")
    expect(display.locator("#reveal")).to_be_visible()
    expect(display.locator("#reveal-answer")).to_contain_text("答案")
    expect(display.locator("#tiebreak .d-tb-team").first).to_contain_text("第1名")
    display.screenshot(path=str(screenshot_dir / "01_deciding_answer_1920.png"))
    expect(console.locator('button[data-key="EndStage"]')).to_have_class(re.compile(r"\bis-next\b"))
    assert display_errors == [] and console_errors == []


def test_the_final_standings_say_which_places_a_tiebreak_decided(browser, fresh_server, scripted_host_of,
                                                                 screenshot_dir):
    host = scripted_host_of(fresh_server)
    first, second = to_tiebreak(host, fresh_server)
    decide(host, fresh_server, second)
    host.command("EndStage")
    wait_for(host, lambda view: any(a["command"] == "FinishContest" for a in view.get("actions", [])), "the finish")
    display, errors = open_display(browser, fresh_server, PROJECTOR)
    host.command("FinishContest")

    rows = display.locator("#final-rows .d-final-row")
    expect(rows).to_have_count(8)
    expect(rows.nth(0).locator(".d-final-name")).to_have_text(second["name"])
    for row in (rows.nth(0), rows.nth(1)):
        expect(row.locator(".d-final-tb")).to_have_text("加赛决出", timeout=20_000)
    for index in range(2, 8):
        expect(rows.nth(index).locator(".d-final-tb")).to_have_text("")
    display.wait_for_function("() => !document.querySelector('#final-rows .pending')", timeout=30_000)
    settle(display)
    display.screenshot(path=str(screenshot_dir / "01_final_1920.png"))
    assert errors == []
