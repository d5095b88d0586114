"""How many phones of each company answered the audience questions of a final: the 优秀组织奖's
optional factor 现场观众互动 (:mod:`preliminary.awards`). A phone counts once per company, however
many questions it answered."""
import sqlalchemy as sa

from audience.models import AudienceAnswer, AudienceQuestion
from extensions import db


def phones_by_company(contest_id: int | None) -> dict[str, int]:
    """Company name → phones that answered at least one audience question of ``contest_id`` (none without a final)."""
    if contest_id is None:
        return {}
    rows = db.session.execute(
        sa.select(AudienceAnswer.company, sa.func.count(sa.distinct(AudienceAnswer.phone)))
        .join(AudienceQuestion, AudienceQuestion.id == AudienceAnswer.question_id)
        .where(AudienceQuestion.contest_id == contest_id, AudienceAnswer.company != "")
        .group_by(AudienceAnswer.company)).all()
    return dict(rows)
