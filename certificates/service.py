"""Who is entitled to a certificate, issuing them (once) and finding one by its code.

Entitled are the prize winners of a finished final (the prizes its rules name, usually one 一等奖,
two 二等奖 and three 三等奖, as :func:`results.service.final_standings` decided them, ties and
tiebreaks included) and every company with the 优秀组织奖 of a preliminary round that fed this
final (:meth:`preliminary.results.RoundResults.awards`). Issuing is idempotent: a winner who
already holds the award keeps its certificate and code; only the missing ones are added.
"""
from dataclasses import dataclass
from datetime import date

from certificates.codes import new_code, normalise
from certificates.models import Certificate
from contest_setup.branding import brand_of
from contest_setup.models import Contest, ContestStatus
from extensions import db
from preliminary.models import PrelimRound
from preliminary.results import round_results
from preliminary.service import now_ms
from results.service import final_standings

ORGANISATION_AWARD = "优秀组织奖"


class CertificateError(ValueError):
    """Certificates cannot be issued now; the message says why, in Chinese."""


@dataclass(frozen=True)
class Entitlement:
    """A certificate that is due: the award, the winner and the line under the winner's name."""

    award: str
    winner: str
    detail: str


def entitlements(contest: Contest) -> list[Entitlement]:
    """Every certificate ``contest`` owes, in the order of the ceremony; refused before the final is over."""
    standings = _finished_standings(contest)[0]
    due = [Entitlement(line.prize, line.team.name, line.team.company)
           for line in standings.lines if line.prize and not line.undecided]
    for prelim in db.session.query(PrelimRound).filter_by(final_contest_id=contest.id).order_by(PrelimRound.id):
        awarded = [line for line in round_results(prelim, now_ms(), fresh=True).awards() if line.awarded]
        due += [Entitlement(ORGANISATION_AWARD, line.company.name, prelim.name) for line in awarded]
    return due


def _finished_standings(contest: Contest):
    """The final standings and the time of the last event, or a refusal while the final is not over."""
    found = final_standings(contest) if contest.status == ContestStatus.FINISHED else None
    if found is None or not found[0].finished:
        raise CertificateError("比赛结束后才能颁发证书")
    if any(line.undecided for line in found[0].lines):
        raise CertificateError("还有同分待加赛的名次，加赛决出后才能颁发证书")
    return found


def issued(contest: Contest) -> list[Certificate]:
    """The certificates already issued for ``contest``, in the order of the ceremony."""
    return list(db.session.query(Certificate).filter_by(contest_id=contest.id).order_by(Certificate.position))


def issue(contest: Contest, issued_by: str) -> int:
    """Issue every certificate still missing; returns how many were added (0 when all exist)."""
    finished_ms = _finished_standings(contest)[1]
    held = {(c.award, c.winner) for c in issued(contest)}
    title = brand_of(contest).title
    day = date.fromtimestamp(finished_ms / 1000)
    added = 0
    for position, due in enumerate(entitlements(contest), start=1):
        if (due.award, due.winner) in held:
            continue
        db.session.add(Certificate(contest_id=contest.id, position=position, award=due.award, winner=due.winner,
                                   detail=due.detail, contest_title=title, awarded_on=day, code=new_code(),
                                   issued_by=issued_by))
        added += 1
    db.session.commit()
    return added


def find(text: str) -> Certificate | None:
    """The certificate whose code someone typed (any case, with or without dashes), or None."""
    code = normalise(text)
    return db.session.query(Certificate).filter_by(code=code).one_or_none() if code else None
