"""Two apps on one database and one Redis, in one test process: the owner lease and forwarding of
play/cluster.py without sockets (the real-process versions are in tests/live/test_several_processes.py).

Each app joins the cluster under a channel of this test's own (tests/live/processes.py), so tests
sharing one Redis never hear each other. Skipped when Redis does not answer (failed in CI).
"""
import time
import uuid

import pytest

import config
from contest import commands as c
from extensions import db
from factory import create_app
from live.audiences import Audience, hall_of, view_for
from live import presence_sharing
from live.presence_sharing import share_presence
from live.presence_totals import KEPT_FOR_MS, SHARE_INTERVAL_MS
from play import clock as server_clock
from play import replica, ticker
from play.registry import get_live, loaded
from play.routing import cluster_of
from play.service import execute
from storage.event_store import load_events
from tests.live.processes import TEST_REDIS_URL, redis_or_skip
from tests.web.setup_factories import make_contest

HOST = "host:host-user"


@pytest.fixture
def redis_client():
    return redis_or_skip()


@pytest.fixture
def apps(new_database, redis_client):
    """Two "processes" of one installation, on one database, each in the cluster; the first with a ready contest."""
    database, channel, made = new_database("shared.db"), f"contest-test-{uuid.uuid4().hex[:12]}", []
    for _ in range(2):
        app = create_app(config.TestConfig(database))
        app.config["SOCKETIO_CHANNEL"] = channel
        replica.start(app, TEST_REDIS_URL).run()
        made.append(app)
    with made[0].app_context():
        contest_id = make_contest(ready=True).id
    yield made[0], made[1], contest_id
    for app in made:  # their cluster threads live on, idle: no lease to renew, no contest to take over
        cluster_of(app).leases.held.clear()
        if "live_contests" in app.extensions:  # none when the test played no contest (the audience's)
            app.extensions["live_contests"][0].clear()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def run(app, command: c.Command, contest_id: int, client_id: str | None = None) -> dict:
    with app.app_context():
        return execute(contest_id, command, HOST, client_id)


def seq_in(app, contest_id: int, seq: int, seconds: float = 5.0) -> bool:
    """Whether ``app``'s copy of the contest reaches ``seq`` within ``seconds`` (it follows the owner's broadcasts)."""
    deadline = time.monotonic() + seconds
    with app.app_context():
        while time.monotonic() < deadline:
            live = loaded(contest_id)
            if live is not None and live.state is not None and live.state.seq >= seq:
                return True
            time.sleep(0.05)
    return False


def presence_in(app, contest_id: int, expected: dict, seconds: float = 5.0) -> bool:
    """Whether ``app``'s host view of the contest shows ``expected`` as its presence within ``seconds``."""
    deadline = time.monotonic() + seconds
    with app.app_context():
        while view_for(loaded(contest_id), Audience("host"), server_clock.now_ms())["presence"] != expected:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
    return True


def test_a_process_shows_the_others_connections_until_they_fall_silent(apps):
    """A connection to b shows in a's host view once b's tick tells it, goes when b counts it out, and
    goes when b stops telling (it died) for KEPT_FOR_MS; a's own count stays its own."""
    a, b, contest_id = apps
    with a.app_context():
        hall_of(get_live(contest_id)).presence["host"] += 1  # a host console on a (the counts alone: no socket here)
    with b.app_context():
        hall_b = hall_of(get_live(contest_id))
    for phones in (1, 0, 2):
        hall_b.presence["team:5"] = phones  # a team's phones on b come and go (as live.audiences.join/leave count them)
        hall_b.comings_and_goings += 1
        with b.app_context():
            share_presence(b, server_clock.now_ms())
        assert presence_in(a, contest_id, {"host": 1, "team:5": phones} if phones else {"host": 1}), phones
    with a.app_context():
        assert hall_of(loaded(contest_id)).presence == {"host": 1}, "a's own count (what it patches) is only its own"
        share_presence(a, server_clock.now_ms() + KEPT_FOR_MS + 1)  # a's tick once b has been silent that long
    assert presence_in(a, contest_id, {"host": 1}, seconds=0)



def test_a_process_counts_its_connections_again_only_when_one_came_or_went(apps, monkeypatch):
    """Between the once-a-second reports, does a tick count the connections (every bound phone's room,
    under the contest's lock) only after one came or went, not on every tick?"""
    a, _b, contest_id = apps
    counted = []
    real_counts = presence_sharing._counts_here
    monkeypatch.setattr(presence_sharing, "_counts_here", lambda: counted.append(1) or real_counts())
    with a.app_context():
        hall = hall_of(get_live(contest_id))
        hall.presence["host"] += 1
        hall.comings_and_goings += 1
        now = server_clock.now_ms()
        for tick in range(5):  # half a second of ticks
            share_presence(a, now + 100 * tick)
        assert len(counted) == 1
        hall.comings_and_goings += 1  # a phone came
        share_presence(a, now + 500)
        share_presence(a, now + 600)
        assert len(counted) == 2
        share_presence(a, now + 500 + SHARE_INTERVAL_MS)  # and once a second anyway
        assert len(counted) == 3

def test_a_command_received_by_another_process_is_decided_once_by_the_owner(apps):
    a, b, contest_id = apps
    assert run(a, c.StartContest(actor=HOST), contest_id, "start")["ok"]
    assert cluster_of(a).leases.owns(contest_id), "the process that decided first owns the contest"
    with a.app_context():
        team = get_live(contest_id).state.config.teams[0].id
    with b.app_context():
        get_live(contest_id)  # b holds a copy, as when a phone is connected to it
    adjust = c.AdjustScore(actor=HOST, team=team, delta=5, reason="评委更正")
    ack = run(b, adjust, contest_id, "adjust-1")
    assert ack["ok"] and not cluster_of(b).leases.owns(contest_id)
    assert run(b, adjust, contest_id, "adjust-1") == ack, "a retry through the other process gets the first answer"
    with a.app_context():
        assert loaded(contest_id).state.seq == ack["seq"], "the owner decided it"
        assert [e.kind for e in load_events(contest_id)].count("ScoreAdjusted") == 1
    assert seq_in(b, contest_id, ack["seq"]), "the other process's copy follows the owner"
    with b.app_context():
        assert loaded(contest_id).state.scores[team] == get_live(contest_id).state.scores[team]


def test_a_refusal_by_the_owner_reaches_the_sender(apps):
    a, b, contest_id = apps
    run(a, c.StartContest(actor=HOST), contest_id)
    ack = run(b, c.StartContest(actor=HOST), contest_id)
    assert not ack["ok"] and ack["reason"], ack


def test_a_contest_whose_owner_vanished_is_taken_over_when_its_lease_expires(apps, redis_client):
    """The lease names a process that no longer listens (it was killed): the command waits for the
    lease to expire, then this process claims the contest and decides it."""
    a, b, contest_id = apps
    run(a, c.StartContest(actor=HOST), contest_id)
    key = f"{a.config['SOCKETIO_CHANNEL']}:play:owner:{contest_id}"
    cluster_of(a).leases.held.clear()  # a "dies": it stops trusting and renewing its lease, and holds
    a.extensions["live_contests"][0].clear()  # no contest it could take over again ...
    redis_client.set(key, "killed-1-abc", px=1500)  # ... which now names a process nobody hears
    with b.app_context():
        team = get_live(contest_id).state.config.teams[0].id
    ack = run(b, c.AdjustScore(actor=HOST, team=team, delta=5, reason="评委更正"), contest_id, "adjust-2")
    assert ack["ok"], ack
    assert cluster_of(b).leases.owns(contest_id)
    assert redis_client.get(key).decode() == cluster_of(b).process_id
    with b.app_context():
        assert [e.seq for e in load_events(contest_id)] == list(range(1, ack["seq"] + 1))


def test_only_the_owner_ticks_a_deadline(apps, monkeypatch):
    a, b, contest_id = apps
    assert run(a, c.StartContest(actor=HOST), contest_id)["ok"]
    with b.app_context():
        get_live(contest_id)  # both processes hold the contest, so both tickers see it
    for command in (c.StartStage(actor=HOST), c.NextQuestion(actor=HOST)):
        ack = run(a, command, contest_id)
    with a.app_context():
        deadline = get_live(contest_id).state.stage.deadline
    assert deadline is not None, "the first question's answer clock runs"
    assert seq_in(b, contest_id, ack["seq"])
    monkeypatch.setattr(server_clock, "now_ms", lambda: deadline + 1)
    with b.app_context():
        stored = len(load_events(contest_id))
        ticker.tick()
        assert len(load_events(contest_id)) == stored, "a process that does not own the contest never times it out"
    with a.app_context():
        ticker.tick()
        ticker.tick()
        assert len(load_events(contest_id)) == stored + 1, "the owner times it out, once"
