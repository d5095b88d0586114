"""Reading a question list written as text (a Word document, a .txt file, text pasted in a box).

Bureaus circulate their banks as numbered lists, not spreadsheets::

    一、单选题（每题 10 分）
    1. 小规模纳税人增值税征收率一般为多少？（ B ）
    A. 1%   B. 3%   C. 5%   D. 6%
    解析：……

:func:`text_table` turns such lines into the same :class:`~question_bank.formats.Table` of text
cells that a spreadsheet gives, so the very rules of :mod:`question_bank.validation` judge them.
It is pure (lines in, table out) so that any process can run it. What it cannot tell for sure,
such as a line after the options that has no number, it reports instead of guessing; what it did
decide on a question's behalf (an answer taken from the stem's brackets) it notes on that question,
so the preview shows how every question was understood. The accepted forms are listed in
docs/question-format.md.
"""
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from question_bank.formats import FormatError, SheetRow, Table
from question_bank.schema import (
    COLUMN_BY_KEY, FALSE_WORDS, OPTION_KEYS, OPTION_LETTERS, TRUE_WORDS, TYPE_LABELS, QuestionType,
)
from question_bank.validation import Issue, fold

__all__ = ["text_table", "chinese_number"]

NUMERALS = "一二三四五六七八九十"
CHINESE_DIGITS = "〇一二三四五六七八九"
_CHOICE_LETTER = "A-Ha-hＡ-Ｈａ-ｈ"

# 1.  1、  1．  1)  1）  （1）  (1)  第1题 — a number followed by a dot is no numbering when a digit follows (1.5倍).
QUESTION_START = re.compile(
    r"\s*(?:第\s*(\d{1,5})\s*题[\s.．、:：]*|[(（]\s*(\d{1,5})\s*[)）]\s*|(\d{1,5})\s*[.．、)）](?!\d)\s*)(.*)", re.S)
# A.  A、  A．  A)  A）  (A)  （A） — one option, or several on one line separated by spaces or tabs.
OPTION_MARK = re.compile(
    rf"(?:(?<=\s)|^)(?:[(（]\s*([{_CHOICE_LETTER}])\s*[)）]|([{_CHOICE_LETTER}])\s*[.．、)）](?![A-Za-z]))\s*")
HEADING = re.compile(
    rf"\s*(?:[{NUMERALS}]+\s*[、.．]|第[{NUMERALS}]+部分\s*[、.．:：]?|[(（][{NUMERALS}]+[)）])\s*(.+)", re.S)
SECTION_WORDS = (
    ("单项选择", QuestionType.SINGLE), ("单选", QuestionType.SINGLE),
    ("多项选择", QuestionType.MULTI), ("多选", QuestionType.MULTI), ("不定项", QuestionType.MULTI),
    ("判断", QuestionType.TRUE_FALSE), ("是非", QuestionType.TRUE_FALSE),
    ("简答", QuestionType.OPEN), ("问答", QuestionType.OPEN), ("论述", QuestionType.OPEN),
)
UNSUPPORTED_SECTIONS = ("填空", "计算", "案例分析")
BARE_SECTION = re.compile(
    r"\s*(?:单项选择|多项选择|不定项选择|单选|多选|判断|是非|简答|问答|填空|计算|案例分析)题?\s*(?:[(（].*[)）])?\s*")
SECTION_POINTS = re.compile(r"每[题小]\s*(\d{1,5})\s*分")

# The labelled lines, each with the column it fills. 答案 and 题型 first, so that 答案解析 is 解析.
LABELS = {
    "正确答案": "answer", "参考答案": "answer", "标准答案": "answer", "答案": "answer", "答": "answer",
    "答案解析": "explanation", "试题解析": "explanation", "解析": "explanation",
    "政策出处": "source", "政策依据": "source", "出处": "source", "依据": "source", "来源": "source",
    "分值": "points", "分数": "points", "难度": "difficulty", "分类": "category", "类别": "category",
    "适用轮次": "stage", "轮次": "stage", "时限": "time_limit", "标签": "tags", "编号": "id", "题型": "type",
}
_LABEL_WORDS = "|".join(sorted(LABELS, key=len, reverse=True))
# A label needs brackets (【答案】) or a colon (答案：) so that a stem starting "依据《…》" stays a stem.
LABELLED = re.compile(rf"\s*(?:[【\[]\s*({_LABEL_WORDS})\s*[】\]]\s*[:：]?|({_LABEL_WORDS})\s*[:：])\s*(.*)", re.S)
NEXT_LABEL = re.compile(rf"\s*(?=[【\[]\s*(?:{_LABEL_WORDS})\s*[】\]])|\s+(?=(?:{_LABEL_WORDS})\s*[:：])")
UNITS = {"points": "分", "time_limit": "秒"}
CONTINUED_FIELDS = ("stem", "explanation", "source", "answer")
# The answer written into the stem's brackets: （ B ）, (AC), （√）, （对）.
BRACKET_ANSWER = re.compile(
    rf"([(（])\s*((?:[{_CHOICE_LETTER}](?:\s*[、,，]?\s*[{_CHOICE_LETTER}])*)|[√×✓✗✔✘对错])\s*([)）])")
BLANK = "  "


@dataclass
class Block:
    """One question as it is being read: where it starts, its fields so far and what was found."""

    ordinal: int
    number: str
    line: int
    section_label: str
    section_points: str
    cells: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    current: str = "stem"
    answer_points: int = 0

    def put(self, key: str, text: str, line: int) -> None:
        """Set a field (a second 答案 line or the like is a problem, not a silent overwrite)."""
        if key in self.cells and key != "stem":
            self.issues.append(Issue(key, f"「{_label_name(key)}」写了两次", line))
            return
        self.cells[key] = text
        self.lines.setdefault(key, line)
        self.current = key

    def extend(self, text: str) -> None:
        """Add a continuation line to the field being written."""
        self.cells[self.current] = f"{self.cells.get(self.current, '')}\n{text}".lstrip("\n")

    @property
    def options(self) -> list[str]:
        """The option keys filled so far, in order."""
        return [key for key in OPTION_KEYS if key in self.cells]


@dataclass
class Reading:
    """The state of one pass over the lines: the questions so far and the current section."""

    unit_of_line: str
    blocks: list[Block] = field(default_factory=list)
    section_label: str = ""
    section_points: str = ""
    after_heading: bool = False
    ignored: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def text_table(lines: Iterable[tuple[int, str]], max_rows: int, unit_of_line: str = "行") -> Table:
    """Read ``(line number, text)`` pairs into a table of questions (unit 题).

    ``unit_of_line`` names what the numbers count: 行 for text, 段 for the paragraphs of a document.
    Raises :class:`FormatError` when no question is found or there are more than ``max_rows``.
    """
    reading = Reading(unit_of_line)
    for number, raw in lines:
        for piece in _split_labels(raw):
            _read_line(reading, number, piece, max_rows)
    if not reading.blocks:
        raise FormatError("没有找到题目：每道题须以题号开头，如“1.”“1、”“（1）”或“第1题”")
    table = Table(headers={}, rows=[], unit="题", line_unit=unit_of_line)
    table.warnings += _ignored_warnings(reading)
    inferred = 0
    for block in reading.blocks:
        inferred += _finish(block)
        table.rows.append(SheetRow(block.ordinal, block.cells, block.issues, line=block.line,
                                   lines=block.lines, notes=block.notes))
    if inferred:
        table.warnings.append(f"有 {inferred} 道题前面没有“单选题”“多选题”“判断题”“简答题”之类的标题，题型按选项和答案"
                              "推断，请在预览中核对")
    return table


def _split_labels(text: str) -> list[str]:
    """A line as its labelled parts: "答案：B　解析：……" is two lines; other lines stay whole."""
    text = text.strip()
    if not LABELLED.match(text):
        return [text]
    return [part for part in NEXT_LABEL.split(text) if part]


def _read_line(reading: Reading, number: int, text: str, max_rows: int) -> None:
    """Take one line: a heading, a new question, an option, a labelled field or a continuation."""
    block = reading.blocks[-1] if reading.blocks else None
    if not text:
        return
    if _heading(reading, number, text):
        return
    start = QUESTION_START.fullmatch(text)
    if start and block and _is_answer_point(block, reading, int(_written_number(start))):
        _add_answer_point(block, number, text, int(_written_number(start)), reading)
        return
    if start:
        _start_question(reading, number, start, max_rows)
        return
    if block is None:
        reading.ignored.append((number, text))
        return
    labelled = LABELLED.fullmatch(text)
    if labelled:
        key = LABELS[labelled.group(1) or labelled.group(2)]
        block.put(key, labelled.group(3).strip(), number)
        return
    options = _options(text)
    if options:
        _add_options(block, options, number)
        return
    _continue(block, number, text)


def _heading(reading: Reading, number: int, text: str) -> bool:
    """A section heading such as "一、单选题（每题2分）" sets the type of the questions under it."""
    match = HEADING.fullmatch(text)
    bare = BARE_SECTION.fullmatch(text)
    if not match and not bare:
        return False
    name = match.group(1) if match else text
    found = next((qtype for word, qtype in SECTION_WORDS if word in name), None)
    unsupported = next((word for word in UNSUPPORTED_SECTIONS if word in name), None)
    if found is None and unsupported is None:
        reading.warnings.append(f"第 {number} {reading.unit_of_line}「{text}」看作标题，没有设定题型")
        return True
    reading.section_label = TYPE_LABELS[found] if found else f"{unsupported}"
    points = SECTION_POINTS.search(name)
    reading.section_points = points.group(1) if points else ""
    reading.after_heading = True
    return True


def _written_number(start: re.Match) -> str:
    """The question number as written, from whichever numbering style matched."""
    return next(group for group in start.groups()[:3] if group)


def _is_answer_point(block: Block, reading: Reading, written: int) -> bool:
    """Whether a numbered line is a point of a 简答 question's reference answer ("1、… 2、…").

    Only while that answer is being written, and only when the number does not carry on from the
    question's own, or carries on the answer's points already begun.
    """
    kind = block.cells.get("type") or block.section_label
    if block.current != "answer" or reading.after_heading or kind != TYPE_LABELS[QuestionType.OPEN]:
        return False
    return written != int(block.number) + 1 or (block.answer_points > 0 and written == block.answer_points + 1)


def _add_answer_point(block: Block, number: int, text: str, written: int, reading: Reading) -> None:
    """Add a numbered point to the reference answer; say so once, and report when it could be the next question."""
    if written == int(block.number) + 1:
        block.issues.append(Issue("answer", (
            f"「{_shorten(text)}」既可能是参考答案的第 {written} 点，也可能是第 "
            f"{written} 题；请把参考答案写成一行（如“答案：1.子女教育；2.继续教育”），或改正题号"), number))
    if not block.answer_points:
        block.notes.append(f"第 {number} {reading.unit_of_line}起带编号的几行看作参考答案的要点，不是新题")
    block.answer_points = written
    block.extend(text)


def _start_question(reading: Reading, number: int, start: re.Match, max_rows: int) -> None:
    """Open a new question block from a numbered line."""
    if len(reading.blocks) >= max_rows:
        raise FormatError(f"题目太多：超过 {max_rows} 题，请分成几个文件导入")
    written = _written_number(start)
    block = Block(len(reading.blocks) + 1, written, number, reading.section_label,
                  reading.section_points)
    previous = reading.blocks[-1] if reading.blocks else None
    if previous and not reading.after_heading and int(written) != int(previous.number) + 1:
        block.notes.append(f"题号「{written}」没有接着上一题的「{previous.number}」")
    reading.after_heading = False
    block.put("stem", start.group(4).strip(), number)
    reading.blocks.append(block)


def _options(text: str) -> list[tuple[str, str]]:
    """The options on a line that starts with one: [(letter, text), …]; [] when it does not.

    Further markers split the line only when their letters follow on (A, B, C …), so an option
    that mentions "B." in its text is not cut.
    """
    marks = list(OPTION_MARK.finditer(text))
    if not marks or marks[0].start() != 0:
        return []
    letters = [_letter(mark) for mark in marks]
    kept = [marks[0]]
    for mark, letter in zip(marks[1:], letters[1:]):
        if ord(letter) == ord(_letter(kept[-1])) + 1:
            kept.append(mark)
    ends = [mark.start() for mark in kept[1:]] + [len(text)]
    return [(_letter(mark), text[mark.end():end].strip()) for mark, end in zip(kept, ends)]


def _letter(mark: re.Match) -> str:
    """The option letter of a marker, upper case and half-width."""
    return fold(mark.group(1) or mark.group(2)).upper()


def _add_options(block: Block, options: list[tuple[str, str]], number: int) -> None:
    """Put options on the block, reporting a letter out of order or given twice."""
    for letter, text in options:
        expected = OPTION_LETTERS[len(block.options)] if len(block.options) < len(OPTION_LETTERS) else None
        key = OPTION_KEYS[OPTION_LETTERS.index(letter)]
        if key in block.cells:
            block.issues.append(Issue(key, f"选项{letter}出现了两次", number))
        elif letter != expected:
            block.issues.append(Issue(key, f"选项{letter}前面缺少选项{expected}", number))
        if "answer" in block.cells:
            block.issues.append(Issue(key, f"选项{letter}写在了答案之后；选项须写在答案行前面", number))
        block.cells.setdefault(key, text)
        block.lines.setdefault(key, number)
        block.current = key


def _continue(block: Block, number: int, text: str) -> None:
    """A line with no number, option letter or label: more of the field being written, if that is clear."""
    if block.current in CONTINUED_FIELDS and not (block.current == "answer" and block.options):
        block.extend(text)
        return
    where = (f"选项{block.current[-1].upper()}" if block.current in OPTION_KEYS else f"「{_label_name(block.current)}」")
    block.issues.append(Issue(block.current, (
        f"「{_shorten(text)}」没有题号，无法判断是{where}的续行还是一道新题；"
        f"新题请加题号（如“{int(block.number) + 1}.”），续行请并到上一行"), number))


def _finish(block: Block) -> int:
    """Settle the block's type and answer once all its lines are read; 1 when its type was inferred."""
    _answer_from_brackets(block)
    _drop_closing_stop(block)
    for key, unit in UNITS.items():
        number = re.fullmatch(rf"\s*(\d+)\s*{unit}\s*", block.cells.get(key, ""))
        if number:
            block.cells[key] = number.group(1)
    if "points" not in block.cells and block.section_points:
        block.cells["points"] = block.section_points
    if "answer" not in block.cells:
        block.issues.append(Issue("answer", "找不到答案：请加一行“答案：…”，或把答案写在题干的括号里，如“（ B ）”",
                                  block.line))
    inferred = 0
    if "type" not in block.cells:
        block.cells["type"] = block.section_label or _inferred_type(block)
        inferred = 0 if block.section_label else 1
    _check_option_kind(block)
    return inferred


def _drop_closing_stop(block: Block) -> None:
    """"答案：B。" is the answer B: a full stop after letters or 对/错 is punctuation, not part of it.

    Never for a 简答 question, whose reference answer is kept exactly as written.
    """
    answer = block.cells.get("answer", "")
    core = answer.rstrip("。．.;；,，")
    open_kind = TYPE_LABELS[QuestionType.OPEN]
    if core == answer or open_kind in (block.cells.get("type"), block.section_label):
        return
    if re.fullmatch(r"[A-H]+", _letters(core)) or fold(core) in TRUE_WORDS | FALSE_WORDS:
        block.cells["answer"] = core


def _answer_from_brackets(block: Block) -> None:
    """Take the answer from the stem's brackets, "（ B ）", and leave them blank on the projector.

    With an answer line as well, the brackets are blanked only when they say the same; a stem
    that truly mentions "（A）" next to another answer is left alone.
    """
    stem = block.cells.get("stem", "")
    found = list(BRACKET_ANSWER.finditer(stem))
    if not found:
        return
    match = found[-1]
    written = match.group(2)
    if "answer" in block.cells and _letters(block.cells["answer"]) != _letters(written):
        return
    blanked = stem[: match.start()] + match.group(1) + BLANK + match.group(3) + stem[match.end():]
    block.cells["stem"] = blanked
    if "answer" in block.cells:
        block.notes.append(f"题干括号中的答案「{written}」与答案行相同，已从题干中去掉，题干显示为“{match.group(1)}{BLANK}{match.group(3)}”")
    else:
        block.cells["answer"] = written
        block.lines["answer"] = block.lines.get("stem", block.line)
        block.notes.append(f"答案「{written}」取自题干括号，题干中该括号已留空")


def _letters(text: str) -> str:
    """An answer folded for comparing: half-width, upper case, without separators or spaces."""
    return re.sub(r"[\s、,，;；]", "", fold(text).upper())


def _inferred_type(block: Block) -> str:
    """The type a question without a section must be: by its options and its answer."""
    answer = _letters(block.cells.get("answer", ""))
    if block.options:
        return TYPE_LABELS[QuestionType.MULTI if len(answer) > 1 else QuestionType.SINGLE]
    if fold(block.cells.get("answer", "")) in TRUE_WORDS | FALSE_WORDS:
        return TYPE_LABELS[QuestionType.TRUE_FALSE]
    return TYPE_LABELS[QuestionType.OPEN]


def _check_option_kind(block: Block) -> None:
    """Options under a 判断 or 简答 section: say where the mix-up is, in the text's own terms."""
    kind = block.cells["type"]
    if block.options and kind in (TYPE_LABELS[QuestionType.TRUE_FALSE], TYPE_LABELS[QuestionType.OPEN]):
        block.issues.append(Issue("option_a", (
            f"{kind}题不应有选项行；若是选择题，请放到“单选题”或“多选题”标题下，或加一行“题型：单选”"),
            block.lines[block.options[0]]))


def _label_name(key: str) -> str:
    """The Chinese name of a field, as its label is written."""
    return COLUMN_BY_KEY[key].header


def _shorten(text: str, length: int = 20) -> str:
    """A line cut short for a message."""
    return text if len(text) <= length else text[:length] + "…"


def _ignored_warnings(reading: Reading) -> list[str]:
    """Lines before the first question (a title, a note): said once, with where they are."""
    warnings = list(reading.warnings)
    if reading.ignored:
        first, last = reading.ignored[0][0], reading.ignored[-1][0]
        span = f"第 {first} {reading.unit_of_line}" if first == last else f"第 {first}–{last} {reading.unit_of_line}"
        warnings.insert(0, f"{span}在第一道题之前，不是题目，已忽略：「{_shorten(reading.ignored[0][1])}」")
    return warnings


def chinese_number(value: int) -> str:
    """1–99 in Chinese numerals as headings and Word's 一、二、… lists write them (十一, 二十); beyond, digits."""
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return prefix + (CHINESE_DIGITS[ones] if ones else "")
