"""Can an organizer upload, preview, confirm, browse, edit and export question banks safely?"""
import io
import json
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from extensions import db
from question_bank.formats import parse_file
from question_bank.models import Question, QuestionBank
from question_bank.export import export_bytes
from question_bank.service import find_bank, import_file, load_sample_bank
from tests.question_files import BAD_ROW, FIXTURES, GOOD_ROWS, HEADER, good_file, office_drafts, xlsx_bytes

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def organizer(client, auth):
    """The client, logged in as an organizer."""
    auth.login_as("organizer")
    return client


def upload(client, data: bytes, filename: str = "题目.xlsx", bank: str = "税务题库"):
    """Post a file to the upload form, as the browser does."""
    return client.post("/banks/upload", data={"bank_name": bank, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def questions(app, bank: str = "税务题库") -> list[Question]:
    """The stored questions of a bank, in import order."""
    with app.app_context():
        found = find_bank(bank)
        if found is None:
            return []
        return list(db.session.scalars(sa.select(Question).where(Question.bank_id == found.id).order_by(Question.id)))


def import_rows(app, rows: list[list], bank: str = "税务题库") -> None:
    """Store ``rows`` in a bank directly through the service."""
    with app.app_context():
        outcome = import_file(bank, "q.xlsx", xlsx_bytes([HEADER, *rows]))
        assert outcome.imported == len(rows), outcome.problems


# ----------------------------------------------------------------------------------- access


def test_pages_are_for_organizers_only(client, auth):
    """Are the bank pages closed to visitors (to the login) and to hosts (403)?"""
    assert "/login" in client.get("/banks/").headers["Location"]
    auth.login_as("host")
    assert client.get("/banks/").status_code == 403
    assert client.get("/banks/template.xlsx").status_code == 403


def test_home_page_links_to_the_banks(organizer):
    """Does the organizer's home page show the 题库管理 tile?"""
    page = organizer.get("/").get_data(as_text=True)
    assert "题库管理" in page and "/banks/" in page


# ----------------------------------------------------------------------------------- upload


def test_valid_upload_previews_then_imports_on_confirm(app, organizer):
    """Does a valid file go to a preview first, and into the bank only on confirm?"""
    response = upload(organizer, good_file("xlsx"))
    assert response.headers["Location"].endswith("/banks/upload/preview")
    assert questions(app) == []
    page = organizer.get("/banks/upload/preview").get_data(as_text=True)
    assert "3</strong> 道题无误" in page and "has-problem" not in page
    response = organizer.post("/banks/upload/confirm", data={})
    assert len(questions(app)) == 3
    assert "已导入 3 道题" in organizer.get(response.headers["Location"]).get_data(as_text=True)


def test_the_same_questions_in_a_second_bank_are_imported_with_a_warning(app, organizer):
    """When a second bank gets the questions of the first (one with other punctuation), does the preview
    warn, naming the first bank and the rows, and does the import still store them?"""
    import_rows(app, GOOD_ROWS, bank="甲题库")
    variant = [GOOD_ROWS[0][:1] + ["小规模纳税人 增值税征收率一般为多少?（ ）"] + GOOD_ROWS[0][2:], *GOOD_ROWS[1:]]
    upload(organizer, good_file("xlsx", variant), bank="乙题库")
    page = organizer.get("/banks/upload/preview").get_data(as_text=True)
    assert "有 3 题与题库「甲题库」中的题目题干相同或几乎相同（第 2、3、4 行），同一场比赛只会抽到其中一题" in page
    organizer.post("/banks/upload/confirm", data={})
    assert len(questions(app, "乙题库")) == 3


def test_preview_shows_each_problem_beside_its_row(organizer):
    """Is every problem shown in its row, and the row highlighted?"""
    upload(organizer, xlsx_bytes([HEADER, GOOD_ROWS[0], BAD_ROW]))
    page = organizer.get("/banks/upload/preview").get_data(as_text=True)
    bad_row = page[page.index('id="row-3"'):page.index("</tr>", page.index('id="row-3"'))]
    assert 'class="has-problem"' in page[page.index('id="row-3"') - 40:page.index('id="row-3"')]
    assert "「答案」答案「E」不是已有的选项（A–B）" in bad_row
    assert "「分值」分值「十分」不是整数" in bad_row
    only = organizer.get("/banks/upload/preview?only=problems").get_data(as_text=True)
    assert 'id="row-3"' in only and 'id="row-2"' not in only


def test_confirm_is_all_or_nothing_by_default(app, organizer):
    """With one bad row, does a plain confirm import nothing and say why?"""
    upload(organizer, xlsx_bytes([HEADER, *GOOD_ROWS, BAD_ROW]))
    response = organizer.post("/banks/upload/confirm", data={}, follow_redirects=True)
    assert "未导入任何题目" in response.get_data(as_text=True)
    assert questions(app) == []
    with app.app_context():
        assert find_bank("税务题库") is None


def test_confirm_with_skip_invalid_imports_the_valid_rows(app, organizer):
    """With skip-invalid ticked, are the valid rows imported and the bad ones counted?"""
    upload(organizer, xlsx_bytes([HEADER, *GOOD_ROWS, BAD_ROW]))
    response = organizer.post("/banks/upload/confirm", data={"skip_invalid": "y"}, follow_redirects=True)
    assert "已导入 3 道题到题库「税务题库」，跳过 1 行有问题的数据" in response.get_data(as_text=True)
    assert [question.stem for question in questions(app)] == [row[1] for row in GOOD_ROWS]


def test_stems_already_in_the_bank_are_reported(app, organizer):
    """Is a stem already in the bank reported in the preview, not merged?"""
    import_rows(app, GOOD_ROWS[:1])
    upload(organizer, good_file("csv"), "again.csv")
    page = organizer.get("/banks/upload/preview").get_data(as_text=True)
    assert "题库中已有相同题干的题目" in page


def test_unreadable_file_is_refused_with_the_reason(organizer):
    """Is a damaged .xls refused on the upload page with advice, not a crash?"""
    response = upload(organizer, b"\xd0\xcf\x11\xe0" + b"\0" * 64, "old.xls")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Excel 97–2003 工作簿（.xls）已损坏或无法读取，请在 Excel 或 WPS 中“另存为” .xlsx 后再导入" in page


def paste(client, text: str, bank: str = "税务题库"):
    """Post text pasted into the upload page's box, with no file."""
    return client.post("/banks/upload", data={"bank_name": bank, "text": text}, content_type="multipart/form-data")


PASTED = "一、单选题\n1. 小规模纳税人增值税征收率一般为多少？（ B ）\nA. 1%  B. 3%  C. 5%\n2. 下列属于直接税的是\nA. 增值税\nB. 个人所得税\n答案：E\n"


def test_pasted_text_previews_each_question_as_understood(app, organizer):
    """Does pasted text go to a preview naming each question, its line, the problem and how it was read?"""
    assert paste(organizer, PASTED).headers["Location"].endswith("/banks/upload/preview")
    page = organizer.get("/banks/upload/preview").get_data(as_text=True)
    assert "第 2 题" in page and "第 7 行" in page and "答案「E」不是已有的选项（A–B）" in page
    assert "答案「B」取自题干括号，题干中该括号已留空" in page
    first = page[page.index('id="row-1"'):page.index("</tr>", page.index('id="row-1"'))]
    assert "<td>单选</td>" in first and "<td>B</td>" in first
    assert "修改文字后重新预览" in page and "下列属于直接税的是" in page
    assert questions(app) == []


def test_preview_shows_the_answer_as_understood(organizer):
    """Does the preview show "a、c" as AC and "√" as 对, the way they will be stored?"""
    paste(organizer, "多选题\n1. 哪些？\nA. 甲\nB. 乙\nC. 丙\n答案：c、a\n判断题\n2. 对吗？\n答案：√")
    page = organizer.get("/banks/upload/preview").get_data(as_text=True)
    table = page[page.index('<table class="grid preview">'):]  # the paste box above still holds the text
    assert "<td>AC</td>" in table and "<td>对</td>" in table and "c、a" not in table


def test_fixed_pasted_text_imports(app, organizer):
    """After fixing the pasted text and previewing again, does the confirm import every question?"""
    paste(organizer, PASTED)
    paste(organizer, PASTED.replace("答案：E", "答案：B"))
    page = organizer.get("/banks/upload/preview").get_data(as_text=True)
    assert "2</strong> 道题无误" in page and "has-problem" not in page
    organizer.post("/banks/upload/confirm", data={})
    stored = questions(app)
    assert [(q.stem, q.answer) for q in stored] == [("小规模纳税人增值税征收率一般为多少？（  ）", "B"), ("下列属于直接税的是", "B")]


@pytest.mark.parametrize("data", [{}, {"text": "1. 题？\n答案：对", "file": (io.BytesIO(b"x"), "q.csv")}])
def test_upload_needs_a_file_or_text_but_not_both(organizer, data):
    """Is an upload with neither a file nor text, or with both, refused on the page?"""
    response = organizer.post("/banks/upload", data={"bank_name": "税务题库", **data}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "粘贴题目文字" in response.get_data(as_text=True)


@pytest.mark.parametrize("fixture, filename", [("office.xls", "题库.xls"), ("office.ods", "题库.ods")])
def test_office_suite_spreadsheets_upload(app, organizer, fixture, filename):
    """Do an .xls and an .ods saved by LibreOffice upload, preview and import like an .xlsx?"""
    upload(organizer, (FIXTURES / fixture).read_bytes(), filename)
    organizer.post("/banks/upload/confirm", data={})
    assert [question.to_draft() for question in questions(app)] == office_drafts()


def test_word_document_uploads(app, organizer):
    """Does a Word list upload, preview with its paragraphs and import on confirm?"""
    upload(organizer, export_bytes(office_drafts(), "docx"), "题库.docx")
    assert "第 2 段" in organizer.get("/banks/upload/preview").get_data(as_text=True)  # 第 1 段 is the heading
    organizer.post("/banks/upload/confirm", data={})
    assert [question.to_draft() for question in questions(app)] == office_drafts()


def test_file_with_wrong_content_is_refused(organizer):
    """Is a text file named .xlsx refused with the reason on the upload page?"""
    response = upload(organizer, b"hello", "fake.xlsx")
    assert response.status_code == 400
    assert "不是 .xlsx 工作簿" in response.get_data(as_text=True)


def test_upload_over_the_limit_gets_a_clear_message(app, organizer):
    """Is an upload over MAX_CONTENT_LENGTH answered with a Chinese message, not a crash?"""
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = upload(organizer, b"x" * 10_000, "big.csv")
    assert response.status_code == 413
    assert "文件太大" in response.get_data(as_text=True)


def test_upload_without_csrf_token_is_refused(app, organizer):
    """With CSRF protection on, is an upload without the token refused?"""
    app.config["WTF_CSRF_ENABLED"] = True
    response = upload(organizer, good_file("csv"), "q.csv")
    assert response.status_code == 400
    assert questions(app) == []


def test_cancel_throws_the_upload_away(app, organizer):
    """After cancel, is there nothing left to confirm?"""
    upload(organizer, good_file("json"), "q.json")
    organizer.post("/banks/upload/cancel", data={})
    response = organizer.get("/banks/upload/preview", follow_redirects=True)
    assert "没有待确认的导入" in response.get_data(as_text=True)


def test_an_upload_is_only_its_uploaders(app, client, auth):
    """Does a pending upload stay its uploader's, even for the next user of the same browser?"""
    auth.login_as("organizer", "first")
    upload(client, good_file("csv"), "q.csv")
    auth.logout()
    auth.login_as("organizer", "second")
    response = client.post("/banks/upload/confirm", data={}, follow_redirects=True)
    assert "没有待确认的导入" in response.get_data(as_text=True)
    assert questions(app) == []


# ----------------------------------------------------------------------------------- browse


def bank_id(app, name: str = "税务题库") -> int:
    """The id of a bank by name."""
    with app.app_context():
        return find_bank(name).id


@pytest.mark.parametrize("query, expected", [
    ("type=multi", [1]),
    ("category=社保", [2]),
    ("stage=required", [0]),
    ("difficulty=3", [2]),
    ("q=征收率", [0]),
    ("q=%25", []),
    ("", [0, 1, 2]),
])
def test_browse_filters(app, organizer, query, expected):
    """Do the type, category, stage, difficulty and text filters each narrow the list?"""
    import_rows(app, GOOD_ROWS)
    page = organizer.get(f"/banks/{bank_id(app)}?{query}").get_data(as_text=True)
    shown = [index for index, row in enumerate(GOOD_ROWS) if row[1] in page]
    assert shown == expected


def test_browse_is_paginated(app, organizer):
    """Are questions shown 50 to a page?"""
    import_rows(app, [["判断", f"第{number:03d}题", "", "", "", "", "对", "", "", "", ""] for number in range(60)])
    first = organizer.get(f"/banks/{bank_id(app)}").get_data(as_text=True)
    second = organizer.get(f"/banks/{bank_id(app)}?page=2").get_data(as_text=True)
    assert "第049题" in first and "第050题" not in first and "第 1 / 2 页" in first
    assert "第050题" in second and "第059题" in second


# ----------------------------------------------------------------------------------- edit and delete


def test_edit_saves_through_the_import_rules(app, organizer):
    """Is a valid edit saved with canonical values?"""
    import_rows(app, GOOD_ROWS[:1])
    question_id = questions(app)[0].id
    form = {"type": "multi", "stem": "改过的题干", "option_a": "甲", "option_b": "乙", "answer": "a、b",
            "points": "15", "difficulty": "3", "stage": "risk", "tags": "个税，社保"}
    organizer.post(f"/banks/questions/{question_id}/edit", data=form)
    edited = questions(app)[0]
    assert (edited.stem, edited.answer, edited.points, edited.stage, edited.tags) == \
        ("改过的题干", "AB", 15, "risk", ["个税", "社保"])


def test_edit_shows_the_rule_broken_and_keeps_the_question(app, organizer):
    """Is an invalid edit refused with the message beside its field, the question unchanged?"""
    import_rows(app, GOOD_ROWS[:1])
    question_id = questions(app)[0].id
    form = {"type": "single", "stem": "新题干", "option_a": "甲", "option_b": "乙", "answer": "C"}
    page = organizer.post(f"/banks/questions/{question_id}/edit", data=form).get_data(as_text=True)
    assert "答案「C」不是已有的选项（A–B）" in page
    assert questions(app)[0].stem == GOOD_ROWS[0][1]


def test_edit_refuses_a_stem_of_another_question(app, organizer):
    """Can an edit not make two questions of a bank share a stem?"""
    import_rows(app, GOOD_ROWS)
    first, second = questions(app)[:2]
    form = {"type": "open", "stem": first.stem, "answer": "x"}
    page = organizer.post(f"/banks/questions/{second.id}/edit", data=form).get_data(as_text=True)
    assert f"题库中已有相同题干的题目（题目 #{first.id}）" in page


def test_delete_question_and_bank(app, organizer):
    """Do the delete buttons remove one question, then the whole bank?"""
    import_rows(app, GOOD_ROWS)
    organizer.post(f"/banks/questions/{questions(app)[0].id}/delete", data={})
    assert len(questions(app)) == 2
    organizer.post(f"/banks/{bank_id(app)}/delete", data={})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(QuestionBank.id))) == 0


# ----------------------------------------------------------------------------------- export


@pytest.mark.parametrize("extension", ["xlsx", "csv", "json", "docx", "txt"])
def test_export_download_imports_back_to_the_same_questions(app, organizer, extension):
    """Does a downloaded export parse back into the very questions of the bank?"""
    import_rows(app, GOOD_ROWS)
    for page in (organizer.get("/banks/"), organizer.get(f"/banks/{bank_id(app)}")):
        assert f"/banks/{bank_id(app)}/export.{extension}" in page.get_data(as_text=True)
    response = organizer.get(f"/banks/{bank_id(app)}/export.{extension}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    with app.app_context():
        stored = [question.to_draft() for question in questions(app)]
    assert parse_file(f"x.{extension}", response.data).drafts == stored


def test_template_downloads(organizer):
    """Are the three templates and the Word and text samples downloadable and linked, another extension not?"""
    page = organizer.get("/banks/").get_data(as_text=True)
    for extension in ("xlsx", "csv", "json", "docx", "txt"):
        assert f"/banks/template.{extension}" in page
        response = organizer.get(f"/banks/template.{extension}")
        assert response.status_code == 200 and len(parse_file(f"t.{extension}", response.data).drafts) == 4
    assert quote("题目清单示例.docx") in organizer.get("/banks/template.docx").headers["Content-Disposition"]
    assert organizer.get("/banks/template.exe").status_code == 404


# ----------------------------------------------------------------------------------- escaping


def script_rows() -> list[list]:
    """One row whose every text is a script tag (a second, broken one to get a problem row)."""
    return [["单选", SCRIPT, SCRIPT + "A", SCRIPT + "B", "", "", "A", "", "", SCRIPT, ""],
            ["单选", SCRIPT + "2", SCRIPT, "", "", "", "A", "", "", "", ""]]


def assert_escaped(page: str) -> None:
    """The script tag is shown as text, never as markup."""
    assert "&lt;script&gt;alert(" in page
    assert SCRIPT not in page


def test_question_text_is_escaped_on_the_preview(organizer):
    """Is question text shown as text in the preview, valid and invalid rows alike?"""
    upload(organizer, xlsx_bytes([HEADER, *script_rows()]), bank=SCRIPT)
    assert_escaped(organizer.get("/banks/upload/preview").get_data(as_text=True))


def test_question_text_is_escaped_when_browsing_and_editing(app, organizer):
    """Is question text shown as text on the banks list, the browse page and the edit form?"""
    import_rows(app, script_rows()[:1], bank=SCRIPT)
    assert_escaped(organizer.get("/banks/").get_data(as_text=True))
    assert_escaped(organizer.get(f"/banks/{bank_id(app, SCRIPT)}").get_data(as_text=True))
    question_id = questions(app, SCRIPT)[0].id
    assert_escaped(organizer.get(f"/banks/questions/{question_id}/edit").get_data(as_text=True))


# ----------------------------------------------------------------------------------- for other parts


def test_contest_question_is_a_plain_dict(app):
    """Does a stored question give the contest engine a plain dict with canonical values?"""
    import_rows(app, GOOD_ROWS)
    with app.app_context():
        first, second, third = (question.to_contest_question() for question in questions(app))
    assert first == {
        "id": first["id"], "type": "single", "stem": GOOD_ROWS[0][1], "options": ["1%", "3%", "5%", "6%"],
        "answer": "B", "points": 10, "difficulty": 1, "category": "税务", "stage": "required",
        "explanation": "", "source": "", "time_limit": None,
    }
    assert (second["answer"], second["stage"], third["answer"], third["stage"]) == ("AB", "buzzer", "对", None)


def test_sample_loader_imports_once(app, tmp_path):
    """Does load_sample_bank import through the normal path once, and return the same bank after?"""
    sample = tmp_path / "sample.json"
    sample.write_bytes(good_file("json"))
    with app.app_context():
        bank = load_sample_bank("示例", path=sample)
        again = load_sample_bank("示例", path=sample)
        assert bank.id == again.id
        assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 3


def test_sample_loader_refuses_a_bad_sample(app, tmp_path):
    """Is a sample file with a problem refused whole, naming the row?"""
    sample = tmp_path / "sample.json"
    sample.write_text(json.dumps([{"type": "single", "stem": "x", "answer": "A"}]), encoding="utf-8")
    with app.app_context(), pytest.raises(ValueError, match="第 1 条"):
        load_sample_bank("示例", path=sample)
    with app.app_context():
        assert find_bank("示例") is None


def test_sample_loader_without_its_file(app, tmp_path):
    """Is a missing sample file a clear error rather than a stack trace?"""
    with app.app_context(), pytest.raises(ValueError, match="找不到示例题库文件"):
        load_sample_bank("示例", path=tmp_path / "missing.json")


def test_shipped_sample_bank_imports_cleanly(app):
    """Does the sample bank shipped with the project import without a single problem?"""
    with app.app_context():
        bank = load_sample_bank()
        count = db.session.scalar(sa.select(sa.func.count(Question.id)).where(Question.bank_id == bank.id))
    assert count > 0
