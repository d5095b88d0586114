"""Marking answers, choosing the attempt that counts, and ordering people. Pure.

A choice answer is the set of original option letters chosen (the phone shows options shuffled
but sends the letters they have in the bank), so marking never depends on what a person saw.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from preliminary.settings import Counting, RoundSettings
from question_bank.schema import FALSE_ANSWER, OPTION_LETTERS, TRUE_ANSWER, QuestionType


class AnswerError(ValueError):
    """An answer that is not a possible answer to its question; the message says why, in Chinese."""


def normalise_choice(question_type: str, option_count: int, given: object) -> str:
    """The canonical form of a given answer: sorted letters ("AC"), or 对/错 for true/false.

    Raises :class:`AnswerError` for anything that is not a possible answer of that question.
    """
    if not isinstance(given, str) or not given.strip():
        raise AnswerError("请选择答案")
    if question_type == QuestionType.TRUE_FALSE:
        if given not in (TRUE_ANSWER, FALSE_ANSWER):
            raise AnswerError("判断题的答案应为「对」或「错」")
        return given
    letters = set(given.strip().upper())
    allowed = set(OPTION_LETTERS[:option_count])
    if not letters <= allowed:
        raise AnswerError("所选答案不是本题的选项")
    if question_type == QuestionType.SINGLE and len(letters) != 1:
        raise AnswerError("单选题只能选一个答案")
    return "".join(sorted(letters))


def answer_points(question_type: str, right: str, given: str | None, settings: RoundSettings) -> int:
    """The points a given answer earns (no answer earns nothing)."""
    if given is None:
        return 0
    if question_type == QuestionType.SINGLE:
        return settings.points_single if given == right else 0
    if question_type == QuestionType.TRUE_FALSE:
        return settings.points_true_false if given == right else 0
    if given == right:
        return settings.points_multi
    return settings.points_multi_partial if set(given) < set(right) else 0


def full_marks(question_types: Iterable[str], settings: RoundSettings) -> int:
    """The highest score a paper of these question types can reach."""
    points = {QuestionType.SINGLE: settings.points_single, QuestionType.MULTI: settings.points_multi,
              QuestionType.TRUE_FALSE: settings.points_true_false}
    return sum(points[QuestionType(kind)] for kind in question_types)


@dataclass(frozen=True)
class AttemptResult:
    """A finished attempt as the rankings see it: score, time used and when it ended (ms since epoch)."""

    attempt_id: int
    person_id: int
    score: int
    elapsed_ms: int
    finished_ms: int
    started_ms: int = 0


def points_then_time(score: int, elapsed_ms: int) -> tuple[int, int]:
    """The first of the ranking's keys: more points, then less time (smaller is better)."""
    return -score, elapsed_ms


def better_first(result: AttemptResult) -> tuple[int, int, int, int]:
    """The order of results: more points, then less time, then the earlier finish (then the older attempt)."""
    return (*points_then_time(result.score, result.elapsed_ms), result.finished_ms, result.attempt_id)


def counted_attempt(results: Sequence[AttemptResult], counting: str) -> AttemptResult | None:
    """The one attempt of a person that counts under ``counting`` (best, last or first)."""
    if not results:
        return None
    if counting == Counting.BEST:
        return min(results, key=better_first)
    by_start = sorted(results, key=lambda result: (result.started_ms, result.attempt_id))
    return by_start[-1] if counting == Counting.LAST else by_start[0]


def ranked(results: Iterable[AttemptResult]) -> list[tuple[int, AttemptResult]]:
    """People's counted results in ranking order with their rank (1 = first); every place is distinct,
    the tie rule being less time, then the earlier finish."""
    return list(enumerate(sorted(results, key=better_first), start=1))
