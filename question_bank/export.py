"""Writing drafts back to .xlsx, .csv and .json with the columns that the import reads.

Pure (no Flask, no database). The spreadsheet formats use the Chinese headers and labels an
organizer reads, and are written by :mod:`web.spreadsheets`, which cleans and neutralises every text cell, so a
stem such as "=1+1" is shown, not computed; the import undoes exactly that, so export → import is exact.
JSON uses the English keys and canonical values, and needs no neutralising.
"""
import json
from collections.abc import Sequence

from question_bank.schema import (
    COLUMN_BY_KEY,
    COLUMNS,
    DIFFICULTY_LABELS,
    DIFFICULTY_WORDS,
    OPTION_KEYS,
    STAGE_LABELS,
    TYPE_LABELS,
    QuestionDraft,
    QuestionType,
    TAG_JOINER,
    Stage,
)
from question_bank.text_export import to_docx, to_text
from web.spreadsheets import Table, csv_bytes, xlsx_bytes

MIN_EXPORTED_OPTIONS = 4
COLUMN_WIDTHS = {"stem": 60, "explanation": 40, "source": 30, "answer": 12}


def export_keys(drafts: Sequence[QuestionDraft]) -> list[str]:
    """The columns to write: every column, with options up to the last one used (A–D at least)."""
    widest = max((len(draft.options) for draft in drafts), default=0)
    options = set(OPTION_KEYS[: max(widest, MIN_EXPORTED_OPTIONS)])
    return [column.key for column in COLUMNS if column.key not in OPTION_KEYS or column.key in options]


def sheet_values(draft: QuestionDraft) -> dict[str, str | int | None]:
    """A draft as the cells of a spreadsheet row: Chinese labels, numbers as numbers."""
    values: dict[str, str | int | None] = {
        "id": draft.external_id,
        "type": TYPE_LABELS[QuestionType(draft.type)],
        "stem": draft.stem,
        "answer": draft.answer,
        "points": draft.points,
        "difficulty": DIFFICULTY_LABELS.get(draft.difficulty, ""),
        "category": draft.category,
        "stage": STAGE_LABELS[Stage(draft.stage)] if draft.stage else "",
        "explanation": draft.explanation,
        "source": draft.source,
        "time_limit": draft.time_limit,
        "tags": TAG_JOINER.join(draft.tags),
    }
    values.update(zip(OPTION_KEYS, draft.options))
    return values


def json_values(draft: QuestionDraft, keys: Sequence[str]) -> dict[str, object]:
    """A draft as a JSON object with the English keys and canonical values."""
    values = sheet_values(draft) | {
        "type": str(draft.type),
        "difficulty": DIFFICULTY_WORDS.get(draft.difficulty, ""),
        "stage": str(draft.stage or ""),
        "tags": list(draft.tags),
    }
    return {key: values.get(key, "") for key in keys}


def sheet_grid(drafts: Sequence[QuestionDraft]) -> tuple[list[str], list[list[str | int | None]]]:
    """The header and the rows of a spreadsheet export as they are, not yet made safe."""
    keys = export_keys(drafts)
    header = [COLUMN_BY_KEY[key].header for key in keys]
    rows = []
    for draft in drafts:
        values = sheet_values(draft)
        rows.append([values.get(key, "") for key in keys])
    return header, rows


def bank_table(drafts: Sequence[QuestionDraft]) -> Table:
    """The sheet 题库: the columns that the import reads, one row per draft."""
    header, rows = sheet_grid(drafts)
    widths = tuple(COLUMN_WIDTHS.get(key, 14) for key in export_keys(drafts))
    return Table("题库", tuple(header), widths, tuple(tuple(row) for row in rows))


def to_xlsx(drafts: Sequence[QuestionDraft], notes: Sequence[Sequence[str]] = ()) -> bytes:
    """An .xlsx workbook with a sheet 题库 (and a 填写说明 sheet when ``notes`` are given)."""
    tables = [bank_table(drafts)]
    if notes:
        widths = (COLUMN_WIDTHS["source"], COLUMN_WIDTHS["stem"])
        tables.append(Table("填写说明", tuple(notes[0]), widths, tuple(tuple(row) for row in notes[1:])))
    return xlsx_bytes(tables)


def to_csv(drafts: Sequence[QuestionDraft]) -> bytes:
    """A .csv file in UTF-8 with a BOM (so that Excel shows the Chinese), CRLF line ends."""
    return csv_bytes(bank_table(drafts))


def to_json(drafts: Sequence[QuestionDraft]) -> bytes:
    """A .json file ``{"questions": [...]}`` with the English keys, readable (indented, real Chinese)."""
    keys = export_keys(drafts)
    document = {"questions": [json_values(draft, keys) for draft in drafts]}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


EXPORTERS = {"xlsx": to_xlsx, "csv": to_csv, "json": to_json, "docx": to_docx, "txt": to_text}


def export_bytes(drafts: Sequence[QuestionDraft], extension: str) -> bytes:
    """Export in the format that ``extension`` (xlsx, csv, json, docx, txt) names; ``ValueError`` otherwise."""
    exporter = EXPORTERS.get(extension.lower().lstrip("."))
    if exporter is None:
        raise ValueError(f"不支持导出为 .{extension}，请用 .xlsx、.csv、.json、.docx 或 .txt")
    return exporter(drafts)


# ----------------------------------------------------------------------------------- template

TEMPLATE_DRAFTS = (
    QuestionDraft(
        type=QuestionType.SINGLE,
        stem="根据《中华人民共和国个人所得税法》，居民个人综合所得的基本减除费用标准为每年多少元？",
        options=("36000元", "60000元", "72000元", "100000元"),
        answer="B",
        points=10, difficulty=1, category="税务", stage=Stage.REQUIRED,
        explanation="基本减除费用为每年 60000 元，即每月 5000 元。",
        source="《中华人民共和国个人所得税法》第六条",
        time_limit=30, tags=("个人所得税",), external_id="GS-001",
    ),
    QuestionDraft(
        type=QuestionType.MULTI,
        stem="下列哪些属于个人所得税专项附加扣除项目？",
        options=("子女教育", "继续教育", "住房贷款利息", "购买商业车险"),
        answer="ABC",
        points=20, difficulty=2, category="税务", stage=Stage.BUZZER,
        explanation="商业车险不属于专项附加扣除。",
        source="《个人所得税专项附加扣除暂行办法》",
        time_limit=20, tags=("个人所得税", "专项附加扣除"), external_id="GS-002",
    ),
    QuestionDraft(
        type=QuestionType.TRUE_FALSE,
        stem="基本养老保险实行社会统筹与个人账户相结合。",
        answer="对",
        points=10, difficulty=1, category="社保", stage=Stage.SPEED,
        source="《中华人民共和国社会保险法》第十一条",
        time_limit=10, tags=("养老保险",), external_id="SB-001",
    ),
    QuestionDraft(
        type=QuestionType.OPEN,
        stem="请说出个人所得税专项附加扣除的任意三个项目。",
        answer="子女教育、继续教育、大病医疗、住房贷款利息、住房租金、赡养老人、3岁以下婴幼儿照护，答出任意三项即可。",
        points=30, difficulty=3, category="税务", stage=Stage.RISK,
        explanation="由主持人根据参考答案判定对错。",
        source="《个人所得税专项附加扣除暂行办法》",
        time_limit=60, tags=("个人所得税",), external_id="GS-003",
    ),
)

TEMPLATE_NOTES = (
    ("列名", "说明"),
    ("题型（必填）", "单选、多选、判断 或 简答（也可写 single、multi、true_false、open）"),
    ("题干（必填）", "题目文字，可以换行；同一题库中题干不能重复"),
    ("选项A … 选项H", "单选、多选至少填 2 个，从选项A 起连续填写；判断题、简答题不填"),
    ("答案（必填）", "单选：一个字母；多选：如 AC、A,C、A、C 或 A C；判断：对/错、正确/错误、√/×、T/F、true/false、Y/N；简答：参考答案"),
    ("分值", "0 以上的整数；留空则用该轮次的默认分值"),
    ("难度", "易/中/难，或 1/2/3，或 easy/medium/hard"),
    ("分类", "自由填写，如 税务、社保、人才、金融、产业"),
    ("适用轮次", "必答、速答、抢答、风险 或 加赛；留空表示任何轮次均可"),
    ("解析", "主持人可见，揭晓答案后也会显示在大屏上"),
    ("政策出处", "答案所依据的政策文件"),
    ("时限", "秒数（1–3600）；留空则用该轮次的默认时限"),
    ("标签", "多个标签用逗号或顿号分隔"),
    ("编号", "您自己的题目编号，可留空"),
    ("提示", "第 1 行必须是表头；列的顺序随意；不认识的列会被忽略。详见 docs/question-format.md"),
)


def template_bytes(extension: str) -> bytes:
    """The downloadable template: the headers and one example row of each question type."""
    if extension == "xlsx":
        return to_xlsx(TEMPLATE_DRAFTS, notes=TEMPLATE_NOTES)
    return export_bytes(TEMPLATE_DRAFTS, extension)
