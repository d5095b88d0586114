"""Audience questions (观众互动题): between stages the host puts a question to the whole hall.

Anyone in the hall scans the QR code on the display and answers on a phone (no login, a signed
cookie per phone, an optional company). The display shows the live distribution, then the right
answer and, if the host draws one, a winner among the right answers. Audience answers never touch
a team's score and are not contest events: they live in their own tables (:mod:`audience.models`),
their own namespace ``/audience`` (:mod:`audience.namespace`) with its own connect gate, rates and
connection budget, and reach the display a few times a second (:mod:`audience.publisher`), so a
few hundred phones do not slow the teams' buzzers. See docs/event-day.md and docs/protocol.md.
"""
from flask import Flask


def register(app: Flask) -> None:
    """Register the phone page, the tables and the ``/audience`` namespace."""
    from audience import models  # noqa: F401  (registers the tables)
    from audience.namespace import AudienceNamespace
    from audience.routes import bp
    from extensions import socketio
    from live.limits import ConnectGate, Rate
    from live.protocol import NAMESPACES
    from audience.participation import phones_by_company
    from preliminary.results import AUDIENCE_COUNTER

    app.register_blueprint(bp)
    app.extensions[AUDIENCE_COUNTER] = phones_by_company
    burst = app.config["AUDIENCE_CONNECT_BURST"]
    app.extensions["audience_connect_gate"] = ConnectGate(address_rate=Rate(burst / 5, burst))
    socketio.on_namespace(AudienceNamespace(NAMESPACES["audience"]))
