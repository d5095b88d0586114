"""The live contest over Socket.IO: host console, projector display and team phones.

A thin layer: validate the payload → check the role → hand the command to :mod:`play.service`
(which decides and stores it) → emit each role's changes to its room, as its subscriber. See docs/protocol.md.
"""
import time

from flask import Flask

from web.connection_guard import client_address
from extensions import socketio
from live.limits import CONNECT_FLOOD_REASON, ConnectGate, Rate


def refuse_new_sockets_when_shut_out(wsgi_app, gate, trusted_proxies: int):
    """WSGI middleware: an address that used up its refused connects gets 429 for a new Engine.IO
    connection, before Engine.IO opens one (a flooder opening hundreds of WebSockets a second
    then costs the server an HTTP request line each, not a handshake)."""
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
    from contest_setup import signals
    from live.audiences import cut_revoked_phones, disconnect_display, phones_changed, publish, show_join_codes
    from live.clock_sync import clock_sync, share_bounds
    from live.namespaces import DisplayNamespace, HostNamespace, TeamNamespace
    from live.presence_sharing import share_presence
    from live.routes import bp
    from live.station import StationNamespace
    from play import replica, service, ticker

    app.register_blueprint(bp)
    service.subscribe(app, publish)  # every stored decision reaches the connected screens
    signals.phones_revoked.connect(cut_revoked_phones)  # the organizer's changes reach open connections
    signals.phones_changed.connect(phones_changed)
    signals.join_codes_shown.connect(show_join_codes)
    signals.display_link_renewed.connect(disconnect_display)
    ticker.on_tick(app, lambda now: clock_sync(app).probe_due(now))  # phones' clocks are probed on the ticker
    if app.config["SOCKETIO_MESSAGE_QUEUE"]:  # several processes: each contest decided by its owner (play.cluster)
        replica.start(app, app.config["SOCKETIO_MESSAGE_QUEUE"])
        ticker.on_tick(app, lambda now: share_bounds(app, now))
        ticker.on_tick(app, lambda now: share_presence(app, now))  # the hosts and displays count every process's connections
    burst = app.config["CONNECT_BURST_PER_ADDRESS"]
    gate = app.extensions["live_connect_gate"] = ConnectGate(address_rate=Rate(burst / 5, burst))
    app.wsgi_app = refuse_new_sockets_when_shut_out(app.wsgi_app, gate, app.config.get("TRUSTED_PROXIES", 0))
    socketio.on_namespace(HostNamespace("/host"))
    socketio.on_namespace(DisplayNamespace("/display"))
    socketio.on_namespace(TeamNamespace("/team"))
    socketio.on_namespace(StationNamespace("/station"))
