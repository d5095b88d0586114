"""After the final, in real Chromium: the projector's score chart between stages, the printable A4
report, a judges' correction through the results page, and the ceremony screen revealing the
prizes from the last one up, the winner last (1920×1080 and 1280×720).

The host is a python-socketio client (tests/live/clients.py) playing the demo contest: the
required stage question by question, the other stages skipped, a few corrections, the finish.
Screenshots go to test-artifacts/screenshots/<test>/ for a person to look at.
Each test has a server of its own and plays the contest up to the moment it is about.
"""
import re

import pytest
import requests

from tests.browser.pages import settle
from tests.live.clients import LiveClient, host_cookie, skip_stages

pytestmark = pytest.mark.browser

SIZES = ((1920, 1080), (1280, 720))
WAIT_MS = 20_000  # generous: the machine may be busy with other test runs
REVEAL_MS = 20_000  # six prizes, 1.6 s apart, the winner after a longer pause
A4_WIDTH_PX = 794  # 210 mm at 96 dpi

# 必答, two rounds in seat order: seats 1–3 end on 120, 4, 5 and 7 on 110, 6 and 8 on 100.
REQUIRED_VERDICTS = ["right"] * 5 + ["wrong"] * 3 + ["right"] * 3 + ["void", "wrong", "wrong", "right", "wrong"]
# Host corrections between stages, so that no tie straddles a prize line: seat → points.
ADJUSTMENTS = {2: 5, 5: 8, 7: -4, 4: 2, 8: 1}
# Then: seat 2 125, seats 1 and 3 120 (sharing 2nd place), 5 118, 4 112, 7 106, 8 101, 6 100.
FINAL_ORDER = [2, 1, 3, 5, 4, 7, 6, 8]  # after the judges move seat 6 up by 2 (102)
PRIZES = ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖", "", ""]


def watch(page, errors: list[str], name: str) -> None:
    """Collect ``page``'s console errors, uncaught exceptions and failed requests into ``errors``.

    The shared layout's pages have no icon, so the browser's own /favicon.ico request may 404.
    """
    page.on("console", lambda message: message.type == "error" and not message.text.startswith("Failed to load")
            and errors.append(f"{name}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"{name}: {error}"))
    page.on("response", lambda response: response.status >= 400 and not response.url.endswith("/favicon.ico")
            and errors.append(f"{name}: {response.status} {response.url}"))


@pytest.fixture
def hall(browser, server):
    """The host client and both projector pages; no page may log an error (a CSP violation, say)."""
    host = LiveClient(server.url, "/host", {"contest": server.demo["contest"]},
                      headers={"Cookie": host_cookie(server.url)})
    contexts = [browser.new_context(viewport={"width": width, "height": height}) for width, height in SIZES]
    pages = {width: context.new_page() for context, (width, _height) in zip(contexts, SIZES)}
    errors: list[str] = []
    for width, page in pages.items():
        watch(page, errors, str(width))
        page.goto(server.url + server.display_path())
    yield {"host": host, "pages": pages, "errors": errors, "server": server}
    host.close()
    for context in contexts:
        context.close()
    assert not errors, f"console errors: {errors}"


@pytest.fixture
def organizer(browser, server):
    """A browser page logged in as the demo organizer; no page may log an error."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    watch(page, errors, "organizer")
    page.goto(server.url + "/login")
    page.fill("input[name=username]", "organizer")
    page.fill("input[name=password]", "demo-organizer")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    yield page
    context.close()
    assert not errors, f"console errors: {errors}"


def seat_ids(server) -> dict[int, int]:
    """Team ids by seat."""
    return {team["seat"]: team["id"] for team in server.demo["teams"]}


def play_required_stage(host) -> None:
    """Start the contest and play the 必答 stage to its end by REQUIRED_VERDICTS, the last after an undone "right"."""
    host.command("StartContest")
    host.command("StartStage")
    for verdict in REQUIRED_VERDICTS[:-1]:
        host.command("NextQuestion")
        host.command("Judge", verdict=verdict)
    host.command("NextQuestion")  # the last one: a hasty "right", undone, then "wrong"
    host.command("Judge", verdict="right")
    host.command("Undo")
    host.command("Judge", verdict=REQUIRED_VERDICTS[-1])
    host.command("EndStage")


def wait_for_chart(page) -> None:
    """The projector shows the score chart between stages, a line per team."""
    page.wait_for_selector("#progression:not([hidden]) svg.d-chart", timeout=WAIT_MS)
    page.wait_for_function("document.querySelectorAll('#progression .d-chart-line').length === 8", timeout=WAIT_MS)


def play_to_the_finish(host, ids: dict[int, int]) -> dict:
    """Play 必答, skip the other stages, correct the scores (ADJUSTMENTS) and finish; returns the view before the finish."""
    play_required_stage(host)
    skip_stages(host, 3)
    for seat, delta in ADJUSTMENTS.items():
        host.command("AdjustScore", team=ids[seat], delta=delta, reason=f"{seat}号 风采展示评分")
    view = host.wait_for(lambda v: v["scores"][str(ids[8])] == 101)
    host.command("FinishContest")
    return view


def record_judges_correction(organizer, server) -> str:
    """The organizer moves seat 6 up by 2 on the results page; returns the flash message."""
    organizer.goto(f"{server.url}/contests/{server.demo['contest']}/results")
    organizer.select_option("select[name=team]", str(seat_ids(server)[6]))
    organizer.fill("input[name=delta]", "2")
    organizer.fill("input[name=reason]", "第 12 题答案复核，改判正确")
    organizer.click(".correction-form button[type=submit]")
    organizer.wait_for_selector(".flash-success")
    return organizer.locator(".flash-success").text_content()


@pytest.fixture
def finished(hall):
    """The contest played to its finish by the host, as the hall saw it."""
    play_to_the_finish(hall["host"], seat_ids(hall["server"]))
    return hall


@pytest.fixture
def corrected(finished, organizer):
    """The finished contest after the judges' correction (seat 6 up by 2) through the results page."""
    record_judges_correction(organizer, finished["server"])
    return finished


def shoot(hall, folder, moment: str) -> None:
    """Screenshot both projector pages."""
    for width, page in hall["pages"].items():
        page.screenshot(path=str(folder / f"{moment}-{width}.png"))


def test_between_stages_the_display_draws_the_score_chart(hall, screenshot_dir):
    """After the 必答 stage, does the projector show the standings beside a chart with a line per team?"""
    play_required_stage(hall["host"])
    for width, page in hall["pages"].items():
        wait_for_chart(page)
        settle(page)  # the score count-up and re-sort
        assert page.locator(".d-chart-stage").all_text_contents() == ["必答题"]
        ends = page.locator(".d-chart-end text").all_text_contents()
        assert sorted(ends) == sorted(["1号 120", "2号 120", "3号 120", "4号 110", "5号 110", "6号 100",
                                       "7号 110", "8号 100"])
        chart, board = page.locator("#progression").bounding_box(), page.locator("#board").bounding_box()
        assert board["x"] + board["width"] <= chart["x"], f"{width}: the chart must sit beside the standings"
    shoot(hall, screenshot_dir, "between-stages")


def test_the_chart_leaves_the_screen_when_play_resumes(hall):
    """When the next stage starts, is the chart hidden and the scoreboard back in its column?"""
    play_required_stage(hall["host"])
    for page in hall["pages"].values():
        wait_for_chart(page)
    hall["host"].command("StartStage")
    for page in hall["pages"].values():
        page.wait_for_selector("#progression", state="hidden", timeout=WAIT_MS)
        assert not page.evaluate("document.getElementById('live-view').classList.contains('has-progression')")


def test_corrections_between_stages_and_the_finish(hall):
    """After skipping the other stages and five corrections, does the contest finish with no tie on a prize line?"""
    host = hall["host"]
    view = play_to_the_finish(host, seat_ids(hall["server"]))
    assert not view["pending_ties"]
    assert host.wait_for(lambda v: v["status"] == "finished")["standings"][0]["team"] == seat_ids(hall["server"])[2]


def test_a_judges_correction_on_the_results_page(finished, organizer, screenshot_dir):
    """Can the organizer record a judges' correction with its reason, and does it show in the audit?"""
    server, ids = finished["server"], seat_ids(finished["server"])
    contest = server.demo["contest"]
    assert "已记录评委更正：6号" in record_judges_correction(organizer, server)
    places = organizer.locator(".results-table tbody tr td:nth-child(2) .seat").all_text_contents()
    assert places == [str(seat) for seat in FINAL_ORDER]
    organizer.screenshot(path=str(screenshot_dir / "results-page.png"), full_page=True)
    organizer.goto(f"{server.url}/contests/{contest}/audit?team={ids[6]}")
    assert "评委 organizer" in organizer.content() and "第 12 题答案复核，改判正确" in organizer.content()
    organizer.screenshot(path=str(screenshot_dir / "audit-page.png"), full_page=True)
    organizer.goto(f"{server.url}/contests/{contest}/audit?team={ids[8]}&stage=0")
    undone = organizer.locator("tr.undone")
    assert undone.count() == 1 and "主持人 判定 回答正确 +10" in undone.text_content()
    assert "撤销第" in organizer.locator("tr.kind-DecisionUndone").text_content()
    organizer.screenshot(path=str(screenshot_dir / "audit-undo.png"), full_page=True)


def test_the_report_prints_on_a4_with_its_chart(corrected, organizer, screenshot_dir):
    """Is the report an A4 document with the standings, prizes, the chart and the correction, printable as PDF?"""
    server = corrected["server"]
    organizer.set_viewport_size({"width": A4_WIDTH_PX, "height": 1123})
    organizer.goto(f"{server.url}/contests/{server.demo['contest']}/report")
    organizer.emulate_media(media="print")
    assert organizer.locator(".topbar").is_hidden() and organizer.locator("[data-print]").is_hidden()
    assert organizer.locator(".report-sub").text_content() == "最终成绩报告"
    assert organizer.locator(".chart .series").count() == 8 + 8  # the lines and the legend's samples
    prizes = [text.strip() for text in organizer.locator(".results-table tbody td:nth-child(10)").all_text_contents()]
    assert prizes == PRIZES
    assert "第 12 题答案复核，改判正确" in organizer.locator(".report").text_content()
    organizer.screenshot(path=str(screenshot_dir / "report-a4.png"), full_page=True)
    organizer.locator(".report .chart").screenshot(path=str(screenshot_dir / "report-chart.png"))
    pdf = organizer.pdf(format="A4", print_background=True)
    (screenshot_dir / "report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    organizer.emulate_media(media="screen")


def test_the_ceremony_reveals_the_prizes_from_the_last_up(corrected, server, screenshot_dir):
    """Does the finished contest's projector uncover the prizes from the last up, the winner last, corrected order shown?"""
    hall = corrected
    for page in hall["pages"].values():  # reload: the ceremony from the start, as on the day
        page.reload()
    first = hall["pages"][1920]
    first.wait_for_selector("#final-view:not([hidden]) .d-final-row.revealing", timeout=WAIT_MS)
    assert first.locator(".d-final-row.prize-1").get_attribute("class").count("veiled") == 1, "the winner comes last"
    shoot(hall, screenshot_dir, "ceremony-revealing")
    for page in hall["pages"].values():
        page.wait_for_selector(".d-final-row.winner", timeout=REVEAL_MS)
        assert page.locator(".d-final-row.veiled").count() == 0
        seats = page.locator(".d-final-seat").all_text_contents()
        assert seats == [str(seat) for seat in FINAL_ORDER]
        assert [p.strip() for p in page.locator(".d-final-prize").all_text_contents()] == PRIZES
    settle(hall["pages"][1920])  # the winner's animation ends
    shoot(hall, screenshot_dir, "ceremony-winner")
    progression = requests.get(f"{server.url}{server.display_path()}/progression.json", timeout=5).json()
    assert progression["labels"][-1] == "调整 6号"
