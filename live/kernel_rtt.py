"""The kernel's own round trip to a phone, as a check on its clock probes that no page can hold.

A rebuilt client can hold its clock probe answers and its transport pongs alike and look as far
away as it likes. The TCP acknowledgements of the server's messages come from the phone's
operating system, below the browser: the kernel's minimum round trip on the phone's connection
(``tcpi_min_rtt`` of ``TCP_INFO``, Linux) is the path's real floor. Only when the server holds
the phone's own TCP connection and shows it in the WSGI environ; behind a reverse proxy the
connection is the proxy's, and the check is off. Both green-thread servers show it, each its own
way, read here from what the environ holds (no server is imported):

- eventlet (the default): ``environ["eventlet.input"]`` hands the socket over (``get_socket()``);
- gevent (the fallback): ``environ["wsgi.input"]`` reads the connection's buffered socket file,
  whose raw ``socket.SocketIO`` keeps the socket (``_sock``, private but the only way there; the
  simple-websocket library reaches gevent's socket the same way). For an ordinary request it is
  gevent's ``Input`` around that file (``.rfile``); for a WebSocket upgrade (gevent-websocket's
  handler, as Flask-SocketIO runs it, or simple-websocket's) the file itself. Werkzeug's server
  (``threading`` mode) puts its socket file there too, and is read the same way.

The environ is the one of the request that opened the Engine.IO session. Over WebSocket that is
the phone's connection for the session's whole life. Over long-polling it is the connection of the
handshake request, which the phone may keep for its later polls or close: once it is closed no
round trip is read (the one already read stays), and a client that closes it at once is judged
as behind a proxy, by the hall's other phones.
"""
import socket
import struct
from typing import Any

from flask import current_app

TCP_INFO_BYTES = 152  # struct tcp_info up to tcpi_min_rtt
MIN_RTT_AT = 148  # offset of tcpi_min_rtt (microseconds)


def phone_socket(environ: dict[str, Any]) -> socket.socket | None:
    """The phone's own TCP connection, when the server holds it and the check is on (else None)."""
    config = current_app.config
    if not config.get("KERNEL_RTT_CHECK", True) or config.get("TRUSTED_PROXIES", 0):
        return None
    tcp = eventlet_socket(environ) or gevent_socket(environ)
    return tcp if min_round_trip(tcp) is not None else None


def eventlet_socket(environ: dict[str, Any]) -> socket.socket | None:
    """eventlet's server: its request input hands over the connection's socket."""
    get_socket = getattr(environ.get("eventlet.input"), "get_socket", None)
    return get_socket() if callable(get_socket) else None


def gevent_socket(environ: dict[str, Any]) -> socket.socket | None:
    """gevent's server: the request input is (or wraps, as ``rfile``) the connection's socket file."""
    stream = environ.get("wsgi.input")
    stream = stream if hasattr(stream, "raw") else getattr(stream, "rfile", None)
    return getattr(getattr(stream, "raw", None), "_sock", None)


def min_round_trip(tcp: socket.socket | None) -> float | None:
    """The kernel's minimum round trip on the connection in ms (None: unknown, closed, not Linux)."""
    if tcp is None or not hasattr(socket, "TCP_INFO"):
        return None
    try:
        info = tcp.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, TCP_INFO_BYTES)
    except (OSError, ValueError):
        return None
    if len(info) < MIN_RTT_AT + 4:
        return None
    (micros,) = struct.unpack_from("I", info, MIN_RTT_AT)
    return micros / 1000 if 0 < micros < 0xFFFFFFFF else None
