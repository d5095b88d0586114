"""The projector's scoreboard shows a score change only on the team whose score just changed: when
the rows re-sort after a later answer, the earlier teams' ±badges do not play again (they covered
the names of every team that had ever scored)."""
import pytest
from playwright.sync_api import expect

from tests.browser.fresh import fresh_server, open_display, scripted_host_of, wait_for  # noqa: F401

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}

# Every team whose "+10"/"−10" badge animates from now on, sampled every frame.
WATCH_BADGES = """() => {
  window.badgeTeams = new Set();
  const sample = () => {
    for (const animation of document.getAnimations())
      if (animation.animationName === 'd-delta' && animation.playState === 'running')
        window.badgeTeams.add(Number(animation.effect.target.closest('li').dataset.team));
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
}"""

NO_BADGE_RUNNING = """() => !document.getAnimations().some(
    (a) => a.animationName === 'd-delta' && a.playState === 'running')"""


def adjust(host, page, team: dict, delta: int, score: int) -> None:
    """A judge's correction for ``team``; its new score is on the projector."""
    host.command("AdjustScore", team=team["id"], delta=delta, reason="评委复核更正")
    expect(page.locator(f'#board li[data-team="{team["id"]}"] .d-row-score')).to_have_text(str(score))


def test_only_the_team_whose_score_changed_shows_its_change(browser, fresh_server, scripted_host_of, screenshot_dir):
    host = scripted_host_of(fresh_server)
    page, errors = open_display(browser, fresh_server, PROJECTOR)
    teams = fresh_server.demo["teams"]
    host.command("StartContest")
    host.command("StartStage")
    adjust(host, page, teams[7], 10, 110)  # seat 8 moves to the top
    adjust(host, page, teams[6], 5, 105)  # seat 7 second
    page.wait_for_function(NO_BADGE_RUNNING)

    page.evaluate(WATCH_BADGES)
    adjust(host, page, teams[5], 20, 120)  # seat 6 moves to the top: every row moves
    expect(page.locator(f'#board li[data-team="{teams[5]["id"]}"] .d-row-delta')).to_have_text("+20")
    expect(page.locator("#board li").first).to_have_attribute("data-team", str(teams[5]["id"]))
    page.screenshot(path=str(screenshot_dir / "01_seat6_scored.png"))
    page.wait_for_function(NO_BADGE_RUNNING)

    assert page.evaluate("[...window.badgeTeams]") == [teams[5]["id"]]
    assert errors == []
