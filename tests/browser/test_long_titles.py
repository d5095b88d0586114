"""A long contest title on the projector and the phones: it wraps between words (never inside a
number or a Latin word) and never leaves one character alone on its last line."""
import pytest
from playwright.sync_api import expect

from tests.browser.pages import join_team
from tests.browser.fresh import retitle_contest, running, scripted_host_of  # noqa: F401
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

TITLE = "2026年度长沙高新区惠企政策知识竞赛决赛（第二场 Round 2）暨优化营商环境专题宣讲活动"
SIZES = ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720})
PHONE = {"viewport": {"width": 360, "height": 640}, "has_touch": True, "is_mobile": True, "locale": "zh-CN"}

# The lines of an element's text: each character's line found from its box.
LINES = """(el) => {
  const text = el.firstChild;
  const range = document.createRange();
  const lines = [];
  let top = null;
  for (let i = 0; i < text.textContent.length; i += 1) {
    range.setStart(text, i); range.setEnd(text, i + 1);
    const box = [...range.getClientRects()].pop();
    if (!box || box.width === 0) continue;
    if (top === null || box.top > top + box.height / 2) { lines.push(''); top = box.top; }
    lines[lines.length - 1] += text.textContent[i];
  }
  return lines;
}"""


@pytest.fixture
def titled_server():
    """A server of its own, the demo contest under the long title."""
    live = LiveServer()
    retitle_contest(live, TITLE)
    with running(live):
        yield live


def assert_wraps_well(lines: list[str], title: str, where: str) -> None:
    """No orphan on the last line, no number or Latin word cut between two lines."""
    assert "".join(lines).strip() == title.strip(), f"{where}: {lines}"
    if len(lines) > 1:
        assert len(lines[-1].strip()) > 1, f"{where}: one character alone on the last line: {lines}"
    for before, after in zip(lines, lines[1:]):
        assert not (before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() and after[:1].isalnum()), \
            f"{where}: a word is cut between lines: {lines}"


def test_a_long_title_wraps_between_words(browser, titled_server, scripted_host_of, screenshot_dir):
    pages = []
    for size in SIZES:
        page = browser.new_context(viewport=size, locale="zh-CN").new_page()
        page.goto(titled_server.url + titled_server.display_path())
        pages.append((size, page))
    phone = browser.new_context(**PHONE).new_page()
    join_team(phone, titled_server.url + titled_server.demo["teams"][0]["join_path"])

    for size, page in pages:
        title = page.locator(".dj-title")
        expect(title).to_have_text(TITLE)
        assert_wraps_well(title.evaluate(LINES), TITLE, f"join screen {size['width']}")
        page.screenshot(path=str(screenshot_dir / f"01_join_{size['width']}.png"))
    stage = phone.locator("#ph-stage")
    expect(stage).to_have_text(TITLE)
    assert_wraps_well(stage.evaluate(LINES), TITLE, "phone")
    phone.screenshot(path=str(screenshot_dir / "02_phone.png"))
    # Every length of title, in the phone's own element: none leaves one character alone.
    for length in range(24, len(TITLE) + 1):
        title = TITLE[:length]
        lines = stage.evaluate(f"(el, text) => {{ el.textContent = text; return ({LINES})(el); }}", title)
        assert_wraps_well(lines, title, f"phone, {length} characters")

    host = scripted_host_of(titled_server)
    host.command("StartContest")
    host.command("StartStage")
    for size, page in pages:
        title = page.locator("#contest-title")
        expect(title).to_have_text(TITLE)
        expect(page.locator("#live-view")).to_be_visible()
        assert_wraps_well(title.evaluate(LINES), TITLE, f"banner {size['width']}")
        page.screenshot(path=str(screenshot_dir / f"03_banner_{size['width']}.png"))
