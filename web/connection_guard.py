"""Keeping the server's listening socket alive and shared fairly, whatever the hall's Wi-Fi sends.

About 1,100 idle TCP connections used to end ``python app.py``: every connection holds a file
descriptor, the default limit is 1,024, and "Too many open files" (EMFILE) escaped from the
server's ``accept``. Here:

* :func:`raise_open_files_limit` raises the soft limit of open files to the hard limit at start
  (``app.py`` prints both);
* :class:`ConnectionGuard` wraps ``accept``: an accept error that means "no resources right now"
  (EMFILE, ENFILE, ENOBUFS, ENOMEM) pauses accepting for a moment and is logged at most every
  few seconds, never ending the server; an address that already holds
  ``per_address`` open connections has its new one closed at once (a hall's shared NAT address
  stays far below it: 8 teams' phones, the staff, a few hundred audience browsers);
* a connection that sends no request within ``header_timeout`` seconds of being accepted is
  closed by a reaper, even if it trickles a byte at a time; an open connection that sends
  nothing for ``idle_timeout`` seconds times out (the socket's own timeout; a live connection
  answers the server's ping every 25 s, so it is never idle that long).

Standard library only, and no call of eventlet or gevent: ``async_server`` fits the guard to
whichever server runs, and the green-thread servers make ``time.sleep`` and the sockets green.
"""
import errno
import os
import resource
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

RESOURCE_ERRNOS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
ACCEPT_PAUSE_S = 0.1
LOG_EVERY_S = 5.0
REAP_EVERY_S = 1.0
FALLBACK_FILE_LIMIT = 65536  # when the hard limit is "unlimited"


@dataclass(frozen=True)
class GuardSettings:
    """The limits of :class:`ConnectionGuard`; ``per_address`` 0 means no cap (behind a proxy)."""

    per_address: int = 600
    header_timeout: float = 10.0
    idle_timeout: float = 60.0

    @classmethod
    def from_environment(cls, behind_proxy: bool = False) -> "GuardSettings":
        """``MAX_CONNECTIONS_PER_ADDRESS``, ``HEADER_TIMEOUT_SECONDS``, ``IDLE_TIMEOUT_SECONDS``.

        Behind a reverse proxy every connection comes from the proxy's address, so the cap is off
        there (the proxy limits connections per client, see docs/deployment.md).
        """
        per_address = int(os.environ.get("MAX_CONNECTIONS_PER_ADDRESS", cls.per_address))
        return cls(per_address=0 if behind_proxy else per_address,
                   header_timeout=float(os.environ.get("HEADER_TIMEOUT_SECONDS", cls.header_timeout)),
                   idle_timeout=float(os.environ.get("IDLE_TIMEOUT_SECONDS", cls.idle_timeout)))


def raise_open_files_limit() -> tuple[int, int]:
    """Raise the soft limit of open files to the hard one: (the limit before, the limit now)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = FALLBACK_FILE_LIMIT if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            return soft, soft
        return soft, target
    return soft, soft


@dataclass
class ConnectionGuard:
    """The open connections of each address and those still owing their first request."""

    settings: GuardSettings
    log: Callable[[str], None] = print
    open_by_address: dict[str, set] = field(default_factory=dict)
    awaiting_request: dict[tuple[str, int], tuple[socket.socket, float]] = field(default_factory=dict)
    refused: int = 0
    logged_at: float = float("-inf")

    def admit(self, connection, address) -> bool:
        """Whether to serve a just-accepted connection; one over its address's cap is closed here."""
        host = address[0] if isinstance(address, tuple) else str(address)
        sockets = self.open_by_address.setdefault(host, set())
        if self.settings.per_address and len(sockets) >= self.settings.per_address:
            sockets.difference_update([s for s in sockets if s.fileno() < 0])
            if len(sockets) >= self.settings.per_address:
                self.refuse(connection, host)
                return False
        sockets.add(connection)
        connection.settimeout(self.settings.idle_timeout)
        if isinstance(address, tuple):
            self.awaiting_request[address[:2]] = (connection, time.monotonic() + self.settings.header_timeout)
        return True

    def refuse(self, connection, host: str) -> None:
        """Close a connection beyond the cap without reading it; say so now and then."""
        connection.close()
        self.refused += 1
        self.now_and_then(f"地址 {host} 的连接已达上限 {self.settings.per_address}，新连接被拒绝（累计 {self.refused} 个）")

    def accept_failed(self, error: OSError) -> bool:
        """Whether ``error`` from accept is a passing lack of resources (then wait a moment and go on)."""
        if error.errno not in RESOURCE_ERRNOS:
            return False
        self.now_and_then(f"接受新连接失败（{os.strerror(error.errno)}）：服务继续运行，稍后重试")
        return True

    def now_and_then(self, message: str) -> None:
        """Log ``message`` unless something was logged in the last LOG_EVERY_S seconds."""
        now = time.monotonic()
        if now - self.logged_at >= LOG_EVERY_S:
            self.logged_at = now
            self.log(message)

    def request_started(self, environ: dict) -> None:
        """The connection that carries this request sent one in time: no header deadline any more."""
        try:
            self.awaiting_request.pop((environ.get("REMOTE_ADDR"), int(environ.get("REMOTE_PORT"))), None)
        except (TypeError, ValueError):
            pass

    def reap(self, now: float) -> int:
        """Close the connections whose first request is overdue, and forget closed ones; how many were closed."""
        overdue = [key for key, (_sock, deadline) in self.awaiting_request.items() if deadline <= now]
        for key in overdue:
            connection, _deadline = self.awaiting_request.pop(key)
            try:
                connection.shutdown(socket.SHUT_RDWR)  # the server's read returns at once, and it closes
            except OSError:
                pass
        for host, sockets in list(self.open_by_address.items()):
            sockets.difference_update([s for s in sockets if s.fileno() < 0])
            if not sockets:
                del self.open_by_address[host]
        return len(overdue)

    def run_reaper(self) -> None:
        """Reap once a second, for ever (a background task of the server)."""
        while True:
            time.sleep(REAP_EVERY_S)
            self.reap(time.monotonic())

    def wsgi(self, wsgi_app):
        """``wsgi_app`` telling the guard of each request as it starts (the outermost middleware)."""
        def guarded(environ, start_response):
            self.request_started(environ)
            return wsgi_app(environ, start_response)
        return guarded


class GuardedListener:
    """A listening socket whose ``accept`` goes through a :class:`ConnectionGuard` (for eventlet's server)."""

    def __init__(self, listener, guard: ConnectionGuard):
        self.listener = listener
        self.guard = guard

    def accept(self):
        """The next admitted connection; resource errors pause and retry instead of raising."""
        while True:
            try:
                connection, address = self.listener.accept()
            except OSError as error:
                if not self.guard.accept_failed(error):
                    raise
                time.sleep(ACCEPT_PAUSE_S)
                continue
            if self.guard.admit(connection, address):
                return connection, address

    def __getattr__(self, name):
        return getattr(self.listener, name)


def client_address(environ: dict, trusted_proxies: int = 0) -> str:
    """The client's address of a WSGI request: the peer's, or, behind ``trusted_proxies`` proxies,
    the one they forwarded (the same rule as werkzeug's ProxyFix, for code that sees the raw environ)."""
    if trusted_proxies:
        forwarded = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    return environ.get("REMOTE_ADDR") or "unknown"
