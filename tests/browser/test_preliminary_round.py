"""The preliminary round in real Chromium: phones at 360×640 with touch for three people of three
companies, who register, answer, reload mid-paper and resume on the same question with the time
the server says, and whose late answer is refused; then the organizer closes the window, returns
the final to draft, qualifies the top companies, and the final's teams appear in rank order.

Screenshots of every state go to test-artifacts/screenshots/<test name>/.
"""
import json
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.pages import PHONE, ConsoleErrors
from tests.live_server import ROOT, LiveServer

pytestmark = pytest.mark.browser

WAIT_MS = 15_000
QUESTION_SECONDS = 20

_PREPARE_SCRIPT = """
import json
from extensions import db
from factory import create_app
from preliminary import identity
from preliminary.demo import find_demo_round
app = create_app()
with app.app_context():
    prelim = find_demo_round()
    prelim.settings = {**prelim.settings, "time_mode": "question", "question_seconds": %d, "shuffle_options": False}
    db.session.commit()
    with app.test_request_context():
        print(json.dumps({"round": prelim.id, "final": prelim.final_contest_id, "display": prelim.display_token,
                          "invites": ["/p/" + identity.invite_token(c) for c in prelim.companies]}))
""" % QUESTION_SECONDS


@pytest.fixture(scope="module")
def server():
    """The demo, its preliminary round answered with 20 s a question (late answers come sooner)."""
    live = LiveServer()
    live.prepare()
    output = subprocess.run([sys.executable, "-c", _PREPARE_SCRIPT], cwd=ROOT, env=live.env, check=True,
                            capture_output=True, text=True).stdout
    live.demo["prelim"] = json.loads(output.strip().splitlines()[-1])
    live.start()
    yield live
    live.stop()


class Person:
    """One participant's phone: its own browser context, opened from the company's invite link."""

    def __init__(self, browser, server, company: int, name: str, mobile: str, errors: ConsoleErrors, shots):
        self.context = browser.new_context(**PHONE)
        self.page = self.context.new_page()
        self.name, self.shots = name, shots
        errors.watch(self.page, name)
        self.page.goto(server.url + server.demo["prelim"]["invites"][company])
        self.page.fill("#pp-name", name)
        self.page.fill("#pp-mobile", mobile)
        self.shot("register")
        self.page.get_by_role("button", name="开始答题").click()
        expect(self.page.locator("#pp-progress")).to_have_text("第 1 / 10 题", timeout=WAIT_MS)

    def shot(self, label: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{self.name}-{label}.png"))

    def progress(self) -> str:
        return self.page.locator("#pp-progress").inner_text()

    def answer(self) -> None:
        """Answer the current question with its first option, and wait for the next screen."""
        before = self.progress()
        self.page.locator(".pp-option").first.tap()
        self.page.locator("#pp-confirm").tap()
        expect(self.page.locator("#pp-progress")).not_to_have_text(before, timeout=WAIT_MS)

    def server_state(self) -> dict:
        """What the server says now (the page's own request, with its cookie)."""
        return self.page.evaluate("async () => (await fetch(document.getElementById('pp').dataset.base + '/state')).json()")

    def shown_seconds(self) -> int:
        minutes, seconds = self.page.locator("#pp-clock").inner_text().split(":")
        return int(minutes) * 60 + int(seconds)


def test_people_answer_resume_and_the_final_gets_its_teams(browser, server, screenshot_dir):
    """Three companies' people answer; a reload resumes; a late answer is refused; qualifiers become teams."""
    errors = ConsoleErrors()
    first = Person(browser, server, 0, "赵一", "13600000001", errors, screenshot_dir)
    for _ in range(3):
        first.answer()
    first.shot("question-4")
    stem = first.page.locator("#pp-stem").inner_text()
    first.page.reload()
    expect(first.page.locator("#pp-progress")).to_have_text("第 4 / 10 题", timeout=WAIT_MS)
    expect(first.page.locator("#pp-stem")).to_have_text(stem)
    server_left = first.server_state()["question"]["remaining_ms"] / 1000
    assert abs(first.shown_seconds() - server_left) <= 2, (first.shown_seconds(), server_left)
    first.shot("after-reload")

    second = Person(browser, server, 1, "钱二", "13600000002", errors, screenshot_dir)
    while second.page.locator("#pp-question").is_visible():
        second.answer()
    expect(second.page.locator("#pp-result")).to_be_visible(timeout=WAIT_MS)
    expect(second.page.locator("#pp-rank")).to_have_text(re.compile(r"\d+ / \d+"))
    expect(second.page.locator("#pp-company")).to_contain_text("青禾生物医药有限公司")
    second.shot("result")

    third = Person(browser, server, 2, "孙三", "13600000003", errors, screenshot_dir)
    question = third.server_state()["question"]
    expect(third.page.locator("#pp-note")).to_have_text("时间到", timeout=(QUESTION_SECONDS + 5) * 1000)
    third.shot("time-up")
    expect(third.page.locator("#pp-progress")).to_have_text("第 2 / 10 题", timeout=WAIT_MS)
    errors.expect_network_failures("孙三", True)  # the refused request shows as "Failed to load resource"
    late = third.page.evaluate("""async (q) => {
        const csrf = document.querySelector("meta[name='csrf-token']").content;
        const reply = await fetch(document.getElementById('pp').dataset.base + '/answer', {method: 'POST',
          headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
          body: JSON.stringify({attempt: q.attempt, position: q.position, question: q.id, choice: q.options[0].value})});
        return {status: reply.status, body: await reply.json()};
    }""", question)
    errors.expect_network_failures("孙三", False)
    assert late["status"] == 409 and late["body"]["reason"] == "本题作答时间已到，答案未被记录"
    third.shot("late-refused")
    errors.assert_none("on the phones")

    organizer = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    errors.watch(organizer, "organizer")
    organizer.on("dialog", lambda dialog: dialog.accept())
    organizer.goto(server.url + "/login")
    organizer.fill("input[name=username]", "organizer")
    organizer.fill("input[name=password]", "demo-organizer")
    organizer.get_by_role("button", name="登录").click()
    prelim, final = server.demo["prelim"]["round"], server.demo["prelim"]["final"]
    organizer.goto(f"{server.url}/preliminary/{prelim}")
    start = organizer.locator("#window_start").input_value()
    organizer.fill("#window_end", _one_minute_after(start))
    organizer.get_by_role("button", name="保存设置").click()
    expect(organizer.locator(".flash-success")).to_contain_text("初赛设置已保存")

    organizer.goto(f"{server.url}/contests/{final}")
    organizer.get_by_role("button", name="退回草稿").click()
    organizer.goto(f"{server.url}/preliminary/{prelim}/qualification")
    expect(organizer.locator(".tie-notes, .card").first).to_be_visible()
    finalists = organizer.locator("ol.finalists li").all_inner_texts()
    assert len(finalists) == 3
    organizer.screenshot(path=str(screenshot_dir / "qualification.png"), full_page=True)
    organizer.get_by_label("我已核对晋级名单，确认生成决赛队伍").check()
    organizer.get_by_role("button", name="生成决赛队伍").click()
    expect(organizer.locator(".flash-success")).to_contain_text("已生成决赛的 3 支队伍")
    organizer.goto(f"{server.url}/contests/{final}/teams")
    names = organizer.locator("table.teams .team-tag .name").all_inner_texts()
    assert names == [line.split("（")[0] for line in finalists]
    assert all(name.endswith("代表队") for name in names)
    organizer.screenshot(path=str(screenshot_dir / "final-teams.png"), full_page=True)
    errors.assert_none("on the organizer's pages")


def test_the_projector_shows_participation_and_leaders_at_720p(browser, server, screenshot_dir):
    """At 1280×720: a bar per company with its count, the leaderboard, nothing spilling off the screen."""
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    errors = ConsoleErrors()
    errors.watch(page, "projector")
    prelim = server.demo["prelim"]["round"]
    page.goto(f"{server.url}/prelim-display/{prelim}/{server.demo['prelim']['display']}")
    expect(page.locator(".pd-bar")).to_have_count(5, timeout=WAIT_MS)
    expect(page.locator(".pd-leaders li").first).to_be_visible()
    expect(page.locator(".pd-count").first).to_contain_text("人")
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth")
    page.screenshot(path=str(screenshot_dir / "projector-720p.png"))
    errors.assert_none("on the projector")



def _one_minute_after(text: str) -> str:
    """A window time one minute later (the window then lies in the past, so it is closed)."""
    from datetime import datetime, timedelta

    return (datetime.strptime(text, "%Y-%m-%d %H:%M") + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
