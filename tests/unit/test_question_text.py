"""Is a question list written as text (.txt, pasted, or a Word document's lines) understood as written?

Every numbering, option, answer and heading style of docs/question-format.md, mixed punctuation,
a 200-question document, and malformed questions, each with the message the organizer reads.
"""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from question_bank.export import TEMPLATE_DRAFTS, export_bytes
from question_bank.formats import FormatError, parse_file
from question_bank.schema import QuestionDraft, QuestionType, Stage
from question_bank.text_format import chinese_number
from tests.question_files import office_drafts

ROOT = Path(__file__).resolve().parents[2]


def read(text: str, **limits):
    """Parse ``text`` as a .txt upload."""
    return parse_file("题库.txt", text.encode("utf-8"), **limits)


def only_draft(text: str) -> QuestionDraft:
    """The one question of ``text``, which must have no problem."""
    result = read(text)
    assert result.problems == [], [str(problem) for problem in result.problems]
    (draft,) = result.drafts
    return draft


def messages(text: str) -> list[str]:
    """Every problem of ``text`` as the organizer reads it."""
    return [str(problem) for problem in read(text).problems]


# ----------------------------------------------------------------------------------- numbering


@pytest.mark.parametrize("number", ["1.", "1、", "1．", "1)", "1）", "（1）", "(1)", "第1题", "第 1 题：", "１．", "1 ."])
def test_every_numbering_style_starts_a_question(number):
    """Does each way of numbering a question start one, the number not kept in the stem?"""
    draft = only_draft(f"{number}增值税的基本税率是多少？\nA. 13%\nB. 9%\n答案：A")
    assert draft.stem == "增值税的基本税率是多少？"


def test_a_decimal_is_no_numbering():
    """Is "1.5倍" read as text of the stem, not as question 1?"""
    draft = only_draft("1. 加计扣除比例为\n1.5倍还是2倍？\n答案：2倍")
    assert draft.stem == "加计扣除比例为\n1.5倍还是2倍？"


# ----------------------------------------------------------------------------------- options


@pytest.mark.parametrize("style", ["{}.", "{}、", "{}．", "{})", "{}）", "({})", "（{}）", "{}. ", "{} ."])
def test_every_option_style_on_its_own_lines(style):
    """Does each way of lettering an option give the options A, B, C in order?"""
    lines = "\n".join(f"{style.format(letter)}{text}" for letter, text in zip("ABC", ["13%", "9%", "6%"]))
    draft = only_draft(f"1. 增值税的基本税率是多少？\n{lines}\n答案：A")
    assert draft.options == ("13%", "9%", "6%") and draft.type == QuestionType.SINGLE


@pytest.mark.parametrize("line", [
    "A.13%  B.9%  C.6%  D.0%", "A、13%\tB、9%\tC、6%\tD、0%", "Ａ．13%　Ｂ．9%　Ｃ．6%　Ｄ．0%", "a) 13% b) 9% c) 6% d) 0%",
])
def test_options_on_one_line(line):
    """Are options written on one line (spaces, tabs, full-width) split at each letter?"""
    assert only_draft(f"1. 增值税的基本税率是多少？\n{line}\n答案：A").options == ("13%", "9%", "6%", "0%")


def test_options_two_per_line():
    """Are options laid out two per line (as in a printed paper) read in order?"""
    draft = only_draft("1. 税率？\nA. 13%   B. 9%\nC. 6%   D. 0%\n答案：C")
    assert draft.options == ("13%", "9%", "6%", "0%") and draft.answer == "C"


def test_a_letter_inside_an_option_does_not_split_it():
    """Is "维生素 B." inside option A kept, since B does not follow A as the next option there?"""
    draft = only_draft("1. 哪一项？\nA. 甲 C. 丙\nB. 乙\n答案：B")
    assert draft.options == ("甲 C. 丙", "乙")


# ----------------------------------------------------------------------------------- answers


@pytest.mark.parametrize("line, answer", [
    ("答案：B", "B"), ("答案:B", "B"), ("答案： b", "B"), ("【答案】B", "B"), ("[答案] B", "B"), ("正确答案：B", "B"),
    ("参考答案：B", "B"), ("答案：Ｂ", "B"),
])
def test_every_answer_style_for_a_choice(line, answer):
    """Does each way of writing the answer line give the answer letter?"""
    assert only_draft(f"1. 税率？\nA. 13%\nB. 9%\n{line}").answer == answer


def test_a_full_stop_after_the_answer_is_punctuation():
    """Is "答案：B。" the answer B, and "答案：对。" 对, while an open answer keeps its full stop?"""
    assert only_draft("1. 税率？\nA. 13%\nB. 9%\n答案：B。").answer == "B"
    assert only_draft("判断题\n1. 对吗？\n答案：对。").answer == "对"
    assert only_draft("简答题\n1. 说说？\n答案：要点。").answer == "要点。"


@pytest.mark.parametrize("written", ["AC", "A、C", "A,C", "A，C", "A C", "ca"])
def test_multiple_choice_answers(written):
    """Are multiple-choice letters read in any of the separators, under a 多选 heading?"""
    draft = only_draft(f"二、多选题\n1. 哪些？\nA. 甲\nB. 乙\nC. 丙\n【答案】{written}")
    assert (draft.type, draft.answer) == (QuestionType.MULTI, "AC")


@pytest.mark.parametrize("written, answer", [("对", "对"), ("错", "错"), ("√", "对"), ("×", "错"), ("正确", "对"), ("错误", "错")])
def test_true_false_answers(written, answer):
    """Are 对/错/√/×/正确/错误 read as the true/false answer?"""
    draft = only_draft(f"三、判断题\n1. 小微企业可以享受优惠。\n正确答案：{written}")
    assert (draft.type, draft.answer) == (QuestionType.TRUE_FALSE, answer)


@pytest.mark.parametrize("bracket, answer", [("（ B ）", "B"), ("(B)", "B"), ("（b）", "B"), ("（ A、C ）", "AC")])
def test_answer_marked_in_the_stems_brackets(bracket, answer):
    """Is the answer in the stem's brackets taken, the brackets left blank and a note kept?"""
    heading = "多选题" if len(answer) > 1 else "单选题"
    result = read(f"{heading}\n1. 下列正确的是{bracket}。\nA. 甲\nB. 乙\nC. 丙")
    assert result.problems == []
    assert result.drafts[0].answer == answer and result.drafts[0].stem == "下列正确的是（  ）。".replace(
        "（", bracket[0]).replace("）", bracket[-1])
    assert "取自题干括号" in result.rows[0].notes[0]


@pytest.mark.parametrize("mark, answer", [("（√）", "对"), ("(×)", "错"), ("（对）", "对")])
def test_true_false_answer_in_brackets(mark, answer):
    """Is a √ or × in the stem's brackets the true/false answer?"""
    draft = only_draft(f"判断题\n1. 基本养老保险实行社会统筹与个人账户相结合{mark}")
    assert draft.answer == answer and draft.type == QuestionType.TRUE_FALSE


def test_brackets_that_repeat_the_answer_line_are_blanked():
    """With both, are brackets that repeat the answer blanked (the projector must not show it)?"""
    result = read("1. 下列正确的是（ B ）\nA. 甲\nB. 乙\n答案：B")
    assert result.drafts[0].stem == "下列正确的是（  ）"
    assert "与答案行相同" in result.rows[0].notes[0]


def test_brackets_that_differ_from_the_answer_line_are_text():
    """Is "（A）类企业" in a stem kept when the answer line says another letter?"""
    assert only_draft("1. （A）类企业是指？\nA. 甲\nB. 乙\n答案：B").stem == "（A）类企业是指？"


# ----------------------------------------------------------------------------------- fields


def test_every_field_line():
    """Are the optional lines (解析, 出处/依据, 分值, 难度, 分类, 轮次, 时限, 标签, 编号) read?"""
    draft = only_draft(
        "1. 税率？\nA. 13%\nB. 9%\n答案：A\n解析：基本税率为13%。\n依据：《增值税暂行条例》\n分值：10分\n难度：难\n"
        "分类：税务\n适用轮次：抢答\n时限：30秒\n标签：增值税，税率\n编号：ZZ-1")
    assert (draft.explanation, draft.source, draft.points, draft.difficulty, draft.category, draft.stage,
            draft.time_limit, draft.tags, draft.external_id) == (
        "基本税率为13%。", "《增值税暂行条例》", 10, 3, "税务", Stage.BUZZER, 30, ("增值税", "税率"), "ZZ-1")


@pytest.mark.parametrize("label", ["出处：", "政策出处：", "依据：", "政策依据：", "【出处】", "来源:"])
def test_source_labels(label):
    """Is each way of naming the policy source read as the source?"""
    assert only_draft(f"1. 题？\n答案：对\n{label}《社会保险法》").source == "《社会保险法》"


def test_fields_on_the_answer_line():
    """Is "答案：B　解析：…" on one line read as two fields?"""
    draft = only_draft("1. 税率？\nA. 13%\nB. 9%\n答案：B　　解析：低税率。【出处】条例")
    assert (draft.answer, draft.explanation, draft.source) == ("B", "低税率。", "条例")


def test_a_stem_starting_with_a_label_word_stays_a_stem():
    """Is a stem "依据《…》规定，…" (no colon) read as the stem, not as the source?"""
    assert only_draft("1.\n依据《社会保险法》规定，养老保险由谁缴纳？\n答案：单位和个人").stem.startswith("依据《社会保险法》")


def test_fields_of_several_lines():
    """Do the stem, the explanation and an open answer keep their following lines?"""
    draft = only_draft("四、简答题\n1. 第一行\n第二行\n答案：要点一\n要点二\n解析：说明一\n说明二")
    assert (draft.stem, draft.answer, draft.explanation) == ("第一行\n第二行", "要点一\n要点二", "说明一\n说明二")


def test_numbered_points_of_an_open_answer():
    """Are "1、… 2、…" lines under a 简答 question's 参考答案 its points, with a note, not new questions?"""
    result = read("四、简答题\n5. 说出三项扣除。\n参考答案：\n1、子女教育\n2、继续教育\n3、赡养老人\n6. 下一题？\n答案：好")
    assert result.problems == []
    assert [draft.answer for draft in result.drafts] == ["1、子女教育\n2、继续教育\n3、赡养老人", "好"]
    assert "要点" in result.rows[0].notes[0]


# ----------------------------------------------------------------------------------- headings and types


@pytest.mark.parametrize("heading, qtype", [
    ("一、单选题", QuestionType.SINGLE), ("一、单项选择题（每题2分，共20分）", QuestionType.SINGLE),
    ("二、多选题", QuestionType.MULTI), ("二．多项选择题", QuestionType.MULTI), ("（二）不定项选择题", QuestionType.MULTI),
    ("第一部分 单选题", QuestionType.SINGLE), ("多选题", QuestionType.MULTI),
])
def test_choice_headings_set_the_type(heading, qtype):
    """Does each heading style set the type of the questions under it (a one-letter 多选 stays 多选)?"""
    draft = only_draft(f"{heading}\n1. 哪个？\nA. 甲\nB. 乙\n答案：A")
    assert draft.type == qtype


@pytest.mark.parametrize("heading, qtype, answer", [
    ("三、判断题", QuestionType.TRUE_FALSE, "对"), ("判断题", QuestionType.TRUE_FALSE, "错"),
    ("四、简答题", QuestionType.OPEN, "对"), ("四、问答题", QuestionType.OPEN, "要点"),
])
def test_other_headings_set_the_type(heading, qtype, answer):
    """Does a 判断 or 简答 heading set the type (an open answer "对" stays open)?"""
    assert only_draft(f"{heading}\n1. 说一说。\n答案：{answer}").type == qtype


def test_heading_points_apply_to_its_questions():
    """Does "（每题2分）" in a heading give its questions 2 points, unless a question says otherwise?"""
    result = read("一、单选题（每题2分）\n1. 甲？\nA. 1\nB. 2\n答案：A\n2. 乙？\nA. 1\nB. 2\n答案：B\n分值：5")
    assert [draft.points for draft in result.drafts] == [2, 5]


def test_types_without_headings_are_inferred_and_said_so():
    """Without headings, is the type read from the options and answer, with a warning to check?"""
    result = read("1. 甲？\nA. 1\nB. 2\n答案：A\n2. 乙？\nA. 1\nB. 2\n答案：AB\n3. 丙。\n答案：√\n4. 丁？\n答案：说明")
    assert [draft.type for draft in result.drafts] == [
        QuestionType.SINGLE, QuestionType.MULTI, QuestionType.TRUE_FALSE, QuestionType.OPEN]
    assert any("题型按选项和答案推断" in warning for warning in result.warnings)


def test_type_line_overrides_the_section():
    """Does a "题型：多选" line beat the section heading?"""
    assert only_draft("单选题\n1. 哪些？\nA. 1\nB. 2\n题型：多选\n答案：AB").type == QuestionType.MULTI


def test_title_lines_before_the_first_question_are_reported():
    """Are a document title and notes before question 1 ignored, and said so with their lines?"""
    result = read("2024年政策知识竞赛题库\n（内部资料）\n\n1. 题？\n答案：对")
    assert result.warnings[0] == "第 1–2 行在第一道题之前，不是题目，已忽略：「2024年政策知识竞赛题库」"


def test_a_heading_without_a_type_is_reported():
    """Is "（一）税收政策" kept as a heading that sets no type, and said so?"""
    result = read("一、单选题\n（一）税收政策\n1. 哪个？\nA. 1\nB. 2\n答案：A")
    assert result.drafts[0].type == QuestionType.SINGLE
    assert result.warnings == ["第 2 行「（一）税收政策」看作标题，没有设定题型"]


def test_mixed_full_and_half_width_punctuation():
    """Is one document mixing full-width and half-width marks read the same as a tidy one?"""
    messy = ("一．单项选择题\n１、税率？\nＡ．13%　B.9%\n答案:Ａ\n(2)征收率？\nA、1\nB）2\n【答案】b\n"
             "二、判断题\n第３题：对吗？\n正确答案：√\n4．错吗？（×）")
    tidy = ("一、单选题\n1. 税率？\nA. 13%\nB. 9%\n答案：A\n2. 征收率？\nA. 1\nB. 2\n答案：B\n"
            "二、判断题\n3. 对吗？\n答案：对\n4. 错吗？\n答案：错")
    messy_drafts = read(messy).drafts
    assert [(d.type, d.options, d.answer) for d in messy_drafts] == [
        (d.type, d.options, d.answer) for d in read(tidy).drafts]
    assert messy_drafts[3].stem == "错吗？（  ）"


# ----------------------------------------------------------------------------------- malformed


@pytest.mark.parametrize("text, expected", [
    ("1. 题？\nA. 1\nB. 2\n2. 下一题？\n答案：对",
     "第 1 题（第 1 行）「答案」：找不到答案：请加一行“答案：…”，或把答案写在题干的括号里，如“（ B ）”"),
    ("单选题\n1. 题？\nA. 1\nB. 2\nC. 3\nD. 4\n答案：E", "第 1 题（第 7 行）「答案」：答案「E」不是已有的选项（A–D）"),
    ("单选题\n1. 题？\nA. 1\nC. 3\n答案：A", "第 1 题（第 4 行）「选项C」：选项C前面缺少选项B"),
    ("单选题\n1. 题？\nA. 1\nB. 2\nB. 3\n答案：A", "第 1 题（第 5 行）「选项B」：选项B出现了两次"),
    ("单选题\n1. 题？\nA. 1\n答案：A\nB. 2", "第 1 题（第 5 行）「选项B」：选项B写在了答案之后；选项须写在答案行前面"),
    ("单选题\n1. 题？\nA. 1\nB. 2\n答案：AB", "第 1 题（第 5 行）「答案」：单选题只能有一个答案字母，现为「AB」"),
    ("单选题\n1. 题？\nA. 1\n答案：A", "第 1 题（第 2 行）「选项B」：单选题至少需要 2 个选项，现有 1 个"),
    ("判断题\n1. 对吗？\n答案：是", "第 1 题（第 3 行）「答案」：判断题答案「是」无法识别，应为 对/错、正确/错误、√/×、T/F、true/false 或 Y/N"),
    ("判断题\n1. 对吗？\nA. 对\nB. 错\n答案：A",
     "第 1 题（第 3 行）「选项A」：判断题不应有选项行；若是选择题，请放到“单选题”或“多选题”标题下，或加一行“题型：单选”"),
    ("1. 题？\nA. 1\nB. 2\n这一行没有题号\n答案：A",
     "第 1 题（第 4 行）「选项B」：「这一行没有题号」没有题号，无法判断是选项B的续行还是一道新题；新题请加题号（如“2.”），续行请并到上一行"),
    ("1. 题？\nA. 1\nB. 2\n答案：A\n这一行没有题号",
     "第 1 题（第 5 行）「答案」：「这一行没有题号」没有题号，无法判断是「答案」的续行还是一道新题；新题请加题号（如“2.”），续行请并到上一行"),
    ("1. 题？\n答案：对\n答案：错", "第 1 题（第 3 行）「答案」：「答案」写了两次"),
    ("1. 题？\n答案：对\n分值：十分", "第 1 题（第 3 行）「分值」：分值「十分」不是整数"),
    ("1.\n答案：对", "第 1 题（第 1 行）「题干」：题干不能为空"),
    ("填空题\n1. 税率是____。\n答案：13%", "第 1 题（第 2 行）「题型」：未知题型「填空」，应为 单选、多选、判断 或 简答"),
    ("1. 同一题？\n答案：对\n2. 同一题?\n答案：对", "第 2 题（第 3 行）「题干」：题干与第 1 题重复"),
    ("四、简答题\n1. 说两项。\n答案：\n1、甲\n2、乙",
     "第 1 题（第 5 行）「答案」：「2、乙」既可能是参考答案的第 2 点，也可能是第 2 题；请把参考答案写成一行（如“答案：1.子女教育；2.继续教育”），或改正题号"),
])
def test_malformed_questions_name_the_question_and_line(text, expected):
    """Is each malformed question reported with its number, its line, the field and the fix?"""
    assert expected in messages(text)


def test_one_bad_question_does_not_hide_the_others():
    """Are the good questions of a list still read (for skip-invalid) when one is bad?"""
    result = read("1. 好？\n答案：对\n2. 坏？\nA. 1\nB. 2\n3. 好吗？\n答案：错")
    assert [draft.stem for draft in result.drafts] == ["好？", "好吗？"]
    assert result.problem_rows == {2}


@pytest.mark.parametrize("text", ["", "   \n\n", "这是一段说明，没有题号。\n答案：A"])
def test_a_text_without_questions_is_refused(text):
    """Is a text with no numbered question refused with how questions must be written?"""
    with pytest.raises(FormatError, match="没有找到题目|文件是空的"):
        read(text)


def test_too_many_questions():
    """Is a list over the question limit refused as a whole?"""
    text = "".join(f"{n}. 第{n}题？\n答案：对\n" for n in range(1, 7))
    with pytest.raises(FormatError, match="超过 5 题"):
        read(text, max_rows=5)
    assert len(read(text, max_rows=6).drafts) == 6


def test_text_in_gbk_is_read():
    """Is a .txt saved by Notepad in GBK read without asking for the encoding?"""
    result = parse_file("题库.txt", "1. 个人所得税？\n答案：对".encode("gbk"))
    assert result.drafts[0].stem == "个人所得税？"


# ----------------------------------------------------------------------------------- a whole document


STYLES = [  # (numbering, option marker, answer line, options on one line)
    ("{n}.", "{L}.", "答案：{a}", False), ("{n}、", "{L}、", "【答案】{a}", True), ("（{n}）", "（{L}）", "正确答案：{a}", False),
    ("第{n}题", "{L}）", "答案:{a}", True), ("{n}．", "{L}．", "参考答案：{a}", False),
]


def two_hundred_questions() -> tuple[str, list[tuple]]:
    """A 200-question list in four sections, every style cycling, and what each question must be."""
    lines, expected = [], []
    sections = [("一、单项选择题（每题2分）", QuestionType.SINGLE), ("二、多项选择题", QuestionType.MULTI),
                ("三、判断题", QuestionType.TRUE_FALSE), ("四、简答题", QuestionType.OPEN)]
    for block, (heading, qtype) in enumerate(sections):
        lines.append(heading)
        for n in range(block * 50 + 1, block * 50 + 51):
            number, marker, answer_line, one_line = STYLES[n % len(STYLES)]
            stem = f"关于第{n}项政策的表述，下列哪项符合规定？"
            options = [f"第{n}题的选项{letter}" for letter in "ABCD"] if qtype.is_choice else []
            answer = {QuestionType.SINGLE: "ABCD"[n % 4], QuestionType.MULTI: "AC",
                      QuestionType.TRUE_FALSE: "对" if n % 2 else "错", QuestionType.OPEN: f"第{n}题的参考答案"}[qtype]
            lines.append(number.format(n=n) + stem)
            marked = [marker.format(L=letter) + text for letter, text in zip("ABCD", options)]
            lines += ["    ".join(marked)] if one_line and marked else marked
            lines.append(answer_line.format(a=answer))
            if n % 3 == 0:
                lines.append(f"解析：第{n}题的解析。")
            expected.append((qtype, stem, tuple(options), answer))
    return "\n".join(lines), expected


def test_a_200_question_document():
    """Are all 200 questions of a four-section document read exactly, with no problem?"""
    text, expected = two_hundred_questions()
    result = read(text)
    assert result.problems == [] and result.warnings == []
    assert [(d.type, d.stem, d.options, d.answer) for d in result.drafts] == expected
    assert all(d.points == 2 for d in result.drafts[:50]) and result.drafts[50].points is None
    assert result.drafts[2].explanation == "第3题的解析。"


# ----------------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("extension", ["txt", "docx"])
def test_the_shipped_sample_bank_round_trips(extension):
    """Does the sample bank (240 questions), exported to .docx or .txt by the platform, import back identical?"""
    bank = parse_file("policy_bank.json", (ROOT / "question_bank" / "samples" / "policy_bank.json").read_bytes()).drafts
    assert len(bank) == 240
    assert parse_file(f"示例题库.{extension}", export_bytes(bank, extension)).drafts == bank


@pytest.mark.parametrize("extension", ["txt", "docx"])
def test_export_reads_back_identical(extension):
    """Does the platform's own .txt and .docx export import back to the very same questions?"""
    drafts = office_drafts()
    result = parse_file(f"导出.{extension}", export_bytes(drafts, extension))
    assert result.problems == [] and result.warnings == []
    assert result.drafts == drafts


CJK = "政策税收企业小微社保人才金融产业规定办法条例年月日的是否为"
plain_text = st.text(alphabet=CJK + "0123456789%，。？ ", min_size=1, max_size=30).map(
    lambda text: "政" + text.strip()).filter(lambda text: "  " not in text)

tag_text = st.text(alphabet=CJK + "0123456789", min_size=1, max_size=10)


@st.composite
def drafts(draw) -> QuestionDraft:
    """Any valid question whose texts are single lines of ordinary words."""
    qtype = draw(st.sampled_from(list(QuestionType)))
    options = tuple(draw(st.lists(plain_text, min_size=2, max_size=8))) if qtype.is_choice else ()
    if qtype.is_choice:
        letters = draw(st.sets(st.sampled_from("ABCDEFGH"[: len(options)]), min_size=1,
                               max_size=1 if qtype == QuestionType.SINGLE else len(options)))
        answer = "".join(sorted(letters))
    else:
        answer = draw(st.sampled_from(["对", "错"]) if qtype == QuestionType.TRUE_FALSE else plain_text)
    return QuestionDraft(
        type=qtype, stem=draw(plain_text), answer=answer, options=options,
        points=draw(st.none() | st.integers(0, 10_000)), difficulty=draw(st.none() | st.integers(1, 3)),
        category=draw(st.just("") | plain_text), stage=draw(st.none() | st.sampled_from(list(Stage))),
        explanation=draw(st.just("") | plain_text), source=draw(st.just("") | plain_text),
        time_limit=draw(st.none() | st.integers(1, 3600)),
        tags=tuple(dict.fromkeys(draw(st.lists(tag_text, max_size=3)))), external_id=draw(st.just("") | plain_text),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(drafts(), min_size=1, max_size=6, unique_by=lambda draft: draft.stem.replace(" ", "")))
def test_any_bank_survives_the_text_round_trip(bank):
    """For any bank of ordinary one-line texts, does export to .txt then import give it back?"""
    assert read(export_bytes(bank, "txt").decode("utf-8-sig")).drafts == bank


def test_chinese_numbers():
    """Are 1–99 written as 一 … 十 … 二十三 … 九十九, and larger numbers in digits?"""
    assert [chinese_number(n) for n in (1, 10, 11, 20, 23, 99, 100)] == ["一", "十", "十一", "二十", "二十三", "九十九", "100"]


def test_a_bank_that_changes_type_at_every_question_round_trips():
    """With more sections than Chinese numerals go (a heading per question), is the export still exact?"""
    bank = [QuestionDraft(type=list(QuestionType)[n % 4], stem=f"第{n}题？", options=("甲", "乙") if n % 4 < 2 else (),
                          answer="A" if n % 4 < 2 else ("对" if n % 4 == 2 else "说明")) for n in range(120)]
    for extension in ("txt", "docx"):
        assert parse_file(f"x.{extension}", export_bytes(bank, extension)).drafts == bank


def test_template_round_trip_in_both_list_formats():
    """Do the downloadable samples (.txt, .docx) hold the template's four questions, one of each type?"""
    for extension in ("txt", "docx"):
        assert parse_file(f"示例.{extension}", export_bytes(TEMPLATE_DRAFTS, extension)).drafts == list(TEMPLATE_DRAFTS)


def test_the_documented_example_reads_as_documented():
    """Does the complete example of docs/question-format.md import cleanly, one question of each type?"""
    doc = (ROOT / "docs" / "question-format.md").read_text(encoding="utf-8")
    example = doc.split("### 完整示例", 1)[1].split("```", 2)[1]
    result = read(example)
    assert result.problems == [] and result.warnings == []
    assert [(d.type, d.answer, d.points) for d in result.drafts] == [
        (QuestionType.SINGLE, "B", 10), (QuestionType.MULTI, "ABC", 20), (QuestionType.TRUE_FALSE, "对", 10),
        (QuestionType.OPEN, result.drafts[3].answer, 30)]
    assert result.drafts[1].stem.endswith("（  ）") and result.drafts[1].options[3] == "购买商业车险"
