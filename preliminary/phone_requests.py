"""How the answering page's JSON requests are trusted without the Flask session.

The phone's identity is its signed person cookie (:mod:`preliminary.identity`); the session
cookie adds nothing to it. Decoding the session and checking Flask-WTF's session-bound token cost
as much CPU as the rest of an answer save, on every one of the round's hundred thousand saves,
so the four requests of the answering page (``state``, ``start``, ``answer``, ``leave``) skip
the session, and their protection against cross-site request forgery is of their own, no weaker:

* the page carries a **per-person token**, an HMAC of the round, the person and the version of
  the person's identity under the app's secret key; every POST sends it in ``X-CSRFToken`` and
  the server compares it in constant time. Another site can make a phone send the cookie but
  cannot read the page, so it cannot know the token; a token is worth nothing with another
  person's cookie, and re-registering (a new version) retires it.
* a browser that says the request comes from another site (``Sec-Fetch-Site: cross-site`` or
  ``same-site``) is refused even with a token.

Both follow the app's CSRF switch (``WTF_CSRF_ENABLED``), like every form of the platform.
"""
import hashlib
import hmac
import re

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface

PHONE_REQUEST_PATH = re.compile(r"/p/round/\d+/(state|start|answer|leave)")
"""The answering page's JSON requests: they read no session and write none."""

TOKEN_HEADER = "X-CSRFToken"
FORGERY_REFUSED = "安全校验未通过，请刷新答题页面后再试"
OTHER_SITES = frozenset({"cross-site", "same-site"})


class PhoneRequestSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that the phone's JSON requests get none: their
    session cookie is neither decoded nor written back (Flask gives them its null session)."""

    def open_session(self, app, request):
        """The request's session, or None for the answering page's JSON requests."""
        if PHONE_REQUEST_PATH.fullmatch(request.path):
            return None
        return super().open_session(app, request)


TOKENS_KEPT = 50_000
"""Page tokens computed, kept by person: each of a person's answers is checked against the same one."""


def page_token(round_id: int, person_id: int, version: int | str) -> str:
    """The token the answering page of this person sends with each request."""
    key = _key()
    tokens = current_app.extensions.setdefault("prelim_page_tokens", {})
    known = tokens.get((key, round_id, person_id, version))
    if known is None:
        if len(tokens) >= TOKENS_KEPT:
            tokens.clear()
        message = f"preliminary.phone-request:{round_id}:{person_id}:{version}".encode()
        known = tokens[(key, round_id, person_id, version)] = hmac.new(key, message, hashlib.sha256).hexdigest()
    return known


def _key() -> bytes:
    """The app's secret key as bytes."""
    key = current_app.secret_key
    return key if isinstance(key, bytes) else str(key).encode()


def forgery_refusal(round_id: int, person_id: int, version: int | str) -> str | None:
    """Why this POST may not have been sent by the person's own answering page (None: it was)."""
    return sender_refusal(round_id, person_id, version, request.headers.get("Sec-Fetch-Site"),
                          request.headers.get(TOKEN_HEADER, ""))


def sender_refusal(round_id: int, person_id: int, version: int | str, fetch_site: str | None, given: str) -> str | None:
    """:func:`forgery_refusal` of a POST whose ``Sec-Fetch-Site`` header is ``fetch_site`` and whose
    token header is ``given``."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    if fetch_site in OTHER_SITES:
        return FORGERY_REFUSED
    if not hmac.compare_digest(given.encode(), page_token(round_id, person_id, version).encode()):
        return FORGERY_REFUSED
    return None
