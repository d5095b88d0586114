"""Does the shipped nginx configuration (deploy/nginx/contest.conf) serve two server processes as a
hall needs: pages and probes through it, live clients over WebSocket and over long polling, each
tab's live connection kept on one process while a hall's tabs (one address) spread over both,
uploads up to the limit, and the client's own address reaching the app (TRUSTED_PROXIES)?

The processes are started by the real cluster command (operations.cluster) and nginx is Debian's,
run as an ordinary process from a folder of the test's own (tests/proxied_cluster.py).
"""
import os
import re
import secrets
from collections import Counter

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.live.clients import LiveClient, host_cookie
from tests.proxied_cluster import demo_behind_nginx, nginx_available

UPLOAD_MB = 2
SPREAD_TABS = 16  # random route keys: all on one of two processes has a chance of 2 in 65,536

if not nginx_available() and not os.environ.get("CI"):
    pytest.skip("nginx 未安装（apt-get install nginx；CI 中 .ci/run 会安装）", allow_module_level=True)


@pytest.fixture(scope="module")
def proxy():
    """Two processes on one copy of the demo, behind nginx; the demo's links in ``proxy.demo``."""
    cluster = demo_behind_nginx(MAX_UPLOAD_MB=str(UPLOAD_MB))
    yield cluster
    cluster.stop()


def routed(base_url: str, key: str) -> str:
    """The URL a page's Socket.IO client connects to: with its tab's route key (static/js/live/route.js)."""
    return f"{base_url}?route={key}"


class FromAddress(HTTPAdapter):
    """Connections from one loopback address (127.0.0.2, 127.0.0.3…): clients with addresses of their own."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


def session_from(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def try_login(session: requests.Session, url: str, password: str, headers: dict | None = None) -> int:
    """One login attempt as the demo organizer; the status code."""
    page = session.get(f"{url}/login", timeout=10).text
    return session.post(f"{url}/login", data={"csrf_token": csrf_of(page), "username": "organizer",
                                              "password": password}, headers=headers or {},
                        timeout=10, allow_redirects=False).status_code


def test_pages_and_probes_load_through_the_proxy_from_both_processes(proxy):
    """Do the login page, the display page, /healthz and /readyz answer through nginx, with the
    pages spread over both processes (round-robin)?"""
    for _ in range(6):
        assert requests.get(f"{proxy.url}/healthz", timeout=10).json() == {"status": "ok"}
    ready = requests.get(f"{proxy.url}/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    assert "登录" in requests.get(f"{proxy.url}/login", timeout=10).text
    display = requests.get(f"{proxy.url}/display/{proxy.demo['contest']}/{proxy.demo['display_token']}", timeout=10)
    assert display.status_code == 200 and "/static/js/" in display.text
    served = {line["upstream"] for line in proxy.requests() if line["uri"] == "/healthz"}
    assert served == set(proxy.backends)


@pytest.mark.parametrize("transports", [("websocket",), ("polling",)])
def test_a_contest_is_played_through_the_proxy(proxy, transports):
    """Over WebSocket, and over long polling only: do a display and a phone of one tab's key follow the
    host's command through nginx (the host's console on the same key: one process)?"""
    key = secrets.token_hex(8)
    url = routed(proxy.url, key)
    cookie = host_cookie(proxy.url)
    team = proxy.demo["teams"][0]
    host = LiveClient(url, "/host", {"contest": proxy.demo["contest"]}, headers={"Cookie": cookie})
    display = LiveClient(url, "/display", {"contest": proxy.demo["contest"], "token": proxy.demo["display_token"]},
                         transports=transports)
    phone = LiveClient(url, "/team", {"credential": team["credential"]}, transports=transports)
    try:
        seq = host.view["seq"]
        if host.view.get("status") == "not_started":
            seq = host.command("StartContest")["seq"]
        display.wait_seq(seq, seconds=15)
        phone.wait_seq(seq, seconds=15)
        assert phone.view["seq"] == display.view["seq"] == host.view["seq"]
    finally:
        for client in (host, display, phone):
            client.close()
    assert len(proxy.processes_by_key().get(key, ())) == 1


def test_polling_tabs_of_one_address_stay_on_their_process_and_spread_over_both(proxy):
    """Many polling-only tabs from one address (a hall behind NAT), each asking many times: does every
    tab's every request reach one process, and do the tabs use both processes?"""
    keys = [secrets.token_hex(8) for _ in range(SPREAD_TABS)]
    tabs = [LiveClient(routed(proxy.url, key), "/display",
                       {"contest": proxy.demo["contest"], "token": proxy.demo["display_token"]}, transports=("polling",))
            for key in keys]
    try:
        for _ in range(5):
            for tab in tabs:
                assert tab.call("resync")["view"]
        assert all(tab.sio.connected for tab in tabs)
    finally:
        for tab in tabs:
            tab.close()
    served = proxy.processes_by_key()
    counts = Counter(line["route"] for line in proxy.requests())
    for key in keys:
        assert len(served.get(key, ())) == 1, f"tab {key} was served by {served.get(key)}"
        assert counts[key] >= 8, f"tab {key} made only {counts[key]} requests"
    assert set().union(*(served[key] for key in keys)) == set(proxy.backends)


def test_uploads_up_to_the_limit_reach_the_app_and_bigger_ones_are_refused_in_chinese(proxy):
    """A file above nginx's default 1 MB reaches the app; one just over MAX_UPLOAD_MB gets the app's own
    refusal; a much bigger one nginx's, in Chinese too."""
    session = requests.Session()
    assert try_login(session, proxy.url, "demo-organizer") == 302

    def upload(megabytes: float) -> requests.Response:
        token = csrf_of(session.get(f"{proxy.url}/banks/", timeout=10).text)
        body = b"x" * int(megabytes * 1024 * 1024)
        return session.post(f"{proxy.url}/banks/upload", data={"csrf_token": token, "bank_name": "大文件题库"},
                            files={"file": ("big.csv", body)}, timeout=60, allow_redirects=False)

    reached = upload(1.5)  # not a question file: the app reads it and says why on its upload page
    assert reached.status_code == 400 and 'lang="zh-CN"' in reached.text
    by_app = upload(UPLOAD_MB + 0.5)
    assert by_app.status_code == 413 and "太大" in by_app.text and "不能超过" not in by_app.text
    by_proxy = upload(UPLOAD_MB + 3)
    assert by_proxy.status_code == 413 and f"不能超过 {UPLOAD_MB} MB" in by_proxy.text


def test_the_app_sees_each_clients_own_address_and_not_a_forged_one(proxy):
    """The login throttle counts per client address: after 127.0.0.2 is locked out on both processes,
    is 127.0.0.3 still free (the app sees the address nginx forwarded, not the proxy's own), and does a
    forged X-Forwarded-For get 127.0.0.2 round the lock?"""
    guesser, other = session_from("127.0.0.2"), session_from("127.0.0.3")
    statuses = [try_login(guesser, proxy.url, "wrong-password") for _ in range(14)]
    assert statuses[:4] == [200] * 4
    assert [try_login(guesser, proxy.url, "wrong-password") for _ in range(2)] == [429, 429]
    assert [try_login(guesser, proxy.url, "wrong-password", {"X-Forwarded-For": "10.9.9.9"})
            for _ in range(2)] == [429, 429]
    assert [try_login(other, proxy.url, "wrong-password") for _ in range(2)] == [200, 200]
