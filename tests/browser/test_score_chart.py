"""Between stages the projector's score chart names every stage played, also one with few points
(a speed round of which one team played), each title clear of the others."""
import pytest
from playwright.sync_api import expect

from tests.browser.fresh import fresh_server, open_display, scripted_host_of, wait_for  # noqa: F401

pytestmark = pytest.mark.browser

SIZES = ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720})

TITLE_BOXES = """() => [...document.querySelectorAll('#progression .d-chart-stage')].map((t) => {
  const box = t.getBoundingClientRect();
  return {title: t.textContent, left: box.left, right: box.right, top: box.top, bottom: box.bottom};
})"""


def test_the_chart_names_every_stage(browser, fresh_server, scripted_host_of, screenshot_dir):
    host = scripted_host_of(fresh_server)
    host.command("StartContest")
    host.command("StartStage")
    for number in range(host.stage["question_total"]):
        host.command("NextQuestion")
        host.command("Judge", verdict="right" if number % 3 else "wrong")
    host.command("EndStage")
    host.command("StartStage")  # 速答题: one team's packet, then the stage ends
    host.command("NextQuestion")
    wait_for(host, lambda view: view["stage"]["phase"] == "answering", "the first packet")
    while host.stage["phase"] == "answering":
        seq = host.view["seq"]
        host.command("Judge", verdict="right")
        wait_for(host, lambda view: view["seq"] > seq, "the verdict")
    host.command("EndStage")

    for size in SIZES:
        page, errors = open_display(browser, fresh_server, size)
        page.wait_for_selector("#progression:not([hidden]) svg.d-chart", timeout=20_000)
        titles = page.locator("#progression .d-chart-stage")
        expect(titles).to_have_text(["必答题", "速答题"])
        page.screenshot(path=str(screenshot_dir / f"01_chart_{size['width']}.png"))
        boxes = page.evaluate(TITLE_BOXES)
        first, second = boxes
        assert first["right"] <= second["left"] or first["bottom"] <= second["top"] or second["bottom"] <= first["top"], \
            f"the stage titles overlap: {boxes}"
        plot = page.locator("#progression-plot").bounding_box()
        assert all(plot["x"] - 1 <= box["left"] and box["right"] <= plot["x"] + plot["width"] + 1 for box in boxes), boxes
        assert errors == []
