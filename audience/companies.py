"""The companies an audience phone may say it belongs to: the contest's teams' companies and the
companies of the preliminary rounds that feed this final (so the 优秀组织奖 can count them)."""
import sqlalchemy as sa

from contest_setup.models import Contest
from extensions import db
from preliminary.models import PrelimCompany, PrelimRound


def companies_of(contest: Contest) -> list[str]:
    """The names, sorted, each once."""
    names = {team.company.strip() for team in contest.teams if team.company and team.company.strip()}
    names.update(db.session.scalars(sa.select(PrelimCompany.name).join(PrelimRound)
                                    .where(PrelimRound.final_contest_id == contest.id)))
    return sorted(names)
