"""How long does importing a question file take, and how much memory does it need?

    python -m bench.import_speed [--quick] [--rows N] [--writer excel|openpyxl] [--format xlsx|docx|txt]

Generates realistic questions (all four types, long stems, every field filled, and every free
text unique: stems, options, reference answers, explanations, sources, categories, tags and ids
are all different, as in a real bank), writes them as an .xlsx workbook (10,000 questions) or as
a numbered Word/text list (2,000 questions), then times parsing + validation + the duplicate
check + storing, through the same functions as ``flask bank import``, into a SQLite database in a
temporary folder whose bank already holds 10,000 other questions (so the duplicate check has
something to compare with). Timings come from a plain run; the memory figures from a second run
under tracemalloc (which slows Python down, so it is not timed). The last line is
machine-readable: ``import: format=xlsx rows=10000 seconds=X.XX peak_mb=Y``.
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

DEFAULT_ROWS = {"xlsx": 10_000, "docx": 2_000, "txt": 2_000}
QUICK_ROWS = 2_000
BANK_SIZE = 10_000
BANK_NAME = "基准题库"
TOPICS = ("小型微利企业", "个体工商户", "高新技术企业", "科技型中小企业", "重点群体创业", "残疾人就业", "研发费用",
          "留抵退税", "社会保险费", "住房公积金")
CATEGORIES = ("税务", "社保", "人才", "金融", "产业")


def generate_drafts(count: int, first: int = 1) -> list:
    """``count`` valid questions numbered from ``first``, cycling through the four types.

    Every free text carries the question's own number in a sentence of its own, so no two cells
    of the file hold the same text (a shared-strings table gains nothing from repetition).
    """
    from question_bank.schema import QuestionDraft, QuestionType, Stage

    stages = list(Stage)
    drafts = []
    for number in range(first, first + count):
        kind = list(QuestionType)[number % 4]
        topic = TOPICS[number % len(TOPICS)]
        stem = (f"第{number}题：根据《关于进一步支持{topic}发展有关税费政策的公告》，对年应纳税所得额不超过"
                f"{number % 300 + 100}万元的部分，第{number}号情形应如何计算缴纳企业所得税？")
        options = tuple(f"第{number}号情形{letter}：减按{number % 90 + 10 + index}%计入应纳税所得额，按{index + 15}%的税率缴纳"
                        for index, letter in enumerate("ABCD")) if kind.is_choice else ()
        answer = {QuestionType.SINGLE: "ABCD"[number % 4], QuestionType.MULTI: "AC",
                  QuestionType.TRUE_FALSE: "对" if number % 2 else "错",
                  QuestionType.OPEN: f"第{number}号情形减按{number % 90 + 10}%计入应纳税所得额，按20%的税率缴纳。"}[kind]
        drafts.append(QuestionDraft(
            type=kind, stem=stem, options=options, answer=answer, points=10 + number % 3 * 10,
            difficulty=number % 3 + 1, category=f"{CATEGORIES[number % 5]}·{topic}{number}", stage=stages[number % len(stages)],
            explanation=f"第{number}号情形适用{topic}优惠：减按{number % 90 + 10}%计入应纳税所得额，按20%的税率缴纳企业所得税。",
            source=f"财政部 税务总局公告{2000 + number % 25}年第{number}号", time_limit=10 + number % 50,
            tags=(f"{topic}{number}", f"企业所得税{number}"), external_id=f"Q{number:05d}",
        ))
    return drafts


def generate_file(count: int, file_format: str, writer: str = "excel") -> tuple[bytes, str]:
    """The bytes of a file of ``count`` new questions in ``file_format`` (xlsx, docx or txt), and its texts.

    The second value tells how many free-text cells (all but type, answer letter, difficulty and
    stage, which are words from a list) there are and how many are unique, so a run shows the
    data is as varied as claimed.
    """
    from question_bank.export import export_bytes, sheet_grid
    from question_bank.schema import QuestionType

    drafts = generate_drafts(count, first=BANK_SIZE + 1)
    header, rows = sheet_grid(drafts)
    texts = [text for draft in drafts for text in free_texts(draft)]
    counted = f"free_text_cells={len(texts)} unique={len(set(texts))}"
    if file_format != "xlsx":  # a Word bank is laid out in sections, one per type
        in_sections = sorted(drafts, key=lambda draft: list(QuestionType).index(draft.type))
        return export_bytes(in_sections, file_format), counted
    return generate_workbook(header, rows, writer), counted


def free_texts(draft) -> list[str]:
    """The free-text fields of a question, as cells of a sheet: stem, options, reference answer, etc."""
    answer = [draft.answer] if draft.type == "open" else []
    return [draft.stem, *draft.options, *answer, draft.category, draft.explanation, draft.source,
            ",".join(draft.tags), draft.external_id]


def generate_workbook(header: list[str], rows: list[list], writer: str = "excel") -> bytes:
    """The .xlsx bytes of ``rows`` under ``header``: one sheet, header in row 1, its size recorded.

    openpyxl writes every text as an inline string, slower to read back than the shared strings
    that Excel and WPS write; ``writer="excel"`` rewrites the file the way Excel stores it, which
    is what organizers bring. ``writer="openpyxl"`` keeps openpyxl's form (like our own exports).
    """
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
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


def bank_app(folder: Path, name: str, existing: list):
    """A fresh app whose bank already holds ``existing`` (stored untimed)."""
    from question_bank.service import store_drafts

    app = fresh_app(folder, name)
    with app.app_context():
        store_drafts(BANK_NAME, existing)
    return app


def import_once(app, filename: str, data: bytes) -> tuple[tuple[float, float], tuple[float, float], int]:
    """Parse (with validation and the bank check) then store, timing each; and the count stored."""
    from question_bank.formats import parse_file
    from question_bank.service import check_against_bank, store_drafts

    with app.app_context():
        watch = Stopwatch()
        result = check_against_bank(parse_file(filename, data), BANK_NAME)
        parsed = watch.lap()
        assert not result.problems, result.problems[:3]
        stored = store_drafts(BANK_NAME, result.drafts)
        return parsed, watch.lap(), stored


def peak_memory_mb(folder: Path, filename: str, data: bytes, existing: list) -> float:
    """The tracemalloc peak, in MB, of one more import into another database holding the same bank."""
    app = bank_app(folder, "memory.db", existing)
    tracemalloc.start()
    import_once(app, filename, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1048576


def arguments() -> argparse.Namespace:
    """The command line: --quick, --rows N, --writer excel|openpyxl, --format xlsx|docx|txt."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS} questions instead of {DEFAULT_ROWS}")
    parser.add_argument("--rows", type=int, help="number of questions to generate")
    parser.add_argument("--writer", choices=("excel", "openpyxl"), default="excel",
                        help="store texts as Excel does (shared strings) or as openpyxl does (inline)")
    parser.add_argument("--format", choices=tuple(DEFAULT_ROWS), default="xlsx",
                        help="a workbook, or a numbered question list as Word or text")
    return parser.parse_args()


def main() -> None:
    """Run the benchmark and print one line per step, then the summary line."""
    args = arguments()
    rows = args.rows or (QUICK_ROWS if args.quick else DEFAULT_ROWS[args.format])
    filename = f"bench.{args.format}"
    with tempfile.TemporaryDirectory(prefix="bench-import-") as temp:
        folder = Path(temp)
        watch = Stopwatch()
        data, counted = generate_file(rows, args.format, args.writer)
        generated = watch.lap()
        existing = generate_drafts(BANK_SIZE)
        parsed, stored, count = import_once(bank_app(folder, "speed.db", existing), filename, data)
        assert count == rows
        peak = peak_memory_mb(folder, filename, data, existing)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    writer = f" writer={args.writer}" if args.format == "xlsx" else ""
    print(f"generate: format={args.format} rows={rows}{writer} file_mb={len(data) / 1048576:.2f} "
          f"{counted} seconds={generated[0]:.2f}")
    print(f"bank: existing_questions={BANK_SIZE}")
    print(f"parse+validate+duplicates: seconds={parsed[0]:.2f} cpu_seconds={parsed[1]:.2f}")
    print(f"store: seconds={stored[0]:.2f} cpu_seconds={stored[1]:.2f}")
    print(f"memory: tracemalloc_peak_mb={peak:.1f} ru_maxrss_mb={max_rss:.1f}")
    print(f"import: format={args.format} rows={rows} seconds={parsed[0] + stored[0]:.2f} peak_mb={peak:.1f}")


if __name__ == "__main__":
    main()
