"""Real company names (20+ characters, most starting with 湖南 or 长沙) on the organizer's and the
host's pages: the audit trail and the results fit a 1440 px window and give the answer room, the
host's scoreboard shows the part of each name that tells the teams apart, and each team's join
link stays on one line."""
import pytest
from playwright.sync_api import expect

from tests.browser.fresh import LONG_NAMES, long_names_server, open_console, open_organizer, play_a_final  # noqa: F401

pytestmark = pytest.mark.browser

WINDOW = {"width": 1440, "height": 900}
LAPTOP = {"width": 1366, "height": 768}

PAGE_WIDTH = "() => document.scrollingElement.scrollWidth"


def test_results_and_audit_fit_the_window(browser, long_names_server, screenshot_dir):
    play_a_final(long_names_server)
    contest = long_names_server.demo["contest"]
    page, errors = open_organizer(browser, long_names_server, WINDOW)

    page.goto(f"{long_names_server.url}/contests/{contest}/audit")
    page.screenshot(path=str(screenshot_dir / "01_audit.png"))
    assert page.evaluate(PAGE_WIDTH) <= WINDOW["width"], "the audit trail scrolls sideways"

    page.goto(f"{long_names_server.url}/contests/{contest}/results")
    page.screenshot(path=str(screenshot_dir / "02_results.png"), full_page=True)
    assert page.evaluate(PAGE_WIDTH) <= WINDOW["width"], "the results scroll sideways"
    answers = page.locator(".questions-table td.answer")
    expect(answers.first).not_to_be_empty()
    font = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.questions-table td.answer')).fontSize)")
    narrowest = min(box["width"] for box in (cell.bounding_box() for cell in answers.all()))
    assert narrowest >= 6 * font, f"the answer column is {narrowest:.0f} px: {narrowest / font:.1f} characters"
    assert errors == []


def test_the_host_scoreboard_shows_what_tells_the_teams_apart(browser, long_names_server, screenshot_dir):
    page, errors = open_console(browser, long_names_server, LAPTOP)
    names = page.locator("#scoreboard .team-tag .name")
    expect(names).to_have_count(8)
    page.screenshot(path=str(screenshot_dir / "01_console.png"))
    shown = page.evaluate("""() => [...document.querySelectorAll('#scoreboard .team-tag')].map((tag) => {
        const name = tag.querySelector('.name');
        const right = name.getBoundingClientRect().right;
        const range = document.createRange();
        let visible = '';  // the characters drawn inside the name's box (before the ellipsis)
        for (let i = 0; i < name.textContent.length; i += 1) {
          range.setStart(name.firstChild, i);
          range.setEnd(name.firstChild, i + 1);
          if (range.getBoundingClientRect().right <= right) visible += name.textContent[i];
        }
        return {visible, title: tag.title};
    })""")
    assert sorted(line["title"] for line in shown) == sorted(f"{name}\n{company}" for name, company in LONG_NAMES)
    starts = [line["visible"][:4] for line in shown]
    assert len(set(starts)) == 8, f"the visible names do not tell the teams apart: {starts}"
    assert not any(start.startswith(("湖南", "长沙")) for start in starts), starts
    assert errors == []


def test_join_links_stay_on_one_line(browser, long_names_server, screenshot_dir):
    contest = long_names_server.demo["contest"]
    page, errors = open_organizer(browser, long_names_server, WINDOW)
    page.goto(f"{long_names_server.url}/contests/{contest}/teams")
    links = page.locator("td.link-cell code.url")
    expect(links).to_have_count(8)
    page.screenshot(path=str(screenshot_dir / "01_teams.png"), full_page=True)
    for link in links.all():
        lines = link.evaluate("(code) => Math.round(code.getBoundingClientRect().height / parseFloat(getComputedStyle(code).lineHeight))")
        assert lines == 1, f"a join link wraps to {lines} lines"
        assert link.get_attribute("title") == link.text_content()
    assert page.evaluate(PAGE_WIDTH) <= WINDOW["width"], "the teams page scrolls sideways"
    assert errors == []
