"""The host console in real Chromium against a real server: the host runs the first question of
the demo final from the keyboard and the buttons, corrects a score, sees a refusal's reason, and
finishes the contest through the confirmation dialog.

Each test has a server and a console of its own: the finish starts from a contest that a scripted
host has taken through the first question, as the first test leaves it.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import CONSOLE_LAYOUT_PROBLEMS, ENABLED_COMMANDS, LAPTOP, Console
from tests.browser.scripted_host import ScriptedHost

pytestmark = pytest.mark.browser

TABLET = {"width": 1024, "height": 768}


@pytest.fixture
def console(browser, server):
    """The host logged in, on the console of the demo contest; collects the page's errors."""
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("input[name=username]", "host")
    page.fill("input[name=password]", "demo-host")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.errors = []  # attached after the login page, whose favicon 404 is not the console's
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(server.url + server.host_path())
    expect(page.locator("#link-console")).to_have_attribute("data-state", "ok")
    yield page
    context.close()


def enabled(page) -> list[str]:
    """The command controls that are enabled now."""
    return page.evaluate(ENABLED_COMMANDS)


def wait_enabled(page, expected: list[str]) -> None:
    """Wait until exactly ``expected`` are enabled (the view arrives just after the acknowledgement)."""
    Console(page).wait_enabled(expected)


def press(page, key: str) -> None:
    """A shortcut, once the last command is acknowledged (a press while one is in flight is dropped)."""
    expect(page.locator(".hc-controls")).to_have_attribute("data-busy", "false")
    page.keyboard.press(key)


def score_of(page, team_id: int) -> int:
    """The score in the scoreboard row of a team (without the +/- change mark)."""
    text = page.locator(f'#scoreboard tr[data-team="{team_id}"] .hc-score').evaluate("td => td.firstChild.textContent")
    return int(text)


def end_stage_early(page) -> None:
    """结束本环节 with play left: the host confirms the loss the console names, and the stage ends.

    The confirmation sends the command when the dialog's close event runs, a moment after the
    click: a key pressed before it would act on the stage still in play.
    """
    page.click('button[data-key="EndStage"]')
    expect(page.locator("#confirm-dialog")).to_be_visible()
    page.click("#confirm-go")
    expect(page.locator("#phase-label")).to_be_hidden()


def test_host_runs_a_question(console, server, screenshot_dir):
    page = console
    first = server.demo["teams"][0]  # seat 1 holds the first required question

    # Before the start: only 开始比赛 may be pressed, and it is the highlighted next step.
    wait_enabled(page, ["StartContest"])
    start = page.locator('button[data-key="StartContest"]')
    expect(start).to_have_class(re.compile(r"\bis-next\b"))
    expect(start.locator(".hc-space-key")).to_be_visible()
    expect(page.locator("#stage-title")).to_have_text("比赛未开始")
    page.screenshot(path=str(screenshot_dir / "01_before_start_1366.png"))

    start.click()
    wait_enabled(page, ["StartStage", "Undo", "AdjustScore"])
    expect(page.locator('button[data-key="StartStage"] .hc-btn-sub')).to_have_text("必答题")

    press(page, "Space")  # 开始下一环节 (必答题)
    expect(page.locator("#stage-title")).to_have_text("必答题")
    expect(page.locator("#phase-label")).to_have_text("环节开始")

    page.click('button[data-key="NextQuestion"]')
    expect(page.locator("#phase-label")).to_have_text("答题中")
    wait_enabled(page, ["Judge:right", "Judge:wrong", "Judge:void", "Undo", "AdjustScore"])
    expect(page.locator("#holder-team")).to_contain_text(f"{first['seat']}号")
    expect(page.locator("#holder-team")).to_contain_text(first["name"])
    expect(page.locator("#question-stem")).not_to_be_empty()
    expect(page.locator("#question-answer")).not_to_be_empty()
    expect(page.locator("#answer-secret")).to_have_text("大屏未显示")
    expect(page.locator("#question-count")).to_have_text(re.compile(r"第 1 / \d+ 题"))
    expect(page.locator(f'#scoreboard tr[data-team="{first["id"]}"]')).to_have_class(re.compile(r"\bis-holder\b"))

    # The clock runs down on the server's clock: the seconds shown go down, whenever the page redraws.
    expect(page.locator("#clock")).to_have_attribute("data-state", "run")
    before = int(page.inner_text("#clock-digits"))
    page.wait_for_function("(before) => +document.getElementById('clock-digits').textContent < before", arg=before)
    after = int(page.inner_text("#clock-digits"))
    assert 0 < after < before <= 30
    page.screenshot(path=str(screenshot_dir / "02_question_1366.png"))

    # R = right: the holder's score goes up on the scoreboard.
    base = score_of(page, first["id"])
    press(page, "r")
    expect(page.locator("#verdict")).to_have_text("回答正确")
    page.wait_for_function(f"""() => document.querySelector('#scoreboard tr[data-team="{first["id"]}"] .hc-score')
                               .firstChild.textContent === '{base + 10}'""")
    expect(page.locator(f'#scoreboard tr[data-team="{first["id"]}"] .hc-delta')).to_have_text("+10")
    expect(page.locator('button[data-key="RevealAnswer"]')).to_have_class(re.compile(r"\bis-next\b"))

    # Ctrl+Z = undo: the score is back and the question is open again.
    press(page, "Control+z")
    expect(page.locator("#phase-label")).to_have_text("答题中")
    page.wait_for_function(f"""() => document.querySelector('#scoreboard tr[data-team="{first["id"]}"] .hc-score')
                               .firstChild.textContent === '{base}'""")
    assert score_of(page, first["id"]) == base

    # Right again, then Space with 下一题 focused: Space sends the highlighted step (揭晓答案) once,
    # and does not also click the focused button.
    press(page, "r")
    expect(page.locator("#phase-label")).to_have_text("已判定")
    wait_enabled(page, ["NextQuestion", "RevealAnswer", "EndStage", "Undo", "AdjustScore"])
    page.focus('button[data-key="NextQuestion"]')
    press(page, "Space")
    expect(page.locator("#phase-label")).to_have_text("已揭晓答案")
    expect(page.locator("#answer-secret")).to_have_text("已向全场揭晓")
    expect(page.locator("#question-count")).to_have_text(re.compile(r"第 1 / \d+ 题"))
    assert score_of(page, first["id"]) == base + 10

    # A score adjustment with its reason.
    second = server.demo["teams"][1]
    page.select_option("#adjust-team", str(second["id"]))
    page.fill("#adjust-delta", "-5")
    page.fill("#adjust-reason", "评委复核：提示作答")
    page.click("#adjust-form button[type=submit]")
    expect(page.locator("#notice")).to_have_text(re.compile("已执行：调整分数"))
    page.wait_for_function(f"""() => document.querySelector('#scoreboard tr[data-team="{second["id"]}"] .hc-score')
                               .firstChild.textContent === '95'""")
    expect(page.locator("#adjust-reason")).to_have_value("")

    # A refused command shows the server's reason, visibly.
    page.select_option("#adjust-team", str(second["id"]))
    page.fill("#adjust-delta", "0")
    page.fill("#adjust-reason", "试一下")
    page.click("#adjust-form button[type=submit]")
    notice = page.locator("#notice")
    expect(notice).to_have_text(re.compile("未执行「调整分数.*」：调整分数必须是非零整数"))
    expect(notice).to_have_attribute("data-kind", "error")
    expect(notice).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "03_refused_1366.png"))

    # A shortcut whose command is not legal now sends nothing and says why, in the server's words.
    press(page, "o")
    expect(notice).to_have_text("现在不能「开始抢答」：「必答题」环节不能抢答")

    page.set_viewport_size(TABLET)
    page.screenshot(path=str(screenshot_dir / "04_revealed_1024.png"))
    assert_fits(page)
    page.set_viewport_size(LAPTOP)
    assert_fits(page)
    assert page.errors == []


def after_the_first_question(server, page) -> None:
    """The contest as the first test leaves it: 1st question right (seat 1 on 110), answer shown, seat 2 on 95."""
    host = ScriptedHost(server)
    host.command("StartContest")
    host.command("StartStage")
    host.command("NextQuestion")
    host.command("Judge", verdict="right")
    host.command("RevealAnswer")
    host.command("AdjustScore", team=server.demo["teams"][1]["id"], delta=-5, reason="评委复核：提示作答")
    host.close()
    expect(page.locator("#phase-label")).to_have_text("已揭晓答案")
    wait_enabled(page, ["NextQuestion", "EndStage", "Undo", "AdjustScore"])
    assert [score_of(page, team["id"]) for team in server.demo["teams"][:2]] == [110, 95]


def test_finish_asks_once(console, server, screenshot_dir):
    """Play through the remaining stages, break the ties, and finish through the dialog."""
    page = console
    after_the_first_question(server, page)
    end_stage_early(page)
    for title in ("速答题", "抢答题", "风险题"):
        expect(page.locator('button[data-key="StartStage"] .hc-btn-sub')).to_have_text(title)
        press(page, "Space")
        expect(page.locator("#stage-title")).to_have_text(title)
        end_stage_early(page)

    # All at 100 but two: ties across the prizes. One 加赛 button per tied group, naming its teams.
    tiebreak = page.locator("#tiebreak-buttons button")
    expect(tiebreak).to_have_count(1)
    expect(tiebreak).to_be_enabled()
    expect(tiebreak).to_contain_text(server.demo["teams"][2]["name"])
    assert "FinishContest" not in enabled(page)

    # Distinct scores for everyone instead of a tiebreak.
    for offset, team in enumerate(server.demo["teams"][2:], start=1):
        page.select_option("#adjust-team", str(team["id"]))
        page.fill("#adjust-delta", str(offset))
        page.fill("#adjust-reason", "演示：拉开分差")
        page.click("#adjust-form button[type=submit]")
        expect(page.locator("#notice")).to_have_text(re.compile(f"已执行：调整分数 {team['seat']}号"))
    wait_enabled(page, ["FinishContest", "Undo", "AdjustScore"])
    expect(tiebreak).to_have_count(0)

    # 结束比赛 asks first; cancelling changes nothing.
    page.click('button[data-key="FinishContest"]')
    dialog = page.locator("#finish-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#finish-standings li")).to_have_count(len(server.demo["teams"]))
    expect(page.locator("#finish-standings li").first).to_contain_text("一等奖")
    page.screenshot(path=str(screenshot_dir / "05_finish_dialog_1366.png"))
    page.click("#finish-cancel")
    expect(dialog).to_be_hidden()
    expect(page.locator("#stage-title")).to_have_text("所有环节已完成")

    page.click('button[data-key="FinishContest"]')
    page.click("#finish-confirm")
    expect(page.locator("#stage-title")).to_have_text("比赛已结束")
    wait_enabled(page, ["AdjustScore"])
    page.set_viewport_size(TABLET)
    page.screenshot(path=str(screenshot_dir / "06_finished_1024.png"))
    assert_fits(page)
    page.set_viewport_size(LAPTOP)
    assert page.errors == []


def assert_fits(page) -> None:
    """No page scroll and no control cut off at this size: the console is one screen."""
    assert page.evaluate(CONSOLE_LAYOUT_PROBLEMS) == []
