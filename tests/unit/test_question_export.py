"""Does an export open safely in Excel and come back through the import exactly as it went out?"""
import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from question_bank.export import TEMPLATE_DRAFTS, export_bytes, export_keys, template_bytes, to_csv, to_xlsx
from question_bank.formats import parse_file
from question_bank.schema import OPTION_LETTERS, QuestionDraft, QuestionType, Stage, stem_key
from web.spreadsheets import FORMULA_STARTS, Table, neutralise, unneutralise, xlsx_bytes

DANGEROUS = ["=1+1", "+86 10 1234", "-5%", "@SUM(A1)", "'引号开头", "''两个引号", "=HYPERLINK(\"http://x\")"]

# Text as organizers write it: letters, digits, punctuation, symbols, spaces, line breaks; stored
# without outer spaces (the import trims them). Formula starts are mixed in on purpose.
cell_text = st.text(
    alphabet=st.one_of(
        st.characters(categories=["L", "M", "N", "P", "S", "Zs"]),
        st.sampled_from(["\n", "'", "=", "+", "-", "@", ",", '"', "\t"]),
    ),
    max_size=30,
).map(str.strip)
filled_text = cell_text.filter(bool)
tag = filled_text.filter(lambda text: not any(mark in text for mark in ",，、;；")).map(str.strip).filter(bool)


@st.composite
def drafts(draw) -> QuestionDraft:
    """A random valid draft of any type, with every optional field sometimes empty."""
    qtype = draw(st.sampled_from(list(QuestionType)))
    options: tuple[str, ...] = ()
    if qtype.is_choice:
        options = tuple(draw(st.lists(filled_text, min_size=2, max_size=8)))
        letters = draw(st.sets(st.sampled_from(OPTION_LETTERS[: len(options)]), min_size=1,
                               max_size=1 if qtype == QuestionType.SINGLE else len(options)))
        answer = "".join(sorted(letters))
    elif qtype == QuestionType.TRUE_FALSE:
        answer = draw(st.sampled_from(["对", "错"]))
    else:
        answer = draw(filled_text)
    return QuestionDraft(
        type=qtype, stem=draw(filled_text), answer=answer, options=options,
        points=draw(st.none() | st.integers(0, 10_000)),
        difficulty=draw(st.none() | st.integers(1, 3)),
        category=draw(cell_text), stage=draw(st.none() | st.sampled_from(list(Stage))),
        explanation=draw(cell_text), source=draw(cell_text),
        time_limit=draw(st.none() | st.integers(1, 3600)),
        tags=tuple(dict.fromkeys(draw(st.lists(tag, max_size=3)))),
        external_id=draw(cell_text),
    )


question_sets = st.lists(drafts(), min_size=1, max_size=6, unique_by=lambda draft: stem_key(draft.stem))


@pytest.mark.parametrize("extension", ["xlsx", "csv", "json"])
@settings(max_examples=40, deadline=None)
@given(questions=question_sets)
def test_round_trip(extension, questions):
    """Does export then import give the same questions, in every format?"""
    result = parse_file(f"export.{extension}", export_bytes(questions, extension))
    assert result.problems == [] and result.warnings == []
    assert result.drafts == questions


@given(text=st.text())
def test_neutralise_is_undone_exactly(text):
    """Does stripping the apostrophe give back every text, whatever it starts with?"""
    assert unneutralise(neutralise(text)) == text
    assert not neutralise(text).startswith(FORMULA_STARTS[:-1])


def test_an_organizers_own_apostrophe_is_kept():
    """Is a leading apostrophe that the export did not add left alone on import?"""
    assert unneutralise("'据说") == "'据说"
    assert unneutralise("'=1") == "=1"


def dangerous_drafts() -> list[QuestionDraft]:
    """Open questions whose every text starts like a formula."""
    return [QuestionDraft(QuestionType.OPEN, text, answer=text, explanation=text, category=text) for text in DANGEROUS]


def test_xlsx_cells_never_hold_formulas():
    """Does no exported .xlsx cell become a formula, and does each dangerous text get its apostrophe?"""
    sheet = load_workbook(io.BytesIO(to_xlsx(dangerous_drafts()))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value not in (None, "简答")]
    assert len(cells) == 4 * len(DANGEROUS) and all(cell.data_type == "s" for cell in cells)
    assert all(cell.value.startswith("'") for cell in cells)


def test_csv_cells_are_neutralised_and_excel_friendly():
    """Does the .csv start with a BOM, and does no field start with = + - @?"""
    data = to_csv(dangerous_drafts())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert all(not field.startswith(("=", "+", "-", "@")) for row in rows[1:] for field in row)
    assert rows[1][2] == "'=1+1"


def test_json_keeps_text_as_is():
    """Is JSON, which no spreadsheet runs, written with the texts untouched and English keys?"""
    document = json.loads(export_bytes(dangerous_drafts(), "json"))
    assert document["questions"][0]["stem"] == "=1+1" and document["questions"][0]["type"] == "open"


def test_options_columns_cover_the_widest_question():
    """Are option columns written up to the widest question's last option, and at least to D?"""
    wide = QuestionDraft(QuestionType.SINGLE, "题", "A", options=tuple("甲乙丙丁戊己"))
    assert "option_f" in export_keys([wide]) and "option_g" not in export_keys([wide])
    assert "option_d" in export_keys(list(TEMPLATE_DRAFTS[2:]))


@pytest.mark.parametrize("extension", ["xlsx", "csv", "json"])
def test_template_has_one_example_of_each_type(extension):
    """Does each template hold one valid example row per question type?"""
    result = parse_file(f"模板.{extension}", template_bytes(extension))
    assert result.problems == [] and sorted(d.type for d in result.drafts) == sorted(QuestionType)


def test_xlsx_template_explains_the_columns():
    """Does the .xlsx template carry a sheet that explains each column, after the questions?"""
    workbook = load_workbook(io.BytesIO(template_bytes("xlsx")))
    assert workbook.sheetnames == ["题库", "填写说明"]
    assert workbook["填写说明"]["A2"].value.startswith("题型")


def test_unknown_export_format():
    """Is an export to an unsupported extension refused with a Chinese message?"""
    with pytest.raises(ValueError, match="不支持导出为 .xls"):
        export_bytes(list(TEMPLATE_DRAFTS), "xls")


@pytest.mark.parametrize("hidden", ["\x01", "\x1f", "\x0b", "\ufeff", "\u200b", "\ud800"])
def test_the_sheet_writer_cleans_before_it_neutralises_headers_included(hidden):
    """Is a formula behind a control character (or a lone surrogate) shown as text, in a header as in a cell?"""
    formula = '=HYPERLINK("http://evil.example","点此")'
    data = xlsx_bytes([Table("审计", (hidden + formula, "原因"), (14, 14), ((1, hidden + formula),))])
    sheet = load_workbook(io.BytesIO(data))["审计"]
    for cell in (sheet["A1"], sheet["B2"]):
        assert cell.data_type == "s" and cell.value == "'" + formula, cell.value
