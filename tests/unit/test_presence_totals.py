"""Do the other processes' connection counts add up per contest, and are a silent process's forgotten?"""
from live.presence_totals import KEPT_FOR_MS, SHARE_INTERVAL_MS, Counts, Outbox, Reports, counted, plus


def test_counts_keep_only_connections_that_are_open():
    assert counted({"host": 1, "display": 0, "team:3": 2}, {7: 0, 8: 2}) == Counts({"host": 1, "team:3": 2}, {8: 2})
    assert counted({"host": 0}, {7: 0}) is None
    assert plus({"host": 1, "team:3": 1}, {"team:3": 2, "display": 1}) == {"host": 1, "team:3": 3, "display": 1}


def test_the_other_processes_counts_are_summed_per_contest():
    reports = Reports()
    reports.told("b", {1: Counts({"team:3": 1}, {7: 1}), 2: Counts({"display": 1}, {})}, now=0)
    reports.told("c", {1: Counts({"team:3": 1, "team:4": 1}, {8: 1, 9: 1})}, now=0)
    assert reports.total(1) == Counts({"team:3": 2, "team:4": 1}, {7: 1, 8: 1, 9: 1})
    assert reports.total(2) == Counts({"display": 1}, {})
    assert reports.total(3) is None


def test_a_new_report_replaces_the_processes_last_one():
    """A contest a process no longer names has no connection there any more."""
    reports = Reports()
    reports.told("b", {1: Counts({"team:3": 2}, {7: 2})}, now=0)
    reports.told("b", {1: Counts({"team:3": 1}, {7: 1})}, now=100)
    assert reports.total(1) == Counts({"team:3": 1}, {7: 1})
    reports.told("b", {}, now=200)
    assert reports.total(1) is None


def test_a_process_that_stops_reporting_is_forgotten_after_three_missed_reports():
    reports = Reports()
    reports.told("b", {1: Counts({"team:3": 1}, {7: 1})}, now=0)
    reports.told("c", {1: Counts({"host": 1}, {})}, now=3 * SHARE_INTERVAL_MS)
    assert KEPT_FOR_MS > 3 * SHARE_INTERVAL_MS
    assert reports.expire(now=3 * SHARE_INTERVAL_MS) == [], "three reports late is not yet dead"
    assert reports.total(1) == Counts({"team:3": 1, "host": 1}, {7: 1})
    assert reports.expire(now=KEPT_FOR_MS + 1) == ["b"]
    assert reports.total(1) == Counts({"host": 1}, {})


def test_counts_are_told_when_they_change_and_every_interval_anyway():
    outbox, counts = Outbox(), {1: Counts({"team:3": 1}, {7: 1})}
    assert outbox.due(counts, now=10_000), "the first report goes at once"
    assert not outbox.due(dict(counts), now=10_100), "the same counts are not told again within the interval"
    assert outbox.due({}, now=10_200), "a change is told at once"
    assert not outbox.due({}, now=10_300)
    assert outbox.due({}, now=10_200 + SHARE_INTERVAL_MS), "and everything once an interval, so newcomers learn it"
