"""The vocabulary of a question file, written once: columns, their headers, and the accepted values.

Every reader, the validator, the exporter and the pages take their names from here, so that a
column renamed or a synonym added is one edit and the round trip (export → import) stays exact.
Pure: no Flask, no database.
"""
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from contest.rules import StageKind

OPTION_LETTERS = "ABCDEFGH"
OPTION_KEYS = tuple(f"option_{letter.lower()}" for letter in OPTION_LETTERS)


class QuestionType(StrEnum):
    """The four kinds of question; the values are what the contest engine reads."""

    SINGLE = "single"
    MULTI = "multi"
    TRUE_FALSE = "true_false"
    OPEN = "open"

    @property
    def is_choice(self) -> bool:
        """Whether the question has lettered options (single or multiple choice)."""
        return self in (QuestionType.SINGLE, QuestionType.MULTI)


# The rounds of a contest a question may be drawn for (empty means any round): the engine's own
# stage kinds, so a question's stage tag and a contest's stage can never disagree.
Stage = StageKind


TYPE_LABELS = {
    QuestionType.SINGLE: "单选",
    QuestionType.MULTI: "多选",
    QuestionType.TRUE_FALSE: "判断",
    QuestionType.OPEN: "简答",
}
STAGE_LABELS = {
    Stage.REQUIRED: "必答",
    Stage.SPEED: "速答",
    Stage.BUZZER: "抢答",
    Stage.RISK: "风险",
    Stage.TIEBREAK: "加赛",
}
DIFFICULTY_LABELS = {1: "易", 2: "中", 3: "难"}
DIFFICULTY_WORDS = {1: "easy", 2: "medium", 3: "hard"}
TAG_JOINER = ","  # tags in one cell or line of an export: "时政,民生"

TRUE_ANSWER = "对"
FALSE_ANSWER = "错"
TRUE_WORDS = frozenset({"对", "正确", "√", "✓", "✔", "t", "true", "y", "yes"})
FALSE_WORDS = frozenset({"错", "错误", "×", "✗", "✘", "x", "f", "false", "n", "no"})


@dataclass(frozen=True)
class Column:
    """One column of the format: its English key, its Chinese header and whether it is required."""

    key: str
    header: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("id", "编号"),
    Column("type", "题型", required=True),
    Column("stem", "题干", required=True),
    *(Column(key, f"选项{letter}") for key, letter in zip(OPTION_KEYS, OPTION_LETTERS)),
    Column("answer", "答案", required=True),
    Column("points", "分值"),
    Column("difficulty", "难度"),
    Column("category", "分类"),
    Column("stage", "适用轮次"),
    Column("explanation", "解析"),
    Column("source", "政策出处"),
    Column("time_limit", "时限"),
    Column("tags", "标签"),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_KEYS = tuple(column.key for column in COLUMNS if column.required)


def header_token(text: str) -> str:
    """Fold a header for matching: full-width to half-width, no spaces, lower case, ``-`` as ``_``.

    So "选项 A", "Option-A", "ＯＰＴＩＯＮ_Ａ" and "option_a" all name the same column.
    """
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[\s\-]+", "_", folded).replace("选项_", "选项")


def _header_aliases() -> dict[str, str]:
    """Every accepted spelling of a header, folded, mapped to its English key."""
    aliases: dict[str, str] = {}
    for column in COLUMNS:
        aliases[header_token(column.key)] = column.key
        aliases[header_token(column.header)] = column.key
    aliases[header_token("options")] = "options"  # JSON may give the options as one list
    return aliases


HEADER_ALIASES = _header_aliases()


@dataclass(frozen=True)
class QuestionDraft:
    """A question as read from a file and checked, before it is stored; values are canonical.

    ``row`` (where it came from) is kept for messages but is not part of the question, so two
    drafts are equal when the questions are.
    """

    type: QuestionType
    stem: str
    answer: str
    options: tuple[str, ...] = ()
    points: int | None = None
    difficulty: int | None = None
    category: str = ""
    stage: Stage | None = None
    explanation: str = ""
    source: str = ""
    time_limit: int | None = None
    tags: tuple[str, ...] = ()
    external_id: str = ""
    row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Problem:
    """Why one cell of one row cannot be imported: the row, the column as the file names it, why.

    ``unit`` is 行 for a sheet row (the header is row 1), 条 for an item of a JSON list and 题 for
    a question of a text list, where ``line`` says on which line (or Word paragraph, 段) it is.
    """

    row: int
    column: str
    message: str
    unit: str = "行"
    line: int | None = None
    line_unit: str = "行"

    def __str__(self) -> str:
        """The line an organizer reads: 第 5 行「答案」：…, or 第 12 题（第 57 行）「答案」：…"""
        where = f"（第 {self.line} {self.line_unit}）" if self.line else ""
        return f"第 {self.row} {self.unit}{where}「{self.column}」：{self.message}"


def stem_key(stem: str) -> str:
    """The form of a stem used to find duplicates: width, case and white space do not count.

    "小微企业 所得税？" and "小微企业所得税?" are the same question to an organizer.
    """
    folded = unicodedata.normalize("NFKC", stem).casefold()
    return re.sub(r"\s+", "", folded)


def comparable_stem(stem: str) -> str:
    """The form of a stem used to find near-identical questions: :func:`stem_key` with only its letters
    and digits, so punctuation, brackets, blanks and symbols do not count.

    "下列哪项属于小微企业？（ ）" and "下列哪项属于小微企业( )" are one question: two banks holding both
    would put it twice into one contest.
    """
    return NOT_LETTER_OR_DIGIT.sub("", stem_key(stem))


NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
"""Punctuation, brackets, symbols, spaces and underscores: what :func:`comparable_stem` drops."""


def stem_hash(stem: str) -> str:
    """A fixed-length digest of :func:`stem_key`, so that the database can index any stem length."""
    return hashlib.sha256(stem_key(stem).encode("utf-8")).hexdigest()
