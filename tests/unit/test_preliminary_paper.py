"""Does each person's paper follow the organizer's strata, with no question twice?"""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from preliminary.paper import PaperError, Stratum, draw_paper, parse_strata, shortages, strata_text

TYPES = ("single", "multi", "true_false")
CATEGORIES = ("税务", "社保", "人才")


def bank(specs):
    """Questions from (type, category, difficulty) triples, ids from 1."""
    return [{"id": number, "type": kind, "category": category, "difficulty": level,
             "options": [] if kind == "true_false" else ["甲", "乙", "丙", "丁"]}
            for number, (kind, category, level) in enumerate(specs, start=1)]


question_specs = st.lists(st.tuples(st.sampled_from(TYPES + ("open",)), st.sampled_from(CATEGORIES),
                                    st.sampled_from((1, 2, 3))), max_size=60)
strata_lists = st.lists(st.builds(Stratum, count=st.integers(1, 6), type=st.sampled_from((None,) + TYPES),
                                  category=st.sampled_from((None,) + CATEGORIES),
                                  difficulty=st.sampled_from((None, 1, 2, 3))), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(question_specs, strata_lists, st.integers(0, 10_000), st.booleans())
def test_a_drawn_paper_fills_every_stratum_without_repeats(specs, strata, seed, shuffle):
    """Whenever the bank can fill the plan: as many questions as planned, none twice, each stratum's
    count matched, never an open question; and when it cannot, a refusal naming the short line."""
    questions = bank(specs)
    by_id = {q["id"]: q for q in questions}
    try:
        paper = draw_paper(questions, strata, random.Random(seed), shuffle, shuffle)
    except PaperError as error:
        assert shortages(questions, strata) and "需要" in str(error)
        return
    ids = [item.question_id for item in paper]
    assert len(ids) == len(set(ids)) == sum(s.count for s in strata)
    assert all(by_id[i]["type"] != "open" for i in ids)
    for stratum in strata:
        assert sum(stratum.matches(by_id[i]) for i in ids) >= stratum.count
    for item in paper:
        assert sorted(item.option_order) == list(range(len(by_id[item.question_id]["options"])))


def test_specific_lines_are_filled_before_general_ones():
    """Does "任意 任意 任意 2" take what "单选 税务 易 2" leaves, so a plan that fits is never refused?"""
    questions = bank([("single", "税务", 1)] * 2 + [("multi", "社保", 2)] * 2)
    strata = parse_strata("任意 任意 任意 2\n单选 税务 易 2")
    for seed in range(30):
        ids = sorted(item.question_id for item in draw_paper(questions, strata, random.Random(seed)))
        assert ids == [1, 2, 3, 4]


def test_without_shuffling_the_paper_follows_the_plan_and_keeps_options():
    """Unshuffled: lines in the plan's order, options in the bank's order."""
    questions = bank([("multi", "社保", 2), ("single", "税务", 1), ("true_false", "人才", 3)])
    paper = draw_paper(questions, parse_strata("单选 任意 任意 1\n多选 任意 任意 1\n判断 任意 任意 1"),
                       random.Random(1), shuffle_questions=False, shuffle_options=False)
    assert [item.question_id for item in paper] == [2, 1, 3]
    assert paper[0].option_order == (0, 1, 2, 3)


def test_true_false_options_are_never_shuffled():
    """Is 对/错 always in its order?"""
    questions = bank([("true_false", "税务", 1)])
    questions[0]["options"] = ["对", "错"]
    for seed in range(20):
        assert draw_paper(questions, [Stratum(1)], random.Random(seed))[0].option_order == (0, 1)


@pytest.mark.parametrize(("text", "message"), [
    ("", "不能为空"),
    ("单选 税务 3", "四项"),
    ("简答 任意 任意 3", "简答题无法自动判分"),
    ("单选 任意 特难 3", "难度应为"),
    ("单选 任意 任意 0", "数量应为"),
    ("单选 任意 任意 三", "数量应为"),
    ("单选 任意 任意 150\n多选 任意 任意 60", "最多 200 题"),
])
def test_a_bad_plan_is_refused_with_its_line(text, message):
    """Is every bad plan refused in Chinese, naming the line?"""
    with pytest.raises(PaperError, match=message):
        parse_strata(text)


def test_the_plan_reads_back_as_written():
    """Does the stored plan print the way the organizer wrote it (full-width commas accepted)?"""
    strata = parse_strata("单选，税务，任意，5\n多选 * 难 3\n\n判断 任意 易 2")
    assert strata_text(strata) == "单选 税务 任意 5\n多选 任意 难 3\n判断 任意 易 2"
    assert parse_strata(strata_text(strata)) == strata
