"""After a server restart: does a running clock resume with the time it had left, are open buzzers
voided fairly, and does the record stay exact?

The server sends ResumeAfterRestart (actor "server") when it first loads a contest whose clock was
running when the previous process stopped; ``after_ms`` in these tests is the time the server was away.
"""
import pytest

from contest import commands as c
from contest.engine import apply, available_commands, replay
from contest.events import BuzzingInterrupted, ClockResumed
from contest.rules import BuzzerRules, RequiredRules, RiskRules, SpeedRules, StageKind, TiebreakRules
from contest.state import Phase
from tests.unit.factories import Match, make_config
from tests.unit.test_rules_support import T1, T2, T3, buzz_in, in_stage, name, refuse, skip_stages, tied_at_the_end

RESTART = c.ResumeAfterRestart(actor="server")


def restart(match: Match, away_ms: int):
    """The server comes back ``away_ms`` after the last stored event and applies the recovery."""
    state = match.do(RESTART, after_ms=away_ms)
    return state, match.events[-1]


def answering(kind: StageKind) -> Match:
    """A stage of ``kind`` with a team holding a question and its answer clock running."""
    if kind == StageKind.REQUIRED:
        match = in_stage(kind)
        match.do(c.NextQuestion())
    elif kind in (StageKind.BUZZER, StageKind.TIEBREAK):
        match = in_stage(StageKind.BUZZER) if kind == StageKind.BUZZER else tiebreak()
        buzz_in(match, T2)
    elif kind == StageKind.RISK:
        match = in_stage(kind)
        match.do(c.NextQuestion())
        match.do(c.ChooseTier(team=match.state.stage.holder, tier=20))
    else:
        match = in_stage(kind)
        match.do(c.NextQuestion())
    return match


def tiebreak() -> Match:
    """A tiebreak between T1 and T2, tied at 100 for the first prize (T3 is behind)."""
    match = Match(make_config(3, stages=(StageKind.REQUIRED, StageKind.TIEBREAK)))
    skip_stages(match)
    match.do(c.AdjustScore(team=T3, delta=-10, reason="测试设定分数"))
    match.do(c.StartTiebreak(teams=(T1, T2)))
    return match


ANSWER_TIME = {StageKind.REQUIRED: RequiredRules().time_limit, StageKind.BUZZER: BuzzerRules().answer_time,
               StageKind.RISK: RiskRules().answer_time, StageKind.TIEBREAK: TiebreakRules().answer_time,
               StageKind.SPEED: SpeedRules().window}


# --- a running answer clock resumes -----------------------------------------------------------


@pytest.mark.parametrize("kind", list(ANSWER_TIME), ids=str)
def test_an_answer_clock_resumes_with_the_time_it_had_left(kind):
    """Does a clock that was running at the stop go on, after the restart, with all the time it had
    at the last stored event, whatever the time the server was away (more than the whole limit here)?"""
    match = answering(kind)
    before = match.state
    total = ANSWER_TIME[kind] * 1000
    assert before.stage.deadline == before.last_at + total
    state, event = restart(match, away_ms=total + 45_000)
    assert isinstance(event, ClockResumed) and event.actor == "server"
    assert (event.remaining, event.stopped_at) == (total, before.last_at)
    assert state.stage.deadline == match.now + total == event.deadline
    assert state.stage.deadline - state.stage.clock_started == total, "the countdown keeps its full length"
    assert state.stage.phase == Phase.ANSWERING and state.stage.holder == before.stage.holder
    assert state.stage.question == before.stage.question and state.scores == before.scores


def test_the_resumed_clock_times_out_only_at_its_new_deadline():
    """After the restart, is TimeOut refused while the resumed time runs and accepted when it is over?"""
    match = answering(StageKind.REQUIRED)
    restart(match, away_ms=120_000)
    refuse(match, c.TimeOut(actor="clock"), "时间未到（还剩 30 秒）")
    refuse(match, c.TimeOut(actor="clock"), "时间未到（还剩 1 秒）", after_ms=29_999)
    state = match.do(c.TimeOut(actor="clock"), after_ms=30_000)
    assert state.stage.verdict == "timeout" and state.scores[T1] == 100


def test_the_time_left_is_measured_at_the_last_stored_event():
    """Is the time left what the clock showed at the last stored event (here a score correction 8 s in)?"""
    match = answering(StageKind.REQUIRED)
    match.do(c.AdjustScore(team=T3, delta=5, reason="上题更正"), after_ms=8_000)
    _state, event = restart(match, away_ms=3_000)
    assert event.remaining == 22_000


def test_a_speed_window_resumes_where_the_packet_stood():
    """Does the speed window resume with what it had left at the last answer, the packet's count unchanged?"""
    match = in_stage(StageKind.SPEED)
    match.do(c.NextQuestion())
    match.do(c.Judge(verdict="right"), after_ms=5_000)
    before = match.do(c.Pass(), after_ms=3_000)
    state, event = restart(match, away_ms=60_000)
    assert event.remaining == 40_000 - 8_000
    assert (state.stage.right_count, state.stage.packet_position, state.stage.question) == \
        (before.stage.right_count, before.stage.packet_position, before.stage.question)
    assert state.stage.phase == Phase.ANSWERING and state.stage.holder == T1


def test_time_an_undo_gave_back_is_kept_across_a_restart():
    """If an undo gave a clock its time back before the stop, does the restart resume from that time?"""
    match = answering(StageKind.REQUIRED)
    match.do(c.Judge(verdict="wrong"), after_ms=5_000)
    match.do(c.Undo(), after_ms=10_000)  # the clock had 25 s left when the verdict was given
    _state, event = restart(match, away_ms=4_000)
    assert event.remaining == 25_000


def test_a_second_restart_resumes_with_the_same_time():
    """If the server stops again before anything else happens, does the clock still have the same time left?"""
    match = answering(StageKind.RISK)
    _state, first = restart(match, away_ms=9_000)
    _state, second = restart(match, away_ms=7_000)
    assert first.remaining == second.remaining == 60_000
    assert match.state.stage.deadline == match.now + 60_000


def test_a_clock_that_had_run_out_before_the_stop_is_left_to_time_out():
    """When the deadline had already passed at the last stored event, is the recovery refused, so the
    clock's TimeOut (which would have come anyway) decides?"""
    match = answering(StageKind.REQUIRED)
    match.do(c.AdjustScore(team=T3, delta=5, reason="更正"), after_ms=31_000)
    refuse(match, RESTART, "服务器停止前计时已经结束", after_ms=5_000)
    assert match.do(c.TimeOut(actor="clock")).stage.verdict == "timeout"


# --- open buzzers are void --------------------------------------------------------------------


@pytest.mark.parametrize("kind", [StageKind.BUZZER, StageKind.TIEBREAK], ids=str)
def test_open_buzzers_are_void_after_a_restart(kind):
    """Are buzzers that were open at the stop closed again, the question back to reading, with the
    opening's token kept (so its presses are recognised as stale) and nobody's score touched?"""
    match = in_stage(StageKind.BUZZER) if kind == StageKind.BUZZER else tiebreak()
    match.do(c.NextQuestion())
    before = match.do(c.OpenBuzzers())
    state, event = restart(match, away_ms=4_000)
    assert isinstance(event, BuzzingInterrupted) and event.token == before.stage.open_token
    assert (state.stage.phase, state.stage.deadline, state.stage.clock_started) == (Phase.READING, None, None)
    assert state.stage.interrupted and state.stage.open_token == before.stage.open_token
    assert state.scores == before.scores and state.stage.question == before.stage.question
    assert "OpenBuzzers" in {type(command).__name__ for command in available_commands(state, match.now)}


def test_a_press_before_the_new_opening_is_refused_not_fouled():
    """After the restart and before the host opens again, is a press (perhaps made while the buzzers
    were open, delivered late) refused without a foul?"""
    match = in_stage(StageKind.BUZZER)
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    restart(match, away_ms=4_000)
    refuse(match, c.Buzz(team=T2), "服务器刚刚恢复，上一次抢答已作废，请等待主持人重新开始抢答")
    assert match.state.stage.buzzes == [] and match.state.stage.out == set()


def test_the_host_opens_again_and_the_question_is_played():
    """Does a new opening get a new token, refuse presses naming the voided one, and let a press win?"""
    match = in_stage(StageKind.BUZZER)
    match.do(c.NextQuestion())
    voided = match.do(c.OpenBuzzers()).stage.open_token
    restart(match, away_ms=4_000)
    state = match.do(c.OpenBuzzers())
    assert state.stage.open_token != voided and not state.stage.interrupted
    refuse(match, c.Buzz(team=T1, open_token=voided), "抢答信号已过期，请以最新一次开始抢答为准")
    state = match.do(c.Buzz(team=T3, open_token=state.stage.open_token))
    assert state.stage.holder == T3 and state.stage.phase == Phase.ANSWERING


def test_fouls_before_the_stop_still_count():
    """Is a team that fouled before the opening still out after the restart, with its penalty kept?"""
    match = in_stage(StageKind.BUZZER)
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T1))
    match.do(c.OpenBuzzers())
    state, _event = restart(match, away_ms=2_000)
    assert state.stage.out == {T1} and state.scores[T1] == 90
    match.do(c.OpenBuzzers())
    refuse(match, c.Buzz(team=T1), f"{name(T1)}本题已抢答犯规，不能再抢答")


def test_an_early_press_on_the_next_question_is_a_foul_again():
    """Is the restart's leniency limited to its own question: on the next one an early press is a foul?"""
    match = in_stage(StageKind.BUZZER)
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    restart(match, away_ms=2_000)
    match.do(c.OpenBuzzers())
    match.do(c.CloseBuzzers())
    match.do(c.NextQuestion())
    assert not match.state.stage.interrupted
    assert match.do(c.Buzz(team=T2)).scores[T2] == 90


# --- nothing to recover -----------------------------------------------------------------------


@pytest.mark.parametrize("setup, reason", [
    ([], "当前没有在计时，无需恢复"),  # stage title card
    ([c.NextQuestion()], "当前没有在计时，无需恢复"),  # risk: choosing a value has no clock
    ([c.NextQuestion(), c.Abstain(team=T1)], "当前没有在计时，无需恢复"),  # judged
    ([c.EndStage()], "当前不在任何环节中，请先开始一个环节"),
], ids=["intro", "choosing", "judged", "between stages"])
def test_without_a_running_clock_there_is_nothing_to_resume(setup, reason):
    """Is the recovery refused where no clock runs (risk choosing among them: the team simply picks)?"""
    match = in_stage(StageKind.RISK)
    for command in setup:
        match.do(command)
    refuse(match, RESTART, reason, after_ms=5_000)


def test_before_the_start_and_after_the_finish_there_is_nothing_to_resume():
    """Is the recovery refused before the contest starts and after it is finished?"""
    refuse(Match(start=False), RESTART, "比赛尚未开始")
    match = tied_at_the_end(3, {T1: 120, T2: 130})
    match.do(c.FinishContest())
    refuse(match, RESTART, "比赛已结束")


# --- the record -------------------------------------------------------------------------------


def test_undo_does_not_reach_back_past_a_restart():
    """Is Undo right after the recovery refused (the restart is a fact, not a decision), and not offered?"""
    match = answering(StageKind.REQUIRED)
    restart(match, away_ms=3_000)
    refuse(match, c.Undo(), "服务器重启前的操作不能撤销；如需更正请判为无效或调整分数并说明原因")
    assert "Undo" not in {type(command).__name__ for command in available_commands(match.state, match.now)}


def test_a_decision_after_the_restart_can_be_undone_with_the_resumed_clock():
    """Does undoing a verdict given after the restart bring back the resumed clock, with the time it had then?"""
    match = answering(StageKind.REQUIRED)
    restart(match, away_ms=50_000)
    match.do(c.Judge(verdict="wrong"), after_ms=2_000)  # 28 s were left
    state = match.do(c.Undo(), after_ms=3_000)
    assert state.stage.phase == Phase.ANSWERING and state.stage.deadline == match.now + 28_000
    assert replay(match.events) == state


def test_one_event_per_restart_and_the_log_replays_exactly():
    """Does each recovery add exactly one event, and does the log with restarts replay to the live state?"""
    match = answering(StageKind.SPEED)
    state, events = apply(match.state, RESTART, match.now + 10_000)
    assert len(events) == 1 and events[0].seq == match.state.seq + 1
    restart(match, away_ms=10_000)
    match.do(c.Judge(verdict="right"))
    match.do(c.Undo(), after_ms=1_000)
    match.do(c.Pass())
    assert replay(match.events) == match.state
    assert match.state.last_at == match.events[-1].at
