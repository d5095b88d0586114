"""Pages after the final: results, audit trail, printable report, exports, import, corrections.

Hosts and organizers may read results, the audit trail and the report, and download the
sheets, of the contests they may host (contest_setup.ownership). Only the contest's organizer may download the full event log (it holds every question and answer of
the contest), import one, or record a judges' correction. The display reads the score
progression with its own token, like the rest of the projector page.
"""
from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from accounts.access import roles_required
from accounts.models import Role
from contest_setup import ownership
from contest_setup.models import Contest
from contest_setup.pages import contest_page, displayed_contest_or_404
from results import chart, exports, labels, service
from results.audit import audit_stages, filter_audit
from results.eventlog import EventLogError
from results.service import ResultsError
from web.spreadsheets import download

bp = Blueprint("results", __name__)
public_bp = Blueprint("results_public", __name__)

FILE_KINDS = "any(xlsx, csv)"


@bp.app_template_filter("clock_time")
def clock_time(ms: int, with_date: bool = False) -> str:
    """A server time in ms as "18:32:05.123" (or with its date) for the pages."""
    return exports.clock_text(ms, with_date)


@bp.app_template_filter("signed")
def signed(delta: int | None) -> str:
    """Points with their sign ("+10", "−10"); nothing for None."""
    return "" if delta is None else labels.signed(delta)


def filters() -> tuple[int | None, int | None]:
    """The audit's team and stage filters from the query string (absent or invalid: no filter)."""
    return request.args.get("team", type=int), request.args.get("stage", type=int)


def refused(contest: Contest, error: ResultsError):
    """Back to the results page with the refusal."""
    flash(str(error), "error")
    return redirect(url_for(".results", contest_id=contest.id))


# --- pages ------------------------------------------------------------------------------------


@bp.route("/results/")
@roles_required(Role.HOST)
def index():
    """Contests that have been played or are being played, with their results and audit links."""
    return render_template("results/index.html",
                           contests=ownership.contests_for(current_user, service.LISTED_STATUSES, hosting=True))


@bp.route("/contests/<int:contest_id>/results")
@contest_page(Role.HOST)
def results(contest: Contest):
    """Standings with prizes and tiebreaks, the chart, points per stage, question statistics."""
    data = service.contest_report(contest)
    return render_template(
        "results/results.html", contest=contest, data=data,
        chart=chart.progression_svg(data.progression) if data else None,
        may_correct=current_user.has_role(Role.ORGANIZER) and contest.status == "finished",
    )


@bp.route("/contests/<int:contest_id>/report")
@contest_page(Role.HOST)
def printable(contest: Contest):
    """The A4 report for the ceremony and the press; the browser prints it or saves it as PDF."""
    data = service.contest_report(contest)
    if data is None:
        return refused(contest, ResultsError("比赛尚未开始，还没有成绩"))
    return render_template("results/report.html", contest=contest, data=data,
                           chart=chart.progression_svg(data.progression))


@bp.route("/contests/<int:contest_id>/audit")
@contest_page(Role.HOST)
def audit(contest: Contest):
    """Every decision in order and every buzz press by question, filterable by team and stage."""
    team, stage = filters()
    record = service.audit_record(contest, team, stage)
    every = record.rows
    teams = sorted({t for row in every for t in row.teams}, key=lambda t: t.seat)
    return render_template("results/audit.html", contest=contest, rows=filter_audit(every, team, stage),
                           total=len(every), teams=teams, stages=audit_stages(every), team=team, stage=stage,
                           buzzes=record.buzzes)


# --- files ------------------------------------------------------------------------------------


@bp.route(f"/contests/<int:contest_id>/results.<{FILE_KINDS}:extension>")
@contest_page(Role.HOST)
def results_file(contest: Contest, extension: str):
    """The result sheet as .xlsx (all sheets) or .csv (standings with points per stage)."""
    try:
        data = service.results_file(contest, extension)
    except ResultsError as error:
        return refused(contest, error)
    return download(data, f"{contest.name}-成绩.{extension}", extension)


@bp.route(f"/contests/<int:contest_id>/audit.<{FILE_KINDS}:extension>")
@contest_page(Role.HOST)
def audit_file(contest: Contest, extension: str):
    """The audit trail, filtered as on the page, as .xlsx or .csv."""
    team, stage = filters()
    try:
        data = service.audit_file(contest, extension, team, stage)
    except ResultsError as error:
        return refused(contest, error)
    return download(data, f"{contest.name}-审计记录.{extension}", extension)


@bp.route("/contests/<int:contest_id>/events.json")
@contest_page(Role.ORGANIZER)
def event_log(contest: Contest):
    """The full raw event log, to archive the contest or reproduce it on another installation."""
    try:
        data = service.event_log_file(contest)
    except ResultsError as error:
        return refused(contest, error)
    return download(data, f"{contest.name}-事件记录.json", "json")


@bp.route("/results/import", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def import_log():
    """Create a contest from an exported event log; a file that does not replay is refused."""
    if request.method == "GET":
        return render_template("results/import.html")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的事件记录文件（.json）", "error")
        return render_template("results/import.html"), 400
    try:
        contest = service.import_event_log(upload.read(), current_user.id)
    except EventLogError as error:
        flash(f"导入失败：{error}", "error")
        return render_template("results/import.html"), 400
    flash(f"已导入「{contest.name}」（{contest.status_label}），成绩与审计记录与原比赛一致", "success")
    return redirect(url_for(".results", contest_id=contest.id))


# --- judges' corrections ----------------------------------------------------------------------


@bp.route("/contests/<int:contest_id>/corrections", methods=["POST"])
@contest_page(Role.ORGANIZER)
def correct(contest: Contest):
    """A judges' correction after the finish: team, points and a reason, kept in the audit."""
    form = request.form
    try:
        message = service.correct_score(contest, form.get("team", ""), form.get("delta", ""), form.get("reason", ""),
                                        current_user.username)
    except ResultsError as error:
        flash(str(error), "error")
    else:
        flash(message, "success")
    return redirect(url_for(".results", contest_id=contest.id, _anchor="correction"))


# --- the display ------------------------------------------------------------------------------


@public_bp.route("/display/<int:contest_id>/<token>/progression.json")
def display_progression(contest_id: int, token: str) -> Response:
    """The score progression for the projector's chart between stages (opened by the display token)."""
    contest = displayed_contest_or_404(contest_id, token)
    response = jsonify(service.progression(contest))
    response.headers["Cache-Control"] = "no-store"
    return response
