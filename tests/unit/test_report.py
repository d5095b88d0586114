"""After the final: do the results, the chart, the points per stage, the question statistics and the
audit trail tell exactly what happened, undone decisions and judges' corrections included?"""
import pytest

from contest import commands as c
from results.audit import DESCRIBERS, FIXED_TEXT, AuditRow, audit_stages, audit_trail, filter_audit
from results.breakdown import stage_breakdown
from results.history import fold_history
from results.labels import KIND_LABELS
from results.progression import score_progression
from results.questions import QuestionStat, question_stats
from results.standings import final_results
from contest.rules import ContestRules, RequiredRules, SpeedRules, StageKind
from tests.unit.factories import T0, Match, make_config
from tests.unit.test_full_final import T1, T2, T3, T4, T5, T6, T7, T8, play_buzzer, play_required, play_risk, \
    play_speed

SHORT_STAGES = (StageKind.REQUIRED, StageKind.SPEED, StageKind.BUZZER, StageKind.RISK, StageKind.TIEBREAK)


def short_final() -> Match:
    """Four teams through the four stages, with a foul, an undone verdict, a speed time-out.

    Scores: required 110/100/110/100, speed 130/110/110/100, buzzer 140/100/120/100,
    risk (T1 +30, T3 abstains, T2 −10, T4 +20) 170/90/120/120; then finished.
    """
    match = Match(make_config(4, required=RequiredRules(rounds=1), speed=SpeedRules(packet_size=2),
                              stages=SHORT_STAGES))
    _required(match)
    _speed(match)
    _buzzer(match)
    _risk(match)
    match.do(c.FinishContest())
    return match


def _required(match: Match) -> None:
    """T1 right, T2 wrong, T3 right, T4 out of time."""
    match.do(c.StartStage())
    for verdict in ("right", "wrong", "right"):
        match.do(c.NextQuestion())
        match.do(c.Judge(verdict=verdict))
    match.do(c.NextQuestion())
    match.do(c.TimeOut(actor="clock"), after_ms=30_000)
    match.do(c.EndStage())


RIGHT, WRONG, PASS = (c.Judge(verdict="right"), 100), (c.Judge(verdict="wrong"), 100), (c.Pass(), 100)
WINDOW_ENDS = (c.TimeOut(actor="clock"), 40_000)
SPEED_PLANS = {T1: (RIGHT, RIGHT), T2: (RIGHT, PASS), T3: (WRONG, WINDOW_ENDS), T4: (PASS, PASS)}
"""速答 with packets of two: each team's commands, each with the ms since the one before."""


def _speed(match: Match) -> None:
    """T1 two right; T2 right and a pass; T3 wrong then the window closes; T4 passes twice."""
    match.do(c.StartStage())
    for plan in SPEED_PLANS.values():
        match.do(c.NextQuestion())
        for command, after_ms in plan:
            match.do(command, after_ms=after_ms)
    match.do(c.EndStage())


def _buzzer(match: Match) -> None:
    """Q1: T2 buzzes early (−10), T3 right. Q2: T1 judged wrong, undone, then right. Q3: nobody buzzes."""
    match.do(c.StartStage())
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T2, actor="team:102"))
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T3, actor="team:103"), after_ms=1_250)
    match.do(c.Judge(verdict="right", actor="host:alice"))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T1, actor="team:101", pressed_at=match.now + 400), after_ms=480)
    match.do(c.Judge(verdict="wrong", actor="host:alice"))
    match.do(c.Undo(actor="host:alice"))
    match.do(c.Judge(verdict="right", actor="host:alice"))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.TimeOut(actor="clock"), after_ms=10_000)
    match.do(c.EndStage())


def _risk(match: Match) -> None:
    """In score order: T1 30 right, T3 abstains, then T2 10 wrong and T4 20 right (in drawn order)."""
    plans = {T1: (30, "right"), T3: (None, None), T2: (10, "wrong"), T4: (20, "right")}
    match.do(c.StartStage(draw_seed=3))
    for _turn in range(4):
        team = match.do(c.NextQuestion()).stage.holder
        tier, verdict = plans[team]
        if tier is None:
            match.do(c.Abstain(team=team, actor=f"team:{team}"))
            continue
        match.do(c.ChooseTier(team=team, tier=tier, actor=f"team:{team}"))
        match.do(c.Judge(verdict=verdict))
    match.do(c.EndStage())


def full_final() -> Match:
    """The 8-team final of test_full_final, with its four-way tiebreak, finished."""
    match = Match(make_config())
    for play in (play_required, play_speed, play_buzzer, play_risk):
        play(match)
    match.do(c.StartTiebreak(teams=(T4, T5, T7, T8)))
    for winner, verdict in ((T7, "right"), (T8, "wrong"), (T5, "right")):
        match.do(c.NextQuestion())
        match.do(c.OpenBuzzers())
        match.do(c.Buzz(team=winner))
        match.do(c.Judge(verdict=verdict))
    match.do(c.EndStage())
    match.do(c.FinishContest())
    return match


def ids(teams) -> list[int]:
    """The ids of some teams."""
    return [team.id for team in teams]


# --- results ----------------------------------------------------------------------------------


def test_the_results_give_places_prizes_and_the_tiebreak_order():
    """Does the result sheet show the prizes, and which teams were tied and how the tiebreak ordered them?"""
    results = final_results(fold_history(full_final().events))
    assert results.finished
    assert [(line.place, line.team.id, line.score, line.prize) for line in results.lines] == [
        (1, T1, 160, "一等奖"), (2, T2, 140, "二等奖"), (2, T3, 140, "二等奖"),
        (4, T7, 130, "三等奖"), (5, T5, 130, "三等奖"), (6, T4, 130, "三等奖"), (7, T8, 130, ""), (8, T6, 100, ""),
    ]
    (outcome,) = results.tiebreaks
    assert (ids(outcome.teams), outcome.score, ids(outcome.order)) == ([T4, T5, T7, T8], 130, [T7, T5, T4, T8])
    assert [results.remark(line) for line in results.lines] == \
        ["", "并列", "并列", "加赛第1名", "加赛第2名", "加赛第3名", "加赛第4名", ""]


def test_prize_counts_come_from_the_contest_rules():
    """With two first prizes and one second, do four teams get 一等奖, 一等奖, 二等奖 and nothing?"""
    match = Match(make_config(4, rules=ContestRules(prizes=(2, 1)), stages=(StageKind.REQUIRED,)))
    match.do(c.StartStage())
    match.do(c.EndStage())
    for team, delta in ((T1, 30), (T2, 20), (T3, 10)):
        match.do(c.AdjustScore(team=team, delta=delta, reason="测试"))
    results = final_results(fold_history(match.events))
    assert [(line.team.id, line.prize) for line in results.lines] == \
        [(T1, "一等奖"), (T2, "一等奖"), (T3, "二等奖"), (T4, "")]


def test_a_tie_across_a_prize_boundary_waits_for_a_tiebreak():
    """Before a tiebreak, are teams tied across the last prize shown as undecided, with no prize yet?"""
    match = short_final()
    match.do(c.AdjustScore(team=T2, delta=30, reason="复核", actor="judge:wang"))  # T2 120: three teams on 120
    results = final_results(fold_history(match.events))
    assert [(line.place, line.team.id, line.prize, line.undecided) for line in results.lines] == [
        (1, T1, "一等奖", False), (2, T2, "", True), (2, T3, "", True), (2, T4, "", True)]
    assert results.remark(results.lines[1]) == "同分，待加赛"


def test_a_tie_inside_one_prize_shares_the_place():
    """Do T3 and T4, tied on 120 inside the second prize, share 2nd place with no tiebreak?"""
    results = final_results(fold_history(short_final().events))
    assert [(line.place, line.team.id, line.score, line.prize, line.tied) for line in results.lines] == [
        (1, T1, 170, "一等奖", False), (2, T3, 120, "二等奖", True), (2, T4, 120, "二等奖", True),
        (4, T2, 90, "三等奖", False)]
    assert results.tiebreaks == ()


# --- score progression ------------------------------------------------------------------------


def test_the_progression_has_a_point_per_question_per_speed_turn_and_per_adjustment():
    """Is there one point per decided question (one per speed turn), none for an undone verdict, one per correction?"""
    match = short_final()
    match.do(c.AdjustScore(team=T2, delta=5, reason="复核", actor="judge:wang"))
    progression = score_progression(fold_history(match.events))
    risk_order = [f"风险题 {seat}号" for seat in _risk_seats(match)]
    assert progression.labels == (
        "开始", "必答题 第1题", "必答题 第2题", "必答题 第3题", "必答题 第4题",
        "速答题 1号", "速答题 2号", "速答题 3号", "速答题 4号",
        "抢答题 第1题", "抢答题 第2题", "抢答题 第3题", *risk_order, "调整 2号",
    )
    assert progression.stage_starts == ((1, "必答题"), (5, "速答题"), (9, "抢答题"), (12, "风险题"))
    assert progression.series[T1][:12] == (100, 110, 110, 110, 110, 130, 130, 130, 130, 130, 140, 140)
    assert progression.series[T2][:12] == (100, 100, 100, 100, 100, 100, 110, 110, 110, 100, 100, 100)
    assert progression.series[T3][:12] == (100, 100, 100, 110, 110, 110, 110, 110, 110, 120, 120, 120)
    assert [series[-1] for series in progression.series.values()] == [170, 95, 120, 120]
    assert progression.to_dict()["stages"][0] == {"start": 1, "title": "必答题"}


def _risk_seats(match: Match) -> list[int]:
    """Seats in the risk stage's drawn order."""
    stage = next(e for e in match.events if e.kind == "StageStarted" and e.stage_index == 3)
    return [team - 100 for team in stage.order]


def test_the_risk_order_follows_the_scores():
    """Does the risk stage start with T1 (140), then T3 (120), then the two teams on 100?"""
    assert _risk_seats(short_final())[:2] == [1, 3]


# --- points per stage -------------------------------------------------------------------------


def test_points_per_stage_add_up_to_the_total():
    """Are a foul's penalty in its stage, corrections in their own column, and base + stages + adjustments the score?"""
    match = short_final()
    match.do(c.AdjustScore(team=T2, delta=5, reason="复核", actor="judge:wang"))
    breakdown = stage_breakdown(fold_history(match.events))
    assert breakdown.stage_titles == ("必答题", "速答题", "抢答题", "风险题")
    assert [(row.team.id, row.base, row.stages, row.adjustments, row.total) for row in breakdown.rows] == [
        (T1, 100, (10, 20, 10, 30), 0, 170),
        (T2, 100, (0, 10, -10, -10), 5, 95),
        (T3, 100, (10, 0, 10, 0), 0, 120),
        (T4, 100, (0, 0, 0, 20), 0, 120),
    ]
    assert {row.team.id: row.total for row in breakdown.rows} == match.state.scores


def test_the_full_final_breakdown_matches_its_scores():
    """In the 8-team final, does every team's breakdown add up to its final score?"""
    match = full_final()
    breakdown = stage_breakdown(fold_history(match.events))
    assert breakdown.row(T3).stages == (20, 10, -10, 20)  # right twice, one speed right, a foul, risk 20
    assert {row.team.id: row.total for row in breakdown.rows} == match.state.scores


# --- question statistics ----------------------------------------------------------------------


def stats_by_id(match: Match) -> dict[str, QuestionStat]:
    """The question statistics by question id."""
    return {stat.question_id: stat for stat in question_stats(fold_history(match.events))}


def test_a_buzzer_question_counts_its_foul_its_buzz_time_and_its_verdict():
    """Does 抢答 Q1 show T2's foul, T3's buzz 1.25 s after the opening and one right answer?"""
    stat = stats_by_id(short_final())["BUZ-1"]
    assert (stat.stage_title, stat.number, ids(stat.holders), ids(stat.fouls)) == ("抢答题", 1, [T3], [T2])
    assert stat.buzz_ms == [1_250]
    assert (stat.right, stat.wrong, stat.points) == (1, 0, 0)  # −10 foul, +10 right
    assert [outcome.label for outcome in stat.outcomes] == ["3号 队伍3 回答正确 +10"]


def test_an_undone_verdict_is_not_counted_and_the_press_time_is_used():
    """Does 抢答 Q2 count only the verdict that stands, with the buzz timed by the press (400 ms), not its arrival?"""
    stat = stats_by_id(short_final())["BUZ-2"]
    assert [outcome.label for outcome in stat.outcomes] == ["1号 队伍1 回答正确 +10"]
    assert (stat.right, stat.wrong, stat.buzz_ms) == (1, 0, [400])


def test_a_question_nobody_buzzes_is_void():
    """Is 抢答 Q3, where the buzz window ran out, recorded as 无人抢答 with no holder?"""
    stat = stats_by_id(short_final())["BUZ-3"]
    assert ([outcome.label for outcome in stat.outcomes], stat.holders, stat.buzz_ms) == (["无人抢答"], [], [])


def test_speed_questions_show_rights_passes_and_the_one_left_when_the_window_closed():
    """Are T3's speed questions one wrong and one left unanswered (not counted wrong)?"""
    stats = stats_by_id(short_final())
    assert [(stats[q].number, stats[q].outcomes[0].verdict) for q in ("SPD-5", "SPD-6")] == \
        [(5, "wrong"), (6, "unanswered")]
    assert (stats["SPD-6"].right, stats["SPD-6"].wrong) == (0, 0)
    assert [stat.question_id for stat in question_stats(fold_history(short_final().events)) if stat.stage_index == 1] == \
        [f"SPD-{i}" for i in range(1, 9)]


def test_required_questions_give_the_holder_and_verdict():
    """Does each 必答 question name its team and verdict, the time-out counted wrong?"""
    stats = question_stats(fold_history(short_final().events))[:4]
    assert [(ids(s.holders), [o.verdict for o in s.outcomes], s.right, s.wrong) for s in stats] == [
        ([T1], ["right"], 1, 0), ([T2], ["wrong"], 0, 1), ([T3], ["right"], 1, 0), ([T4], ["timeout"], 0, 1)]


def test_a_risk_question_belongs_to_the_team_that_chose_its_value():
    """Is the 30-point risk question T1's, right, +30, and does an abstention make no question?"""
    risk = [s for s in question_stats(fold_history(short_final().events)) if s.stage_title == "风险题"]
    assert len(risk) == 3
    first = risk[0]
    assert (ids(first.holders), first.number, first.points, first.outcomes[0].label) == \
        ([T1], 1, 30, "1号 队伍1 回答正确 +30")


# --- the audit trail --------------------------------------------------------------------------


def audit(match: Match) -> dict[int, AuditRow]:
    """The audit rows by sequence number."""
    return {row.seq: row for row in audit_trail(fold_history(match.events))}


def seq_of(match: Match, kind: str, **values) -> int:
    """The sequence number of the first event of ``kind`` with ``values``."""
    return next(e.seq for e in match.events if e.kind == kind and all(getattr(e, k) == v for k, v in values.items()))


def test_every_event_is_in_the_audit_in_order():
    """Does the audit have one row per raw event, in order, undone ones included?"""
    match = short_final()
    rows = audit_trail(fold_history(match.events))
    assert [row.seq for row in rows] == list(range(1, len(match.events) + 1))
    assert rows[0].description == "组织者 创建比赛「测试决赛」：4 支队伍，4 个环节"
    assert rows[1].description == "主持人 开始比赛，各队基础分 100"
    assert rows[0].at == T0


def test_a_foul_reads_as_the_team_and_its_penalty():
    """Is an early buzz "2号 队伍2 抢答犯规 −10", by the team's phone, in the buzzer stage, question 1?"""
    match = short_final()
    row = audit(match)[seq_of(match, "EarlyBuzz")]
    assert (row.description, row.actor, row.stage_title, row.question, row.delta) == \
        ("2号 队伍2 抢答犯规 −10", "2号 队伍2（手机）", "抢答题", "第1题", -10)
    assert row.team_text == "2号 队伍2"


def test_a_verdict_names_the_host_and_the_points():
    """Is a verdict "主持人 判定 回答正确 +10", by "主持人 alice", with the buzz time on the buzz before it?"""
    match = short_final()
    rows = audit(match)
    judged = seq_of(match, "Judged", actor="host:alice")
    assert (rows[judged].description, rows[judged].actor, rows[judged].delta) == ("主持人 判定 回答正确 +10", "主持人 alice", 10)
    assert rows[judged - 1].description == "3号 队伍3 抢到答题权，开始抢答后 1.250 秒"


def test_an_undone_decision_stays_flagged_and_its_undo_gives_the_points_back():
    """Is the undone "wrong" flagged, and its undo "撤销第 n 号操作（判定）" with the +10 it gave back?"""
    match = short_final()
    rows = audit(match)
    undo = seq_of(match, "DecisionUndone")
    target = match.events[undo - 1].target_seq
    assert (rows[target].description, rows[target].delta, rows[target].undone) == ("主持人 判定 回答错误 −10", -10, True)
    assert (rows[undo].description, rows[undo].delta, rows[undo].undone) == \
        (f"主持人 撤销第 {target} 号操作（判定）", 10, False)
    assert ids(rows[undo].teams) == [T1] and rows[undo].stage_title == "抢答题"


def test_the_deltas_of_the_audit_add_up_to_the_scores():
    """Do all deltas of the audit (undone ones and their undos included) add up to each team's change?"""
    match = short_final()
    rows = audit_trail(fold_history(match.events))
    for team, score in match.state.scores.items():
        assert sum(row.delta or 0 for row in filter_audit(rows, team=team)) == score - 100


def test_a_judges_correction_after_the_finish_shows_with_its_reason():
    """Does a judge's correction after the finish change the standings and read "评委 调整 … 原因：…"?"""
    match = short_final()
    match.do(c.AdjustScore(team=T2, delta=40, reason="第2题答案复核", actor="judge:wang"))
    row = audit_trail(fold_history(match.events))[-1]
    assert (row.actor, row.description, row.reason, row.delta, row.stage_title) == \
        ("评委 wang", "评委 调整 2号 队伍2 +40，原因：第2题答案复核", "第2题答案复核", 40, "")
    assert final_results(fold_history(match.events)).lines[0].team.id == T1
    assert [line.team.id for line in final_results(fold_history(match.events)).lines[1:]] == [T2, T3, T4]


def test_the_audit_filters_by_team_and_stage():
    """Does filtering give exactly the rows about one team, in one stage?"""
    match = short_final()
    rows = audit_trail(fold_history(match.events))
    mine = filter_audit(rows, team=T2, stage=2)
    assert [row.kind for row in mine] == ["EarlyBuzz"]
    required = filter_audit(rows, stage=0)
    assert [row.kind for row in required][:3] == ["StageStarted", "QuestionShown", "Judged"]
    assert audit_stages(rows) == [(0, "必答题"), (1, "速答题"), (2, "抢答题"), (3, "风险题")]


@pytest.mark.parametrize("kind, description", [
    ("TimedOut", "计时器 答题超时"),
    ("TurnStarted", "主持人 开始速答：1号 队伍1，限时 40 秒"),
    ("BuzzersOpened", "主持人 开始抢答（限时 10 秒）"),
    ("Abstained", "3号 队伍3 放弃本轮"),
    ("TierChosen", "1号 队伍1 选择 30 分题"),
    ("ContestFinished", "主持人 结束比赛，名次：1号 > 3号 > 4号 > 2号"),
])
def test_each_kind_of_decision_reads_in_chinese(kind, description):
    """Does each kind of event get a plain Chinese sentence in the audit?"""
    match = short_final()
    assert audit(match)[seq_of(match, kind)].description == description


def test_a_tiebreak_is_in_the_audit_with_its_teams():
    """Does the tiebreak's start name the four tied teams, and does its stage filter find it?"""
    match = full_final()
    rows = audit_trail(fold_history(match.events))
    start = next(row for row in rows if row.kind == "TiebreakStarted")
    assert start.description == "主持人 开始加赛：4号 队伍4、5号 队伍5、7号 队伍7、8号 队伍8"
    assert start in filter_audit(rows, team=T8, stage=4)


def test_every_kind_of_event_has_its_own_sentence():
    """Does every event kind the engine knows get a description of its own (not just its name)?"""
    from contest.events import EVENT_TYPES

    assert set(EVENT_TYPES) <= set(DESCRIBERS) | set(FIXED_TEXT)
    assert set(EVENT_TYPES) <= set(KIND_LABELS)


def test_a_clock_resumed_after_a_restart_names_the_server():
    """Does the recovery after a restart read as the server's act, with the time that was left?"""
    from tests.unit.test_rules_recovery import answering

    match = answering(StageKind.SPEED)
    match.do(c.ResumeAfterRestart(actor="server"), after_ms=60_000)
    row = audit_trail(fold_history(match.events))[-1]
    assert row.actor == "服务器"
    assert row.description.startswith("服务器 恢复运行后继续计时，剩余")
