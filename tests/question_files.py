"""Question files for the tests, mostly made on the fly.

Each helper writes what a real tool would: openpyxl for .xlsx as Excel saves it, csv in the
encodings that Excel and WPS produce, JSON as a person or a script would write it. The .xls and
.ods question files under fixtures/ were saved by LibreOffice (tests/fixtures/make_office_files.py),
because only an office suite writes those formats as organizers receive them; the small .xls and
.ods rosters are written here (xlwt, and the three parts of an .ods).
"""
import csv
import io
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import xlwt
from openpyxl import Workbook

from question_bank.export import TEMPLATE_DRAFTS
from question_bank.schema import QuestionDraft, QuestionType, Stage

FIXTURES = Path(__file__).resolve().parent / "fixtures"

HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "分值", "难度", "分类", "适用轮次"]
GOOD_ROWS = [
    ["单选", "小规模纳税人增值税征收率一般为多少？", "1%", "3%", "5%", "6%", "B", 10, "易", "税务", "必答"],
    ["多选", "下列哪些属于专项附加扣除？", "子女教育", "继续教育", "商业车险", "", "A、B", 20, "中", "税务", "抢答"],
    ["判断", "基本养老保险实行社会统筹与个人账户相结合。", "", "", "", "", "√", "", "难", "社保", ""],
]
BAD_ROW = ["单选", "答案不在选项中的题", "甲", "乙", "", "", "E", "十分", "", "", ""]


def xlsx_bytes(rows: list[list], title: str = "Sheet1", before: list[tuple[str, list[list]]] = ()) -> bytes:
    """An .xlsx whose sheet ``title`` holds ``rows``; ``before`` adds sheets in front of it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, sheet_rows in [*before, (title, rows)]:
        sheet = workbook.create_sheet(name)
        for row in sheet_rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_bytes(rows: list[list]) -> bytes:
    """An Excel 97–2003 workbook (.xls, written by xlwt) whose one sheet holds ``rows``."""
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes(rows: list[list]) -> bytes:
    """An OpenDocument spreadsheet (.ods) whose one sheet holds ``rows``, numbers as float cells,
    laid out as LibreOffice lays it out (mimetype first and stored, a manifest, content.xml)."""
    def cell(value) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(value) for value in row)}</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
               f'<office:body><office:spreadsheet><table:table table:name="Sheet1">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    """A .csv of ``rows`` in ``encoding`` (Excel's own line ends)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if value is None else value for value in row] for row in rows
    )
    return buffer.getvalue().encode(encoding)


def json_bytes(document: object) -> bytes:
    """A .json file of ``document``, in UTF-8 with real Chinese characters."""
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def good_file(extension: str, rows: list[list] | None = None) -> bytes:
    """A valid question file in the format ``extension``, with GOOD_ROWS unless ``rows`` are given."""
    grid = [HEADER, *(rows if rows is not None else GOOD_ROWS)]
    if extension == "xlsx":
        return xlsx_bytes(grid)
    if extension == "csv":
        return csv_bytes(grid)
    keys = ["type", "stem", "option_a", "option_b", "option_c", "option_d", "answer", "points",
            "difficulty", "category", "stage"]
    return json_bytes([dict(zip(keys, row)) for row in grid[1:]])


def office_drafts() -> list[QuestionDraft]:
    """The questions of the LibreOffice fixtures: the template's four, and cells that are hard to keep.

    A formula-like stem, a stem of several lines, eight options, numbers that look like dates and
    decimals, full-width text and an answer written with separators.
    """
    hard = [
        QuestionDraft(type=QuestionType.SINGLE, stem="=1+1 在 Excel 中是公式，这里是题干文字吗？",
                      options=("是", "不是"), answer="A", points=5, category="=SUM(A1)", tags=("公式", "安全")),
        QuestionDraft(type=QuestionType.MULTI, stem="下列说法正确的有：\n第一种说法\n第二种说法",
                      options=tuple(f"选项{n}：2024-01-0{n}" for n in range(1, 9)), answer="ACEH",
                      difficulty=2, stage=Stage.TIEBREAK, time_limit=45, external_id="0012"),
        QuestionDraft(type=QuestionType.TRUE_FALSE, stem="增值税税率为 13% 的货物，其征收率也是 13%。",
                      answer="错", points=0, explanation="税率与征收率不同。", source="＋全角文字＠",
                      tags=("增值税",)),
        QuestionDraft(type=QuestionType.OPEN, stem="小数 1.5 倍与 3/4 这样的文字是否原样保存？",
                      answer="1.5\n3/4", difficulty=3, stage=Stage.SPEED),
    ]
    return [*TEMPLATE_DRAFTS, *hard]


def docx_bytes(build) -> bytes:
    """A Word document made by python-docx: ``build(document)`` adds its content."""
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def blank_rows_xlsx(rows: int = 1_000_000) -> bytes:
    """A small .xlsx whose sheet holds the header and then ``rows`` empty rows (30 MB unpacked for a million):
    the kind of file that once held the server for minutes."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                blank = "".join(f'<row r="{number}"/>' for number in range(2, rows + 2)).encode()
                data = re.sub(rb"</row>\s*</sheetData>", b"</row>" + blank + b"</sheetData>", data)
                data = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:K{rows + 1}"/>'.encode(), data)
            target.writestr(item, data)
    return buffer.getvalue()


def large_csv(megabytes: float) -> bytes:
    """A .csv of about ``megabytes`` MB of question rows (many more than an import takes)."""
    row = ["单选", "某项政策规定的标准是多少？" * 4, "1%", "3%", "5%", "6%", "B", 10, "易", "税务", "必答"]
    one = len(csv_bytes([row], encoding="utf-8"))
    return csv_bytes([HEADER] + [[*row[:1], f"{row[1]}{number}", *row[2:]]
                                 for number in range(int(megabytes * 1048576 / one))])
