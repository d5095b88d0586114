"""The certificate pages: the organizer's list (issue with a POST), the printable pages, and the
public verification page that anyone holding a certificate's code may open.

Nothing is created on a GET: the list shows who is entitled and what is issued; the button posts.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from accounts.models import Role
from certificates import service
from certificates.service import CertificateError
from contest_setup.branding import brand_of
from contest_setup.joining import public_base_url
from contest_setup.models import Contest
from contest_setup.pages import contest_page
from extensions import db

bp = Blueprint("certificates", __name__, url_prefix="/contests")
public_bp = Blueprint("certificates_public", __name__)

organizer_page = contest_page(Role.ORGANIZER)


@bp.route("/<int:contest_id>/certificates")
@organizer_page
def index(contest: Contest):
    """Who is entitled, what is issued (with each code), and the buttons to issue and print."""
    try:
        due, refusal = service.entitlements(contest), None
    except CertificateError as error:
        due, refusal = [], str(error)
    issued = service.issued(contest)
    held = {(c.award, c.winner) for c in issued}
    missing = [item for item in due if (item.award, item.winner) not in held]
    return render_template("certificates/index.html", contest=contest, issued=issued, missing=missing, refusal=refusal)


@bp.route("/<int:contest_id>/certificates", methods=["POST"])
@organizer_page
def issue(contest: Contest):
    """Issue the missing certificates (again is harmless: existing ones keep their codes)."""
    try:
        added = service.issue(contest, current_user.username)
    except CertificateError as error:
        flash(str(error), "error")
    else:
        flash(f"已颁发 {added} 张证书" if added else "证书均已颁发，没有新增", "success")
    return redirect(url_for(".index", contest_id=contest.id))


@bp.route("/<int:contest_id>/certificates/print", defaults={"certificate_id": None})
@bp.route("/<int:contest_id>/certificates/<int:certificate_id>/print")
@organizer_page
def printable(contest: Contest, certificate_id: int | None):
    """Every issued certificate (or one), one A4 landscape page each, for the browser to print."""
    chosen = service.issued(contest)
    if certificate_id is not None:
        chosen = [c for c in chosen if c.id == certificate_id]
        if not chosen:
            abort(404)
    return render_template("certificates/print.html", contest=contest, certificates=chosen, brand=brand_of(contest),
                           verify_url=public_base_url() + url_for("certificates_public.verify"))


@public_bp.route("/verify", defaults={"code": None})
@public_bp.route("/verify/<code>")
def verify(code: str | None):
    """Check a certificate's code (typed in the form, ``?code=``, or in the link) and say what it
    certifies, or 查无此证书. The code is the only secret, and is long enough not to be guessed."""
    typed = code or request.args.get("code", "")
    certificate = service.find(typed) if typed else None
    contest = db.session.get(Contest, certificate.contest_id) if certificate else None
    status = 404 if typed and certificate is None else 200
    return render_template("certificates/verify.html", typed=typed, certificate=certificate,
                           brand=brand_of(contest) if contest else None), status

