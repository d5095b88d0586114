"""How a team's phones join their team, and how the projector opens its page, without passwords.

* A **join link** ``/join/<token>`` carries, signed with the app's secret key, the contest, the
  team and the team's current ``join_secret``. Re-issuing the link draws a new secret, so the
  old link and its printed QR code stop working at once. Opening the link shows a button; only
  pressing it (a POST) binds the phone, so a chat app's link preview binds nothing.
* Each bound phone is a :class:`TeamPhone` with a random secret of its own, and receives a
  **phone credential** (an HttpOnly cookie), signed too, naming the contest, the team, the team's
  ``phone_secret`` and the phone's secret. Dropping a phone deletes it; revoking draws a new
  team secret and deletes them all. A credential of a deleted team cannot fit another team that
  later got the same id: neither secret matches. A team holds at most ``phones_per_team`` phones.
* The **display link** ``/display/<contest_id>/<display_token>`` opens the projector page; the
  organizer can renew the token.

Links are built from the address phones can reach (:func:`public_base_url`): the ``PUBLIC_URL``
setting; the address of the request as a reverse proxy forwarded it; the machine's own address on
the local network when the server listens on it; the loopback address otherwise.
"""
import hmac
import socket
from datetime import timedelta
from urllib.parse import urlsplit

import segno
import sqlalchemy as sa
from flask import current_app, has_request_context, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from werkzeug.wrappers import Response

from accounts.exposure import LOOPBACK_HOSTS
from contest_setup.models import Contest, ContestStatus, ContestTeam, TeamPhone, new_token
from extensions import db

JOIN_SALT = "contest-setup.join-link"
PHONE_SALT = "contest-setup.phone-credential"
PHONE_COOKIE = "team_phone"
PHONE_COOKIE_AGE = timedelta(days=30)
"""A phone stays bound for a month: long enough for rehearsal, final and prize-giving."""

_ALL_INTERFACES = {"0.0.0.0", "::", ""}


def _serializer(salt: str) -> URLSafeSerializer:
    """A signer with the app's secret key; the salt keeps links and credentials apart."""
    return URLSafeSerializer(current_app.secret_key, salt=salt)


def _load(salt: str, value: str | None, length: int) -> list | None:
    """The signed list of ``length`` items in ``value``, or None when forged or malformed.

    Payloads are short lists rather than dicts so that links, and so the QR codes, stay small.
    """
    if not value:
        return None
    try:
        data = _serializer(salt).loads(value)
    except BadSignature:
        return None
    return data if isinstance(data, list) and len(data) == length else None


def _same_secret(given, expected: str) -> bool:
    """Whether ``given`` is the (non-empty) secret ``expected``, compared in constant time."""
    return isinstance(given, str) and bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


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
    data = _load(JOIN_SALT, token, 3)
    if data is None:
        return None
    contest_id, team_id, secret = data
    team = _team(contest_id, team_id)
    if team is None or not _same_secret(secret, team.join_secret):
        return None
    return team


def reissue_link(team: ContestTeam) -> None:
    """Give ``team`` a new join link; the old link and QR code stop working."""
    team.join_secret = new_token()
    db.session.commit()


# --- phones and their credentials --------------------------------------------------------------


class PhoneLimitReached(Exception):
    """The team already holds as many phones as its contest allows."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit

    def __str__(self) -> str:
        return f"本队已有 {self.limit} 部手机加入，已达上限。请主持人在主持台移出一部手机后再加入。"


def add_phone(team: ContestTeam) -> TeamPhone:
    """Bind one more phone to ``team``; :class:`PhoneLimitReached` when it holds ``phones_per_team`` already."""
    limit = team.contest.phones_per_team
    if len(team.phones) >= limit:
        raise PhoneLimitReached(limit)
    if not team.phone_secret:
        team.phone_secret = new_token()  # a team from a database made before phone secrets existed
    number = 1 + max((phone.number for phone in team.phones), default=0)
    phone = TeamPhone(team=team, number=number)
    db.session.add(phone)
    db.session.commit()
    return phone


def phone_credential(phone: TeamPhone) -> str:
    """The signed credential of ``phone``: contest, team, the team's phone secret, the phone's secret."""
    team = phone.team
    return _serializer(PHONE_SALT).dumps([team.contest_id, team.id, team.phone_secret, phone.secret])


def new_phone_credential(team: ContestTeam) -> str:
    """Bind a new phone to ``team`` and return its credential (for clients that are not browsers)."""
    return phone_credential(add_phone(team))


def phone_for_credential(value: str | None) -> TeamPhone | None:
    """The phone a credential names, or None when forged, dropped, revoked or its team is gone."""
    data = _load(PHONE_SALT, value, 4)
    if data is None:
        return None
    contest_id, team_id, team_secret, phone_secret = data
    team = _team(contest_id, team_id)
    if team is None or not _same_secret(team_secret, team.phone_secret) or not isinstance(phone_secret, str):
        return None
    phone = db.session.scalar(sa.select(TeamPhone).where(TeamPhone.team_id == team.id,
                                                         TeamPhone.secret == phone_secret))
    return phone


def phone_from_request() -> TeamPhone | None:
    """The phone making this request, from its credential cookie."""
    return phone_for_credential(request.cookies.get(PHONE_COOKIE))


def team_from_request() -> ContestTeam | None:
    """The team the phone making this request is bound to, from its credential cookie."""
    phone = phone_from_request()
    return phone.team if phone is not None else None


def bind_phone(team: ContestTeam, response: Response) -> TeamPhone:
    """Bind the phone receiving ``response`` to ``team`` (:class:`PhoneLimitReached` when full).

    A phone that held another team's credential leaves that team first, so it does not keep a
    place there.
    """
    previous = phone_from_request()
    if previous is not None:
        db.session.delete(previous)
        db.session.flush()
        db.session.expire(previous.team, ["phones"])
    phone = add_phone(team)
    response.set_cookie(
        PHONE_COOKIE,
        phone_credential(phone),
        max_age=int(PHONE_COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return phone


def drop_phone(phone: TeamPhone) -> None:
    """Unbind one phone: its credential stops working, and its place is free."""
    db.session.delete(phone)
    db.session.commit()


def revoke_phones(team: ContestTeam) -> None:
    """Log every phone of ``team`` out at once; the team joins again with its link."""
    team.phone_secret = new_token()
    team.phones.clear()
    db.session.commit()


# --- the projector ------------------------------------------------------------------------------


def display_token_matches(contest: Contest, token: str) -> bool:
    """Whether ``token`` opens ``contest``'s display page (compared in constant time)."""
    return _same_secret(token, contest.display_token)


def renew_display_token(contest: Contest) -> None:
    """Give the projector a new link: the old one stops working (its open page is cut by the caller)."""
    contest.display_token = new_token()
    db.session.commit()


def join_codes_visible(contest: Contest) -> bool:
    """Whether the display shows the teams' join codes: before the start, or when the organizer shows them."""
    return contest.join_codes_shown or contest.status in (ContestStatus.DRAFT, ContestStatus.READY)


def join_cards(contest: Contest) -> list[dict]:
    """What the display's join screen shows per team, in seat order (no QR code while the codes are hidden)."""
    base = public_base_url()
    visible = join_codes_visible(contest)
    return [
        {"team": team, "qr": qr_svg(join_url(team, base)) if visible else None}
        for team in contest.teams_by_seat
    ]


# --- addresses --------------------------------------------------------------------------------

# A documentation-only address (RFC 5737): connecting a UDP socket to it sends no packet, it only
# asks the operating system which local interface would be used to reach other networks.
_ROUTE_PROBE_ADDRESS = ("192.0.2.1", 9)


def detect_lan_ip() -> str:
    """The machine's address on its local network, or 127.0.0.1 when it has none."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(_ROUTE_PROBE_ADDRESS)
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def server_base_url(host: str, port: int, public_url: str | None) -> str:
    """The base URL printed at start-up and used when no request is at hand."""
    if public_url:
        return public_url.rstrip("/")
    if host in _ALL_INTERFACES:
        return f"http://{detect_lan_ip()}:{port}"
    return f"http://{host}:{port}"



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
    if parts.hostname in LOOPBACK_HOSTS and config["HOST"] in _ALL_INTERFACES:
        return f"{parts.scheme}://{detect_lan_ip()}:{parts.port or config['PORT']}"
    return request.host_url.rstrip("/")


def phones_can_reach(base_url: str) -> bool:
    """Whether links on ``base_url`` can work on a phone (not a loopback address)."""
    return urlsplit(base_url).hostname not in LOOPBACK_HOSTS


def join_url(team: ContestTeam, base_url: str | None = None) -> str:
    """The full join link of ``team``."""
    path = url_for("contest_public.join", token=make_join_token(team))
    return (base_url or public_base_url()) + path


def display_url(contest: Contest, base_url: str | None = None) -> str:
    """The full link of ``contest``'s projector page."""
    path = url_for("live.display", contest_id=contest.id, token=contest.display_token)
    return (base_url or public_base_url()) + path


def host_console_path(contest: Contest) -> str:
    """Where the host runs ``contest`` (the live layer serves this page)."""
    return f"/host/{contest.id}"


def qr_svg(text: str) -> Markup:
    """``text`` as an inline SVG QR code that scales to its box (medium error correction)."""
    code = segno.make(text, error="m")
    return Markup(code.svg_inline(scale=1, omitsize=True, border=2, svgclass="qr", lineclass="qr-dark"))
