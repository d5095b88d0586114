"""Smaller things a host and a hall see: the 开始下一环节 button names the stage it will start (not
the one in play), and the projector's "点击启用声音" hint is readable and whole at 1280×720."""
import pytest
from playwright.sync_api import expect

from tests.browser.fresh import fresh_server, open_console, open_display, scripted_host_of, wait_for  # noqa: F401

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
