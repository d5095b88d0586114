"""What a contest is made of when it starts: teams, stages with their rules, and their questions.

The whole configuration is recorded in the contest's first event, so the event log alone
rebuilds the contest, on this installation or another, even if the question bank changes later.
"""
from dataclasses import dataclass, field
from typing import Any

from contest.rules import (
    RULES_BY_KIND,
    STAGE_TITLES,
    ContestRules,
    RulesError,
    StageKind,
    StageRules,
    rules_from_dict,
    rules_to_dict,
)

MIN_TEAMS = 2
MAX_TEAMS = 16
CHOICE_TYPES = ("single", "multi", "true_false")


class ConfigError(ValueError):
    """The contest cannot start as configured; the message says why, in Chinese."""


@dataclass(frozen=True)
class Team:
    """A team in its seat; ``id`` is stable for the whole contest, ``seat`` orders the turns."""

    id: int
    name: str
    seat: int
    company: str = ""


@dataclass(frozen=True)
class Question:
    """A question as the contest uses it; ``tier`` is its value in a risk stage."""

    id: str
    type: str
    stem: str
    answer: str
    options: tuple[str, ...] = ()
    points: int | None = None
    time_limit: int | None = None
    explanation: str = ""
    source: str = ""
    category: str = ""
    difficulty: int | None = None
    tier: int | None = None

    def __deepcopy__(self, memo: dict) -> "Question":
        """Questions never change during a contest, so copies of a state share them."""
        return self

    @property
    def is_choice(self) -> bool:
        """Whether the answer is one or more option letters (or true/false), so a phone can give it."""
        return self.type in CHOICE_TYPES


@dataclass(frozen=True)
class StageConfig:
    """One stage: its kind, its title on screen, its rules and its questions in order."""

    kind: StageKind
    rules: StageRules
    questions: tuple[Question, ...] = ()
    title: str = ""

    @property
    def display_title(self) -> str:
        """The title the hall sees: the organizer's, else the kind's own name."""
        return self.title or STAGE_TITLES[self.kind]


@dataclass(frozen=True)
class ContestConfig:
    """The teams, the contest-wide rules and the stages (a tiebreak stage holds the spare questions)."""

    title: str
    teams: tuple[Team, ...]
    stages: tuple[StageConfig, ...]
    rules: ContestRules = field(default_factory=ContestRules)

    def __deepcopy__(self, memo: dict) -> "ContestConfig":
        """The configuration never changes during a contest, so copies of a state share it."""
        return self

    def team(self, team_id: int) -> Team | None:
        """The team with ``team_id``, if it plays in this contest."""
        return next((team for team in self.teams if team.id == team_id), None)

    @property
    def seat_order(self) -> tuple[int, ...]:
        """Team ids in seat order: the order of turns in required and speed stages."""
        return tuple(team.id for team in sorted(self.teams, key=lambda team: team.seat))

    @property
    def tiebreak_stage(self) -> StageConfig | None:
        """The stage that holds the tiebreak rules and questions, if the contest has one."""
        return next((stage for stage in self.stages if stage.kind == StageKind.TIEBREAK), None)

    @property
    def regular_stage_indexes(self) -> tuple[int, ...]:
        """Indexes of the stages played in order (every stage but the tiebreak)."""
        return tuple(i for i, stage in enumerate(self.stages) if stage.kind != StageKind.TIEBREAK)


def validate_config(config: ContestConfig) -> None:
    """Raise :class:`ConfigError` when the contest could not be played as configured."""
    count = len(config.teams)
    if not MIN_TEAMS <= count <= MAX_TEAMS:
        raise ConfigError(f"参赛队伍应为 {MIN_TEAMS}–{MAX_TEAMS} 支，当前为 {count} 支")
    if len({team.id for team in config.teams}) != count:
        raise ConfigError("队伍编号重复")
    if len({team.seat for team in config.teams}) != count:
        raise ConfigError("队伍座次重复")
    if any(not team.name.strip() for team in config.teams):
        raise ConfigError("队伍名称不能为空")
    if not config.regular_stage_indexes:
        raise ConfigError("比赛至少需要一个环节")
    if sum(1 for stage in config.stages if stage.kind == StageKind.TIEBREAK) > 1:
        raise ConfigError("加赛环节只能有一个")
    question_ids = [q.id for stage in config.stages for q in stage.questions]
    if len(set(question_ids)) != len(question_ids):
        raise ConfigError("同一道题不能在比赛中出现两次")
    for stage in config.stages:
        _validate_stage_questions(stage)


def _validate_stage_questions(stage: StageConfig) -> None:
    """Check what a stage's rules need of its questions (risk questions need a known tier)."""
    if stage.kind == StageKind.RISK:
        tiers = set(stage.rules.tiers)
        for question in stage.questions:
            if question.tier not in tiers:
                raise ConfigError(f"{stage.display_title}的题目「{question.stem[:20]}」没有有效的分值档位")


def config_to_dict(config: ContestConfig) -> dict[str, Any]:
    """The configuration as JSON-ready data, for the contest's first event."""
    return {
        "title": config.title,
        "rules": rules_to_dict(config.rules),
        "teams": [vars(team).copy() for team in config.teams],
        "stages": [
            {
                "kind": str(stage.kind),
                "title": stage.title,
                "rules": rules_to_dict(stage.rules),
                "questions": [_question_to_dict(q) for q in stage.questions],
            }
            for stage in config.stages
        ],
    }


def config_from_dict(data: dict[str, Any]) -> ContestConfig:
    """Rebuild (and validate) a configuration from :func:`config_to_dict` data."""
    try:
        stages = tuple(_stage_from_dict(stage) for stage in data["stages"])
        config = ContestConfig(
            title=str(data["title"]),
            teams=tuple(Team(**team) for team in data["teams"]),
            stages=stages,
            rules=rules_from_dict(ContestRules, data.get("rules")),
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, RulesError):
            raise ConfigError(str(error)) from error
        raise ConfigError(f"比赛配置数据不完整：{error}") from error
    validate_config(config)
    return config


def _stage_from_dict(data: dict[str, Any]) -> StageConfig:
    """One stage from its stored form."""
    kind = StageKind(data["kind"])
    return StageConfig(
        kind=kind,
        title=data.get("title", ""),
        rules=rules_from_dict(RULES_BY_KIND[kind], data.get("rules")),
        questions=tuple(_question_from_dict(q) for q in data.get("questions", ())),
    )


def _question_to_dict(question: Question) -> dict[str, Any]:
    """One question in its stored form."""
    data = vars(question).copy()
    data["options"] = list(question.options)
    return data


def _question_from_dict(data: dict[str, Any]) -> Question:
    """One question from its stored form."""
    values = dict(data)
    values["id"] = str(values["id"])
    values["options"] = tuple(values.get("options") or ())
    return Question(**values)
