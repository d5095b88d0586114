"""The contest after the fact: results with tiebreaks, score progression, points per stage,
question statistics and the audit trail, all read from the raw event log.

Pure: no Flask, Socket.IO or database. Every function folds the log with
:func:`contest.evolve.evolve`, the fold that live play and replay use, so a report can never
disagree with the standings the hall saw. The raw log keeps undone decisions and the
``DecisionUndone`` that took them back: the audit shows both, every other view counts only the
decisions that stand.

An undo always takes back the last decision that stands, so the state folded up to a decision
that is never undone is exactly the state of the final record at that point; that is why one
pass over the raw log can serve every view.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from contest.config import ContestConfig, Question, Team
from contest.events import (
    Abstained,
    BuzzersClosed,
    BuzzersOpened,
    BuzzWon,
    ContestCreated,
    ContestStarted,
    DecisionUndone,
    EarlyBuzz,
    Event,
    Judged,
    Passed,
    QuestionShown,
    ScoreAdjusted,
    StageEnded,
    StageStarted,
    TiebreakStarted,
    TierChosen,
    TimedOut,
    TurnStarted,
)
from contest.evolve import evolve, initial_state
from contest.rules import EarlyBuzzPolicy, StageKind
from contest.scoring import prize_name, standings
from contest.state import ContestState, ContestStatus, Phase

MINUS = "−"  # U+2212: a minus that no spreadsheet reads as the start of a formula

VERDICT_LABELS = {
    "right": "正确", "wrong": "错误", "void": "无效", "timeout": "超时", "no_buzz": "无人抢答",
    "abstain": "放弃", "pass": "过", "unanswered": "未作答",
}

KIND_LABELS = {
    "ContestCreated": "创建比赛", "ContestStarted": "开始比赛", "StageStarted": "开始环节",
    "QuestionShown": "出题", "TurnStarted": "轮到队伍", "BuzzersOpened": "开始抢答", "BuzzWon": "抢答成功",
    "EarlyBuzz": "提前抢答", "BuzzersClosed": "关闭抢答", "Judged": "判定", "Passed": "过题",
    "TierChosen": "选择分值", "Abstained": "放弃", "TimedOut": "计时结束", "AnswerRevealed": "揭晓答案",
    "StageEnded": "结束环节", "ScoreAdjusted": "调整分数", "DecisionUndone": "撤销", "TiebreakStarted": "开始加赛",
    "ContestFinished": "结束比赛", "ClockResumed": "恢复计时", "BuzzingInterrupted": "抢答中断",
}

ACTOR_ROLES = {"host": "主持人", "judge": "评委", "organizer": "组织者", "clock": "计时器", "display": "大屏",
               "server": "服务器"}

# Events that put something new on screen: they belong to what they open, so their stage and
# question are read after they are folded; every other event belongs to what was on screen before.
OPENING = (StageStarted, TiebreakStarted, QuestionShown, TurnStarted, TierChosen)

# Events that are a team's own act: their description starts with the team, not with who keyed it in.
TEAM_ACTS = (BuzzWon, EarlyBuzz, TierChosen, Abstained)


# --- the fold ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One raw event and what the fold knew around it."""

    event: Event
    stage_index: int | None
    stage_kind: StageKind | None
    question: Question | None
    phase_before: Phase | None
    phase_after: Phase | None
    scores: dict[int, int]  # after the event
    opened_at: int | None  # buzzer: when the buzzers last opened, for a BuzzWon's buzz time
    undone: bool  # a later DecisionUndone took this event back

    @property
    def stands(self) -> bool:
        """Whether the event counts in the final record (neither undone nor an undo itself)."""
        return not self.undone and not isinstance(self.event, DecisionUndone)


@dataclass(frozen=True)
class Fold:
    """The raw log folded once: a step per event, the final state, question numbers."""

    steps: tuple[Step, ...]
    state: ContestState
    numbers: dict[tuple[int, str], int]  # (stage index, question id) -> order of appearance in its stage

    @property
    def config(self) -> ContestConfig:
        """The contest's configuration, from its first event."""
        return self.state.config

    @property
    def standing(self) -> list[Step]:
        """The steps whose events count in the final record."""
        return [step for step in self.steps if step.stands]

    def stage_title(self, index: int | None) -> str:
        """The title of stage ``index`` as the hall saw it ("" outside any stage)."""
        return "" if index is None else self.config.stages[index].display_title

    def team(self, team_id: int | None) -> Team | None:
        """The team with ``team_id``, if it plays."""
        return None if team_id is None else self.config.team(team_id)

    def question_label(self, step: Step) -> str:
        """"第3题" for the question of ``step`` (by its order of appearance in its stage), else ""."""
        if step.question is None:
            return ""
        number = self.numbers.get((step.stage_index, step.question.id))
        return f"第{number}题" if number else ""


def fold(events: list[Event]) -> Fold:
    """Fold the raw log once, keeping the stage, question and scores around each event."""
    if not events or not isinstance(events[0], ContestCreated):
        raise ValueError("事件记录必须以 ContestCreated 开始")
    undone = {event.target_seq for event in events if isinstance(event, DecisionUndone)}
    state = initial_state(events[0])
    steps = [Step(events[0], None, None, None, None, None, {}, None, False)]
    opened_at = None
    for event in events[1:]:
        before = _context(state)
        evolve(state, event)
        after = _context(state)
        if isinstance(event, BuzzersOpened):
            opened_at = event.at
        place = after if isinstance(event, OPENING) else before
        question = None if isinstance(event, StageEnded) else place[2]  # the stage's card, not its last question
        steps.append(Step(event, place[0], place[1], question, before[3], after[3], dict(state.scores), opened_at,
                          event.seq in undone))
    return Fold(tuple(steps), state, _question_numbers(steps))


def _context(state: ContestState) -> tuple:
    """Where the contest is: stage index and kind, question on screen, phase."""
    stage = state.stage
    if stage is None:
        return None, None, None, None
    return stage.index, stage.kind, stage.question, stage.phase


def _question_numbers(steps: list[Step]) -> dict[tuple[int, str], int]:
    """Number the questions that stand by their order of appearance within their stage.

    The order of appearance is what the hall heard ("第3题"); a question's place in the stage's
    list means nothing in a risk stage, where questions are drawn by value.
    """
    numbers: dict[tuple[int, str], int] = {}
    per_stage: Counter = Counter()
    for step in steps:
        if step.stands and step.question is not None and (step.stage_index, step.question.id) not in numbers:
            per_stage[step.stage_index] += 1
            numbers[(step.stage_index, step.question.id)] = per_stage[step.stage_index]
    return numbers


def signed(delta: int) -> str:
    """Points with their sign, "+10" or "−10" (the typographic minus)."""
    return f"+{delta}" if delta > 0 else f"{MINUS}{-delta}" if delta < 0 else "0"


def team_label(team: Team | None) -> str:
    """"2号 青禾生物队": the seat beside the name, as every screen shows a team."""
    return f"{team.seat}号 {team.name}" if team else ""


def event_teams(event: Event) -> tuple[int, ...]:
    """The teams an event is about (the holder of a question shown to one team, the tied teams …)."""
    if isinstance(event, TiebreakStarted):
        return tuple(event.teams)
    team = getattr(event, "team", None)
    if team is None:
        team = getattr(event, "holder", None)
    return () if team is None else (team,)


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultLine:
    """One team's line on the result sheet."""

    place: int
    team: Team
    score: int
    prize: str  # "一等奖" …, or ""
    tied: bool  # shares its place
    undecided: bool  # tied across a prize boundary: waits for a tiebreak


@dataclass(frozen=True)
class TiebreakOutcome:
    """A tiebreak: the teams that were tied on ``score`` and the order it gave them (best first)."""

    teams: tuple[Team, ...]
    score: int
    order: tuple[Team, ...]  # empty while the tiebreak has not placed every team


@dataclass(frozen=True)
class Results:
    """The standings with prizes and the tiebreaks that decided them."""

    title: str
    status: ContestStatus
    lines: tuple[ResultLine, ...]
    tiebreaks: tuple[TiebreakOutcome, ...]

    @property
    def finished(self) -> bool:
        """Whether the contest is closed (the standings are final, bar judges' corrections)."""
        return self.status == ContestStatus.FINISHED

    def remark(self, line: ResultLine) -> str:
        """Why a line stands where it does, when the score alone does not say: tie or tiebreak."""
        if line.undecided:
            return "同分，待加赛"
        rank = self.tiebreak_rank(line.team.id)
        if rank is not None:
            return f"加赛第{rank}名"
        return "并列" if line.tied else ""

    def tiebreak_rank(self, team_id: int) -> int | None:
        """The 1-based place ``team_id`` took in the tiebreak that decided it, if any."""
        for outcome in reversed(self.tiebreaks):
            ids = [team.id for team in outcome.order]
            if team_id in ids:
                return ids.index(team_id) + 1
        return None


def final_results(events: list[Event]) -> Results:
    """Standings with prizes (prize counts from the contest rules) and every tiebreak's outcome."""
    folded = fold(events)
    state = folded.state
    lines = tuple(
        ResultLine(line.place, folded.team(line.team), line.score, prize_name(line.prize), line.tied, line.undecided)
        for line in standings(state)
    )
    return Results(state.config.title, state.status, lines, _tiebreaks(folded))


def _tiebreaks(folded: Fold) -> tuple[TiebreakOutcome, ...]:
    """Each tiebreak that stands, with the result it produced (matched by its group of teams)."""
    results = list(folded.state.tiebreak_results)
    outcomes = []
    for step in folded.standing:
        if not isinstance(step.event, TiebreakStarted):
            continue
        group = set(step.event.teams)
        result = next((r for r in results if set(r) == group), ())
        if result:
            results.remove(result)
        teams = tuple(folded.team(t) for t in step.event.teams)
        score = step.scores.get(step.event.teams[0], 0)
        outcomes.append(TiebreakOutcome(teams, score, tuple(folded.team(t) for t in result)))
    return tuple(outcomes)


# --- score progression ------------------------------------------------------------------------


@dataclass(frozen=True)
class Progression:
    """Each team's score after each decided question or turn, and after each adjustment."""

    teams: tuple[Team, ...]  # seat order
    labels: tuple[str, ...]  # one per point: "开始", "必答题 第3题", "速答题 2号", "调整 5号"
    series: dict[int, tuple[int, ...]]  # team id -> score at each point
    stage_starts: tuple[tuple[int, str], ...]  # (point index, stage title) where a stage's points begin

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for the display's chart."""
        return {
            "teams": [{"id": t.id, "seat": t.seat, "name": t.name} for t in self.teams],
            "labels": list(self.labels),
            "series": {str(team): list(scores) for team, scores in self.series.items()},
            "stages": [{"start": start, "title": title} for start, title in self.stage_starts],
        }


DECIDING = (Judged, TimedOut, Abstained, BuzzersClosed, Passed)


def score_progression(events: list[Event]) -> Progression:
    """One point per decided question (per team turn in a speed stage), plus one per adjustment.

    A speed packet counts as one point, the team's whole turn: fifteen flat points per team
    would bury the rest of the chart. A foul's penalty shows at the point of its question.
    """
    folded = fold(events)
    teams = tuple(sorted(folded.config.teams, key=lambda team: team.seat))
    labels: list[str] = []
    series: dict[int, list[int]] = {team.id: [] for team in teams}
    starts: list[tuple[int, str, int]] = []  # (point index, title, stage index)
    last_scores: dict[int, int] | None = None
    for step in folded.standing:
        label = _point_label(folded, step, last_scores)
        if label is None:
            continue
        if step.stage_index is not None and (not starts or starts[-1][2] != step.stage_index):
            starts.append((len(labels), folded.stage_title(step.stage_index), step.stage_index))
        labels.append(label)
        for team in teams:
            series[team.id].append(step.scores.get(team.id, 0))
        last_scores = step.scores
    return Progression(teams, tuple(labels), {t: tuple(s) for t, s in series.items()},
                       tuple((start, title) for start, title, _index in starts))


def _point_label(folded: Fold, step: Step, last_scores: dict[int, int] | None) -> str | None:
    """The label of the chart point that ``step`` makes, or None when it makes none."""
    event = step.event
    title = folded.stage_title(step.stage_index)
    if isinstance(event, ContestStarted):
        return "开始"
    if isinstance(event, ScoreAdjusted):
        return f"调整 {folded.team(event.team).seat}号"
    if step.stage_kind == StageKind.SPEED:
        turn_over = step.phase_after == Phase.TURN_OVER and step.phase_before != Phase.TURN_OVER
        return f"{title} {folded.team(event.team).seat}号" if turn_over else None
    if step.stage_kind == StageKind.RISK and isinstance(event, (Judged, TimedOut, Abstained)):
        return f"{title} {folded.team(event.team).seat}号"
    if isinstance(event, DECIDING) or (isinstance(event, EarlyBuzz) and step.phase_after == Phase.JUDGED):
        return f"{title} {folded.question_label(step)}".strip()
    if isinstance(event, StageEnded) and last_scores is not None and step.scores != last_scores:
        return f"{title} 结束"  # a penalty that no decision followed still shows
    return None


# --- points per stage -------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownRow:
    """A team's points: the base score, what each stage gave, the adjustments, the total."""

    team: Team
    base: int
    stages: tuple[int, ...]  # in the order of Breakdown.stage_titles
    adjustments: int
    total: int


@dataclass(frozen=True)
class Breakdown:
    """Points per stage for every team (seat order); base + stages + adjustments = total."""

    stage_indexes: tuple[int, ...]
    stage_titles: tuple[str, ...]
    rows: tuple[BreakdownRow, ...]

    def row(self, team_id: int) -> BreakdownRow | None:
        """The row of ``team_id``."""
        return next((row for row in self.rows if row.team.id == team_id), None)


def stage_breakdown(events: list[Event]) -> Breakdown:
    """Each team's points per stage; corrections (by host or judges) have their own column.

    A foul's penalty counts in the stage it happened in. The columns are the regular stages in
    play order; the tiebreak gets a column only if it ever changed a score (by the rules it
    does not), so the columns always add up to the total.
    """
    folded = fold(events)
    config = folded.config
    points: dict[tuple[int, int | None], int] = defaultdict(int)  # (team, stage or None) -> points
    for step in folded.standing:
        in_stage = None if isinstance(step.event, ScoreAdjusted) else step.stage_index
        for team, delta in step.event.score_changes().items():
            points[(team, in_stage)] += delta
    scored = {stage for (_team, stage), value in points.items() if value and stage is not None}
    indexes = tuple(i for i in range(len(config.stages)) if i in config.regular_stage_indexes or i in scored)
    base = config.rules.base_score if folded.state.status != ContestStatus.NOT_STARTED else 0
    rows = []
    for team in sorted(config.teams, key=lambda t: t.seat):
        by_stage = tuple(points[(team.id, i)] for i in indexes)
        adjustments = points[(team.id, None)]
        rows.append(BreakdownRow(team, base, by_stage, adjustments, base + sum(by_stage) + adjustments))
    return Breakdown(indexes, tuple(folded.stage_title(i) for i in indexes), tuple(rows))


# --- question statistics ----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How a question ended for one team (or for nobody: no buzz)."""

    team: Team | None
    verdict: str  # a key of VERDICT_LABELS
    delta: int

    @property
    def label(self) -> str:
        """"2号 青禾生物队 正确 +10", or "无人抢答"."""
        return with_points(f"{team_label(self.team)} {VERDICT_LABELS[self.verdict]}".strip(), self.delta)


@dataclass
class QuestionStat:
    """What became of one question that was shown: who held it, the verdicts, buzz times, fouls."""

    stage_index: int
    stage_title: str
    number: int
    question_id: str
    stem: str
    answer: str
    holders: list[Team] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    buzz_ms: list[int] = field(default_factory=list)  # per buzz won: ms from the opening to the press
    fouls: list[Team] = field(default_factory=list)
    points: int = 0  # every point given or taken on this question, fouls included

    @property
    def right(self) -> int:
        """How many teams answered it right."""
        return sum(1 for outcome in self.outcomes if outcome.verdict == "right")

    @property
    def wrong(self) -> int:
        """How many answered it wrong or ran out of time."""
        return sum(1 for outcome in self.outcomes if outcome.verdict in ("wrong", "timeout"))


def question_stats(events: list[Event]) -> list[QuestionStat]:
    """Every question that was shown (and not taken back), in order of play.

    Buzz time is measured from the buzzers' opening to the winning press: the press time on the
    server clock when the phone reported it (``pressed_at``), else its arrival. In compensated
    arbitration the decision waits a short window, which would otherwise count against the team.
    """
    folded = fold(events)
    stats: dict[tuple[int, str], QuestionStat] = {}
    for step in folded.standing:
        if step.question is None:
            continue
        key = (step.stage_index, step.question.id)
        if key not in stats:
            stats[key] = QuestionStat(step.stage_index, folded.stage_title(step.stage_index), folded.numbers[key],
                                      step.question.id, step.question.stem, step.question.answer)
        _count(stats[key], folded, step)
    return list(stats.values())


def _count(stat: QuestionStat, folded: Fold, step: Step) -> None:
    """Add what one event tells about its question."""
    event = step.event
    stat.points += sum(event.score_changes().values())
    team = folded.team(event_teams(event)[0]) if event_teams(event) else None
    if team is not None and isinstance(event, (QuestionShown, BuzzWon, TierChosen, Judged, TimedOut, Passed)):
        if team not in stat.holders:
            stat.holders.append(team)
    if isinstance(event, BuzzWon) and step.opened_at is not None:
        pressed = event.pressed_at if event.pressed_at is not None else event.at
        stat.buzz_ms.append(max(0, pressed - step.opened_at))
    if isinstance(event, EarlyBuzz) and event.policy == EarlyBuzzPolicy.FOUL:
        stat.fouls.append(team)
    verdict = _verdict(step)
    if verdict is not None:
        holder = None if verdict == "no_buzz" else team
        stat.outcomes.append(Outcome(holder, verdict, sum(event.score_changes().values())))


def _verdict(step: Step) -> str | None:
    """The verdict an event gives its question, if it gives one."""
    event = step.event
    if isinstance(event, Judged):
        return event.verdict
    if isinstance(event, Passed):
        return "pass"
    if isinstance(event, BuzzersClosed):
        return "no_buzz"
    if isinstance(event, TimedOut):
        if step.phase_before == Phase.BUZZING:
            return "no_buzz"
        return "unanswered" if step.stage_kind == StageKind.SPEED else "timeout"
    if isinstance(event, EarlyBuzz) and step.phase_after == Phase.JUDGED:
        return "no_buzz"  # every team fouled: nobody may answer
    return None


# --- the audit trail --------------------------------------------------------------------------


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


def audit_trail(events: list[Event]) -> list[AuditRow]:
    """Every event of the raw log in order, undone ones flagged, each with a Chinese description."""
    folded = fold(events)
    by_seq = {step.event.seq: step for step in folded.steps}
    return [_audit_row(folded, step, by_seq) for step in folded.steps]


def _audit_row(folded: Fold, step: Step, by_seq: dict[int, Step]) -> AuditRow:
    """The audit line of one step."""
    event = step.event
    target = by_seq.get(event.target_seq) if isinstance(event, DecisionUndone) else None
    about = target or step
    delta = _row_delta(event, target)
    return AuditRow(
        seq=event.seq, at=event.at, kind=event.kind, actor=actor_label(event.actor, folded.config),
        stage_index=about.stage_index, stage_title=folded.stage_title(about.stage_index),
        question=folded.question_label(about), question_id=about.question.id if about.question else "",
        teams=tuple(folded.team(t) for t in event_teams(about.event) if folded.team(t)),
        description=describe(folded, step), delta=delta, undone=step.undone,
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


def actor_label(actor: str, config: ContestConfig) -> str:
    """Who acted, in Chinese: "主持人 alice", "评委 wang", "2号 青禾生物队（手机）", "计时器"."""
    role, _, name = actor.partition(":")
    if role == "team":
        team = config.team(int(name)) if name.isdigit() else None
        return f"{team_label(team)}（手机）" if team else actor
    label = ACTOR_ROLES.get(role)
    if label is None:
        return actor
    return f"{label} {name}" if name else label


def _subject(actor: str) -> str:
    """The role that acted, for the start of a description ("主持人", "评委", "计时器")."""
    role = actor.partition(":")[0]
    return "" if role == "team" else ACTOR_ROLES.get(role, actor)


def describe(folded: Fold, step: Step) -> str:
    """The Chinese sentence of the audit for one event: who (by role) did what, for how many points."""
    event = step.event
    describer = DESCRIBERS.get(event.kind)
    text = describer(folded, step) if describer else FIXED_TEXT.get(event.kind, KIND_LABELS.get(event.kind, event.kind))
    if isinstance(event, TEAM_ACTS) or getattr(event, "auto", False):
        return text  # the team acted, whoever keyed it in (the actor column says who did)
    subject = _subject(event.actor)
    return f"{subject} {text}" if subject else text


def with_points(text: str, delta: int) -> str:
    """``text`` followed by its points ("判定 正确 +10"), or alone when no points moved."""
    return f"{text} {signed(delta)}" if delta else text


def _team_of(folded: Fold, event: Event) -> str:
    """"2号 青禾生物队" for the event's team."""
    return team_label(folded.team(getattr(event, "team", None)))


def _seconds(ms: int) -> str:
    """Milliseconds as seconds for people, "1.234 秒" or "30 秒"."""
    return f"{ms // 1000} 秒" if ms % 1000 == 0 else f"{ms / 1000:.3f} 秒"


def _created(folded: Fold, step: Step) -> str:
    """What was set up: the judges check the number of teams and stages against the rule sheet."""
    config = folded.config
    return f"创建比赛「{config.title}」：{len(config.teams)} 支队伍，{len(config.regular_stage_indexes)} 个环节"


def _stage_started(folded: Fold, step: Step) -> str:
    """A stage opens; in a risk stage the order of turns (by score, ties drawn) is part of the record."""
    text = f"开始「{folded.stage_title(step.stage_index)}」"
    if step.stage_kind == StageKind.RISK:
        text += "，出场顺序（按得分）：" + "、".join(f"{folded.team(t).seat}号" for t in step.event.order)
    return text


def _question_shown(folded: Fold, step: Step) -> str:
    """A question goes up, with the team that must answer it and its time when it has one."""
    event = step.event
    text = f"出题 {folded.question_label(step)}".rstrip()
    if event.holder is not None:
        text += f"，由 {team_label(folded.team(event.holder))} 作答，限时 {_seconds(event.deadline - event.at)}"
    return text


def _turn_started(folded: Fold, step: Step) -> str:
    """A speed packet with its window, or a risk turn waiting for the team's value."""
    event = step.event
    team = team_label(folded.team(event.holder))
    if step.stage_kind == StageKind.SPEED:
        return f"开始速答：{team}，限时 {_seconds(event.deadline - event.at)}"
    return f"轮到 {team} 选择分值"


def _buzz_won(folded: Fold, step: Step) -> str:
    """The winning buzz with its time from the opening: the first thing a losing team asks about."""
    event = step.event
    pressed = event.pressed_at if event.pressed_at is not None else event.at
    timing = f"，开始抢答后 {_seconds(max(0, pressed - step.opened_at))}" if step.opened_at is not None else ""
    return f"{_team_of(folded, event)} 抢到答题权{timing}"


def _early_buzz(folded: Fold, step: Step) -> str:
    """A press before the opening: a foul (its penalty, or out of the question) or a lockout."""
    event = step.event
    team = _team_of(folded, event)
    if event.policy == EarlyBuzzPolicy.FOUL:
        return with_points(f"{team} 抢答犯规", event.delta) if event.delta else f"{team} 抢答犯规，本题出局"
    locked = f"，锁定 {_seconds(event.locked_until - event.at)}" if event.locked_until is not None else ""
    return f"{team} 提前抢答{locked}"


def _judged(folded: Fold, step: Step) -> str:
    """A verdict; one marked from the phone also shows the answer the team gave."""
    event = step.event
    verdict = VERDICT_LABELS[event.verdict]
    if event.auto:
        return with_points(f"{_team_of(folded, event)} 手机作答「{event.answer}」，自动判定 {verdict}", event.delta)
    return with_points(f"判定 {verdict}", event.delta)


def _timed_out(folded: Fold, step: Step) -> str:
    """What running out of time meant: no buzz, a speed window closed, or an unanswered question."""
    verdict = _verdict(step)
    if verdict == "no_buzz":
        return "抢答时间到：无人抢答，本题作废"
    return "速答时间到" if verdict == "unanswered" else with_points("答题超时", step.event.delta)


DESCRIBERS: dict[str, Callable[[Fold, Step], str]] = {  # by event kind
    "ContestCreated": _created,
    "ContestStarted": lambda folded, step: f"开始比赛，各队基础分 {folded.config.rules.base_score}",
    "StageStarted": _stage_started,
    "TiebreakStarted": lambda folded, step: "开始加赛：" + "、".join(
        team_label(folded.team(t)) for t in step.event.teams),
    "QuestionShown": _question_shown,
    "TurnStarted": _turn_started,
    "BuzzersOpened": lambda folded, step: f"开始抢答（限时 {_seconds(step.event.deadline - step.event.at)}）",
    "BuzzWon": _buzz_won,
    "EarlyBuzz": _early_buzz,
    "Judged": _judged,
    "TierChosen": lambda folded, step: f"{_team_of(folded, step.event)} 选择 {step.event.tier} 分题",
    "Abstained": lambda folded, step: f"{_team_of(folded, step.event)} 放弃本轮",
    "TimedOut": _timed_out,
    "StageEnded": lambda folded, step: f"结束「{folded.stage_title(step.stage_index)}」",
    "ScoreAdjusted": lambda folded, step: with_points(f"调整 {_team_of(folded, step.event)}", step.event.delta)
    + f"，原因：{step.event.reason}",
    "DecisionUndone": lambda folded, step: f"撤销第 {step.event.target_seq} 号操作"
    f"（{KIND_LABELS.get(step.event.target_kind, step.event.target_kind)}）",
    "ClockResumed": lambda folded, step: f"恢复运行后继续计时，剩余 {_seconds(step.event.remaining)}",
    "ContestFinished": lambda folded, step: "结束比赛，名次：" + " > ".join(
        f"{folded.team(t).seat}号" for t in step.event.ranking),
}

FIXED_TEXT = {
    "BuzzersClosed": "关闭抢答：无人抢答，本题作废",
    "Passed": "判定 过",
    "AnswerRevealed": "揭晓答案",
    "BuzzingInterrupted": "恢复运行，本次抢答作废，需重新开始抢答",
}
