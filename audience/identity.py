"""Who an audience phone is, without any login: a random id in a signed cookie.

Scanning the QR code on the display opens ``/a/<contest>``; a phone without a valid cookie gets
one there: ``[phone id, company]`` signed with the app's secret key, HttpOnly. The id is random
(it names nobody); the company is the phone's own pick from the contest's companies (optional,
changeable on the page). A forged or altered cookie fails its signature and the phone is simply
a new one, so a phone cannot answer as another. The cookie also keeps one phone to one answer
per question across reloads; clearing it makes a new phone, which is the price of no login
(docs/event-day.md).
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

SALT = "audience.phone"
COOKIE = "audience_phone"
COOKIE_AGE = timedelta(days=30)
PHONE_ID_BYTES = 8  # 16 hex digits
MAX_COMPANY = 200


@dataclass(frozen=True)
class AudiencePhone:
    """A phone of the hall, as its cookie names it."""

    id: str
    company: str = ""

    @property
    def code(self) -> str:
        """The short code the display shows for a drawn winner and the winner's phone shows too."""
        return self.id[:6].upper()


def code_of(phone_id: str) -> str:
    """The short code of a phone id."""
    return AudiencePhone(phone_id).code


def _serializer() -> URLSafeSerializer:
    """A signer with the app's secret key, salted apart from every other signed value."""
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def new_phone(company: str = "") -> AudiencePhone:
    """A phone never seen before."""
    return AudiencePhone(secrets.token_hex(PHONE_ID_BYTES), company)


def phone_from_cookie(value: str | None) -> AudiencePhone | None:
    """The phone a cookie value names, or None when missing, forged or malformed."""
    if not value:
        return None
    try:
        data = _serializer().loads(value)
    except BadSignature:
        return None
    if (not isinstance(data, list) or len(data) != 2 or not all(isinstance(item, str) for item in data)
            or len(data[0]) != 2 * PHONE_ID_BYTES or len(data[1]) > MAX_COMPANY):
        return None
    return AudiencePhone(data[0], data[1])


def phone_from_request() -> AudiencePhone | None:
    """The phone making this request (page, poll or Socket.IO connect), from its cookie."""
    return phone_from_cookie(request.cookies.get(COOKIE))


def remember(phone: AudiencePhone, response: Response) -> None:
    """Give ``phone``'s cookie to the browser receiving ``response``."""
    response.set_cookie(COOKIE, _serializer().dumps([phone.id, phone.company]),
                        max_age=int(COOKIE_AGE.total_seconds()), httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
