"""The projector page in real Chromium, at 1920×1080 and 1280×720, driven through a contest.

The host is a python-socketio client logged in through the real login page; the phones are
python-socketio clients with their signed credentials. Both display pages follow the demo
contest: the join screen, a 必答 question and its reveal, a 抢答 question with an early buzz and a
winner. At each moment the tests assert what the hall sees, that no text overflows its box and
the zones do not overlap, and take screenshots (test-artifacts/screenshots/<test>/) to look at.

Each test has a server of its own and brings the demo contest to its moment through the host.
"""
import re
import uuid

import pytest
import requests
import socketio

from tests.browser.scripted_host import ScriptedHost
from tests.live.clients import to_first_buzzer_question

pytestmark = pytest.mark.browser

SIZES = ((1920, 1080), (1280, 720))
WAIT_MS = 8000

# Geometry of the visible page: text boxes that overflow, and zones that overlap.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const shown = (el) => el && el.offsetParent !== null && !el.closest('[hidden]');
  const box = (el) => el.getBoundingClientRect();
  const name = (el) => el.id ? '#' + el.id : (el.dataset.zone || el.className || el.tagName);
  const app = box(document.getElementById('app'));
  const texts = document.querySelectorAll(
    '.d-title, .d-stage, .d-holder-name, .d-flag, .d-stem, .d-option-text, .d-reveal p, .d-row-name, '
    + '.d-row-score, .d-question, .d-intro-title, .dj-title, .dj-name, .dj-state, .d-flash-name, .d-final-name');
  for (const el of texts) {
    if (!shown(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} overflows across: ${el.scrollWidth} > ${el.clientWidth}`);
    // Down: only boxes that clip (a CJK glyph may poke out of its line box without being cut).
    const clips = getComputedStyle(el).overflowY !== 'visible' && !el.classList.contains('fit-line');
    if (clips && el.scrollHeight > el.clientHeight + 1) problems.push(`${name(el)} overflows down: ${el.scrollHeight} > ${el.clientHeight}`);
    const r = box(el);
    if (r.left < app.left - 1 || r.right > app.right + 1 || r.top < app.top - 1 || r.bottom > app.bottom + 1)
      problems.push(`${name(el)} is outside the screen`);
  }
  const groups = [
    ['[data-zone=header]', '[data-zone=main]', '[data-zone=scoreboard]'],
    ['[data-zone=status]', '#tiers', '#tiebreak', '#notice', '[data-zone=question]'],
    ['#holder', '#flags', '#speed', '#clock'],
  ];
  for (const group of groups) {
    const els = group.map((s) => document.querySelector(s)).filter(shown);
    for (let i = 0; i < els.length; i += 1) for (let j = i + 1; j < els.length; j += 1) {
      const a = box(els[i]); const b = box(els[j]);
      const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
        && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
      if (overlap) problems.push(`${name(els[i])} overlaps ${name(els[j])}`);
    }
  }
  return problems;
}
"""


def phone(server, seat_index: int) -> socketio.Client:
    """A team's phone, connected with its signed credential."""
    client = socketio.Client()
    client.connect(server.url, namespaces=["/team"], auth={"credential": server.demo["teams"][seat_index]["credential"]},
                   transports=["websocket"], wait_timeout=10)
    return client


@pytest.fixture
def hall(browser, server):
    """Both display pages on the demo contest, with their console errors collected, and the scripted host."""
    pages, errors, contexts = {}, [], []
    for width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.on("console", lambda message, w=width: message.type == "error" and errors.append(f"{w}: {message.text}"))
        page.on("pageerror", lambda error, w=width: errors.append(f"{w}: {error}"))
        page.goto(server.url + server.display_path())
        contexts.append(context)
        pages[width] = page
    state = {"pages": pages, "errors": errors, "phones": [], "host": ScriptedHost(server)}
    yield state
    for client in state["phones"] + [state["host"].client]:
        client.disconnect()
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def no_console_errors(hall):
    """Every test ends with a clean console on both pages."""
    yield
    assert not hall["errors"], f"console errors: {hall['errors']}"


def each_page(hall):
    return hall["pages"].items()


def shoot(hall, folder, moment: str):
    for width, page in each_page(hall):
        page.screenshot(path=str(folder / f"{moment}-{width}.png"))


def assert_layout_clean(hall, moment: str):
    for width, page in each_page(hall):
        problems = page.evaluate(LAYOUT_PROBLEMS)
        assert not problems, f"{moment} at {width}px: {problems}"


def wait_text(page, selector: str, text: str):
    """Wait until the element shows exactly `text`."""
    page.wait_for_function("([s, t]) => { const e = document.querySelector(s); return e && e.textContent.trim() === t; }",
                           arg=[selector, text], timeout=WAIT_MS)


def wait_stamp_gone(hall):
    """Wait until the verdict stamped over the question has gone (it stays its moment, then hides)."""
    for width, page in each_page(hall):
        page.locator("#stamp").wait_for(state="hidden", timeout=WAIT_MS)


def show_required_question(hall) -> dict:
    """Start the contest and show the first 必答 question on both pages; returns the question."""
    host = hall["host"]
    host.command("StartContest")
    host.command("StartStage")
    host.command("NextQuestion")
    question = host.stage["question"]
    for width, page in each_page(hall):
        wait_text(page, "#q-stem", question["stem"])
    return question


def font_px(page, selector: str) -> float:
    return page.evaluate("(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector)


def test_join_screen_shows_each_team_with_its_qr_code(hall, server, screenshot_dir):
    """Before the start: 8 QR codes with seats and names; a tick appears when a phone connects."""
    names = [team["name"] for team in server.demo["teams"]]
    for width, page in each_page(hall):
        page.wait_for_selector("#join-view:not([hidden])", timeout=WAIT_MS)
        assert page.locator(".dj-card .dj-qr svg").count() == 8
        assert page.locator(".dj-name").all_text_contents() == names
        assert page.locator(".dj-seat").all_text_contents() == [str(t["seat"]) for t in server.demo["teams"]]
        assert page.locator("#live-view").is_hidden()
    hall["phones"] = [phone(server, 0), phone(server, 1)]
    for width, page in each_page(hall):
        page.wait_for_function("document.querySelectorAll('.dj-card.joined').length === 2", timeout=WAIT_MS)
        assert page.locator(".dj-card.joined .dj-name").all_text_contents() == names[:2]
        assert "已连接 2 / 8" in page.locator("#join-count").text_content()
    assert_layout_clean(hall, "join")
    shoot(hall, screenshot_dir, "01-join")


def test_sound_hint_disappears_after_one_click(hall):
    """Autoplay is refused without a gesture: a small hint asks for one click, then goes away."""
    for width, page in each_page(hall):
        hint = page.locator("#sound-hint")
        hint.wait_for(state="visible", timeout=WAIT_MS)  # Chromium refuses sound before a gesture
        page.mouse.click(width // 2, 10)
        hint.wait_for(state="hidden", timeout=WAIT_MS)
        assert page.evaluate("document.querySelectorAll('button:not([hidden])').length") == 0, "no controls"


def test_required_question_hides_the_answer_until_the_reveal(hall, server, screenshot_dir):
    """A 必答 question: stem and options large; the answer appears only after RevealAnswer."""
    host = hall["host"]
    host.command("StartContest")
    host.command("StartStage")
    for width, page in each_page(hall):
        wait_text(page, "#intro-title", host.stage["title"])
        assert page.locator("#join-view").is_hidden()
    assert_layout_clean(hall, "stage title card")
    shoot(hall, screenshot_dir, "02-stage-card")

    host.command("NextQuestion")
    question = host.stage["question"]
    holder = next(t for t in host.view["teams"] if t["id"] == host.stage["holder"])
    for width, page in each_page(hall):
        wait_text(page, "#q-stem", question["stem"])
        assert page.locator(".d-option-text").all_text_contents() == question["options"]
        assert page.locator(".d-letter").all_text_contents() == list("ABCD"[:len(question["options"])])
        assert page.locator("#holder .d-holder-name").text_content() == holder["name"]
        assert page.locator("#clock").is_visible() and page.locator("#clock-seconds").text_content().isdigit()
        assert_answer_hidden(page, question)
    assert font_px(hall["pages"][1920], "#q-stem") >= 48, "the stem must read from the back of the hall"
    assert_layout_clean(hall, "required question")
    shoot(hall, screenshot_dir, "03-question")

    host.command("Judge", verdict="right")
    for width, page in each_page(hall):
        page.locator(".d-flag.verdict-right").wait_for(timeout=WAIT_MS)
        assert_answer_hidden(page, question)
    shoot(hall, screenshot_dir, "04-judged")

    host.command("RevealAnswer")
    right = [ord(letter) - ord("A") for letter in question["answer"] if letter.isalpha()]
    for width, page in each_page(hall):
        page.locator("#reveal").wait_for(timeout=WAIT_MS)
        lit = page.locator(".d-option.right .d-option-text").all_text_contents()
        assert lit == [question["options"][i] for i in right]
        assert question["explanation"] in page.locator("#reveal-explanation").text_content()
        assert question["source"] in page.locator("#reveal-source").text_content()
    wait_stamp_gone(hall)
    assert_layout_clean(hall, "revealed")
    shoot(hall, screenshot_dir, "05-revealed")


def assert_answer_hidden(page, question):
    """Nothing of the answer is on the page: no lit option, no explanation, no source."""
    assert page.locator("#reveal").is_hidden()
    assert page.locator(".d-option.right").count() == 0
    html = page.content()
    assert question["explanation"] not in html and question["source"] not in html and "正确答案" not in html


def test_buzzer_question_shows_the_foul_and_the_winner(hall, server, screenshot_dir):
    """A 抢答 question: an early press shows 犯规; the first valid buzz fills the screen, then settles."""
    host = hall["host"]
    hall["phones"] = [phone(server, 0), phone(server, 1)]
    winner, early = hall["phones"]
    to_first_buzzer_question(host)
    teams = server.demo["teams"]
    for width, page in each_page(hall):
        wait_text(page, "#q-stem", host.stage["question"]["stem"])
    ack = early.call("buzz", {"open_token": host.stage["open_token"], "client_id": uuid.uuid4().hex},
                     namespace="/team", timeout=10)
    assert ack["ok"], ack
    for width, page in each_page(hall):
        page.locator("#flash.foul").wait_for(timeout=WAIT_MS)
        assert page.locator("#flash .d-flash-kind").text_content() == "犯规"
        assert teams[1]["name"] in page.locator("#flash .d-flash-name").text_content()
    shoot(hall, screenshot_dir, "06-foul")
    for width, page in each_page(hall):
        page.locator("#flash").wait_for(state="hidden", timeout=WAIT_MS)
        assert teams[1]["name"] in page.locator(".d-flag.foul").text_content()
    assert_layout_clean(hall, "foul")

    host.command("OpenBuzzers")
    for width, page in each_page(hall):
        wait_text(page, "#holder .d-holder-name", "请抢答！")
    ack = winner.call("buzz", {"open_token": host.stage["open_token"], "client_id": uuid.uuid4().hex},
                      namespace="/team", timeout=10)
    assert ack["ok"], ack
    for width, page in each_page(hall):
        page.locator("#flash:not(.foul)").wait_for(timeout=WAIT_MS)
        assert page.locator("#flash .d-flash-name").text_content() == teams[0]["name"]
        assert page.locator("#flash .d-flash-seat").text_content() == str(teams[0]["seat"])
    assert_layout_clean(hall, "buzz flash")
    shoot(hall, screenshot_dir, "07-buzz")
    for width, page in each_page(hall):
        page.locator("#flash").wait_for(state="hidden", timeout=WAIT_MS)
        assert page.locator("#holder .d-holder-name").text_content() == teams[0]["name"]
        assert "抢答成功" in page.locator("#holder").text_content()
        assert page.locator("#clock").is_visible()
    assert_layout_clean(hall, "buzz settled")
    shoot(hall, screenshot_dir, "08-settled")

    host.command("Judge", verdict="wrong")
    host.command("RevealAnswer")
    for width, page in each_page(hall):
        page.locator("#reveal").wait_for(timeout=WAIT_MS)
    wait_stamp_gone(hall)
    assert_layout_clean(hall, "buzzer revealed")
    shoot(hall, screenshot_dir, "09-revealed")


def test_a_long_stem_and_long_names_shrink_to_fit(hall, screenshot_dir):
    """A 200-character stem with its explanation, and long team names, fit without being cut."""
    stem = "根据国家和省市关于支持高新技术企业发展的若干政策措施，" * 8
    name = "高新区智能制造联合创新中心队"  # 14 characters: longer than any demo name
    show_required_question(hall)
    hall["host"].command("Judge", verdict="right")
    hall["host"].command("RevealAnswer")
    for width, page in each_page(hall):
        page.locator("#reveal").wait_for(timeout=WAIT_MS)
        page.evaluate("""([stem, name]) => {
            document.getElementById('q-stem').textContent = stem.slice(0, 200);
            document.querySelector('#holder .d-holder-name').textContent = name;
            document.querySelector('.d-row-name').textContent = name;
            window.dispatchEvent(new Event('resize'));
        }""", [stem, name])
        assert len(page.locator("#q-stem").text_content()) == 200
        assert font_px(page, "#q-stem") >= 0.3 * 5.6 * height_unit(page), "shrunk, but not to nothing"
    assert_layout_clean(hall, "long stem")
    shoot(hall, screenshot_dir, "10-long-stem")


def height_unit(page) -> float:
    """1 --u in pixels: a hundredth of the 16:9 screen height."""
    return page.evaluate("document.getElementById('app').getBoundingClientRect().height / 100")


def test_a_reload_during_the_contest_shows_the_contest_not_the_join_screen(hall, server):
    """The projector's browser restarted mid-contest: no QR codes flash up; the question comes back."""
    question = show_required_question(hall)
    html = requests.get(server.url + server.display_path(), timeout=10).text
    assert re.search(r'<section id="join-view"[^>]*\bhidden\b', html), "the join screen is drawn hidden once live"
    page = hall["pages"][1280]
    page.reload()
    wait_text(page, "#q-stem", question["stem"])
    assert page.locator("#join-view").is_hidden() and page.locator("#live-view").is_visible()
