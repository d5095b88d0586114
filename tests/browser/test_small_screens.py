"""Smaller things a host and a hall see: the 开始下一环节 button names the stage it will start (not
the one in play), and the projector's "点击启用声音" hint is readable and whole at 1280×720."""
import pytest
from playwright.sync_api import expect

from tests.browser.fresh import fresh_server, open_console, open_display, scripted_host_of, wait_for  # noqa: F401
from tests.live.clients import to_first_buzzer_question

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PROJECTOR_SMALL = {"width": 1280, "height": 720}


def test_the_next_stage_button_names_the_stage_after_the_one_in_play(browser, fresh_server, scripted_host_of):
    host = scripted_host_of(fresh_server)
    host.command("StartContest")
    host.command("StartStage")
    page, errors = open_console(browser, fresh_server, LAPTOP)
    expect(page.locator("#stage-title")).to_have_text("必答题")
    expect(page.locator("#next-stage-name")).to_have_text("速答题")
    host.command("EndStage")
    expect(page.locator("#next-stage-name")).to_have_text("速答题")  # between stages: the one it starts
    assert errors == []


def test_the_sound_hint_is_readable_at_720p(browser, fresh_server, screenshot_dir):
    page, errors = open_display(browser, fresh_server, PROJECTOR_SMALL)
    hint = page.locator("#sound-hint")
    expect(hint).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "01_hint_720.png"))
    size = hint.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 14, f"the hint's letters are {size} px"
    box = hint.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR_SMALL["height"], box
    assert hint.evaluate("(el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1")
    assert errors == []


def test_a_question_after_a_void_one_is_numbered_as_the_audit_numbers_it(browser, fresh_server, scripted_host_of):
    host = scripted_host_of(fresh_server)
    to_first_buzzer_question(host)
    host.command("OpenBuzzers")
    host.command("CloseBuzzers")  # nobody buzzed: void, a later question takes its place in the plan
    host.command("NextQuestion")
    wait_for(host, lambda view: view["stage"].get("question_number") == 2, "the second question")
    planned = host.stage["planned"]
    display, display_errors = open_display(browser, fresh_server, PROJECTOR_SMALL)
    console, console_errors = open_console(browser, fresh_server, LAPTOP)

    expect(display.locator("#stage-progress")).to_have_text(f"第 2 题 · 计 1/{planned}")
    expect(console.locator("#question-count")).to_have_text(f"第 2 题 · 计 1/{planned}")
    audit = console.context.new_page()
    audit.goto(f"{fresh_server.url}/contests/{fresh_server.demo['contest']}/audit")
    shown = audit.locator(".audit-table tr.kind-QuestionShown td:nth-child(5)")
    expect(shown.last).to_have_text("第2题")
    assert display_errors == [] and console_errors == []
