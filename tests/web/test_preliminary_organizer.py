"""The organizer's pages of a preliminary round: settings, roster, invites, figures, qualification
into the final, the award table and the exports; every bad input refused, nothing half-stored."""
import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from contest_setup import service as setup
from contest_setup.models import Contest
from extensions import db
from preliminary import attempts as answering
from preliminary import identity, results, service
from preliminary.models import PrelimCompany, PrelimRound
from tests.question_files import ods_bytes, xlsx_bytes
from tests.web.prelim_factories import START_MS, clock, make_round  # noqa: F401  (clock is a fixture)
from preliminary.paper import strata_text
from preliminary.settings import window_text
from tests.web.setup_factories import staff_user

RIGHT = {"single": "C", "multi": "AB", "true_false": "对"}


@pytest.fixture
def organizer(client, auth):
    """The client, logged in as an organizer."""
    auth.login_as("organizer")
    return client


@pytest.fixture
def prelim_id(app, clock):
    """An open round of three companies."""
    with app.app_context():
        return make_round().id


def settings_form(**changes) -> dict:
    """A complete settings form as the page posts it."""
    form = {"name": "测试初赛", "organizer_name": "主办方", "final_contest_id": "", "window_start": "2026-05-01 08:00",
            "window_end": "2026-05-11 08:00", "strata": "单选 任意 任意 2\n判断 任意 任意 1",
            "rule-time_mode": "paper", "rule-paper_seconds": "300", "rule-counting": "best",
            "rule-weight_participants": "25", "rule-weight_rate": "25", "rule-weight_average": "25",
            "rule-weight_attempts": "25", "rule-qualify_count": "2"}
    form.update(changes)
    return form


def stored_round(app, prelim_id) -> PrelimRound:
    """The round as stored (read in its own context)."""
    with app.app_context():
        prelim = db.session.get(PrelimRound, prelim_id)
        db.session.expunge(prelim)
        return prelim


def test_the_settings_page_explains_every_setting(organizer, prelim_id):
    """Does every setting show its Chinese label and explanation, with a paper preview?"""
    page = organizer.get(f"/preliminary/{prelim_id}").get_data(as_text=True)
    for words in ("整卷时限", "每日答题次数", "计入成绩", "单位得分方式", "晋级单位数", "权重：参与率", "优秀组织奖名额",
                  "最好成绩", "成绩最好的 K 人之和", "试卷组成", "题型 分类 难度 数量", "试卷预览"):
        assert words in page, words
    assert page.count('class="hint"') >= 25


def test_settings_are_saved(app, organizer, prelim_id):
    """Are the window, the plan and the settings stored as typed?"""
    response = organizer.post(f"/preliminary/{prelim_id}", data=settings_form())
    assert response.status_code == 302
    prelim = stored_round(app, prelim_id)
    assert prelim.settings["paper_seconds"] == 300 and prelim.settings["qualify_count"] == 2
    assert [row["count"] for row in prelim.strata] == [2, 1]
    assert prelim.window_end - prelim.window_start == timedelta(days=10)


@pytest.mark.parametrize(("changes", "message"), [
    ({"window_start": "5月1日"}, "「开始时间」应写成「2026-05-01 08:00」的形式"),
    ({"window_end": "2026-04-30 08:00"}, "结束时间应晚于开始时间"),
    ({"strata": "单选 任意 3"}, "第 1 行：应为「题型 分类 难度 数量」四项"),
    ({"rule-weight_rate": "30"}, "各项权重之和应为 100%"),
    ({"rule-paper_seconds": "5"}, "「整卷时限」不能小于 30秒"),
    ({"rule-counting": "worst"}, "「计入成绩」应为"),
    ({"rule-qualify_count": "abc"}, "格式不对"),
    ({"name": ""}, "「初赛名称」不能为空"),
    ({"final_contest_id": "999"}, "所选的决赛不存在"),
])
def test_bad_settings_are_refused_and_nothing_changes(app, organizer, prelim_id, changes, message):
    """Is each bad setting refused in Chinese, the stored settings untouched?"""
    before = stored_round(app, prelim_id)
    response = organizer.post(f"/preliminary/{prelim_id}", data=settings_form(**changes))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    after = stored_round(app, prelim_id)
    assert (after.settings, after.strata, after.window_end, after.name) == (before.settings, before.strata,
                                                                            before.window_end, before.name)


def test_a_plan_the_banks_cannot_fill_is_shown(organizer, prelim_id):
    """Does a plan asking for more than the bank has show which line is short?"""
    organizer.post(f"/preliminary/{prelim_id}", data=settings_form(strata="单选 税务 难 30"))
    page = organizer.get(f"/preliminary/{prelim_id}").get_data(as_text=True)
    assert "「单选 税务 难 30」需要 30 题" in page and "无法抽出一份试卷" in page


def test_the_paper_and_marking_lock_once_answering_began(app, organizer, prelim_id):
    """After the first attempt, may the plan and the points no longer change (the window still may)?"""
    with app.app_context():
        prelim = db.session.get(PrelimRound, prelim_id)
        person = service.register(prelim.companies[0], "张三", "13812345678")
        answering.start_attempt(prelim, person, START_MS + 3600_000)
    response = organizer.post(f"/preliminary/{prelim_id}", data=settings_form(**{"rule-points_single": "5"}))
    assert "已有人开始答题，不能再修改" in response.get_data(as_text=True) and "单选题分值" in response.get_data(as_text=True)
    current = stored_round(app, prelim_id)
    form = settings_form(strata="单选 任意 任意 2\n多选 任意 任意 1\n判断 任意 任意 1", window_end="2026-05-20 08:00",
                         **{key: str(value) for key, value in ((f"rule-{k}", v) for k, v in current.settings.items())
                            if not isinstance(value, bool)})
    form.update({f"rule-{k}": "1" for k, v in current.settings.items() if v is True})
    form["bank_ids"] = [str(i) for i in current.bank_ids]
    assert organizer.post(f"/preliminary/{prelim_id}", data=form).status_code == 302
    assert stored_round(app, prelim_id).window_end.day == 20



def company_names(app, prelim_id) -> list[str]:
    """The round's companies, in order."""
    with app.app_context():
        return list(db.session.scalars(sa.select(PrelimCompany.name).where(PrelimCompany.round_id == prelim_id)
                                       .order_by(PrelimCompany.id)))


def upload(organizer, prelim_id, name, data):
    """Post a roster file; the page it lands on."""
    return organizer.post(f"/preliminary/{prelim_id}/companies/import", data={"file": (io.BytesIO(data), name)},
                          content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)


def test_a_roster_is_imported_from_xlsx(app, organizer, prelim_id):
    """Are the companies of an .xlsx roster added with their headcounts?"""
    page = upload(organizer, prelim_id, "名单.xlsx", xlsx_bytes([["单位名称", "职工人数", "联系人"], ["晨曦新能源", 50, "徐丽"],
                                                          ["锐思软件", 30, None]]))
    assert "已导入 2 个单位" in page and "晨曦新能源" in page
    assert company_names(app, prelim_id)[-2:] == ["晨曦新能源", "锐思软件"]


def test_a_roster_with_bad_rows_imports_nothing_and_names_each_row(app, organizer, prelim_id):
    """One bad row, one company already listed: nothing imported, each row named."""
    before = company_names(app, prelim_id)
    data = "单位名称,职工人数\n晨曦新能源,50\n澄光光电,很多\n云帆数据,8\n".encode("utf-8-sig")
    page = upload(organizer, prelim_id, "名单.csv", data)
    assert "未导入任何单位" in page
    assert "第 3 行：职工人数应为 1–1000000 的整数，而不是「很多」" in page
    assert "第 4 行：单位「云帆数据」已在名单中" in page
    assert company_names(app, prelim_id) == before


@pytest.mark.parametrize(("name", "data", "message"), [
    ("名单.xls", b"\xd0\xcf\x11\xe0rest", "另存为"), ("名单.xlsx", b"PK\x03\x04broken", "已损坏"),
    ("名单.txt", b"x", "请使用 .xlsx、.xls、.et、.ods 或 .csv"),
])
def test_an_unreadable_roster_is_refused(app, organizer, prelim_id, name, data, message):
    """Is a file that is no roster refused as a whole?"""
    before = company_names(app, prelim_id)
    assert message in upload(organizer, prelim_id, name, data)
    assert company_names(app, prelim_id) == before


def test_a_roster_is_read_in_the_upload_worker(app, organizer, prelim_id):
    """With uploads read in a worker process (as in production): is an .ods roster read there, the
    reader's refusal brought back, and a worker over its time stopped with a Chinese reason, nothing stored?"""
    app.config["UPLOAD_WORKER"] = True
    page = upload(organizer, prelim_id, "名单.ods", ods_bytes([["单位名称", "职工人数"], ["澄光光电", 40]]))
    assert "已导入 1 个单位" in page and company_names(app, prelim_id)[-1] == "澄光光电"
    before = company_names(app, prelim_id)
    assert "已损坏" in upload(organizer, prelim_id, "名单.xlsx", b"PK\x03\x04broken")
    app.config["UPLOAD_WORKER_SECONDS"] = 0.001  # less than a Python process takes to start
    page = upload(organizer, prelim_id, "名单.csv", "单位名称,职工人数\n锐思软件,30\n".encode())
    assert "仍未完成，已停止" in page
    assert company_names(app, prelim_id) == before


def test_a_company_is_added_on_the_page_and_bad_ones_refused(app, organizer, prelim_id):
    """Add one company; an empty name, a bad headcount and a repeated name are refused."""
    url = f"/preliminary/{prelim_id}/companies/add"
    assert "单位已添加" in organizer.post(url, data={"name": "知行人才", "headcount": "12"}, follow_redirects=True).get_data(as_text=True)
    for form, message in (({"name": "", "headcount": "5"}, "单位名称不能为空"), ({"name": "新单位", "headcount": "0"}, "职工人数应为"),
                          ({"name": "知行人才", "headcount": "5"}, "单位「知行人才」已在名单中"),
                          ({"name": "新单位", "headcount": "5", "credit_code": "123"}, "统一社会信用代码")):
        assert message in organizer.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert company_names(app, prelim_id).count("知行人才") == 1 and "新单位" not in company_names(app, prelim_id)


def test_invite_sheets_and_reissued_links(app, client, organizer, prelim_id):
    """Does each company get a printable page with its QR code and link; does a new link kill the old one?"""
    page = organizer.get(f"/preliminary/{prelim_id}/invites").get_data(as_text=True)
    assert page.count('<article class="join-sheet') == 3 and page.count("<svg") == 3 and "/p/" in page
    with app.app_context():
        company = db.session.get(PrelimRound, prelim_id).companies[0]
        with app.test_request_context():
            old = identity.invite_token(company)
        company_id = company.id
    organizer.post(f"/preliminary/{prelim_id}/companies/{company_id}/reissue")
    assert app.test_client().get(f"/p/{old}").status_code == 404


def play(app, prelim_id, company_index, name, mobile, wrong=0, seconds=10, clock=None):
    """A person of a company sits one attempt: ``wrong`` single-choice questions answered wrongly."""
    phone = app.test_client()
    with app.app_context():
        company = db.session.get(PrelimRound, prelim_id).companies[company_index]
        with app.test_request_context():
            invite = f"/p/{identity.invite_token(company)}"
    phone.post(invite, data={"name": name, "mobile": mobile})
    state = phone.post(f"/p/round/{prelim_id}/start", json={}).get_json()
    while state["phase"] == "question":
        question = state["question"]
        choice = RIGHT[question["type"]]
        if wrong and question["type"] == "single":
            choice, wrong = "A", wrong - 1
        clock.advance(seconds)
        state = phone.post(f"/p/round/{prelim_id}/answer", json={"attempt": question["attempt"], "position": question["position"],
                                                                 "question": question["id"], "choice": choice}).get_json()
    return state


@pytest.fixture
def played(app, clock, prelim_id):
    """Company 0: two people, 5 and 4 points; company 1: two people, 5 and 4 points but fewer staff
    (a tie broken by the participation rate); company 2: one person, 3 points."""
    play(app, prelim_id, 0, "甲一", "13800000001", clock=clock)
    play(app, prelim_id, 0, "甲二", "13800000002", wrong=1, clock=clock)
    play(app, prelim_id, 1, "乙一", "13800000003", clock=clock)
    play(app, prelim_id, 1, "乙二", "13800000004", wrong=1, clock=clock)
    play(app, prelim_id, 2, "丙一", "13800000005", wrong=2, clock=clock)
    return prelim_id


def test_live_people_and_person_pages_show_the_figures(organizer, played):
    """Participation by company, the leaderboard and one person's answers."""
    live = organizer.get(f"/preliminary/{played}/live").get_data(as_text=True)
    assert "登记 <strong>5</strong> 人" in live and "50.0%" in live and "/prelim-display/" in live
    people = organizer.get(f"/preliminary/{played}/people").get_data(as_text=True)
    assert people.index("甲一") < people.index("乙一") < people.index("丙一")
    person = organizer.get(f"/preliminary/{played}/people/2").get_data(as_text=True)
    assert "甲二" in person and "4 / 5 分" in person and "离开页面 0 次" in person


def test_the_qualification_page_shows_each_broken_tie(organizer, played):
    """Equal company scores: is the tie and the step that broke it shown?"""
    page = organizer.get(f"/preliminary/{played}/qualification").get_data(as_text=True)
    assert "「青禾生物」与「云帆数据」得分同为 9，按参与率区分：50.0% 优于 20.0%" in page
    assert page.index("<td>青禾生物</td>") < page.index("<td>云帆数据</td>") < page.index("<td>博远智造</td>")


@pytest.fixture
def final_id(app):
    """A draft final from the template, with its placeholder teams, owned by the test organizer."""
    with app.app_context():
        return setup.create_contest("测试决赛", "final", staff_user("organizer").id).id


def set_final(app, prelim_id, final_id):
    """Point the round at the final."""
    with app.app_context():
        db.session.get(PrelimRound, prelim_id).final_contest_id = final_id
        db.session.commit()


def test_qualifiers_become_the_finals_teams_in_rank_order(app, organizer, played, final_id, clock):
    """After the window, one confirmed action: teams "<单位>代表队", seats by preliminary rank."""
    set_final(app, played, final_id)
    with app.app_context():
        prelim = db.session.get(PrelimRound, played)
        prelim.settings = {**prelim.settings, "qualify_count": 2}
        db.session.commit()
        clock.now = service.ms_of(prelim.window_end) + 1
    response = organizer.post(f"/preliminary/{played}/qualification", data={"confirm": "1"}, follow_redirects=True)
    assert "已生成决赛的 2 支队伍" in response.get_data(as_text=True)
    with app.app_context():
        teams = db.session.get(Contest, final_id).teams_by_seat
        assert [(t.seat, t.name, t.company) for t in teams] == [(1, "青禾生物代表队", "青禾生物"), (2, "云帆数据代表队", "云帆数据")]
    assert "青禾生物代表队" in organizer.get(f"/contests/{final_id}/teams").get_data(as_text=True)


def test_a_final_of_another_organizer_is_neither_offered_nor_fed(app, organizer, played, clock):
    """Another organizer's final: not in the settings' list, refused on save, and qualifying into it is 403."""
    with app.app_context():
        foreign = setup.create_contest("别人的决赛", "final", staff_user("host").id).id
        prelim = db.session.get(PrelimRound, played)
        form = {"name": prelim.name, "final_contest_id": str(foreign), "window_start": window_text(prelim.window_start),
                "window_end": window_text(prelim.window_end), "strata": strata_text(service.round_strata(prelim))}
        with pytest.raises(service.PrelimError, match="不是您创建的比赛"):
            service.update_round(prelim, form, prelim.settings, prelim.bank_ids, finals=[])
    assert "别人的决赛" not in organizer.get(f"/preliminary/{played}").get_data(as_text=True)
    set_final(app, played, foreign)
    with app.app_context():
        clock.now = service.ms_of(db.session.get(PrelimRound, played).window_end) + 1
    assert organizer.post(f"/preliminary/{played}/qualification", data={"confirm": "1"}).status_code == 403


@pytest.mark.parametrize("case", ["unconfirmed", "no_final", "window_open", "final_ready"])
def test_qualifying_is_refused_until_everything_is_in_place(app, organizer, played, final_id, clock, case):
    """Without the tick, without a final, before the window's end, or with a final no longer a draft: refused, teams untouched."""
    if case != "no_final":
        set_final(app, played, final_id)
    with app.app_context():
        end = service.ms_of(db.session.get(PrelimRound, played).window_end)
        if case == "final_ready":
            db.session.get(Contest, final_id).status = "ready"
            db.session.commit()
        before = [t.name for t in db.session.get(Contest, final_id).teams_by_seat]
    clock.now = end - 1 if case == "window_open" else end + 1
    data = {} if case == "unconfirmed" else {"confirm": "1"}
    page = organizer.post(f"/preliminary/{played}/qualification", data=data, follow_redirects=True).get_data(as_text=True)
    message = {"unconfirmed": "请勾选「确认」", "no_final": "尚未选择决赛", "window_open": "答题时间尚未结束",
               "final_ready": "比赛已就绪，如需修改请先「退回草稿」"}[case]
    assert message in page
    with app.app_context():
        assert [t.name for t in db.session.get(Contest, final_id).teams_by_seat] == before


def test_the_award_table_shows_every_factor(organizer, played):
    """Does each company's row show its four factors, their points and the total?"""
    page = organizer.get(f"/preliminary/{played}/awards").get_data(as_text=True)
    for words in ("参与人数", "参与率", "平均分", "人均答题次数", "综合得分", "已晋级决赛，按设置不参评"):
        assert words in page


@pytest.mark.parametrize("kind", ["people", "attempts", "companies", "awards"])
def test_exports_are_csv_with_bom_and_xlsx(organizer, played, kind):
    """Are all four exports downloadable as CSV (UTF-8 with BOM) and xlsx with their rows?"""
    data = organizer.get(f"/preliminary/{played}/export/{kind}.csv").data
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == (6 if kind in ("people", "attempts") else 4)
    workbook = load_workbook(io.BytesIO(organizer.get(f"/preliminary/{played}/export/{kind}.xlsx").data))
    assert workbook.worksheets[0].max_row == len(rows)


def test_exports_neutralise_formulas(app, organizer, played):
    """Is a company named like a formula written as text in both formats?"""
    with app.app_context():
        db.session.get(PrelimRound, played).companies[2].name = "=HYPERLINK(\"http://x\")"
        db.session.commit()
    text = organizer.get(f"/preliminary/{played}/export/companies.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    workbook = load_workbook(io.BytesIO(organizer.get(f"/preliminary/{played}/export/companies.xlsx").data))
    assert any(cell.value == "'=HYPERLINK(\"http://x\")" for row in workbook.worksheets[0].iter_rows() for cell in row)


def test_the_projector_shows_participation_and_leaders(app, played):
    """Does the display link open the page and its figures, numbers masked; a wrong token nothing?"""
    with app.app_context():
        token = db.session.get(PrelimRound, played).display_token
        results.forget(played)  # the figures the phones' end screens cached a moment ago
    viewer = app.test_client()
    assert viewer.get(f"/prelim-display/{played}/{token}").status_code == 200
    data = viewer.get(f"/prelim-display/{played}/{token}/data.json").get_json()
    assert data["participants"] == 5 and data["companies"][0]["participants"] == 2
    assert data["people"][0]["mobile"] == "138****0001"
    assert viewer.get(f"/prelim-display/{played}/wrong/data.json").status_code == 404


def test_the_projector_gets_every_company_to_page_through(app, played):
    """With 30 companies, more than one screen holds: does the projector get all of them, most
    participants first (the page shows them a screenful at a time)?"""
    with app.app_context():
        prelim = db.session.get(PrelimRound, played)
        for number in range(27):
            service.add_company(prelim, {"name": f"后加单位{number:02d}", "headcount": "10"})
        token = prelim.display_token
        results.forget(played)
    data = app.test_client().get(f"/prelim-display/{played}/{token}/data.json").get_json()
    assert len(data["companies"]) == 30
    assert [c["participants"] for c in data["companies"][:4]] == [2, 2, 1, 0]


def test_rounds_are_created_and_deleted(app, organizer):
    """Create a round on the list page; an empty name refused; delete it."""
    assert "「初赛名称」不能为空" in organizer.post("/preliminary/", data={"name": " "}).get_data(as_text=True)
    response = organizer.post("/preliminary/", data={"name": "新初赛"})
    assert response.status_code == 302
    with app.app_context():
        prelim_id = db.session.scalar(sa.select(PrelimRound.id))
    organizer.post(f"/preliminary/{prelim_id}/delete")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PrelimRound.id))) == 0


def test_a_company_with_people_cannot_be_deleted(app, organizer, played):
    """Is a company that people registered with kept?"""
    with app.app_context():
        company_id = db.session.get(PrelimRound, played).companies[0].id
    page = organizer.post(f"/preliminary/{played}/companies/{company_id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "已有人员登记，不能删除" in page
    assert "云帆数据" in company_names(app, played)
