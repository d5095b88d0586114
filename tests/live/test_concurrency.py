"""Can two hosts, or two server processes, ever store two decisions for one moment?

The event sequence number guards it: a decision is stored as the contest's next number, and the
database takes each (contest, number) once. Verified on what the database holds, read in the
test process with the app's own storage code.
"""
import threading

import pytest

from tests.live.clients import LiveClient, host_cookie
from tests.live.restart import close_all, server_log, stored_events
from tests.live_server import LiveServer

pytestmark = pytest.mark.live

ROUNDS = 5


def at_once(*calls):
    """Run the calls in threads released together by a barrier; their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def judge(host: LiveClient, name: str):
    """A "right" verdict from ``host``, to be run at the same moment as another."""
    return lambda: host.call("command", {"type": "Judge", "verdict": "right", "client_id": name})


def one_decision(acks: list[dict]) -> dict:
    """Exactly one acknowledgement is positive, the other a refusal saying the question is decided."""
    accepted = [ack for ack in acks if ack["ok"]]
    refused = [ack for ack in acks if not ack["ok"]]
    assert len(accepted) == 1 and len(refused) == 1, acks
    assert "已判定" in refused[0]["reason"], refused
    return accepted[0]


def assert_one_judged_per_seq(server: LiveServer, expected: int) -> None:
    """The stored log is numbered 1, 2, 3… and holds ``expected`` verdicts."""
    events = stored_events(server)
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    assert sum(event.kind == "Judged" for event in events) == expected


def test_two_hosts_pressing_right_at_once_make_one_decision(running_server):
    """Two host consoles press "right" at the same moment, five questions running: is one verdict
    stored each time (one +10), the other console told the question is already decided?"""
    server = running_server
    contest, cookie = server.demo["contest"], host_cookie(server.url)
    first = LiveClient(server.url, "/host", {"contest": contest}, {"Cookie": cookie})
    second = LiveClient(server.url, "/host", {"contest": contest}, {"Cookie": host_cookie(server.url)})
    try:
        first.command("StartContest")
        first.command("StartStage")
        for number in range(ROUNDS):
            shown = first.command("NextQuestion")
            second.wait_seq(shown["seq"])
            accepted = one_decision(at_once(judge(first, f"a{number}"), judge(second, f"b{number}")))
            assert accepted["seq"] == shown["seq"] + 1
        first.wait_seq(accepted["seq"])
        assert sorted(first.view["scores"].values()) == [100] * 3 + [110] * ROUNDS
        assert_one_judged_per_seq(server, ROUNDS)
    finally:
        close_all([first, second])


@pytest.fixture
def two_processes(server):
    """Two server processes on the same instance folder and database (the SQLite file, or PostgreSQL's), on two ports."""
    server.start()
    other = LiveServer(instance=server.instance, demo=server.demo, database=server.database)
    other.start()
    yield server, other
    other.stop()


def test_two_server_processes_on_one_database_make_one_decision(two_processes):
    """Two processes serve the same contest from one database, a host on each; both press "right" at
    the same moment. Is one verdict stored, and does the losing process show its host the winner's?"""
    one, two = two_processes
    contest = one.demo["contest"]
    host_one = LiveClient(one.url, "/host", {"contest": contest}, {"Cookie": host_cookie(one.url)})
    host_two = None
    try:
        host_one.command("StartContest")
        host_one.command("StartStage")
        shown = host_one.command("NextQuestion")
        # The second process loads the contest now, from the database (processes share no memory).
        host_two = LiveClient(two.url, "/host", {"contest": contest}, {"Cookie": host_cookie(two.url)})
        assert host_two.wait_seq(shown["seq"])["stage"]["phase"] == "answering"

        accepted = one_decision(at_once(judge(host_one, "one"), judge(host_two, "two")))
        assert accepted["seq"] == shown["seq"] + 1
        for host in (host_one, host_two):
            view = host.wait_seq(accepted["seq"])
            assert view["stage"]["phase"] == "judged" and sorted(view["scores"].values())[-1] == 110
        assert_one_judged_per_seq(one, 1)
        assert stored_events(one)[-1].seq == accepted["seq"]
        conflicts = [line for line in server_log(one) if "stored by another writer first" in line]
        assert len(conflicts) == 1, "the losing process tried to store the same number and was turned back"
    finally:
        close_all([host_one] + ([host_two] if host_two else []))
