"""Against a real server (eventlet): when the organizer revokes a team's phones, is the phone that is
connected right now cut off at once, and refused when it tries again?"""
import re
import threading

import pytest
import requests
import socketio

pytestmark = pytest.mark.live


def organizer_session(base_url: str) -> tuple[requests.Session, str]:
    """The demo organizer logged in through the real form, and a CSRF token for its forms."""
    session = requests.Session()
    page = session.get(f"{base_url}/login", timeout=5).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = session.post(f"{base_url}/login", data={"username": "organizer", "password": "demo-organizer",
                                                       "csrf_token": token}, timeout=5, allow_redirects=False)
    assert response.status_code == 302
    return session, token


def test_revoking_cuts_the_connected_phone_at_once(running_server):
    """Is the revoked team's open connection closed by the server within a second, the other team's
    kept, and the old credential refused at reconnect?"""
    teams = running_server.demo["teams"]
    phones = []
    for team in teams[:2]:
        phone = socketio.Client(reconnection=False)
        phone.connect(running_server.url, namespaces=["/team"], auth={"credential": team["credential"]},
                      transports=["websocket"], wait_timeout=10)
        phones.append(phone)
    revoked, kept = phones
    cut = threading.Event()
    revoked.on("disconnect", lambda *args: cut.set(), namespace="/team")

    session, token = organizer_session(running_server.url)
    response = session.post(f"{running_server.url}/contests/{running_server.demo['contest']}/teams/{teams[0]['id']}"
                            "/revoke", data={"csrf_token": token}, timeout=5, allow_redirects=False)
    assert response.status_code == 302

    assert cut.wait(2), "the revoked phone is still connected"
    assert kept.connected and kept.call("clock", {"t0": 1}, namespace="/team", timeout=5)["t0"] == 1
    again = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        again.connect(running_server.url, namespaces=["/team"], auth={"credential": teams[0]["credential"]},
                      transports=["websocket"], wait_timeout=5)
    kept.disconnect()
