"""Organizer pages of the preliminary round: settings, roster, invites, live figures, results,
exports and the one action that turns the qualifiers into the final's teams.

Every page is for organizers. Each view loads what its URL names (404 otherwise), calls
:mod:`preliminary.service` (or its neighbours) and shows the Chinese refusal when there is one.
"""
from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from accounts.access import roles_required
from accounts.models import Role
from contest_setup import bank, joining, ownership
from contest_setup.forms import RuleInput, rule_inputs, rules_from_form
from extensions import db
from preliminary import attempts as answering
from preliminary import exports, finals, identity, results, service
from preliminary.models import PrelimPerson, PrelimRound
from preliminary.paper import strata_text
from preliminary.phone import review
from preliminary.service import PrelimError, now_ms
from preliminary.settings import CHOICE_LABELS, GRACE_SECONDS, RoundSettings, beijing_text, window_text
from web.spreadsheets import download

bp = Blueprint("preliminary", __name__, url_prefix="/preliminary")

FILE_KINDS = "any(xlsx, csv)"
EXPORT_KINDS = "any(people, attempts, companies, awards)"


def round_page(view: Callable) -> Callable:
    """An organizer view of one round: loads it (or 404s) and passes it as ``prelim``."""

    @wraps(view)
    @roles_required(Role.ORGANIZER)
    def wrapper(round_id: int, **kwargs):
        """Load the round of the URL and hand it to the view."""
        prelim = service.get_round(round_id)
        if prelim is None:
            abort(404)
        return view(prelim, **kwargs)

    return wrapper


def attempt(action: Callable[[], object], success: str | None = None) -> bool:
    """Run a service call; flash its refusal (or ``success``) and say whether it worked."""
    try:
        action()
    except PrelimError as error:
        flash(str(error), "error")
        return False
    if success:
        flash(success, "success")
    return True


def back_to(endpoint: str, prelim: PrelimRound):
    """Redirect to another page of the same round."""
    return redirect(url_for(endpoint, round_id=prelim.id))


@bp.app_template_filter("beijing")
def beijing(ms: int | None) -> str:
    """A server time in ms as Beijing time, for the pages."""
    return beijing_text(ms)


@bp.app_template_filter("window_text")
def window_filter(moment) -> str:
    """A stored window time as Beijing time."""
    return window_text(moment)


@bp.app_template_filter("seconds")
def seconds(ms: int | None) -> str:
    """Milliseconds as "63.4 秒"."""
    return "" if ms is None else f"{ms / 1000:.1f} 秒"


# --- rounds ------------------------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER)
def index():
    """Every round, and the form to create one."""
    if request.method == "POST":
        created = []
        if attempt(lambda: created.append(service.create_round(request.form.get("name", ""), current_user.id)),
                   "初赛已创建，请完成设置"):
            return redirect(url_for(".settings", round_id=created[0].id))
    return render_template("preliminary/index.html", rounds=service.list_rounds())


def settings_inputs(values: dict) -> list[RuleInput]:
    """The settings form's inputs with their Chinese choice names."""
    inputs = rule_inputs(RoundSettings, values)
    return [RuleInput(**{**item.__dict__, "choices": tuple((v, CHOICE_LABELS.get(v, t)) for v, t in item.choices)})
            for item in inputs]


def own_finals() -> list:
    """The contests this organizer may feed a round into: their own (every contest for the site admin)."""
    return ownership.contests_for(current_user)


@bp.route("/<int:round_id>", methods=["GET", "POST"])
@round_page
def settings(prelim: PrelimRound):
    """The round's settings, each with its explanation, and a preview of one random paper."""
    form = {"name": prelim.name, "organizer_name": prelim.organizer_name,
            "final_contest_id": prelim.final_contest_id or "", "window_start": window_text(prelim.window_start),
            "window_end": window_text(prelim.window_end), "strata": strata_text(service.round_strata(prelim))}
    values, chosen_banks = prelim.settings, prelim.bank_ids
    if request.method == "POST":
        form = {key: request.form.get(key, "") for key in form}
        values = rules_from_form(RoundSettings, request.form)
        chosen_banks = request.form.getlist("bank_ids", type=int)
        if attempt(lambda: service.update_round(prelim, form, values, chosen_banks, own_finals()), "初赛设置已保存"):
            results.forget(prelim.id)
            return back_to(".settings", prelim)
    return render_template(
        "preliminary/settings.html", prelim=prelim, form=form, inputs=settings_inputs(values),
        banks=bank.available_banks(), chosen_banks=chosen_banks, finals=own_finals(),
        problems=service.paper_problems(prelim), preview=service.preview_paper(prelim),
        type_labels=bank.TYPE_LABELS, difficulty_labels=bank.DIFFICULTY_LABELS, grace=GRACE_SECONDS,
        started=service.has_attempts(prelim), locked=service.LOCKED_ONCE_STARTED,
    )


@bp.route("/<int:round_id>/delete", methods=["POST"])
@round_page
def delete(prelim: PrelimRound):
    """Delete a round with everything of it."""
    service.delete_round(prelim)
    flash("初赛已删除", "success")
    return redirect(url_for(".index"))


# --- companies ---------------------------------------------------------------------------------------


@bp.route("/<int:round_id>/companies")
@round_page
def companies(prelim: PrelimRound):
    """The roster: each company with its invite link, the import and add forms."""
    base = joining.public_base_url()
    return render_template("preliminary/companies.html", prelim=prelim,
                           links={c.id: identity.invite_url(c, base) for c in prelim.companies},
                           phones_reachable=joining.phones_can_reach(base),
                           people=service.people_per_company(prelim))


@bp.route("/<int:round_id>/companies/add", methods=["POST"])
@round_page
def add_company(prelim: PrelimRound):
    """Add one company typed on the page."""
    cells = {key: request.form.get(key, "") for key in ("name", "credit_code", "contact", "headcount")}
    attempt(lambda: service.add_company(prelim, cells), "单位已添加")
    return back_to(".companies", prelim)


@bp.route("/<int:round_id>/companies/import", methods=["POST"])
@round_page
def import_companies(prelim: PrelimRound):
    """Import a roster file, all companies or none."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择名单文件（.xlsx 或 .csv）", "error")
        return back_to(".companies", prelim)
    created = []
    if attempt(lambda: created.extend(service.import_roster(prelim, upload.filename, upload.read()))):
        flash(f"已导入 {len(created)} 个单位", "success")
    return back_to(".companies", prelim)


@bp.route("/<int:round_id>/companies/<int:company_id>/<any(delete, reissue):action>", methods=["POST"])
@round_page
def company_action(prelim: PrelimRound, company_id: int, action: str):
    """Remove a company, or give it a new invite link."""
    company = service.get_company(prelim, company_id)
    if company is None:
        abort(404)
    if action == "delete":
        attempt(lambda: service.delete_company(company), "单位已删除")
    else:
        attempt(lambda: service.reissue_invite(company), f"已为「{company.name}」生成新链接，旧链接和旧二维码已失效")
    return back_to(".companies", prelim)


@bp.route("/<int:round_id>/invites")
@round_page
def invites(prelim: PrelimRound):
    """Printable invite sheets: one A4 page per company with its QR code and link."""
    base = joining.public_base_url()
    sheets = [(c, identity.invite_url(c, base)) for c in prelim.companies]
    return render_template("preliminary/invites.html", prelim=prelim,
                           sheets=[(c, url, joining.qr_svg(url)) for c, url in sheets],
                           phones_reachable=joining.phones_can_reach(base))


# --- watching ----------------------------------------------------------------------------------------


@bp.route("/<int:round_id>/live")
@round_page
def live(prelim: PrelimRound):
    """Participation by company now, the duplicate registrations, the projector link."""
    now = now_ms()
    figures = results.round_results(prelim, now, fresh=True)
    display = joining.public_base_url() + url_for("prelim_phone.display", round_id=prelim.id, token=prelim.display_token)
    return render_template("preliminary/live.html", prelim=prelim, results=figures,
                           duplicates=service.duplicates(prelim), display_url=display,
                           phase=service.window_phase(prelim, now))


@bp.route("/<int:round_id>/people")
@round_page
def people(prelim: PrelimRound):
    """The individual leaderboard with attempts and page-leave counts."""
    return render_template("preliminary/people.html", prelim=prelim,
                           results=results.round_results(prelim, now_ms(), fresh=True))


@bp.route("/<int:round_id>/people/<int:person_id>")
@round_page
def person(prelim: PrelimRound, person_id: int):
    """One person's attempts, each with its answers and leave count."""
    found = db.session.get(PrelimPerson, person_id)
    if found is None or found.round_id != prelim.id:
        abort(404)
    answering.settle_round(prelim, now_ms())
    sittings = [(a, review(a, answering.paper_questions(prelim, a))) for a in answering.person_attempts(found)]
    return render_template("preliminary/person.html", prelim=prelim, person=found, sittings=sittings,
                           status_labels=exports.STATUS_LABELS)


@bp.route("/<int:round_id>/qualification", methods=["GET", "POST"])
@round_page
def qualification(prelim: PrelimRound):
    """The company ranking with every tie the cascade broke, and the action into the final."""
    if request.method == "POST":
        final = finals.final_of(prelim)
        ownership.require(final is None or ownership.may_manage(current_user, final))
        created = []
        if attempt(lambda: created.extend(finals.qualify_into_final(prelim, request.form.get("confirm") == "1", now_ms()))):
            flash(f"已生成决赛的 {len(created)} 支队伍，座次按初赛名次排列", "success")
        return back_to(".qualification", prelim)
    now = now_ms()
    return render_template("preliminary/qualification.html", prelim=prelim,
                           results=results.round_results(prelim, now, fresh=True),
                           final=finals.final_of(prelim), phase=service.window_phase(prelim, now),
                           team_name=finals.team_name, choice_labels=CHOICE_LABELS)


@bp.route("/<int:round_id>/awards")
@round_page
def awards(prelim: PrelimRound):
    """The organisation award table with every company's factors."""
    figures = results.round_results(prelim, now_ms(), fresh=True)
    return render_template("preliminary/awards.html", prelim=prelim, results=figures, lines=figures.awards())


@bp.route(f"/<int:round_id>/export/<{EXPORT_KINDS}:kind>.<{FILE_KINDS}:extension>")
@round_page
def export(prelim: PrelimRound, kind: str, extension: str):
    """People, attempts, companies or the award table as .xlsx or .csv."""
    figures = results.round_results(prelim, now_ms(), fresh=True)
    data = exports.export_bytes(prelim, figures, kind, extension)
    return download(data, f"{prelim.name}-{exports.KINDS[kind]}.{extension}", extension)
