"""Organizer pages for preparing a contest, and the host's list of contests to run.

Every page here needs a login: organizers prepare the contests they own (:mod:`contest_setup.ownership`),
hosts only see the ready, running and finished contests they were assigned to (:func:`host_list`).
Each view loads what it names (403 for a contest that is not the user's), calls
:mod:`contest_setup.service` and shows the service's Chinese message when it refuses.
"""
from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from accounts.access import roles_required
from accounts.models import Role
from contest.rules import RULES_BY_KIND, STAGE_TITLES, ContestRules, StageKind
from accounts.service import list_users
from contest_setup import bank, branding, joining, ownership, service, signals
from contest_setup.contrast import MIN_CONTRAST, contrast
from contest_setup.forms import rule_inputs, rules_from_form, rules_summary
from contest_setup.models import Contest, ContestStage, ContestStatus, ContestTeam, StageQuestion
from contest_setup.pages import contest_page
from contest_setup.roster import TeamEntry, parse_seat, split_people
from contest_setup.service import SetupError
from contest_setup.templates import TEMPLATES
from extensions import db

bp = Blueprint("contest_setup", __name__, url_prefix="/contests")

HOSTED_STATUSES = (ContestStatus.READY, ContestStatus.LIVE, ContestStatus.FINISHED)


# --- loading what a URL names --------------------------------------------------------------------


def _child(model: type, contest: Contest, item_id: int):
    """A team, stage or stage question of ``contest`` by id, or 404 (never another contest's)."""
    item = db.session.get(model, item_id)
    if item is None or item.contest_id != contest.id:
        abort(404)
    return item


organizer_page = contest_page(Role.ORGANIZER)
"""An organizer-only view of one contest (its owner's): loads it (or 404s) and passes it as ``contest``."""


def attempt(action: Callable[[], object], success: str | None = None) -> bool:
    """Run a service call; flash its refusal (or ``success``) and say whether it worked."""
    try:
        action()
    except SetupError as error:
        flash(str(error), "error")
        return False
    if success:
        flash(success, "success")
    return True


def back_to(endpoint: str, contest: Contest, **values):
    """Redirect to another page of the same contest."""
    return redirect(url_for(endpoint, contest_id=contest.id, **values))


# --- contests ------------------------------------------------------------------------------------


@bp.route("/")
@roles_required(Role.ORGANIZER)
def index():
    """The user's contests (every contest for the site admin), newest first, with their status."""
    return render_template("organizer/contest_list.html", contests=ownership.contests_for(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def create():
    """Create a contest from the final's template or from scratch."""
    if request.method == "POST":
        template_key = request.form.get("template") or None
        try:
            contest = service.create_contest(request.form.get("name", ""), template_key, current_user.id)
        except SetupError as error:
            flash(str(error), "error")
        else:
            flash("比赛已创建", "success")
            return redirect(url_for(".overview", contest_id=contest.id))
    return render_template("organizer/contest_new.html", templates=TEMPLATES.values(), form=request.form)


@bp.route("/<int:contest_id>")
@organizer_page
def overview(contest: Contest):
    """The contest's status, its readiness checks, the lifecycle buttons and contest-wide settings."""
    return render_template(
        "organizer/contest_overview.html",
        contest=contest,
        problems=service.readiness_problems(contest),
        rule_inputs=rule_inputs(ContestRules, contest.rules),
        display_url=joining.display_url(contest),
        host_path=joining.host_console_path(contest),
        host_accounts=[user for user in list_users() if user.role == Role.HOST],
        phones_range=service.PHONES_PER_TEAM_RANGE,
    )


@bp.route("/<int:contest_id>/day", methods=["POST"])
@organizer_page
def day_settings(contest: Contest):
    """The event-day settings: phones per team, join codes on the display, a new display link, the hosts."""
    action = request.form.get("action", "")
    if action == "phones":
        attempt(lambda: service.set_phones_per_team(contest, request.form.get("phones_per_team")), "每队手机数已保存")
    elif action in ("show_codes", "hide_codes"):
        shown = action == "show_codes"
        if attempt(lambda: service.set_join_codes_shown(contest, shown),
                   "大屏已重新显示加入二维码" if shown else "大屏已隐藏加入二维码"):
            signals.join_codes_shown.send(contest.id, shown=shown)
    elif action == "renew_display":
        joining.renew_display_token(contest)
        signals.display_link_renewed.send(contest.id)
        flash("已生成新的大屏链接，旧链接已失效；请在投影电脑上打开新链接", "success")
    elif action == "hosts":
        attempt(lambda: service.assign_hosts(contest, request.form.getlist("host_ids", type=int)), "主持人已保存")
    else:
        abort(400)
    return back_to(".overview", contest)


@bp.route("/<int:contest_id>/settings", methods=["POST"])
@organizer_page
def update_settings(contest: Contest):
    """Save the contest's name and contest-wide settings."""
    data = rules_from_form(ContestRules, request.form)
    attempt(lambda: service.update_contest(contest, request.form.get("name", ""), data), "设置已保存")
    return back_to(".overview", contest)


@bp.route("/<int:contest_id>/status", methods=["POST"])
@organizer_page
def change_status(contest: Contest):
    """Move the contest to ready (after the checks) or back to draft."""
    actions = {"ready": (service.mark_ready, "比赛已就绪"), "draft": (service.mark_draft, "已退回草稿，可以修改")}
    action, message = actions.get(request.form.get("target", ""), (None, None))
    if action is None:
        abort(400)
    attempt(lambda: action(contest), message)
    return back_to(".overview", contest)


@bp.route("/<int:contest_id>/delete", methods=["POST"])
@organizer_page
def delete(contest: Contest):
    """Delete a contest that was never played."""
    if attempt(lambda: service.delete_contest(contest), "比赛已删除"):
        return redirect(url_for(".index"))
    return back_to(".overview", contest)


# --- stages -------------------------------------------------------------------------------------


@bp.route("/<int:contest_id>/stages")
@organizer_page
def stages(contest: Contest):
    """The stages in play order, with buttons to move, edit, remove and add."""
    return render_template(
        "organizer/contest_stages.html",
        contest=contest,
        stages=service.ordered_stages(contest),
        summaries={s.id: rules_summary(RULES_BY_KIND[StageKind(s.kind)], s.rules) for s in contest.stages},
        kinds=STAGE_TITLES,
        has_tiebreak=any(s.kind == StageKind.TIEBREAK for s in contest.stages),
    )


@bp.route("/<int:contest_id>/stages/add", methods=["POST"])
@organizer_page
def add_stage(contest: Contest):
    """Add a stage of the chosen kind with default rules."""
    attempt(lambda: service.add_stage(contest, request.form.get("kind", "")), "环节已添加")
    return back_to(".stages", contest)


@bp.route("/<int:contest_id>/stages/<int:stage_id>", methods=["GET", "POST"])
@organizer_page
def edit_stage(contest: Contest, stage_id: int):
    """Edit a stage's title, every rule setting and its draw filter."""
    stage = _child(ContestStage, contest, stage_id)
    rules_class = RULES_BY_KIND[StageKind(stage.kind)]
    values, title, chosen_filter = stage.rules, stage.title, stage.draw_filter or {}
    if request.method == "POST":
        values = rules_from_form(rules_class, request.form)
        title = request.form.get("title", "")
        chosen_filter = {
            "categories": request.form.getlist("categories"),
            "difficulties": request.form.getlist("difficulties", type=int),
        }
        if attempt(lambda: service.update_stage(stage, title, values, chosen_filter), "环节设置已保存"):
            return back_to(".stages", contest)
    return render_template(
        "organizer/contest_stage_edit.html",
        contest=contest,
        stage=stage,
        title=title,
        rule_inputs=rule_inputs(rules_class, values),
        categories=bank.categories(contest.bank_ids),
        chosen_filter=chosen_filter,
        difficulty_labels=bank.DIFFICULTY_LABELS,
        is_risk=stage.kind == StageKind.RISK,
    )


@bp.route("/<int:contest_id>/stages/<int:stage_id>/move", methods=["POST"])
@organizer_page
def move_stage(contest: Contest, stage_id: int):
    """Move a stage one place earlier or later."""
    stage = _child(ContestStage, contest, stage_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    attempt(lambda: service.move_stage(stage, offset))
    return back_to(".stages", contest)


@bp.route("/<int:contest_id>/stages/<int:stage_id>/delete", methods=["POST"])
@organizer_page
def delete_stage(contest: Contest, stage_id: int):
    """Remove a stage and its drawn questions."""
    stage = _child(ContestStage, contest, stage_id)
    attempt(lambda: service.delete_stage(stage), "环节已删除")
    return back_to(".stages", contest)


# --- teams --------------------------------------------------------------------------------------


def _entry_from_form() -> TeamEntry:
    """The team typed into the team form; raises :class:`SetupError` for a bad seat."""
    try:
        seat = parse_seat(request.form.get("seat"))
    except ValueError as error:
        raise SetupError(str(error)) from error
    return TeamEntry(
        name=request.form.get("name", "").strip(),
        company=request.form.get("company", "").strip(),
        members=split_people(request.form.get("members", "")),
        alternates=split_people(request.form.get("alternates", "")),
        seat=seat,
    )


@bp.route("/<int:contest_id>/teams")
@organizer_page
def teams(contest: Contest):
    """The teams in seat order with their phones and join links, and the forms to add teams."""
    base = joining.public_base_url()
    links = {team.id: joining.join_url(team, base) for team in contest.teams}
    return render_template(
        "organizer/contest_teams.html",
        contest=contest,
        teams=contest.teams_by_seat,
        links=links,
        phones_reachable=joining.phones_can_reach(base),
    )


@bp.route("/<int:contest_id>/teams/add", methods=["POST"])
@organizer_page
def add_team(contest: Contest):
    """Register one team."""
    attempt(lambda: service.add_team(contest, _entry_from_form()), "队伍已添加")
    return back_to(".teams", contest)


@bp.route("/<int:contest_id>/teams/import", methods=["POST"])
@organizer_page
def import_teams(contest: Contest):
    """Register the teams of a pasted list (all or none)."""
    text = request.form.get("roster", "")
    replace_all = "replace_all" in request.form
    imported: list[ContestTeam] = []
    if attempt(lambda: imported.extend(service.import_teams(contest, text, replace_all))):
        flash(f"已导入 {len(imported)} 支队伍", "success")
    return back_to(".teams", contest)


@bp.route("/<int:contest_id>/teams/<int:team_id>", methods=["GET", "POST"])
@organizer_page
def edit_team(contest: Contest, team_id: int):
    """Edit one team's name, company, members and seat."""
    team = _child(ContestTeam, contest, team_id)
    if request.method == "POST" and attempt(lambda: service.update_team(team, _entry_from_form()), "队伍已保存"):
        return back_to(".teams", contest)
    return render_template("organizer/contest_team_edit.html", contest=contest, team=team)


@bp.route("/<int:contest_id>/teams/<int:team_id>/<action>", methods=["POST"])
@organizer_page
def team_action(contest: Contest, team_id: int, action: str):
    """Delete a team, log its phones out (revoke) or give it a new join link (reissue)."""
    team = _child(ContestTeam, contest, team_id)
    actions = {
        "delete": (_delete_and_disconnect, "队伍已删除"),
        "revoke": (_unless_finished(_revoke_and_disconnect), f"已移出「{team.name}」的手机，请用本队链接重新加入"),
        "reissue": (_unless_finished(joining.reissue_link), f"已为「{team.name}」生成新链接，旧链接和旧二维码已失效"),
    }
    if action not in actions:
        abort(404)
    function, message = actions[action]
    attempt(lambda: function(team), message)
    return back_to(".teams", contest)


def _revoke_and_disconnect(team: ContestTeam) -> None:
    """Void the team's phone credentials; the live layer cuts the phones' open connections at once."""
    joining.revoke_phones(team)
    signals.phones_revoked.send(team.contest_id, team=team.id)


def _delete_and_disconnect(team: ContestTeam) -> None:
    """Delete the team (its phones with it); the live layer cuts its phones' open connections."""
    contest_id, team_id = team.contest_id, team.id
    service.delete_team(team)
    signals.phones_revoked.send(contest_id, team=team_id)


def _unless_finished(function: Callable[[ContestTeam], None]) -> Callable[[ContestTeam], None]:
    """``function`` on a team, refused once its contest is finished (read-only)."""

    def guarded(team: ContestTeam) -> None:
        """Refuse when the team's contest is finished, else act."""
        if team.contest.status == ContestStatus.FINISHED:
            raise SetupError("比赛已结束，不能再修改")
        function(team)

    return guarded


@bp.route("/<int:contest_id>/join-sheet")
@organizer_page
def join_sheet(contest: Contest):
    """Printable join sheets: one A4 page per team with its QR code and link."""
    base = joining.public_base_url()
    sheets = [(team, joining.join_url(team, base)) for team in contest.teams_by_seat]
    return render_template(
        "organizer/contest_join_sheet.html",
        contest=contest,
        sheets=[(team, url, joining.qr_svg(url)) for team, url in sheets],
        phones_reachable=joining.phones_can_reach(base),
    )


# --- branding -----------------------------------------------------------------------------------


@bp.route("/<int:contest_id>/branding")
@organizer_page
def branding_page(contest: Contest):
    """品牌与外观: the title lines, the theme colour (with its contrast) and the pictures."""
    brand = branding.brand_of(contest)
    row = branding.branding_row(contest)
    return render_template("organizer/contest_branding.html", contest=contest, brand=brand, row=row,
                           ratio=contrast(brand.theme, brand.ink), min_ratio=MIN_CONTRAST,
                           limits=branding, images=branding.brand_images)


@bp.route("/<int:contest_id>/branding", methods=["POST"])
@organizer_page
def save_branding(contest: Contest):
    """Save the title, subtitle lines and theme colour (refused in Chinese when the colour is unreadable)."""
    form = request.form
    attempt(lambda: branding.save_words(contest, form.get("title", ""), form.get("subtitle", ""), form.get("theme", "")),
            "品牌文字与主题色已保存")
    return back_to(".branding_page", contest)


@bp.route("/<int:contest_id>/branding/<any(logo, background):name>", methods=["POST"])
@organizer_page
def upload_picture(contest: Contest, name: str):
    """Upload the logo or the background (checked and re-encoded), or remove it (``action=remove``)."""
    if request.form.get("action") == "remove":
        branding.remove_picture(contest, name)
        flash("图片已移除", "success")
        return back_to(".branding_page", contest)
    upload = request.files.get("picture")
    if upload is None or not upload.filename:
        flash("请选择要上传的图片文件", "error")
        return back_to(".branding_page", contest)
    data = upload.stream.read(branding.brand_images.MAX_UPLOAD_BYTES + 1)
    attempt(lambda: branding.save_picture(contest, name, data), "图片已上传")
    return back_to(".branding_page", contest)


# --- questions ----------------------------------------------------------------------------------


@bp.route("/<int:contest_id>/questions")
@organizer_page
def questions(contest: Contest):
    """The banks to draw from, each stage's questions with its shortage warnings, swap buttons."""
    stages = service.ordered_stages(contest)
    by_id = bank.questions_by_id(sq.question_id for stage in stages for sq in stage.questions)
    return render_template(
        "organizer/contest_questions.html",
        contest=contest,
        stages=stages,
        questions=by_id,
        type_labels=bank.TYPE_LABELS,
        warnings=service.stage_warnings(contest),
        banks=bank.available_banks(),
        difficulty_labels=bank.DIFFICULTY_LABELS,
    )


@bp.route("/<int:contest_id>/questions/banks", methods=["POST"])
@organizer_page
def choose_banks(contest: Contest):
    """Choose the banks the draw takes questions from."""
    chosen = request.form.getlist("bank_ids", type=int)
    attempt(lambda: service.set_banks(contest, chosen), "已保存题库选择")
    return back_to(".questions", contest)


@bp.route("/<int:contest_id>/questions/draw", methods=["POST"])
@organizer_page
def draw(contest: Contest):
    """Draw every stage's questions, or one stage's again."""
    stage_id = request.form.get("stage_id", type=int)
    stage = _child(ContestStage, contest, stage_id) if stage_id else None
    outcome = []
    if attempt(lambda: outcome.append(service.draw_questions(contest, stage=stage))):
        blocking = outcome[0].blocking
        flash("抽题完成" + ("，但有环节题目不足，见下方提示" if blocking else ""), "warning" if blocking else "success")
        if outcome[0].twin_groups:
            flash(f"所选题库中有 {outcome[0].twin_groups} 组题干相同或几乎相同的题目（如两个题库导入了同一批题），"
                  "每组最多抽取一题", "warning")
    return back_to(".questions", contest)


@bp.route("/<int:contest_id>/questions/<int:item_id>/swap", methods=["GET", "POST"])
@organizer_page
def swap(contest: Contest, item_id: int):
    """Replace one drawn question: by a chosen candidate, or at random among the best fitting."""
    item = _child(StageQuestion, contest, item_id)
    if request.method == "POST":
        chosen = request.form.get("question_id", type=int)
        if attempt(lambda: service.swap_question(item, chosen), "已换题"):
            return redirect(url_for(".questions", contest_id=contest.id, _anchor=f"stage-{item.stage_id}"))
    current = bank.questions_by_id([item.question_id]).get(item.question_id)
    return render_template(
        "organizer/contest_swap.html",
        contest=contest,
        item=item,
        current=current,
        candidates=service.replacement_candidates(item),
        type_labels=bank.TYPE_LABELS,
        difficulty_labels=bank.DIFFICULTY_LABELS,
    )


# --- hosts --------------------------------------------------------------------------------------


@bp.route("/hosting")
@roles_required(Role.HOST)
def host_list():
    """Contests the user may run or show: ready, live and finished ones they own or were assigned (no editing here)."""
    contests = ownership.contests_for(current_user, HOSTED_STATUSES, hosting=True)
    base = joining.public_base_url()
    return render_template(
        "organizer/contest_hosting.html",
        contests=[(c, joining.host_console_path(c), joining.display_url(c, base)) for c in contests],
    )
