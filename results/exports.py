"""The result sheet and the audit trail as tables for .xlsx and .csv files.

Pure (no Flask, no database). The tables are written by :mod:`web.spreadsheets`
(:func:`~web.spreadsheets.xlsx_bytes`, :func:`~web.spreadsheets.csv_bytes`), which cleans and
neutralises every cell, so a team called "=HYPERLINK(…)" is shown, never computed.
"""
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from results.audit import AuditRow
from results.breakdown import Breakdown
from results.buzz_audit import UNKNOWN, BuzzQuestion, PressLine
from results.labels import team_label
from results.progression import Progression
from results.questions import QuestionStat
from results.standings import ResultLine, Results
from web.spreadsheets import Cell, Column, Table, table


def clock_text(ms: int, with_date: bool = True) -> str:
    """A server time (ms) as the hall's clock read it: "2025-11-28 18:32:05.123"."""
    moment = datetime.fromtimestamp(ms / 1000)
    text = moment.strftime("%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S")
    return f"{text}.{ms % 1000:03d}"


# --- the result sheet -------------------------------------------------------------------------


def result_tables(results: Results, breakdown: Breakdown, progression: Progression,
                  questions: Sequence[QuestionStat]) -> list[Table]:
    """The result workbook: standings with points per stage, progression, questions, tiebreaks."""
    tables = [
        standings_table(results, breakdown),
        progression_table(progression),
        table("题目统计", QUESTION_COLUMNS, questions),
    ]
    if results.tiebreaks:
        tables.append(table("加赛", TIEBREAK_COLUMNS, results.tiebreaks))
    return tables


def standings_table(results: Results, breakdown: Breakdown) -> Table:
    """成绩: place, team, the base score, each stage's points, adjustments, total, prize, remark."""
    stages = [Column(title, 10, lambda pair, i=i: pair[1].stages[i]) for i, title in enumerate(breakdown.stage_titles)]
    columns = [
        Column("名次", 6, lambda pair: pair[0].place),
        Column("座次", 6, lambda pair: pair[0].team.seat),
        Column("队伍", 24, lambda pair: pair[0].team.name),
        Column("单位", 30, lambda pair: pair[0].team.company),
        Column("基础分", 8, lambda pair: pair[1].base),
        *stages,
        Column("调整", 8, lambda pair: pair[1].adjustments),
        Column("总分", 8, lambda pair: pair[0].score),
        Column("奖项", 10, lambda pair: pair[0].prize),
        Column("备注", 22, lambda pair: results.remark(pair[0])),
    ]
    pairs: list[tuple[ResultLine, Any]] = [(line, breakdown.row(line.team.id)) for line in results.lines]
    return table("成绩", columns, pairs)


def progression_table(progression: Progression) -> Table:
    """得分走势: one row per point of the chart, one column per team."""
    teams = [Column(team_label(team), 14, lambda i, team=team: progression.series[team.id][i])
             for team in progression.teams]
    columns = [Column("序号", 6, lambda i: i + 1), Column("节点", 18, lambda i: progression.labels[i]), *teams]
    return table("得分走势", columns, range(len(progression.labels)))


def _seconds(values: Sequence[int]) -> float | None:
    """The first buzz time in seconds (ms to three decimals), if the question had one."""
    return round(values[0] / 1000, 3) if values else None


QUESTION_COLUMNS = (
    Column("环节", 10, lambda q: q.stage_title),
    Column("题序", 6, lambda q: q.number),
    Column("题目编号", 12, lambda q: q.question_id),
    Column("题干", 60, lambda q: q.stem),
    Column("答案", 12, lambda q: q.answer),
    Column("答题队伍", 24, lambda q: "、".join(team_label(team) for team in q.holders)),
    Column("结果", 30, lambda q: "；".join(outcome.label for outcome in q.outcomes)),
    Column("答对", 6, lambda q: q.right),
    Column("答错", 6, lambda q: q.wrong),
    Column("抢答用时（秒）", 14, lambda q: _seconds(q.buzz_ms)),
    Column("犯规", 20, lambda q: "、".join(team_label(team) for team in q.fouls)),
    Column("本题分数变化", 12, lambda q: q.points),
)

TIEBREAK_COLUMNS = (
    Column("同分分数", 10, lambda t: t.score),
    Column("同分队伍", 50, lambda t: "、".join(team_label(team) for team in t.teams)),
    Column("加赛名次", 50, lambda t: " > ".join(team_label(team) for team in t.order) or "未决出"),
)


# --- the audit trail --------------------------------------------------------------------------


AUDIT_COLUMNS = (
    Column("序号", 6, lambda r: r.seq),
    Column("时间", 24, lambda r: clock_text(r.at)),
    Column("操作人", 18, lambda r: r.actor),
    Column("环节", 10, lambda r: r.stage_title),
    Column("题目", 8, lambda r: r.question),
    Column("题目编号", 12, lambda r: r.question_id),
    Column("队伍", 24, lambda r: r.team_text),
    Column("说明", 60, lambda r: r.description),
    Column("分数变化", 10, lambda r: r.delta),
    Column("状态", 8, lambda r: "已撤销" if r.undone else ""),
    Column("原因", 30, lambda r: r.reason),
)


def audit_table(rows: Sequence[AuditRow]) -> Table:
    """审计记录: every event in order with who, when, what, the points and whether it was undone."""
    return table("审计记录", AUDIT_COLUMNS, rows)



# --- the buzz record --------------------------------------------------------------------------


def _known(value: int | None, show: Callable[[int], Cell] = lambda value: value) -> Cell:
    """``value`` shown by ``show``, or "未知" when the phone's clock was not known."""
    return UNKNOWN if value is None else show(value)


def _since(value: int | None) -> Cell:
    """Ms since the opening the press answered, or "开始抢答前" when none had opened."""
    return "开始抢答前" if value is None else value


BUZZ_COLUMNS = (
    Column("环节", 10, lambda pair: pair[0].stage_title),
    Column("题目", 8, lambda pair: pair[0].question),
    Column("题目编号", 12, lambda pair: pair[0].question_id),
    Column("题干", 40, lambda pair: pair[0].short_stem),
    Column("顺序", 6, lambda pair: pair[1].rank),
    Column("队伍", 24, lambda pair: pair[1].team_text),
    Column("手机", 10, lambda pair: pair[1].phone),
    Column("开始抢答编号", 12, lambda pair: pair[1].opening.token if pair[1].opening else None),
    Column("手机所答开始抢答编号", 12, lambda pair: pair[1].record.open_token),
    Column("手机按键时间（换算为服务器时钟）", 26, lambda pair: _known(pair[1].stamped_server, clock_text)),
    Column("判定用按下时间", 24, lambda pair: clock_text(pair[1].record.pressed_at)),
    Column("到达服务器时间", 24, lambda pair: clock_text(pair[1].record.arrived_at)),
    Column("按下距开始抢答（毫秒）", 12, lambda pair: _since(pair[1].since_pressed)),
    Column("到达距开始抢答（毫秒）", 12, lambda pair: _since(pair[1].since_arrived)),
    Column("时钟偏差（毫秒）", 10, lambda pair: _known(pair[1].offset)),
    Column("单程延迟（毫秒）", 10, lambda pair: _known(pair[1].delay)),
    Column("判定方式", 16, lambda pair: pair[1].arbitration_text),
    Column("结果", 30, lambda pair: pair[1].verdict),
)


def buzz_table(questions: Sequence[BuzzQuestion]) -> Table:
    """抢答记录: every press, question by question in press order, with its times and verdict."""
    pairs: list[tuple[BuzzQuestion, PressLine]] = [(question, line) for question in questions
                                                   for line in question.lines]
    return table("抢答记录", BUZZ_COLUMNS, pairs)
