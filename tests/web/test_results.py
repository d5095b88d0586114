"""After the final, through the pages: who may see results, the audit and the report; are the
exports right cell by cell; does an exported event log reproduce the contest on another
installation; are broken files refused; do judges' corrections count and show?"""
import csv
import io
import json

import pytest
from openpyxl import load_workbook

import config
from contest import commands as c
from contest.engine import replay
from contest.scoring import standings
from contest_setup import service
from contest_setup.models import Contest
from extensions import db
from factory import create_app
from play.service import execute
from storage.event_store import load_events
from storage.models import EventRecord
from tests.web.setup_factories import make_contest
from tests.web.live_helpers import hall, host_do, to_buzzer_stage  # noqa: F401 (hall: a fixture)

FORMULA_NAME = "=HYPERLINK(\"http://example.com\",\"点我\")"
VERDICTS = ("right", "right", "wrong", "right", "right", "wrong", "wrong", "wrong")
"""必答, two rounds of four teams in seat order: seat 1 ends on 120, seats 2 and 4 on 110, seat 3 on 100."""
STANDINGS_HEADER = ["名次", "座次", "队伍", "单位", "基础分", "必答题", "速答题", "抢答题", "风险题", "调整", "总分", "奖项", "备注"]


def run(contest_id: int, command: c.Command) -> None:
    """Apply a host's command the way the console does; it must be accepted."""
    ack = execute(contest_id, command, command.actor)
    assert ack["ok"], ack


def played_contest(finish: bool = True) -> Contest:
    """A 4-team contest whose first team is named like a formula, played through 必答, the rest skipped."""
    contest = make_contest(team_count=4)
    contest.teams_by_seat[0].name = FORMULA_NAME
    db.session.commit()
    service.mark_ready(contest)
    host = "host:alice"
    run(contest.id, c.StartContest(actor=host))
    run(contest.id, c.StartStage(actor=host))
    for verdict in VERDICTS:
        run(contest.id, c.NextQuestion(actor=host))
        run(contest.id, c.Judge(actor=host, verdict=verdict))
    run(contest.id, c.EndStage(actor=host))
    for _stage in range(3):
        run(contest.id, c.StartStage(actor=host))
        run(contest.id, c.EndStage(actor=host))
    if finish:
        run(contest.id, c.FinishContest(actor=host))
    return contest


@pytest.fixture
def played(app) -> dict:
    """The played, finished contest: its id and team ids in seat order."""
    with app.app_context():
        contest = played_contest()
        return {"id": contest.id, "teams": [team.id for team in contest.teams_by_seat]}


def pages(contest_id: int) -> list[str]:
    """Every page and file of one contest's results that hosts may open."""
    base = f"/contests/{contest_id}"
    return [f"{base}/results", f"{base}/audit", f"{base}/report", f"{base}/results.xlsx", f"{base}/results.csv",
            f"{base}/audit.xlsx", f"{base}/audit.csv", "/results/"]


def organizer_only(contest_id: int) -> list[str]:
    """The pages only organizers may open."""
    return [f"/contests/{contest_id}/events.json", "/results/import"]


# --- who may do what --------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login(client, played):
    """Are results, audit, report, exports and the import closed to a visitor who has not logged in?"""
    for url in pages(played["id"]) + organizer_only(played["id"]):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_a_host_may_read_but_not_import_download_the_log_or_correct(client, auth, played):
    """May a host open the results, audit, report and sheets, but not the event log, the import or a correction?"""
    auth.login_as("host")
    for url in pages(played["id"]):
        assert client.get(url).status_code == 200, url
    for url in organizer_only(played["id"]):
        assert client.get(url).status_code == 403, url
    assert client.post("/results/import").status_code == 403
    correction = {"team": played["teams"][0], "delta": "5", "reason": "复核"}
    assert client.post(f"/contests/{played['id']}/corrections", data=correction).status_code == 403
    assert "评委更正" not in client.get(f"/contests/{played['id']}/results").text


def test_an_organizer_may_do_everything(client, auth, played):
    """May an organizer open every page, the event log and the import, and see the correction form?"""
    auth.login_as("organizer")
    for url in pages(played["id"]) + organizer_only(played["id"]):
        assert client.get(url).status_code == 200, url
    assert "评委更正" in client.get(f"/contests/{played['id']}/results").text


def test_the_home_page_offers_the_results_to_hosts(client, auth):
    """Does the home page have a 成绩与审计 tile for a host?"""
    auth.login_as("host")
    assert "成绩与审计" in client.get("/").text


def test_a_contest_not_started_has_no_results_yet(app, client, auth):
    """Before the start, does the results page say so, and are the exports refused with a message?"""
    with app.app_context():
        contest_id = make_contest(ready=True).id
    auth.login_as("organizer")
    assert "比赛尚未开始" in client.get(f"/contests/{contest_id}/results").text
    response = client.get(f"/contests/{contest_id}/results.xlsx", follow_redirects=True)
    assert "比赛尚未开始，还没有成绩" in response.text


# --- the pages --------------------------------------------------------------------------------


def test_the_results_page_shows_prizes_ties_and_the_chart(client, auth, played):
    """Does the results page show the prizes, the shared place, the chart as inline SVG and the questions?"""
    auth.login_as("host")
    page = client.get(f"/contests/{played['id']}/results").text
    assert page.count('<span class="prize">二等奖</span>') == 2 and "一等奖" in page and "并列" in page
    assert '<svg class="chart"' in page and 'class="series team-4"' in page
    assert "=HYPERLINK(&#34;http://example.com&#34;,&#34;点我&#34;)" in page  # escaped, never markup
    assert "题目统计" in page and "1号" in page


def test_the_report_is_an_a4_page_with_its_chart(client, auth, played):
    """Is the report a printable page (its stylesheet sets A4) with the chart and no inline script or style?"""
    auth.login_as("host")
    page = client.get(f"/contests/{played['id']}/report").text
    assert '<svg class="chart"' in page and "最终成绩报告" in page and "评委签字" in page
    assert "<script>" not in page and "style=" not in page
    css = client.get("/static/css/results.css").text
    assert "@page { size: A4 portrait" in css


def test_the_audit_page_filters_by_team_and_stage(client, auth, played):
    """Does the audit page show every decision, and only one team's in one stage when filtered?"""
    auth.login_as("host")
    every = client.get(f"/contests/{played['id']}/audit").text
    assert "主持人 判定 回答正确 +10" in every and "主持人 alice" in every
    second = played["teams"][1]
    filtered = client.get(f"/contests/{played['id']}/audit?team={second}&stage=0").text
    assert filtered.count('<tr class="kind-Judged') == 2  # seat 2's two verdicts
    assert filtered.count('<tr class="kind-QuestionShown') == 2


# --- exports ----------------------------------------------------------------------------------


def workbook(client, url: str):
    """The .xlsx at ``url``, opened with openpyxl."""
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data))


def rows(sheet) -> list[list]:
    """A sheet's rows as lists of values."""
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_results_workbook_has_the_standings_cell_by_cell(client, auth, played):
    """Does 成绩 hold each team's place, points per stage, total, prize and remark, a formula name neutralised?"""
    auth.login_as("host")
    book = workbook(client, f"/contests/{played['id']}/results.xlsx")
    assert book.sheetnames == ["成绩", "得分走势", "题目统计"]
    sheet = book["成绩"]
    assert rows(sheet) == [
        STANDINGS_HEADER,
        [1, 1, "'" + FORMULA_NAME, "测试1科技有限公司", 100, 20, 0, 0, 0, 0, 120, "一等奖", None],
        [2, 2, "测试2队", "测试2科技有限公司", 100, 10, 0, 0, 0, 0, 110, "二等奖", "并列"],
        [2, 4, "测试4队", "测试4科技有限公司", 100, 10, 0, 0, 0, 0, 110, "二等奖", "并列"],
        [4, 3, "测试3队", "测试3科技有限公司", 100, 0, 0, 0, 0, 0, 100, "三等奖", None],
    ]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 24 and sheet.column_dimensions["D"].width == 30


def test_the_results_workbook_has_the_progression_and_the_questions(client, auth, played):
    """Does 得分走势 have a row per point and 题目统计 a row per question with its verdict?"""
    auth.login_as("host")
    book = workbook(client, f"/contests/{played['id']}/results.xlsx")
    progression = rows(book["得分走势"])
    assert progression[0] == ["序号", "节点", "1号 " + FORMULA_NAME, "2号 测试2队", "3号 测试3队", "4号 测试4队"]
    assert progression[1] == [1, "开始", 100, 100, 100, 100]
    assert progression[-1] == [9, "必答题 第8题", 120, 110, 100, 110]
    questions = rows(book["题目统计"])
    assert questions[0][:3] == ["环节", "题序", "题目编号"]
    assert len(questions) == 9
    first = dict(zip(questions[0], questions[1]))
    assert (first["环节"], first["题序"], first["结果"], first["答对"], first["答错"], first["本题分数变化"]) == \
        ("必答题", 1, "1号 " + FORMULA_NAME + " 回答正确 +10", 1, 0, 10)


def test_the_results_csv_is_utf8_with_a_bom_and_neutralised(client, auth, played):
    """Is results.csv UTF-8 with a BOM, the standings row by row, the formula-like name shown as text?"""
    auth.login_as("host")
    data = client.get(f"/contests/{played['id']}/results.csv").data
    assert data.startswith("\ufeff".encode("utf-8"))
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == STANDINGS_HEADER
    assert table[1] == ["1", "1", "'" + FORMULA_NAME, "测试1科技有限公司", "100", "20", "0", "0", "0", "0", "120",
                        "一等奖", ""]
    assert [row[2] for row in table[2:]] == ["测试2队", "测试4队", "测试3队"]


def test_the_audit_exports_hold_every_event_and_follow_the_filters(app, client, auth, played):
    """Has audit.xlsx a row per event (who, what, points), and does audit.csv keep only the filtered rows?"""
    auth.login_as("host")
    with app.app_context():
        count = len(load_events(played["id"]))
    sheet = workbook(client, f"/contests/{played['id']}/audit.xlsx")["审计记录"]
    table = rows(sheet)
    assert table[0] == ["序号", "时间", "操作人", "环节", "题目", "题目编号", "队伍", "说明", "分数变化", "状态", "原因"]
    assert len(table) == count + 1
    judged = dict(zip(table[0], table[5]))  # seq 5: the first verdict
    assert (judged["序号"], judged["操作人"], judged["环节"], judged["题目"], judged["说明"], judged["分数变化"]) == \
        (5, "主持人 alice", "必答题", "第1题", "主持人 判定 回答正确 +10", 10)
    assert judged["队伍"] == "1号 " + FORMULA_NAME
    second = played["teams"][1]
    data = client.get(f"/contests/{played['id']}/audit.csv?team={second}").data.decode("utf-8-sig")
    filtered = list(csv.reader(io.StringIO(data)))[1:]
    assert len(filtered) == 4 and all(row[6] == "2号 测试2队" for row in filtered)


# --- the event log: export, import ------------------------------------------------------------


def test_an_exported_log_reproduces_the_contest_on_another_installation(app, client, auth, played, new_database):
    """Does export → import into a fresh installation give the same events, standings and replayed state?"""
    auth.login_as("organizer")
    exported = client.get(f"/contests/{played['id']}/events.json").data
    document = json.loads(exported)
    assert (document["format"], document["version"]) == ("policy-contest-event-log", 1)
    assert document["contest"]["name"] == "测试决赛" and document["contest"]["status"] == "finished"

    other = create_app(config.TestConfig(new_database("other.db")))
    try:
        other_client = other.test_client()
        with other.app_context():
            from accounts.service import create_user
            create_user("archivist", "password123", "organizer")
        other_client.post("/login", data={"username": "archivist", "password": "password123"})
        response = other_client.post("/results/import", data={"file": (io.BytesIO(exported), "log.json")},
                                     content_type="multipart/form-data")
        assert response.status_code == 302
        with other.app_context():
            imported = db.session.scalars(db.select(Contest)).one()
            assert (imported.name, imported.status) == ("测试决赛", "finished")
            assert [(t.seat, t.name) for t in imported.teams_by_seat] == \
                [(1, FORMULA_NAME), (2, "测试2队"), (3, "测试3队"), (4, "测试4队")]
            copy_events = load_events(imported.id)
            copy_state = replay(copy_events)
            assert other_client.get(response.headers["Location"]).status_code == 200
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    with app.app_context():
        events = load_events(played["id"])
        state = replay(events)
    assert copy_events == events
    assert standings(copy_state) == standings(state)
    assert copy_state == state


def test_an_unfinished_log_is_imported_as_live(app, client, auth):
    """Is a log that does not end finished imported as a contest in progress, which the host can carry on?"""
    with app.app_context():
        contest_id = played_contest(finish=False).id
    auth.login_as("organizer")
    exported = client.get(f"/contests/{contest_id}/events.json").data
    response = client.post("/results/import", data={"file": (io.BytesIO(exported), "log.json")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "已导入「测试决赛」（进行中）" in response.text
    assert "当前成绩（比赛进行中，非最终成绩）" in response.text
    with app.app_context():
        imported = db.session.scalars(db.select(Contest).order_by(Contest.id.desc())).first()
        run(imported.id, c.FinishContest(actor="host:alice"))  # the host carries it on from the console
        assert service.get_contest(imported.id).status == "finished"


def broken_logs(valid: bytes) -> list[tuple[bytes, str]]:
    """Files that must be refused, each with the message that says why."""
    document = json.loads(valid)
    gap = json.loads(valid)
    del gap["events"][3]
    tampered = json.loads(valid)
    tampered["events"][2]["stage_index"] = 9  # a stage the contest does not have
    first = json.loads(valid)
    first["events"] = first["events"][1:]
    for number, event in enumerate(first["events"], start=1):
        event["seq"] = number
    return [
        (b"\xff\xfe not text", "文件不是 UTF-8 编码的文本"),
        (b"{\"format\": ", "文件不是有效的 JSON"),
        (json.dumps({"events": document["events"]}).encode(), "这不是本平台导出的事件记录文件"),
        (json.dumps({**document, "version": 99}).encode(), "不支持的事件记录版本「99」"),
        (json.dumps({**document, "events": []}).encode(), "文件中没有事件记录"),
        (json.dumps(gap).encode(), "第 4 个事件的序号应为 4，实际为 5"),
        (json.dumps({**document, "events": [{"kind": "Exploded", "seq": 1}]}).encode(), "未知的事件类型：Exploded"),
        (json.dumps(first).encode(), "第 1 个事件必须是比赛的创建"),
        (json.dumps(tampered).encode(), "事件记录无法重放出比赛"),
    ]


def test_a_broken_log_is_refused_with_a_reason_and_nothing_stored(app, client, auth, played):
    """Is each kind of broken file refused with a Chinese message saying why, leaving the database as it was?"""
    auth.login_as("organizer")
    valid = client.get(f"/contests/{played['id']}/events.json").data
    with app.app_context():
        before = (db.session.query(Contest).count(), db.session.query(EventRecord).count())
    for data, message in broken_logs(valid):
        response = client.post("/results/import", data={"file": (io.BytesIO(data), "log.json")},
                               content_type="multipart/form-data")
        assert response.status_code == 400 and message in response.text, message
        assert "导入失败" in response.text
    with app.app_context():
        assert (db.session.query(Contest).count(), db.session.query(EventRecord).count()) == before


def test_an_import_without_a_file_asks_for_one(client, auth):
    """Is an import with no file chosen refused with a request to choose one?"""
    auth.login_as("organizer")
    response = client.post("/results/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "请选择要导入的事件记录文件" in response.text


# --- judges' corrections ----------------------------------------------------------------------


def correct(client, contest_id: int, **form):
    """Post a judges' correction and follow the redirect to the results page."""
    return client.post(f"/contests/{contest_id}/corrections", data=form, follow_redirects=True)


def test_a_judges_correction_changes_the_standings_and_shows_in_the_audit(app, client, auth, played):
    """After the finish, does a correction with its reason move the team down and appear in the audit?"""
    auth.login_as("admin", username="wang")  # the site admin: the contest's own organizer is another user
    second = played["teams"][1]
    page = correct(client, played["id"], team=second, delta="-15", reason="第 6 题提示作答，评委组复核扣分").text
    assert "已记录评委更正：2号 测试2队 −15，原因：第 6 题提示作答，评委组复核扣分" in page
    table = list(csv.reader(io.StringIO(
        client.get(f"/contests/{played['id']}/results.csv").data.decode("utf-8-sig"))))
    assert [(row[0], row[1], row[9], row[10], row[11]) for row in table[1:]] == [
        ("1", "1", "0", "120", "一等奖"), ("2", "4", "0", "110", "二等奖"),
        ("3", "3", "0", "100", "二等奖"), ("4", "2", "-15", "95", "三等奖")]
    audit = client.get(f"/contests/{played['id']}/audit").text
    assert "评委 wang" in audit and "评委 调整 2号 测试2队 −15，原因：第 6 题提示作答，评委组复核扣分" in audit
    with app.app_context():
        assert load_events(played["id"])[-1].actor == "judge:wang"


def test_a_correction_that_ties_a_prize_says_the_judges_must_settle_it(client, auth, played):
    """If a correction after the finish ties two teams across a prize line, does the page say who must settle it?"""
    auth.login_as("organizer")
    page = correct(client, played["id"], team=played["teams"][0], delta="-10", reason="复核").text
    assert "同分，待加赛" in page and "比赛已结束，不能再加赛" in page


@pytest.mark.parametrize("form, message", [
    ({"delta": "5", "reason": ""}, "请填写更正原因"),
    ({"delta": "abc", "reason": "复核"}, "分数调整必须是非零整数"),
    ({"delta": "0", "reason": "复核"}, "调整分数必须是非零整数"),
])
def test_a_correction_needs_points_and_a_reason(app, client, auth, played, form, message):
    """Is a correction without a reason, or with no whole non-zero number of points, refused and not stored?"""
    auth.login_as("organizer")
    with app.app_context():
        count = len(load_events(played["id"]))
    assert message in correct(client, played["id"], team=played["teams"][0], **form).text
    with app.app_context():
        assert len(load_events(played["id"])) == count


def test_a_correction_waits_for_the_finish(app, client, auth):
    """While the contest runs, is a correction here refused with a pointer to the host console?"""
    with app.app_context():
        contest = played_contest(finish=False)
        contest_id, team = contest.id, contest.teams_by_seat[0].id
    auth.login_as("organizer")
    page = correct(client, contest_id, team=team, delta="5", reason="复核").text
    assert "比赛进行中，分数更正请在主持台进行" in page


# --- the display's chart ----------------------------------------------------------------------


def test_the_display_reads_the_progression_with_its_token(app, client, played):
    """Does the display's link give the progression as JSON, and a wrong token nothing?"""
    with app.app_context():
        token = service.get_contest(played["id"]).display_token
    data = client.get(f"/display/{played['id']}/{token}/progression.json").get_json()
    assert data["labels"][:2] == ["开始", "必答题 第1题"] and data["stages"] == [{"start": 1, "title": "必答题"}]
    assert [team["seat"] for team in data["teams"]] == [1, 2, 3, 4]
    assert data["series"][str(played["teams"][0])][-1] == 120
    assert client.get(f"/display/{played['id']}/wrong-token/progression.json").status_code == 404


def test_the_contest_pages_link_to_the_results(client, auth, played):
    """Do the contest overview (organizer) and the host's list link to a played contest's results?"""
    link = f'href="/contests/{played["id"]}/results"'
    auth.login_as("organizer")
    assert link in client.get(f"/contests/{played['id']}").text
    auth.logout()
    auth.login_as("host")
    assert link in client.get("/contests/hosting").text


# --- the buzz record --------------------------------------------------------------------------


def known_clock(app, offset: int, delay: int) -> None:
    """Give the first connected phone a measured clock: ``offset`` ms ahead, ``delay`` ms away."""
    from contest.fairness import ClockSample
    from live.clock_sync import clock_sync
    from play.clock import now_ms

    sid = next(iter(clock_sync(app).phones))  # phones are tracked in the order they connected
    now = now_ms()
    clock_sync(app).estimate(sid).add(ClockSample(sent=now - 2 * delay, phone=now - delay + offset, received=now))


@pytest.fixture
def buzzed(app, hall) -> dict:
    """A buzzer question played from the phones: seat 2 presses while it is read (a foul), seat 1
    (clock known, 3 s ahead) wins once the buzzers open, seat 2 presses again and is refused."""
    from play.clock import now_ms

    known_clock(app, offset=3000, delay=20)
    to_buzzer_stage(hall)
    host_do(hall, "NextQuestion")
    first, second = hall["phones"]
    assert second.send("buzz", {"client_id": "early"})["ok"]
    host_do(hall, "OpenBuzzers")
    assert first.send("buzz", {"client_id": "win", "pressed_at": now_ms() + 3000})["ok"]
    assert not second.send("buzz", {"client_id": "again"})["ok"]
    host_do(hall, "Judge", verdict="right")
    return hall


def press_rows(page: str) -> list[str]:
    """The rows of the 抢答记录 tables of a page, in order, as HTML."""
    section = page[page.index("<h2>抢答记录</h2>"):]
    return [row.split("</tr>")[0] for row in section.split("<tr")[1:] if "<th" not in row.split("</tr>")[0]]


def test_the_report_lists_every_press_in_press_order(client, buzzed):
    """Does the printed report have 抢答记录 with the foul, the winner and the refusal in press order?"""
    page = client.get(f"/contests/{buzzed['contest']}/report").text
    assert "<h3>抢答题 第1题" in page
    early, winner, refused = press_rows(page)
    assert "提前抢答（犯规 −10）" in early and "开始抢答前" in early and "未知" in early
    assert '"won"' in winner and ">抢到<" in winner and "开始抢答后 +" in winner
    assert "+3000 ms<br>20 ms" in winner
    assert "本题已抢答犯规，不能再抢答" in refused and "开始抢答后 +" in refused and "未知" in refused


def test_the_audit_page_lists_the_presses_and_follows_the_team_filter(client, buzzed):
    """Does the audit's 抢答记录 list every press, and only seat 2's (ranks kept) when filtered?"""
    url = f"/contests/{buzzed['contest']}/audit"
    page = client.get(url).text
    assert "（3 次按键）" in page
    assert [">抢到<" in row for row in press_rows(page)] == [False, True, False]
    early, refused = press_rows(client.get(f"{url}?team={buzzed['teams'][1]}").text)
    assert "提前抢答（犯规 −10）" in early and "本题已抢答犯规" in refused
    assert '<td class="num">3</td>' in refused  # the refused press stays third of its question
    assert "没有符合筛选条件的抢答记录" in client.get(f"{url}?stage=0").text


def test_the_audit_workbook_has_a_sheet_of_presses(client, buzzed):
    """Has audit.xlsx a 抢答记录 sheet, a row per press in press order with times, clock and verdict?"""
    book = workbook(client, f"/contests/{buzzed['contest']}/audit.xlsx")
    assert book.sheetnames == ["审计记录", "抢答记录"]
    header, *presses = rows(book["抢答记录"])
    column = {name: index for index, name in enumerate(header)}
    assert [row[column["顺序"]] for row in presses] == [1, 2, 3]
    assert [row[column["结果"]] for row in presses] == ["提前抢答（犯规 −10）", "抢到", "2号 测试2队本题已抢答犯规，不能再抢答"]
    assert [row[column["时钟偏差（毫秒）"]] for row in presses] == ["未知", 3000, "未知"]
    assert [row[column["单程延迟（毫秒）"]] for row in presses] == ["未知", 20, "未知"]
    assert presses[0][column["按下距开始抢答（毫秒）"]] == "开始抢答前"
    assert 0 <= presses[1][column["按下距开始抢答（毫秒）"]] < 5_000
    assert presses[1][column["开始抢答编号"]] == presses[2][column["开始抢答编号"]] is not None
    assert {row[column["环节"]] for row in presses} == {"抢答题"}


def import_log(client, app, exported: bytes) -> int:
    """Import an exported event log (as the logged-in organizer); the new contest's id."""
    response = client.post("/results/import", data={"file": (io.BytesIO(exported), "log.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    with app.app_context():
        return db.session.scalars(db.select(Contest).order_by(Contest.id.desc())).first().id


def test_the_presses_travel_with_the_exported_log(app, client, auth, buzzed):
    """Does a contest restored from its exported log list the same presses, in the same order, as the original?"""
    auth.logout()  # the hall's host
    auth.login_as("organizer")
    original = buzzed["contest"]
    exported = client.get(f"/contests/{original}/events.json").data
    assert len(json.loads(exported)["presses"]) == 3
    restored = import_log(client, app, exported)
    assert restored != original
    assert press_rows(client.get(f"/contests/{restored}/report").text) == \
        press_rows(client.get(f"/contests/{original}/report").text)


@pytest.mark.parametrize("change, message", [
    (lambda press: press.pop("outcome"), "第 1 个按键记录的字段不完整"),
    (lambda press: press.update(arrived_at="昨天"), "第 1 个按键记录的「arrived_at」无效"),
    (lambda press: press.update(connection="x" * 65), "第 1 个按键记录的「connection」无效"),
    (lambda press: press.update(team_id=999), "第 1 个按键记录的队伍不在比赛中"),
    (lambda press: press.update(event_seq=10_000), "第 1 个按键记录指向不存在的事件"),
])
def test_a_log_with_a_malformed_press_is_refused_whole(app, client, auth, buzzed, change, message):
    """Is a log whose press is malformed refused with the reason, storing nothing at all?"""
    auth.logout()  # the hall's host
    auth.login_as("organizer")
    document = json.loads(client.get(f"/contests/{buzzed['contest']}/events.json").data)
    change(document["presses"][0])
    with app.app_context():
        before = (db.session.query(Contest).count(), db.session.query(EventRecord).count())
    response = client.post("/results/import", data={"file": (io.BytesIO(json.dumps(document).encode()), "log.json")},
                           content_type="multipart/form-data")
    assert message in response.text
    with app.app_context():
        assert (db.session.query(Contest).count(), db.session.query(EventRecord).count()) == before


def test_a_contest_without_presses_says_so_and_an_imported_one_says_why(app, client, auth, played):
    """Does the report say there are no presses, and for an imported contest that it has its events only?"""
    auth.login_as("organizer")
    assert "本场比赛没有抢答按键记录。" in client.get(f"/contests/{played['id']}/report").text
    imported = import_log(client, app, client.get(f"/contests/{played['id']}/events.json").data)
    assert imported != played["id"]
    for page in ("report", "audit"):
        text = client.get(f"/contests/{imported}/{page}").text
        assert "本场比赛没有抢答按键记录（导入的事件记录文件中没有按键记录）" in text, page
    assert rows(workbook(client, f"/contests/{imported}/audit.xlsx")["抢答记录"])[1:] == []


def test_a_flagged_phone_is_named_in_the_report_and_audit(app, client, hall):
    """A phone whose probes look 200 ms away while the transport's pong says 20 ms: is its press
    flagged in the 抢答记录 of the report and of the audit page?"""
    from live.clock_sync import clock_sync
    from play.clock import now_ms

    known_clock(app, offset=0, delay=200)
    next(iter(clock_sync(app).phones.values())).estimate.add_transport(40)
    to_buzzer_stage(hall)
    host_do(hall, "NextQuestion")
    host_do(hall, "OpenBuzzers")
    assert hall["phones"][0].send("buzz", {"client_id": "far", "pressed_at": now_ms()})["ok"]
    for url in (f"/contests/{hall['contest']}/report", f"/contests/{hall['contest']}/audit"):
        (row,) = press_rows(client.get(url).text)
        assert "时钟探测比传输层心跳慢" in row


def test_a_log_exported_before_phones_were_flagged_still_imports(app, client, auth, buzzed):
    """Is a log whose presses have no ``flag`` field (exported by an older version) read, presses and all?"""
    auth.logout()  # the hall's host
    auth.login_as("organizer")
    document = json.loads(client.get(f"/contests/{buzzed['contest']}/events.json").data)
    for press in document["presses"]:
        press.pop("flag")
    restored = import_log(client, app, json.dumps(document).encode())
    assert len(press_rows(client.get(f"/contests/{restored}/report").text)) == 3
