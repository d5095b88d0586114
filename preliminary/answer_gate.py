"""The common answer save answered before Flask: a small WSGI layer for the one hot request.

A round stores each participant's twenty answers, a hundred thousand saves in a lunch hour, and
after :mod:`preliminary.quick_save` most of a save's CPU was Flask's and Werkzeug's own request
handling (a request and its context, URL matching, header objects, the after-request hook's
header merging, the response object), several times what storing the answer takes
(bench.preliminary_cpu). :class:`AnswerGate` sits in front of the app and takes only a POST to
``/p/round/<id>/answer`` that is entirely the common case, with the very checks the route makes:

* a JSON body (``Content-Type: application/json``, at most :data:`MAX_BODY` bytes, decoded as
  Flask decodes it);
* the round's person cookie, verified like :func:`preliminary.identity.cookie_identity` (the same
  cache of verified cookies) and present once, as plain signed text;
* the sender check of :mod:`preliminary.phone_requests` (page token, ``Sec-Fetch-Site``);
* :func:`preliminary.quick_save.save_and_move_on` storing the answer (the acknowledgement is sent
  only after its commit).

Its reply is what the route would have sent: the same JSON text, ``Content-Type`` and the
security headers of :mod:`web.security` (with ``no-store``). Anything else (no or a forged
cookie, a missing token, another site, a body that is not JSON, a question not current, late,
the last question, a repeat, a database error before the commit) goes on to Flask unchanged,
body included, and gets the route's own answer and refusals; the gate has stored nothing then.
Only an overloaded database pool (no connection free in time) is answered here, 503 with the
app's own JSON and ``Retry-After``, as :func:`web.errors.answer_busy` would.

Behind trusted proxies the host and scheme of the headers come from the same ProxyFix the app
uses (the gate stands in front of it and applies it to a copy of the request's environ).
"""
import json
import re
from io import BytesIO
from typing import Any, Callable

from flask import Flask
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_host

from preliminary import quick_save
from preliminary.identity import cookie_name, identity_of_cookie
from preliminary.phone_requests import sender_refusal
from preliminary.service import now_ms
from web.errors import BUSY_RETRY_S, error_json
from web.security import DYNAMIC_RESPONSE_HEADERS, security_headers

ANSWER_PATH = re.compile(r"/p/round/(\d+)/answer")
MAX_BODY = 4096
"""An answer is under 200 bytes; a larger body is left to Flask (and its own size limit)."""
SIGNED_VALUE = re.compile(r"[A-Za-z0-9_.\-]+")
"""A person cookie as the platform writes it (itsdangerous' URL-safe text); anything else goes to Flask."""
BODY_KEY = "preliminary.answer_body"
"""Where the gate's own copy of the environ keeps the body it read."""


class AnswerGate:
    """WSGI middleware: store the common answer save of ``app`` itself, hand on every other request."""

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        hops = app.config.get("TRUSTED_PROXIES", 0)
        self.reply = ProxyFix(self._reply, x_for=hops, x_proto=hops, x_host=hops, x_port=hops) if hops else self._reply

    def __call__(self, environ: dict, start_response: Callable):
        """The gate's reply to a common answer save, else the app's."""
        if environ.get("REQUEST_METHOD") == "POST":
            found = ANSWER_PATH.fullmatch(environ.get("PATH_INFO", ""))
            body = _json_body(environ) if found else None
            if body is not None:
                reply = self.reply({**environ, BODY_KEY: body}, start_response)
                if reply is not None:
                    return reply
                environ["wsgi.input"] = BytesIO(body)  # read here: Flask reads it again
        return self.wsgi_app(environ, start_response)

    def _reply(self, environ: dict, start_response: Callable) -> list[bytes] | None:
        """Store the answer and start the response; None (nothing stored, nothing started) when
        this is not the common case."""
        round_id = int(ANSWER_PATH.fullmatch(environ["PATH_INFO"])[1])
        value = _cookie(environ.get("HTTP_COOKIE", ""), cookie_name(round_id))
        if value is None:
            return None
        with self.app.app_context():
            try:
                reply, status, extra = self._save(environ, round_id, value), "200 OK", []
            except PoolTimeout as error:  # overloaded, nothing stored: the page sends the answer again
                self.app.logger.warning("busy: no database connection free for the answer of round %s (%s)",
                                        round_id, error)
                reply, status = error_json(ServiceUnavailable()), "503 SERVICE UNAVAILABLE"
                extra = [("Retry-After", str(BUSY_RETRY_S))]
            if reply is None:
                return None
            body = _json_text(self.app, reply)
        secure = environ.get("wsgi.url_scheme") in ("https", "wss")
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *extra,
                                *security_headers(get_host(environ), secure), *DYNAMIC_RESPONSE_HEADERS])
        return [body]

    def _save(self, environ: dict, round_id: int, value: str) -> dict[str, Any] | None:
        """The stored answer's reply; None when the route must decide (see the module's docstring).

        No database connection free in time is answered 503 by the caller, not handed on to the
        route: it would wait as long again for a connection, and then answer the same.
        """
        cookie = identity_of_cookie(round_id, value)
        if cookie is None or sender_refusal(round_id, cookie.person_id, cookie.version, environ.get("HTTP_SEC_FETCH_SITE"),
                                            environ.get("HTTP_X_CSRFTOKEN", "")):
            return None
        try:
            payload = json.loads(environ[BODY_KEY])
        except ValueError:
            return None
        try:
            return quick_save.save_and_move_on(round_id, cookie, payload, now_ms())
        except PoolTimeout:
            raise
        except Exception:  # nothing committed (quick_save commits last): the route tries again and answers
            self.app.logger.exception("初赛答题快速保存失败，改由完整路径处理")
            return None


def _json_body(environ: dict) -> bytes | None:
    """The request's body when it is JSON of a sensible length, else None (the body is then unread)."""
    if environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() != "application/json":
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    if len(body) != length:
        environ["wsgi.input"] = BytesIO(body)
        return None
    return body


def _cookie(header: str, name: str) -> str | None:
    """The value of cookie ``name`` when the header carries it exactly once as plain signed text."""
    found = [value.strip() for key, _, value in (part.partition("=") for part in header.split(";"))
             if key.strip() == name]
    return found[0] if len(found) == 1 and SIGNED_VALUE.fullmatch(found[0]) else None


def _json_text(app: Flask, reply: dict[str, Any]) -> bytes:
    """``reply`` as :func:`flask.jsonify` writes it for ``app``."""
    provider = app.json
    pretty = provider.compact is False or (provider.compact is None and app.debug)
    text = provider.dumps(reply, indent=2) if pretty else provider.dumps(reply, separators=(",", ":"))
    return f"{text}\n".encode()
