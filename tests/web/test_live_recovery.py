"""Restarts and floods, in process: does a new server process (a second app on the same database)
resume a running clock, remember acknowledged commands, and does a flooding phone get limited?

The real-process versions (SIGKILL, 200 phones, latency under a flood) are in tests/live.
"""
import logging
import time

import pytest

import config
from contest_setup import service as setup
from extensions import db
from factory import create_app
from live.limits import FLOOD_REASON, ConnectionLimits, Rate, TokenBucket
from live.merge_patch import apply_patch
from play import clock as server_clock
from play import ticker
from storage.event_store import load_events
from storage.presses import load_presses
from tests.conftest import AuthActions
from tests.web.live_helpers import ViewClient, team_auth
from tests.web.setup_factories import make_contest


STARTED = []  # apps of the running test, closed after it


@pytest.fixture
def database(new_database):
    """A database that two apps (two "processes") share; their connections are closed after the test."""
    yield new_database("shared.db")
    while STARTED:
        with STARTED.pop().app_context():
            db.session.remove()
            db.engine.dispose()


def start_app(database: str):
    """An app on ``database``, with a logged-in host client."""
    app = create_app(config.TestConfig(database))
    STARTED.append(app)
    client = app.test_client()
    with app.app_context():
        AuthActions(app, client).login_as("host")
    return app, client


def host_of(app, client, contest_id: int) -> ViewClient:
    """The host console of ``contest_id`` on ``app``."""
    return ViewClient(app, "/host", {"contest": contest_id}, client)


def command(host: ViewClient, kind: str, client_id: str | None = None, **args) -> dict:
    """A host command that must be accepted."""
    payload = {"type": kind, **args, **({"client_id": client_id} if client_id else {})}
    ack = host.send("command", payload)
    assert ack["ok"], ack
    return ack


@pytest.fixture
def first_process(database):
    """The first "process": a ready contest, its host connected."""
    app, client = start_app(database)
    with app.app_context():
        contest_id = make_contest(ready=True).id
    return app, client, contest_id


def restarted(database: str, monkeypatch):
    """A second app on the same database, started after everything the first one stored."""
    time.sleep(0.002)
    monkeypatch.setattr(server_clock, "PROCESS_STARTED_MS", server_clock.now_ms())
    return start_app(database)


def test_a_running_clock_resumes_when_the_restarted_server_loads_the_contest(first_process, database, monkeypatch):
    """Does the new process, on first loading a contest with an answer clock running, store ClockResumed
    with the whole time left, and show the host a clock that has not run out?"""
    app, client, contest_id = first_process
    with app.app_context():
        host = host_of(app, client, contest_id)
        command(host, "StartContest")
        command(host, "StartStage")
        shown = command(host, "NextQuestion")
        host.close()
    app2, client2 = restarted(database, monkeypatch)
    with app2.app_context():
        view = host_of(app2, client2, contest_id).view
        events = load_events(contest_id)
    resumed = events[-1]
    assert (resumed.kind, resumed.actor, resumed.seq, resumed.remaining) == \
        ("ClockResumed", "server", shown["seq"] + 1, 30_000)
    assert view["seq"] == resumed.seq and view["stage"]["phase"] == "answering"
    assert view["stage"]["deadline"] == resumed.deadline
    assert 29_000 < view["stage"]["deadline"] - view["server_now"] <= 30_000


def open_buzzers(host: ViewClient, contest_id: int) -> list:
    """Start the contest, go to its first buzzer question and open the buzzers; the teams by seat."""
    command(host, "StartContest")
    for _ in range(2):
        command(host, "StartStage")
        command(host, "EndStage")
    command(host, "StartStage")
    command(host, "NextQuestion")
    command(host, "OpenBuzzers")
    return setup.get_contest(contest_id).teams_by_seat


def test_open_buzzers_are_voided_when_the_restarted_server_loads_the_contest(first_process, database, monkeypatch):
    """Are open buzzers back to reading after the restart, and is a press then refused without a foul?"""
    app, client, contest_id = first_process
    with app.app_context():
        host = host_of(app, client, contest_id)
        team = open_buzzers(host, contest_id)[0]
        auth = team_auth(team)
    app2, client2 = restarted(database, monkeypatch)
    with app2.app_context():
        phone = ViewClient(app2, "/team", auth)
        assert phone.view["stage"]["phase"] == "reading" and phone.view["stage"]["interrupted"] is True
        refused = phone.send("buzz", {"client_id": "after-restart"})
        assert not refused["ok"] and "重新开始抢答" in refused["reason"]
        assert load_events(contest_id)[-1].kind == "BuzzingInterrupted"
        assert phone.pump()["me"]["score"] == 100


def test_the_hosts_press_log_is_rebuilt_from_the_stored_presses_after_a_restart(first_process, database, monkeypatch):
    """After a restart, does the host console still list who pressed for the question on screen (the
    winner and the late press, as before the stop), and does each press reach the host in one change?"""
    app, client, contest_id = first_process
    with app.app_context():
        host = host_of(app, client, contest_id)
        teams = open_buzzers(host, contest_id)[:2]
        phones = [ViewClient(app, "/team", team_auth(team)) for team in teams]
        host.pump()
        assert phones[0].send("buzz", {"client_id": "first"})["ok"]
        assert not phones[1].send("buzz", {"client_id": "second"})["ok"]
        changes = host.client.get_received("/host")
        assert len(changes) == 2, "one change to the host per press"
        for change in changes:
            host.view = apply_patch(host.view, change["args"][0]["patch"])
        before = host.view["stage"]["presses"]
        assert [(p["team"], p["accepted"]) for p in before] == [(teams[0].id, True), (teams[1].id, False)]
        for phone in phones:
            phone.close()
    app2, client2 = restarted(database, monkeypatch)
    with app2.app_context():
        after = host_of(app2, client2, contest_id).view["stage"]["presses"]
        won = [event for event in load_events(contest_id) if event.kind == "BuzzWon"]
        stored = [(press.accepted, press.event_seq) for press in load_presses(contest_id)]
    assert after == before
    assert stored == [(True, won[-1].seq), (False, None)]


def test_a_contest_written_after_the_process_started_is_not_resumed(first_process, database):
    """Does a process that started before the contest's last event (another live process writing it)
    leave the clock alone?"""
    app, client, contest_id = first_process
    app2, client2 = start_app(database)  # started before the question below was shown
    with app.app_context():
        host = host_of(app, client, contest_id)
        command(host, "StartContest")
        command(host, "StartStage")
        shown = command(host, "NextQuestion")
    with app2.app_context():
        assert host_of(app2, client2, contest_id).view["seq"] == shown["seq"]
        assert load_events(contest_id)[-1].kind == "QuestionShown"


def test_a_command_sent_again_to_the_restarted_server_counts_once(first_process, database, monkeypatch):
    """When a client resends an acknowledged command (same client id) to a new process, does it get the
    first acknowledgement back, without a second score change?"""
    app, client, contest_id = first_process
    with app.app_context():
        host = host_of(app, client, contest_id)
        started = command(host, "StartContest", client_id="start-1")
        first = command(host, "AdjustScore", client_id="adjust-1", team=host.view["teams"][0]["id"], delta=5,
                        reason="评委更正")
    app2, client2 = restarted(database, monkeypatch)
    with app2.app_context():
        host2 = host_of(app2, client2, contest_id)
        team = host2.view["teams"][0]["id"]
        again = command(host2, "AdjustScore", client_id="adjust-1", team=team, delta=5, reason="评委更正")
        assert again == first
        # A command the contest would now refuse (it has started) still gets its first answer.
        assert command(host2, "StartContest", client_id="start-1") == started
        assert host2.pump()["scores"][str(team)] == 105
        assert [e.kind for e in load_events(contest_id)].count("ScoreAdjusted") == 1


def test_a_command_stored_by_another_live_process_counts_once(first_process):
    """Another process stored a command after this one loaded the contest; when the same command (same
    client id) reaches this process, does it answer with that acknowledgement, storing nothing more?"""
    from contest import commands as c
    from contest.engine import apply
    from storage.event_store import append_events, load_state

    app, client, contest_id = first_process
    with app.app_context():
        host = host_of(app, client, contest_id)
        command(host, "StartContest")
        team = host.view["teams"][0]["id"]
        adjust = c.AdjustScore(actor="host:host-user", team=team, delta=5, reason="评委更正")
        _state, events = apply(load_state(contest_id), adjust, server_clock.now_ms())
        append_events(contest_id, events, ("host:host-user", "adjust-2"))  # the other process, unseen here
        again = command(host, "AdjustScore", client_id="adjust-2", team=team, delta=5, reason="评委更正")
        assert again == {"ok": True, "seq": events[-1].seq}
        assert host.pump()["scores"][str(team)] == 105
        assert [e.kind for e in load_events(contest_id)].count("ScoreAdjusted") == 1


def test_a_stalled_server_resumes_the_clock_before_checking_deadlines(first_process, monkeypatch):
    """If the server's computer sleeps for a minute mid-answer, does the clock's next tick resume the clock
    (ClockResumed) instead of timing the team out?"""
    app, client, contest_id = first_process
    with app.app_context():
        host = host_of(app, client, contest_id)
        command(host, "StartContest")
        command(host, "StartStage")
        shown = command(host, "NextQuestion")
        awake = server_clock.now_ms()
        monkeypatch.setattr(server_clock, "now_ms", lambda: awake)
        ticker.tick()
        asleep_until = awake + 60_000
        monkeypatch.setattr(server_clock, "now_ms", lambda: asleep_until)
        ticker.tick()
        events = load_events(contest_id)
        assert [e.kind for e in events[shown["seq"]:]] == ["ClockResumed"]
        assert events[-1].deadline == asleep_until + events[-1].remaining
        assert host.pump()["stage"]["phase"] == "answering"


def first_answer_deadline(app, client, contest_id: int) -> int:
    """The host starts the contest and shows the first question: the deadline of its answer clock."""
    host = host_of(app, client, contest_id)
    for kind in ("StartContest", "StartStage", "NextQuestion"):
        command(host, kind)
    return host.view["stage"]["deadline"]


def test_an_ordinary_tick_times_out_as_before(first_process, monkeypatch):
    """Without a stall, does the clock still time out a question whose deadline passed?"""
    app, client, contest_id = first_process
    with app.app_context():
        deadline = first_answer_deadline(app, client, contest_id)
        for now in (deadline - 100, deadline + 1):
            monkeypatch.setattr(server_clock, "now_ms", lambda now=now: now)
            ticker.tick()
        assert load_events(contest_id)[-1].kind == "TimedOut"


def test_a_failing_tick_hook_does_not_stop_the_deadlines(first_process, monkeypatch, caplog):
    """When a piece of per-tick work fails (sharing with the other processes while Redis is down), is it
    logged, and does the same tick still time out a question whose deadline passed?"""
    app, client, contest_id = first_process

    def unreachable(now):
        raise ConnectionError("Redis unreachable")

    ticker.on_tick(app, unreachable)
    with app.app_context():
        deadline = first_answer_deadline(app, client, contest_id)
        monkeypatch.setattr(server_clock, "now_ms", lambda: deadline + 1)
        with caplog.at_level(logging.ERROR):
            ticker.tick()
        assert load_events(contest_id)[-1].kind == "TimedOut"
        assert "per-tick work failed" in caplog.text and "Redis unreachable" in caplog.text


# --- floods -----------------------------------------------------------------------------------


def test_a_token_bucket_allows_its_burst_then_its_rate():
    """Does a bucket let a burst through, then one event per 1/rate seconds?"""
    bucket = TokenBucket.full(Rate(per_second=10, burst=20), now=0.0)
    assert [bucket.take(0.0) for _ in range(21)] == [True] * 20 + [False]
    assert bucket.take(0.05) is False and bucket.take(0.1) is True and bucket.take(0.1) is False
    assert sum(bucket.take(1.1 + i / 1000) for i in range(100)) == 10  # a second later: 10 more


def test_refusals_are_logged_at_most_once_a_second():
    """Does a flooding connection get one log line per second, counting the refusals in between?"""
    limits = ConnectionLimits({"team": Rate(1, 1)})
    assert limits.allow("s", "team", 0.0)
    assert not any(limits.allow("s", "team", 0.1 + i / 1000) for i in range(5))
    assert limits.refusals_to_log("s", 0.2) == 5
    assert not limits.allow("s", "team", 0.3)
    assert limits.refusals_to_log("s", 0.5) == 0  # logged less than a second ago
    assert limits.refusals_to_log("s", 1.3) == 1


@pytest.fixture
def phones(app, client, auth):
    """A started contest in its buzzer stage, a question up, and two phones."""
    with app.app_context():
        contest = make_contest(ready=True)
        auth.login_as("host")
        host = host_of(app, client, contest.id)
        command(host, "StartContest")
        teams = contest.teams_by_seat
        yield host, [ViewClient(app, "/team", team_auth(team)) for team in teams[:2]]


def test_a_flooding_phone_is_refused_and_the_others_are_not(app, phones, caplog):
    """When one phone sends 100 events at once, is it refused past its burst, logged once, while
    another phone and the host still act?"""
    host, (flooder, other) = phones
    with app.app_context(), caplog.at_level(logging.WARNING):
        acks = [flooder.send("answer", {"choice": "A", "client_id": f"f{i}"}) for i in range(100)]
        flooded = [ack for ack in acks if ack.get("reason") == FLOOD_REASON]
        assert 60 <= len(flooded) <= 100 - 20
        assert acks[0]["reason"] != FLOOD_REASON, "the first events of a burst are read"
        assert other.send("answer", {"choice": "A", "client_id": "o1"})["reason"] != FLOOD_REASON
        assert host.send("command", {"type": "StartStage", "client_id": "h1"})["ok"]
    lines = [r for r in caplog.records if FLOOD_REASON in r.getMessage()]
    assert len(lines) == 1 and "team:" in lines[0].getMessage()


def test_the_host_may_click_faster_than_a_phone(app, phones):
    """Does the host's console get a larger burst than a phone (30 resyncs in a row are all answered)?"""
    host, _phones = phones
    with app.app_context():
        assert all("view" in host.resync() for _ in range(30))
