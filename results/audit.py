"""The audit trail: every raw event in order, undone ones flagged, each with a Chinese sentence
that says who did what to whom for how many points. Pure."""
from collections.abc import Callable
from dataclasses import dataclass

from contest.config import Team
from contest.events import Abstained, BuzzWon, DecisionUndone, EarlyBuzz, Event, TierChosen
from contest.rules import EarlyBuzzPolicy, StageKind
from results.history import History, Step, event_teams
from results.labels import ACTOR_ROLES, KIND_LABELS, actor_label, team_label, with_points
from results.questions import verdict_of
from web.words import VERDICT_LABELS

# Events that are a team's own act: their description starts with the team, not with who keyed it in.
TEAM_ACTS = (BuzzWon, EarlyBuzz, TierChosen, Abstained)


@dataclass(frozen=True)
class AuditRow:
    """One raw event as the judges read it: who did what, when, to whom, for how many points."""

    seq: int
    at: int  # server ms
    kind: str
    actor: str  # "主持人 alice", "评委 wang", "2号 青禾生物队", "计时器"
    stage_index: int | None
    stage_title: str
    question: str  # "第3题", or ""
    question_id: str
    teams: tuple[Team, ...]
    description: str
    delta: int | None  # the score change it made (an undo: the change it took back)
    undone: bool
    reason: str = ""  # adjustments: why

    @property
    def team_text(self) -> str:
        """The teams it concerns, "2号 青禾生物队、5号 …"."""
        return "、".join(team_label(team) for team in self.teams)


def audit_trail(history: History) -> list[AuditRow]:
    """Every event of the raw log in order, undone ones flagged, each with a Chinese description."""
    by_seq = {step.event.seq: step for step in history.steps}
    return [_audit_row(history, step, by_seq) for step in history.steps]


def _audit_row(history: History, step: Step, by_seq: dict[int, Step]) -> AuditRow:
    """The audit line of one step."""
    event = step.event
    target = by_seq.get(event.target_seq) if isinstance(event, DecisionUndone) else None
    about = target or step
    delta = _row_delta(event, target)
    return AuditRow(
        seq=event.seq, at=event.at, kind=event.kind, actor=actor_label(event.actor, history.config),
        stage_index=about.stage_index, stage_title=history.stage_title(about.stage_index),
        question=history.question_label(about), question_id=about.question.id if about.question else "",
        teams=tuple(history.team(t) for t in event_teams(about.event) if history.team(t)),
        description=describe(history, step), delta=delta, undone=step.undone,
        reason=getattr(event, "reason", ""),
    )


def _row_delta(event: Event, target: Step | None) -> int | None:
    """The points an event moved; an undo moves back what its target moved."""
    changes = target.event.score_changes() if target else event.score_changes()
    if not changes:
        return None
    total = sum(changes.values())
    return -total if target else total


def filter_audit(rows: list[AuditRow], team: int | None = None, stage: int | None = None) -> list[AuditRow]:
    """The rows about ``team`` and/or in stage ``stage`` (None: no filter on that)."""
    return [
        row for row in rows
        if (team is None or any(t.id == team for t in row.teams))
        and (stage is None or row.stage_index == stage)
    ]


def audit_stages(rows: list[AuditRow]) -> list[tuple[int, str]]:
    """The stages that occur in ``rows``, in play order, for a filter's choices."""
    seen = {row.stage_index: row.stage_title for row in rows if row.stage_index is not None}
    return sorted(seen.items())



def _subject(actor: str) -> str:
    """The role that acted, for the start of a description ("主持人", "评委", "计时器")."""
    role = actor.partition(":")[0]
    return "" if role == "team" else ACTOR_ROLES.get(role, actor)


def describe(history: History, step: Step) -> str:
    """The Chinese sentence of the audit for one event: who (by role) did what, for how many points."""
    event = step.event
    describer = DESCRIBERS.get(event.kind)
    text = describer(history, step) if describer else FIXED_TEXT.get(event.kind, KIND_LABELS.get(event.kind, event.kind))
    if isinstance(event, TEAM_ACTS) or getattr(event, "auto", False):
        return text  # the team acted, whoever keyed it in (the actor column says who did)
    subject = _subject(event.actor)
    return f"{subject} {text}" if subject else text



def _team_of(history: History, event: Event) -> str:
    """"2号 青禾生物队" for the event's team."""
    return team_label(history.team(getattr(event, "team", None)))


def _seconds(ms: int) -> str:
    """Milliseconds as seconds for people, "1.234 秒" or "30 秒"."""
    return f"{ms // 1000} 秒" if ms % 1000 == 0 else f"{ms / 1000:.3f} 秒"


def _created(history: History, step: Step) -> str:
    """What was set up: the judges check the number of teams and stages against the rule sheet."""
    config = history.config
    return f"创建比赛「{config.title}」：{len(config.teams)} 支队伍，{len(config.regular_stage_indexes)} 个环节"


def _stage_started(history: History, step: Step) -> str:
    """A stage opens; in a risk stage the order of turns (by score, ties drawn) is part of the record."""
    text = f"开始「{history.stage_title(step.stage_index)}」"
    if step.stage_kind == StageKind.RISK:
        text += "，出场顺序（按得分）：" + "、".join(f"{history.team(t).seat}号" for t in step.event.order)
    return text


def _question_shown(history: History, step: Step) -> str:
    """A question goes up, with the team that must answer it and its time when it has one."""
    event = step.event
    text = f"出题 {history.question_label(step)}".rstrip()
    if event.holder is not None:
        text += f"，由 {team_label(history.team(event.holder))} 作答，限时 {_seconds(event.deadline - event.at)}"
    return text


def _turn_started(history: History, step: Step) -> str:
    """A speed packet with its window, or a risk turn waiting for the team's value."""
    event = step.event
    team = team_label(history.team(event.holder))
    if step.stage_kind == StageKind.SPEED:
        return f"开始速答：{team}，限时 {_seconds(event.deadline - event.at)}"
    return f"轮到 {team} 选择分值"


def _buzz_won(history: History, step: Step) -> str:
    """The winning buzz with its time from the opening: the first thing a losing team asks about."""
    event = step.event
    pressed = event.pressed_at if event.pressed_at is not None else event.at
    timing = f"，开始抢答后 {_seconds(max(0, pressed - step.opened_at))}" if step.opened_at is not None else ""
    return f"{_team_of(history, event)} 抢到答题权{timing}"


def _early_buzz(history: History, step: Step) -> str:
    """A press before the opening: a foul (its penalty, or out of the question) or a lockout."""
    event = step.event
    team = _team_of(history, event)
    if event.policy == EarlyBuzzPolicy.FOUL:
        return with_points(f"{team} 抢答犯规", event.delta) if event.delta else f"{team} 抢答犯规，本题出局"
    locked = f"，锁定 {_seconds(event.locked_until - event.at)}" if event.locked_until is not None else ""
    return f"{team} 提前抢答{locked}"


def _judged(history: History, step: Step) -> str:
    """A verdict; one marked from the phone also shows the answer the team gave."""
    event = step.event
    verdict = VERDICT_LABELS[event.verdict]
    if event.auto:
        return with_points(f"{_team_of(history, event)} 手机作答「{event.answer}」，自动判定 {verdict}", event.delta)
    return with_points(f"判定 {verdict}", event.delta)


def _timed_out(history: History, step: Step) -> str:
    """What running out of time meant: no buzz, a speed window closed, or an unanswered question."""
    verdict = verdict_of(step)
    if verdict == "no_buzz":
        return "抢答时间到：无人抢答，本题作废"
    return "速答时间到" if verdict == "unanswered" else with_points("答题超时", step.event.delta)


DESCRIBERS: dict[str, Callable[[History, Step], str]] = {  # by event kind
    "ContestCreated": _created,
    "ContestStarted": lambda history, step: f"开始比赛，各队基础分 {history.config.rules.base_score}",
    "StageStarted": _stage_started,
    "TiebreakStarted": lambda history, step: "开始加赛：" + "、".join(
        team_label(history.team(t)) for t in step.event.teams),
    "QuestionShown": _question_shown,
    "TurnStarted": _turn_started,
    "BuzzersOpened": lambda history, step: f"开始抢答（限时 {_seconds(step.event.deadline - step.event.at)}）",
    "BuzzWon": _buzz_won,
    "EarlyBuzz": _early_buzz,
    "Judged": _judged,
    "TierChosen": lambda history, step: f"{_team_of(history, step.event)} 选择 {step.event.tier} 分题",
    "Abstained": lambda history, step: f"{_team_of(history, step.event)} 放弃本轮",
    "TimedOut": _timed_out,
    "StageEnded": lambda history, step: f"结束「{history.stage_title(step.stage_index)}」",
    "ScoreAdjusted": lambda history, step: with_points(f"调整 {_team_of(history, step.event)}", step.event.delta)
    + f"，原因：{step.event.reason}",
    "DecisionUndone": lambda history, step: f"撤销第 {step.event.target_seq} 号操作"
    f"（{KIND_LABELS.get(step.event.target_kind, step.event.target_kind)}）",
    "ClockResumed": lambda history, step: f"恢复运行后继续计时，剩余 {_seconds(step.event.remaining)}",
    "PlaceRevealed": lambda history, step: f"揭晓第 {step.event.place} 名：{_team_of(history, step.event)}",
    "ContestFinished": lambda history, step: "结束比赛，名次：" + " > ".join(
        f"{history.team(t).seat}号" for t in step.event.ranking),
}

FIXED_TEXT = {
    "BuzzersClosed": "关闭抢答：无人抢答，本题作废",
    "Passed": "判定 过",
    "AnswerRevealed": "揭晓答案",
    "BuzzingInterrupted": "恢复运行，本次抢答作废，需重新开始抢答",
    "ScoresHidden": "隐藏比分：大屏和手机不再显示比分与名次",
    "ScoresFrozen": "冻结比分：大屏和手机停在此刻的比分",
    "ScoresUnfrozen": "解冻比分：大屏和手机恢复实时比分",
    "ScoresRevealed": "全部揭晓：大屏和手机恢复显示全部比分与名次",
}
