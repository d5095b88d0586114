"""A team's phones in real Chromium (issue 15, items 3 and 11): opening a join link binds nothing until
its button is pressed, a team holds at most two phones, and the host sees a team's phones on the
console and drops one, which is cut at once and refused afterwards.
"""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 640}, "has_touch": True, "is_mobile": True, "locale": "zh-CN"}
LAPTOP = {"width": 1366, "height": 768}


def phone_page(browser, server, team: dict):
    """A phone that opened ``team``'s join link (not yet joined)."""
    page = browser.new_context(**PHONE).new_page()
    page.goto(server.url + team["join_path"])
    return page


def test_the_host_drops_a_phone_of_a_team(browser, server, screenshot_dir):
    """The join page waits for its button; a third phone of a team is refused; the host's dialog lists the
    team's phones and drops one with two presses; that phone is cut and must scan again."""
    team = server.demo["teams"][0]  # the demo's prepared credential is already its 手机 1
    phone = phone_page(browser, server, team)
    expect(phone.locator("#join-button")).to_have_text("加入本队")
    expect(phone.locator("h1")).to_contain_text(team["name"])
    phone.screenshot(path=str(screenshot_dir / "join-page.png"))
    phone.click("#join-button")
    phone.wait_for_url("**/team")
    expect(phone.locator("#phone")).to_have_attribute("data-link", "online", timeout=10_000)

    third = phone_page(browser, server, team)
    third.click("#join-button")
    expect(third.locator(".tp-refusal")).to_contain_text("已达上限")
    third.screenshot(path=str(screenshot_dir / "third-phone-refused.png"))

    console = browser.new_context(viewport=LAPTOP, locale="zh-CN").new_page()
    console.goto(server.url + "/login")
    console.fill("input[name=username]", "host")
    console.fill("input[name=password]", "demo-host")
    console.click("button[type=submit]")
    console.wait_for_load_state()
    console.goto(server.url + server.host_path())
    console.click("#phones-open")
    row = console.locator(f".hc-device-team[data-team='{team['id']}']")
    expect(row.locator(".hc-device")).to_have_count(2)
    expect(row.locator(".hc-device").nth(1)).to_contain_text("手机 2")
    expect(row.locator(".hc-device").nth(1)).to_contain_text("在线")
    console.screenshot(path=str(screenshot_dir / "phones-dialog.png"))

    drop = row.locator(".hc-device").nth(1).locator(".hc-device-drop")
    drop.click()
    expect(drop).to_have_text("确认移出？")
    drop.click()
    expect(row.locator(".hc-device")).to_have_count(1)
    expect(phone.locator("#phone")).not_to_have_attribute("data-link", "online", timeout=10_000)
    phone.reload()
    expect(phone.locator("h1")).to_contain_text("尚未加入")
    phone.screenshot(path=str(screenshot_dir / "dropped-phone.png"))
    third.click("#join-button")  # the place is free again
    third.wait_for_url("**/team")
