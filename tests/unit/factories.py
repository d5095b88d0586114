"""Builders of contest configurations for the engine tests: real shapes, generated questions."""
from dataclasses import replace

from contest import commands as c
from contest.config import ContestConfig, Question, StageConfig, Team
from contest.engine import apply, create_contest
from contest.rules import (
    BuzzerRules,
    ContestRules,
    RequiredRules,
    RiskRules,
    SpeedRules,
    StageKind,
    TiebreakRules,
)

T0 = 1_700_000_000_000  # a fixed server time in ms


def make_questions(prefix: str, count: int, kind: str = "single", tier: int | None = None) -> tuple[Question, ...]:
    """``count`` questions with ids ``prefix-1``…; choice questions answer "B", true/false "对"."""
    if kind == "true_false":
        return tuple(Question(id=f"{prefix}-{i}", type=kind, stem=f"{prefix} 判断题 {i}", answer="对", tier=tier)
                     for i in range(1, count + 1))
    if kind == "open":
        return tuple(Question(id=f"{prefix}-{i}", type=kind, stem=f"{prefix} 简答题 {i}", answer="参考答案", tier=tier)
                     for i in range(1, count + 1))
    return tuple(
        Question(id=f"{prefix}-{i}", type=kind, stem=f"{prefix} 选择题 {i}", answer="B" if kind == "single" else "AC",
                 options=("甲", "乙", "丙", "丁"), explanation="解析", source="政策出处", tier=tier)
        for i in range(1, count + 1)
    )


def make_config(teams: int = 8, *, required: RequiredRules | None = None, speed: SpeedRules | None = None,
                buzzer: BuzzerRules | None = None, risk: RiskRules | None = None,
                tiebreak: TiebreakRules | None = None, rules: ContestRules | None = None,
                stages: tuple[StageKind, ...] = (StageKind.REQUIRED, StageKind.SPEED, StageKind.BUZZER,
                                                 StageKind.RISK, StageKind.TIEBREAK)) -> ContestConfig:
    """A final with ``teams`` teams and the given stages, each with enough questions."""
    required = required or RequiredRules()
    speed = speed or SpeedRules(packet_size=3)
    buzzer = buzzer or BuzzerRules()
    risk = risk or RiskRules()
    tiebreak = tiebreak or TiebreakRules()
    builders = {
        StageKind.REQUIRED: lambda: StageConfig(StageKind.REQUIRED, required,
                                                make_questions("REQ", required.rounds * teams)),
        StageKind.SPEED: lambda: StageConfig(StageKind.SPEED, speed,
                                             make_questions("SPD", speed.packet_size * teams, "true_false")),
        StageKind.BUZZER: lambda: StageConfig(StageKind.BUZZER, buzzer, make_questions("BUZ", 12)),
        StageKind.RISK: lambda: StageConfig(
            StageKind.RISK, risk,
            sum((make_questions(f"RSK{t}", risk.rounds * teams, tier=t) for t in risk.tiers), ())),
        StageKind.TIEBREAK: lambda: StageConfig(StageKind.TIEBREAK, tiebreak, make_questions("TIE", 10)),
    }
    return ContestConfig(
        title="测试决赛",
        teams=tuple(Team(id=100 + seat, name=f"队伍{seat}", seat=seat) for seat in range(1, teams + 1)),
        stages=tuple(builders[kind]() for kind in stages),
        rules=rules or ContestRules(),
    )


class Match:
    """A contest being played in a test: applies commands, advancing a fake clock, keeping the log."""

    def __init__(self, config: ContestConfig | None = None, start: bool = True):
        self.now = T0
        self.state, self.events = create_contest(config or make_config(), self.now)
        if start:
            self.do(c.StartContest())

    @property
    def teams(self) -> list[int]:
        """Team ids in seat order."""
        return list(self.state.config.seat_order)

    def do(self, command: c.Command, after_ms: int = 100):
        """Apply ``command`` ``after_ms`` after the previous one; returns the new state."""
        self.now += after_ms
        self.state, new_events = apply(self.state, command, self.now)
        self.events.extend(new_events)
        return self.state

    def score(self, team: int) -> int:
        """A team's current score."""
        return self.state.scores[team]


def with_rules(stage_rules, **changes):
    """A copy of ``stage_rules`` with ``changes``."""
    return replace(stage_rules, **changes)
