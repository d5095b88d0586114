"""The live contest over Socket.IO: host console, projector display and team phones.

A thin layer: validate the payload → check the role → apply the engine → store the event →
emit each role's changes to its room. See docs/protocol.md.
"""
from typing import Any

from flask import Flask, current_app, request

FAILED_REASON = "服务器无法处理这条消息，请重试或刷新页面"


def answer_failed_event(error: Exception) -> Any:
    """The catch-all of every Socket.IO handler: log the failure and still answer the client.

    An event whose handler raised gets ``{"ok": false, "reason": …}`` as its acknowledgement (a
    page waiting for it would otherwise wait for ever); a connection whose handler raised is refused.
    """
    event = getattr(request, "event", None) or {}
    current_app.logger.error("socket event %r on %s failed", event.get("message"), getattr(request, "namespace", "?"),
                             exc_info=error)
    if event.get("message") == "connect":
        return False
    return {"ok": False, "reason": FAILED_REASON}


def refuse_new_sockets_when_shut_out(wsgi_app, gate, trusted_proxies: int):
    """WSGI middleware: an address that used up its refused connects gets 429 for a new Engine.IO
    connection, before Engine.IO opens one (a flooder opening hundreds of WebSockets a second
    then costs the server an HTTP request line each, not a handshake)."""
    import time

    from addressing import client_address
    from live.limits import CONNECT_FLOOD_REASON

    refusal = CONNECT_FLOOD_REASON.encode()

    def guarded(environ, start_response):
        opening = environ.get("PATH_INFO", "").startswith("/socket.io") and "sid=" not in environ.get("QUERY_STRING", "")
        if opening and gate.shut_out(client_address(environ, trusted_proxies), time.monotonic()):
            start_response("429 TOO MANY REQUESTS", [("Content-Type", "text/plain; charset=utf-8"),
                                                     ("Content-Length", str(len(refusal))), ("Retry-After", "5")])
            return [refusal]
        return wsgi_app(environ, start_response)

    return guarded


def register(app: Flask) -> None:
    """Register the live pages and the Socket.IO namespaces."""
    from extensions import socketio
    from live.limits import ConnectGate, Rate
    from live.namespaces import DisplayNamespace, HostNamespace, TeamNamespace
    from live.routes import bp

    app.register_blueprint(bp)
    burst = app.config["CONNECT_BURST_PER_ADDRESS"]
    gate = app.extensions["live_connect_gate"] = ConnectGate(address_rate=Rate(burst / 5, burst))
    app.wsgi_app = refuse_new_sockets_when_shut_out(app.wsgi_app, gate, app.config.get("TRUSTED_PROXIES", 0))
    socketio.on_error_default(answer_failed_event)
    socketio.on_namespace(HostNamespace("/host"))
    socketio.on_namespace(DisplayNamespace("/display"))
    socketio.on_namespace(TeamNamespace("/team"))
