"""Reading question files (.xlsx, .csv, .json) into drafts and problems, touching no database.

``parse_file(filename, data)`` is the one entry: it checks the file as a whole (size, kind,
header), reads every row into text cells keyed by the English column key, and runs the rules of
:mod:`question_bank.validation` on each. A file that cannot be read at all raises
:class:`FormatError` with one Chinese sentence; a file that can be read gives a
:class:`ParseResult` listing every bad row, so the organizer fixes them all in one go.
"""
import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath

from web import safe_json
from web.clean_text import clean_line, clean_text
from question_bank.schema import (
    COLUMN_BY_KEY,
    HEADER_ALIASES,
    OPTION_KEYS,
    REQUIRED_KEYS,
    Problem,
    QuestionDraft,
    header_token,
)
from question_bank.validation import Issue, duplicate_issues, validate_cells
from web.spreadsheets import unneutralise

__all__ = [
    "FormatError", "ParseResult", "Problem", "QuestionDraft", "SheetRow", "parse_file",
    "MAX_FILE_BYTES", "MAX_ROWS", "MAX_UNCOMPRESSED_BYTES",
]

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_BLANK_ROWS = 5_000
"""Empty rows read past (a sheet may carry formatted empty rows): more is a sheet of nothing (61 KiB
of .xlsx held 30 MB of them and took minutes to read)."""
SHEET_NAME = "题库"
HEADER_SEARCH_ROWS = 10
SCAN_COLUMNS = 64
ZIP_MAGIC = b"PK\x03\x04"
DAMAGED_XLSX = "Excel 文件已损坏或无法读取，请在 Excel 中重新保存后再试"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, .doc and .et, and any password-protected Office file
# A password-protected .xlsx or .docx is an OLE file holding the encrypted package under this name.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
PASSWORD_PROTECTED = ("文件设置了打开密码，无法读取。请在 Excel、WPS 或 Word 中用密码打开它，去掉密码"
                      "（文件 → 信息 → 保护 → 用密码进行加密，清空密码）后保存，再导入")


class FormatError(ValueError):
    """The file as a whole cannot be read; the message tells the organizer what to do, in Chinese."""


@dataclass
class SheetRow:
    """One data row as read: its number in the file, its cells as text and any reading issue.

    A question of a text list also has the line it starts on, the line of each field, and notes
    on how it was understood (shown in the preview, not problems).
    """

    row: int
    cells: dict[str, str]
    issues: list[Issue] = field(default_factory=list)
    line: int | None = None
    lines: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Table:
    """What a reader gives: the columns found (key → header as written) and the data rows."""

    headers: dict[str, str]
    rows: list[SheetRow]
    warnings: list[str] = field(default_factory=list)
    unit: str = "行"
    line_unit: str = "行"

    def label(self, key: str) -> str:
        """The column's name as this file writes it (the Chinese header when the file lacks it)."""
        if key in self.headers:
            return self.headers[key]
        return key if self.unit == "条" else COLUMN_BY_KEY[key].header

    def line_of(self, row: int, key: str) -> int | None:
        """Where a text list has the field ``key`` of question ``row`` (else where it starts)."""
        if self.unit != "题":
            return None
        sheet_row = self.rows[row - 1]  # questions are numbered 1, 2, … in reading order
        return sheet_row.lines.get(key, sheet_row.line)


@dataclass
class ParseResult:
    """Everything read from one file: the valid drafts, every problem, the warnings, and the table."""

    drafts: list[QuestionDraft]
    problems: list[Problem]
    warnings: list[str]
    table: Table

    @property
    def rows(self) -> list[SheetRow]:
        """Every data row as read, valid or not (the preview shows them all)."""
        return self.table.rows

    @property
    def unit(self) -> str:
        """行 for a spreadsheet, 条 for a JSON list: how the messages count rows."""
        return self.table.unit

    @property
    def problem_rows(self) -> set[int]:
        """The numbers of the rows that have at least one problem."""
        return {problem.row for problem in self.problems}

    def problem(self, row: int, issue: Issue) -> Problem:
        """An issue of ``row`` as the organizer sees it, with the column named as in the file."""
        line = issue.line or self.table.line_of(row, issue.key)
        return Problem(row, self.table.label(issue.key), issue.message, self.table.unit, line, self.table.line_unit)


def parse_file(filename: str, data: bytes, *, max_bytes: int = MAX_FILE_BYTES, max_rows: int = MAX_ROWS) -> ParseResult:
    """Read and check a question file; the format comes from the extension of ``filename``."""
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    _check_size(data, max_bytes)
    reader = READERS.get(extension)
    if reader is None:
        raise FormatError(_unsupported_message(extension))
    table = reader(data, max_rows)
    if not table.rows:
        raise FormatError("文件中没有题目：表头下面没有任何数据行")
    return check_table(table)


def check_table(table: Table) -> ParseResult:
    """Validate every row of ``table`` and the stems against each other.

    Where the reader already found fault with a column, its message (which knows the file's own
    terms, e.g. "找不到答案" in a text list) stands for that column instead of the validator's.
    """
    result = ParseResult([], [], table.warnings, table)
    for sheet_row in table.rows:
        unreadable = sheet_row.issues and not sheet_row.cells  # e.g. a JSON item that is no object
        draft, issues = (None, []) if unreadable else validate_cells(sheet_row.cells, sheet_row.row)
        faulted = {issue.key for issue in sheet_row.issues}
        issues = sheet_row.issues + [issue for issue in issues if issue.key not in faulted]
        result.problems += [result.problem(sheet_row.row, issue) for issue in issues]
        if draft is not None and not issues:
            result.drafts.append(draft)
    return without_rows(result, duplicate_issues(result.drafts, table.unit))


def without_rows(result: ParseResult, found: list[tuple[QuestionDraft, Issue]]) -> ParseResult:
    """The result with each draft of ``found`` dropped and its issue added, problems in row order."""
    dropped = {draft.row for draft, _ in found}
    problems = result.problems + [result.problem(draft.row, issue) for draft, issue in found]
    return ParseResult(
        drafts=[draft for draft in result.drafts if draft.row not in dropped],
        problems=sorted(problems, key=lambda problem: problem.row),
        warnings=result.warnings,
        table=result.table,
    )


def _check_size(data: bytes, max_bytes: int) -> None:
    """Refuse an empty file and one over the size limit before reading anything."""
    if not data:
        raise FormatError("文件是空的")
    if len(data) > max_bytes:
        raise FormatError(f"文件太大（{len(data) / 1048576:.1f} MB），上限为 {max_bytes // 1048576} MB")


SUPPORTED = ".xlsx、.xls、.et、.ods、.csv、.json、.docx 或 .txt"


def _unsupported_message(extension: str) -> str:
    """Why a file of this extension is refused, with the fix when there is an obvious one."""
    if extension in {"doc", "wps", "wpt", "dot"}:
        return f"不支持旧版的 .{extension} 文档，请在 Word 或 WPS 中“另存为” .docx 后再导入"
    shown = f".{extension}" if extension else "无扩展名"
    return f"不支持的文件类型（{shown}），请使用 {SUPPORTED}"


def refuse_encrypted(data: bytes) -> None:
    """Say plainly that a password-protected .xlsx/.docx cannot be read (it is no zip at all)."""
    if data.startswith(OLE_MAGIC) and ENCRYPTED_PACKAGE in data:
        raise FormatError(PASSWORD_PROTECTED)


def _looks_like(data: bytes) -> str | None:
    """Name a binary kind of file by its first bytes, for the "not what its extension says" error."""
    if data.startswith(ZIP_MAGIC):
        return "Excel（.xlsx）、Word（.docx）或其他压缩文件"
    if data.startswith(OLE_MAGIC):
        return "旧版 Excel（.xls）、旧版 Word（.doc）或 WPS 文件"
    if data.startswith(b"%PDF"):
        return "PDF 文件"
    return None


# ----------------------------------------------------------------------------------- headers


def map_headers(values: Iterable[object], unit: str = "行") -> tuple[dict[int, str], Table]:
    """Match header cells to columns: position → key, and a table (still without rows) naming them.

    Raises :class:`FormatError` for a header that names a column twice or lacks a required one;
    an unknown header is only warned about.
    """
    positions: dict[int, str] = {}
    table = Table(headers={}, rows=[], unit=unit)
    for position, value in enumerate(values):
        written = cell_text(value)
        if not written:
            continue
        key = HEADER_ALIASES.get(header_token(written))
        if key is None:
            table.warnings.append(f"未识别的列「{written}」，已忽略")
        elif key in table.headers:
            raise FormatError(f"表头中「{table.headers[key]}」与「{written}」是同一列，请删去一个")
        else:
            positions[position] = key
            table.headers[key] = written
    return positions, table


def _require_columns(table: Table, next_rows: list[list[object]]) -> None:
    """Refuse a header row without the required columns, pointing at a header further down if any."""
    missing = [COLUMN_BY_KEY[key].header for key in REQUIRED_KEYS if key not in table.headers]
    if not missing:
        return
    if not table.headers:
        found_at = next((number for number, row in enumerate(next_rows, start=2) if _is_header(row)), None)
        where = f"；第 {found_at} 行像是表头，请删去它上面的行" if found_at else ""
        raise FormatError(f"第 1 行不是表头：没有找到「题型」「题干」「答案」等列名{where}")
    raise FormatError(f"表头缺少必需的列：{'、'.join(missing)}")


def _is_header(values: list[object]) -> bool:
    """Whether a row has the required column names, i.e. is the header in the wrong place."""
    keys = {HEADER_ALIASES.get(header_token(cell_text(value))) for value in values}
    return set(REQUIRED_KEYS) <= keys


# ----------------------------------------------------------------------------------- cells


def cell_text(value: object) -> str:
    """A cell value as the text the organizer sees in Excel.

    Whole numbers stored as floats (10.0) become "10"; booleans "TRUE"/"FALSE"; dates their ISO
    form. Text loses its outer spaces and the apostrophe that an export added against formulas.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return unneutralise(clean_text(value).strip())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def grid_table(rows: Iterator[list[object]], max_rows: int, unit: str = "行") -> Table:
    """Build a table from a grid of cell values whose first row is the header (sheet or csv)."""
    header = next(rows, None) or []
    lookahead = list(islice(rows, HEADER_SEARCH_ROWS))
    if not _has_text(header) and not any(_has_text(row) for row in lookahead):
        raise FormatError("文件中没有内容")
    positions, table = map_headers(header, unit)
    _require_columns(table, lookahead)
    for number, values in enumerate(chain(lookahead, rows), start=2):
        cells = {positions[i]: cell_text(value) for i, value in enumerate(values) if i in positions}
        if not any(cells.values()):
            if number - 1 - len(table.rows) > MAX_BLANK_ROWS:
                raise FormatError(f"表格中空行过多（超过 {MAX_BLANK_ROWS} 行），请删去题目下方多余的空行后再导入")
            continue
        if len(table.rows) >= max_rows:
            raise FormatError(f"题目太多：超过 {max_rows} 行，请分成几个文件导入")
        table.rows.append(SheetRow(number, cells))
    return table


def _has_text(values: list[object]) -> bool:
    """Whether any cell of a row has something in it."""
    return any(cell_text(value) for value in values)


# ----------------------------------------------------------------------------------- readers


def read_xlsx(data: bytes, max_rows: int) -> Table:
    """Read the sheet named 题库, else the first sheet, of an .xlsx workbook in read-only mode."""
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file; all mean the same here
        raise FormatError(DAMAGED_XLSX) from error
    try:
        if not workbook.worksheets:
            raise FormatError("Excel 文件中没有工作表")
        sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        return grid_table(_sheet_rows(sheet), max_rows)
    finally:
        workbook.close()


def _sheet_rows(sheet) -> Iterator[list[object]]:
    """The sheet's rows as lists, cut to the header's width (a sheet may claim 16,384 columns).

    openpyxl reads the sheet lazily, so a damaged sheet shows only while the rows are read; that
    is caught here, where nothing but openpyxl runs, and told as a damaged file.
    """
    try:
        header = list(next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ()))
        while header and header[-1] in (None, ""):
            header.pop()
        yield header
        names_columns = any(header_token(cell_text(value)) in HEADER_ALIASES for value in header)
        width = len(header) if names_columns else SCAN_COLUMNS  # wide enough to find a misplaced header
        for row in sheet.iter_rows(min_row=2, max_col=width, values_only=True):
            yield list(row)
    except Exception as error:  # broken XML, a bad CRC, a missing shared string: all one message
        raise FormatError(DAMAGED_XLSX) from error


def _check_zip(data: bytes) -> None:
    """Refuse what is not an .xlsx, and a zip bomb, before openpyxl unpacks anything."""
    check_package(data, "xlsx", "xl/workbook.xml", "Excel", "工作簿")


def check_package(data: bytes, extension: str, main_part: str, program: str, noun: str) -> None:
    """Refuse a zip-based office file (.xlsx, .docx, .ods) that is something else, locked or a zip bomb.

    ``main_part`` is the member every such file has; ``program`` and ``noun`` name it in the
    messages ("Excel" "工作簿": 不是 Excel 工作簿).
    """
    refuse_encrypted(data)
    kind = f"{program} {noun}"
    if not data.startswith(ZIP_MAGIC):
        found = _looks_like(data) or "文本或其他格式的文件"
        raise FormatError(f"文件扩展名是 .{extension}，但内容是{found}，不是 .{extension} {noun}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise FormatError(f"{kind}已损坏（无法解压），请重新保存后再试") from error
    if main_part not in {member.filename for member in members}:
        raise FormatError(f"文件扩展名是 .{extension}，但内容不是 {kind}")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise FormatError(
            f"{kind}解压后过大（{unpacked // 1048576} MB，上限 {MAX_UNCOMPRESSED_BYTES // 1048576} MB），"
            "请删去多余的工作表或图片后再试"
        )


def decode_text(data: bytes, extension: str) -> str:
    """Decode a text file without asking: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

    GB18030 is a superset of GBK and GB2312, which is what Excel on a Chinese Windows saves.
    UTF-8 is tried first because a GBK file is almost never valid UTF-8, while the reverse can be.
    """
    kind = _looks_like(data)
    if kind:
        raise FormatError(f"文件扩展名是 .{extension}，但内容是{kind}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise FormatError(f"无法识别 .{extension} 文件的编码，请另存为 UTF-8 或 GBK 编码后再导入")


def read_csv(data: bytes, max_rows: int) -> Table:
    """Read a .csv file in any of the accepted encodings; the delimiter (, tab ;) is detected."""
    text = decode_text(data, "csv")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return grid_table((list(row) for row in reader), max_rows)
    except csv.Error as error:
        raise FormatError(f"CSV 文件第 {reader.line_num} 行格式有误：{error}") from error


def _delimiter(text: str) -> str:
    """The delimiter under which the first line names the most known columns (comma on a tie)."""
    first_line = text.split("\n", 1)[0]

    def known(delimiter: str) -> int:
        """How many cells of the first line, split by ``delimiter``, are known headers."""
        return sum(header_token(part.strip('"')) in HEADER_ALIASES for part in first_line.split(delimiter))

    return max((",", "\t", ";"), key=known)


def read_json(data: bytes, max_rows: int) -> Table:
    """Read a list of question objects, or ``{"questions": [...]}``, with English or Chinese keys."""
    items = _json_items(decode_json(data))
    if len(items) > max_rows:
        raise FormatError(f"题目太多：超过 {max_rows} 条，请分成几个文件导入")
    table = Table(headers={}, rows=[], unit="条")
    unknown: dict[str, None] = {}
    for number, item in enumerate(items, start=1):
        table.rows.append(_json_row(number, item, table, unknown))
    table.warnings += [f"未识别的键「{key}」，已忽略" for key in unknown]
    return table


def decode_json(data: bytes) -> object:
    """Parse JSON text (UTF-8, a BOM tolerated), with the line and column of a syntax error."""
    text = decode_text(data, "json")
    try:
        return safe_json.loads(text)
    except safe_json.JsonInputError as error:
        raise FormatError(str(error)) from None


def _json_items(document: object) -> list:
    """The list of questions of a JSON document, in either accepted shape."""
    if isinstance(document, dict) and isinstance(document.get("questions"), list):
        return document["questions"]
    if isinstance(document, list):
        return document
    raise FormatError('JSON 文件应为题目列表，或 {"questions": [...]} 形式的对象')


def _json_row(number: int, item: object, table: Table, unknown: dict[str, None]) -> SheetRow:
    """One JSON item as a row of text cells; values that are not text or numbers become issues."""
    sheet_row = SheetRow(number, {})
    if not isinstance(item, dict):
        sheet_row.issues.append(Issue("stem", "应为一个题目对象（{...}）"))
        return sheet_row
    for written, value in item.items():
        key = HEADER_ALIASES.get(header_token(str(written)))
        if key is None:
            unknown.setdefault(clean_line(str(written)))
            continue
        if key != "options":
            table.headers.setdefault(key, str(written))
        _json_value(sheet_row, key, value)
    return sheet_row


def _json_value(sheet_row: SheetRow, key: str, value: object) -> None:
    """Put one JSON value into the row's cells: lists for options and tags, scalars as text."""
    if key == "options":
        _json_options(sheet_row, value)
    elif key == "tags" and isinstance(value, list):
        sheet_row.cells[key] = ",".join(_json_scalar(sheet_row, key, tag) for tag in value)
    else:
        sheet_row.cells[key] = _json_scalar(sheet_row, key, value)


def _json_options(sheet_row: SheetRow, value: object) -> None:
    """Spread an ``"options": [...]`` list over option_a…option_h."""
    if not isinstance(value, list):
        sheet_row.issues.append(Issue("option_a", "options 应为选项文字的列表"))
        return
    if len(value) > len(OPTION_KEYS):
        sheet_row.issues.append(Issue("option_a", f"最多 {len(OPTION_KEYS)} 个选项（A–H），现有 {len(value)} 个"))
    for option_key, option in zip(OPTION_KEYS, value):
        sheet_row.cells[option_key] = _json_scalar(sheet_row, option_key, option)


def _json_scalar(sheet_row: SheetRow, key: str, value: object) -> str:
    """A JSON scalar as cell text, exactly as written; an object or list is an issue."""
    if isinstance(value, (dict, list)):
        sheet_row.issues.append(Issue(key, "应为文字或数字，不能是列表或对象"))
        return ""
    if isinstance(value, str):
        return clean_text(value).strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    return cell_text(value)


def read_txt(data: bytes, max_rows: int) -> Table:
    """Read a numbered question list saved as text (or pasted into the upload page)."""
    from question_bank.text_format import text_table

    return text_table(enumerate(decode_text(data, "txt").splitlines(), start=1), max_rows)


def read_docx(data: bytes, max_rows: int) -> Table:
    """Read a numbered question list written in Word (.docx)."""
    from question_bank.docx_reader import read_docx as read

    return read(data, max_rows)


def read_xls(data: bytes, max_rows: int, extension: str = "xls") -> Table:
    """Read an Excel 97–2003 workbook (.xls), with the columns and checks of an .xlsx."""
    from question_bank.old_sheets import read_xls as read

    return read(data, max_rows, extension)


def read_et(data: bytes, max_rows: int) -> Table:
    """Read a WPS 表格 (.et) workbook, which WPS stores as an Excel 97–2003 workbook."""
    return read_xls(data, max_rows, "et")


def read_ods(data: bytes, max_rows: int) -> Table:
    """Read an OpenDocument spreadsheet (.ods, as LibreOffice and WPS save it)."""
    from question_bank.old_sheets import read_ods as read

    return read(data, max_rows)


READERS = {"xlsx": read_xlsx, "xls": read_xls, "et": read_et, "ods": read_ods, "csv": read_csv, "json": read_json,
           "docx": read_docx, "txt": read_txt}
