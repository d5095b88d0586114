"""A whole final in real browsers, played only through the pages, as people would play it.

An organizer logs in, imports a question set from an .xlsx on the upload page, creates the contest
from the final's template, sets the rules of the stages, registers 8 teams from a pasted list,
draws the questions and marks the contest ready. The host logs in and opens the console; the
projector opens its link; 8 phones (360×640, touch) open their teams' join links. Then the four
stages are played from the console's keys and buttons and the phones' buttons: required answers
judged by the host, a speed round with passes, buzzer questions with an early buzz (foul), a wrong
answer, a phone reloaded and another offline in the middle of a question, risk values with one
abstention, a tie across the last prize resolved by a tiebreak, and the final standings.

After each step the test asserts what each page shows (scores, who holds the question, the clock,
which buttons are enabled); at every key moment it checks that nothing on the projector overflows
or overlaps (at 1920×1080 and 1280×720), that the buzz button sits within a thumb's reach, and it
takes screenshots (test-artifacts/screenshots/<test name>/). No page may log a console error.

The plan of the verdicts makes the scores deliberate (base 100):

seat  必答    速答         抢答                 风险           total  place
1     right   right right  wins Q1, right +10  30, right      170    1 一等奖
2     right   right pass   wins Q3, right +10  20, right      150    2 二等奖
3     right   right wrong  wins Q2, wrong −10  20, wrong      90     8
4     wrong   right right  early buzz −10      30, right      140    3 二等奖
5     right   pass wrong   —                   10, wrong      100    6 (tiebreak) 三等奖
6     void    right right  —                   abstains       120    5 三等奖
7     right   wrong pass   —                   10, wrong      100    7 (tiebreak)
8     wrong   right wrong  —                   20, right      130    4 三等奖

Seats 5 and 7 end level on 100 across the boundary of the third prize (places 4–6): the console
offers the tiebreak, seat 7 buzzes first and answers wrong, so seat 5 takes the 6th place.
"""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.pages import (
    CONSOLE_SCORES,
    DISPLAY_SCORES,
    LAPTOP,
    PROJECTOR,
    WAIT_MS,
    Console,
    ConsoleErrors,
    Display,
    Organizer,
    Phone,
    log_in,
    wait_scores,
)
from tests.live_server import BARE_ACCOUNTS, ROOT, LiveServer

pytestmark = pytest.mark.browser

TITLE = "2025年高新区惠企政策知识竞赛决赛"
BANK = "2025年惠企政策题库"
ROSTER = """\
1,云帆数据队,云帆数据科技有限公司,李明,王芳,张伟,赵敏
2,青禾生物队,青禾生物医药有限公司,陈静,刘洋,杨帆
3,博远智造队,博远智能装备制造有限公司,黄磊,周婷,吴昊
4,晨曦新能源队,晨曦新能源材料有限公司,徐丽,孙强,马超
5,高新区智能制造联合创新中心队,高新区智能制造联合创新中心,朱琳,胡斌,郭瑞
6,澄光光电队,澄光光电子有限公司,林涛,何雪,高峰
7,恒安检测队,恒安检验检测技术有限公司,罗娜,梁晨,宋杰
8,知行人才队,知行人力资源服务有限公司,谢颖,韩冰,唐宁"""

REQUIRED = {1: "right", 2: "right", 3: "right", 4: "wrong", 5: "right", 6: "void", 7: "right", 8: "wrong"}
SPEED = {1: "RR", 2: "RP", 3: "RW", 4: "RR", 5: "PW", 6: "RR", 7: "WP", 8: "RW"}
RISK = {1: (30, "right"), 2: (20, "right"), 3: (20, "wrong"), 4: (30, "right"), 5: (10, "wrong"),
        6: (None, "abstain"), 7: (10, "wrong"), 8: (20, "right")}
FINAL = [  # place, seat, prize, score
    (1, 1, "一等奖", 170), (2, 2, "二等奖", 150), (3, 4, "二等奖", 140), (4, 8, "三等奖", 130),
    (5, 6, "三等奖", 120), (6, 5, "三等奖", 100), (7, 7, "", 100), (8, 3, "", 90),
]
VERDICT_WORDS = {"right": "回答正确", "wrong": "回答错误", "void": "本题无效"}
SPEED_KEYS = {"R": "Judge:right", "W": "Judge:wrong", "P": "Pass"}

# The sample bank, as an organizer's spreadsheet with the Chinese headers of docs/question-format.md.
SAMPLE_BANK = ROOT / "question_bank" / "samples" / "policy_bank.json"
TYPE_WORDS = {"single": "单选", "multi": "多选", "true_false": "判断", "open": "简答"}
HEADERS = {"type": "题型", "stem": "题干", "option_a": "选项A", "option_b": "选项B", "option_c": "选项C",
           "option_d": "选项D", "answer": "答案", "difficulty": "难度", "category": "分类", "stage": "适用轮次",
           "explanation": "解析", "source": "政策出处", "tags": "标签", "id": "编号"}


# docs/UX.md: the question at least 48 px at 1080p; long ones shrink to fit (the overflow checks
# of display.check). A question of ordinary length must not need to shrink below 48 px.
ORDINARY_QUESTION_CHARS = 150


def assert_question_readable(display) -> None:
    """The stem is at least 48 px at 1080p, unless stem and options together are unusually long."""
    size, length = display.page.evaluate("""() => {
        const stem = document.getElementById('q-stem');
        const text = stem.innerText + document.getElementById('q-options').innerText;
        return [parseFloat(getComputedStyle(stem).fontSize), text.replace(/\\s/g, '').length];
    }""")
    if length <= ORDINARY_QUESTION_CHARS:
        assert size >= 48, f"a {length}-character question drawn at {size} px"


def write_question_xlsx(path: Path) -> int:
    """The shipped sample bank (240 questions) written as an .xlsx; returns the number of questions."""
    questions = json.loads(SAMPLE_BANK.read_text(encoding="utf-8"))
    questions = questions["questions"] if isinstance(questions, dict) else questions
    book = Workbook()
    sheet = book.active
    sheet.title = "题库"
    sheet.append(list(HEADERS.values()))
    for question in questions:
        row = dict(question, type=TYPE_WORDS[question["type"]])
        sheet.append([row.get(key) for key in HEADERS])
    book.save(path)
    return len(questions)


@pytest.fixture(scope="module")
def server():
    """A fresh database with only an organizer and a host account: the organizer builds the rest."""
    live = LiveServer(with_demo=False).start()
    # CI runs the browser tests once more on gevent (CONTEST_TEST_ASYNC_MODE): make sure it is the one serving.
    assert f"已启动（{live.async_mode}）" in live.log_tail(), live.log_tail()
    yield live
    live.stop()


class Final:
    """Everything on the day: the pages, the team ids by seat, and the scores every page must show."""

    def __init__(self, browser, server, shots: Path):
        self.browser = browser
        self.server = server
        self.shots = shots
        self.errors = ConsoleErrors()
        self.contexts = []
        self.pages = {}  # name -> page, of the organizer, the display and the console
        self.phones: dict[int, Phone] = {}
        self.ids: dict[int, int] = {}  # seat -> team id
        self.seats: dict[int, int] = {}  # team id -> seat
        self.score: dict[int, int] = {}  # seat -> expected score
        self.teams: list[dict] = []  # seat, name, join_url of each team, from the teams page
        self.display_url = self.console_path = ""
        self.display: Display | None = None
        self.console: Console | None = None

    def new_page(self, name: str, **options):
        context = self.browser.new_context(locale="zh-CN", **options)
        self.contexts.append(context)
        page = self.pages[name] = context.new_page()
        self.errors.watch(page, name)
        return page

    def close(self):
        for phone in self.phones.values():
            phone.close()
        for context in self.contexts:
            context.close()

    def shoot_everything(self, name: str) -> None:
        """Every open page as it is now (after a failure, to see what each showed)."""
        pages = {**self.pages, **{phone.name: phone.page for phone in self.phones.values()}}
        for page_name, page in pages.items():
            try:
                page.screenshot(path=str(self.shots / f"{name}-{page_name}.png"), timeout=5000)
            except Exception:  # a page that cannot be shot must not hide the failure
                pass

    # -- what every page must show --------------------------------------------------------------

    def check_scores(self, seats=None, display=True) -> None:
        """Console and projector show every expected score; the phones of ``seats`` (all by default) their own."""
        expected = {self.ids[seat]: score for seat, score in self.score.items()}
        pages = [("console", self.console.page, CONSOLE_SCORES)]
        if display:
            pages.append(("display", self.display.page, DISPLAY_SCORES))
        wait_scores(pages, expected)
        for seat in self.phones if seats is None else seats:
            expect(self.phones[seat].page.locator("#ph-score")).to_have_text(str(self.score[seat]), timeout=WAIT_MS)

    def add(self, seat: int, delta: int) -> None:
        self.score[seat] += delta

    def shoot_console(self, name: str) -> None:
        problems = self.console.layout_problems()
        assert not problems, f"console, {name}: {problems}"
        self.console.page.screenshot(path=str(self.shots / f"{name}-console.png"))

    def check_phones(self, moment: str, seats=None) -> None:
        for seat in self.phones if seats is None else seats:
            problems = self.phones[seat].layout_problems()
            assert not problems, f"phone {seat}, {moment}: {problems}"


@pytest.mark.timeout(600)
def test_a_whole_final_in_real_browsers(browser, server, screenshot_dir, tmp_path):
    started = time.monotonic()
    final = Final(browser, server, screenshot_dir)
    try:
        prepare_the_contest(final, tmp_path)
        open_the_hall(final)
        play_required(final)
        play_speed(final)
        play_buzzer(final)
        play_risk(final)
        break_the_tie(final)
        finish(final)
        final.errors.assert_none("at the end")
    except BaseException:
        final.shoot_everything("zz-failure")
        raise
    finally:
        final.close()
    print(f"whole final played in {time.monotonic() - started:.0f} s")


# --- before the day -------------------------------------------------------------------------------


def prepare_the_contest(final: Final, tmp_path: Path) -> None:
    """The organizer: question bank from .xlsx, contest from the template, rules, teams, draw, ready."""
    page = final.new_page("organizer", viewport=LAPTOP)
    user, password = BARE_ACCOUNTS["organizer"]
    log_in(page, final.server.url, user, password)
    organizer = Organizer(page, final.server.url, final.shots)

    workbook = tmp_path / "惠企政策决赛题库.xlsx"
    count = write_question_xlsx(workbook)
    summary, message = organizer.import_bank(BANK, workbook)
    assert re.search(rf"共读到 {count} 行，\s*其中 {count} 道题无误", summary), summary
    assert f"已导入 {count} 道题到题库「{BANK}」" in message

    organizer.create_contest(TITLE)
    # The rules of the day: one round of required questions, packets of 2 in the speed round,
    # 3 buzzer questions with 60 s to buzz and 30 s to answer (the defaults stay for the rest).
    organizer.set_stage_rules("必答题", {"rounds": "1"})
    organizer.set_stage_rules("速答题", {"packet_size": "2"})
    organizer.set_stage_rules("抢答题", {"question_count": "3", "buzz_window": "60", "answer_time": "30"})
    assert organizer.stage_summary("必答题").startswith("轮数 1 ·")
    assert organizer.stage_summary("速答题").startswith("每队题数 2题 ·")
    assert organizer.stage_summary("抢答题").startswith("题目数量 3题 ·")

    organizer.import_teams(ROSTER)
    teams = organizer.teams()
    assert [(t["seat"], t["name"]) for t in teams] == [
        (int(line.split(",")[0]), line.split(",")[1]) for line in ROSTER.splitlines()]
    assert all(t["join_url"].startswith(final.server.url + "/join/") for t in teams)
    organizer.shot("organizer-teams")

    organizer.draw_questions()
    counts = page.locator("section.card[id^=stage-] h2").all_inner_texts()
    assert counts == ["1. 必答题（8 题）", "2. 速答题（16 题）", "3. 抢答题（8 题）", "4. 风险题（24 题）", "5. 加赛（10 题）"], counts
    organizer.shot("organizer-questions")
    final.display_url, final.console_path = organizer.mark_ready()
    organizer.assign_host(BARE_ACCOUNTS["host"][0])
    organizer.shot("organizer-ready")
    final.teams = teams
    final.errors.assert_none("while setting up")


# --- the hall opens -------------------------------------------------------------------------------


def open_the_hall(final: Final) -> None:
    """The projector, the host console and the 8 phones; the join screen ticks each phone in."""
    display_page = final.new_page("display", viewport=PROJECTOR)
    display_page.goto(final.display_url)
    final.display = display = Display(display_page, final.shots)
    expect(display_page.locator("#join-view")).to_be_visible()
    expect(display_page.locator(".dj-card .dj-qr svg")).to_have_count(8)
    cards = display_page.locator(".dj-card")
    for i in range(8):
        seat = int(cards.nth(i).locator(".dj-seat").inner_text())
        final.ids[seat] = int(cards.nth(i).get_attribute("data-team"))
    final.seats = {team: seat for seat, team in final.ids.items()}
    assert display_page.locator(".dj-name").all_inner_texts() == [t["name"] for t in final.teams]
    # One click on the projector page lets it play sounds (browsers ask for a gesture).
    if display_page.locator("#sound-hint").is_visible():
        display_page.locator("#sound-hint").click()
    expect(display_page.locator("#sound-hint")).to_be_hidden()

    for team in final.teams:  # the 8 phones scan at about the same time
        final.phones[team["seat"]] = Phone(final.browser, team, final.shots, final.errors)
        final.phones[team["seat"]].open_join_link()
    for team in final.teams:
        phone = final.phones[team["seat"]]
        phone.join()
        phone.expect_headline("已加入")
        expect(phone.page.locator("#ph-detail")).to_contain_text("等待比赛开始")
        assert f"team-{team['seat']}" in phone.page.locator("body").get_attribute("class")
    expect(display_page.locator(".dj-card.joined")).to_have_count(8, timeout=WAIT_MS)
    expect(display_page.locator("#join-count")).to_have_text("已连接 8 / 8")
    display.check("join screen", "01-join")
    final.phones[5].shot("01-joined")
    final.check_phones("joined")

    host_page = final.new_page("console", viewport=LAPTOP)
    user, password = BARE_ACCOUNTS["host"]
    log_in(host_page, final.server.url, user, password)
    host_page.click("nav.topnav a:has-text('主持比赛')")
    expect(host_page.locator("table.grid tbody tr")).to_contain_text(TITLE)
    host_page.click("a:has-text('进入主持台')")
    assert host_page.url.endswith(final.console_path)
    final.console = console = Console(host_page)
    expect(host_page.locator("#link-console")).to_have_attribute("data-state", "ok", timeout=WAIT_MS)
    expect(host_page.locator("#link-display")).to_have_attribute("data-state", "ok", timeout=WAIT_MS)
    expect(host_page.locator("#link-phones b")).to_have_text("8/8 在线", timeout=WAIT_MS)
    console.wait_enabled(["StartContest"])
    expect(host_page.locator("#stage-title")).to_have_text("比赛未开始")
    final.shoot_console("02-before-start")

    console.space("StartContest")
    console.wait_enabled(["StartStage", "Undo", "AdjustScore"])
    final.score = {seat: 100 for seat in final.ids}
    final.check_scores(display=False)  # the projector keeps the join screen until the first stage starts
    expect(display.page.locator("#join-view")).to_be_visible()
    final.phones[1].expect_headline("下一环节：必答题")


# --- 必答题 ---------------------------------------------------------------------------------------


def play_required(final: Final) -> None:
    console, display = final.console, final.display
    console.space("StartStage")
    expect(console.page.locator("#stage-title")).to_have_text("必答题")
    display.wait_text("#intro-title", "必答题")
    display.wait_text("#intro-step", "第一环节")
    final.phones[3].expect_headline("必答题即将开始")
    display.check("required title card", "03-required-intro")

    for seat in range(1, 9):
        team = final.ids[seat]
        phone = final.phones[seat]
        other = final.phones[seat % 8 + 1]
        console.space("NextQuestion")
        console.wait_holder(team)
        expect(console.page.locator("#holder-team")).to_contain_text(f"{seat}号")
        expect(console.page.locator("#question-count")).to_have_text(f"第 {seat} / 8 题")
        expect(console.page.locator("#answer-secret")).to_have_text("大屏未显示")
        expect(console.page.locator("#question-answer")).not_to_be_empty()
        stem = console.page.inner_text("#question-stem")
        console.wait_enabled(["Judge:right", "Judge:wrong", "Judge:void", "Undo", "AdjustScore"])
        # The projector: the same question, the holder in its colour, the clock running, no answer.
        display.wait_text("#q-stem", stem)
        display.wait_text("#holder .d-holder-name", phone.team["name"])
        assert f"team-{seat}" in display.page.get_attribute("#holder", "class")
        expect(display.page.locator("#reveal")).to_be_hidden()
        expect(display.page.locator(".d-option.right")).to_have_count(0)
        expect(display.page.locator("#stage-progress")).to_have_text(f"第 {seat} / 8 题")
        assert display.clock_length_seconds() == pytest.approx(30, abs=2)
        phone.expect_headline("轮到本队作答")
        phone.clock_running()
        other.expect_headline(f"{phone.label} 作答中")
        if seat == 1:
            # The console shows the answer and its explanation; the projector has nothing of them yet.
            explanation = console.page.inner_text("#question-explanation")
            assert len(explanation) > 10 and explanation not in display.page.content()
            before = console.clock_running()
            assert 0 < console.wait_clock_below(before) < before, "the console's clock runs down"
            assert_question_readable(display)
            display.check("required question", "04-required-question", still=False)
            final.shoot_console("04-required-question")
            phone.shot("04-my-turn")
            other.shot("04-other-turn")
            final.check_phones("required question", [seat, other.seat])

        verdict = REQUIRED[seat]
        if verdict == "void":
            console.click("Judge:void")
        else:
            console.key(f"Judge:{verdict}")
        final.add(seat, 10 if verdict == "right" else 0)
        expect(console.page.locator("#verdict")).to_have_text(VERDICT_WORDS[verdict])
        phone.expect_headline(VERDICT_WORDS[verdict])
        expect(display.page.locator("#flags .d-flag").last).to_have_text(VERDICT_WORDS[verdict], timeout=WAIT_MS)
        final.check_scores([seat])

        console.space("RevealAnswer")
        expect(console.page.locator("#answer-secret")).to_have_text("已向全场揭晓")
        expect(display.page.locator("#reveal")).to_be_visible(timeout=WAIT_MS)
        expect(display.page.locator("#reveal-answer")).to_contain_text("答案")
        if seat == 1:
            expect(display.page.locator("#reveal-explanation")).to_contain_text(explanation)
            display.wait_stamp_gone()
            display.check("required revealed", "05-required-revealed")
            phone.shot("05-judged")

    console.wait_enabled(["EndStage", "Undo", "AdjustScore"])
    console.space("EndStage")
    final.check_scores()
    # Between stages the projector shows the standings, large.
    expect(display.page.locator("#between")).to_be_visible(timeout=WAIT_MS)
    display.wait_text("#between-next", "下一环节：速答题")
    display.check("between stages", "06-between")


# --- 速答题 ---------------------------------------------------------------------------------------


def play_speed(final: Final) -> None:
    console, display = final.console, final.display
    console.space("StartStage")
    display.wait_text("#intro-title", "速答题")
    expect(console.page.locator('button[data-key="NextQuestion"] .hc-btn-label')).to_have_text("下一队")
    for seat in range(1, 9):
        team = final.ids[seat]
        phone = final.phones[seat]
        console.space("NextQuestion")
        console.wait_holder(team)
        console.wait_enabled(["Judge:right", "Judge:wrong", "Judge:void", "Pass", "Undo", "AdjustScore"])
        expect(console.page.locator("#clock-label")).to_have_text("速答时间窗口")
        expect(display.page.locator("#speed")).to_be_visible(timeout=WAIT_MS)
        display.wait_text("#speed-right", "0")
        display.wait_text("#speed-position", "第 1 / 2 题")
        display.wait_text("#clock-label", "本轮剩余")
        assert display.clock_length_seconds() == pytest.approx(40, abs=2)
        phone.expect_headline("本队速答中")
        right = 0
        for position, answer in enumerate(SPEED[seat], start=1):
            if position == 2:
                display.wait_text("#speed-position", "第 2 / 2 题")
            console.key(SPEED_KEYS[answer])
            right += answer == "R"
            final.add(seat, 10 if answer == "R" else 0)
            if position == 1:
                display.wait_text("#speed-right", str(right))
                phone.expect_detail(f"已答对 {right} 题")
                if seat == 1:
                    display.check("speed round", "07-speed", still=False)
                    final.shoot_console("07-speed")
                    phone.shot("07-speed")
        # The packet is done: the turn is over, on every page.
        display.wait_text("#notice-title", "本轮结束")
        expect(display.page.locator("#notice-detail")).to_contain_text(f"答对 {right} 题")
        phone.expect_headline("本队速答结束")
        expect(console.page.locator("#phase-label")).to_have_text("本队结束")
        final.check_scores([seat])
    console.space("EndStage")
    final.check_scores()


# --- 抢答题 ---------------------------------------------------------------------------------------


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def buzz_log(console: Console) -> list[tuple[str, str]]:
    """The console's buzz log: (team, result) per row, without spaces."""
    rows = console.page.locator("#buzz-log tr")
    return [(squash(rows.nth(i).locator("td").first.inner_text()), rows.nth(i).locator(".hc-outcome").inner_text())
            for i in range(rows.count())]


def open_buzzers(final: Final, except_seats=()) -> None:
    console, display = final.console, final.display
    console.key("OpenBuzzers")
    expect(console.page.locator("#holder-caption")).to_have_text("抢答进行中，等待按键…")
    expect(console.page.locator("#clock-label")).to_have_text("抢答计时")
    display.wait_text("#holder .d-holder-name", "请抢答！")
    assert display.clock_length_seconds() == pytest.approx(60, abs=2)
    for seat, phone in final.phones.items():
        if seat not in except_seats:
            phone.expect_state("armed", "抢答")


def buzz_and_win(final: Final, seat: int, lost_seats, shot: str | None = None) -> None:
    """``seat`` taps first: it holds the question on every page; the others see who won."""
    console, display = final.console, final.display
    winner = final.phones[seat]
    winner.button.tap()
    # The winner fills the projector for a moment (1.3 s): looked at first, before it settles.
    expect(display.page.locator("#flash:not(.foul) .d-flash-name")).to_have_text(winner.team["name"], timeout=WAIT_MS)
    expect(display.page.locator("#flash .d-flash-kind")).to_have_text("抢到答题权")
    if shot:
        display.page.screenshot(path=str(final.shots / f"{shot}-1920.png"), animations="disabled")
    winner.expect_state("won", "你们抢到了！")
    winner.expect_headline("请口头回答主持人")
    for other in lost_seats:
        final.phones[other].expect_state("lost", re.compile(rf"{re.escape(winner.label)}\s*先抢到"))
    console.wait_holder(final.ids[seat])
    expect(console.page.locator("#clock-label")).to_have_text("答题计时")
    console.wait_enabled(["Judge:right", "Judge:wrong", "Judge:void", "Undo", "AdjustScore"])


def settled_holder(final: Final, seat: int, answer_seconds: int = 30) -> None:
    display = final.display
    expect(display.page.locator("#flash")).to_be_hidden(timeout=WAIT_MS)
    display.wait_text("#holder .d-holder-name", final.phones[seat].team["name"])
    display.wait_text("#holder-tag", "抢答成功")
    assert display.clock_length_seconds() == pytest.approx(answer_seconds, abs=2)


def play_buzzer(final: Final) -> None:
    console, display, phones = final.console, final.display, final.phones
    console.space("StartStage")
    display.wait_text("#intro-title", "抢答题")
    phones[1].expect_state("locked", "等待主持人")

    # Q1: seat 4 presses while the host still reads: a foul, −10, out of this question.
    console.space("NextQuestion")
    expect(console.page.locator("#holder-caption")).to_have_text("读题中 · 尚未开始抢答")
    console.wait_enabled(["OpenBuzzers", "Undo", "AdjustScore"])  # no 结束环节 mid-question
    display.wait_text("#holder .d-holder-name", "请听题")
    display.wait_text("#stage-progress", "第 1 / 3 题")  # of the planned 3; the spares are not counted
    expect(display.page.locator("#clock")).to_be_hidden()
    for phone in phones.values():
        phone.expect_state("locked", "等待主持人")
        phone.assert_thumb_reach()
    phones[4].expect_headline("请听主持人读题")
    phones[4].shot("08-locked")
    phones[4].button.tap()
    # The foul fills the projector in red for a moment (1.3 s), with the deduction.
    expect(display.page.locator("#flash.foul .d-flash-kind")).to_have_text("犯规", timeout=WAIT_MS)
    expect(display.page.locator("#flash .d-flash-name")).to_have_text(re.compile(rf"{phones[4].team['name']}\s+−10分"))
    display.page.screenshot(path=str(final.shots / "08-foul-flash-1920.png"), animations="disabled")
    phones[4].expect_state("foul", "犯规")
    final.add(4, -10)
    expect(display.page.locator("#flash")).to_be_hidden(timeout=WAIT_MS)
    expect(display.page.locator(".d-flag.foul")).to_contain_text(phones[4].team["name"])
    assert buzz_log(console) == [(squash(phones[4].label), "犯规")], buzz_log(console)
    final.check_scores([4])
    phones[4].shot("08-foul")
    display.check("foul", "08-foul-flag")

    open_buzzers(final, except_seats=(4,))
    phones[4].expect_state("foul", "犯规")
    for phone in phones.values():
        if phone.seat != 4:
            phone.assert_thumb_reach()
    phones[1].shot("09-armed")
    display.check("buzzers open", "09-buzzers-open", still=False)
    buzz_and_win(final, 1, lost_seats=[2, 3, 5, 6, 7, 8], shot="10-buzz-flash")
    phones[4].expect_state("foul")
    settled_holder(final, 1)
    display.check("buzz settled", "10-buzz-settled", still=False)
    assert buzz_log(console) == [(squash(phones[4].label), "犯规"), (squash(phones[1].label), "抢到")], buzz_log(console)
    final.shoot_console("10-buzz-won")
    phones[1].shot("10-won")
    phones[2].shot("10-lost")
    final.check_phones("buzz won")
    console.key("Judge:right")
    final.add(1, 10)
    phones[1].expect_headline("回答正确")
    phones[2].expect_headline(f"{phones[1].label}：回答正确")
    final.check_scores([1, 4])
    console.space("RevealAnswer")

    # Q2: seat 3 wins the buzz and answers wrong: −10, and it is out of the question.
    console.space("NextQuestion")
    for phone in phones.values():
        phone.expect_state("locked", "等待主持人")
    open_buzzers(final)
    buzz_and_win(final, 3, lost_seats=[1, 2, 4, 5, 6, 7, 8])
    settled_holder(final, 3)
    console.key("Judge:wrong")
    final.add(3, -10)
    phones[3].expect_headline("回答错误")
    expect(console.page.locator("#holder-note")).to_contain_text(f"本题出局：{phones[3].label}")
    expect(display.page.locator(".d-flag.verdict-wrong")).to_have_text("回答错误", timeout=WAIT_MS)
    assert buzz_log(console) == [(squash(phones[3].label), "抢到·答错")], buzz_log(console)
    final.check_scores([3])
    display.wait_stamp_gone()
    display.check("wrong answer", "11-wrong")
    console.space("RevealAnswer")

    # Q3, in the middle of the question: seat 2's phone is reloaded, seat 6's goes offline.
    console.space("NextQuestion")
    open_buzzers(final)
    phones[2].reload()
    phones[2].expect_state("armed", "抢答")  # back to the right state, from the server's view
    expect(phones[2].page.locator("#ph-score")).to_have_text(str(final.score[2]))
    phones[6].set_offline(True)
    expect(phones[6].page.locator("#ph-banner")).to_have_text("网络已断开，正在重新连接…", timeout=WAIT_MS)
    phones[6].expect_state("offline", "网络已断开")
    phones[6].shot("12-offline")
    buzz_and_win(final, 2, lost_seats=[1, 3, 4, 5, 7, 8])  # the reloaded phone buzzes and wins
    phones[6].set_offline(False)
    expect(phones[6].page.locator("#ph-banner")).to_have_text("已重新连接", timeout=WAIT_MS)
    phones[6].expect_state("lost", re.compile(rf"{re.escape(phones[2].label)}\s*先抢到"))
    phones[6].shot("12-back-online")
    final.errors.expect_network_failures("phone6", False)
    expect(phones[6].page.locator("#ph-banner")).to_be_hidden(timeout=WAIT_MS)
    expect(console.page.locator("#link-phones b")).to_have_text("8/8 在线", timeout=WAIT_MS)
    settled_holder(final, 2)
    console.key("Judge:right")
    final.add(2, 10)
    phones[6].expect_headline(f"{phones[2].label}：回答正确")
    final.check_scores()
    console.space("RevealAnswer")
    # The 3 planned questions are played: the spares only replace void questions, so 下一题 is
    # disabled and the host ends the stage.
    console.wait_enabled(["EndStage", "Undo", "AdjustScore"])
    console.click("EndStage")


# --- 风险题 ---------------------------------------------------------------------------------------

# The projector notes every risk card it turns over ("tier|prompt"), as it happens.
NOTE_TURNED_CARDS = """() => {
  window.turnedCards = [];
  if (window.cardWatcher) window.cardWatcher.disconnect();
  const tiers = document.getElementById('tiers');
  window.cardWatcher = new MutationObserver(() => {
    const card = tiers.querySelector('.d-tier.chosen');
    if (card && !tiers.hidden)
      window.turnedCards.push(`${card.dataset.tier}|${tiers.querySelector('.d-tiers-prompt').textContent}`);
  });
  window.cardWatcher.observe(tiers, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def play_risk(final: Final) -> None:
    console, display, phones = final.console, final.display, final.phones
    console.space("StartStage")
    display.wait_text("#intro-title", "风险题")
    order = []
    at_start = dict(final.score)
    for turn in range(8):
        console.click("NextQuestion")  # 下一队: the next team in score order picks a value
        expect(console.page.locator("#holder-caption")).to_have_text("选择分值", timeout=WAIT_MS)
        team = console.holder_id()
        seat = final.seats[team]
        order.append(seat)
        phone = phones[seat]
        tier, verdict = RISK[seat]
        # Turns go by score, high to low (ties drawn by the server).
        before = [at_start[s] for s in order]
        assert before == sorted(before, reverse=True), f"risk order {order} with scores {before}"
        expect(console.page.locator("#risk-label")).to_contain_text(f"代 {phone.label} 选择（该队手机在线")
        expect(display.page.locator("#tiers")).to_be_visible(timeout=WAIT_MS)
        expect(display.page.locator(".d-tiers-prompt")).to_have_text(f"请 {phone.label} 选择分值")
        expect(display.page.locator(".d-tier")).to_have_count(3)
        expect(phone.page.locator("#ph-tiers .ph-tier")).to_have_count(3, timeout=WAIT_MS)
        phone.expect_headline("轮到本队选择分值")
        watcher = phones[seat % 8 + 1]
        watcher.expect_headline(f"{phone.label} 正在选择分值")
        expect(watcher.page.locator("#ph-tiers")).to_be_hidden()
        if turn == 0:
            display.check("risk tiers", "13-risk-tiers")
            final.shoot_console("13-risk-choosing")
            phone.shot("13-tiers")
            final.check_phones("risk tiers", [seat])

        if verdict == "abstain":
            phone.page.locator("#ph-tiers .ph-abstain").tap()
            expect(phone.page.locator("#ph-tiers .ph-confirm")).to_contain_text("确认放弃本轮？")
            phone.shot("14-abstain-confirm")
            phone.page.locator("#ph-tiers .ph-confirm .ph-btn-main").tap()
            phone.expect_headline("本队已放弃")
            expect(display.page.locator(".d-tiers-prompt")).to_have_text(f"{phone.label} 放弃本题", timeout=WAIT_MS)
            display.check("abstained", "14-abstained", still=False)
            continue

        phone.page.locator(f"#ph-tiers .ph-tier[data-tier='{tier}']").tap()
        expect(phone.page.locator("#ph-tiers .ph-confirm")).to_contain_text(f"确认选择 {tier} 分？")
        if turn == 0:
            phone.shot("13-tier-confirm")
            final.check_phones("tier confirm", [seat])
        display.page.evaluate(NOTE_TURNED_CARDS)
        phone.page.locator("#ph-tiers .ph-confirm .ph-btn-main").tap()
        # The chosen card turns over for a moment (noted by the page itself, however slow this test
        # is), then the question of that value comes, with its clock.
        display.page.wait_for_function("(want) => window.turnedCards.some((seen) => seen === want)",
                                       arg=f"{tier}|{phone.label} 选择了 {tier} 分", timeout=WAIT_MS)
        expect(console.page.locator("#question-meta")).to_contain_text(f"{tier} 分档", timeout=WAIT_MS)
        console.wait_enabled(["Judge:right", "Judge:wrong", "Judge:void", "Undo", "AdjustScore"])
        phone.expect_headline("轮到本队作答")
        phone.expect_detail(f"选择了 {tier} 分")
        expect(display.page.locator("#question")).to_be_visible(timeout=WAIT_MS)
        display.wait_text("#holder-tag", f"{tier}分题")
        assert display.clock_length_seconds() == pytest.approx(60, abs=2)
        if turn == 0:
            display.check("risk question", "13-risk-question", still=False)
        console.key(f"Judge:{verdict}")
        final.add(seat, tier if verdict == "right" else -tier)
        phone.expect_headline(VERDICT_WORDS[verdict])
        final.check_scores([seat])
    assert sorted(order) == list(range(1, 9))
    if "RevealAnswer" in console.enabled():  # the last team answered (rather than abstained)
        console.space("RevealAnswer")
    console.wait_enabled(["EndStage", "Undo", "AdjustScore"])
    console.space("EndStage")
    final.check_scores()


# --- the tie and its tiebreak ---------------------------------------------------------------------


def break_the_tie(final: Final) -> None:
    console, display, phones = final.console, final.display, final.phones
    five, seven = phones[5], phones[7]
    assert final.score[5] == final.score[7] == 100
    # The tie across the last prize: the console offers the tiebreak and will not finish before it.
    tie_key = "StartTiebreak:" + ",".join(str(t) for t in sorted([final.ids[5], final.ids[7]]))
    console.wait_enabled([tie_key, "Undo", "AdjustScore"])
    tiebreak = console.page.locator("#tiebreak-buttons button")
    expect(tiebreak).to_have_count(1)
    expect(tiebreak).to_have_text(f"加赛：{five.label}、{seven.label}")
    expect(console.page.locator("#board-note")).to_have_text("有同分影响获奖，需要加赛")
    for seat in (5, 7):
        expect(console.page.locator(f'#scoreboard tr[data-team="{final.ids[seat]}"] .hc-tie')).to_have_text("加赛")
    display.wait_text("#between-next", "同分队伍争夺奖项，等待加赛")
    board = display.board_order()
    assert [final.seats[t] for t in board[:5]] == [1, 2, 4, 8, 6] and {final.seats[t] for t in board[5:7]} == {5, 7}
    display.check("tie pending", "15-tie")
    final.shoot_console("15-tie")
    five.expect_headline("全部环节已结束")

    console.click(tie_key)
    display.wait_text("#intro-title", "加赛")
    display.wait_text("#intro-step", "同分决胜")
    console.space("NextQuestion")
    for seat in (5, 7):
        phones[seat].expect_state("locked", "等待主持人")
    phones[1].expect_headline("本队不参加此次加赛")
    phones[1].expect_detail("同分加赛，本队名次不变")
    expect(display.page.locator("#tiebreak .d-tb-team")).to_have_count(2, timeout=WAIT_MS)
    expect(display.page.locator("#tiebreak")).to_contain_text("争夺中")
    display.check("tiebreak question", "16-tiebreak", still=False)
    console.key("OpenBuzzers")
    for seat in (5, 7):
        phones[seat].expect_state("armed", "抢答")
    seven.button.tap()
    seven.expect_state("won", "你们抢到了！")
    five.expect_state("lost", re.compile(rf"{re.escape(seven.label)}\s*先抢到"))
    console.wait_holder(final.ids[7])
    settled_holder(final, 7, answer_seconds=20)  # the tiebreak keeps the default answer time
    console.key("Judge:wrong")  # a wrong answer in the tiebreak takes the worse place
    expect(console.page.locator("#phase-label")).to_have_text("加赛已决出名次")
    display.wait_text("#notice-title", "加赛结束")
    chips = display.page.locator("#tiebreak .d-tb-team")
    expect(chips.filter(has_text=five.team["name"])).to_contain_text("第6名")
    expect(chips.filter(has_text=seven.team["name"])).to_contain_text("第7名")
    five.expect_headline("本队加赛胜出")
    seven.expect_headline("本队加赛结束")
    display.check("tiebreak resolved", "16-tiebreak-resolved", still=False)
    final.check_scores()  # a tiebreak decides places, never scores
    console.space("RevealAnswer")  # the hall sees the answer of the question that decided the places
    expect(display.page.locator("#reveal")).to_be_visible(timeout=WAIT_MS)
    console.space("EndStage")


# --- the end --------------------------------------------------------------------------------------


def finish(final: Final) -> None:
    console, display, phones = final.console, final.display, final.phones
    console.wait_enabled(["FinishContest", "Undo", "AdjustScore"])
    expect(console.page.locator("#tiebreak-buttons button")).to_have_count(0)
    console.page.click('button[data-key="FinishContest"]')
    dialog = console.page.locator("#finish-dialog")
    expect(dialog).to_be_visible()
    lines = console.page.locator("#finish-standings li")
    expect(lines).to_have_count(8)
    for i, (place, seat, prize, score) in enumerate(FINAL):
        expect(lines.nth(i)).to_have_text(re.compile(
            rf"第 {place} 名\s*{re.escape(phones[seat].label)}\s*{score} 分\s*{prize}"))
    console.page.screenshot(path=str(final.shots / "17-finish-dialog-console.png"))
    console.page.click("#finish-confirm")
    expect(console.page.locator("#stage-title")).to_have_text("比赛已结束", timeout=WAIT_MS)
    console.wait_enabled(["AdjustScore"])

    # The projector reveals the places from the last prize up, the winner last.
    expect(display.page.locator("#final-view")).to_be_visible(timeout=WAIT_MS)
    rows = display.page.locator("#final-rows .d-final-row")
    expect(rows).to_have_count(8)
    expect(rows.first).to_have_class(re.compile(r"\bveiled\b"))
    expect(rows.first).to_have_class(re.compile(r"\bwinner\b"), timeout=20_000)
    expect(display.page.locator("#final-rows .d-final-row.veiled")).to_have_count(0)
    for i, (place, seat, prize, score) in enumerate(FINAL):
        row = rows.nth(i)
        expect(row.locator(".d-final-place")).to_have_text(f"第{place}名")
        expect(row.locator(".d-final-name")).to_have_text(phones[seat].team["name"])
        expect(row.locator(".d-final-prize")).to_have_text(prize)
        expect(row.locator(".d-final-score")).to_have_text(str(score))
    display.check("final standings", "18-final")
    final.shoot_console("18-finished")
    for place, seat, prize, score in FINAL:
        phones[seat].expect_headline("比赛结束")
        phones[seat].expect_detail(f"本队第 {place} 名{' · ' + prize if prize else ''}，最终得分 {score}")
    phones[1].shot("18-final")
    phones[5].shot("18-final")
    final.check_phones("final")


# --- the CI contract of the fixtures --------------------------------------------------------------

_NO_CHROMIUM_PLUGIN = '''
from pathlib import Path

def pytest_plugin_registered(plugin, manager):
    """Point the browser fixture at a Chromium that is not there."""
    if getattr(plugin, "__name__", "") == "tests.browser.conftest":
        plugin.CHROMIUM = Path("/nonexistent/chromium")
'''


def test_a_missing_chromium_fails_on_ci_and_skips_elsewhere(tmp_path):
    """Without Chromium the browser tests are skipped with the reason, except on CI where they fail."""
    (tmp_path / "no_chromium.py").write_text(_NO_CHROMIUM_PLUGIN, encoding="utf-8")
    target = "tests/browser/test_whole_final.py::test_a_whole_final_in_real_browsers"
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "pytest", "-p", "no_chromium", "-p", "no:cacheprovider", "-q", "-rs", target]

    runs = {name: subprocess.Popen(command, cwd=ROOT, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
            for name, run_env in (("elsewhere", env), ("on_ci", {**env, "CI": "true"}))}
    output = {name: run.communicate(timeout=120)[0] for name, run in runs.items()}

    assert runs["elsewhere"].returncode == 0, output["elsewhere"]
    assert "1 skipped" in output["elsewhere"]
    assert "/nonexistent/chromium is not installed: the browser tests need Debian's chromium package" in output["elsewhere"]
    assert runs["on_ci"].returncode != 0, output["on_ci"]
    assert "/nonexistent/chromium is missing: the browser tests must run on CI" in output["on_ci"]
