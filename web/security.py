"""Security headers on every response, and the limits of what a client may send.

:func:`register` adds, to every response of the app:

* ``Content-Security-Policy`` (:func:`content_security_policy`): scripts, styles, fonts, sounds
  and images only from this server, no inline script or style (``<script>…</script>``,
  ``onclick=``, ``style=``), Socket.IO over ``ws:``/``wss:`` to the page's own host only (an
  injected script could otherwise send what a page shows to any host), no plug-ins, no framing,
  forms post only here. A question or a team name that carries HTML can therefore never run, even if a
  template forgot to escape it. The pages keep to it (tests/browser/test_csp.py).
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` (the join and display
  links carry secrets and must not leak to other sites), ``X-Frame-Options: DENY`` (older
  browsers' ``frame-ancestors``), ``Cross-Origin-Opener-Policy: same-origin`` and a
  ``Permissions-Policy`` that switches off what no page uses (camera, microphone, location,
  payment, USB). Vibration on the phones is not a Permissions-Policy feature and stays allowed.
* ``Cache-Control: no-store`` on every response that is not a static file: the organizer pages
  and exports show answers, the host console shows them live, and the team and display pages
  are opened by secrets; none of that may stay in a shared browser's cache or a proxy.
  Static files (CSS, JavaScript, sounds) keep Flask's revalidated caching.
* ``Strict-Transport-Security`` only on a request that arrived over HTTPS (directly or through a
  trusted proxy, see ``TRUSTED_PROXIES``): a hall laptop on plain HTTP must not send it.

It also puts :class:`PollingGuard` in front of Socket.IO: Engine.IO refuses a WebSocket message
over :data:`MAX_SOCKET_MESSAGE_BYTES` by closing that connection, but a long-polling POST that
is too large (or carries a packet type a client never sends) makes python-engineio close the
session and then wait, for ever, for a poll that would take the close packet: each such request
would hold one of the server's connection slots until they ran out. The guard answers those
requests itself (413 or 400) before Engine.IO sees them.

See docs/security.md.
"""
import re
from functools import lru_cache
from io import BytesIO

from flask import Flask, Response, request

POLICY_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src {connect}",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
HOST_PATTERN = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def content_security_policy(host: str) -> str:
    """The policy for a page served as ``host``: live connections only to that same host.

    Older browsers do not count ``ws:``/``wss:`` as ``'self'``, so the page's host is named with
    both schemes. A Host header that is not a plain host name (or address) and port gets
    ``'self'`` alone: it cannot add anything to the policy.
    """
    connect = f"'self' ws://{host} wss://{host}" if HOST_PATTERN.fullmatch(host or "") else "'self'"
    return "; ".join(POLICY_DIRECTIVES).format(connect=connect)


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}

HSTS = "max-age=15552000"
"""180 days, without includeSubDomains or preload: the platform may share its domain with others."""

MAX_SOCKET_MESSAGE_BYTES = 64 * 1024
"""The largest Engine.IO message (or long-polling POST) the server reads; a larger one closes
that client's connection. Client commands are at most 2 KiB (live.protocol.MAX_PAYLOAD_BYTES)."""

CACHEABLE_ENDPOINTS = frozenset({"static"})

SOCKET_IO_PATH = "/socket.io/"


class PollingGuard:
    """WSGI middleware: refuse Engine.IO long-polling POSTs that Engine.IO would choke on.

    A POST body is a list of Engine.IO packets separated by ``\x1e``; a client sends only
    close (1), pong (3), message (4), upgrade (5) and binary messages (``b``). Anything larger
    than ``limit`` gets ``413``, any other packet type ``400``; the session itself is left alone.
    """

    CLIENT_PACKET_TYPES = frozenset(b"1345b")

    def __init__(self, wsgi_app, limit: int = MAX_SOCKET_MESSAGE_BYTES, path: str = SOCKET_IO_PATH):
        self.wsgi_app = wsgi_app
        self.limit = limit
        self.path = path

    def __call__(self, environ, start_response):
        """Check a long-polling POST, then hand every request on unchanged."""
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").startswith(self.path):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return self.refuse(start_response, "400 BAD REQUEST", "Bad Content-Length")
            if length > self.limit:
                return self.refuse(start_response, "413 REQUEST ENTITY TOO LARGE", "Payload too large")
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            if body and any(not packet or packet[0] not in self.CLIENT_PACKET_TYPES for packet in body.split(b"\x1e")):
                return self.refuse(start_response, "400 BAD REQUEST", "Unexpected packet")
            environ["wsgi.input"] = BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.wsgi_app(environ, start_response)

    @staticmethod
    def refuse(start_response, status: str, message: str) -> list[bytes]:
        """A short plain-text refusal."""
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(message)))])
        return [message.encode()]


@lru_cache(maxsize=64)
def security_headers(host: str, secure: bool) -> tuple[tuple[str, str], ...]:
    """The security headers of a response to a request for ``host`` (``secure``: it came over HTTPS),
    without ``Cache-Control``; the same few pairs for every request to one host, so kept."""
    headers = [("Content-Security-Policy", content_security_policy(host)), *SECURITY_HEADERS.items()]
    if secure:
        headers.append(("Strict-Transport-Security", HSTS))
    return tuple(headers)


DYNAMIC_RESPONSE_HEADERS = (("Cache-Control", "no-store"),)
"""What every response that is not a static file carries besides :func:`security_headers`."""


def add_security_headers(response: Response) -> Response:
    """Put the security headers (and, for dynamic responses, ``no-store``) on ``response``."""
    for name, value in security_headers(request.host, request.is_secure):
        response.headers.setdefault(name, value)
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        for name, value in DYNAMIC_RESPONSE_HEADERS:
            response.headers[name] = value
        response.headers.pop("Expires", None)
    return response


def warn_about_insecure_cookies(app: Flask) -> None:
    """Say so at start-up when the site is served over HTTPS but cookies may still go over HTTP."""
    public_url = app.config.get("PUBLIC_URL") or ""
    if public_url.startswith("https://") and not app.config.get("SESSION_COOKIE_SECURE"):
        app.logger.warning(
            "PUBLIC_URL 使用 HTTPS，但未设置 SESSION_COOKIE_SECURE=1：登录与手机凭证的 Cookie 仍可能经 HTTP 明文发送"
            "（see docs/security.md）"
        )


def register(app: Flask) -> None:
    """Add the security headers to every response of ``app`` and guard its Socket.IO long-polling.

    Called after Socket.IO is bound to ``app``, so the guard sits in front of it.
    """
    app.after_request(add_security_headers)
    app.wsgi_app = PollingGuard(app.wsgi_app)
    warn_about_insecure_cookies(app)

