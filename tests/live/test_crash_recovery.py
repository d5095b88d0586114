"""Does a contest survive the server being killed (SIGKILL) at any moment, and come back by itself?

Each test plays the demo contest to one moment with a real host, display and three phones, kills
the server process, starts it again on the same instance folder, and checks that every client
reconnects by itself to the same scores and the phase docs/reliability.md promises, with the clock
showing the time the policy gives.
"""
import time

import pytest

from tests.live.clients import to_first_buzzer_question
from tests.live.restart import (
    clients_of,
    close_all,
    connect_hall,
    crash_and_restart,
    everyone_back,
    stored_events,
)

pytestmark = pytest.mark.live


@pytest.fixture
def hall(server):
    """A started server with the host, the display and three phones; closed after the test."""
    halls = []

    def connect(rules: dict | None = None):
        for (kind, name), value in (rules or {}).items():
            server.set_stage_rule(kind, name, value)
        server.start()
        halls.append(connect_hall(server))
        return halls[-1]

    yield connect
    for each in halls:
        close_all(clients_of(each))


def scores(hall) -> dict:
    """The scores as the display shows them."""
    return hall["display"].view["scores"]


def seconds_left(client) -> float:
    """The countdown a client would draw right now, from its view (its clock is the server's here)."""
    stage = client.view["stage"]
    return (stage["deadline"] - time.time() * 1000) / 1000


def test_required_answering_resumes_with_the_whole_time_left(hall, server):
    """必答, a team answering with a 5 s clock; the server is down longer than that. Does the clock come
    back with its 5 s (not expired), the scores unchanged, and then time out by itself?"""
    room = hall({("required", "time_limit"): 5})
    host, display = room["host"], room["display"]
    host.command("StartContest")
    host.command("StartStage")
    host.command("NextQuestion")
    host.command("Judge", verdict="right")
    shown = host.command("NextQuestion")
    display.wait_seq(shown["seq"])
    before, deadline = scores(room), display.view["stage"]["deadline"]
    holder = display.view["stage"]["holder"]

    down = max(0.0, deadline / 1000 - time.time()) + 1.0  # back only after the old deadline has passed
    started, _answering = crash_and_restart(server, clients_of(room), down_seconds=down)
    everyone_back(clients_of(room), shown["seq"] + 1, since=started)

    left = seconds_left(display)
    resumed = stored_events(server)[-1]
    assert (resumed.kind, resumed.actor, resumed.remaining) == ("ClockResumed", "server", 5_000)
    assert resumed.deadline == resumed.at + 5_000 and resumed.at > deadline  # the old deadline had passed
    for client in clients_of(room):
        stage = client.view["stage"]
        assert (stage["phase"], stage["holder"], stage["deadline"]) == ("answering", holder, resumed.deadline)
    assert scores(room) == before and before[str(room["teams"][0])] == 110
    assert 0 < left <= 5.0, "the clock was not expired by the stop"
    view = display.wait_for(lambda v: v["stage"]["verdict"] == "timeout", seconds=8)
    assert view["stage"]["phase"] == "judged" and scores(room) == before


def test_open_buzzers_are_void_and_opened_again(hall, server):
    """抢答, buzzers open (after a foul) when the server dies. Do the buzzers come back closed (reading),
    the foul and its penalty kept, a press refused without a foul until the host opens them again?"""
    room = hall()
    host, display, phones, teams = room["host"], room["display"], room["phones"], room["teams"]
    to_first_buzzer_question(host)
    assert phones[teams[2]].call("buzz", {"client_id": "early"})["ok"]  # a foul: −10, out
    opened = host.command("OpenBuzzers")
    display.wait_seq(opened["seq"])
    before, token = scores(room), display.view["stage"]["open_token"]

    started, _answering = crash_and_restart(server, clients_of(room))
    everyone_back(clients_of(room), opened["seq"] + 1, since=started)

    assert stored_events(server)[-1].kind == "BuzzingInterrupted"
    for client in clients_of(room):
        stage = client.view["stage"]
        assert (stage["phase"], stage["deadline"], stage["interrupted"]) == ("reading", None, True)
        assert stage["open_token"] == token and stage["fouls"] == [teams[2]]
    assert scores(room) == before and before[str(teams[2])] == 90
    refused = phones[teams[0]].call("buzz", {"client_id": "in-the-gap", "open_token": token})
    assert not refused["ok"] and "重新开始抢答" in refused["reason"]

    reopened = host.command("OpenBuzzers")
    phones[teams[0]].wait_seq(reopened["seq"])
    new_token = phones[teams[0]].view["stage"]["open_token"]
    assert new_token != token
    won = phones[teams[0]].call("buzz", {"client_id": "won", "open_token": new_token})
    assert won["ok"]
    assert display.wait_seq(won["seq"])["stage"]["holder"] == teams[0]
    assert scores(room) == before


def test_a_speed_window_resumes_with_the_time_it_had_at_the_last_answer(hall, server):
    """速答, a team two answers into its packet. Does the window come back with what it had left at the
    last stored answer, the packet where it was?"""
    room = hall()
    host, display = room["host"], room["display"]
    host.command("StartContest")
    host.command("StartStage")
    host.command("EndStage")
    host.command("StartStage")
    host.command("NextQuestion")
    time.sleep(0.3)
    host.command("Judge", verdict="right")
    time.sleep(0.3)
    last = host.command("Judge", verdict="right")
    display.wait_seq(last["seq"])
    before, deadline = scores(room), display.view["stage"]["deadline"]
    time.sleep(1.0)  # the window runs on for a second before the crash: that second is given back

    started, _answering = crash_and_restart(server, clients_of(room), down_seconds=1.0)
    everyone_back(clients_of(room), last["seq"] + 1, since=started)

    left = seconds_left(display)
    events = stored_events(server)
    judged, resumed = events[-2], events[-1]
    assert (judged.kind, resumed.kind) == ("Judged", "ClockResumed")
    assert resumed.remaining == deadline - judged.at and 30_000 < resumed.remaining < 40_000
    assert resumed.deadline == resumed.at + resumed.remaining
    stage = display.view["stage"]
    assert (stage["phase"], stage["right_count"], stage["packet_position"]) == ("answering", 2, 3)
    assert stage["deadline"] == resumed.deadline
    assert 0 < left <= resumed.remaining / 1000
    assert scores(room) == before and before[str(room["teams"][0])] == 120


def play_to_risk(room) -> int:
    """1号 answers the first 必答 question right (110, so it leads), the other stages are skipped, the risk
    stage starts and its first turn is up. Returns the sequence number of that turn."""
    host = room["host"]
    host.command("StartContest")
    host.command("StartStage")
    host.command("NextQuestion")
    host.command("Judge", verdict="right")
    host.command("EndStage")
    for _ in range(2):
        host.command("StartStage")
        host.command("EndStage")
    host.command("StartStage")
    return host.command("NextQuestion")["seq"]


def test_risk_choosing_has_no_clock_and_stays_as_it_was(hall, server):
    """风险, the leader choosing its value. Does everything come back exactly as it was (no clock, so no
    recovery event), and can the team then pick on its phone?"""
    room = hall()
    leader, phone = room["teams"][0], room["phones"][room["teams"][0]]
    turn = play_to_risk(room)
    room["display"].wait_seq(turn)
    before = scores(room)

    started, _answering = crash_and_restart(server, clients_of(room))
    everyone_back(clients_of(room), turn, since=started)

    assert stored_events(server)[-1].seq == turn
    stage = room["display"].view["stage"]
    assert (stage["phase"], stage["holder"], stage["deadline"]) == ("choosing", leader, None)
    assert phone.view["me"]["can_choose_tier"] and scores(room) == before
    chosen = phone.call("choose_tier", {"tier": 20, "client_id": "tier-after"})
    assert chosen["ok"]
    assert room["display"].wait_seq(chosen["seq"])["stage"]["phase"] == "answering"


def test_risk_answering_resumes_and_a_resent_command_counts_once(hall, server):
    """风险, the leader answering its 20-point question. Does its 60 s come back whole, does a phone that
    sends its choice again (same client id) get the first acknowledgement without a second event, and
    does the verdict after the restart count?"""
    room = hall()
    leader, phone = room["teams"][0], room["phones"][room["teams"][0]]
    room["display"].wait_seq(play_to_risk(room))
    chosen = phone.call("choose_tier", {"tier": 20, "client_id": "tier-20"})
    assert chosen["ok"]
    room["display"].wait_seq(chosen["seq"])
    before = scores(room)

    started, _answering = crash_and_restart(server, clients_of(room))
    everyone_back(clients_of(room), chosen["seq"] + 1, since=started)

    left = seconds_left(room["display"])
    resumed = stored_events(server)[-1]
    assert (resumed.kind, resumed.remaining) == ("ClockResumed", 60_000)
    stage = room["display"].view["stage"]
    assert (stage["phase"], stage["holder"], stage["tier"], stage["deadline"]) == \
        ("answering", leader, 20, resumed.deadline)
    assert 45 < left <= 60 and scores(room) == before
    assert phone.call("choose_tier", {"tier": 20, "client_id": "tier-20"}) == chosen
    assert stored_events(server)[-1].seq == resumed.seq

    judged = room["host"].command("Judge", verdict="right")
    assert room["display"].wait_seq(judged["seq"])["scores"][str(leader)] == 130
    undone = room["host"].call("command", {"type": "Undo", "client_id": "undo-1"})
    assert undone["ok"]  # the verdict given after the restart can be taken back…
    refused = room["host"].call("command", {"type": "Undo", "client_id": "undo-2"})
    assert not refused["ok"] and "重启前" in refused["reason"]  # …but not what came before the restart
