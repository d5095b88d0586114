"""Ending a stage with play left, or a tiebreak before it has decided every place, asks first and
says what will be lost; 继续比赛 sends nothing, confirming ends it. A stage played to its end
ends at once."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.fresh import fresh_server, open_console, scripted_host_of, wait_for  # noqa: F401

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


def stage_of(host):
    return host.view.get("stage") or {}


def test_ending_a_stage_early_names_the_unplayed_questions(browser, fresh_server, scripted_host_of, screenshot_dir):
    host = scripted_host_of(fresh_server)
    host.command("StartContest")
    host.command("StartStage")
    page, errors = open_console(browser, fresh_server, LAPTOP)
    expect(page.locator("#stage-title")).to_have_text("必答题")
    total = stage_of(host)["question_total"]

    page.click('button[data-key="EndStage"]')
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#confirm-title")).to_have_text("提前结束「必答题」？")
    expect(page.locator("#confirm-loss")).to_have_text(f"必答题还有 {total} 题未出（共 {total} 题），结束后这些题不再作答。")
    page.screenshot(path=str(screenshot_dir / "01_asks.png"))
    page.click("#confirm-cancel")
    expect(dialog).to_be_hidden()
    expect(page.locator("#command-log")).to_be_hidden()  # nothing was sent
    assert stage_of(host)["title"] == "必答题"

    page.click('button[data-key="EndStage"]')
    page.click("#confirm-go")
    wait_for(host, lambda view: view.get("stage") is None, "the stage ended")
    assert errors == []


def test_ending_the_speed_round_early_names_the_teams_left(browser, fresh_server, scripted_host_of):
    host = scripted_host_of(fresh_server)
    host.command("StartContest")
    host.command("StartStage")
    host.command("EndStage")
    host.command("StartStage")
    page, errors = open_console(browser, fresh_server, LAPTOP)
    expect(page.locator("#stage-title")).to_have_text("速答题")
    page.keyboard.press("Space")  # 下一队 (the first team's packet): nothing to confirm
    wait_for(host, lambda view: stage_of(host).get("phase") == "answering", "the first packet")
    host.command("Undo")  # back to the intro: every team is left
    wait_for(host, lambda view: stage_of(host).get("phase") == "intro", "the intro again")
    expect(page.locator('button[data-key="EndStage"]')).to_be_enabled()

    page.click('button[data-key="EndStage"]')
    loss = page.locator("#confirm-loss")
    expect(loss).to_have_text(re.compile(r"^速答题还有 8 队未答：1号 .+、8号 .+，结束后这些队伍不再轮到。$"))
    page.click("#confirm-cancel")
    assert stage_of(host)["title"] == "速答题"
    assert errors == []


def test_ending_a_tiebreak_before_it_decides_warns_its_result_is_lost(browser, fresh_server, scripted_host_of,
                                                                     screenshot_dir):
    host = scripted_host_of(fresh_server)
    host.command("StartContest")
    for _ in range(4):
        host.command("StartStage")
        host.command("EndStage")
    wait_for(host, lambda view: view.get("pending_ties"), "a tie to break")
    host.command("StartTiebreak", teams=host.view["pending_ties"][0])
    page, errors = open_console(browser, fresh_server, LAPTOP)
    expect(page.locator("#stage-title")).to_have_text(re.compile("加赛"))

    page.click('button[data-key="EndStage"]')
    expect(page.locator("#confirm-title")).to_have_text("提前结束加赛？")
    expect(page.locator("#confirm-loss")).to_have_text(re.compile(r"^加赛尚未决出全部名次：本次加赛的结果将作废，.+ 仍然同分，需要重新加赛。$"))
    page.screenshot(path=str(screenshot_dir / "01_tiebreak_asks.png"))
    page.click("#confirm-go")
    wait_for(host, lambda view: view.get("stage") is None, "the tiebreak ended")
    assert host.view["pending_ties"], "the tie still waits for a tiebreak"
    assert errors == []
