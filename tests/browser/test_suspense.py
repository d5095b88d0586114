"""Suspense in real browsers: the host hides the scores from the console (the projector and a phone
lose them, the console keeps the real ones), freezes them (a correction does not reach the hall, a
"比分已冻结" badge says so), and after the finish uncovers the places one per press from the last
place up (成绩揭晓), then all of them. The projector is checked and shot at 1920×1080 and 1280×720,
the phone at 360×640, the console at 1366×768 (test-artifacts/screenshots/<test name>/)."""
import pytest
from playwright.sync_api import expect

from tests.browser.fresh import fresh_server, open_console, open_display, scripted_host_of  # noqa: F401
from tests.browser.pages import (
    CONSOLE_LAYOUT_PROBLEMS,
    LAPTOP,
    PROJECTOR,
    WAIT_MS,
    Console,
    ConsoleErrors,
    Display,
    Phone,
)

pytestmark = pytest.mark.browser


def board_scores(page) -> dict[int, str]:
    """The projector's live scoreboard: team id → the score shown."""
    return {int(team): score for team, score in page.eval_on_selector_all(
        "#board li[data-team]", "rows => rows.map(r => [r.dataset.team, r.querySelector('.d-row-score').textContent])")}


def console_score(page, seat: int) -> str:
    """The score the console's scoreboard shows for the team at ``seat``."""
    return page.locator("#scoreboard tr", has_text=f"{seat}").first.locator("td").last.inner_text()


def test_the_host_hides_freezes_and_reveals_the_scores(browser, fresh_server, scripted_host_of, screenshot_dir):
    host = scripted_host_of(fresh_server)
    teams = fresh_server.demo["teams"]
    display_page, display_errors = open_display(browser, fresh_server, PROJECTOR)
    display = Display(display_page, screenshot_dir)
    console_page, console_errors = open_console(browser, fresh_server, LAPTOP)
    console = Console(console_page)
    phone_errors = ConsoleErrors()
    phone = Phone(browser, {**teams[0], "join_url": fresh_server.url + teams[0]["join_path"]}, screenshot_dir,
                  phone_errors)
    phone.open_join_link()
    phone.join()

    host.command("StartContest")
    host.command("StartStage")
    for seat, team in enumerate(teams, start=1):  # seat 8 leads, seat 1 is last
        host.command("AdjustScore", team=team["id"], delta=seat, reason="风采展示评分")
    expect(display_page.locator("#board li[data-team]")).to_have_count(8, timeout=WAIT_MS)
    expect(phone.page.locator("#ph-score")).to_have_text("101", timeout=WAIT_MS)

    # Hidden: no rows and a badge on the projector, nothing on the phone, the real scores on the console.
    console.click("HideScores")
    expect(display_page.locator("#board-badge")).to_have_text("比分已隐藏\n颁奖时揭晓", timeout=WAIT_MS)
    expect(display_page.locator("#board li")).to_have_count(0)
    expect(phone.page.locator("#ph-score-label")).to_have_text("比分已隐藏", timeout=WAIT_MS)
    expect(phone.page.locator("#ph-score")).to_have_text("—")
    expect(console_page.locator("#suspense-state")).to_contain_text("已隐藏")
    expect(console_page.locator("#scoreboard")).to_contain_text("108")
    display.check("scores hidden", "01_hidden")
    phone.shot("01_hidden")
    assert phone.layout_problems() == []
    console_page.screenshot(path=str(screenshot_dir / "01_hidden-console.png"))
    assert console_page.evaluate(CONSOLE_LAYOUT_PROBLEMS) == []

    # Frozen: a correction reaches the console only; the projector and the phone keep 101.
    console.click("RevealAllPlaces")
    expect(display_page.locator("#board li[data-team]")).to_have_count(8, timeout=WAIT_MS)
    console.click("FreezeScores")
    expect(display_page.locator("#board-badge")).to_have_text("比分已冻结", timeout=WAIT_MS)
    host.command("AdjustScore", team=teams[0]["id"], delta=50, reason="评委复核更正")
    expect(console_page.locator("#scoreboard")).to_contain_text("151", timeout=WAIT_MS)
    assert board_scores(display_page)[teams[0]["id"]] == "101"
    expect(phone.page.locator("#ph-score")).to_have_text("101")
    expect(phone.page.locator("#ph-score-label")).to_have_text("比分已冻结")
    display.check("scores frozen", "02_frozen")
    phone.shot("02_frozen")
    host.command("EndStage")
    expect(display_page.locator("#between-title")).to_have_text("当前排名（已冻结）", timeout=WAIT_MS)
    expect(display_page.locator("#progression")).to_be_hidden()
    display.check("frozen between stages", "03_frozen_between")

    # The ceremony: hidden again, the rest of the stages skipped, the contest finished.
    console.click("UnfreezeScores")
    console.click("HideScores")
    for _ in range(3):
        host.command("StartStage")
        host.command("EndStage")
    host.command("FinishContest")
    expect(display_page.locator("#final-sub")).to_have_text("成绩揭晓", timeout=WAIT_MS)
    expect(display_page.locator("#final-rows li.covered")).to_have_count(8)
    expect(phone.page.locator("#ph-headline")).to_have_text("成绩揭晓中", timeout=WAIT_MS)
    display.check("ceremony before the first reveal", "04_ceremony_start")
    expect(console_page.locator("#suspense-next")).to_contain_text("第8名 2号", timeout=WAIT_MS)
    console_page.screenshot(path=str(screenshot_dir / "04_ceremony-console.png"))
    console.click("RevealNextPlace")  # seat 2 (102) is last: seat 1 has 151 after the correction
    for shown in (2, 3):
        expect(display_page.locator("#final-rows li[data-team]")).to_have_count(shown - 1, timeout=WAIT_MS)
        console.click("RevealNextPlace")
    rows = display_page.locator("#final-rows li[data-team]")
    expect(rows).to_have_count(3, timeout=WAIT_MS)
    expect(rows.last).to_contain_text("第8名")
    expect(rows.first).to_contain_text("第6名")
    display.check("three places uncovered", "05_ceremony_three")
    console.click("RevealAllPlaces")
    expect(display_page.locator("#final-rows li[data-team]")).to_have_count(8, timeout=WAIT_MS)
    expect(display_page.locator("#final-rows li.covered")).to_have_count(0)
    expect(display_page.locator("#final-rows li[data-team]").first).to_contain_text("151")
    expect(phone.page.locator("#ph-headline")).to_have_text("比赛结束", timeout=WAIT_MS)
    display.check("all uncovered", "06_ceremony_all")
    phone.shot("06_all")

    assert display_errors == [] and console_errors == []
    phone_errors.assert_none("suspense")
