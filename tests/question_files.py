"""Question files made on the fly for the tests (no binary fixture is committed).

Each helper writes what a real tool would: openpyxl for .xlsx as Excel saves it, csv in the
encodings that Excel and WPS produce, JSON as a person or a script would write it.
"""
import csv
import io
import json

from openpyxl import Workbook

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
