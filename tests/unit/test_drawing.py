"""Does the question draw give each stage what it needs, never a question twice, and say when short?"""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.rules import RULES_BY_KIND, BuzzerRules, RequiredRules, RiskRules, SpeedRules, StageKind, TiebreakRules
from contest_setup.drawing import (
    Assignment,
    DrawFilter,
    StageDemand,
    buzzer_spares,
    check_assigned,
    draw,
    stage_groups,
    swap_candidates,
    tier_difficulties,
    twin_key,
)
from question_bank.schema import comparable_stem

STAGES = [None, "required", "speed", "buzzer", "risk", "tiebreak"]


def question(qid, stage=None, difficulty=None, category=""):
    """A bank question as a plain dict, with only what the draw reads."""
    return {"id": qid, "stage": stage, "difficulty": difficulty, "category": category, "stem": f"题{qid}"}


def demand(kind, rules, teams=8, key=None, **extra):
    """The demand of one stage of ``kind`` for ``teams`` teams."""
    return StageDemand(key=key or str(kind), kind=kind, groups=stage_groups(kind, rules, teams), **extra)


def final_demands(teams=8):
    """The five stages of the final template with default rules."""
    return [
        demand(StageKind.REQUIRED, RequiredRules(), teams),
        demand(StageKind.SPEED, SpeedRules(packet_size=3), teams),
        demand(StageKind.BUZZER, BuzzerRules(), teams),
        demand(StageKind.RISK, RiskRules(), teams),
        demand(StageKind.TIEBREAK, TiebreakRules(), teams),
    ]


def all_ids(result):
    """Every drawn question id, repeats included."""
    return [a.question_id for stage in result.assignments.values() for a in stage]


question_lists = st.lists(
    st.tuples(st.sampled_from(STAGES), st.sampled_from([None, 1, 2, 3])), max_size=250
).map(lambda specs: [question(i, stage, diff) for i, (stage, diff) in enumerate(specs)])


@settings(max_examples=60, deadline=None)
@given(questions=question_lists, seed=st.integers(0, 2**32), teams=st.integers(2, 16))
def test_no_question_is_drawn_twice(questions, seed, teams):
    """Is every question used at most once across all stages, whatever the bank and seed?"""
    result = draw(questions, final_demands(teams), random.Random(seed))
    ids = all_ids(result)
    assert len(ids) == len(set(ids))


@settings(max_examples=60, deadline=None)
@given(questions=question_lists, seed=st.integers(0, 2**32))
def test_questions_only_go_to_stages_their_tag_allows(questions, seed):
    """Does a question tagged for one stage kind never land in another kind of stage?"""
    by_id = {q["id"]: q for q in questions}
    result = draw(questions, final_demands(), random.Random(seed))
    for key, assigned in result.assignments.items():
        for item in assigned:
            assert by_id[item.question_id]["stage"] in (None, key)


@settings(max_examples=60, deadline=None)
@given(questions=question_lists, seed=st.integers(0, 2**32))
def test_counts_never_exceed_wanted_and_shortage_is_reported(questions, seed):
    """Does each group get at most what it wants, with a blocking warning whenever under its minimum?"""
    demands = final_demands()
    result = draw(questions, demands, random.Random(seed))
    for item in demands:
        assigned = result.assignments[item.key]
        for group in item.groups:
            found = sum(1 for a in assigned if a.tier == group.tier)
            assert found <= group.wanted
            blocking = [w for w in result.warnings if w.stage_key == item.key and w.tier == group.tier and w.blocking]
            assert bool(blocking) == (found < group.minimum)


def test_a_large_enough_bank_fills_every_stage_exactly():
    """With plenty of questions, does each stage get its rounds × teams, packets, spares and tiers?"""
    questions = [question(i, None, 1 + i % 3) for i in range(600)]
    result = draw(questions, final_demands(), random.Random(1))
    counts = {key: len(items) for key, items in result.assignments.items()}
    assert counts["required"] == 2 * 8
    assert counts["speed"] == 3 * 8
    assert counts["buzzer"] == 20 + buzzer_spares(20)
    assert counts["risk"] == 3 * 8
    assert counts["tiebreak"] == 10
    assert not [w for w in result.warnings if w.blocking]


def test_buzzer_spares_are_flagged_after_the_planned_questions():
    """Are the buzzer's extra questions marked as spares, and only those?"""
    questions = [question(i, "buzzer") for i in range(40)]
    result = draw(questions, [demand(StageKind.BUZZER, BuzzerRules(question_count=10))], random.Random(2))
    flags = [a.is_spare for a in result.assignments["buzzer"]]
    assert flags == [False] * 10 + [True] * buzzer_spares(10)


def test_buzzer_spares_are_thirty_percent_or_at_least_five():
    """Is the spare count 30 % of the planned questions, rounded up, but never under 5?"""
    assert buzzer_spares(10) == 5
    assert buzzer_spares(20) == 6
    assert buzzer_spares(30) == 9


def test_risk_tiers_prefer_harder_questions_for_higher_values():
    """Does the 10-point tier take easy, 20 medium and 30 hard questions when there are enough?"""
    questions = [question(i, "risk", 1 + i % 3) for i in range(90)]
    result = draw(questions, [demand(StageKind.RISK, RiskRules())], random.Random(3))
    difficulty = {q["id"]: q["difficulty"] for q in questions}
    by_tier = {}
    for item in result.assignments["risk"]:
        by_tier.setdefault(item.tier, set()).add(difficulty[item.question_id])
    assert by_tier == {10: {1}, 20: {2}, 30: {3}}
    assert not result.warnings


def test_risk_tier_falls_back_to_a_neighbouring_difficulty_with_a_note():
    """When hard questions run short, does the top tier take medium ones and say so?"""
    questions = [question(i, "risk", 2) for i in range(40)] + [question(100 + i, "risk", 3) for i in range(5)]
    questions += [question(200 + i, "risk", 1) for i in range(8)]
    result = draw(questions, [demand(StageKind.RISK, RiskRules())], random.Random(4))
    top = [a for a in result.assignments["risk"] if a.tier == 30]
    assert len(top) == 8
    notes = [w for w in result.warnings if w.tier == 30]
    assert notes and not notes[0].blocking and "其他难度" in notes[0].message


def test_tier_difficulties_spread_from_easy_to_hard():
    """Do tiers map ascending onto difficulty 1…3 whatever their number?"""
    assert tier_difficulties(1) == (2,)
    assert tier_difficulties(2) == (1, 3)
    assert tier_difficulties(3) == (1, 2, 3)
    assert tier_difficulties(4) == (1, 2, 2, 3)


def test_shortage_names_the_stage_and_the_numbers():
    """Is a stage with too few questions reported as blocking with what it needs and what it has?"""
    questions = [question(i, "required") for i in range(5)]
    result = draw(questions, [demand(StageKind.REQUIRED, RequiredRules())], random.Random(5))
    assert result.blocking
    (warning,) = result.warnings
    assert "必答题需要 16 题，只有 5 题" in warning.message


def test_missing_spares_warn_without_blocking():
    """Is a buzzer stage with its planned questions but too few spares playable, with a warning?"""
    questions = [question(i, "buzzer") for i in range(22)]
    result = draw(questions, [demand(StageKind.BUZZER, BuzzerRules())], random.Random(6))
    assert not result.blocking
    assert "备用" in result.warnings[0].message


def test_tagged_questions_are_used_before_untagged_ones():
    """Do untagged questions stay free for stages that have nothing tagged of their own?"""
    questions = [question(i, "required") for i in range(16)] + [question(100 + i) for i in range(24)]
    demands = [demand(StageKind.REQUIRED, RequiredRules()), demand(StageKind.SPEED, SpeedRules(packet_size=3))]
    result = draw(questions, demands, random.Random(7))
    assert {a.question_id for a in result.assignments["required"]} == set(range(16))
    assert len(result.assignments["speed"]) == 24
    assert not result.warnings


def test_category_and_difficulty_filters_narrow_the_draw():
    """Does a stage filtered to 税务 and hard questions draw only those?"""
    questions = [question(i, None, 1 + i % 3, ["税务", "社保"][i % 2]) for i in range(120)]
    only = DrawFilter(categories=("税务",), difficulties=(3,))
    result = draw(questions, [demand(StageKind.REQUIRED, RequiredRules(), filter=only)], random.Random(8))
    drawn = [questions[a.question_id] for a in result.assignments["required"]]
    assert len(drawn) == 16
    assert all(q["category"] == "税务" and q["difficulty"] == 3 for q in drawn)


def test_excluded_questions_are_never_drawn():
    """When one stage is drawn again, are the other stages' questions left alone?"""
    questions = [question(i) for i in range(30)]
    result = draw(questions, [demand(StageKind.REQUIRED, RequiredRules())], random.Random(9), exclude=range(10))
    assert all(a.question_id >= 10 for a in result.assignments["required"])


def test_the_same_seed_gives_the_same_draw():
    """Can a draw be repeated exactly from its seed?"""
    questions = [question(i, None, 1 + i % 3) for i in range(300)]
    first = draw(questions, final_demands(), random.Random(42))
    second = draw(questions, final_demands(), random.Random(42))
    assert first.assignments == second.assignments


def test_readiness_check_reports_short_stages_and_stray_tiers():
    """Does the check of stored assignments find missing questions and tiers no longer offered?"""
    risk = demand(StageKind.RISK, RiskRules(tiers=(10, 20)), teams=2)
    assigned = [Assignment(i, 10) for i in range(2)] + [Assignment(9, 50)]
    messages = [w.message for w in check_assigned(risk, assigned)]
    assert any("档位已不在当前设置中" in m for m in messages)
    assert any("20 分档需要 2 题，只有 0 题" in m for m in messages)


def test_swap_candidates_fit_the_stage_and_skip_used_questions():
    """Does the swap list offer only unused questions that fit, nearest difficulty first?"""
    questions = [question(1, "risk", 3), question(2, "speed", 3), question(3, None, 1), question(4, None, 3)]
    risk = demand(StageKind.RISK, RiskRules())
    candidates = swap_candidates(questions, risk, 30, exclude={4})
    assert [q["id"] for q in candidates] == [1, 3]


# --- identical and near-identical stems (two banks holding the same questions) ----------------------

PUNCTUATION_VARIANTS = ("{}？（ ）", "{}?( )", " {} ？", "{}。", "{}")


def twin_banks(count=60):
    """Two banks of the same ``count`` stems, the second written with other punctuation and spacing."""
    first = [{**question(i), "stem": f"小微企业第{i}项优惠政策的适用条件是什么？（ ）"} for i in range(count)]
    second = [{**question(1000 + i), "stem": f"小微企业 第{i}项优惠政策的适用条件是什么? ( )"} for i in range(count)]
    return first + second


def drawn_stems(result, questions):
    """The normalised stems of every drawn question, repeats included."""
    by_id = {q["id"]: q for q in questions}
    return [twin_key(by_id[a.question_id]) for stage in result.assignments.values() for a in stage]


def test_two_banks_of_the_same_questions_never_put_one_twice_into_a_contest():
    """With the same 60 stems in two banks, is no stem drawn twice, and are the 60 pairs counted?"""
    questions = twin_banks()
    result = draw(questions, final_demands(teams=3), random.Random(5))
    stems = drawn_stems(result, questions)
    assert len(stems) == len(set(stems)) == 60
    assert result.twin_groups == 60


@settings(max_examples=60, deadline=None)
@given(stems=st.lists(st.tuples(st.integers(0, 40), st.sampled_from(PUNCTUATION_VARIANTS)), max_size=200),
       seed=st.integers(0, 2**32), teams=st.integers(2, 8))
def test_no_stem_is_drawn_twice_whatever_its_punctuation(stems, seed, teams):
    """Whatever mix of stems and punctuation the banks hold, is each normalised stem drawn at most once?"""
    questions = [{**question(i), "stem": variant.format(f"题干{number}")} for i, (number, variant) in enumerate(stems)]
    result = draw(questions, final_demands(teams), random.Random(seed))
    drawn = drawn_stems(result, questions)
    assert len(drawn) == len(set(drawn))


def test_the_twin_of_a_question_used_elsewhere_is_not_drawn_nor_offered_as_a_swap():
    """When one stage is drawn again, or a question swapped, is a twin of a question kept elsewhere left out?"""
    questions = [{**question(1), "stem": "享受优惠的条件？"}, {**question(2), "stem": "享受 优惠的条件?"},
                 {**question(3), "stem": "另一题"}]
    required = demand(StageKind.REQUIRED, RequiredRules(rounds=1), teams=2)
    assert [a.question_id for a in draw(questions, [required], random.Random(1), exclude={1}).assignments["required"]] \
        == [3]
    assert [q["id"] for q in swap_candidates(questions, required, None, exclude={1})] == [3]


@pytest.mark.parametrize("one, other", [
    ("下列哪项属于小微企业？（ ）", "下列哪项属于小微企业( )"),
    ("小微企业 所得税？", "小微企业所得税。"),
    ("ＡＢＣ企业“研发费用”加计扣除", "abc企业研发费用加计扣除"),
])
def test_stems_that_differ_only_in_punctuation_width_or_spaces_compare_equal(one, other):
    """Do punctuation, brackets, full-width letters, case and spaces not count when comparing stems?"""
    assert comparable_stem(one) == comparable_stem(other)


def test_stems_with_different_words_or_numbers_stay_apart():
    """Do stems that differ in a word or a number stay different questions?"""
    assert comparable_stem("年应纳税所得额不超过100万元") != comparable_stem("年应纳税所得额不超过300万元")
    assert comparable_stem("下列哪项属于小微企业") != comparable_stem("下列哪项不属于小微企业")


@pytest.mark.parametrize("kind, rules, teams, found, fix", [
    (StageKind.SPEED, SpeedRules(), 8, 40, "请把「每队题数」从 15 减到 5，或补充 80 题（或放宽抽题范围）"),
    (StageKind.REQUIRED, RequiredRules(rounds=3), 8, 17, "请把「轮数」从 3 减到 2，或补充 7 题（或放宽抽题范围）"),
    (StageKind.BUZZER, BuzzerRules(question_count=20), 8, 12, "请把「题目数量」从 20 减到 12，或补充 8 题（或放宽抽题范围）"),
    (StageKind.SPEED, SpeedRules(packet_size=2), 8, 5, "请补充 11 题（或放宽抽题范围）"),
    (StageKind.TIEBREAK, TiebreakRules(), 8, 0, "请补充 1 题（或放宽抽题范围）"),
])
def test_a_shortage_says_which_setting_to_lower_and_to_what(kind, rules, teams, found, fix):
    """Does a stage too short to play name the setting that sets its size and the value the bank covers,
    or, when not even one unit is covered, how many questions to add?"""
    questions = [question(i) for i in range(found)]
    result = draw(questions, [demand(kind, rules, teams)], random.Random(1))
    (warning,) = [w for w in result.warnings if w.blocking]
    assert warning.message.endswith("本环节无法进行。" + fix)


def test_a_short_risk_tier_says_to_lower_the_rounds():
    """With 2 rounds and 8 teams each tier needs 16: does a tier holding 9 say to go down to 1 round?"""
    questions = [{**question(i), "difficulty": difficulty} for i, difficulty in enumerate([1] * 16 + [2] * 16 + [3] * 9)]
    result = draw(questions, [demand(StageKind.RISK, RiskRules(tiers=(10, 20, 30)), 8)], random.Random(1))
    assert not result.blocking
    result = draw(questions, [demand(StageKind.RISK, RiskRules(tiers=(10, 20, 30), rounds=2), 8)], random.Random(1))
    messages = [w.message for w in result.warnings if w.blocking]
    assert messages == ["风险题 30 分档需要 16 题，只有 9 题：题库中符合条件的题目不足，本环节无法进行。"
                        "请把「轮数」从 2 减到 1，或补充 7 题（或放宽抽题范围）"]


def test_the_setup_guide_states_what_the_final_template_needs():
    """Does docs/setup.md's table give, for each stage of the final template, the numbers the draw asks for?"""
    from pathlib import Path

    from contest_setup.templates import FINAL

    guide = (Path(__file__).resolve().parents[2] / "docs" / "setup.md").read_text(encoding="utf-8")
    rows = {cells[0]: (int(cells[-2]), int(cells[-1])) for cells in
            (line.strip(" |").split(" | ") for line in guide.splitlines() if line.strip().startswith("| "))
            if len(cells) == 4 and cells[-1].isdigit()}
    wanted_total = minimum_total = 0
    for plan in FINAL.stages():
        rules = RULES_BY_KIND[plan.kind]()
        groups = stage_groups(plan.kind, rules, FINAL.team_count)
        wanted, minimum = sum(g.wanted for g in groups), sum(g.minimum for g in groups)
        assert rows[plan.title] == (wanted, minimum), plan.title
        wanted_total, minimum_total = wanted_total + wanted, minimum_total + minimum
    assert rows["合计"] == (wanted_total, minimum_total)
