"""Are answers marked per question type, and does the right attempt count?"""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from preliminary.scoring import AnswerError, AttemptResult, answer_points, counted_attempt, full_marks, normalise_choice, ranked
from preliminary.settings import RoundSettings

SETTINGS = RoundSettings(points_single=1, points_multi=2, points_multi_partial=1, points_true_false=1)


@pytest.mark.parametrize(("kind", "right", "given", "points"), [
    ("single", "B", "B", 1), ("single", "B", "A", 0), ("single", "B", None, 0),
    ("multi", "ABC", "ABC", 2), ("multi", "ABC", "AB", 1), ("multi", "ABC", "ABD", 0), ("multi", "ABC", "ABCD", 0),
    ("true_false", "对", "对", 1), ("true_false", "对", "错", 0),
])
def test_points_per_type(kind, right, given, points):
    """Single and true/false all or nothing; multi full, partial for a correct subset, nothing with a wrong choice."""
    assert answer_points(kind, right, given, SETTINGS) == points


def test_without_partial_points_a_subset_earns_nothing():
    """With 少选得分 0, is a correct subset worth nothing?"""
    assert answer_points("multi", "AC", "A", RoundSettings(points_multi_partial=0)) == 0


@pytest.mark.parametrize(("kind", "given", "canonical"), [
    ("multi", "ca", "AC"), ("multi", "C A", "AC"), ("single", "b", "B"), ("true_false", "错", "错"),
])
def test_answers_are_normalised(kind, given, canonical):
    """Are lower case, order and spaces folded into the canonical letters?"""
    assert normalise_choice(kind, 4, given.replace(" ", "")) == canonical


@pytest.mark.parametrize(("kind", "given", "message"), [
    ("single", "AB", "只能选一个"), ("single", "E", "不是本题的选项"), ("multi", "", "请选择"),
    ("true_false", "A", "对"), ("single", 3, "请选择"), ("multi", "A;DROP", "不是本题的选项"),
])
def test_impossible_answers_are_refused(kind, given, message):
    """Is an answer that no option gives refused in Chinese?"""
    with pytest.raises(AnswerError, match=message):
        normalise_choice(kind, 4, given)


def test_full_marks_add_up_per_type():
    """Is a paper's full mark the sum of its questions' points?"""
    assert full_marks(["single", "multi", "true_false", "multi"], SETTINGS) == 6


results = st.lists(st.builds(AttemptResult, attempt_id=st.integers(1, 10**6), person_id=st.just(1),
                             score=st.integers(0, 20), elapsed_ms=st.integers(1, 600_000),
                             finished_ms=st.integers(0, 10**9), started_ms=st.integers(0, 10**9)),
                   min_size=1, max_size=6, unique_by=lambda r: r.attempt_id)


@given(results)
def test_best_is_the_highest_score_then_the_least_time(attempts):
    """Is the best attempt one of the highest scores, and among those the fastest?"""
    best = counted_attempt(attempts, "best")
    top = max(a.score for a in attempts)
    assert best.score == top
    assert best.elapsed_ms == min(a.elapsed_ms for a in attempts if a.score == top)


@given(results)
def test_first_and_last_follow_the_start_time(attempts):
    """Are first and last the attempts started first and last, whatever their scores?"""
    assert counted_attempt(attempts, "first").started_ms == min(a.started_ms for a in attempts)
    assert counted_attempt(attempts, "last").started_ms == max(a.started_ms for a in attempts)


def test_no_attempt_counts_nothing():
    """Without a finished attempt, nothing counts."""
    assert counted_attempt([], "best") is None


def test_people_rank_by_score_then_time_then_finish():
    """Equal scores: less time first; equal time: the earlier finish first."""
    a = AttemptResult(1, 1, 9, 60_000, 500)
    b = AttemptResult(2, 2, 9, 50_000, 900)
    c = AttemptResult(3, 3, 9, 50_000, 800)
    d = AttemptResult(4, 4, 10, 90_000, 999)
    assert [(rank, r.person_id) for rank, r in ranked([a, b, c, d])] == [(1, 4), (2, 3), (3, 2), (4, 1)]
