"""How long does importing a 10,000-question .xlsx take, and how much memory does it need?

    python -m bench.import_speed [--quick] [--rows N] [--writer excel|openpyxl]

Generates a realistic workbook (all four types, long stems, every column filled), then times
parsing + validation and storing into a fresh SQLite database in a temporary folder, through the
same functions as ``flask bank import``. Timings come from a plain run; the memory figures from a
second run under tracemalloc (which slows Python down, so it is not timed). The last line is
machine-readable: ``import: rows=10000 seconds=X.XX peak_mb=Y``.
"""
import argparse
import io
import os
import re
import resource
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

DEFAULT_ROWS = 10_000
QUICK_ROWS = 2_000
TYPES = ("单选", "多选", "判断", "简答")
STAGES = ("必答", "速答", "抢答", "风险", "加赛", "")
HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "分值", "难度", "分类", "适用轮次",
          "解析", "政策出处", "时限", "标签", "编号"]


def generate_rows(count: int) -> list[list]:
    """``count`` valid question rows cycling through the four types, with realistic text lengths."""
    rows = []
    for number in range(count):
        kind = TYPES[number % 4]
        stem = (f"第{number + 1}题：根据《关于进一步支持小微企业和个体工商户发展有关税费政策的公告》，"
                f"对小型微利企业年应纳税所得额不超过{number % 300 + 100}万元的部分，应如何计算缴纳企业所得税？")
        options = ["减按25%计入应纳税所得额", "按20%的税率缴纳", "免征企业所得税", "按15%的税率缴纳"]
        answer = {"单选": "A", "多选": "A、B", "判断": "对", "简答": "减按25%计入应纳税所得额，按20%的税率缴纳。"}[kind]
        if kind in ("判断", "简答"):
            options = ["", "", "", ""]
        rows.append([kind, stem, *options, answer, 10 + number % 3 * 10, "易中难"[number % 3],
                     ("税务", "社保", "人才", "金融", "产业")[number % 5], STAGES[number % 6],
                     "小型微利企业减按25%计入应纳税所得额，按20%的税率缴纳企业所得税。",
                     "财政部 税务总局公告2023年第12号", 30, "小微企业,企业所得税", f"Q{number:05d}"])
    return rows


def generate_workbook(count: int, writer: str = "excel") -> bytes:
    """The .xlsx bytes of ``count`` questions: one sheet, header in row 1, its size recorded.

    openpyxl writes every text as an inline string, slower to read back than the shared strings
    that Excel and WPS write; ``writer="excel"`` rewrites the file the way Excel stores it, which
    is what organizers bring. ``writer="openpyxl"`` keeps openpyxl's form (like our own exports).
    """
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in generate_rows(count):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return as_shared_strings(buffer.getvalue()) if writer == "excel" else buffer.getvalue()


INLINE_STRING = re.compile(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is>(<t[^>]*>.*?</t>)</is></c>', re.S)
SHARED_STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_STRINGS_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def as_shared_strings(data: bytes) -> bytes:
    """Move every inline string of sheet1 into a shared-strings table, as Excel saves a workbook."""
    table: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        """The cell pointing at its text's index in the table (added on first sight)."""
        index = table.setdefault(match.group(2), len(table))
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match.group(1), index)

    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = INLINE_STRING.sub(shared, parts["xl/worksheets/sheet1.xml"])
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="%d">' % len(table)
        + b"".join(b"<si>%s</si>" % text for text in table) + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>' % SHARED_STRINGS_TYPE)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="%s" Target="sharedStrings.xml"/></Relationships>' % SHARED_STRINGS_REL)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return buffer.getvalue()


def fresh_app(folder: Path, name: str):
    """An app on a new SQLite file in ``folder`` (the tests' configuration, nothing shared)."""
    os.environ.setdefault("INSTANCE_PATH", str(folder / "instance"))
    from config import TestConfig
    from factory import create_app

    return create_app(TestConfig(f"sqlite:///{folder / name}"))


class Stopwatch:
    """Wall-clock and CPU seconds of a step: CPU time shows the cost even on a busy machine."""

    def __init__(self) -> None:
        """Start timing now."""
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        """Seconds (wall, cpu) since the last lap, and start the next one."""
        wall, cpu = time.perf_counter(), time.process_time()
        spent = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return spent


def import_once(app, data: bytes) -> tuple[tuple[float, float], tuple[float, float], int]:
    """Parse (with validation and the bank check) then store, timing each; and the count stored."""
    from question_bank.formats import parse_file
    from question_bank.service import check_against_bank, store_drafts

    with app.app_context():
        watch = Stopwatch()
        result = check_against_bank(parse_file("bench.xlsx", data), "基准题库")
        parsed = watch.lap()
        assert not result.problems, result.problems[:3]
        stored = store_drafts("基准题库", result.drafts)
        return parsed, watch.lap(), stored


def peak_memory_mb(folder: Path, data: bytes) -> float:
    """The tracemalloc peak, in MB, of one more import into another fresh database."""
    app = fresh_app(folder, "memory.db")
    tracemalloc.start()
    import_once(app, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1048576


def arguments() -> argparse.Namespace:
    """The command line: --quick, --rows N, --writer excel|openpyxl."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS} rows instead of {DEFAULT_ROWS}")
    parser.add_argument("--rows", type=int, help="number of questions to generate")
    parser.add_argument("--writer", choices=("excel", "openpyxl"), default="excel",
                        help="store texts as Excel does (shared strings) or as openpyxl does (inline)")
    return parser.parse_args()


def main() -> None:
    """Run the benchmark and print one line per step, then the summary line."""
    args = arguments()
    rows = args.rows or (QUICK_ROWS if args.quick else DEFAULT_ROWS)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as temp:
        folder = Path(temp)
        watch = Stopwatch()
        data = generate_workbook(rows, args.writer)
        generated = watch.lap()
        parsed, stored, count = import_once(fresh_app(folder, "speed.db"), data)
        assert count == rows
        peak = peak_memory_mb(folder, data)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"generate: rows={rows} writer={args.writer} file_mb={len(data) / 1048576:.2f} seconds={generated[0]:.2f}")
    print(f"parse+validate: seconds={parsed[0]:.2f} cpu_seconds={parsed[1]:.2f}")
    print(f"store: seconds={stored[0]:.2f} cpu_seconds={stored[1]:.2f}")
    print(f"memory: tracemalloc_peak_mb={peak:.1f} ru_maxrss_mb={max_rss:.1f}")
    print(f"import: rows={rows} seconds={parsed[0] + stored[0]:.2f} peak_mb={peak:.1f}")


if __name__ == "__main__":
    main()
