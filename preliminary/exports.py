"""The round's exports: people, attempts, companies and the award table, as .xlsx or .csv.

Written by the platform's spreadsheet writer (:func:`web.spreadsheets.xlsx_bytes` and
:func:`web.spreadsheets.csv_bytes`): a bold frozen header, CSV in UTF-8 with a BOM, and every text
cell neutralised, so a company or person called "=HYPERLINK(…)" is shown, never computed.
"""
from collections.abc import Sequence

import sqlalchemy as sa

from extensions import db
from preliminary.awards import AwardLine, factors_of
from preliminary.models import PrelimAttempt, PrelimPerson, PrelimRound
from preliminary.results import RoundResults
from preliminary.settings import RoundSettings, beijing_text
from web.spreadsheets import Column, Table, csv_bytes, table, xlsx_bytes

STATUS_LABELS = {"open": "答题中", "finished": "已完成", "void": "已作废"}
KINDS = {"people": "人员", "attempts": "答题记录", "companies": "单位", "awards": "优秀组织奖"}


def seconds(ms: int | None) -> float | None:
    """Milliseconds as seconds with one decimal."""
    return None if ms is None else round(ms / 1000, 1)


def people_table(results: RoundResults) -> Table:
    """Every registered person with the counted result and rank."""
    return table("人员", [
        Column("个人排名", 8, lambda p: p.rank), Column("姓名", 12, lambda p: p.name),
        Column("手机号", 14, lambda p: p.mobile), Column("单位", 30, lambda p: p.company),
        Column("成绩", 8, lambda p: p.score), Column("用时（秒）", 10, lambda p: seconds(p.elapsed_ms)),
        Column("答题次数", 8, lambda p: p.attempts), Column("离开页面次数", 12, lambda p: p.leaves),
    ], results.people)


def attempts_table(prelim: PrelimRound) -> Table:
    """Every attempt of the round with its person, time, score, status and leave count."""
    rows = db.session.execute(
        sa.select(PrelimAttempt, PrelimPerson).join(PrelimPerson, PrelimPerson.id == PrelimAttempt.person_id)
        .where(PrelimAttempt.round_id == prelim.id).order_by(PrelimAttempt.id)).all()
    return table("答题记录", [
        Column("记录号", 8, lambda r: r[0].id), Column("姓名", 12, lambda r: r[1].name),
        Column("手机号", 14, lambda r: r[1].mobile), Column("单位", 30, lambda r: r[1].company.name),
        Column("开始时间", 22, lambda r: beijing_text(r[0].started_ms)),
        Column("结束时间", 22, lambda r: beijing_text(r[0].finished_ms) or None),
        Column("状态", 8, lambda r: STATUS_LABELS[r[0].status]), Column("成绩", 8, lambda r: r[0].score),
        Column("满分", 8, lambda r: r[0].full_marks), Column("用时（秒）", 10, lambda r: seconds(r[0].elapsed_ms)),
        Column("已答题数", 8, lambda r: r[0].position), Column("离开页面次数", 12, lambda r: r[0].leave_count),
    ], rows)


def companies_table(results: RoundResults) -> Table:
    """Companies in rank order with every figure of the cascade."""
    return table("单位", [
        Column("单位排名", 8, lambda c: c.rank), Column("单位", 30, lambda c: c.name),
        Column("单位成绩", 10, lambda c: c.score), Column("晋级", 6, lambda c: "是" if c.qualified else ""),
        Column("职工人数", 10, lambda c: c.headcount), Column("登记人数", 10, lambda c: c.registered),
        Column("参与人数", 10, lambda c: c.participants), Column("参与率", 10, lambda c: f"{c.rate:.1%}"),
        Column("答题次数", 10, lambda c: c.attempts), Column("平均分", 10, lambda c: c.average),
        Column("最高分", 10, lambda c: c.best), Column("高分人数", 10, lambda c: c.high_scorers),
        Column("计分人员总用时（秒）", 16, lambda c: seconds(c.total_time_ms)), Column("说明", 30, lambda c: c.note),
    ], results.companies)


def awards_table(lines: Sequence[AwardLine], settings: RoundSettings) -> Table:
    """The award table: each factor's value and weighted points, the total, the outcome."""
    columns = [Column("名次", 6, lambda line: line.place), Column("单位", 30, lambda line: line.company.name)]
    for index, (_key, label) in enumerate(factors_of(settings)):
        columns.append(Column(label, 12, lambda line, i=index: round(line.factors[i].value, 3)))
        columns.append(Column(f"{label}得分", 12, lambda line, i=index: line.factors[i].points))
    columns += [Column("综合得分", 10, lambda line: line.total),
                Column("优秀组织奖", 10, lambda line: "是" if line.awarded else ""),
                Column("说明", 30, lambda line: line.note)]
    return table("优秀组织奖", columns, lines)


def export_table(prelim: PrelimRound, results: RoundResults, kind: str) -> Table:
    """The table of one export kind (people, attempts, companies, awards)."""
    if kind == "people":
        return people_table(results)
    if kind == "attempts":
        return attempts_table(prelim)
    if kind == "companies":
        return companies_table(results)
    return awards_table(results.awards(), results.settings)


def export_bytes(prelim: PrelimRound, results: RoundResults, kind: str, extension: str) -> bytes:
    """One export as .xlsx or .csv."""
    item = export_table(prelim, results, kind)
    return xlsx_bytes([item]) if extension == "xlsx" else csv_bytes(item)
