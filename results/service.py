"""Results, audit, exports, event-log import and judges' corrections for stored contests.

Pages call these functions; each reads the contest's stored event log (the only record of what
happened), folds it once (:func:`results.history.fold_history`) and hands the history to the pure
report modules beside this one. A correction goes through
:func:`play.service.execute`, the one way a command reaches a contest, so it is stored,
acknowledged and pushed to any connected screen like every decision of the day.
"""
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from web import upload_worker
from contest import commands as c
from contest.rules import rules_to_dict
from contest.state import ContestStatus as EngineStatus
from contest.suspense import hall_mode
from contest_setup.models import Contest, ContestStatus, ContestTeam
from extensions import db
from play.service import execute
from results import eventlog, exports
from results.audit import AuditRow, audit_trail, filter_audit
from results.breakdown import Breakdown, stage_breakdown
from results.buzz_audit import BuzzQuestion, buzz_audit, filter_buzz
from results.history import History, fold_history
from results.labels import signed, team_label
from results.progression import Progression, score_progression
from results.questions import QuestionStat, question_stats
from results.standings import Results, final_results
from storage.event_store import append_events, load_events
from storage.presses import add_presses, load_presses
from web.spreadsheets import csv_bytes, xlsx_bytes

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

    history: History
    results: Results
    breakdown: Breakdown
    progression: Progression
    questions: list[QuestionStat]
    adjustments: list[AuditRow]  # every correction, with its reason and whether it was undone
    buzzes: BuzzRecord


def contest_report(contest: Contest) -> ContestReport | None:
    """The report of ``contest`` from its stored events, or None before it started."""
    history = _history(contest)
    if history is None:
        return None
    adjustments = [row for row in audit_trail(history) if row.kind == "ScoreAdjusted"]
    return ContestReport(history, final_results(history), stage_breakdown(history), score_progression(history),
                         question_stats(history), adjustments, buzz_record(contest, history))


def final_standings(contest: Contest) -> tuple[Results, int] | None:
    """The standings with prizes of ``contest`` and when its last event was stored (server ms), for
    the certificates; None before it started."""
    events = load_events(contest.id)
    return (final_results(fold_history(events)), events[-1].at) if events else None


def _history(contest: Contest) -> History | None:
    """The stored log of ``contest`` folded once, or None before it started."""
    events = load_events(contest.id)
    return fold_history(events) if events else None


@dataclass(frozen=True)
class AuditRecord:
    """The audit of one contest from one fold: every decision, and the presses filtered as asked."""

    rows: list[AuditRow]  # every event, unfiltered: the page filters them and lists the choices
    buzzes: BuzzRecord


def audit_record(contest: Contest, team: int | None = None, stage: int | None = None) -> AuditRecord:
    """The audit trail of ``contest`` and its presses (filtered by team id and stage index when given)."""
    history = _history(contest)
    rows = audit_trail(history) if history else []
    return AuditRecord(rows, buzz_record(contest, history, team, stage))


def buzz_record(contest: Contest, history: History | None, team: int | None = None,
                stage: int | None = None) -> BuzzRecord:
    """The presses of ``contest`` grouped by question (``history``: its folded log, None before
    the start), filtered like the audit."""
    questions = buzz_audit(history, load_presses(contest.id)) if history else []
    return BuzzRecord(filter_buzz(questions, team, stage), _imported(contest))


def _imported(contest: Contest) -> bool:
    """Whether ``contest`` was made from an imported event log.

    An import creates no stages (the log's first event holds them); a contest prepared here
    cannot start without its stages. Phones cannot join an imported contest: its presses are those
    the file carried (none in a file exported before presses were).
    """
    return not contest.stages


def progression(contest: Contest) -> dict:
    """The score progression as the display draws it: empty before the start, and while the host
    hides or freezes the scores (the chart would tell what the scoreboard keeps back)."""
    history = _history(contest)
    if history is None or hall_mode(history.state) is not None:
        return {"teams": [], "labels": [], "series": {}, "stages": []}
    return score_progression(history).to_dict()


# --- exports ----------------------------------------------------------------------------------


def results_file(contest: Contest, extension: str) -> bytes:
    """The result sheet as .xlsx (every sheet) or .csv (the standings with points per stage)."""
    data = _report_or_refuse(contest)
    if extension == "csv":
        return csv_bytes(exports.standings_table(data.results, data.breakdown))
    return xlsx_bytes(exports.result_tables(data.results, data.breakdown, data.progression, data.questions))


def audit_file(contest: Contest, extension: str, team: int | None = None, stage: int | None = None) -> bytes:
    """The audit trail (filtered as on the page) as .xlsx or .csv; the .xlsx also has every
    buzz press (same filters) on its own sheet, which a single-table .csv cannot hold."""
    record = audit_record(contest, team, stage)
    if not record.rows:
        raise ResultsError("比赛尚未开始，还没有审计记录")
    sheet = exports.audit_table(filter_audit(record.rows, team, stage))
    if extension == "csv":
        return csv_bytes(sheet)
    return xlsx_bytes([sheet, exports.buzz_table(record.buzzes.questions)])


def event_log_file(contest: Contest, now: datetime | None = None) -> bytes:
    """The full raw event log as JSON, with its format version and the contest's name."""
    events = load_events(contest.id)
    if not events:
        raise ResultsError("比赛尚未开始，还没有事件记录")
    exported_at = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    return eventlog.to_json(eventlog.export_document(contest.name, contest.status, events, exported_at,
                                                     load_presses(contest.id)))


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
        add_presses(contest.id, log.presses)
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
    team_name = team_label(_history(contest).team(team))
    return f"已记录评委更正：{team_name} {signed(delta)}，原因：{reason}"


def _int(text: str | None, message: str) -> int:
    """``text`` as an integer, or a refusal with ``message``."""
    try:
        return int((text or "").strip().replace("＋", "+").replace("－", "-").replace("−", "-"))
    except ValueError:
        raise ResultsError(message) from None
