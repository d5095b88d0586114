"""The organizer's branding and the certificates in real Chromium: the branding page fills in the
title, the organisers and a theme colour and uploads a logo and a background; the projector
(1920×1080 and 1280×720), a team phone (360×640), the join sheets and the report show them within
the CSP, with readable text;
after a finished final the certificates print to a PDF of one A4 landscape page each.

Screenshots (and the PDF's first page, rendered) go to test-artifacts/screenshots/<test>/ for a
person to look at. Each test has a server of its own.
"""
import re
import subprocess
import sys

import pypdfium2
import pytest
from playwright.sync_api import expect

from contest_setup.contrast import MIN_CONTRAST, contrast
from tests.browser.pages import WAIT_MS, ConsoleErrors, join_team, log_in, settle
from tests.images import picture
from tests.live.clients import LiveClient, finish_with_distinct_scores, host_cookie, skip_stages
from tests.live_server import ROOT, LiveServer

pytestmark = pytest.mark.browser

TITLE = "2026年度全市国有企业政策知识竞赛决赛"
SUBTITLE = "主办单位：市人民政府国有资产监督管理委员会\n承办单位：市总工会"
WAIT_MS = 20_000
A4_LANDSCAPE_PT = (842, 595)  # 297 × 210 mm
PRIZES = ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖"]
LONG_WINNER = "中国建设银行股份有限公司北京市分行营业部第一党支部暨青年突击队联合代表队"

_RENAME_WINNER = """
import sys
from contest_setup.cli import find_demo_contest
from extensions import db
from factory import create_app
with create_app().app_context():
    contest = find_demo_contest()
    contest.teams_by_seat[-1].name = sys.argv[1]
    db.session.commit()
"""


def rgb(hex_colour: str) -> str:
    """A ``#rrggbb`` colour as Chromium's computed style writes it."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def brand(page, base: str, contest: int, theme: str, tmp_path, shots=None) -> None:
    """Fill in the branding page as an organizer does: words and colour, then a logo and a background."""
    page.goto(f"{base}/contests/{contest}/branding")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=subtitle]", SUBTITLE)
    page.fill("input[name=theme]", theme)
    page.click("form.stack-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("已保存")
    logo, background = tmp_path / "logo.png", tmp_path / "background.jpg"
    logo.write_bytes(picture((600, 300), "PNG", colour=(20, 90, 170), exif=True))
    # All white: the worst picture under the display's light text; the scrim must keep it readable.
    background.write_bytes(picture((2400, 1350), "JPEG", colour=(255, 255, 255)))
    for name, path in (("logo", logo), ("background", background)):
        page.set_input_files(f"[data-picture={name}] input[type=file]", str(path))
        page.click(f"[data-picture={name}] form[enctype] button[type=submit]")
        expect(page.locator(".flash-success")).to_contain_text("图片已上传")
    if shots:
        page.screenshot(path=str(shots / "branding-page.png"), full_page=True)


def expect_band_colours(page, selector: str, background: str, ink: str) -> None:
    """The brand band's computed background and text colour become these (the contest's stylesheet
    may still be loading when the band is first in the page)."""
    band = page.locator(selector).first
    expect(band).to_have_css("background-color", rgb(background), timeout=WAIT_MS)
    expect(band).to_have_css("color", rgb(ink), timeout=WAIT_MS)


def test_the_display_and_the_phone_show_the_branding(browser, server, screenshot_dir, tmp_path):
    """A red theme: the join screen's band is red with white text (≥ 4.5:1), the logo loaded, the
    background under its scrim; the live header carries the logo; the phone shows a slim band and
    keeps its buzz button on screen; no page logs an error (a CSP refusal would)."""
    errors = ConsoleErrors()
    organizer = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    errors.watch(organizer, "organizer")
    log_in(organizer, server.url, "organizer", "demo-organizer")
    brand(organizer, server.url, server.demo["contest"], "#B3122E", tmp_path, screenshot_dir)
    organizer.goto(f"{server.url}/contests/{server.demo['contest']}/join-sheet")
    expect_band_colours(organizer, ".join-sheet .brand-band", "#b3122e", "#ffffff")
    organizer.emulate_media(media="print")
    organizer.locator(".join-sheet").first.screenshot(path=str(screenshot_dir / "join-sheet-print.png"))
    organizer.emulate_media(media="screen")

    displays = {}
    for width, height in ((1920, 1080), (1280, 720)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        errors.watch(page, f"display {width}")
        page.goto(server.url + server.display_path())
        expect(page.locator("#join-view .brand-title")).to_have_text(TITLE)
        expect(page.locator("#join-view .brand-sub").nth(1)).to_have_text("承办单位：市总工会")
        expect_band_colours(page, "#join-view .brand-band", "#b3122e", "#ffffff")
        assert contrast("#b3122e", "#ffffff") >= MIN_CONTRAST
        assert page.eval_on_selector("#join-view .brand-logo", "img => img.complete && img.naturalWidth") == 600
        assert "url(" in page.evaluate("getComputedStyle(document.body).backgroundImage")
        title_fits = page.eval_on_selector("#join-view .brand-title", "e => e.scrollWidth <= e.clientWidth + 1")
        assert title_fits, f"the title overflows at {width}×{height}"
        settle(page)
        page.screenshot(path=str(screenshot_dir / f"display-join-{width}x{height}.png"))
        displays[width] = page

    host = LiveClient(server.url, "/host", {"contest": server.demo["contest"]}, headers={"Cookie": host_cookie(server.url)})
    phone = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True).new_page()
    errors.watch(phone, "phone")
    join_team(phone, server.url + server.demo["teams"][0]["join_path"])
    host.command("StartContest")
    host.command("StartStage")
    host.command("NextQuestion")
    for width, page in displays.items():
        expect(page.locator("#live-view")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator(".d-head-logo")).to_be_visible()
        expect(page.locator("#contest-title")).to_have_text(TITLE)
        settle(page)
        page.screenshot(path=str(screenshot_dir / f"display-live-{width}.png"))

    expect(phone.locator(".ph-brand .brand-title")).to_have_text(TITLE)
    expect_band_colours(phone, ".ph-brand", "#b3122e", "#ffffff")
    band_height = phone.eval_on_selector(".ph-brand", "e => e.getBoundingClientRect().height")
    assert band_height <= 48, f"the phone's brand band takes {band_height}px"
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 360
    settle(phone)
    phone.screenshot(path=str(screenshot_dir / "phone-360x640.png"))
    host.close()
    errors.assert_none()


@pytest.fixture
def long_winner():
    """A demo server of its own whose seat-8 team (the winner of finish_with_distinct_scores) has a long name."""
    live = LiveServer()
    live.prepare()
    subprocess.run([sys.executable, "-c", _RENAME_WINNER, LONG_WINNER], cwd=ROOT, env=live.env, check=True)
    live.start()
    yield live
    live.stop()


def test_certificates_print_one_a4_landscape_page_each(browser, long_winner, screenshot_dir, tmp_path):
    """After the final: issue by the button (six prizes, then the demo round's 优秀组织奖), print all to
    PDF (one A4 landscape page per certificate), the long winner's name wraps inside its page, and
    /verify confirms a printed code."""
    server = long_winner
    host = LiveClient(server.url, "/host", {"contest": server.demo["contest"]}, headers={"Cookie": host_cookie(server.url)})
    host.command("StartContest")
    skip_stages(host, 4)
    finish_with_distinct_scores(host, server.demo["teams"])
    host.close()

    errors = ConsoleErrors()
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    errors.watch(page, "organizer")
    log_in(page, server.url, "organizer", "demo-organizer")
    brand(page, server.url, server.demo["contest"], "#FFD54F", tmp_path)  # a light theme: dark text
    page.goto(f"{server.url}/contests/{server.demo['contest']}/report")
    expect(page.locator(".report-brand .brand-title")).to_have_text(TITLE)
    page.emulate_media(media="print")
    page.locator(".report-head").screenshot(path=str(screenshot_dir / "report-head-print.png"))
    page.emulate_media(media="screen")
    page.goto(f"{server.url}/contests/{server.demo['contest']}/certificates")
    page.click("button:has-text('颁发证书')")
    expect(page.locator(".flash-success")).to_contain_text("已颁发")  # the page after the issue has come
    awards = page.locator(".cert-list tbody tr td:first-child").all_inner_texts()
    codes = page.locator(".cert-list code").all_inner_texts()
    assert awards[:6] == PRIZES and awards[6:] and set(awards[6:]) == {"优秀组织奖"}  # the demo round's awards
    expect(page.locator(".flash-success")).to_contain_text(f"已颁发 {len(codes)} 张证书")
    page.screenshot(path=str(screenshot_dir / "certificate-list.png"), full_page=True)

    page.click("text=打印全部证书")
    expect(page.locator("article.certificate")).to_have_count(len(codes))
    expect(page.locator("article.certificate").first).to_contain_text(LONG_WINNER)
    first = page.locator("article.certificate").first
    expect_band_colours(page, "article.certificate .brand-band", "#ffd54f", "#1a1a1a")
    winner_box = first.locator(".cert-winner").evaluate(
        "e => [e.scrollWidth <= e.clientWidth + 1, e.getBoundingClientRect().bottom <= e.closest('.certificate').getBoundingClientRect().bottom]")
    assert winner_box == [True, True], "the long winner's name does not wrap inside its page"
    page.emulate_media(media="print")
    first.screenshot(path=str(screenshot_dir / "certificate-print-media.png"))
    pdf_path = screenshot_dir / "certificates.pdf"
    pdf_path.write_bytes(page.pdf(prefer_css_page_size=True, print_background=True))
    page.emulate_media(media="screen")

    document = pypdfium2.PdfDocument(str(pdf_path))
    assert len(document) == len(codes), f"{len(document)} PDF pages for {len(codes)} certificates"
    for index in range(len(document)):
        width, height = document[index].get_size()
        assert (round(width), round(height)) == A4_LANDSCAPE_PT, f"page {index + 1} is {width}×{height} pt"
    text = document[0].get_textpage().get_text_range()
    assert codes[0] in text and "一等奖" in re.sub(r"\s", "", text)  # the award is letter-spaced
    document[0].render(scale=1).to_pil().save(screenshot_dir / "certificate-pdf-page-1.png")
    document.close()

    public = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    errors.watch(public, "verify")
    public.goto(f"{server.url}/verify")
    public.fill("input[name=code]", codes[0].lower())
    public.click("button:has-text('查验')")
    expect(public.locator(".verify-verdict")).to_contain_text("证书真实有效")
    expect(public.locator(".verify-result")).to_contain_text(LONG_WINNER)
    public.screenshot(path=str(screenshot_dir / "verify.png"))
    errors.assert_none()
    public.goto(f"{server.url}/verify/AAAA-BBBB-CCCC-DDDD")  # a 404 (the browser logs it): after the check
    expect(public.locator(".verify-none")).to_contain_text("查无此证书")
