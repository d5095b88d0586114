"""The participant's pages (no login) and the projector page of a round.

* ``/p/<token>``: a company's invite link: the registration screen (name and mobile number),
  which registers, keeps the person's identity in a signed cookie and starts the first attempt.
* ``/p/round/<id>``: the answering page; it talks to ``state``, ``start``, ``answer`` and
  ``leave`` (JSON), acting always for the cookie's person, never for a person named in a request.
* ``/prelim-display/<id>/<token>``: the projector, opened by the round's display token.
"""
import hmac

from flask import Blueprint, abort, jsonify, make_response, redirect, render_template, request, url_for

from extensions import csrf
from preliminary import attempts as answering
from preliminary import identity, service
from preliminary.models import PrelimRound
from preliminary.phone import after_answer, phone_state
from preliminary.phone_requests import forgery_refusal, page_token
from preliminary.results import round_results
from preliminary.roster import masked_mobile
from preliminary.service import PrelimError, now_ms, round_settings
from preliminary.settings import CHOICE_LABELS, window_text

bp = Blueprint("prelim_phone", __name__)

COOKIE_REFUSED = "身份凭证无效或已过期，请重新打开本单位的答题链接并登记"


@bp.route("/p/<token>", methods=["GET", "POST"])
def invite(token: str):
    """A company's registration screen; registering starts the person's first attempt."""
    company = identity.company_for_invite(token)
    if company is None:
        return render_template("preliminary/phone_invalid.html", reason="link"), 404
    prelim = company.round
    returning = identity.person_from_request(prelim.id)
    error, form = None, {"name": "", "mobile": ""}
    if request.method == "POST":
        form = {"name": request.form.get("name", ""), "mobile": request.form.get("mobile", "")}
        try:
            person = service.register(company, form["name"], form["mobile"])
        except PrelimError as refusal:
            error = str(refusal)
        else:
            response = make_response(redirect(url_for(".play", round_id=prelim.id, start=1)))
            identity.remember_person(person, response)
            return response
    return render_template("preliminary/phone_register.html", prelim=prelim, company=company, form=form,
                           error=error, returning=returning if returning and returning.company_id == company.id else None,
                           rules=rules_lines(prelim)), 400 if error else 200


def rules_lines(prelim: PrelimRound) -> list[str]:
    """The round's rules in five lines, for the registration screen."""
    settings = round_settings(prelim)
    count = sum(row["count"] for row in prelim.strata)
    timing = (f"整卷限时 {settings.paper_seconds // 60} 分 {settings.paper_seconds % 60} 秒".replace(" 0 秒", "")
              if settings.time_mode == "paper" else f"每题限时 {settings.question_seconds} 秒")
    daily = f"，每天最多 {settings.attempts_per_day} 次" if settings.attempts_per_day else ""
    return [
        f"答题时间：{window_text(prelim.window_start)} 至 {window_text(prelim.window_end)}（北京时间）",
        f"每次 {count} 题，{timing}，超时自动交卷",
        f"每人最多答 {settings.attempts_total} 次{daily}，取{CHOICE_LABELS[settings.counting]}计入成绩",
        "一题一屏，作答后不能返回修改；同分时用时少者在前",
        "答题中请勿离开页面，离开次数会被记录",
    ]


def _round(round_id: int) -> PrelimRound:
    """The round of the URL, or 404."""
    prelim = service.get_round(round_id)
    if prelim is None:
        abort(404)
    return prelim


def _phone_or_refuse(round_id: int, attempt_id: int | None = None) -> identity.Phone:
    """The cookie's person with the round, or a JSON 403 for a missing, forged or altered cookie
    or a POST its answering page did not send (404 when the round does not exist)."""
    phone = identity.phone_from_request(round_id, attempt_id)
    if phone is None:
        _round(round_id)
        abort(make_response(jsonify(ok=False, reason=COOKIE_REFUSED, relogin=True), 403))
    _refuse_forgery(round_id, identity.CookieIdentity(phone.person.id, phone.person.version))
    return phone


def _refuse_forgery(round_id: int, cookie: identity.CookieIdentity) -> None:
    """A JSON 403 for a POST that the person's own answering page did not send (phone_requests)."""
    if request.method == "POST":
        refusal = forgery_refusal(round_id, cookie.person_id, cookie.version)
        if refusal:
            abort(make_response(jsonify(ok=False, reason=refusal, relogin=True), 403))


def _person_or_refuse(round_id: int):
    """The round and the cookie's person (see :func:`_phone_or_refuse`)."""
    phone = _phone_or_refuse(round_id)
    return phone.prelim, phone.person


@bp.route("/p/round/<int:round_id>")
def play(round_id: int):
    """The answering page (its script asks ``state`` for everything it shows)."""
    prelim = _round(round_id)
    person = identity.person_from_request(round_id)
    if person is None:
        return render_template("preliminary/phone_invalid.html", reason="cookie"), 403
    return render_template("preliminary/phone_play.html", prelim=prelim, person=person,
                           token=page_token(prelim.id, person.id, person.version),
                           autostart=request.args.get("start") == "1")


@bp.route("/p/round/<int:round_id>/state")
def state(round_id: int):
    """Everything the phone shows now."""
    prelim, person = _person_or_refuse(round_id)
    return jsonify(ok=True, **phone_state(prelim, person, now_ms()))


@bp.route("/p/round/<int:round_id>/start", methods=["POST"])
@csrf.exempt  # checked against the person's page token instead (phone_requests)
def start(round_id: int):
    """Start an attempt (or resume the one in progress)."""
    prelim, person = _person_or_refuse(round_id)
    now = now_ms()
    try:
        answering.start_attempt(prelim, person, now)
    except PrelimError as refusal:
        return jsonify(ok=False, reason=str(refusal), **phone_state(prelim, person, now)), 409
    return jsonify(ok=True, **phone_state(prelim, person, now))


@bp.route("/p/round/<int:round_id>/answer", methods=["POST"])
@csrf.exempt  # checked against the person's page token instead (phone_requests)
def answer(round_id: int):
    """Store one answer; the reply is the acknowledgement and the next screen.

    The common answer never gets here: :mod:`preliminary.answer_gate` stores it before Flask; this
    is the full way, for everything else (its refusals, the last question, a repeat, the end screen)."""
    payload = request.get_json(silent=True)
    now = now_ms()
    cookie = identity.cookie_identity(round_id)
    if cookie is not None:
        _refuse_forgery(round_id, cookie)  # before reading the person, as the gate does
    phone = _phone_or_refuse(round_id, _named_attempt(payload))  # held: keeps its attempt in the session
    prelim, person = phone.prelim, phone.person
    try:
        ack = answering.submit_answer(prelim, person, payload, now)
    except PrelimError as refusal:
        return jsonify(ok=False, reason=str(refusal), **phone_state(prelim, person, now)), 409
    return jsonify(ok=True, saved=True, duplicate=ack.duplicate, **after_answer(prelim, person, ack, now))


def _named_attempt(payload: object) -> int | None:
    """The attempt id an answer request names, when it is a whole number (the save checks the rest)."""
    value = payload.get("attempt") if isinstance(payload, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@bp.route("/p/round/<int:round_id>/leave", methods=["POST"])
@csrf.exempt  # checked against the person's page token instead (phone_requests)
def leave(round_id: int):
    """Count one time the page was left during an attempt."""
    prelim, person = _person_or_refuse(round_id)
    payload = request.get_json(silent=True) or {}
    try:
        attempt = answering.record_leave(prelim, person, payload.get("attempt") if isinstance(payload, dict) else None,
                                         now_ms())
    except PrelimError as refusal:
        return jsonify(ok=False, reason=str(refusal)), 409
    return jsonify(ok=True, leaves=attempt.leave_count, status=attempt.status)


# --- the projector ----------------------------------------------------------------------------------


def _displayed_round(round_id: int, token: str) -> PrelimRound:
    """The round whose display token is ``token``, or 404."""
    prelim = _round(round_id)
    if not hmac.compare_digest(token.encode(), prelim.display_token.encode()):
        abort(404)
    return prelim


@bp.route("/prelim-display/<int:round_id>/<token>")
def display(round_id: int, token: str):
    """The projector page: participation by company and the leaderboard, refreshed in place."""
    prelim = _displayed_round(round_id, token)
    return render_template("preliminary/display.html", prelim=prelim,
                           data_url=url_for(".display_data", round_id=round_id, token=token))


DISPLAY_COMPANIES = 500
"""Companies the projector pages through (a screenful at a time); a round may list thousands."""
DISPLAY_PEOPLE = 10


@bp.route("/prelim-display/<int:round_id>/<token>/data.json")
def display_data(round_id: int, token: str):
    """What the projector shows now: companies by participants, the top people (numbers masked)."""
    prelim = _displayed_round(round_id, token)
    results = round_results(prelim, now_ms())
    companies = sorted(results.companies, key=lambda c: (-c.participants, -c.rate, c.id))[:DISPLAY_COMPANIES]
    return jsonify(
        name=prelim.name,
        participants=sum(c.participants for c in results.companies),
        registered=len(results.people),
        attempts=results.attempts,
        window_end=window_text(prelim.window_end),
        companies=[{"id": c.id, "name": c.name, "participants": c.participants, "headcount": c.headcount,
                    "rate": round(c.rate * 100, 1)} for c in companies],
        people=[{"rank": p.rank, "name": p.name, "mobile": masked_mobile(p.mobile), "company": p.company,
                 "score": p.score, "seconds": round((p.elapsed_ms or 0) / 1000, 1)}
                for p in results.ranked_people[:DISPLAY_PEOPLE]],
    )
