"""Fixtures for browser tests that each build their own contest: a fresh server per test (the demo
contest, optionally with long real company names), a host driven by script to the state the test
needs, and the pages a person would open. No test continues from another's state.
"""
import subprocess
import sys
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from tests.browser.scripted_host import ScriptedHost
from tests.live_server import ROOT, LiveServer

# Real company names of a provincial final: long, and most start with the same 湖南/长沙.
LONG_NAMES = [
    ("湖南省长沙市岳麓区科技创新发展有限公司代表队", "湖南省长沙市岳麓区科技创新发展有限公司"),
    ("湖南湘江新区智能制造产业投资集团有限公司代表队", "湖南湘江新区智能制造产业投资集团有限公司"),
    ("长沙经济技术开发区工程机械配套服务有限公司队", "长沙经济技术开发区工程机械配套服务有限公司"),
    ("长沙高新技术产业开发区生物医药研发中心队", "长沙高新技术产业开发区生物医药研发中心"),
    ("湖南省湘潭市新能源汽车零部件制造有限公司队", "湖南省湘潭市新能源汽车零部件制造有限公司"),
    ("湖南中联重科建筑起重机械有限责任公司代表队", "湖南中联重科建筑起重机械有限责任公司"),
    ("长沙市天心区跨境电子商务产业园运营有限公司队", "长沙市天心区跨境电子商务产业园运营有限公司"),
    ("湖南省株洲市轨道交通装备产业链协同创新中心队", "湖南省株洲市轨道交通装备产业链协同创新中心"),
]

_RENAME_SCRIPT = """
import json, sys
from contest_setup.cli import find_demo_contest
from extensions import db
from factory import create_app
names = json.loads(sys.argv[1])
with create_app().app_context():
    for team, (name, company) in zip(find_demo_contest().teams_by_seat, names):
        team.name, team.company = name, company
    db.session.commit()
"""


_RETITLE_SCRIPT = """
import sys
from contest_setup.cli import find_demo_contest
from extensions import db
from factory import create_app
with create_app().app_context():
    find_demo_contest().name = sys.argv[1]
    db.session.commit()
"""


def retitle_contest(server: LiveServer, title: str) -> None:
    """Give the demo contest this title, before the server starts."""
    server.prepare()
    subprocess.run([sys.executable, "-c", _RETITLE_SCRIPT, title], cwd=ROOT, env=server.env, check=True,
                   capture_output=True)


def rename_teams(server: LiveServer, names: list[tuple[str, str]]) -> None:
    """Give the demo's teams (by seat) these names and companies, before the server starts."""
    import json

    server.prepare()
    subprocess.run([sys.executable, "-c", _RENAME_SCRIPT, json.dumps(names, ensure_ascii=False)], cwd=ROOT,
                   env=server.env, check=True, capture_output=True)
    for team, (name, _company) in zip(server.demo["teams"], names):
        team["name"] = name


@contextmanager
def running(live: LiveServer):
    """``live`` started, and stopped when the block ends."""
    live.start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def fresh_server():
    """A server of its own for one test, with the untouched demo contest."""
    with running(LiveServer()) as live:
        yield live


@pytest.fixture
def long_names_server():
    """A server of its own for one test, the demo's teams named as real companies are."""
    live = LiveServer()
    rename_teams(live, LONG_NAMES)
    with running(live):
        yield live


@pytest.fixture
def scripted_host_of():
    """``scripted_host_of(server)``: a scripted host on that server, closed after the test."""
    hosts = []

    def connect(server: LiveServer) -> ScriptedHost:
        host = ScriptedHost(server)
        hosts.append(host)
        return host

    yield connect
    for host in hosts:
        host.close()


def log_in(page: Page, base: str, username: str, password: str) -> None:
    """Log in through the form, as a person does."""
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def collect_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of ``page`` from now on."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def open_console(browser, server: LiveServer, viewport: dict) -> tuple[Page, list[str]]:
    """The demo host's console in its own browser context, connected; with the page's errors."""
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    log_in(page, server.url, "host", "demo-host")
    errors = collect_errors(page)
    page.goto(server.url + server.host_path())
    expect(page.locator("#link-console")).to_have_attribute("data-state", "ok")
    return page, errors


def open_organizer(browser, server: LiveServer, viewport: dict) -> tuple[Page, list[str]]:
    """The demo organizer, logged in, in its own browser context; with the page's errors."""
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    log_in(page, server.url, "organizer", "demo-organizer")
    return page, collect_errors(page)


def open_display(browser, server: LiveServer, viewport: dict) -> tuple[Page, list[str]]:
    """The projector page in its own browser context; with the page's errors."""
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    errors = collect_errors(page)
    page.goto(server.url + server.display_path())
    return page, errors


def wait_for(host: ScriptedHost, condition, what: str, seconds: float = 10) -> None:
    """Wait until the scripted host's view satisfies ``condition``."""
    import time

    deadline = time.monotonic() + seconds
    while not condition(host.view):
        assert time.monotonic() < deadline, f"timed out waiting for {what}: {host.view.get('stage')}"
        time.sleep(0.05)


def play_a_final(server: LiveServer) -> None:
    """Play the demo final to its finish through real clients: 必答 eight questions, one 抢答 question
    won by a phone's press after another phone's early press, the other stages skipped, judges'
    corrections that leave every team on its own score, and the finish."""
    import time
    import uuid

    from tests.live.clients import LiveClient, host_cookie

    host = LiveClient(server.url, "/host", {"contest": server.demo["contest"]},
                      headers={"Cookie": host_cookie(server.url)})
    teams = server.demo["teams"]
    phones = [LiveClient(server.url, "/team", {"credential": team["credential"]}) for team in teams[:3]]
    try:
        host.command("StartContest")
        host.command("StartStage")
        for seat in range(8):
            host.command("NextQuestion")
            host.command("Judge", verdict="right" if seat % 3 else "wrong")
            host.command("RevealAnswer")
        host.command("EndStage")
        host.command("StartStage")
        host.command("EndStage")
        host.command("StartStage")
        host.command("NextQuestion")
        early = phones[0].call("buzz", {"open_token": phones[0].view["stage"]["open_token"],
                                        "pressed_at": int(time.time() * 1000), "client_id": uuid.uuid4().hex})
        assert early["ok"] is not None
        host.command("OpenBuzzers")
        token = phones[1].wait_for(lambda view: view["stage"]["phase"] == "buzzing")["stage"]["open_token"]
        for phone in phones[1:]:  # the second press arrives after the first won: recorded, too late
            phone.call("buzz", {"open_token": token, "pressed_at": int(time.time() * 1000),
                                "client_id": uuid.uuid4().hex})
        host.wait_for(lambda view: view["stage"]["phase"] == "answering")
        host.command("Judge", verdict="right")
        host.command("RevealAnswer")
        host.command("EndStage")
        host.command("StartStage")
        host.command("EndStage")
        for seat, team in enumerate(teams, start=1):
            host.command("AdjustScore", team=team["id"], delta=seat, reason=f"{seat}号 风采展示评分（评委组复核后计入总分）")
        host.wait_for(lambda view: not view["pending_ties"] and view.get("next_stage") is None)
        host.command("FinishContest")
        host.wait_for(lambda view: view["status"] == "finished")
    finally:
        for client in [host, *phones]:
            client.close()
