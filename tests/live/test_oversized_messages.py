"""Against a real server (eventlet): does an oversized or hostile Socket.IO message hurt only its
sender, never the server or the other phones? (web_security.MAX_SOCKET_MESSAGE_BYTES)"""
import re
import threading
import time

import pytest
import requests
import socketio

from web.security import MAX_SOCKET_MESSAGE_BYTES

pytestmark = pytest.mark.live


def phone(server, seat_index: int) -> socketio.Client:
    """A team phone over WebSocket, without reconnecting (so a cut stays visible)."""
    client = socketio.Client(reconnection=False)
    client.connect(server.url, namespaces=["/team"], auth={"credential": server.demo["teams"][seat_index]["credential"]},
                   transports=["websocket"], wait_timeout=10)
    return client


def clock(client: socketio.Client, t0: int) -> dict:
    """A clock ping and its answer."""
    return client.call("clock", {"t0": t0}, namespace="/team", timeout=5)


def test_an_oversized_websocket_message_cuts_only_its_sender(running_server):
    """Is a 2 KiB+ payload refused with a reason, a message over the Engine.IO limit answered by
    closing that phone's connection, and do the other phones and new connections carry on?"""
    sender, bystander = phone(running_server, 0), phone(running_server, 1)
    cut = threading.Event()
    sender.on("disconnect", lambda *args: cut.set(), namespace="/team")

    big = sender.call("buzz", {"client_id": "a", "pad": "x" * 30_000}, namespace="/team", timeout=5)
    assert big == {"ok": False, "reason": "数据过大"}

    sender.emit("buzz", {"client_id": "b", "pad": "x" * (MAX_SOCKET_MESSAGE_BYTES + 1)}, namespace="/team")
    assert cut.wait(5) and not sender.connected
    assert clock(bystander, 1)["t0"] == 1
    newcomer = phone(running_server, 2)
    assert clock(newcomer, 2)["t0"] == 2
    for client in (bystander, newcomer):
        client.disconnect()


def polling_session(base_url: str) -> str:
    """An Engine.IO long-polling session id."""
    text = requests.get(f"{base_url}/socket.io/?EIO=4&transport=polling", timeout=5).text
    return re.search(r'"sid":"([^"]+)"', text).group(1)


def test_hostile_long_polling_posts_are_answered_at_once(running_server):
    """Are many oversized or foreign-packet long-polling POSTs each answered at once (not left
    hanging on a server connection slot), with a phone still served afterwards?"""
    bystander = phone(running_server, 1)
    base = running_server.url
    started = time.monotonic()
    for number in range(30):
        sid = polling_session(base)
        body = "4" + "x" * (MAX_SOCKET_MESSAGE_BYTES + 1) if number % 2 else "2"
        response = requests.post(f"{base}/socket.io/?EIO=4&transport=polling&sid={sid}", data=body.encode(), timeout=3)
        assert response.status_code in (400, 413)
    assert time.monotonic() - started < 30
    assert clock(bystander, 3)["t0"] == 3
    assert requests.get(f"{base}/login", timeout=5).status_code == 200
    bystander.disconnect()
