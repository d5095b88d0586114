"""Reading the spreadsheets that are not .xlsx: Excel 97–2003 (.xls), WPS 表格 (.et) and OpenDocument (.ods).

Each gives the same grid of cell values as an .xlsx sheet (the sheet named 题库, else the first),
so :func:`question_bank.formats.grid_table` and the rules of the import treat them alike.

- .xls through xlrd, the long-standing reader of that binary format (its 2.x reads nothing else).
- .et: WPS stores it in the .xls binary format, so xlrd reads it; one it cannot read is refused
  with the advice to save it as .xlsx from WPS.
- .ods: its sheet is one XML part (content.xml), streamed here with lxml so that a sheet that
  claims a million repeated rows or columns costs nothing.

Pure: bytes in, a table of text cells out. A password-protected file is refused with a clear message.
"""
import io
import zipfile
from collections.abc import Iterator
from datetime import datetime

from question_bank.formats import (
    PASSWORD_PROTECTED,
    SCAN_COLUMNS,
    SHEET_NAME,
    FormatError,
    Table,
    check_package,
    grid_table,
    refuse_encrypted,
    OLE_MAGIC,
)

PROGRAMS = {"xls": "Excel 97–2003 工作簿（.xls）", "et": "WPS 表格文件（.et）"}
MAX_EMPTY_GAP = 100_000
MAX_SHEET_ROWS = 1_048_576  # what LibreOffice and Excel allow


# ----------------------------------------------------------------------------------- .xls / .et


def read_xls(data: bytes, max_rows: int, extension: str = "xls") -> Table:
    """Read the sheet 题库 (else the first) of an .xls workbook, or of a WPS .et file."""
    return grid_table(iter(xls_rows(data, extension)), max_rows)


def xls_rows(data: bytes, extension: str = "xls") -> list[list[object]]:
    """The cell values of the sheet 题库 (else the first) of an .xls or .et workbook, row by row
    (also the company roster's reader)."""
    import xlrd

    refuse_encrypted(data)
    if not data.startswith(OLE_MAGIC):
        raise FormatError(_not_old_sheet(data, extension))
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as error:  # xlrd raises XLRDError, CompDocError, struct and index errors alike
        raise FormatError(_unreadable(error, extension)) from error
    try:
        names = book.sheet_names()
        if not names:
            raise FormatError(f"{PROGRAMS[extension]}中没有工作表")
        sheet = book.sheet_by_name(SHEET_NAME) if SHEET_NAME in names else book.sheet_by_index(0)
        return list(_xls_rows(sheet, book.datemode))
    finally:
        book.release_resources()


def _xls_rows(sheet, datemode: int) -> Iterator[list[object]]:
    """The sheet's rows as Python values: numbers as floats, dates as datetimes, TRUE/FALSE as bools."""
    import xlrd

    for index in range(sheet.nrows):
        values = []
        for cell in sheet.row(index)[:SCAN_COLUMNS]:
            if cell.ctype == xlrd.XL_CELL_DATE:
                values.append(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                values.append(bool(cell.value))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                values.append(None)
            else:
                values.append(cell.value)
        yield values


def _not_old_sheet(data: bytes, extension: str) -> str:
    """Why a file named .xls or .et is not one, with what it seems to be instead."""
    if data.startswith(b"PK\x03\x04"):
        return f"文件扩展名是 .{extension}，但内容是 .xlsx 或其他压缩文件；若是 Excel 工作簿，请把扩展名改为 .xlsx"
    if data.lstrip()[:1] == b"<":
        return (f"文件扩展名是 .{extension}，但内容是网页或 XML 格式的表格（有些系统这样导出），"
                "请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入")
    return f"文件扩展名是 .{extension}，但内容不是{PROGRAMS[extension]}"


def _unreadable(error: Exception, extension: str) -> str:
    """The message for a file xlrd refuses: locked, or damaged (an .et in a form xlrd cannot read)."""
    if "encrypted" in str(error).lower():
        return PASSWORD_PROTECTED
    if extension == "et":
        return "无法读取这个 WPS 表格文件（.et）：它不是本平台能读的存储格式或已损坏。请在 WPS 中“另存为” .xlsx 后再导入"
    return "Excel 97–2003 工作簿（.xls）已损坏或无法读取，请在 Excel 或 WPS 中“另存为” .xlsx 后再导入"


# ----------------------------------------------------------------------------------- .ods

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
DAMAGED_ODS = "OpenDocument 表格（.ods）已损坏或无法读取，请重新保存后再试"


def _tag(namespace: str, name: str) -> str:
    """An element name in lxml's {namespace}name form."""
    return f"{{{namespace}}}{name}"


T_TABLE, T_ROW, T_CELL, T_COVERED = (_tag(TABLE, name) for name in ("table", "table-row", "table-cell", "covered-table-cell"))
T_NAME, ROWS_REPEATED, COLUMNS_REPEATED = (_tag(TABLE, name) for name in ("name", "number-rows-repeated", "number-columns-repeated"))
VALUE_TYPE, VALUE, BOOLEAN_VALUE, DATE_VALUE = (_tag(OFFICE, name) for name in ("value-type", "value", "boolean-value", "date-value"))
ANNOTATION = _tag(OFFICE, "annotation")
PARAGRAPHS = {_tag(TEXT, "p"), _tag(TEXT, "h")}
SPACE, TAB, LINE_BREAK = (_tag(TEXT, name) for name in ("s", "tab", "line-break"))
NUMBER_TYPES = {"float", "percentage", "currency"}


def read_ods(data: bytes, max_rows: int) -> Table:
    """Read the sheet 题库 (else the first) of an .ods file."""
    return grid_table(iter(ods_rows(data, max_rows)), max_rows)


def ods_rows(data: bytes, max_rows: int) -> list[list[object]]:
    """The cell values of the sheet 题库 (else the first) of an .ods file, row by row (also the
    company roster's reader)."""
    check_package(data, "ods", "content.xml", "OpenDocument", "表格")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "mimetype" in names and archive.read("mimetype").strip() != ODS_MIMETYPE:
            raise FormatError("文件扩展名是 .ods，但内容不是 OpenDocument 表格（可能是文字文档或演示文稿）")
        if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
            raise FormatError(PASSWORD_PROTECTED)
        content = archive.read("content.xml")
    return _ods_sheet(content, max_rows)


def _ods_sheet(content: bytes, max_rows: int) -> list[list[object]]:
    """The rows of the sheet to import: the one named 题库 if there is one, else the first."""
    from lxml import etree

    sheets: dict[str, list[list[object]]] = {}
    first = None
    name = None
    try:
        for event, element in etree.iterparse(io.BytesIO(content), events=("start", "end"),
                                              resolve_entities=False, no_network=True):
            if event == "start" and element.tag == T_TABLE:
                name = element.get(T_NAME, "")
                first = name if first is None else first
                sheets[name] = []
            elif event == "end" and element.tag == T_ROW:
                if name in (first, SHEET_NAME):
                    _add_row(sheets[name], element, max_rows)
                element.clear()
            elif event == "end" and element.tag == T_TABLE:
                element.clear()
    except etree.XMLSyntaxError as error:
        raise FormatError(DAMAGED_ODS) from error
    if first is None:
        raise FormatError("OpenDocument 表格中没有工作表")
    rows = sheets.get(SHEET_NAME, sheets[first])
    while rows and (rows[-1] is EMPTY_ROW or isinstance(rows[-1], _Gap)):
        rows.pop()
    return rows


EMPTY_ROW: list = []


def _add_row(rows: list[list[object]], row, max_rows: int) -> None:
    """Append a row as many times as it repeats, an empty one only as a gap before later data."""
    values = _row_values(row)
    repeat = int(row.get(ROWS_REPEATED, "1"))
    if not any(value not in (None, "") for value in values):
        if repeat > MAX_EMPTY_GAP or len(rows) + repeat > MAX_SHEET_ROWS:
            # LibreOffice ends every sheet with a million empty rows: not spelled out, a gap only if data follows
            rows.append(_Gap(repeat))
            return
        rows.extend([EMPTY_ROW] * repeat)
        return
    if rows and isinstance(rows[-1], _Gap):
        raise FormatError(f"表格中间有 {rows[-1].size} 个空行，请删去后再导入")
    if len(rows) + repeat > MAX_SHEET_ROWS:
        raise FormatError(f"表格超过 {MAX_SHEET_ROWS} 行，请删去多余的行后再导入")
    rows.extend([values] * repeat)


class _Gap(list):
    """A run of empty rows too long to spell out; an error only if data follows it."""

    def __init__(self, size: int) -> None:
        """Remember how many rows the run has."""
        super().__init__()
        self.size = size


def _row_values(row) -> list[object]:
    """The cell values of a row, repeated cells spelled out up to the width worth scanning."""
    values: list[object] = []
    for cell in row:
        if cell.tag not in (T_CELL, T_COVERED):
            continue
        value = _cell_value(cell)
        repeat = min(int(cell.get(COLUMNS_REPEATED, "1")), SCAN_COLUMNS - len(values))
        values.extend([value] * repeat)
        if len(values) >= SCAN_COLUMNS:
            break
    while values and values[-1] in (None, ""):
        values.pop()
    return values


def _cell_value(cell) -> object:
    """A cell as the value Excel would hold: numbers, booleans and dates typed, the rest as text."""
    kind = cell.get(VALUE_TYPE)
    if kind in NUMBER_TYPES and cell.get(VALUE) is not None:
        return float(cell.get(VALUE))
    if kind == "boolean":
        return cell.get(BOOLEAN_VALUE) == "true"
    if kind == "date" and cell.get(DATE_VALUE):
        return datetime.fromisoformat(cell.get(DATE_VALUE))
    paragraphs = [_text(child) for child in cell if child.tag in PARAGRAPHS]
    return "\n".join(paragraphs) if paragraphs else None


def _text(element) -> str:
    """The text of a paragraph: spans and links read through, text:s / tab / line-break spelled out, notes left out."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == SPACE:
            parts.append(" " * int(child.get(_tag(TEXT, "c"), "1")))
        elif child.tag == TAB:
            parts.append("\t")
        elif child.tag == LINE_BREAK:
            parts.append("\n")
        elif child.tag != ANNOTATION:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
