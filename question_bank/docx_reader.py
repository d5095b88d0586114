"""Reading a Word (.docx) question list into the lines that :mod:`question_bank.text_format` parses.

python-docx opens the package (its parts, styles and list definitions); the paragraphs are read
from the document's XML in reading order. Two things organizers' documents depend on are kept:
the numbers and letters that Word draws from list formatting (a "1." or "A." the author never
typed), and the text inside tables (options laid out two by two), read row by row. Each paragraph keeps its number (段), so a
problem can say where it is; a soft line break (Shift+Enter) splits a paragraph into lines that
share that number. Pure: bytes in, a table of text cells out.
"""
import io
import re
from collections.abc import Iterator

from question_bank.formats import FormatError, Table, check_package
from question_bank.text_format import chinese_number, text_table

DAMAGED_DOCX = "Word 文档已损坏或无法读取，请在 Word 或 WPS 中重新保存为 .docx 后再试"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, TABLE, ROW, CELL, CONTENT_CONTROL, CONTENT = (W + name for name in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
RUN, TEXT, BREAK, CARRIAGE_RETURN, NO_BREAK_HYPHEN = (W + name for name in ("r", "t", "br", "cr", "noBreakHyphen"))
TABS = {W + "tab", W + "ptab"}
BREAK_TYPE = W + "type"
RUN_CONTAINERS = tuple(W + name for name in ("hyperlink", "ins", "smartTag", "fldSimple"))
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def read_docx(data: bytes, max_rows: int) -> Table:
    """The questions of a .docx file; a file that is no Word document is refused with the reason."""
    check_package(data, "docx", "word/document.xml", "Word", "文档")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(document_lines(document))
    except Exception as error:  # python-docx and lxml raise many kinds for a damaged file
        raise FormatError(DAMAGED_DOCX) from error
    return text_table(lines, max_rows, unit_of_line="段")


def document_lines(document) -> Iterator[tuple[int, str]]:
    """(paragraph number, line) for every line of the body, tables included, in reading order."""
    numbering = ListNumbering(document)
    for number, paragraph in enumerate(_paragraphs(document.element.body), start=1):
        text = numbering.label(paragraph) + paragraph_text(paragraph)
        for line in text.split("\n"):
            yield number, line


def _paragraphs(container) -> Iterator:
    """The paragraph elements of the body or of a table cell, descending into tables row by row.

    Read from the XML directly: python-docx's proxies cost more than the rest of the import for
    a 2,000-question document. A cell spanning several columns is one ``w:tc``, read once;
    content controls (``w:sdt``) are read through. Text boxes and headers are not the list.
    """
    for child in container.iterchildren(P, TABLE, CONTENT_CONTROL):
        if child.tag == P:
            yield child
        elif child.tag == TABLE:
            for row in child.iterchildren(ROW):
                for cell in row.iterchildren(CELL):
                    yield from _paragraphs(cell)
        else:
            content = child.find(CONTENT)
            if content is not None:
                yield from _paragraphs(content)


def paragraph_text(paragraph) -> str:
    """The text Word shows in a paragraph: runs, also inside links and tracked insertions; tabs and line breaks."""
    parts: list[str] = []
    for child in paragraph.iterchildren(RUN, *RUN_CONTAINERS):
        for run in ([child] if child.tag == RUN else child.iter(RUN)):
            for item in run:
                if item.tag == TEXT:
                    parts.append(item.text or "")
                elif item.tag in TABS:
                    parts.append("\t")
                elif item.tag == CARRIAGE_RETURN or (item.tag == BREAK and item.get(BREAK_TYPE) in (None, "textWrapping")):
                    parts.append("\n")
                elif item.tag == NO_BREAK_HYPHEN:
                    parts.append("-")
    return "".join(parts)


class ListNumbering:
    """The labels Word draws for numbered paragraphs ("1." "（2）" "A." "一、"), counted as Word does.

    A paragraph is numbered by its own ``w:numPr`` or its style's. Each list (``w:numId``) keeps a
    counter per level; a level's counter restarts when a higher level moves on. Bullets give no label.
    """

    def __init__(self, document) -> None:
        """Read the numbering definitions of ``document`` (none is fine)."""
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_numbering = _style_numbering(document, qn)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {node.get(qn("w:abstractNumId")): self._levels(node) for node in root.iter(qn("w:abstractNum"))}
        for num in root.iter(qn("w:num")):
            reference = num.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(reference.get(qn("w:val")) if reference is not None else None, {}))
            for override in num.iter(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                level = int(override.get(qn("w:ilvl"), "0"))
                if start is not None and level in levels:
                    fmt, text, _ = levels[level]
                    levels[level] = (fmt, text, int(start.get(qn("w:val"))))
            self.levels[num.get(qn("w:numId"))] = levels

    def _levels(self, abstract) -> dict[int, tuple[str, str, int]]:
        """Each level of an abstract list: (number format, label pattern such as "%1.", start)."""
        qn = self.qn
        levels = {}
        for level in abstract.iter(qn("w:lvl")):
            fmt = level.find(qn("w:numFmt"))
            text = level.find(qn("w:lvlText"))
            start = level.find(qn("w:start"))
            levels[int(level.get(qn("w:ilvl"), "0"))] = (
                fmt.get(qn("w:val")) if fmt is not None else "decimal",
                text.get(qn("w:val")) if text is not None else "",
                int(start.get(qn("w:val"))) if start is not None else 1,
            )
        return levels

    def label(self, paragraph) -> str:
        """The label Word shows before ``paragraph`` followed by a space, or "" when it has none."""
        num_id, level = self._numbering_of(paragraph)
        levels = self.levels.get(num_id)
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, pattern, start = levels[level]
        counters[level] = counters[level] + 1 if level in counters else start
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if fmt in ("bullet", "none") or not pattern:
            return ""

        def number(match: re.Match) -> str:
            """One %n of the pattern: that level's counter in that level's format."""
            shown = int(match.group(1)) - 1
            shown_fmt = levels.get(shown, (fmt, "", 1))[0]
            return format_number(counters.get(shown, levels.get(shown, ("", "", 1))[2]), shown_fmt)

        return re.sub(r"%([1-9])", number, pattern) + " "

    def _numbering_of(self, paragraph) -> tuple[str | None, int]:
        """The list id and level of a paragraph, from its own properties or else from its style."""
        qn = self.qn
        properties = paragraph.find(qn("w:pPr"))
        num_pr = properties.find(qn("w:numPr")) if properties is not None else None
        style = properties.find(qn("w:pStyle")) if properties is not None else None
        style_pr = self.style_numbering.get(style.get(qn("w:val")) if style is not None else None)
        if num_pr is None and style_pr is None:
            return None, 0
        num_id = _value(num_pr, qn, "w:numId") or _value(style_pr, qn, "w:numId")
        level = _value(num_pr, qn, "w:ilvl") or _value(style_pr, qn, "w:ilvl") or "0"
        return (None if num_id in (None, "0") else num_id), int(level)


def _style_numbering(document, qn) -> dict[str, object]:
    """The ``w:numPr`` of each paragraph style that numbers its paragraphs (e.g. "List Number")."""
    found = {}
    for style in document.styles.element.iter(qn("w:style")):
        properties = style.find(qn("w:pPr"))
        num_pr = properties.find(qn("w:numPr")) if properties is not None else None
        if num_pr is not None:
            found[style.get(qn("w:styleId"))] = num_pr
    return found


def _value(element, qn, tag: str) -> str | None:
    """The ``w:val`` of the child ``tag`` of ``element``, if both exist."""
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


def format_number(value: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (the ones Chinese documents use)."""
    if fmt in ("upperLetter", "lowerLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("A") + rest) + letters
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt.startswith(("chineseCounting", "ideographDigital", "taiwaneseCounting", "japaneseCounting")):
        return chinese_number(value)
    if fmt == "ideographTraditional" and 1 <= value <= len(HEAVENLY_STEMS):
        return HEAVENLY_STEMS[value - 1]
    if fmt == "decimalEnclosedCircle" and 1 <= value <= len(CIRCLED):
        return CIRCLED[value - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(digit) + 0xFEE0) for digit in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)
