"""Do company scores, the qualification cascade and the organisation award follow the settings?"""
import pytest
from hypothesis import given, settings as hyp_settings
from hypothesis import strategies as st

from preliminary.awards import award_table
from preliminary.settings import RoundSettings
from preliminary.standings import CompanyInput, MemberScore, company_score, qualify


def company(number, scores, headcount=10, attempts=None, times=None):
    """A company with members' scores (and times, 60 s each unless given)."""
    times = times or [60_000] * len(scores)
    members = tuple(MemberScore(s, t) for s, t in zip(scores, times))
    return CompanyInput(number, f"单位{number}", headcount, members, attempts if attempts is not None else len(scores))


@pytest.mark.parametrize(("rule", "k", "expected"), [
    ("sum_best_k", 2, 19.0), ("sum_best_k", 5, 27.0), ("average", 2, 6.75),
    ("average_best_k", 2, 9.5), ("average_best_k", 5, 5.4),
])
def test_company_score_rules(rule, k, expected):
    """Sum of best K, average of all, average of best K (missing members count 0)."""
    assert company_score([10, 9, 7, 1], rule, k) == expected


def test_too_few_participants_cannot_qualify():
    """Is a company under the minimum ranked after the eligible ones, not qualified, with the reason?"""
    result = qualify([company(1, [10, 10]), company(2, [1, 1, 1])], RoundSettings(min_participants=3, qualify_count=1), 10)
    assert [s.id for s in result.standings] == [2, 1]
    assert [s.id for s in result.qualifiers] == [2]
    assert "少于晋级所需的 3 人" in result.standings[1].note


def test_the_cascade_breaks_ties_step_by_step_and_says_how():
    """Equal scores: participation rate, then high scorers, then total time, then registration; each tie named."""
    settings = RoundSettings(company_rule="sum_best_k", company_k=2, qualify_count=2, high_score_percent=95)
    companies = [
        company(1, [10, 8], headcount=10),               # score 18, rate 20 %
        company(2, [9, 9], headcount=4),                  # score 18, rate 50 %
        company(3, [10, 8], headcount=10, times=[30_000, 30_000]),  # like 1, faster
        company(4, [9, 9], headcount=10),                 # score 18, rate 20 %, no high scorer
        company(5, [10, 8], headcount=10, times=[30_000, 30_000]),  # same as 3 in everything
    ]
    result = qualify(companies, settings, 10)
    assert [s.id for s in result.standings] == [2, 3, 5, 1, 4]
    steps = [(note.upper, note.lower, note.step) for note in result.ties]
    assert steps == [("单位2", "单位3", "参与率"), ("单位3", "单位5", "登记顺序"), ("单位5", "单位1", "计分人员总用时"),
                     ("单位1", "单位4", "高分人数")]
    assert result.ties[0].text == "「单位2」与「单位3」得分同为 18，按参与率区分：50.0% 优于 20.0%"
    assert [note.at_cut for note in result.ties] == [False, True, False, False]
    assert [s.id for s in result.qualifiers] == [2, 3]


companies_strategy = st.lists(
    st.tuples(st.lists(st.integers(0, 10), max_size=6), st.integers(1, 20)), min_size=1, max_size=12)


@hyp_settings(max_examples=150, deadline=None)
@given(companies_strategy, st.integers(1, 5), st.sampled_from(["sum_best_k", "average", "average_best_k"]),
       st.integers(0, 3))
def test_qualifiers_are_the_best_eligible_companies(data, n, rule, minimum):
    """Are the qualifiers at most N eligible companies, no eligible company outside with a higher score,
    every adjacent equal score explained?"""
    settings = RoundSettings(company_rule=rule, company_k=3, qualify_count=n, min_participants=minimum)
    result = qualify([company(i, scores, headcount) for i, (scores, headcount) in enumerate(data, start=1)], settings, 10)
    qualified = result.qualifiers
    assert len(qualified) <= n and all(s.eligible for s in qualified)
    outside = [s for s in result.standings if s.eligible and not s.qualified]
    assert len(qualified) == n or not outside
    if qualified and outside:
        assert min(s.score for s in qualified) >= max(s.score for s in outside)
    equal_pairs = sum(1 for a, b in zip(result.standings, result.standings[1:])
                      if a.eligible and b.eligible and a.score == b.score)
    assert len(result.ties) == equal_pairs
    assert [s.rank for s in result.standings] == list(range(1, len(data) + 1))


def test_the_award_shows_each_factor_normalised_and_weighted():
    """Does each company's total equal the weighted sum of its factors divided by the highest values?"""
    settings = RoundSettings(qualify_count=1, award_count=1, award_excludes_finalists=True,
                             weight_participants=25, weight_rate=25, weight_average=25, weight_attempts=25)
    result = qualify([company(1, [10, 10, 10, 10], headcount=40, attempts=4),  # finalist
                      company(2, [5, 5], headcount=2, attempts=6),             # rate 100 %, 3 attempts each
                      company(3, [8, 8, 8, 8], headcount=8, attempts=4),       # rate 50 %
                      company(4, [], headcount=5)], settings, 10)
    lines = {line.company.id: line for line in award_table(result.standings, settings)}
    assert not lines[1].competes and "不参评" in lines[1].note
    assert not lines[4].competes and lines[4].note == "无人参与，不参评"
    two = {f.key: f for f in lines[2].factors}
    assert (two["participants"].normalised, two["rate"].normalised, two["average"].normalised,
            two["attempts_per_member"].normalised) == (0.5, 1.0, 0.625, 1.0)
    assert lines[2].total == pytest.approx(25 * (0.5 + 1 + 0.625 + 1), abs=0.02)
    assert lines[3].total == pytest.approx(25 * (1 + 0.5 + 1 + 1 / 3), abs=0.02)
    assert lines[2].awarded and not lines[3].awarded and (lines[2].place, lines[3].place) == (1, 2)


@hyp_settings(max_examples=100, deadline=None)
@given(companies_strategy, st.integers(0, 5), st.booleans())
def test_award_winners_have_the_highest_totals(data, count, exclude):
    """Are at most ``count`` competing companies awarded, none below a company that was not?"""
    settings = RoundSettings(qualify_count=2, award_count=count, award_excludes_finalists=exclude)
    result = qualify([company(i, scores, headcount) for i, (scores, headcount) in enumerate(data, start=1)], settings, 10)
    lines = award_table(result.standings, settings)
    winners = [line for line in lines if line.awarded]
    assert len(winners) <= count and all(line.competes for line in winners)
    assert all(0 <= line.total <= 100.01 for line in lines)
    losers = [line for line in lines if line.competes and not line.awarded]
    if winners and losers:
        assert min(w.total for w in winners) >= max(line.total for line in losers)
    if exclude:
        assert not any(line.company.qualified for line in winners)


def test_the_audience_factor_counts_only_when_weighed():
    """With 现场观众互动 weighed at 20 %, is each company's count of audience phones normalised against the
    highest competing one and weighed; with weight 0, is the factor left out of the formula?"""
    weighed = RoundSettings(award_count=2, award_excludes_finalists=False, weight_participants=20, weight_rate=20,
                            weight_average=20, weight_attempts=20, weight_audience=20)
    result = qualify([company(1, [5, 5], headcount=2), company(2, [5, 5], headcount=2)], weighed, 10)
    lines = {line.company.id: line for line in award_table(result.standings, weighed, {"单位1": 30, "单位2": 12, "别的": 99})}
    one, two = ({f.key: f for f in lines[n].factors}["audience"] for n in (1, 2))
    assert (one.value, one.normalised, one.points) == (30, 1.0, 20)
    assert (two.value, two.normalised, two.points) == (12, 0.4, 8)
    assert lines[1].total - lines[2].total == pytest.approx(12)
    assert lines[1].place == 1, "the only difference between the two is the hall"
    plain = RoundSettings(award_excludes_finalists=False)
    assert plain.weight_audience == 0
    unweighed = award_table(qualify([company(1, [5])], plain, 10).standings, plain, {"单位1": 30})
    assert "audience" not in {f.key for f in unweighed[0].factors}
