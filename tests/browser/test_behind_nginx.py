"""Do the pages, in real Chromium behind the shipped nginx configuration and two server processes,
give each tab's live connection a route key of its own, keep it across a reload, and so stay on one
process while two tabs of one browser (one address, like a hall behind NAT) may use both?

The display page is opened in two tabs through nginx (tests/proxied_cluster.py); nginx's access
log names each /socket.io/ request's route key and the process that served it.
"""
import os
import re
import time

import pytest

from tests.proxied_cluster import demo_behind_nginx, nginx_available

pytestmark = pytest.mark.browser

WAIT_MS = 15000
KEY = re.compile(r"^[0-9a-f]{16}$")

if not nginx_available() and not os.environ.get("CI"):
    pytest.skip("nginx 未安装（apt-get install nginx；CI 中 .ci/run 会安装）", allow_module_level=True)


@pytest.fixture
def proxy():
    cluster = demo_behind_nginx()
    yield cluster
    cluster.stop()


def keys_seen(proxy, keys: set[str], seconds: float = 10) -> dict[str, set[str]]:
    """The live requests' keys and processes, once ``keys`` are among them: nginx logs a WebSocket
    request when its connection ends, a moment after the tab closed."""
    deadline = time.monotonic() + seconds
    while not keys <= set(served := proxy.processes_by_key()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return served


def test_each_tab_routes_its_live_connection_by_a_key_of_its_own(browser, proxy, screenshot_dir):
    """Two display tabs through nginx: each connects (the join screen counts the phones), with a
    16-hex route key of its own on every live request, served by one process; a reload keeps the key."""
    url = f"{proxy.url}/display/{proxy.demo['contest']}/{proxy.demo['display_token']}"
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    first, second = context.new_page(), context.new_page()
    try:
        for page in (first, second):
            page.goto(url)
            page.get_by_text("已连接").first.wait_for(timeout=WAIT_MS)
        first.screenshot(path=str(screenshot_dir / "display-through-nginx.png"))
        key_of = {name: page.evaluate("sessionStorage.getItem('contest-route')")
                  for name, page in (("first", first), ("second", second))}
        assert all(KEY.match(key or "") for key in key_of.values()), key_of
        assert key_of["first"] != key_of["second"]
        first.reload()
        first.get_by_text("已连接").first.wait_for(timeout=WAIT_MS)
        assert first.evaluate("sessionStorage.getItem('contest-route')") == key_of["first"]
    finally:
        context.close()
    served = keys_seen(proxy, set(key_of.values()))
    assert set(key_of.values()) <= set(served), f"live requests without the tabs' keys: {served}"
    for key in key_of.values():
        assert len(served[key]) == 1, f"tab {key} was served by {served[key]}"
