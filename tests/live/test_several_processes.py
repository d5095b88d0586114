"""One live contest, two server processes behind one Redis (docs/reliability.md, "Several processes").

The phones of one contest are spread over both processes. Only the process that owns the contest
decides: a press received by the other is timed there (its phone's clock lives there) and judged
in the owner's buzzer window, so the earliest compensated press wins wherever it landed, every
decision gets one seq, and each deadline fires once. When the owner is killed, the other process
takes the contest over and the game carries on without losing a stored decision. The host console
counts the phones and screens connected to either process, and forgets a killed process's.
"""
import signal
import time

import pytest

from live.clock_sync import FIRST_PROBES, SHARE_INTERVAL_MS
from live.presence_totals import KEPT_FOR_MS
from tests.live.clients import LiveClient, host_cookie, to_first_buzzer_question
from tests.live.processes import assert_gapless, cluster_settings, owner_of, redis_or_skip, sibling, stored_events
from tests.live.test_fair_buzzer import SLOW_MS, DistantPhone, staged_race
from tests.live_server import LiveServer

pytestmark = pytest.mark.live

ANSWER_SECONDS = 3  # the shortest answer clock the rules allow: the test waits for it to run out


@pytest.fixture
def redis_client():
    return redis_or_skip()


@pytest.fixture
def two_servers():
    """An owner-to-be (the host's commands reach it first) and a second process, stopped after the test."""
    first = LiveServer(settings=cluster_settings())
    servers = [first]
    yield first, servers
    for server in servers:
        server.stop(signal.SIGKILL)


def start_both(first: LiveServer, servers: list) -> LiveServer:
    first.start()
    second = sibling(first).start()
    servers.append(second)
    return second


def phone(server: LiveServer, team: dict, one_way_ms: float = 2) -> DistantPhone:
    return DistantPhone(server.url, "/team", {"credential": team["credential"]}, one_way_ms=one_way_ms)


def host_on(server: LiveServer) -> LiveClient:
    return LiveClient(server.url, "/host", {"contest": server.demo["contest"]}, {"Cookie": host_cookie(server.url)})


def display_on(server: LiveServer) -> LiveClient:
    return LiveClient(server.url, "/display", {"contest": server.demo["contest"], "token": server.demo["display_token"]})


def online(view: dict, team: dict) -> tuple[int, int]:
    """What a host view shows of a team's connections: its presence count, and its bound phones' online counts."""
    return view["presence"].get(f"team:{team['id']}", 0), sum(p["online"] for p in view["phones"][str(team["id"])])


def test_the_host_counts_connections_to_every_process(two_servers, redis_client):
    """A phone and a display connected to the second process show on the first process's host console,
    and go when they disconnect; when the second process is killed, its connections go within KEPT_FOR_MS."""
    a, servers = two_servers
    b = start_both(a, servers)
    team = a.demo["teams"][0]
    host = host_on(a)
    assert online(host.view, team) == (0, 0) and "display" not in host.view["presence"]
    on_b, display = LiveClient(b.url, "/team", {"credential": team["credential"]}), display_on(b)
    host.wait_for(lambda view: online(view, team) == (1, 1) and view["presence"].get("display") == 1)
    on_b.close()
    host.wait_for(lambda view: online(view, team) == (0, 0) and view["presence"].get("display") == 1)

    on_b = LiveClient(b.url, "/team", {"credential": team["credential"]})
    host.wait_for(lambda view: online(view, team) == (1, 1))
    b.stop(signal.SIGKILL)  # nobody tells the first process: the second one's counts expire
    host.wait_for(lambda view: online(view, team) == (0, 0) and view["presence"] == {"host": 1},
                  KEPT_FOR_MS / 1000 + 5)
    for client in (host, on_b, display):
        client.close()


def test_the_earliest_compensated_press_wins_on_either_process(two_servers, redis_client):
    """A distant phone on the second process presses first but arrives last; it wins, once, with gapless seqs,
    and the answer clock's deadline fires exactly once though both processes tick."""
    a, servers = two_servers
    # The distant phone is slow only in its messages, not in the transport's pings, whose round trips
    # would flag it as doctored (live/transport_ping.py); the first ping comes after the race.
    a.settings["SOCKETIO_PING_INTERVAL"] = "120"
    # Nor may the kernel's round trip give it away: on loopback it is near zero, and it would hold the
    # simulated distance to it (live/kernel_rtt.py), as test_fair_buzzer's race does.
    a.settings["KERNEL_RTT_CHECK"] = "0"
    a.set_stage_rule("buzzer", "arbitration", "compensated")
    a.set_stage_rule("buzzer", "answer_time", ANSWER_SECONDS)
    b = start_both(a, servers)
    far_team, near_team = a.demo["teams"][0], a.demo["teams"][1]
    host = host_on(a)
    far, near = phone(b, far_team, SLOW_MS), phone(a, near_team)
    for each in (far, near):
        each.wait_for_probes(FIRST_PROBES)
    time.sleep(3 * SHARE_INTERVAL_MS / 1000)  # the second process has told the owner its phones' bounds
    to_first_buzzer_question(host)
    assert owner_of(a, redis_client) == str(a.process.pid), "the process that received the first command owns it"
    token = host.command("OpenBuzzers")["seq"]
    acks = staged_race(far, near, token)  # far (on the second process) presses first and arrives last
    presses = {p["team"]: p for p in host.wait_for(lambda view: len(view["stage"]["presses"]) == 2)["stage"]["presses"]}
    assert acks["far"]["ok"] and not acks["near"]["ok"], (acks, presses)
    for each in (host, far, near):  # every process shows the owner's decision to its own connections
        assert each.wait_for(lambda view: view["stage"]["phase"] == "answering")["stage"]["holder"] == far_team["id"]
    assert presses[far_team["id"]]["arrived_at"] > presses[near_team["id"]]["arrived_at"], \
        f"the race was not run as staged (the distant press must arrive last): {presses}"
    assert presses[far_team["id"]]["delay"] >= SLOW_MS * 0.8, "its delay was measured by the process it is connected to"
    timed_out = far.wait_for(lambda view: view["stage"]["phase"] != "answering", ANSWER_SECONDS + 10)
    time.sleep(2)  # both tickers had many chances to time the same deadline out again
    events = stored_events(a)
    assert_gapless(events)
    assert [kind for _seq, kind, _actor in events].count("TimedOut") == 1, events
    assert near.wait_seq(events[-1][0]) and host.wait_seq(events[-1][0]), "both processes' clients saw every event"
    assert timed_out["seq"] <= events[-1][0]
    for each in (host, far, near):
        each.close()


def test_killing_the_owner_mid_question_hands_the_contest_over(two_servers, redis_client):
    """The owner dies while a team answers; the host and the phones reconnect to the other process,
    which takes the contest over after its lease expires: every stored decision is still there, the
    host judges the answer and the game goes on with gapless seqs."""
    a, servers = two_servers
    b = start_both(a, servers)
    team_a, team_b = a.demo["teams"][0], a.demo["teams"][1]
    host = host_on(a)
    on_a, on_b = phone(a, team_a), phone(b, team_b)
    to_first_buzzer_question(host)
    token = host.command("OpenBuzzers")["seq"]
    on_b.wait_for(lambda view: view["stage"]["phase"] == "buzzing")
    assert on_b.call("buzz", {"open_token": token, "pressed_at": time.time() * 1000, "client_id": "b1"})["ok"]
    host.wait_for(lambda view: view["stage"]["phase"] == "answering")
    assert owner_of(a, redis_client) == str(a.process.pid)
    before = stored_events(a)
    assert host.seq == before[-1][0], "the host saw every stored decision before the kill"

    a.stop(signal.SIGKILL)
    for client in (host, on_a):
        client.sio.disconnect()
    host, on_a = host_on(b), phone(b, team_a)
    assert host.seq == before[-1][0] and host.view["stage"]["phase"] == "answering", \
        "the other process shows the contest where the owner left it"
    judged = host.command("Judge", verdict="right")  # forwarded until the dead owner's lease expires, then taken over
    assert judged["seq"] == before[-1][0] + 1
    assert owner_of(b, redis_client) == str(b.process.pid)
    host.command("NextQuestion")
    token = host.command("OpenBuzzers")["seq"]
    on_a.wait_for(lambda view: view["stage"]["phase"] == "buzzing")
    assert on_a.call("buzz", {"open_token": token, "pressed_at": time.time() * 1000, "client_id": "a1"})["ok"]
    assert on_b.wait_for(lambda view: view["stage"]["phase"] == "answering")["stage"]["holder"] == team_a["id"]
    after = stored_events(b)
    assert after[:len(before)] == before, "no stored decision was lost or changed"
    assert_gapless(after)
    for client in (host, on_a, on_b):
        client.close()
