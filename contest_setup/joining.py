"""How a team's phone joins its team, and how the projector opens its page, without passwords.

* A **join link** ``/join/<token>`` carries, signed with the app's secret key, the contest, the
  team and the team's current ``join_secret``. Re-issuing the link draws a new secret, so the
  old link and its printed QR code stop working at once.
* A phone that opens the link receives a **phone credential** (an HttpOnly cookie), signed too,
  naming the team and its ``binding_version``. Revoking raises the version, so every phone of
  that team is out at once and must scan again.
* The **display link** ``/display/<contest_id>/<display_token>`` opens the projector page.

Links are built from the address phones can reach (:func:`public_base_url`).
"""
import hmac
from datetime import timedelta
from urllib.parse import urlsplit

import segno
from flask import current_app, has_request_context, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from werkzeug.wrappers import Response

from addressing import detect_lan_ip, server_base_url
from contest_setup.models import Contest, ContestTeam, new_token, utcnow
from extensions import db

JOIN_SALT = "contest-setup.join-link"
PHONE_SALT = "contest-setup.phone-credential"
PHONE_COOKIE = "team_phone"
PHONE_COOKIE_AGE = timedelta(days=30)
"""A phone stays bound for a month: long enough for rehearsal, final and prize-giving."""

_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
_ALL_INTERFACES = {"0.0.0.0", "::", ""}


def _serializer(salt: str) -> URLSafeSerializer:
    """A signer with the app's secret key; the salt keeps links and credentials apart."""
    return URLSafeSerializer(current_app.secret_key, salt=salt)


def _load(salt: str, value: str | None) -> list | None:
    """The signed ``[contest, team, secret-or-version]`` of ``value``, or None when forged or malformed.

    Payloads are short lists rather than dicts so that links, and so the QR codes, stay small.
    """
    if not value:
        return None
    try:
        data = _serializer(salt).loads(value)
    except BadSignature:
        return None
    return data if isinstance(data, list) and len(data) == 3 else None


def _team(contest_id, team_id) -> ContestTeam | None:
    """The team ``team_id`` if it exists and belongs to contest ``contest_id``."""
    if not isinstance(team_id, int) or not isinstance(contest_id, int):
        return None
    team = db.session.get(ContestTeam, team_id)
    return team if team is not None and team.contest_id == contest_id else None


# --- join links -------------------------------------------------------------------------------


def make_join_token(team: ContestTeam) -> str:
    """The signed token of ``team``'s current join link."""
    return _serializer(JOIN_SALT).dumps([team.contest_id, team.id, team.join_secret])


def team_for_join_token(token: str) -> ContestTeam | None:
    """The team a join token opens, or None when it is forged, re-issued or its team is gone."""
    data = _load(JOIN_SALT, token)
    if data is None:
        return None
    contest_id, team_id, secret = data
    team = _team(contest_id, team_id)
    if team is None or not hmac.compare_digest(str(secret), team.join_secret):
        return None
    return team


def reissue_link(team: ContestTeam) -> None:
    """Give ``team`` a new join link; the old link and QR code stop working."""
    team.join_secret = new_token()
    db.session.commit()


# --- phone credentials ------------------------------------------------------------------------


def phone_credential(team: ContestTeam) -> str:
    """The signed credential a phone keeps for ``team`` at its current binding version."""
    return _serializer(PHONE_SALT).dumps([team.contest_id, team.id, team.binding_version])


def team_for_credential(value: str | None) -> ContestTeam | None:
    """The team a phone credential is bound to, or None when forged or revoked."""
    data = _load(PHONE_SALT, value)
    if data is None:
        return None
    contest_id, team_id, version = data
    team = _team(contest_id, team_id)
    if team is None or version != team.binding_version:
        return None
    return team


def verify_phone_credential(value: str | None) -> tuple[int, int] | None:
    """``(contest_id, team_id)`` of a valid phone credential, else None (for Socket.IO connect)."""
    team = team_for_credential(value)
    return (team.contest_id, team.id) if team is not None else None


def team_from_request() -> ContestTeam | None:
    """The team the phone making this request is bound to, from its credential cookie."""
    return team_for_credential(request.cookies.get(PHONE_COOKIE))


def bind_phone(team: ContestTeam, response: Response) -> None:
    """Bind the phone receiving ``response`` to ``team`` and count it on the join screen."""
    response.set_cookie(
        PHONE_COOKIE,
        phone_credential(team),
        max_age=int(PHONE_COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    team.phone_joins += 1
    team.phone_joined_at = utcnow()
    db.session.commit()


def revoke_phones(team: ContestTeam) -> None:
    """Log every phone of ``team`` out at once; the team joins again with its link."""
    team.binding_version += 1
    team.phone_joins = 0
    team.phone_joined_at = None
    db.session.commit()


# --- the projector ------------------------------------------------------------------------------


def display_token_matches(contest: Contest, token: str) -> bool:
    """Whether ``token`` opens ``contest``'s display page (compared in constant time)."""
    return hmac.compare_digest(token.encode(), contest.display_token.encode())


# --- addresses --------------------------------------------------------------------------------


def public_base_url() -> str:
    """The base URL phones in the hall can reach, for join links and QR codes.

    ``PUBLIC_URL`` wins. Else the request's own address (as a trusted proxy forwarded it), except
    when the organizer browses on the laptop itself (localhost) while the server listens on every
    interface: then the laptop's address on the venue network. Outside a request, the start-up
    address.
    """
    config = current_app.config
    if config.get("PUBLIC_URL"):
        return config["PUBLIC_URL"].rstrip("/")
    if not has_request_context():
        return server_base_url(config["HOST"], config["PORT"], None)
    parts = urlsplit(request.host_url)
    if parts.hostname in _LOOPBACK_HOSTS and config["HOST"] in _ALL_INTERFACES:
        return f"{parts.scheme}://{detect_lan_ip()}:{parts.port or config['PORT']}"
    return request.host_url.rstrip("/")


def phones_can_reach(base_url: str) -> bool:
    """Whether links on ``base_url`` can work on a phone (not a loopback address)."""
    return urlsplit(base_url).hostname not in _LOOPBACK_HOSTS


def join_url(team: ContestTeam, base_url: str | None = None) -> str:
    """The full join link of ``team``."""
    path = url_for("contest_public.join", token=make_join_token(team))
    return (base_url or public_base_url()) + path


def display_url(contest: Contest, base_url: str | None = None) -> str:
    """The full link of ``contest``'s projector page."""
    path = url_for("contest_public.display", contest_id=contest.id, token=contest.display_token)
    return (base_url or public_base_url()) + path


def host_console_path(contest: Contest) -> str:
    """Where the host runs ``contest`` (the live layer serves this page)."""
    return f"/host/{contest.id}"


def qr_svg(text: str) -> Markup:
    """``text`` as an inline SVG QR code that scales to its box (medium error correction)."""
    code = segno.make(text, error="m")
    return Markup(code.svg_inline(scale=1, omitsize=True, border=2, svgclass="qr", lineclass="qr-dark"))
