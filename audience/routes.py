"""The audience phone's page ``/a/<contest>`` (opened from the display's QR code, no login), its
company pick, and the HTTP fallback a phone beyond the connection budget polls.

The page gives a phone its signed cookie (:mod:`audience.identity`) on first opening. The phone
then follows the hall over the ``/audience`` namespace; when the namespace is full (现场人数已满) it
asks ``/a/<contest>/view`` every few seconds and answers by POST, through the same checks.
"""
import io

import segno
from flask import (Blueprint, Response, abort, current_app, jsonify, make_response, redirect, render_template, request,
                   url_for)

from audience.companies import companies_of
from audience.hall import answer, hall, view
from audience.identity import new_phone, phone_from_request, remember
from audience.publisher import start_publisher
from contest_setup import joining, service
from live import payloads
from live.payloads import PayloadError

bp = Blueprint("audience", __name__)

POLL_SECONDS = 3
"""How often a phone beyond the connection budget asks for the view."""


def _contest(contest_id: int):
    """The contest, or 404."""
    contest = service.get_contest(contest_id)
    if contest is None:
        abort(404)
    return contest


def _publishing() -> None:
    """The publisher runs (it stores the polling phones' answers) and, with several processes, this
    process hears the others' host steps, even where no socket of the hall is connected."""
    start_publisher(current_app._get_current_object())


@bp.route("/a/<int:contest_id>")
def phone_page(contest_id: int):
    """The phone page; a phone seen for the first time gets its cookie here."""
    contest = _contest(contest_id)
    phone = phone_from_request()
    fresh = phone is None
    phone = phone or new_phone()
    response = make_response(render_template("audience/phone.html", contest=contest, phone=phone,
                                             companies=companies_of(contest), poll_seconds=POLL_SECONDS))
    if fresh:
        remember(phone, response)
    return response


@bp.route("/a/<int:contest_id>/company", methods=["POST"])
def pick_company(contest_id: int):
    """The phone's company (one of the contest's, or none): kept in its cookie, counted with its answers."""
    contest = _contest(contest_id)
    company = request.form.get("company", "")
    if company and company not in companies_of(contest):
        abort(400, description="请从列表中选择单位")
    phone = phone_from_request() or new_phone()
    response = make_response(redirect(url_for(".phone_page", contest_id=contest.id)))
    remember(type(phone)(phone.id, company), response)
    return response


@bp.route("/a/<int:contest_id>/view")
def poll_view(contest_id: int):
    """The phone's view over HTTP (beyond the connection budget)."""
    _contest(contest_id)
    phone = phone_from_request()
    if phone is None:
        return jsonify({"ok": False, "reason": "请重新扫描大屏上的二维码"}), 403
    _publishing()
    return jsonify(view(hall(contest_id), "phone", phone))


@bp.route("/a/<int:contest_id>/answer", methods=["POST"])
def post_answer(contest_id: int):
    """The phone's answer over HTTP: the same checks as over the namespace."""
    _contest(contest_id)
    phone = phone_from_request()
    if phone is None:
        return jsonify({"ok": False, "reason": "请重新扫描大屏上的二维码"}), 403
    try:
        data = payloads.checked(request.get_json(silent=True))
    except PayloadError as error:
        return jsonify({"ok": False, "reason": str(error)}), 400
    _publishing()
    return jsonify(answer(contest_id, phone, data.get("question"), data.get("choice")))


@bp.route("/a/<int:contest_id>/qr.svg")
def qr_code(contest_id: int):
    """The QR code of the phone page, for the display (the address phones can reach)."""
    contest = _contest(contest_id)
    link = joining.public_base_url() + url_for(".phone_page", contest_id=contest.id)
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="svg", scale=10, border=2, xmldecl=False)
    return Response(image.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-cache"})
