"""Every spreadsheet and download the platform writes: question banks, result sheets, audits,
the preliminary round's lists.

Pure but for :func:`download`. Each text cell is cleaned and then neutralised (:func:`safe_cell`)
in the one writer of each format (:func:`xlsx_bytes`, :func:`csv_bytes`), so a team, a company or
a stem called "=HYPERLINK(…)" is shown, never computed, in every export. The question bank's
import undoes the neutralising exactly (:func:`unneutralise`), so export → import is exact. CSV
files are UTF-8 with a BOM (Excel then shows the Chinese) and CRLF line ends.
"""
import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, send_file

from web.clean_text import clean_text

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}

# A spreadsheet treats a cell starting with one of these as a formula (tab and CR too, in some
# programs). The apostrophe is in the set so that a text that truly starts with one survives.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")

Cell = str | int | float | None


def neutralise(text: str) -> str:
    """Make ``text`` safe in an .xlsx/.csv cell: prefix ``'`` when it could start a formula.

    The inverse is :func:`unneutralise`; together they are exact for every text:
    ``unneutralise(neutralise(t)) == t``.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unneutralise(text: str) -> str:
    """Drop the ``'`` that :func:`neutralise` added, and only that one.

    A leading apostrophe is removed only when the next character is one that neutralising
    protects, so an organizer's own "'据说…" keeps its apostrophe.
    """
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def safe_cell(value: Cell) -> Cell:
    """A spreadsheet cell value: text cleaned, then neutralised against formulas; numbers and blanks as they are.

    Cleaning comes first: removing a control character can uncover a formula (``"\x01=HYPERLINK(…)"``).
    Cleaning also removes what an .xlsx cannot hold (openpyxl refuses the file otherwise).
    """
    if isinstance(value, str):
        value = clean_text(value)
        return neutralise(value) if value else None
    return value


def safe_row(values: Sequence) -> list:
    """Every cell of a row (or a header) made safe by :func:`safe_cell`."""
    return [safe_cell(value) for value in values]


@dataclass(frozen=True)
class Column:
    """A column of an export: its header, its width in characters and how to read its value."""

    header: str
    width: int
    value: Callable[[Any], Cell]


@dataclass(frozen=True)
class Table:
    """One sheet: a title, a header row, column widths and the rows, as they are (not yet made safe)."""

    title: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    rows: tuple[tuple[Cell, ...], ...]


def table(title: str, columns: Sequence[Column], items: Sequence[Any]) -> Table:
    """The sheet ``title`` with one row per item, read through ``columns``."""
    return Table(
        title=title,
        headers=tuple(column.header for column in columns),
        widths=tuple(column.width for column in columns),
        rows=tuple(tuple(column.value(item) for column in columns) for item in items),
    )


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table: a bold, frozen header, the widths, every cell made safe.

    A normal (not write-only) workbook, because only it records the sheet's size (``<dimension>``)
    as Excel does; without it, reading the file back in read-only mode scans the sheet twice.
    openpyxl is imported here, not at the top: it is slow to import and only exports need it.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for item in tables:
        sheet = workbook.create_sheet(item.title)
        sheet.append(safe_row(item.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, width in enumerate(item.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for row in item.rows:
            sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(item: Table) -> bytes:
    """One table as CSV: UTF-8 with a BOM (Excel then reads the Chinese), CRLF line ends, cells made safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in (item.headers, *item.rows):
        writer.writerow("" if cell is None else cell for cell in safe_row(row))
    return buffer.getvalue().encode("utf-8-sig")


def download(data: bytes, filename: str, extension: str) -> Response:
    """Send ``data`` as a file download with a Chinese file name."""
    return send_file(io.BytesIO(data), mimetype=MEDIA_TYPES[extension], as_attachment=True,
                     download_name=filename, max_age=0)
