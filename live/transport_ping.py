"""The round trip of the transport's own ping/pong, as a check on the clock probes.

The contest page answers ``clock_probe`` itself, so a doctored page can hold its answers and look
farther away than it is (and be credited that much). The Engine.IO pong is answered by the
Socket.IO client library, below the page, so its round trip is a second, independent measure of
the same path. python-engineio offers no hook for it: its socket's ``receive`` is wrapped once to
report each pong's round trip (ping sent → pong received, on the server's clock).
"""
import time
from typing import Callable

import engineio.socket
from engineio import packet

Listener = Callable[[str, float], None]  # (Engine.IO session id, round trip in ms)
_listeners: list[Listener] = []


def on_round_trip(listener: Listener) -> None:
    """Call ``listener`` with every pong's round trip (installs the wrapper on first use)."""
    if listener not in _listeners:
        _listeners.append(listener)
    _install()


def _install() -> None:
    """Wrap ``engineio.socket.Socket.receive`` once."""
    original = engineio.socket.Socket.receive
    if getattr(original, "reports_round_trips", False):
        return

    def receive(self, pkt):
        if pkt.packet_type == packet.PONG and self.last_ping:
            round_trip = (time.time() - self.last_ping) * 1000
            for listener in list(_listeners):
                listener(self.sid, round_trip)
        return original(self, pkt)

    receive.reports_round_trips = True
    engineio.socket.Socket.receive = receive
