"""Ready-made contest shapes an organizer starts from, with the defaults of the rules reference.

Pure: a template says which stages, in which order, with which rules, and how many team places;
:mod:`contest_setup.service` turns it into rows. Every number comes from :mod:`contest.rules`, so a
changed default there changes the template too.
"""
from dataclasses import dataclass
from typing import Any

from contest.rules import RULES_BY_KIND, STAGE_TITLES, ContestRules, StageKind, rules_to_dict


@dataclass(frozen=True)
class StagePlan:
    """One stage a template creates: kind, title and rules as stored (JSON-ready)."""

    kind: StageKind
    title: str
    rules: dict[str, Any]


@dataclass(frozen=True)
class ContestTemplate:
    """A named contest shape: its stages in order and how many placeholder teams it seats."""

    key: str
    name: str
    description: str
    team_count: int
    stage_kinds: tuple[StageKind, ...]

    def stages(self) -> list[StagePlan]:
        """The template's stages with the default rules of each kind."""
        return [default_stage(kind) for kind in self.stage_kinds]

    def contest_rules(self) -> dict[str, Any]:
        """The contest-wide settings (base score, prizes, tie rule) at their defaults."""
        return rules_to_dict(ContestRules())


def default_stage(kind: StageKind) -> StagePlan:
    """A stage of ``kind`` with its usual title and default rules."""
    return StagePlan(kind=kind, title=STAGE_TITLES[kind], rules=rules_to_dict(RULES_BY_KIND[kind]()))


def placeholder_team_name(seat: int) -> str:
    """The name a template gives the team in ``seat`` until the organizer enters the real one."""
    return f"第{seat}队"


FINAL = ContestTemplate(
    key="final",
    name="政策知识竞赛决赛",
    description="8 支队伍；必答 → 速答 → 抢答 → 风险，另备加赛题；分值与时限取规则默认值。",
    team_count=8,
    stage_kinds=(
        StageKind.REQUIRED,
        StageKind.SPEED,
        StageKind.BUZZER,
        StageKind.RISK,
        StageKind.TIEBREAK,
    ),
)

TEMPLATES: dict[str, ContestTemplate] = {FINAL.key: FINAL}
"""Every template by key; the create page offers them plus an empty contest."""
