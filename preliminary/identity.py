"""Who opens what without a password: a company's invite link, and the phone cookie of a person.

* An **invite link** ``/p/<token>`` carries, signed with the app's secret key, the round, the
  company and the company's ``invite_secret``; it opens the registration page of that company.
* After registration the phone keeps a **person cookie** (HttpOnly, signed), naming the round, the
  person and the person's ``version``. A forged or altered cookie opens nothing. The same name and
  number registered on another phone give that phone the same identity, so a person resumes there.

The signing is the join links' own (:mod:`contest_setup.joining`), with salts of its own, so an
invite token is never a team's credential or the other way round.
"""
import hmac
from typing import NamedTuple
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from contest_setup.joining import public_base_url
from extensions import db
from preliminary.models import PrelimAttempt, PrelimCompany, PrelimPerson, PrelimRound

INVITE_SALT = "preliminary.invite-link"
PERSON_SALT = "preliminary.person-cookie"
COOKIE_AGE = timedelta(days=60)
"""A phone keeps its identity for the whole window (up to a month) and a little after."""


def _serializer(salt: str) -> URLSafeSerializer:
    """A signer with the app's secret key, made once per app and salt (every answer checks a cookie)."""
    signers = current_app.extensions.setdefault("prelim_signers", {})
    key = (current_app.secret_key, salt)
    if key not in signers:
        signers[key] = URLSafeSerializer(current_app.secret_key, salt=salt)
    return signers[key]


def _load(salt: str, value: str | None) -> list | None:
    """The signed ``[round, id, secret-or-version]`` of ``value``, or None when forged or malformed."""
    if not value or len(value) > 200:
        return None
    try:
        data = _serializer(salt).loads(value)
    except BadSignature:
        return None
    if not (isinstance(data, list) and len(data) == 3 and all(isinstance(x, (int, str)) for x in data)):
        return None
    return data


def invite_token(company: PrelimCompany) -> str:
    """The signed token of ``company``'s invite link."""
    return _serializer(INVITE_SALT).dumps([company.round_id, company.id, company.invite_secret])


def company_for_invite(token: str) -> PrelimCompany | None:
    """The company an invite token opens, or None when forged, re-issued or gone."""
    data = _load(INVITE_SALT, token)
    if data is None or not isinstance(data[1], int):
        return None
    company = db.session.get(PrelimCompany, data[1])
    if company is None or company.round_id != data[0] or not hmac.compare_digest(str(data[2]), company.invite_secret):
        return None
    return company


def invite_url(company: PrelimCompany, base_url: str | None = None) -> str:
    """The full invite link of ``company`` (the address phones can reach)."""
    return (base_url or public_base_url()) + url_for("prelim_phone.invite", token=invite_token(company))


def cookie_name(round_id: int) -> str:
    """The person cookie of one round (a phone may take part in several rounds)."""
    return f"prelim_{round_id}"


class Phone(NamedTuple):
    """Who a phone is, the round, and the attempt its request names (when it is that person's)."""

    person: PrelimPerson
    prelim: PrelimRound
    attempt: PrelimAttempt | None = None


def person_from_request(round_id: int) -> PrelimPerson | None:
    """The person this phone is, in round ``round_id``, from its cookie; None when missing or forged."""
    phone = phone_from_request(round_id)
    return phone.person if phone else None


class CookieIdentity(NamedTuple):
    """What a phone's signed cookie says: the person and the version of the person's identity."""

    person_id: int
    version: int | str


VERIFIED_COOKIES_KEPT = 50_000
"""Person cookies whose signature was checked, kept by their exact text: a phone sends the same
cookie with each of its answers, and checking the signature again cost as much as storing the answer."""


def cookie_identity(round_id: int) -> CookieIdentity | None:
    """The person the request's cookie names in round ``round_id`` (not yet read from the
    database); None when the cookie is missing, forged or of another round."""
    return identity_of_cookie(round_id, request.cookies.get(cookie_name(round_id)))


def identity_of_cookie(round_id: int, value: str | None) -> CookieIdentity | None:
    """The person the person cookie ``value`` names in round ``round_id`` (see :func:`cookie_identity`)."""
    verified = current_app.extensions.setdefault("prelim_verified_cookies", {})
    known = verified.get(value)
    if known is not None:
        return known[1] if known[0] == round_id else None
    data = _load(PERSON_SALT, value)
    if data is None or not isinstance(data[1], int):
        return None
    if len(verified) >= VERIFIED_COOKIES_KEPT:
        verified.clear()
    verified[value] = (data[0], CookieIdentity(data[1], data[2]))
    return verified[value][1] if data[0] == round_id else None


def phone_from_request(round_id: int, attempt_id: int | None = None) -> Phone | None:
    """The cookie's person with the round (and attempt ``attempt_id``), read in one query; None when
    the cookie is missing or forged.

    Every answer needs all three. The session keeps loaded rows only while something refers to
    them, so the caller holds the :class:`Phone` for the request, and the later look-ups of the
    round and the attempt by id find them in the session instead of reading each again.
    """
    cookie = cookie_identity(round_id)
    if cookie is None:
        return None
    values = {"round_id": round_id, "person_id": cookie.person_id, "attempt_id": attempt_id}
    query = _PERSON_WITH_ROUND if attempt_id is None else _PERSON_WITH_ROUND_AND_ATTEMPT
    row = db.session.execute(query, values).first()
    if row is None or row[0].version != cookie.version:
        return None
    return Phone(*row)


_PERSON_WITH_ROUND = (sa.select(PrelimPerson, PrelimRound).join(PrelimRound, PrelimRound.id == PrelimPerson.round_id)
                      .where(PrelimPerson.id == sa.bindparam("person_id"),
                             PrelimPerson.round_id == sa.bindparam("round_id")))
_PERSON_WITH_ROUND_AND_ATTEMPT = _PERSON_WITH_ROUND.add_columns(PrelimAttempt).outerjoin(
    PrelimAttempt, sa.and_(PrelimAttempt.id == sa.bindparam("attempt_id"), PrelimAttempt.person_id == PrelimPerson.id))
"""The person of the round with the round (and that person's attempt ``attempt_id``) alongside; built
once, as composing a statement costs more CPU than SQLite takes to run it."""


def remember_person(person: PrelimPerson, response: Response) -> None:
    """Give the phone receiving ``response`` the identity of ``person``."""
    response.set_cookie(
        cookie_name(person.round_id),
        _serializer(PERSON_SALT).dumps([person.round_id, person.id, person.version]),
        max_age=int(COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
