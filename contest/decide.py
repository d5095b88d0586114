"""The rules: whether a command is allowed now, and if so which event it becomes.

Each decider reads the state, the command and the time, and returns exactly one event or raises
:class:`Refusal` with a reason the host can read. Deciders never change the state.
"""
import random
from typing import Callable

from contest import commands as c
from contest.events import (
    Abstained,
    AnswerRevealed,
    BuzzersClosed,
    BuzzersOpened,
    BuzzingInterrupted,
    BuzzWon,
    ClockResumed,
    ContestFinished,
    ContestStarted,
    DecisionUndone,
    EarlyBuzz,
    Event,
    Judged,
    Passed,
    PlaceRevealed,
    QuestionShown,
    ScoreAdjusted,
    ScoresFrozen,
    ScoresHidden,
    ScoresRevealed,
    ScoresUnfrozen,
    StageEnded,
    StageStarted,
    TiebreakStarted,
    TierChosen,
    TimedOut,
    TurnStarted,
)
from contest.answers import AnswerError, is_right, normalise_choice
from contest.config import Question, StageConfig
from contest.rules import AnswerMode, EarlyBuzzPolicy, StageKind
from contest.scoring import pending_ties, standings
from contest.suspense import next_to_reveal
from contest.state import ContestState, ContestStatus, Phase, StageProgress, Verdict

SECOND = 1000
OPEN_PHASES = (Phase.ANSWERING, Phase.BUZZING, Phase.CHOOSING)
QUESTION_DONE = (Phase.INTRO, Phase.JUDGED, Phase.REVEALED)


class Refusal(Exception):
    """A command that the rules do not allow now; ``reason`` is for the host, in Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def decide(state: ContestState, command: c.Command, now: int) -> Event:
    """The one event that ``command`` becomes at time ``now``, or :class:`Refusal`."""
    decider = DECIDERS.get(type(command))
    if decider is None:
        raise Refusal(f"未知的操作：{type(command).__name__}")
    return decider(state, command, now)


def _event(cls: type[Event], state: ContestState, command: c.Command, now: int, **values) -> Event:
    """Build the next event of the contest, numbered after the last one."""
    return cls(seq=state.seq + 1, at=now, actor=command.actor, **values)


# --- guards -----------------------------------------------------------------------------------


def _running(state: ContestState) -> None:
    """Refuse unless the contest is under way."""
    if state.status == ContestStatus.NOT_STARTED:
        raise Refusal("比赛尚未开始")
    if state.status == ContestStatus.FINISHED:
        raise Refusal("比赛已结束")


def _in_stage(state: ContestState) -> StageProgress:
    """The stage in play, or a refusal."""
    _running(state)
    if state.stage is None:
        raise Refusal("当前不在任何环节中，请先开始一个环节")
    return state.stage


def _stage_config(state: ContestState) -> StageConfig:
    """Configuration of the stage in play."""
    return state.config.stages[state.stage.index]


def _kind(state: ContestState, *kinds: StageKind, action: str) -> StageProgress:
    """The stage in play if it is of one of ``kinds``, else a refusal naming ``action``."""
    stage = _in_stage(state)
    if stage.kind not in kinds:
        raise Refusal(f"「{_stage_config(state).display_title}」环节不能{action}")
    return stage


def _holder(state: ContestState, team: int, action: str) -> StageProgress:
    """The stage, if ``team`` holds the question now; else a refusal naming who does."""
    stage = _in_stage(state)
    if state.config.team(team) is None:
        raise Refusal(f"没有编号为 {team} 的队伍")
    if stage.holder != team:
        holder = f"现在轮到{state.team_name(stage.holder)}" if stage.holder is not None else "现在没有队伍答题"
        raise Refusal(f"{state.team_name(team)}现在不能{action}（{holder}）")
    return stage


def _no_stage_open(state: ContestState) -> None:
    """Refuse while a stage is in play."""
    _running(state)
    if state.stage is not None:
        raise Refusal(f"请先结束当前环节「{_stage_config(state).display_title}」")


def _seconds_left(stage: StageProgress, now: int) -> int:
    """Whole seconds left on the clock, rounded up."""
    return max(0, -(-(stage.deadline - now) // SECOND))


# --- contest flow -----------------------------------------------------------------------------


def _start_contest(state: ContestState, command: c.StartContest, now: int) -> Event:
    """The contest opens once."""
    if state.status != ContestStatus.NOT_STARTED:
        raise Refusal("比赛已经开始" if state.status == ContestStatus.RUNNING else "比赛已结束")
    return _event(ContestStarted, state, command, now)


def _start_stage(state: ContestState, command: c.StartStage, now: int) -> Event:
    """The next stage in order opens; the risk stage's order follows the scores."""
    _no_stage_open(state)
    index = state.next_regular_stage
    if index is None:
        raise Refusal("所有环节都已完成")
    stage = state.config.stages[index]
    if not stage.questions:
        raise Refusal(f"「{stage.display_title}」没有题目，无法开始")
    order = state.config.seat_order
    if stage.kind == StageKind.RISK:
        order = _order_by_score(state, command.draw_seed)
    return _event(StageStarted, state, command, now, stage_index=index, order=order)


def _order_by_score(state: ContestState, seed: int) -> tuple[int, ...]:
    """Teams by score, high to low; equal scores in an order drawn with ``seed``."""
    draw = random.Random(seed)
    teams = list(state.config.seat_order)
    draw.shuffle(teams)
    return tuple(sorted(teams, key=lambda team: -state.scores[team]))


def _end_stage(state: ContestState, command: c.EndStage, now: int) -> Event:
    """A stage ends between questions only, so every question the hall saw has its outcome in the log.

    A question being read (or reopened for a second chance) has none yet: the host opens the
    buzzers, and may close them at once to void it, or undoes showing it.
    """
    stage = _in_stage(state)
    if stage.phase == Phase.READING:
        raise Refusal("本题正在读题，请先开始抢答并结束本题（或撤销出题），再结束本环节")
    if stage.phase in OPEN_PHASES:
        raise Refusal("本题尚未结束，请先判定或等待计时结束")
    return _event(StageEnded, state, command, now, stage_index=stage.index)


def _start_tiebreak(state: ContestState, command: c.StartTiebreak, now: int) -> Event:
    """A tiebreak among exactly a tied group that decides a place."""
    _no_stage_open(state)
    tiebreak = state.config.tiebreak_stage
    if tiebreak is None:
        raise Refusal("本场比赛未设置加赛环节")
    if state.next_regular_stage is not None:
        raise Refusal("加赛在所有环节结束后进行")
    if state.tiebreak_question_next >= len(tiebreak.questions):
        raise Refusal("加赛题已用完，请补充加赛题")
    groups = pending_ties(state)
    if tuple(sorted(command.teams)) not in groups:
        offered = "；".join("、".join(state.team_name(t) for t in group) for group in groups) or "无"
        raise Refusal(f"只能在同分且影响获奖名次的队伍之间加赛（当前需要加赛：{offered}）")
    order = tuple(team for team in state.config.seat_order if team in command.teams)
    return _event(TiebreakStarted, state, command, now, teams=order)


def _finish_contest(state: ContestState, command: c.FinishContest, now: int) -> Event:
    """The contest closes when every stage was played and no prize waits on a tie."""
    _no_stage_open(state)
    if state.next_regular_stage is not None:
        missing = state.config.stages[state.next_regular_stage].display_title
        raise Refusal(f"还有环节未进行：「{missing}」")
    for group in pending_ties(state):
        names = "、".join(state.team_name(team) for team in group)
        raise Refusal(f"{names} 同分且影响获奖，请先加赛")
    ranking = tuple(line.team for line in standings(state))
    return _event(ContestFinished, state, command, now, ranking=ranking)


def _adjust_score(state: ContestState, command: c.AdjustScore, now: int) -> Event:
    """A correction with a reason, allowed during and after the contest."""
    if state.status == ContestStatus.NOT_STARTED:
        raise Refusal("比赛尚未开始")
    if state.config.team(command.team) is None:
        raise Refusal(f"没有编号为 {command.team} 的队伍")
    if isinstance(command.delta, bool) or not isinstance(command.delta, int) or command.delta == 0:
        raise Refusal("调整分数必须是非零整数")
    if not command.reason.strip():
        raise Refusal("调整分数必须说明原因")
    return _event(ScoreAdjusted, state, command, now, team=command.team, delta=command.delta,
                  reason=command.reason.strip())


def _undo(state: ContestState, command: c.Undo, now: int) -> Event:
    """Take back the last effective event, unless it is the contest's creation or close."""
    last = state.history[-1]
    if not last.undoable:
        if last.kind == "ContestFinished":
            raise Refusal("比赛已结束，不能撤销；如需更正请调整分数并说明原因")
        if last.kind in (ClockResumed.kind, BuzzingInterrupted.kind):
            raise Refusal("服务器重启前的操作不能撤销；如需更正请判为无效或调整分数并说明原因")
        raise Refusal("没有可以撤销的操作")
    return _event(DecisionUndone, state, command, now, target_seq=last.seq, target_kind=last.kind)


# --- questions --------------------------------------------------------------------------------


def _next_question(state: ContestState, command: c.NextQuestion, now: int) -> Event:
    """Put up the next question or turn, as the stage's kind plays it."""
    stage = _in_stage(state)
    return NEXT_BY_KIND[stage.kind](state, command, now)


def _require_done(stage: StageProgress, *phases: Phase) -> None:
    """Refuse moving on while the current question or turn is still open."""
    if stage.phase == Phase.RESOLVED:
        raise Refusal("加赛已决出名次，请结束本环节")
    if stage.phase not in phases:
        raise Refusal("本题尚未结束，请先判定或等待计时结束")


def _answer_deadline(question: Question, default_seconds: int, now: int) -> int:
    """When the answer clock for ``question`` ends (its own time limit, else the stage's)."""
    return now + (question.time_limit or default_seconds) * SECOND


def _next_required(state: ContestState, command: c.Command, now: int) -> Event:
    """必答: the next turn in seat order gets its own question, and its clock starts."""
    stage = state.stage
    _require_done(stage, *QUESTION_DONE)
    config = _stage_config(state)
    turn = stage.turn + 1
    if turn >= min(config.rules.rounds * len(stage.order), len(config.questions)):
        raise Refusal("本环节题目已全部完成，请结束本环节")
    holder = stage.order[turn % len(stage.order)]
    deadline = _answer_deadline(config.questions[turn], config.rules.time_limit, now)
    return _event(QuestionShown, state, command, now, turn=turn, question_index=turn, holder=holder,
                  deadline=deadline)


def _next_speed(state: ContestState, command: c.Command, now: int) -> Event:
    """速答: the next team's packet begins with its window clock."""
    stage = state.stage
    _require_done(stage, Phase.INTRO, Phase.TURN_OVER)
    config = _stage_config(state)
    turn = stage.turn + 1
    if turn >= len(stage.order):
        raise Refusal("所有队伍都已完成速答，请结束本环节")
    first = turn * config.rules.packet_size
    if first >= len(config.questions):
        raise Refusal(f"速答题不足，{state.team_name(stage.order[turn])}没有题目")
    return _event(TurnStarted, state, command, now, turn=turn, holder=stage.order[turn],
                  deadline=now + config.rules.window * SECOND, question_index=first)


def _next_shown_to_all(state: ContestState, command: c.Command, now: int) -> Event:
    """抢答 and 加赛: the next question is shown to all and read, buzzers still closed."""
    stage = state.stage
    _require_done(stage, *QUESTION_DONE)
    if stage.kind == StageKind.BUZZER:
        _require_planned_left(state)
    if stage.next_question >= len(_stage_config(state).questions):
        raise Refusal("本环节题目已用完")
    return _event(QuestionShown, state, command, now, turn=stage.turn + 1,
                  question_index=stage.next_question, holder=None, deadline=None)


def _require_planned_left(state: ContestState) -> None:
    """抢答 plays its planned number of questions: the spares only replace void ones, never add more."""
    planned = _stage_config(state).rules.question_count
    if len(state.stage.played_questions) >= planned:
        raise Refusal(f"本环节计划的 {planned} 题已全部完成，请结束本环节")


def _next_risk(state: ContestState, command: c.Command, now: int) -> Event:
    """风险: the next team in score order is to pick a value."""
    stage = state.stage
    _require_done(stage, *QUESTION_DONE)
    turn = stage.turn + 1
    if turn >= _stage_config(state).rules.rounds * len(stage.order):
        raise Refusal("所有队伍都已完成风险题，请结束本环节")
    return _event(TurnStarted, state, command, now, turn=turn, holder=stage.order[turn % len(stage.order)],
                  deadline=None, question_index=None)


NEXT_BY_KIND = {
    StageKind.REQUIRED: _next_required,
    StageKind.SPEED: _next_speed,
    StageKind.BUZZER: _next_shown_to_all,
    StageKind.TIEBREAK: _next_shown_to_all,
    StageKind.RISK: _next_risk,
}


def _open_buzzers(state: ContestState, command: c.OpenBuzzers, now: int) -> Event:
    """Buzzers open for the buzz window, once the question has been read."""
    stage = _kind(state, StageKind.BUZZER, StageKind.TIEBREAK, action="抢答")
    if stage.phase == Phase.BUZZING:
        raise Refusal("抢答已经开始")
    if stage.phase != Phase.READING:
        raise Refusal("请先出题，读题后再开始抢答")
    if not _eligible(state, stage):
        raise Refusal("没有还能抢答本题的队伍")
    window = _stage_config(state).rules.buzz_window
    # The token is the opening's own sequence number: never reused, even after an undo.
    return _event(BuzzersOpened, state, command, now, token=state.seq + 1, deadline=now + window * SECOND)


def _eligible(state: ContestState, stage: StageProgress) -> list[int]:
    """Teams that may still buzz on this question."""
    players = stage.remaining if stage.kind == StageKind.TIEBREAK else list(stage.order)
    return [team for team in players if team not in stage.out]


def _buzz(state: ContestState, command: c.Buzz, now: int) -> Event:
    """A press: early (judged by the early-buzz policy), valid (first wins), or too late."""
    stage = _kind(state, StageKind.BUZZER, StageKind.TIEBREAK, action="抢答")
    team = command.team
    if state.config.team(team) is None:
        raise Refusal(f"没有编号为 {team} 的队伍")
    if stage.kind == StageKind.TIEBREAK and team not in stage.remaining:
        raise Refusal(f"{state.team_name(team)}不在本次加赛中")
    if team in stage.out:
        fouled = any(b.team == team and b.outcome == "foul" for b in stage.buzzes)
        why = "已抢答犯规" if fouled else "已答过"
        raise Refusal(f"{state.team_name(team)}本题{why}，不能再抢答")
    if stage.phase == Phase.READING:
        if stage.interrupted:  # not a foul: the press may have been made while the buzzers were open
            raise Refusal("服务器刚刚恢复，上一次抢答已作废，请等待主持人重新开始抢答")
        return _early_buzz(state, command, now)
    if stage.phase != Phase.BUZZING:
        if stage.phase == Phase.ANSWERING:
            raise Refusal(f"抢答已结束，{state.team_name(stage.holder)}已抢到")
        raise Refusal("现在不能抢答，请等待主持人出题并开始抢答")
    if stage.locked_until.get(team, 0) > now:
        raise Refusal(f"{state.team_name(team)}提前按下，锁定中")
    if command.pressed_at is not None and command.pressed_at < stage.clock_started:
        return _early_buzz(state, command, now)  # pressed before the opening, arrived after it
    if command.open_token is not None and command.open_token != stage.open_token:
        raise Refusal("抢答信号已过期，请以最新一次开始抢答为准")
    deadline = _answer_deadline(stage.question, _stage_config(state).rules.answer_time, now)
    return _event(BuzzWon, state, command, now, team=team, pressed_at=command.pressed_at, deadline=deadline)


def _early_buzz(state: ContestState, command: c.Buzz, now: int) -> Event:
    """A press before the buzzers opened, judged by the stage's early-buzz policy."""
    rules = _stage_config(state).rules
    policy = EarlyBuzzPolicy(rules.early_buzz)
    if policy == EarlyBuzzPolicy.IGNORE:
        raise Refusal("尚未开始抢答，本次按下不计")
    penalty = getattr(rules, "foul_points", 0) if policy == EarlyBuzzPolicy.FOUL else 0
    locked_until = now + rules.lockout_ms if policy == EarlyBuzzPolicy.LOCKOUT else None
    return _event(EarlyBuzz, state, command, now, team=command.team, pressed_at=command.pressed_at,
                  policy=str(policy), delta=penalty, locked_until=locked_until)


def _close_buzzers(state: ContestState, command: c.CloseBuzzers, now: int) -> Event:
    """The host closes open buzzers with no winner."""
    stage = _kind(state, StageKind.BUZZER, StageKind.TIEBREAK, action="抢答")
    if stage.phase != Phase.BUZZING:
        raise Refusal("抢答未在进行中")
    return _event(BuzzersClosed, state, command, now)


def _submit_answer(state: ContestState, command: c.SubmitAnswer, now: int) -> Event:
    """A phone answer from the holder, where the stage answers on phones: marked at once."""
    stage = _holder(state, command.team, "作答")
    if stage.phase != Phase.ANSWERING:
        raise Refusal("现在不能提交答案")
    if not _answers_on_phone(state):
        raise Refusal("本环节为口头作答，请口头回答主持人")
    question = stage.question
    if not question.is_choice:
        raise Refusal("本题为口答题，请口头作答")
    if stage.submitted is not None:
        raise Refusal("答案已提交，不能修改")
    try:
        choice = normalise_choice(question, command.choice)
    except AnswerError as error:
        raise Refusal(str(error)) from None
    verdict = Verdict.RIGHT if is_right(question, choice) else Verdict.WRONG
    return _event(Judged, state, command, now, team=command.team, verdict=str(verdict),
                  delta=_points(state, verdict), answer=choice, auto=True)


def _answers_on_phone(state: ContestState) -> bool:
    """Whether the stage in play takes choice answers from the teams' phones."""
    return getattr(_stage_config(state).rules, "answer_mode", AnswerMode.ORAL) == AnswerMode.PHONE


def _judge(state: ContestState, command: c.Judge, now: int) -> Event:
    """The host's verdict on the held question."""
    stage = _in_stage(state)
    if command.verdict not in (Verdict.RIGHT, Verdict.WRONG, Verdict.VOID):
        raise Refusal("判定只能是 正确 / 错误 / 无效")
    if stage.phase in (Phase.JUDGED, Phase.REVEALED):
        raise Refusal("本题已判定，如需更正请撤销后重新判定")
    if stage.phase != Phase.ANSWERING:
        raise Refusal("现在没有待判定的作答")
    verdict = Verdict(command.verdict)
    return _event(Judged, state, command, now, team=stage.holder, verdict=str(verdict),
                  delta=_points(state, verdict))


def _points(state: ContestState, verdict: Verdict) -> int:
    """Points for ``verdict`` on the held question, by the stage's rules."""
    stage = state.stage
    rules = _stage_config(state).rules
    if stage.kind == StageKind.TIEBREAK or verdict in (Verdict.VOID, Verdict.PASS, Verdict.NO_BUZZ):
        return 0
    if stage.kind == StageKind.RISK:
        return stage.tier if verdict == Verdict.RIGHT else -stage.tier
    if verdict == Verdict.RIGHT:
        own = stage.question.points
        return own if own is not None else rules.points_right
    return rules.points_wrong


def _pass(state: ContestState, command: c.Pass, now: int) -> Event:
    """Speed: the holder passes its current question."""
    stage = _kind(state, StageKind.SPEED, action="过题")
    if stage.phase != Phase.ANSWERING:
        raise Refusal("现在没有可以过的题")
    return _event(Passed, state, command, now, team=stage.holder)


def _choose_tier(state: ContestState, command: c.ChooseTier, now: int) -> Event:
    """Risk: the team on turn picks a value; that value's next question comes up."""
    stage = _kind(state, StageKind.RISK, action="选择分值")
    _holder(state, command.team, "选择分值")
    if stage.phase != Phase.CHOOSING:
        raise Refusal("已经选定分值")
    config = _stage_config(state)
    if command.tier not in config.rules.tiers:
        tiers = "/".join(str(t) for t in config.rules.tiers)
        raise Refusal(f"没有 {command.tier} 分的档位（可选 {tiers}）")
    pool = [i for i, q in enumerate(config.questions) if q.tier == command.tier]
    used = stage.used_by_tier.get(command.tier, 0)
    if used >= len(pool):
        raise Refusal(f"{command.tier} 分的题目已用完，请选择其他分值")
    index = pool[used]
    deadline = _answer_deadline(config.questions[index], config.rules.answer_time, now)
    return _event(TierChosen, state, command, now, team=command.team, tier=command.tier, question_index=index,
                  deadline=deadline)


def _abstain(state: ContestState, command: c.Abstain, now: int) -> Event:
    """Risk: the team on turn declines, if the rules allow it."""
    stage = _kind(state, StageKind.RISK, action="放弃")
    _holder(state, command.team, "放弃")
    if stage.phase != Phase.CHOOSING:
        raise Refusal("已经选定分值，不能放弃")
    if not _stage_config(state).rules.allow_abstain:
        raise Refusal("本场比赛风险题不允许放弃")
    return _event(Abstained, state, command, now, team=command.team)


def _time_out(state: ContestState, command: c.TimeOut, now: int) -> Event:
    """The clock reached its deadline: what that costs depends on what was running."""
    stage = _in_stage(state)
    if stage.deadline is None:
        raise Refusal("当前没有在计时")
    if now < stage.deadline:
        raise Refusal(f"时间未到（还剩 {_seconds_left(stage, now)} 秒）")
    if stage.phase == Phase.BUZZING or stage.kind == StageKind.SPEED:
        return _event(TimedOut, state, command, now, team=stage.holder, delta=0)
    return _event(TimedOut, state, command, now, team=stage.holder, delta=_points(state, Verdict.WRONG))


def _reveal(state: ContestState, command: c.RevealAnswer, now: int) -> Event:
    """The answer goes up for the hall once the question is decided."""
    stage = _in_stage(state)
    if stage.phase == Phase.REVEALED or stage.resolved_answer_shown:
        raise Refusal("答案已经揭晓")
    if stage.phase not in (Phase.JUDGED, Phase.RESOLVED) or stage.question is None:
        raise Refusal("请先判定本题，再揭晓答案")
    return _event(AnswerRevealed, state, command, now)


def _resume_after_restart(state: ContestState, command: c.ResumeAfterRestart, now: int) -> Event:
    """The server restarted with a clock running: resume it, or void open buzzers.

    The time left is measured at the last stored event (the last moment the server is known to
    have been running), so the team loses no time to the stop. Open buzzers cannot be resumed:
    presses on their way were lost, so the opening is void and the host opens them again. A clock
    that had already run out before the stop is left to the clock's TimeOut.
    """
    stage = _in_stage(state)
    if stage.deadline is None:
        raise Refusal("当前没有在计时，无需恢复")
    left = stage.deadline - state.last_at
    if left <= 0:
        raise Refusal("服务器停止前计时已经结束")
    if stage.phase == Phase.BUZZING:
        return _event(BuzzingInterrupted, state, command, now, token=stage.open_token)
    deadline = now + left
    return _event(ClockResumed, state, command, now, deadline=deadline,
                  clock_started=stage.clock_started + deadline - stage.deadline, remaining=left,
                  stopped_at=state.last_at)


# --- suspense (悬念) ----------------------------------------------------------------------------


def _hide_scores(state: ContestState, command: c.HideScores, now: int) -> Event:
    """Scores leave the display and the phones, during the contest or before the ceremony."""
    if state.status == ContestStatus.NOT_STARTED:
        raise Refusal("比赛尚未开始")
    if state.suspense.hidden:
        raise Refusal("比分已经隐藏")
    if state.suspense.revealed:
        raise Refusal("成绩揭晓进行中，请继续揭晓")
    return _event(ScoresHidden, state, command, now)


def _freeze_scores(state: ContestState, command: c.FreezeScores, now: int) -> Event:
    """The hall keeps the scores of now, while the contest runs."""
    _running(state)
    if state.suspense.hidden:
        raise Refusal("比分已隐藏，无需冻结")
    if state.suspense.frozen_scores is not None:
        raise Refusal("比分已经冻结")
    return _event(ScoresFrozen, state, command, now)


def _unfreeze_scores(state: ContestState, command: c.UnfreezeScores, now: int) -> Event:
    """A frozen scoreboard follows the scores again, while the contest runs (after it: the ceremony)."""
    _running(state)
    if state.suspense.frozen_scores is None:
        raise Refusal("比分没有冻结")
    return _event(ScoresUnfrozen, state, command, now)


def _reveal_next_place(state: ContestState, command: c.RevealNextPlace, now: int) -> Event:
    """Ceremony: the lowest place still covered, once the final standings are closed."""
    if not state.suspense.active:
        raise Refusal("比分没有隐藏或冻结，无需揭晓")
    if state.status != ContestStatus.FINISHED:
        raise Refusal("请先结束比赛，再逐名揭晓成绩")
    line = next_to_reveal(state)
    return _event(PlaceRevealed, state, command, now, team=line.team, place=line.place)


def _reveal_all_places(state: ContestState, command: c.RevealAllPlaces, now: int) -> Event:
    """Every score and place goes up at once: the end of the ceremony, or of a hiding or freeze."""
    if not state.suspense.active:
        raise Refusal("比分没有隐藏或冻结，无需揭晓")
    return _event(ScoresRevealed, state, command, now)


DECIDERS: dict[type[c.Command], Callable[[ContestState, c.Command, int], Event]] = {
    c.StartContest: _start_contest,
    c.StartStage: _start_stage,
    c.NextQuestion: _next_question,
    c.OpenBuzzers: _open_buzzers,
    c.Buzz: _buzz,
    c.CloseBuzzers: _close_buzzers,
    c.SubmitAnswer: _submit_answer,
    c.Judge: _judge,
    c.Pass: _pass,
    c.ChooseTier: _choose_tier,
    c.Abstain: _abstain,
    c.TimeOut: _time_out,
    c.RevealAnswer: _reveal,
    c.EndStage: _end_stage,
    c.AdjustScore: _adjust_score,
    c.Undo: _undo,
    c.StartTiebreak: _start_tiebreak,
    c.FinishContest: _finish_contest,
    c.ResumeAfterRestart: _resume_after_restart,
    c.HideScores: _hide_scores,
    c.FreezeScores: _freeze_scores,
    c.UnfreezeScores: _unfreeze_scores,
    c.RevealNextPlace: _reveal_next_place,
    c.RevealAllPlaces: _reveal_all_places,
}

