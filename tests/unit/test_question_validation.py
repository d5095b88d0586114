"""Does each rule of docs/question-format.md accept what organizers write and name what is wrong?"""
import pytest

from question_bank.schema import QuestionDraft, QuestionType, Stage, stem_hash, stem_key
from question_bank.validation import (
    Issue,
    KnownStem,
    bank_duplicate_issues,
    clean_text,
    duplicate_issues,
    similar_stem_warnings,
    validate_cells,
)
from question_bank.schema import comparable_stem


def cells(**values) -> dict[str, str]:
    """A valid single-choice row, with ``values`` replacing or adding cells."""
    row = {"type": "单选", "stem": "哪一项正确？", "option_a": "甲", "option_b": "乙", "option_c": "丙", "answer": "A"}
    return row | values


def issues_of(**values) -> list[Issue]:
    """The issues of a row built by :func:`cells`."""
    draft, issues = validate_cells(cells(**values))
    assert (draft is None) == bool(issues)
    return issues


def only_issue(**values) -> Issue:
    """The single issue of a row that breaks exactly one rule."""
    issues = issues_of(**values)
    assert len(issues) == 1, issues
    return issues[0]


def draft_of(**values) -> QuestionDraft:
    """The draft of a row that must be valid."""
    draft, issues = validate_cells(cells(**values))
    assert not issues, issues
    return draft


def test_empty_stem_is_refused():
    """Is a row without a stem refused on the stem column?"""
    assert only_issue(stem="  ") == Issue("stem", "题干不能为空")


def test_stem_keeps_its_line_breaks_and_loses_outer_spaces():
    """Is a stem stored as written, line breaks included, without the stray spaces around it?"""
    assert draft_of(stem="  第一行\n第二行  ").stem == "第一行\n第二行"


def test_control_characters_and_soft_breaks_are_cleaned():
    """Are Word's soft line break and invisible control characters made harmless?"""
    assert clean_text("甲\x0b乙\r\n丙\r丁\x01\x7f") == "甲\n乙\n丙\n丁"


@pytest.mark.parametrize("written, expected", [
    ("单选", QuestionType.SINGLE), ("单选题", QuestionType.SINGLE), ("单项选择题", QuestionType.SINGLE),
    ("single", QuestionType.SINGLE), ("多选", QuestionType.MULTI), ("MULTI", QuestionType.MULTI),
    ("判断", QuestionType.TRUE_FALSE), ("true_false", QuestionType.TRUE_FALSE),
    ("简答", QuestionType.OPEN), ("open", QuestionType.OPEN),
])
def test_type_spellings(written, expected):
    """Is each accepted spelling of a type read as the canonical type?"""
    row = {"type": written, "stem": "题", "answer": "对" if expected == QuestionType.TRUE_FALSE else "A"}
    if expected.is_choice:
        row |= {"option_a": "甲", "option_b": "乙"}
    draft, issues = validate_cells(row)
    assert not issues and draft.type == expected


def test_unknown_type_is_named():
    """Is an unknown type refused with the value and the accepted ones?"""
    issue = only_issue(type="填空")
    assert issue.key == "type" and "未知题型「填空」" in issue.message and "单选、多选、判断 或 简答" in issue.message


def test_missing_type_is_refused():
    """Is a row without a type refused on the type column?"""
    assert only_issue(type="").key == "type"


def test_missing_answer_is_refused():
    """Is a row without an answer refused with 缺少答案?"""
    assert only_issue(answer="") == Issue("answer", "缺少答案")


@pytest.mark.parametrize("written", ["b", "Ｂ", " B "])
def test_single_answer_letter_is_normalised(written):
    """Are lower-case and full-width letters read as the capital letter?"""
    assert draft_of(answer=written).answer == "B"


def test_single_choice_takes_one_letter_only():
    """Is a single-choice answer of two letters refused?"""
    issue = only_issue(answer="AB")
    assert issue.key == "answer" and "单选题只能有一个答案字母" in issue.message


@pytest.mark.parametrize("written", ["AC", "A,C", "A、C", "A C", "A，C", "CA", "a, c", "ACA"])
def test_multi_answer_separators(written):
    """Is every separator of the format (and none) read as the same sorted letters?"""
    assert draft_of(type="多选", answer=written).answer == "AC"


def test_multi_answer_may_have_one_letter():
    """Is a multiple-choice question with one right option accepted (不定项)?"""
    assert draft_of(type="多选", answer="B").answer == "B"


def test_answer_letter_must_be_an_option():
    """Is an answer letter beyond the filled options refused, naming the letter and the options?"""
    issue = only_issue(answer="E")
    assert issue == Issue("answer", "答案「E」不是已有的选项（A–C）")


def test_answer_that_is_not_letters_is_refused():
    """Is option text written as the answer refused with the expected form?"""
    issue = only_issue(answer="甲")
    assert issue.key == "answer" and "应为选项字母" in issue.message


@pytest.mark.parametrize("written", ["对", "正确", "√", "T", "true", "TRUE", "y", "Y"])
def test_true_spellings(written):
    """Is each spelling of "true" read as 对?"""
    assert validate_cells({"type": "判断", "stem": "题", "answer": written})[0].answer == "对"


@pytest.mark.parametrize("written", ["错", "错误", "×", "F", "false", "FALSE", "n", "N"])
def test_false_spellings(written):
    """Is each spelling of "false" read as 错?"""
    assert validate_cells({"type": "判断", "stem": "题", "answer": written})[0].answer == "错"


def test_bad_true_false_value_is_refused():
    """Is a true/false answer that is none of the spellings refused, listing them?"""
    _, issues = validate_cells({"type": "判断", "stem": "题", "answer": "是"})
    assert issues == [Issue("answer", "判断题答案「是」无法识别，应为 对/错、正确/错误、√/×、T/F、true/false 或 Y/N")]


def test_open_answer_is_kept_as_written():
    """Is an open question's reference answer kept exactly?"""
    draft, _ = validate_cells({"type": "简答", "stem": "题", "answer": "一、减税\n二、降费"})
    assert draft.answer == "一、减税\n二、降费"


@pytest.mark.parametrize("written, expected", [("10", 10), ("10.0", 10), ("0", 0), ("１０", 10), ("", None)])
def test_points_whole_numbers(written, expected):
    """Are whole points (also as 10.0 or in full width) accepted, and empty left to the stage?"""
    assert draft_of(points=written).points == expected


@pytest.mark.parametrize("written, message", [
    ("十分", "分值「十分」不是整数"),
    ("10.5", "分值「10.5」不是整数"),
    ("-5", "分值「-5」应在 0 到 10000 之间"),
    ("10001", "分值「10001」应在 0 到 10000 之间"),
])
def test_points_that_are_not_whole_numbers(written, message):
    """Are points that are not a whole number from 0 refused with the value named?"""
    assert only_issue(points=written) == Issue("points", message)


@pytest.mark.parametrize("written, expected", [
    ("易", 1), ("中", 2), ("难", 3), ("1", 1), ("2", 2), ("3", 3),
    ("easy", 1), ("Medium", 2), ("HARD", 3), ("", None),
])
def test_difficulty_spellings(written, expected):
    """Is each accepted difficulty read as 1–3?"""
    assert draft_of(difficulty=written).difficulty == expected


def test_bad_difficulty_is_refused():
    """Is an unknown difficulty refused on its column?"""
    assert only_issue(difficulty="很难").key == "difficulty"


@pytest.mark.parametrize("written, expected", [
    ("必答", Stage.REQUIRED), ("速答", Stage.SPEED), ("抢答", Stage.BUZZER), ("风险", Stage.RISK),
    ("加赛", Stage.TIEBREAK), ("抢答题", Stage.BUZZER), ("required", Stage.REQUIRED), ("Tiebreak", Stage.TIEBREAK),
    ("", None),
])
def test_stage_spellings(written, expected):
    """Is each stage, in Chinese or English, read as the key the contest engine uses?"""
    assert draft_of(stage=written).stage == expected


def test_bad_stage_is_refused():
    """Is an unknown stage refused on its column?"""
    assert only_issue(stage="决赛").key == "stage"


@pytest.mark.parametrize("written", ["0", "3601", "半分钟"])
def test_bad_time_limit_is_refused(written):
    """Is a time limit that is not 1–3600 whole seconds refused?"""
    assert only_issue(time_limit=written).key == "time_limit"


def test_time_limit_in_seconds():
    """Is a time limit read as whole seconds?"""
    assert draft_of(time_limit="30").time_limit == 30


def test_options_must_be_contiguous():
    """Is a gap among the options refused on the empty option, naming the filled one after it?"""
    issue = only_issue(option_c="", option_d="丁")
    assert issue.key == "option_c" and "选项C为空，但后面的选项D有内容" in issue.message


def test_choice_needs_two_options():
    """Is a choice question with one option refused on the first missing option?"""
    issue = only_issue(option_b="", option_c="")
    assert issue == Issue("option_b", "单选题至少需要 2 个选项，现有 1 个")


@pytest.mark.parametrize("qtype, answer", [("判断", "对"), ("简答", "参考答案")])
def test_options_on_true_false_or_open_are_refused(qtype, answer):
    """Are options on a true/false or open question refused rather than silently dropped?"""
    _, issues = validate_cells({"type": qtype, "stem": "题", "option_a": "对", "answer": answer})
    assert [issue.key for issue in issues] == ["option_a"]


def test_true_false_answer_is_judged_even_with_stray_options():
    """Is a bad true/false answer reported together with stray options, not after fixing them?"""
    _, issues = validate_cells({"type": "判断", "stem": "题", "option_a": "甲", "answer": "是"})
    assert [issue.key for issue in issues] == ["option_a", "answer"]


def test_tags_are_split_and_kept_once():
    """Are tags separated by , ， 、 or ; read once each, in order?"""
    assert draft_of(tags="个税，社保、个税; 人才,,").tags == ("个税", "社保", "人才")


def test_every_problem_of_a_row_is_reported():
    """Are all the problems of one row reported together, not only the first?"""
    issues = issues_of(stem="", answer="Z", points="x", difficulty="?", stage="?", time_limit="0")
    assert {issue.key for issue in issues} == {"stem", "answer", "points", "difficulty", "stage", "time_limit"}


def test_external_id_and_free_text_are_kept():
    """Are the id, category, explanation and source kept as written?"""
    draft = draft_of(id="001", category="人才", explanation="见第三条", source="《办法》")
    assert (draft.external_id, draft.category, draft.explanation, draft.source) == ("001", "人才", "见第三条", "《办法》")


def test_duplicate_stems_in_a_file_name_the_first_row():
    """Is a stem repeated in the same file reported on the later row, naming the first?"""
    first = QuestionDraft(QuestionType.OPEN, "同一题", "答", row=2)
    again = QuestionDraft(QuestionType.OPEN, "同一 题", "答", row=7)
    assert duplicate_issues([first, again]) == [(again, Issue("stem", "题干与第 2 行重复"))]


def test_duplicate_stems_against_the_bank():
    """Is a stem already in the bank reported with the existing question's number?"""
    draft = QuestionDraft(QuestionType.OPEN, "旧题", "答", row=3)
    found = bank_duplicate_issues([draft], {stem_hash("旧题"): 42})
    assert found == [(draft, Issue("stem", "题库中已有相同题干的题目（题目 #42）"))]


def test_stems_other_banks_hold_nearly_alike_give_one_warning_per_bank():
    """Are rows whose stem another bank holds (up to punctuation and spaces) named in one warning for that
    bank, and a row nearly repeating an earlier one of the file named with it?"""
    drafts = [QuestionDraft(QuestionType.OPEN, stem, "答", row=row) for row, stem in
              [(2, "小微企业的认定标准？（ ）"), (3, "新题"), (4, "研发费用 加计扣除比例?"), (5, "新题。")]]
    known = {comparable_stem("小微企业的认定标准( )"): KnownStem("甲题库", 7),
             comparable_stem("研发费用加计扣除比例？"): KnownStem("甲题库", 9)}
    assert similar_stem_warnings(drafts, known) == [
        "有 2 题与题库「甲题库」中的题目题干相同或几乎相同（第 2、4 行），同一场比赛只会抽到其中一题",
        "第 5 行与第 3 行题干几乎相同（只差标点或空格），同一场比赛只会抽到其中一题",
    ]


def test_a_long_list_of_similar_rows_is_shortened():
    """Does a warning about many rows list the first ten and then 等?"""
    drafts = [QuestionDraft(QuestionType.OPEN, f"题{i}", "答", row=i) for i in range(2, 62)]
    known = {comparable_stem(f"题{i}"): KnownStem("乙", i) for i in range(2, 62)}
    assert similar_stem_warnings(drafts, known, "条") == [
        "有 60 题与题库「乙」中的题目题干相同或几乎相同（第 2、3、4、5、6、7、8、9、10、11 条等），同一场比赛只会抽到其中一题"]


def test_stem_key_ignores_width_case_and_spaces():
    """Do stems that differ only in width, case or spaces count as the same?"""
    assert stem_key("小微企业 所得税？ABC") == stem_key("小微企业所得税?abc")
    assert stem_hash("a b") == stem_hash("AB")
