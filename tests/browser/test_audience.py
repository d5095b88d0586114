"""Audience questions in real Chromium: the host puts a question from the console, a phone at 360×640
picks its company and answers with big buttons, the display at 1920×1080 and 1280×720 shows the live
distribution, then the right answer and the drawn winner. Screenshots in
test-artifacts/screenshots/<test>/ (look at them)."""
import pytest
import requests
import socketio
from playwright.sync_api import expect

from audience.identity import COOKIE
from tests.browser.pages import log_in, settle
from tests.live.clients import AudienceHost, host_cookie
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

SIZES = ((1920, 1080), (1280, 720))
WAIT_MS = 10000
OTHER_PHONES = "AABBBBBBC"  # the hall's other answers (python clients), beside the browser phone's B
STEM = "2024 年《政府工作报告》提出的国内生产总值增长预期目标是多少？请在手机上选择。"
OPTIONS = ["3% 左右", "5% 左右", "6% 以上", "不设具体目标"]

# Boxes of the audience overlay that overflow their box or the screen.
OVERLAY_PROBLEMS = """
() => {
  const problems = [];
  const app = document.getElementById('app').getBoundingClientRect();
  for (const el of document.querySelectorAll('#audience-view .da-stem, #audience-view .da-option, #audience-view .da-qr, '
                                             + '#audience-view .da-winner, #audience-view .da-total')) {
    if (el.offsetParent === null) continue;
    const r = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`${el.className} overflows across`);
    if (getComputedStyle(el).overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1) problems.push(`${el.className} overflows down`);
    if (r.left < app.left - 1 || r.right > app.right + 1 || r.top < app.top - 1 || r.bottom > app.bottom + 1)
      problems.push(`${el.className} is outside the screen`);
  }
  return problems;
}
"""


def hall_phone(server) -> socketio.Client:
    """Another phone of the hall: its cookie from the page, then /audience."""
    cookie = requests.get(f"{server.url}/a/{server.demo['contest']}", timeout=10).cookies[COOKIE]
    client = socketio.Client()
    client.connect(server.url, namespaces=["/audience"], auth={"contest": server.demo["contest"]},
                   headers={"Cookie": f"{COOKIE}={cookie}"}, transports=["websocket"], wait_timeout=10)
    return client


@pytest.fixture
def pages(browser, server):
    """The host console (1366×768), both display pages and an audience phone (360×640, touch), errors collected."""
    errors, contexts, opened = [], [], {}

    def open_page(name: str, path: str, **options):
        context = browser.new_context(**options)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and errors.append(f"{name}: {message.text}"))
        page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
        contexts.append(context)
        if path:
            page.goto(server.url + path)
        opened[name] = page
        return page

    host = open_page("host", "", viewport={"width": 1366, "height": 768})
    log_in(host, server.url, "host", "demo-host")
    host.goto(server.url + server.host_path())
    for width, height in SIZES:
        open_page(f"display-{width}", server.display_path(), viewport={"width": width, "height": height})
    open_page("phone", f"/a/{server.demo['contest']}", viewport={"width": 360, "height": 640}, is_mobile=True,
              has_touch=True, device_scale_factor=2)
    yield opened
    for context in contexts:
        context.close()
    assert not errors, f"console errors: {errors}"


def displays(pages):
    return [(width, pages[f"display-{width}"]) for width, _ in SIZES]


def test_an_audience_question_from_console_to_phone_to_display(pages, server, screenshot_dir):
    """The whole audience question as the hall sees it, with screenshots at each moment."""
    host, phone = pages["host"], pages["phone"]
    expect(phone.locator("#ap-headline")).to_have_text("请等待主持人出题", timeout=WAIT_MS)
    phone.select_option("select[name=company]", index=1)
    company = phone.locator("select[name=company] option").nth(1).text_content()
    phone.click(".ap-save")
    expect(phone.locator(".ap-company summary b")).to_have_text(company)
    expect(phone.locator("#ap-headline")).to_have_text("请等待主持人出题", timeout=WAIT_MS)

    host.click("#audience-open")
    expect(host.locator("#ah-bank option").nth(1)).to_be_attached(timeout=WAIT_MS)
    host.click(".ah-own summary")
    host.fill("#ah-own-form textarea[name=stem]", STEM)
    host.fill("#ah-own-form textarea[name=options]", "\n".join(OPTIONS))
    host.select_option("#ah-own-form select[name=answer]", "B")
    host.click("#ah-own-form button[type=submit]")
    expect(host.locator("#ah-state")).to_have_text("作答中", timeout=WAIT_MS)

    for _width, page in displays(pages):
        expect(page.locator("#audience-view")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("#da-stem")).to_have_text(STEM)
        page.wait_for_function("() => document.getElementById('da-qr').complete")
        assert page.evaluate("() => document.getElementById('da-qr').naturalWidth") > 0, "the QR code is drawn"
    expect(phone.locator("#ap-headline")).to_have_text("请作答", timeout=WAIT_MS)
    phone.screenshot(path=str(screenshot_dir / "phone-question-360.png"))
    option_b = phone.locator(".ap-option[data-letter=B]")
    box = option_b.bounding_box()
    assert box["width"] >= 0.8 * 360 and box["height"] >= 56, "a big button, for a thumb"
    option_b.tap()
    expect(phone.locator("#ap-confirm")).to_have_text("确认提交 B")
    phone.screenshot(path=str(screenshot_dir / "phone-picked-360.png"))
    phone.locator("#ap-confirm").tap()
    expect(phone.locator("#ap-headline")).to_have_text("已提交：B", timeout=WAIT_MS)
    expect(phone.locator(".ap-option[data-letter=A]")).to_be_disabled()

    others = [hall_phone(server) for _ in OTHER_PHONES]
    try:
        question_id = others[0].call("resync", {}, namespace="/audience")["question"]["id"]
        for client, choice in zip(others, OTHER_PHONES):
            assert client.call("audience_answer", {"question": question_id, "choice": choice}, namespace="/audience")["ok"]
        total = str(len(OTHER_PHONES) + 1)
        for width, page in displays(pages):
            expect(page.locator("#da-total")).to_have_text(total, timeout=WAIT_MS)
            expect(page.locator(".da-option[data-letter=B] .da-count")).to_contain_text("7")
            assert not page.evaluate(OVERLAY_PROBLEMS), f"distribution at {width}: {page.evaluate(OVERLAY_PROBLEMS)}"
            page.screenshot(path=str(screenshot_dir / f"display-distribution-{width}.png"))
        expect(host.locator("#ah-total")).to_have_text(total)
        host.screenshot(path=str(screenshot_dir / "host-dialog-answering.png"))

        host.click("[data-audience=close]")
        expect(phone.locator("#ap-headline")).to_have_text("答题已截止", timeout=WAIT_MS)
        host.click("[data-audience=reveal]")
        expect(phone.locator("#ap-headline")).to_have_text("回答正确 ✓", timeout=WAIT_MS)
        expect(phone.locator(".ap-option[data-letter=B]")).to_have_attribute("data-state", "right")
        host.click("[data-audience=draw]")
        for width, page in displays(pages):
            expect(page.locator("#da-winner")).to_be_visible(timeout=WAIT_MS)
            expect(page.locator(".da-option[data-letter=B]")).to_have_class("da-option right")
            assert not page.evaluate(OVERLAY_PROBLEMS), f"reveal at {width}: {page.evaluate(OVERLAY_PROBLEMS)}"
            settle(page)
            page.screenshot(path=str(screenshot_dir / f"display-reveal-winner-{width}.png"))
        winner = pages["display-1920"].locator("#da-winner-code").text_content()
        expect(phone.locator("#ap-winner-code")).to_have_text(winner)
        mine = phone.locator("#ap-code").text_content()
        expect(phone.locator("#ap-winner")).to_have_attribute("data-me", "yes" if mine == winner else "no")
        phone.locator("#ap-winner").scroll_into_view_if_needed()
        phone.screenshot(path=str(screenshot_dir / "phone-revealed-360.png"))
        host.screenshot(path=str(screenshot_dir / "host-dialog-drawn.png"))

        host.click("[data-audience=end]")
        for _width, page in displays(pages):
            expect(page.locator("#audience-view")).to_be_hidden(timeout=WAIT_MS)
        expect(phone.locator("#ap-headline")).to_have_text("请等待主持人出题", timeout=WAIT_MS)
    finally:
        for client in others:
            client.disconnect()


def test_beyond_the_budget_the_phone_polls_and_still_answers(browser, screenshot_dir):
    """With no room left on /audience (AUDIENCE_MAX_PHONES=0), does the phone say 现场人数已满, follow the
    question by polling and answer over HTTP, once?"""
    full = LiveServer(settings={"AUDIENCE_MAX_PHONES": "0"}).start()
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    host = None
    try:
        errors = []
        phone = context.new_page()
        phone.on("pageerror", lambda error: errors.append(str(error)))
        phone.goto(f"{full.url}/a/{full.demo['contest']}")
        expect(phone.locator("#ap-banner")).to_have_text("现场人数已满，已改为每 3 秒刷新一次", timeout=WAIT_MS)
        host = AudienceHost(full.url, full.demo["contest"], host_cookie(full.url))
        host.step("open", stem="观众题：本场决赛有几个环节？", options=["四个", "五个"], answer="A")
        expect(phone.locator("#ap-headline")).to_have_text("请作答", timeout=WAIT_MS)
        phone.locator(".ap-option[data-letter=A]").tap()
        phone.locator("#ap-confirm").tap()
        expect(phone.locator("#ap-headline")).to_have_text("已提交：A", timeout=WAIT_MS)
        phone.screenshot(path=str(screenshot_dir / "phone-polling-360.png"))
        host.step("close")
        host.step("reveal")
        expect(phone.locator("#ap-headline")).to_have_text("回答正确 ✓", timeout=WAIT_MS)
        expect(phone.locator(".ap-option[data-letter=A] .ap-count")).to_have_text("1人")
        assert not errors, errors
    finally:
        if host:
            host.close()
        context.close()
        full.stop()
