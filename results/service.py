"""Results, audit, exports, event-log import and judges' corrections for stored contests.

Pages call these functions; each reads the contest's stored event log (the only record of what
happened) and hands it to the pure :mod:`contest.report`. A correction goes through
:func:`live.runtime.execute`, the one way a command reaches a contest, so it is stored,
acknowledged and pushed to any connected screen like every decision of the day.
"""
from dataclasses import asdict, dataclass, fields
from datetime import datetime

from flask import current_app

import upload_worker
from contest import commands as c
from contest import report
from contest.buzz_audit import BuzzQuestion, PressRecord, buzz_audit, filter_buzz
from contest.events import Event
from contest.report import Breakdown, Progression, QuestionStat, Results
from contest.rules import rules_to_dict
from contest.state import ContestStatus as EngineStatus
from contest_setup.models import Contest, ContestStatus, ContestTeam
from extensions import db
from results import eventlog, exports
from storage.event_store import append_events, load_events
from storage.models import BuzzPress

LISTED_STATUSES = (ContestStatus.LIVE, ContestStatus.FINISHED)


class ResultsError(ValueError):
    """The request cannot be carried out; the message says why, in Chinese."""


@dataclass(frozen=True)
class BuzzRecord:
    """Every buzz press of a contest, question by question, for the audit and the report."""

    questions: list[BuzzQuestion]
    imported: bool  # made from an imported event log: it has the presses the file carried, if any

    @property
    def presses(self) -> int:
        """How many presses are listed."""
        return sum(len(question.lines) for question in self.questions)


@dataclass(frozen=True)
class ContestReport:
    """Everything the results page and the printed report show of one contest."""

    events: list[Event]
    results: Results
    breakdown: Breakdown
    progression: Progression
    questions: list[QuestionStat]
    adjustments: list[report.AuditRow]  # every correction, with its reason and whether it was undone
    buzzes: BuzzRecord


def contest_report(contest: Contest) -> ContestReport | None:
    """The report of ``contest`` from its stored events, or None before it started."""
    events = load_events(contest.id)
    if not events:
        return None
    adjustments = [row for row in report.audit_trail(events) if row.kind == "ScoreAdjusted"]
    return ContestReport(events, report.final_results(events), report.stage_breakdown(events),
                         report.score_progression(events), report.question_stats(events), adjustments,
                         buzz_record(contest, events=events))


def audit_rows(contest: Contest, team: int | None = None, stage: int | None = None) -> list[report.AuditRow]:
    """The audit trail of ``contest``, filtered by team id and stage index when given."""
    events = load_events(contest.id)
    return report.filter_audit(report.audit_trail(events), team, stage) if events else []


def buzz_record(contest: Contest, team: int | None = None, stage: int | None = None,
                events: list[Event] | None = None) -> BuzzRecord:
    """The presses of ``contest`` grouped by question, filtered like the audit (``events``: the
    log when the caller has already loaded it)."""
    events = load_events(contest.id) if events is None else events
    questions = buzz_audit(events, press_records(contest.id)) if events else []
    return BuzzRecord(filter_buzz(questions, team, stage), _imported(contest))


def _imported(contest: Contest) -> bool:
    """Whether ``contest`` was made from an imported event log.

    An import creates no stages (the log's first event holds them); a contest prepared here
    cannot start without its stages. Phones cannot join an imported contest: its presses are those
    the file carried (none in a file exported before presses were).
    """
    return not contest.stages


def press_records(contest_id: int) -> list[PressRecord]:
    """Every stored press of a contest, in the order they were stored, as plain records.

    The buzz audit is pure; it reads the columns it shares with ``BuzzPress`` by name, so a
    column added to the table for some other use does not disturb it.
    """
    rows = db.session.scalars(db.select(BuzzPress).where(BuzzPress.contest_id == contest_id).order_by(BuzzPress.id))
    names = [field.name for field in fields(PressRecord)]
    return [PressRecord(**{name: getattr(row, name) for name in names}) for row in rows]


def progression(contest: Contest) -> dict:
    """The score progression as the display draws it (empty before the start)."""
    events = load_events(contest.id)
    if not events:
        return {"teams": [], "labels": [], "series": {}, "stages": []}
    return report.score_progression(events).to_dict()


# --- exports ----------------------------------------------------------------------------------


def results_file(contest: Contest, extension: str) -> bytes:
    """The result sheet as .xlsx (every sheet) or .csv (the standings with points per stage)."""
    data = _report_or_refuse(contest)
    if extension == "csv":
        return exports.csv_bytes(exports.standings_table(data.results, data.breakdown))
    return exports.xlsx_bytes(exports.result_tables(data.results, data.breakdown, data.progression, data.questions))


def audit_file(contest: Contest, extension: str, team: int | None = None, stage: int | None = None) -> bytes:
    """The audit trail (filtered as on the page) as .xlsx or .csv; the .xlsx also has every
    buzz press (same filters) on its own sheet, which a single-table .csv cannot hold."""
    if not load_events(contest.id):
        raise ResultsError("比赛尚未开始，还没有审计记录")
    sheet = exports.audit_table(audit_rows(contest, team, stage))
    if extension == "csv":
        return exports.csv_bytes(sheet)
    return exports.xlsx_bytes([sheet, exports.buzz_table(buzz_record(contest, team, stage).questions)])


def event_log_file(contest: Contest, now: datetime | None = None) -> bytes:
    """The full raw event log as JSON, with its format version and the contest's name."""
    events = load_events(contest.id)
    if not events:
        raise ResultsError("比赛尚未开始，还没有事件记录")
    exported_at = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    return eventlog.to_json(eventlog.export_document(contest.name, contest.status, events, exported_at,
                                                     press_records(contest.id)))


def _report_or_refuse(contest: Contest) -> ContestReport:
    """The contest's report, or a refusal before the start."""
    data = contest_report(contest)
    if data is None:
        raise ResultsError("比赛尚未开始，还没有成绩")
    return data


# --- import -----------------------------------------------------------------------------------


def import_event_log(data: bytes, created_by: int | None = None) -> Contest:
    """A new contest reproduced from an exported event log, all or nothing.

    The events are stored exactly as they were. The contest is ``finished`` when the log ends
    finished (judges' corrections may follow the finish), else ``live``: the host console can
    carry it on. Its teams are created from the log's configuration so the names match; their
    ids are this installation's, while the events keep the original team numbers, which is why
    team phones cannot join an imported contest (see docs/results.md).
    """
    log = upload_worker.parse("event_log", data, config=current_app.config, refuse_as=eventlog.EventLogError)
    config = log.state.config
    finished = log.state.status == EngineStatus.FINISHED
    contest = Contest(name=log.name, status=ContestStatus.FINISHED if finished else ContestStatus.LIVE,
                      rules=rules_to_dict(config.rules), bank_ids=[], created_by=created_by)
    for team in sorted(config.teams, key=lambda t: t.seat):
        contest.teams.append(ContestTeam(name=team.name, company=team.company, seat=team.seat))
    try:
        db.session.add(contest)
        db.session.flush()
        db.session.add_all(BuzzPress(contest_id=contest.id, **asdict(press)) for press in log.presses)
        append_events(contest.id, log.events)  # commits the contest, its presses and its events together
    except Exception:
        db.session.rollback()
        raise
    return contest


# --- judges' corrections ----------------------------------------------------------------------


def correct_score(contest: Contest, team_text: str, delta_text: str, reason: str, judge: str) -> str:
    """A judge's correction after the finish, with its reason; returns the confirmation to show.

    Before the finish the host corrects from the console, where the hall can see it happen;
    here the judges settle the record afterwards, and the display shows the new standings.
    """
    from live.runtime import execute

    if contest.status != ContestStatus.FINISHED:
        raise ResultsError("比赛进行中，分数更正请在主持台进行；比赛结束后评委可在此更正")
    team, delta = _int(team_text, "请选择要更正的队伍"), _int(delta_text, "分数调整必须是非零整数，如 5 或 -10")
    reason = (reason or "").strip()
    if not reason:
        raise ResultsError("请填写更正原因：它将永久留在审计记录中")
    who = f"judge:{judge}"
    ack = execute(contest.id, c.AdjustScore(actor=who, team=team, delta=delta, reason=reason), who)
    if not ack["ok"]:
        raise ResultsError(ack["reason"])
    team_name = report.team_label(report.fold(load_events(contest.id)).team(team))
    return f"已记录评委更正：{team_name} {report.signed(delta)}，原因：{reason}"


def _int(text: str | None, message: str) -> int:
    """``text`` as an integer, or a refusal with ``message``."""
    try:
        return int((text or "").strip().replace("＋", "+").replace("－", "-").replace("−", "-"))
    except ValueError:
        raise ResultsError(message) from None
