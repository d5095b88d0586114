"""Are the files organizers receive read as they are: Word lists, .xls/.et and .ods, locked files refused?"""
import io
import zipfile

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from question_bank.docx_reader import format_number
from question_bank.export import export_bytes
from question_bank.formats import PASSWORD_PROTECTED, FormatError, parse_file
from question_bank.schema import QuestionType
from tests.question_files import FIXTURES, docx_bytes, office_drafts


def refused(filename: str, data: bytes) -> str:
    """The message with which a whole file is refused."""
    with pytest.raises(FormatError) as caught:
        parse_file(filename, data)
    return str(caught.value)


# ----------------------------------------------------------------------------------- .xls .et .ods


@pytest.mark.parametrize("fixture, filename", [("office.xls", "题库.xls"), ("office.xls", "题库.et"), ("office.ods", "题库.ods")])
def test_office_suite_files_import_identical_to_the_xlsx(fixture, filename):
    """Do the .xls and .ods that LibreOffice saved from our .xlsx give the same questions as that .xlsx?"""
    from_xlsx = parse_file("题库.xlsx", export_bytes(office_drafts(), "xlsx"))
    result = parse_file(filename, (FIXTURES / fixture).read_bytes())
    assert result.problems == [] and result.warnings == []
    assert result.drafts == from_xlsx.drafts == office_drafts()


@pytest.mark.parametrize("fixture, filename", [
    ("password.xlsx", "题库.xlsx"), ("password.docx", "题库.docx"), ("password.xls", "题库.xls"),
    ("password.xls", "题库.et"), ("password.ods", "题库.ods"),
])
def test_password_protected_files_get_a_clear_message(fixture, filename):
    """Is a file saved with an open password refused with what to do, not as "damaged"?"""
    assert refused(filename, (FIXTURES / fixture).read_bytes()) == PASSWORD_PROTECTED


@pytest.mark.parametrize("filename, data, expected", [
    ("a.xls", b"<html><table></table></html>", "网页或 XML 格式的表格"),
    ("a.xls", (FIXTURES / "office.ods").read_bytes(), "请把扩展名改为 .xlsx"),
    ("a.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "Excel 97–2003 工作簿（.xls）已损坏或无法读取"),
    ("a.et", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "无法读取这个 WPS 表格文件（.et）"),
    ("a.et", b"plain text", "内容不是WPS 表格文件（.et）"),
    ("a.ods", b"plain text", "不是 .ods 表格"),
    ("a.docx", b"plain text", "不是 .docx 文档"),
])
def test_files_that_are_not_what_they_say(filename, data, expected):
    """Is a file whose content does not match its extension refused with what it seems to be?"""
    assert expected in refused(filename, data)


def test_ods_of_another_kind_is_refused():
    """Is a text document (.odt) renamed .ods refused as not a spreadsheet?"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    assert "不是 OpenDocument 表格" in refused("a.ods", buffer.getvalue())


def ods_with_rows(rows_xml: str) -> bytes:
    """A minimal .ods whose one sheet holds ``rows_xml``."""
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        f'<table:table table:name="Sheet1">{rows_xml}</table:table></office:spreadsheet></office:body>'
        '</office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def cells(*texts: str, repeat: int = 1) -> str:
    """One row of text cells, the row repeated ``repeat`` times."""
    inner = "".join(f"<table:table-cell><text:p>{text}</text:p></table:table-cell>" for text in texts)
    return f'<table:table-row table:number-rows-repeated="{repeat}">{inner}</table:table-row>'


HEADER_ROW = cells("题型", "题干", "答案")


def test_ods_repeated_empty_rows_and_columns_cost_nothing():
    """Does a sheet ending in a million repeated empty rows and columns read quickly and correctly?"""
    empty = ('<table:table-row table:number-rows-repeated="1048000">'
             '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    data = ods_with_rows(HEADER_ROW + cells("判断", "对吗？", "对") + empty)
    assert [draft.stem for draft in parse_file("a.ods", data).drafts] == ["对吗？"]


def test_ods_keeps_row_numbers_across_a_gap():
    """Is a problem after a few empty rows reported on the row number LibreOffice shows?"""
    empty = '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
    data = ods_with_rows(HEADER_ROW + empty + cells("判断", "对吗？", "是"))
    assert [problem.row for problem in parse_file("a.ods", data).problems] == [5]


def test_ods_text_spacing_and_line_breaks():
    """Are runs of spaces (text:s), tabs and line breaks kept as written, and a comment left out?"""
    stem = ('<office:annotation><text:p>批注</text:p></office:annotation>'
            '<text:p>甲<text:s text:c="2"/>乙<text:tab/>丙<text:line-break/><text:span>丁</text:span></text:p>'
            '<text:p>第二段</text:p>')
    row = ("<table:table-row><table:table-cell><text:p>判断</text:p></table:table-cell>"
           f"<table:table-cell>{stem}</table:table-cell>"
           "<table:table-cell><text:p>对</text:p></table:table-cell></table:table-row>")
    assert parse_file("a.ods", ods_with_rows(HEADER_ROW + row)).drafts[0].stem == "甲  乙\t丙\n丁\n第二段"


def test_ods_rows_repeated_past_the_sheet_size_are_refused_without_spelling_them_out():
    """Is a sheet whose rows repeat to billions (a few bytes of XML) refused before memory runs out?"""
    data = ods_with_rows(HEADER_ROW + cells("判断", "对吗？", "对", repeat=1_000_000) * 3_000)
    assert "表格超过 1048576 行" in refused("a.ods", data)


def test_ods_data_after_a_huge_gap_is_refused():
    """Is a sheet with data after a gap of a hundred thousand empty rows refused, not spelled out?"""
    empty = '<table:table-row table:number-rows-repeated="200000"><table:table-cell/></table:table-row>'
    data = ods_with_rows(HEADER_ROW + empty + cells("判断", "对吗？", "对"))
    assert "200000 个空行" in refused("a.ods", data)


# ----------------------------------------------------------------------------------- .docx


def add_list(document, num_id: int, fmt: str, pattern: str) -> None:
    """Define list ``num_id`` as one level of ``fmt`` numbers drawn as ``pattern`` (e.g. "%1.")."""
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{pattern}"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))


def numbered(document, text: str, num_id: int) -> None:
    """A paragraph numbered by Word's list ``num_id`` (the number is not typed)."""
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def test_word_list_numbering_is_read_as_typed_numbers():
    """Are questions, options and headings numbered by Word's list formatting read like typed ones?"""
    def build(document):
        add_list(document, 80, "chineseCounting", "%1、")
        add_list(document, 81, "upperLetter", "%1.")
        add_list(document, 82, "upperLetter", "%1.")
        numbered(document, "单选题", 80)
        document.add_paragraph("增值税的基本税率是多少？", style="List Number")
        for option in ("13%", "9%"):
            numbered(document, option, 81)
        document.add_paragraph("答案：A")
        document.add_paragraph("消费税属于哪一类？", style="List Number")
        for option in ("直接税", "间接税"):
            numbered(document, option, 82)
        document.add_paragraph("答案：B")
        numbered(document, "判断题", 80)
        document.add_paragraph("个人所得税是直接税。（√）", style="List Number")

    result = parse_file("题库.docx", docx_bytes(build))
    assert result.problems == [] and result.warnings == []
    assert [(d.type, d.stem, d.options, d.answer) for d in result.drafts] == [
        (QuestionType.SINGLE, "增值税的基本税率是多少？", ("13%", "9%"), "A"),
        (QuestionType.SINGLE, "消费税属于哪一类？", ("直接税", "间接税"), "B"),
        (QuestionType.TRUE_FALSE, "个人所得税是直接税。（  ）", (), "对"),
    ]


def test_word_tables_and_soft_line_breaks_are_read():
    """Are options laid out in a table, and lines split by Shift+Enter, read as lines of the list?"""
    def build(document):
        document.add_paragraph("1. 增值税的基本税率是多少？")
        table = document.add_table(rows=2, cols=2)
        for cell, text in zip((c for row in table.rows for c in row.cells), ("A. 13%", "B. 9%", "C. 6%", "D. 0%")):
            cell.text = text
        document.add_paragraph("答案：A")
        document.add_paragraph("2. 下列属于直接税的是\nA. 增值税\nB. 个人所得税\n答案：B")
        merged = document.add_table(rows=1, cols=2)
        merged.cell(0, 0).merge(merged.cell(0, 1)).text = "解析：合并单元格只读一次。"

    result = parse_file("题库.docx", docx_bytes(build))
    assert result.problems == []
    assert [(d.options, d.answer) for d in result.drafts] == [
        (("13%", "9%", "6%", "0%"), "A"), (("增值税", "个人所得税"), "B")]
    assert result.drafts[1].explanation == "合并单元格只读一次。"


def test_word_problems_name_the_paragraph():
    """Does a problem in a Word list name the question and its paragraph (段)?"""
    def build(document):
        document.add_paragraph("题库标题")
        document.add_paragraph("1. 增值税的基本税率是多少？")
        document.add_paragraph("A. 13%\tB. 9%")
        document.add_paragraph("答案：E")

    result = parse_file("题库.docx", docx_bytes(build))
    assert [str(problem) for problem in result.problems] == ["第 1 题（第 4 段）「答案」：答案「E」不是已有的选项（A–B）"]
    assert result.warnings[0] == "第 1 段在第一道题之前，不是题目，已忽略：「题库标题」"


def test_damaged_docx_is_refused():
    """Is a truncated or gutted .docx refused with advice, not a crash?"""
    good = docx_bytes(lambda document: document.add_paragraph("1. 题？答案：对"))
    assert "已损坏" in refused("a.docx", good[:300])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document")
    assert "已损坏" in refused("a.docx", buffer.getvalue())


@pytest.mark.parametrize("value, fmt, shown", [
    (1, "decimal", "1"), (3, "upperLetter", "C"), (28, "upperLetter", "AB"), (2, "lowerLetter", "b"),
    (12, "chineseCounting", "十二"), (3, "ideographTraditional", "丙"), (4, "decimalEnclosedCircle", "④"),
    (7, "decimalFullWidth", "７"), (5, "decimalZero", "05"),
])
def test_word_number_formats(value, fmt, shown):
    """Is each list number format drawn as Word draws it?"""
    assert format_number(value, fmt) == shown




def test_word_links_insertions_and_content_controls_are_read_deleted_text_is_not():
    """Is text inside a link, a tracked insertion or a content control read, and tracked deletions left out?"""
    def build(document):
        body = document.element.body
        paragraphs = [
            '<w:p {ns}><w:r><w:t>1. 依据</w:t></w:r><w:hyperlink><w:r><w:t>《社会保险法》</w:t></w:r></w:hyperlink>'
            '<w:del><w:r><w:delText>删去的字</w:delText></w:r></w:del><w:ins><w:r><w:t>，谁缴费？</w:t></w:r></w:ins></w:p>',
            '<w:sdt {ns}><w:sdtContent><w:p><w:r><w:t>答案：单位和个人</w:t></w:r></w:p></w:sdtContent></w:sdt>',
        ]
        for xml in paragraphs:
            body.sectPr.addprevious(parse_xml(xml.format(ns=nsdecls("w"))))

    draft = parse_file("题库.docx", docx_bytes(build)).drafts[0]
    assert (draft.stem, draft.answer) == ("依据《社会保险法》，谁缴费？", "单位和个人")
