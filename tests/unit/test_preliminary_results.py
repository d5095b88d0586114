"""Does a finishing phone get the rank its result earns among the cached results, and are results
kept longer when they were dear to compute?"""
from hypothesis import given
from hypothesis import strategies as st

from preliminary import results
from preliminary.results import PersonLine, RoundResults
from preliminary.scoring import AttemptResult, ranked

SCORES = st.integers(min_value=0, max_value=4)  # few values: many ties on points
TIMES = st.integers(min_value=0, max_value=3)  # and on time


def round_results_of(outcomes: dict[int, tuple[int, int] | None]) -> RoundResults:
    """Results where person ``id`` scored ``(score, elapsed_ms)``, or has no finished attempt (None)."""
    counted = [AttemptResult(person_id, person_id, score, elapsed, finished_ms=person_id)
               for person_id, (score, elapsed) in ((p, o) for p, o in outcomes.items() if o is not None)]
    ranks = {result.person_id: rank for rank, result in ranked(counted)}
    people = [PersonLine(ranks.get(person_id), person_id, f"人{person_id}", "", 1, "单位",
                         outcome[0] if outcome else None, outcome[1] if outcome else None, 1, 0, None)
              for person_id, outcome in outcomes.items()]
    people.sort(key=lambda line: (line.rank is None, line.rank or 0, line.person_id))
    return RoundResults(settings=None, full_marks=4, people=people, qualification=None, attempts=len(people))


def place_by_counting(outcomes: dict[int, tuple[int, int] | None], person_id: int,
                      result: AttemptResult | None) -> tuple[int | None, int]:
    """The rule, spelled out: one more than the others with more points, or as many in less time."""
    others = [outcome for other, outcome in outcomes.items() if outcome is not None and other != person_id]
    if result is None:
        return None, len(others)
    return 1 + sum((-score, elapsed) < (-result.score, result.elapsed_ms) for score, elapsed in others), len(others) + 1


@given(outcomes=st.dictionaries(st.integers(min_value=1, max_value=40), st.none() | st.tuples(SCORES, TIMES),
                                max_size=40),
       person_id=st.integers(min_value=1, max_value=45),
       newest=st.none() | st.tuples(SCORES, TIMES))
def test_a_result_newer_than_the_cache_is_placed_among_everybody_else(outcomes, person_id, newest):
    """Whether the person is ranked in the cache already (with an older result), unranked or unknown to it,
    is the place the one the rule gives, and the count of ranked people right?"""
    result = None if newest is None else AttemptResult(0, person_id, newest[0], newest[1], finished_ms=0)
    assert round_results_of(outcomes).place_of(person_id, result) == place_by_counting(outcomes, person_id, result)


def test_results_that_took_long_to_compute_are_kept_longer(monkeypatch):
    """Kept CACHE_SECONDS when computed quickly; when a computation took 0.5 s, kept 0.5 / COMPUTE_SHARE."""
    clock = [1000.0]
    monkeypatch.setattr(results.time, "monotonic", lambda: clock[0])
    quick, slow = round_results_of({}), round_results_of({})
    quick.computed_at = slow.computed_at = clock[0]
    slow.compute_seconds = 0.5
    kept = 0.5 / results.COMPUTE_SHARE
    assert kept > results.CACHE_SECONDS
    clock[0] += results.CACHE_SECONDS - 0.1
    assert quick.is_recent() and slow.is_recent()
    clock[0] += 0.2
    assert not quick.is_recent() and slow.is_recent()
    clock[0] = 1000.0 + kept - 0.1
    assert slow.is_recent()
    clock[0] += 0.2
    assert not slow.is_recent()
