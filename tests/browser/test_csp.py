"""Do the pages keep to the Content-Security-Policy in real Chromium, and does HTML typed into a
question or a team name stay text?

The demo's question stems and first team name carry ``<img onerror>``, ``<script>`` and ``<b>``.
The organizer's pages are crawled (every same-site link from the home page, so a new page is
checked without being listed here), the host console, the projector and a team phone are opened
while a question is shown, and then the results pages are crawled. On every page Chromium must
report no CSP violation (``securitypolicyviolation`` events and "Refused to …" console messages),
no dialog may open, and the live pages must show the hostile stem as text.
"""
import re
import subprocess
import sys
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.scripted_host import ScriptedHost
from tests.live.clients import finish_with_distinct_scores, skip_stages
from tests.live_server import ROOT, LiveServer

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>粗</b>'

_HOSTILE_SCRIPT = """
import sys
from contest_setup.cli import find_demo_contest
from extensions import db
from factory import create_app
from question_bank.models import Question
text = sys.argv[1]
with create_app().app_context():
    for question in db.session.query(Question):
        question.stem = text + question.stem
    contest = find_demo_contest()
    contest.teams_by_seat[0].name = text[:60]
    db.session.commit()
    print(contest.stages[0].questions[0].id)
"""

WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`);
});
"""

SKIPPED_LINKS = re.compile(r"/logout|\.(xlsx|csv|json|docx|txt)(\?|$)|/display/|/join/|/socket\.io/|^mailto:|#")
MAX_PAGES = 80


@pytest.fixture
def server():
    """The demo with hostile stems and a hostile team name (a server of its own: it changes the data)."""
    live = LiveServer()
    live.prepare()
    output = subprocess.run([sys.executable, "-c", _HOSTILE_SCRIPT, HOSTILE], cwd=ROOT, env=live.env, check=True,
                            capture_output=True, text=True).stdout
    live.demo["stage_question"] = int(output.split()[-1])
    live.start()
    yield live
    live.stop()


class Watched:
    """A browser context whose pages report CSP violations, console errors and dialogs."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(locale="zh-CN", **options)
        self.context.add_init_script(WATCH_VIOLATIONS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self.on_console)
        self.page.on("dialog", self.on_dialog)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.problems.append(f"console: {text}")

    def on_dialog(self, dialog) -> None:
        self.problems.append(f"a dialog opened: {dialog.message}")
        dialog.dismiss()

    def visit(self, url: str) -> None:
        """Open ``url``, wait for it to settle, and gather what its page reported."""
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.collect(url)

    def collect(self, where: str) -> None:
        """Add the page's CSP violation events to the problems."""
        self.problems += [f"{where}: {v}" for v in self.page.evaluate("window.__csp || []")]

    def login(self, base: str, username: str, password: str) -> None:
        self.page.goto(base + "/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        self.collect(base + "/login")

    def close(self) -> None:
        self.context.close()


def page_kind(path: str) -> str:
    """Pages of one kind (``/banks/questions/<n>/edit`` for every n, any query string) are visited once."""
    return re.sub(r"\d+", "<n>", path)


def crawl(watched: Watched, base: str, start: str = "/") -> list[str]:
    """Visit one page of every kind reachable by same-site links from ``start`` (downloads and secret
    links skipped)."""
    seen, queue, visited = {page_kind(start)}, deque([start]), []
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        watched.visit(base + path)
        visited.append(path)
        for href in watched.page.eval_on_selector_all("a[href]", "links => links.map((a) => a.getAttribute('href'))"):
            url = urlsplit(urljoin(base + path, href))
            if url.netloc != urlsplit(base).netloc or SKIPPED_LINKS.search(href) or page_kind(url.path) in seen:
                continue
            seen.add(page_kind(url.path))
            queue.append(url.path)
    return visited


def assert_clean(*watched: Watched) -> None:
    problems = [problem for w in watched for problem in w.problems]
    assert not problems, "\n".join(problems)


def test_the_login_page_keeps_to_the_policy(browser, server):
    """Does the login page (the only page anyone can open) load without a violation?"""
    anonymous = Watched(browser)
    anonymous.visit(server.url + "/login")
    assert_clean(anonymous)
    anonymous.close()


def test_every_organizer_page_keeps_to_the_policy(browser, server):
    """Do the home page, the banks, the set-up pages, the join sheet and every page linked from them
    load without a violation (and show the hostile stems as text), including an upload preview?"""
    organizer = Watched(browser)
    organizer.login(server.url, "organizer", "demo-organizer")
    visited = crawl(organizer, server.url)
    assert any("/join-sheet" in path for path in visited), " ".join(visited)
    assert any(re.search(r"/banks/\d+$", path) for path in visited), " ".join(visited)
    # Pages a ready contest no longer links to (its teams and questions are fixed), opened directly.
    contest = server.demo["contest"]
    for path in (f"/contests/{contest}/teams/{server.demo['teams'][0]['id']}",
                 f"/contests/{contest}/questions/{server.demo['stage_question']}/swap"):
        organizer.visit(server.url + path)
        expect(organizer.page.locator("body")).to_contain_text(HOSTILE[:60])
    # The upload preview: a file with an HTML stem, through the real form.
    organizer.visit(server.url + "/banks/")
    csv_file = "题型,题干,选项A,选项B,答案\n单选,\"" + HOSTILE.replace('"', '""') + "\",甲,乙,A\n"
    organizer.page.fill("input[name=bank_name]", "CSP 测试题库")
    organizer.page.set_input_files("input[type=file]", files=[{"name": "题目.csv", "mimeType": "text/csv",
                                                               "buffer": csv_file.encode("utf-8-sig")}])
    organizer.page.locator("form.upload-form button[type=submit]").click()
    organizer.page.wait_for_url("**/upload/preview**")
    organizer.page.wait_for_load_state("networkidle")
    organizer.collect("upload preview")
    expect(organizer.page.locator("body")).to_contain_text(HOSTILE)
    assert organizer.page.locator("img[src=x]").count() == 0
    assert_clean(organizer)
    organizer.close()


def test_the_live_pages_keep_to_the_policy_and_show_html_as_text(browser, server):
    """With a hostile stem on screen, do the host console, the projector and a team phone load and
    update without a violation, showing the stem as text (no <img>, no <script>, no dialog)?"""
    host_page = Watched(browser, viewport={"width": 1366, "height": 768})
    host_page.login(server.url, "host", "demo-host")
    host_page.visit(server.url + server.host_path())
    display = Watched(browser, viewport={"width": 1920, "height": 1080})
    display.visit(server.url + server.display_path())
    expect(display.page.locator(".dj-card").first).to_contain_text(HOSTILE[:60])
    phone = Watched(browser, viewport={"width": 360, "height": 640}, has_touch=True, is_mobile=True)
    phone.visit(server.url + server.demo["teams"][0]["join_path"])
    phone.page.click("#join-button")
    expect(phone.page.locator("#ph-name")).to_have_text(HOSTILE[:60])

    host = ScriptedHost(server)
    host.command("StartContest")
    host.command("StartStage")
    host.command("NextQuestion")
    expect(host_page.page.locator("#question-stem")).to_contain_text(HOSTILE, timeout=5000)
    expect(display.page.locator("#q-stem")).to_contain_text(HOSTILE, timeout=5000)
    for watched, where in ((host_page, "host console"), (display, "display"), (phone, "phone")):
        watched.page.wait_for_timeout(300)
        watched.collect(where)
        assert watched.page.locator("img[src=x]").count() == 0, where
        assert watched.page.locator("main script, #app script, #phone script").count() == 0, where
    host.close()
    assert_clean(host_page, display, phone)
    for watched in (host_page, display, phone):
        watched.close()


def test_the_results_pages_keep_to_the_policy(browser, server):
    """Once the contest has been played, do the results, audit and report pages keep to it too?"""
    host = ScriptedHost(server)  # one hostile question judged, the other stages skipped, the finish
    host.command("StartContest")
    host.command("StartStage")
    host.command("NextQuestion")
    host.command("Judge", verdict="right")
    host.command("EndStage")
    skip_stages(host, 3)
    finish_with_distinct_scores(host, server.demo["teams"])
    host.close()
    organizer = Watched(browser)
    organizer.login(server.url, "organizer", "demo-organizer")
    visited = crawl(organizer, server.url, "/results/")
    contest = f"/contests/{server.demo['contest']}"
    for page in ("/results", "/audit", "/report"):
        assert contest + page in visited, f"{page} of the played contest not reached: {visited}"
    organizer.visit(server.url + contest + "/results")
    expect(organizer.page.locator("body")).to_contain_text(HOSTILE[:60])  # the hostile team name, as text
    assert organizer.page.locator("img[src=x]").count() == 0
    assert_clean(organizer)
    organizer.close()
