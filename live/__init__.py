"""The live contest over Socket.IO: host console, projector display and team phones.

A thin layer: validate the payload → check the role → apply the engine → store the event →
emit each role's changes to its room. See docs/protocol.md.
"""
from flask import Flask


def register(app: Flask) -> None:
    """Register the live pages and the Socket.IO namespaces."""
    from extensions import socketio
    from live.namespaces import DisplayNamespace, HostNamespace, TeamNamespace
    from live.routes import bp

    app.register_blueprint(bp)
    socketio.on_namespace(HostNamespace("/host"))
    socketio.on_namespace(DisplayNamespace("/display"))
    socketio.on_namespace(TeamNamespace("/team"))
