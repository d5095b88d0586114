"""The round's results from its stored attempts: people's ranking, companies, qualification, awards.

Computed from the database by the pure rules (:mod:`preliminary.scoring`,
:mod:`preliminary.standings`, :mod:`preliminary.awards`). Thousands of phones ask for their rank
at the end of an attempt, so a round's results are kept for a while and computed again after
that (:meth:`RoundResults.is_recent`); the organizer's pages ask for fresh ones.
"""
import bisect
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import sqlalchemy as sa
from flask import current_app

from extensions import db
from preliminary.attempts import settle_round
from preliminary.awards import AwardLine, award_table
from preliminary.models import AttemptStatus, PrelimAttempt, PrelimCompany, PrelimPerson, PrelimRound
from preliminary.scoring import AttemptResult, counted_attempt, points_then_time, ranked
from preliminary.service import round_settings
from preliminary.settings import RoundSettings
from preliminary.standings import CompanyInput, CompanyStanding, MemberScore, Qualification, qualify

CACHE_SECONDS = 3.0
"""The least time a round's results are kept for the phones' end screens and the projector."""
COMPUTE_SHARE = 0.02
"""The most of a process's time recomputing one round's results may take: results that took longer
than ``COMPUTE_SHARE * CACHE_SECONDS`` to compute are kept longer. With 10,000 people a computation
takes 0.07–0.2 s, and while its Python part runs the process serves nobody else (docs/performance.md)."""


@dataclass(frozen=True)
class PersonLine:
    """One person in the individual ranking (rank None: no finished attempt yet)."""

    rank: int | None
    person_id: int
    name: str
    mobile: str
    company_id: int
    company: str
    score: int | None
    elapsed_ms: int | None
    attempts: int
    leaves: int
    counted_attempt_id: int | None


@dataclass
class RoundResults:
    """Everything the result pages, exports, the projector and the phones' end screens show."""

    settings: RoundSettings
    full_marks: int
    people: list[PersonLine]
    qualification: Qualification
    attempts: int
    audience: dict[str, int] = field(default_factory=dict)  # company name -> phones answering the final's audience questions
    computed_at: float = field(default_factory=time.monotonic)
    compute_seconds: float = 0.0

    def is_recent(self) -> bool:
        """Whether these results may still be shown to phones and the projector: for
        :data:`CACHE_SECONDS`, or longer when computing them took more than :data:`COMPUTE_SHARE`
        of that."""
        return time.monotonic() - self.computed_at < max(CACHE_SECONDS, self.compute_seconds / COMPUTE_SHARE)

    @property
    def companies(self) -> list[CompanyStanding]:
        """Companies in rank order."""
        return self.qualification.standings

    @cached_property
    def ranked_people(self) -> list[PersonLine]:
        """People with a counted result, in rank order."""
        return [line for line in self.people if line.rank is not None]

    @cached_property
    def _ranked_by_person(self) -> dict[int, PersonLine]:
        return {line.person_id: line for line in self.ranked_people}

    @cached_property
    def _ranking_keys(self) -> list[tuple[int, int]]:
        """The ranked people's (-score, time), in rank order, so sorted: the order :meth:`place_of` compares."""
        return [points_then_time(line.score, line.elapsed_ms) for line in self.ranked_people]

    def place_of(self, person_id: int, result: AttemptResult | None) -> tuple[int | None, int]:
        """A person's rank for a counted result that may be newer than these results, and how many are ranked.

        The phone's end screen asks right after the last answer, before the cached results know
        it; the person's own result is placed among everybody else's: ahead of each one with fewer
        points or as many in more time. Every finishing phone asks, so it is a binary search, not a
        pass over the thousands ranked.
        """
        own = self._ranked_by_person.get(person_id)
        others = len(self.ranked_people) - (own is not None)
        if result is None:
            return None, others
        mine = points_then_time(result.score, result.elapsed_ms)
        ahead = bisect.bisect_left(self._ranking_keys, mine)
        if own is not None and points_then_time(own.score, own.elapsed_ms) < mine:
            ahead -= 1
        return 1 + ahead, others + 1

    def company(self, company_id: int) -> CompanyStanding | None:
        """One company's standing."""
        return next((item for item in self.companies if item.id == company_id), None)

    def awards(self) -> list[AwardLine]:
        """The organisation award table."""
        return award_table(self.companies, self.settings, self.audience)


def _cache() -> dict[int, RoundResults]:
    """This app's cache of results by round (each app, so each test, has its own)."""
    return current_app.extensions.setdefault("prelim_results", {})


def _computing() -> set[int]:
    """The rounds whose results a request of this app is computing now."""
    return current_app.extensions.setdefault("prelim_results_computing", set())


def round_results(prelim: PrelimRound, now: int, fresh: bool = False) -> RoundResults:
    """The round's results at ``now`` (from the short cache unless ``fresh``).

    While one request computes them, the phones finishing meanwhile take the cached ones, a few
    seconds old, instead of each computing them again: in a rush a dozen would otherwise start
    together every time the cache runs out.
    """
    cached = _cache().get(prelim.id)
    if not fresh and cached and (cached.is_recent() or prelim.id in _computing()):
        return cached
    _computing().add(prelim.id)
    started = time.monotonic()
    try:
        settle_round(prelim, now)
        results = compute(prelim)
    finally:
        _computing().discard(prelim.id)
    results.compute_seconds = time.monotonic() - started
    _cache()[prelim.id] = results
    return results


def counted_result(person_attempts: list[PrelimAttempt], settings: RoundSettings) -> AttemptResult | None:
    """A person's counted result from their attempts."""
    return counted_attempt([as_result(a) for a in person_attempts if a.status == AttemptStatus.FINISHED],
                           settings.counting)


def as_result(attempt: PrelimAttempt) -> AttemptResult:
    """A finished attempt as the ranking sees it."""
    return AttemptResult(attempt.id, attempt.person_id, attempt.score, attempt.elapsed_ms, attempt.finished_ms or 0,
                         attempt.started_ms)


def compute(prelim: PrelimRound) -> RoundResults:
    """Rank people and companies from the stored attempts."""
    settings = round_settings(prelim)
    rows = db.session.execute(sa.select(
        PrelimAttempt.id, PrelimAttempt.person_id, PrelimAttempt.status, PrelimAttempt.score,
        PrelimAttempt.started_ms, PrelimAttempt.finished_ms, PrelimAttempt.full_marks, PrelimAttempt.leave_count,
    ).where(PrelimAttempt.round_id == prelim.id)).all()
    finished: dict[int, list[AttemptResult]] = defaultdict(list)
    attempts: dict[int, int] = defaultdict(int)
    leaves: dict[int, int] = defaultdict(int)
    full = 0
    for attempt_id, person_id, status, score, started, finished_ms, marks, leave_count in rows:
        attempts[person_id] += 1
        leaves[person_id] += leave_count
        full = max(full, marks)
        if status == AttemptStatus.FINISHED:
            finished[person_id].append(AttemptResult(attempt_id, person_id, score, finished_ms - started,
                                                     finished_ms, started))
    counted = {pid: counted_attempt(items, settings.counting) for pid, items in finished.items()}
    ranks = {result.person_id: rank for rank, result in ranked(r for r in counted.values() if r)}
    people_rows = db.session.execute(
        sa.select(PrelimPerson.id, PrelimPerson.name, PrelimPerson.mobile, PrelimPerson.company_id, PrelimCompany.name)
        .join(PrelimCompany, PrelimCompany.id == PrelimPerson.company_id)
        .where(PrelimPerson.round_id == prelim.id)).all()
    people = []
    for person_id, name, mobile, company_id, company in people_rows:
        result = counted.get(person_id)
        people.append(PersonLine(ranks.get(person_id), person_id, name, mobile, company_id, company,
                                 result.score if result else None, result.elapsed_ms if result else None,
                                 attempts[person_id], leaves[person_id], result.attempt_id if result else None))
    people.sort(key=lambda line: (line.rank is None, line.rank or 0, line.person_id))
    qualification = qualify(_company_inputs(prelim, people, attempts), settings, full)
    audience = audience_phones(prelim.final_contest_id) if settings.weight_audience else {}
    return RoundResults(settings, full, people, qualification, sum(attempts.values()), audience)



AUDIENCE_COUNTER = "preliminary.audience_phones_by_company"
"""The app extension that counts a final's audience phones per company (set by the audience package,
which sits above the preliminary round: the round asks for the count, it does not import it)."""


def audience_phones(final_contest_id: int | None) -> dict[str, int]:
    """Phones per company name that answered the final's audience questions (none when nobody counts them)."""
    counter = current_app.extensions.get(AUDIENCE_COUNTER)
    return counter(final_contest_id) if counter and final_contest_id else {}

def _company_inputs(prelim: PrelimRound, people: list[PersonLine], attempts: dict[int, int]) -> list[CompanyInput]:
    """What the company ranking needs, per company of the round."""
    members: dict[int, list[MemberScore]] = defaultdict(list)
    registered: dict[int, int] = defaultdict(int)
    company_attempts: dict[int, int] = defaultdict(int)
    for line in people:
        registered[line.company_id] += 1
        company_attempts[line.company_id] += attempts[line.person_id]
        if line.score is not None:
            members[line.company_id].append(MemberScore(line.score, line.elapsed_ms or 0))
    companies = db.session.execute(sa.select(PrelimCompany.id, PrelimCompany.name, PrelimCompany.headcount)
                                   .where(PrelimCompany.round_id == prelim.id)).all()
    return [CompanyInput(cid, name, headcount, tuple(members[cid]), company_attempts[cid], registered[cid])
            for cid, name, headcount in companies]


def forget(round_id: int) -> None:
    """Drop a round's cached results."""
    _cache().pop(round_id, None)
