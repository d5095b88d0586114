"""Into the final: one confirmed action turns the qualified companies into the final's teams.

Each qualifier becomes the team "<单位>代表队" of its company, seated in the order of the
preliminary ranking (seat 1 = first place), which the final's rules use for turn order
(docs/rules.md). The final's earlier teams are replaced; the final must still be a draft.
"""
from contest_setup.models import Contest, ContestTeam
from contest_setup.roster import MAX_NAME_LENGTH
from contest_setup.service import SetupError, require_editable
from extensions import db
from preliminary.models import PrelimRound, utcnow
from preliminary.results import round_results
from preliminary.service import PrelimError, window_phase

TEAM_SUFFIX = "代表队"


def team_name(company: str) -> str:
    """The final's team name of a company, within the team-name limit."""
    return company[: MAX_NAME_LENGTH - len(TEAM_SUFFIX)] + TEAM_SUFFIX


def final_of(prelim: PrelimRound) -> Contest | None:
    """The final the round feeds."""
    return db.session.get(Contest, prelim.final_contest_id) if prelim.final_contest_id else None


def qualify_into_final(prelim: PrelimRound, confirmed: bool, now: int) -> list[ContestTeam]:
    """Replace the final's teams with the qualifiers, seated by preliminary rank."""
    if not confirmed:
        raise PrelimError("请勾选「确认」后再生成决赛队伍")
    final = final_of(prelim)
    if final is None:
        raise PrelimError("尚未选择决赛：请在「初赛设置」中选择本初赛对应的决赛")
    if window_phase(prelim, now) != "closed":
        raise PrelimError("答题时间尚未结束，结束后才能确定晋级名单")
    try:
        require_editable(final)
    except SetupError as error:
        raise PrelimError(f"决赛「{final.name}」：{error}") from error
    qualifiers = round_results(prelim, now, fresh=True).qualification.qualifiers
    if not qualifiers:
        raise PrelimError("没有符合晋级条件的单位")
    teams = [ContestTeam(name=team_name(item.name), company=item.name, seat=seat)
             for seat, item in enumerate(qualifiers, start=1)]
    final.teams[:] = teams
    prelim.qualified_at = utcnow()
    db.session.commit()
    return teams
