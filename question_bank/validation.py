"""The rules of docs/question-format.md: one row of cells in, a canonical draft or the reasons out.

Pure (no Flask, no database) so that every rule is tested in microseconds, and the same rules run
for a file row, for the edit form of a page and for the JSON sample bank. Cells arrive keyed by
the English column key as text; every message is in Chinese and names no row (the caller knows it).
"""
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from question_bank.schema import (
    COLUMN_BY_KEY,
    DIFFICULTY_LABELS,
    DIFFICULTY_WORDS,
    FALSE_ANSWER,
    FALSE_WORDS,
    OPTION_KEYS,
    OPTION_LETTERS,
    STAGE_LABELS,
    TRUE_ANSWER,
    TRUE_WORDS,
    TYPE_LABELS,
    QuestionDraft,
    QuestionType,
    Stage,
    comparable_stem,
    stem_hash,
)

MAX_POINTS = 10_000
MAX_TIME_LIMIT = 3_600
ANSWER_SEPARATORS = re.compile(r"[,、;\s]+")
TAG_SEPARATORS = re.compile(r"[,，、;；]+")
_CONTROL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\r\n?|\x0b")
_NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

TYPE_HINT = "应为 单选、多选、判断 或 简答"
TRUE_FALSE_HINT = "应为 对/错、正确/错误、√/×、T/F、true/false 或 Y/N"


@dataclass(frozen=True)
class Issue:
    """One reason a row is refused: the English key of the column at fault and the message.

    ``line`` is where a text reader found the fault (a spreadsheet row needs none).
    """

    key: str
    message: str
    line: int | None = None


class Invalid(ValueError):
    """Raised by a field parser; its text is the Chinese message for the organizer."""


def clean_text(value: str | None) -> str:
    """Text as written, minus what no one types on purpose.

    Outer white space goes (Excel cells often carry a stray space); line breaks become ``\\n``
    (Word's soft break ``\\x0b`` included); other invisible control characters are removed,
    because they cannot be written back to an .xlsx file.
    """
    if not value:
        return ""
    if _NEEDS_CLEANING.search(value) is None:  # the usual case, checked in one pass
        return value.strip()
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", value)).strip()


def fold(value: str) -> str:
    """A value folded for matching a word list: half-width, lower case, no outer spaces."""
    return unicodedata.normalize("NFKC", value).strip().lower()


def _lookup_table(labels: Mapping, suffixes: tuple[str, ...] = ()) -> dict[str, object]:
    """Map each canonical value, its Chinese label and the label plus a suffix to the value."""
    table: dict[str, object] = {}
    for value, label in labels.items():
        table[fold(str(value))] = value
        for suffix in ("", *suffixes):
            table[fold(label + suffix)] = value
    return table


_TYPES = _lookup_table(TYPE_LABELS, suffixes=("题",)) | {
    "单项选择": QuestionType.SINGLE,
    "单项选择题": QuestionType.SINGLE,
    "多项选择": QuestionType.MULTI,
    "多项选择题": QuestionType.MULTI,
    "true/false": QuestionType.TRUE_FALSE,
    "truefalse": QuestionType.TRUE_FALSE,
}
_STAGES = _lookup_table(STAGE_LABELS, suffixes=("题", "轮")) | {"抢答赛": Stage.BUZZER}
_DIFFICULTIES = (
    _lookup_table(DIFFICULTY_LABELS)
    | {word: level for level, word in DIFFICULTY_WORDS.items()}
    | {"简单": 1, "中等": 2, "困难": 3}
)


def _look_up(text: str, table: Mapping[str, object], message: str):
    """The canonical value that ``text`` (folded) names in ``table``; :class:`Invalid` otherwise."""
    found = table.get(fold(text))
    if found is None:
        raise Invalid(message)
    return found


def parse_type(text: str) -> QuestionType:
    """The question type from 单选/多选/判断/简答 (with or without 题) or the English key."""
    if not text:
        raise Invalid(f"缺少题型，{TYPE_HINT}")
    return _look_up("".join(text.split()), _TYPES, f"未知题型「{text}」，{TYPE_HINT}")


def parse_stage(text: str) -> Stage | None:
    """The stage from 必答/速答/抢答/风险/加赛 or the English key; empty means any stage."""
    message = f"适用轮次「{text}」无法识别，应为 必答、速答、抢答、风险 或 加赛，或留空"
    return _look_up(text, _STAGES, message) if text else None


def parse_difficulty(text: str) -> int | None:
    """Difficulty 1 (easy) to 3 (hard) from 易/中/难, 1/2/3 or easy/medium/hard; empty is none."""
    message = f"难度「{text}」无法识别，应为 易/中/难、1/2/3 或 easy/medium/hard"
    return _look_up(text, _DIFFICULTIES, message) if text else None


def _whole_number(text: str, what: str, low: int, high: int) -> int | None:
    """A whole number in ``low..high`` (``10.0`` counts as 10); empty means not given."""
    if not text:
        return None
    folded = fold(text)
    if not re.fullmatch(r"[+-]?\d+(\.0*)?", folded):
        raise Invalid(f"{what}「{text}」不是整数")
    number = int(folded.split(".")[0])
    if not low <= number <= high:
        raise Invalid(f"{what}「{text}」应在 {low} 到 {high} 之间")
    return number


def parse_points(text: str) -> int | None:
    """Points: a whole number from 0; empty means the stage's default."""
    return _whole_number(text, "分值", 0, MAX_POINTS)


def parse_time_limit(text: str) -> int | None:
    """Time limit in whole seconds (1 to 3600); empty means the stage's default."""
    return _whole_number(text, "时限", 1, MAX_TIME_LIMIT)


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags from one cell separated by , ， 、 or ; — empty ones dropped, repeats kept once."""
    parts = (part.strip() for part in TAG_SEPARATORS.split(text))
    return tuple(dict.fromkeys(part for part in parts if part))


def parse_true_false(text: str) -> str:
    """The canonical 对 or 错 from any of the accepted spellings."""
    folded = fold(text)
    if folded in TRUE_WORDS:
        return TRUE_ANSWER
    if folded in FALSE_WORDS:
        return FALSE_ANSWER
    raise Invalid(f"判断题答案「{text}」无法识别，{TRUE_FALSE_HINT}")


def parse_letters(text: str, qtype: QuestionType, options: tuple[str, ...]) -> str:
    """The answer letters of a choice question, upper case and sorted: "a、c" becomes "AC".

    A multiple-choice answer may have a single letter ("不定项" questions exist); a single-choice
    answer must have exactly one.
    """
    letters = ANSWER_SEPARATORS.sub("", unicodedata.normalize("NFKC", text).upper())
    if not letters or any(letter not in OPTION_LETTERS for letter in letters):
        raise Invalid(f"答案「{text}」应为选项字母，如 A，多选如 AC、A,C、A、C 或 A C")
    if qtype == QuestionType.SINGLE and len(letters) != 1:
        raise Invalid(f"单选题只能有一个答案字母，现为「{text}」")
    allowed = OPTION_LETTERS[: len(options)]
    missing = [letter for letter in letters if letter not in allowed]
    if missing:
        span = f"A–{allowed[-1]}" if len(allowed) > 1 else "A"
        raise Invalid(f"答案「{''.join(missing)}」不是已有的选项（{span}）")
    return "".join(sorted(set(letters)))


def check_options(cells: Mapping[str, str], qtype: QuestionType | None) -> tuple[tuple[str, ...], list[Issue]]:
    """The filled options, contiguous from A; enough of them for a choice type, none for others."""
    texts = [clean_text(cells.get(key)) for key in OPTION_KEYS]
    last_filled = max((i for i, text in enumerate(texts) if text), default=-1)
    options = tuple(texts[: last_filled + 1])
    if "" in options:
        gap = options.index("")
        return options, [Issue(OPTION_KEYS[gap], (
            f"选项{OPTION_LETTERS[gap]}为空，但后面的选项{OPTION_LETTERS[last_filled]}有内容；"
            "选项须从 A 起连续填写"))]
    if qtype is None:
        return options, []
    if qtype.is_choice and len(options) < 2:
        return options, [Issue(OPTION_KEYS[len(options)],
                               f"{TYPE_LABELS[qtype]}题至少需要 2 个选项，现有 {len(options)} 个")]
    if not qtype.is_choice and options:
        hint = "答案写 对 或 错" if qtype == QuestionType.TRUE_FALSE else "参考答案写在答案列"
        return options, [Issue(OPTION_KEYS[0], f"{TYPE_LABELS[qtype]}题不填选项（{hint}），请清空选项列")]
    return options, []


def parse_answer(text: str, qtype: QuestionType, options: tuple[str, ...]) -> str:
    """The canonical answer for ``qtype``: letters, 对/错, or the open question's reference text."""
    if qtype.is_choice:
        return parse_letters(text, qtype, options)
    if qtype == QuestionType.TRUE_FALSE:
        return parse_true_false(text)
    return text


SIMPLE_FIELDS: dict[str, Callable[[str], object]] = {
    "points": parse_points,
    "difficulty": parse_difficulty,
    "stage": parse_stage,
    "time_limit": parse_time_limit,
    "tags": parse_tags,
}
TEXT_FIELDS = {"category": "category", "explanation": "explanation", "source": "source", "id": "external_id"}


def _apply(parser: Callable, key: str, issues: list[Issue], *args):
    """Run one field parser, turning :class:`Invalid` into an issue on ``key`` (and ``None``)."""
    try:
        return parser(*args)
    except Invalid as error:
        issues.append(Issue(key, str(error)))
        return None


def validate_cells(cells: Mapping[str, str], row: int = 0) -> tuple[QuestionDraft | None, list[Issue]]:
    """Check one row given as ``{english key: text}``; a draft (stamped with ``row``) only when valid.

    Every problem of the row is collected, not just the first, so the organizer fixes a row once.
    """
    issues: list[Issue] = []
    text = {key: clean_text(cells.get(key)) for key in COLUMN_BY_KEY if not key.startswith("option_")}
    if not text["stem"]:
        issues.append(Issue("stem", "题干不能为空"))
    qtype = _apply(parse_type, "type", issues, text["type"])
    options, option_issues = check_options(cells, qtype)
    issues += option_issues
    # Letters are judged only against sound options; a true/false or open answer needs none.
    can_judge = not option_issues or (qtype is not None and not qtype.is_choice)
    answer = _check_answer(text["answer"], qtype, options, issues, can_judge)
    values = {key: _apply(parser, key, issues, text[key]) for key, parser in SIMPLE_FIELDS.items()}
    if issues:
        return None, issues
    extra = {field: text[key] for key, field in TEXT_FIELDS.items()}
    draft = QuestionDraft(type=qtype, stem=text["stem"], answer=answer, options=options, row=row, **values, **extra)
    return draft, []


def _check_answer(text: str, qtype: QuestionType | None, options: tuple[str, ...],
                  issues: list[Issue], can_judge: bool) -> str | None:
    """The canonical answer, or ``None`` with an issue; an answer is judged only against sound options."""
    if not text:
        issues.append(Issue("answer", "缺少答案"))
        return None
    if qtype is None or not can_judge:
        return None
    return _apply(parse_answer, "answer", issues, text, qtype, options)


def duplicate_issues(drafts: Iterable[QuestionDraft], unit: str = "行") -> list[tuple[QuestionDraft, Issue]]:
    """Each draft whose stem repeats an earlier one of the same file, with the earlier row named."""
    first_row: dict[str, int] = {}
    found = []
    for draft in drafts:
        key = stem_hash(draft.stem)
        if key in first_row:
            found.append((draft, Issue("stem", f"题干与第 {first_row[key]} {unit}重复")))
        else:
            first_row[key] = draft.row
    return found


def bank_duplicate_issues(drafts: Iterable[QuestionDraft], existing: Mapping[str, int]) -> list[tuple[QuestionDraft, Issue]]:
    """Each draft whose stem is already in the bank; ``existing`` maps stem hashes to question ids."""
    return [
        (draft, Issue("stem", f"题库中已有相同题干的题目（题目 #{existing[stem_hash(draft.stem)]}）"))
        for draft in drafts
        if stem_hash(draft.stem) in existing
    ]


SHOWN_ROWS = 10
"""How many row numbers a similar-stem warning lists before "等"."""


@dataclass(frozen=True)
class KnownStem:
    """A stored question a new stem may repeat: its bank's name and its id."""

    bank: str
    question_id: int


def similar_stem_warnings(drafts: Iterable[QuestionDraft], known: Mapping[str, KnownStem],
                          unit: str = "行") -> list[str]:
    """Warnings for drafts whose stem is identical or nearly so (same :func:`comparable_stem`) to a stored
    question of any bank, or to an earlier row of the file, one warning per bank (and one for the file).

    They are imported all the same (another bank may rightly hold the same question), but a contest
    never draws two of them (contest_setup.drawing), and the organizer should know.
    """
    rows_by_bank: dict[str, list[int]] = {}
    in_file: dict[str, int] = {}
    repeated_in_file: list[tuple[int, int]] = []
    for draft in drafts:
        key = comparable_stem(draft.stem)
        if key in known:
            rows_by_bank.setdefault(known[key].bank, []).append(draft.row)
        elif key in in_file:
            repeated_in_file.append((draft.row, in_file[key]))
        else:
            in_file[key] = draft.row
    warnings = [
        f"有 {len(rows)} 题与题库「{bank}」中的题目题干相同或几乎相同（{_row_list(rows, unit)}），"
        "同一场比赛只会抽到其中一题"
        for bank, rows in rows_by_bank.items()
    ]
    warnings += [f"第 {row} {unit}与第 {first} {unit}题干几乎相同（只差标点或空格），同一场比赛只会抽到其中一题"
                 for row, first in repeated_in_file]
    return warnings


def _row_list(rows: list[int], unit: str) -> str:
    """Row numbers for a message: "第 2、4 行", or the first few and 等."""
    shown = "、".join(str(row) for row in rows[:SHOWN_ROWS])
    return f"第 {shown} {unit}" + ("等" if len(rows) > SHOWN_ROWS else "")
