"""Reading a company roster (.xlsx, .xls, .et, .ods or .csv), and checking a person's name and
mobile number. Pure.

Columns (any order, header in the first row): 单位名称 (required), 统一社会信用代码 (optional,
18 characters), 联系人 (optional), 职工人数 (required, the declared headcount the participation
rate divides by). Every bad row is reported with its number and nothing is stored unless every
row is good, like the question import. The file-level checks (size, a disguised or damaged file,
the encoding of a CSV) and the readers of the older spreadsheet formats are the question
import's own (:mod:`question_bank.formats`, :mod:`question_bank.old_sheets`). The server reads a
roster in its upload worker process (:mod:`web.upload_worker`), so a hostile file cannot stall it.
"""
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from question_bank.formats import (
    DAMAGED_XLSX,
    FormatError,
    _check_size,
    _check_zip,
    _sheet_rows,
    cell_text,
    decode_text,
)
from question_bank.old_sheets import ods_rows, xls_rows

SUPPORTED_ROSTERS = ".xlsx、.xls、.et、.ods 或 .csv"
MAX_ROSTER_BYTES = 4 * 1024 * 1024
MAX_COMPANIES = 5000
MAX_COMPANY_NAME = 100
MAX_CONTACT = 50
MAX_HEADCOUNT = 1_000_000
MAX_PERSON_NAME = 30

HEADERS = {
    "name": ("单位名称", "单位", "企业名称", "企业", "公司名称"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码"),
    "contact": ("联系人", "联系方式", "联系人及电话"),
    "headcount": ("职工人数", "职工数", "员工人数", "人数"),
}
REQUIRED = ("name", "headcount")
_HEADER_KEY = {header: key for key, headers in HEADERS.items() for header in headers}
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_NOISE = re.compile(r"[\s\-()（）]")


@dataclass(frozen=True)
class CompanyEntry:
    """A company as read from a roster row or typed on the page."""

    name: str
    headcount: int
    credit_code: str = ""
    contact: str = ""
    row: int = 0


@dataclass
class RosterResult:
    """The companies read and every problem, ``第 n 行：…``."""

    entries: list[CompanyEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_roster(filename: str, data: bytes) -> RosterResult:
    """Read and check a roster file; ``FormatError`` when the file as a whole cannot be read."""
    _check_size(data, MAX_ROSTER_BYTES)
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    if extension == "xlsx":
        rows = _xlsx_rows(data)
    elif extension == "csv":
        rows = _csv_rows(data)
    elif extension in {"xls", "et"}:
        rows = list(_limited(iter(xls_rows(data, extension))))
    elif extension == "ods":
        rows = list(_limited(iter(ods_rows(data, MAX_COMPANIES + 1))))
    else:
        raise FormatError(f"单位名单请使用 {SUPPORTED_ROSTERS} 文件")
    return check_rows(rows)


def _xlsx_rows(data: bytes) -> list[list[object]]:
    """Every row of the first sheet (the question import's guarded reader)."""
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook raises many kinds; all mean the same here
        raise FormatError(DAMAGED_XLSX) from error
    try:
        return list(_limited(_sheet_rows(workbook.worksheets[0])))
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> list[list[object]]:
    """Every row of a CSV file in UTF-8 (with or without BOM) or GBK; comma, tab or semicolon."""
    text = decode_text(data, "csv")
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=lambda d: sum(part.strip().strip('"') in _HEADER_KEY for part in first.split(d)))
    try:
        return list(_limited(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except csv.Error as error:
        raise FormatError(f"CSV 文件格式有误：{error}") from error


def _limited(rows: Iterator) -> Iterator[list[object]]:
    """The rows, refusing a file with more companies than a round can hold."""
    for number, row in enumerate(rows):
        if number > MAX_COMPANIES:
            raise FormatError(f"单位太多：超过 {MAX_COMPANIES} 个，请检查文件")
        yield list(row)


def check_rows(rows: list[list[object]]) -> RosterResult:
    """Map the header, read each data row, report every bad row and repeated names."""
    if not rows or not any(cell_text(value) for value in rows[0]):
        raise FormatError("第 1 行应为表头，如「单位名称、统一社会信用代码、联系人、职工人数」")
    positions = {}
    for position, value in enumerate(rows[0]):
        key = _HEADER_KEY.get(cell_text(value))
        if key and key not in positions.values():
            positions[position] = key
    missing = [HEADERS[key][0] for key in REQUIRED if key not in positions.values()]
    if missing:
        raise FormatError(f"表头缺少必需的列：{'、'.join(missing)}")
    result, seen = RosterResult(), {}
    for number, values in enumerate(rows[1:], start=2):
        cells = {key: cell_text(values[i]) if i < len(values) else "" for i, key in positions.items()}
        if not any(cells.values()):
            continue
        entry, problems = entry_from_cells(cells, number)
        if entry and entry.name in seen:
            problems.append(f"单位名称「{entry.name}」与第 {seen[entry.name]} 行重复")
        if entry:
            seen.setdefault(entry.name, number)
        result.problems += [f"第 {number} 行：{problem}" for problem in problems]
        if entry and not problems:
            result.entries.append(entry)
    if not result.entries and not result.problems:
        raise FormatError("文件中没有单位：表头下面没有任何数据行")
    return result


def entry_from_cells(cells: dict[str, str], row: int = 0) -> tuple[CompanyEntry | None, list[str]]:
    """A company from its text fields, or the problems that stop it (all of them)."""
    name = cells.get("name", "").strip()
    code = cells.get("credit_code", "").strip().upper()
    contact = cells.get("contact", "").strip()
    problems = []
    if not name:
        problems.append("单位名称不能为空")
    elif len(name) > MAX_COMPANY_NAME:
        problems.append(f"单位名称不能超过 {MAX_COMPANY_NAME} 个字")
    if code and not CREDIT_CODE.fullmatch(code):
        problems.append(f"统一社会信用代码「{code}」应为 18 位数字或大写字母")
    if len(contact) > MAX_CONTACT:
        problems.append(f"联系人不能超过 {MAX_CONTACT} 个字")
    headcount = parse_headcount(cells.get("headcount", ""), problems)
    if problems:
        return (CompanyEntry(name, 0, row=row) if name else None), problems
    return CompanyEntry(name, headcount, code, contact, row), []


def parse_headcount(text: str, problems: list[str]) -> int:
    """The declared headcount, a whole number from 1; a problem is added when it is not."""
    text = (text or "").strip().replace(",", "")
    if not text.isdigit() or not 1 <= int(text) <= MAX_HEADCOUNT:
        problems.append(f"职工人数应为 1–{MAX_HEADCOUNT} 的整数，而不是「{text}」" if text else "职工人数不能为空")
        return 0
    return int(text)


def clean_mobile(text: object) -> str:
    """A mainland mobile number as 11 digits; ``ValueError`` with a Chinese message when it is not one."""
    if not isinstance(text, str):
        raise ValueError("请填写手机号")
    digits = _MOBILE_NOISE.sub("", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    if not MOBILE.fullmatch(digits):
        raise ValueError("手机号应为 11 位、以 1 开头的号码")
    return digits


def clean_person_name(text: object) -> str:
    """A participant's name, spaces trimmed; ``ValueError`` when empty, too long or made of digits."""
    name = " ".join(text.split()) if isinstance(text, str) else ""
    if not name:
        raise ValueError("请填写姓名")
    if len(name) > MAX_PERSON_NAME:
        raise ValueError(f"姓名不能超过 {MAX_PERSON_NAME} 个字")
    if any(ch.isdigit() for ch in name) or any(ch in "<>{}\\/=" for ch in name):
        raise ValueError("姓名中不能含有数字或符号")
    return name


def masked_mobile(mobile: str) -> str:
    """A number as shown on public pages: 138****5678."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else mobile
