"""Writing drafts as the numbered text list that the text import reads (.txt and Word .docx).

Pure (no Flask, no database). The layout is the canonical form of docs/question-format.md: a
section heading whenever the type changes ("一、单选题"), the questions numbered 1, 2, … through
the whole file, each option on its own line, then one labelled line per field that is filled.
A field of several lines keeps them: in .txt as following lines, in .docx as soft line breaks.
Reading the file back gives the same drafts (export → import is exact), which the tests check.
"""
import io
from collections.abc import Sequence

from question_bank.schema import (
    DIFFICULTY_LABELS, OPTION_LETTERS, STAGE_LABELS, TAG_JOINER, QuestionDraft, QuestionType, Stage,
)
from question_bank.text_format import chinese_number

SECTION_TITLES = {
    QuestionType.SINGLE: "单选题",
    QuestionType.MULTI: "多选题",
    QuestionType.TRUE_FALSE: "判断题",
    QuestionType.OPEN: "简答题",
}
EAST_ASIAN_FONT = "宋体"


def text_blocks(drafts: Sequence[QuestionDraft]) -> list[tuple[bool, str]]:
    """The paragraphs of the list as (is a heading, text); a text may hold line breaks."""
    blocks: list[tuple[bool, str]] = []
    section = None
    for number, draft in enumerate(drafts, start=1):
        if draft.type != section:
            section = draft.type
            blocks.append((True, _heading(sum(heading for heading, _ in blocks) + 1, QuestionType(section))))
        blocks.append((False, f"{number}. {draft.stem}"))
        blocks += [(False, f"{letter}. {option}") for letter, option in zip(OPTION_LETTERS, draft.options)]
        blocks += [(False, f"{label}：{value}") for label, value in _fields(draft) if value not in ("", None)]
    return blocks


def _heading(ordinal: int, qtype: QuestionType) -> str:
    """"一、单选题" for the first section; past 九十九 (a bank mixing types constantly) the bare title.

    A heading is never numbered in digits, which would read as a question number.
    """
    numeral = chinese_number(ordinal)
    return f"{numeral}、{SECTION_TITLES[qtype]}" if not numeral.isdigit() else SECTION_TITLES[qtype]


def _fields(draft: QuestionDraft) -> list[tuple[str, object]]:
    """The labelled lines of a question, in the order the docs show them."""
    return [
        ("答案", draft.answer),
        ("分值", draft.points),
        ("难度", DIFFICULTY_LABELS.get(draft.difficulty, "")),
        ("分类", draft.category),
        ("适用轮次", STAGE_LABELS[Stage(draft.stage)] if draft.stage else ""),
        ("时限", draft.time_limit),
        ("标签", TAG_JOINER.join(draft.tags)),
        ("编号", draft.external_id),
        ("解析", draft.explanation),
        ("出处", draft.source),
    ]


def to_text(drafts: Sequence[QuestionDraft]) -> bytes:
    """A .txt file: UTF-8 with a BOM (Notepad on Windows shows the Chinese), CRLF line ends."""
    text = "".join(f"{block}\n" for _, block in text_blocks(drafts))
    return text.replace("\n", "\r\n").encode("utf-8-sig")


def to_docx(drafts: Sequence[QuestionDraft]) -> bytes:
    """A Word document: headings in bold, one paragraph per line, soft breaks inside a field."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    # document.add_paragraph looks for the section properties anew each time (quadratic in the
    # number of paragraphs: minutes for 2,000 questions); inserting before them directly is linear.
    section_properties = document.element.body.sectPr
    for heading, text in text_blocks(drafts):
        element = OxmlElement("w:p")
        section_properties.addprevious(element)
        Paragraph(element, document._body).add_run(text).bold = heading
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
