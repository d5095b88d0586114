"""Are the files that Excel, WPS and scripts really produce read, and the unreadable ones refused clearly?"""
import io
import zipfile
from datetime import datetime

import pytest

from question_bank import formats
from question_bank.formats import FormatError, parse_file
from question_bank.schema import QuestionType, Stage
from tests.question_files import BAD_ROW, GOOD_ROWS, HEADER, csv_bytes, good_file, json_bytes, xlsx_bytes


def refused(filename: str, data: bytes, **limits) -> str:
    """The message with which a whole file is refused."""
    with pytest.raises(FormatError) as caught:
        parse_file(filename, data, **limits)
    return str(caught.value)


@pytest.mark.parametrize("extension", ["xlsx", "csv", "json"])
def test_each_format_gives_the_same_questions(extension):
    """Do the same rows give the same drafts in .xlsx, .csv and .json?"""
    result = parse_file(f"题库.{extension}", good_file(extension))
    assert result.problems == [] and result.warnings == []
    assert [draft.type for draft in result.drafts] == [QuestionType.SINGLE, QuestionType.MULTI, QuestionType.TRUE_FALSE]
    assert result.drafts == parse_file("题库.xlsx", good_file("xlsx")).drafts
    assert result.drafts[1].answer == "AB" and result.drafts[2].answer == "对"


# ----------------------------------------------------------------------------------- xlsx


def test_xlsx_columns_in_any_order_with_english_headers():
    """Are English headers in any order read like the Chinese ones?"""
    rows = [["answer", "Stem", "TYPE", "option_b", "Option A"], ["B", "题", "single", "乙", "甲"]]
    draft = parse_file("a.xlsx", xlsx_bytes(rows)).drafts[0]
    assert (draft.stem, draft.options, draft.answer) == ("题", ("甲", "乙"), "B")


def test_xlsx_float_numbers_become_whole_text():
    """Are numbers that Excel stores as floats (10.0) read as "10"?"""
    rows = [HEADER + ["时限", "编号"], [*GOOD_ROWS[0][:7], 10.0, 2.0, "税务", "必答", 30.0, 1001.0]]
    draft = parse_file("a.xlsx", xlsx_bytes(rows)).drafts[0]
    assert (draft.points, draft.difficulty, draft.time_limit, draft.external_id) == (10, 2, 30, "1001")


def test_xlsx_boolean_and_date_cells():
    """Are Excel's TRUE and a date cell read as the text the organizer sees?"""
    rows = [["题型", "题干", "答案", "政策出处"], ["判断", "题", True, datetime(2023, 8, 1)]]
    draft = parse_file("a.xlsx", xlsx_bytes(rows)).drafts[0]
    assert (draft.answer, draft.source) == ("对", "2023-08-01")


def test_xlsx_prefers_the_sheet_named_tiku():
    """Is the sheet named 题库 read even when it is not the first?"""
    data = xlsx_bytes([HEADER, GOOD_ROWS[0]], title="题库", before=[("说明", [["这是说明页"]])])
    assert len(parse_file("a.xlsx", data).drafts) == 1


def test_xlsx_first_sheet_otherwise():
    """Without a 题库 sheet, is the first sheet read?"""
    data = xlsx_bytes([["无关"]], title="其他", before=[("Sheet1", [HEADER, GOOD_ROWS[0]])])
    assert len(parse_file("a.xlsx", data).drafts) == 1


def test_xlsx_problems_name_sheet_row_and_header_as_written():
    """Is a bad row reported with its sheet row number (header = 1) and the header as written?"""
    data = xlsx_bytes([HEADER, GOOD_ROWS[0], [], BAD_ROW])
    result = parse_file("a.xlsx", data)
    assert [str(problem) for problem in result.problems] == [
        "第 4 行「答案」：答案「E」不是已有的选项（A–B）",
        "第 4 行「分值」：分值「十分」不是整数",
    ]
    assert len(result.drafts) == 1 and result.problem_rows == {4}


def test_english_file_problems_use_english_headers():
    """Does a file with English headers get its columns named in English?"""
    rows = [["type", "stem", "answer"], ["judge", "题", "对"]]
    assert str(parse_file("a.xlsx", xlsx_bytes(rows)).problems[0]).startswith("第 2 行「type」：未知题型")


def test_unknown_columns_are_warned_about_not_refused():
    """Is an unknown column ignored with a warning, the rows still imported?"""
    result = parse_file("a.xlsx", xlsx_bytes([["序号", *HEADER], [1, *GOOD_ROWS[0]]]))
    assert result.warnings == ["未识别的列「序号」，已忽略"] and len(result.drafts) == 1


def test_xlsx_that_is_not_a_zip():
    """Is a text file named .xlsx refused as not what its extension says?"""
    assert "不是 .xlsx 工作簿" in refused("a.xlsx", "题型,题干\n".encode())


def test_old_xls_renamed_to_xlsx():
    """Is an old .xls (or password-protected file) named .xlsx refused with the reason?"""
    assert "旧版 Excel（.xls）" in refused("a.xlsx", formats.OLE_MAGIC + b"\0" * 100)


def test_zip_that_is_not_a_workbook():
    """Is a zip archive named .xlsx refused when it holds no workbook?"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "不是 Excel 工作簿" in refused("a.xlsx", buffer.getvalue())


def test_damaged_zip_is_refused():
    """Is a truncated .xlsx refused instead of crashing?"""
    assert "已损坏" in refused("a.xlsx", good_file("xlsx")[:200])


def test_sheet_with_broken_xml_is_refused():
    """Is a workbook whose sheet XML is cut off refused as damaged, not a crash?"""
    source = zipfile.ZipFile(io.BytesIO(good_file("xlsx")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content[: len(content) // 2] if name.endswith("sheet1.xml") else content)
    assert refused("a.xlsx", buffer.getvalue()) == formats.DAMAGED_XLSX


def test_zip_bomb_is_refused_before_unpacking():
    """Is an .xlsx that unpacks to more than the limit refused from the zip directory alone?"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (formats.MAX_UNCOMPRESSED_BYTES + 1))
    assert len(buffer.getvalue()) < 1024 * 1024
    assert "解压后过大" in refused("a.xlsx", buffer.getvalue())


def test_sheet_without_header():
    """Is a sheet whose row 1 is data refused as having no header?"""
    assert refused("a.xlsx", xlsx_bytes(GOOD_ROWS)).startswith("第 1 行不是表头")


def test_title_row_above_the_header_is_pointed_at():
    """When a title row sits above the header, does the message say where the header is?"""
    message = refused("a.xlsx", xlsx_bytes([["2024 年政策知识竞赛题库"], HEADER, GOOD_ROWS[0]]))
    assert "第 2 行像是表头，请删去它上面的行" in message


def test_header_missing_a_required_column():
    """Is a header without 答案 refused, naming the missing column?"""
    assert refused("a.xlsx", xlsx_bytes([["题型", "题干"], ["判断", "题"]])) == "表头缺少必需的列：答案"


def test_column_named_twice():
    """Is a header naming a column twice (题干 and stem) refused?"""
    assert "是同一列" in refused("a.csv", csv_bytes([["题型", "题干", "stem", "答案"], ["判断", "a", "b", "对"]]))


def test_header_without_rows():
    """Is a file with only the header refused as having no questions?"""
    assert "没有题目" in refused("a.xlsx", xlsx_bytes([HEADER]))


def test_empty_sheet():
    """Is a workbook with an empty sheet refused as having no content?"""
    assert refused("a.xlsx", xlsx_bytes([])) == "文件中没有内容"


# ----------------------------------------------------------------------------------- csv


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings_are_detected(encoding):
    """Is a .csv read in UTF-8 (with or without BOM), GBK, GB18030 and UTF-16 without asking?"""
    result = parse_file("a.csv", csv_bytes([HEADER, *GOOD_ROWS], encoding=encoding))
    assert result.problems == [] and result.drafts[0].stem == "小规模纳税人增值税征收率一般为多少？"


def test_gbk_csv_keeps_rare_characters_in_gb18030():
    """Are characters outside GBK (e.g. 㐀) read from a GB18030 file?"""
    rows = [["题型", "题干", "答案"], ["判断", "生僻字㐀与€", "对"]]
    assert parse_file("a.csv", csv_bytes(rows, "gb18030")).drafts[0].stem == "生僻字㐀与€"


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiter_is_detected(delimiter):
    """Are comma, tab and semicolon separated files all read?"""
    assert len(parse_file("a.csv", csv_bytes([HEADER, *GOOD_ROWS], delimiter=delimiter)).drafts) == 3


def test_csv_cell_with_line_breaks_counts_as_one_row():
    """Does a stem with line breaks stay one row, so later row numbers match the sheet?"""
    rows = [["题型", "题干", "答案"], ["判断", "第一行\n第二行", "对"], ["判断", "", "对"]]
    result = parse_file("a.csv", csv_bytes(rows))
    assert result.drafts[0].stem == "第一行\n第二行" and result.problems[0].row == 3


def test_csv_that_is_really_an_xlsx():
    """Is an .xlsx renamed to .csv refused as not what its extension says?"""
    assert refused("a.csv", good_file("xlsx")).startswith("文件扩展名是 .csv，但内容是Excel")


def test_csv_in_no_known_encoding():
    """Is a binary file named .csv refused with advice on the encoding?"""
    assert "无法识别 .csv 文件的编码" in refused("a.csv", bytes(range(128, 256)) * 4)


# ----------------------------------------------------------------------------------- json


def test_json_questions_object_and_lists():
    """Is {"questions": [...]} read, with options and tags as lists and numbers as numbers?"""
    document = {"questions": [{"type": "multi", "stem": "题", "options": ["甲", "乙", "丙"], "answer": "AC",
                               "points": 20, "difficulty": 3, "stage": "buzzer", "tags": ["个税", "社保"]}]}
    draft = parse_file("a.json", json_bytes(document)).drafts[0]
    assert draft.options == ("甲", "乙", "丙") and draft.answer == "AC" and draft.points == 20
    assert draft.difficulty == 3 and draft.stage == Stage.BUZZER and draft.tags == ("个税", "社保")


def test_json_boolean_answer():
    """Is a JSON true read as 对?"""
    assert parse_file("a.json", json_bytes([{"type": "true_false", "stem": "题", "answer": True}])).drafts[0].answer == "对"


def test_json_problems_count_items_and_use_the_key():
    """Are JSON problems numbered by item (第 N 条) and name the key as written?"""
    data = json_bytes([{"type": "open", "stem": "a", "answer": "x"}, {"type": "open", "stem": "b"}, "不是对象"])
    assert [str(problem) for problem in parse_file("a.json", data).problems] == [
        "第 2 条「answer」：缺少答案",
        "第 3 条「stem」：应为一个题目对象（{...}）",
    ]


def test_json_unknown_keys_and_nested_values():
    """Is an unknown key warned about once, and a nested value refused on its key?"""
    data = json_bytes([{"type": "open", "stem": {"text": "a"}, "answer": "x", "note": 1},
                       {"type": "open", "stem": "b", "answer": "y", "note": 2}])
    result = parse_file("a.json", data)
    assert result.warnings == ["未识别的键「note」，已忽略"]
    assert str(result.problems[0]) == "第 1 条「stem」：应为文字或数字，不能是列表或对象"


def test_json_too_many_options():
    """Is a list of more than eight options refused?"""
    data = json_bytes([{"type": "single", "stem": "a", "options": list("123456789"), "answer": "A"}])
    assert "最多 8 个选项" in parse_file("a.json", data).problems[0].message


def test_json_syntax_error_names_the_line():
    """Is broken JSON refused with the line and column of the error?"""
    assert refused("a.json", b'[\n{"type": }]').startswith("JSON 格式有误（第 2 行第 10 列）")


def test_json_of_the_wrong_shape():
    """Is a JSON object without a questions list refused?"""
    assert "题目列表" in refused("a.json", json_bytes({"items": []}))


# ----------------------------------------------------------------------------------- whole file


def test_empty_file():
    """Is an empty upload refused as empty?"""
    assert refused("a.csv", b"") == "文件是空的"


def test_file_over_the_size_limit():
    """Is a file over the size limit refused before it is read?"""
    assert refused("a.csv", b"x" * 2048, max_bytes=1024).startswith("文件太大")


def test_too_many_rows():
    """Is a file with more rows than the limit refused, with advice to split it?"""
    rows = [["题型", "题干", "答案"], *(["判断", f"第{i}题", "对"] for i in range(6))]
    assert "超过 5 行" in refused("a.csv", csv_bytes(rows), max_rows=5)
    assert len(parse_file("a.csv", csv_bytes(rows), max_rows=6).drafts) == 6


@pytest.mark.parametrize("filename, expected", [
    ("a.doc", "“另存为” .docx"), ("a.wps", "“另存为” .docx"), ("a.pdf", "不支持的文件类型（.pdf）"),
    ("noext", "无扩展名"),
])
def test_unsupported_extensions(filename, expected):
    """Is a file of another kind refused, with the fix for an old Word document?"""
    assert expected in refused(filename, b"data")


def test_duplicate_stems_within_the_file():
    """Is a stem repeated in the file reported on the later row, and only the first kept?"""
    data = csv_bytes([HEADER, GOOD_ROWS[2], GOOD_ROWS[0], GOOD_ROWS[2]])
    result = parse_file("a.csv", data)
    assert [str(problem) for problem in result.problems] == ["第 4 行「题干」：题干与第 2 行重复"]
    assert [draft.row for draft in result.drafts] == [2, 3]
