"""Can an organizer paste a question list from an email, see how it was understood, fix it and import it?

A real server and Chromium: the organizer pastes a list with one mistake (an answer letter that
is not an option), sees the preview with that one error beside its question and line, fixes the
text in the box the preview offers, previews again and imports.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import expect_flash, log_in
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

PASTED = """2024年税收政策知识竞赛题库
一、单选题（每题10分）
1．小规模纳税人增值税征收率一般为多少？（ B ）
A．1%    B．3%    C．5%    D．6%
2、下列属于直接税的是
A、增值税
B、个人所得税
C、消费税
【答案】E
解析：个人所得税属于直接税。
三、判断题
3. 基本养老保险实行社会统筹与个人账户相结合。
正确答案：√
"""


@pytest.fixture(scope="module")
def bare_server():
    """A server with only the accounts: no bank yet."""
    live = LiveServer(with_demo=False).start()
    yield live
    live.stop()


def test_paste_preview_fix_and_import(browser, bare_server, screenshot_dir):
    """Paste → one error shown with its question and line → fix the text → preview clean → import."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, bare_server.url, *bare_server.demo["accounts"]["organizer"])
    page.goto(bare_server.url + "/banks/")
    page.fill("input[name=bank_name]", "税务题库")
    expect(page.locator("textarea[name=text]")).to_have_attribute("placeholder", re.compile("^一、单选题\n1. "))
    page.fill("textarea[name=text]", PASTED)
    page.screenshot(path=str(screenshot_dir / "upload-form-with-pasted-text.png"), full_page=True)
    page.click("button:has-text('上传并预览')")

    expect(page.locator("h1")).to_contain_text("导入预览")
    bad = page.locator("tr.has-problem")
    expect(bad).to_have_count(1)
    expect(bad).to_contain_text("第 2 题")
    expect(bad.locator(".problem")).to_have_text("第 9 行 「答案」答案「E」不是已有的选项（A–C）")
    first = page.locator("#row-1")
    expect(first).to_contain_text("小规模纳税人增值税征收率一般为多少？（  ）")
    expect(first).to_contain_text("答案「B」取自题干括号")
    expect(first.locator(".options li")).to_have_count(4)
    expect(page.locator("#row-3")).to_contain_text("判断")
    expect(page.locator(".summary")).to_contain_text("第 1 行在第一道题之前")
    expect(page.locator("button:has-text('确认导入')")).to_be_enabled()
    page.screenshot(path=str(screenshot_dir / "preview-with-one-error.png"), full_page=True)

    box = page.locator("textarea[name=text]")
    expect(box).to_have_value(PASTED)
    box.fill(PASTED.replace("【答案】E", "【答案】B"))
    page.click("button:has-text('重新预览')")
    expect(page.locator("tr.has-problem")).to_have_count(0)
    expect(page.locator(".summary")).to_contain_text("3 道题无误")
    page.screenshot(path=str(screenshot_dir / "preview-fixed.png"), full_page=True)

    page.click("button:has-text('确认导入')")
    expect_flash(page, "已导入 3 道题到题库「税务题库」")
    expect(page.locator("body")).to_contain_text("下列属于直接税的是")
    page.screenshot(path=str(screenshot_dir / "imported.png"), full_page=True)
    page.close()
