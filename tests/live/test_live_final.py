"""Can a host, a display and 8 phones play every stage against a real server process?"""
import pytest

from tests.live.clients import LiveClient, host_cookie, to_first_buzzer_question

pytestmark = pytest.mark.live


@pytest.fixture
def hall(running_server):
    """The host, the display and the 8 team phones of the demo contest, connected."""
    server = running_server
    contest = server.demo["contest"]
    host = LiveClient(server.url, "/host", {"contest": contest}, {"Cookie": host_cookie(server.url)})
    display = LiveClient(server.url, "/display", {"contest": contest, "token": server.demo["display_token"]})
    phones = {team["id"]: LiveClient(server.url, "/team", {"credential": team["credential"]})
              for team in server.demo["teams"]}
    host.wait_for(lambda view: sum(1 for key in view.get("presence", {}) if key.startswith("team:")) == 8)
    yield {"host": host, "display": display, "phones": phones, "teams": [t["id"] for t in server.demo["teams"]]}
    for client in (host, display, *phones.values()):
        client.close()


def everyone_sees(hall, seq):
    """Wait until the host, the display and every phone have seen event ``seq``."""
    for client in (hall["host"], hall["display"], *hall["phones"].values()):
        client.wait_seq(seq)


def test_every_stage_with_eight_phones(hall):
    """Do all four stages play through with every screen in step, scores included?"""
    host, display, phones, teams = hall["host"], hall["display"], hall["phones"], hall["teams"]
    host.command("StartContest")

    # 必答: the first team answers its own question, judged right by the host.
    host.command("StartStage")
    ack = host.command("NextQuestion")
    everyone_sees(hall, ack["seq"])
    assert display.view["stage"]["holder"] == teams[0]
    assert "answer" not in display.view["stage"]["question"]
    assert "answer" in host.view["stage"]["question"]
    everyone_sees(hall, host.command("Judge", verdict="right")["seq"])
    assert phones[teams[0]].view["me"]["score"] == 110
    host.command("RevealAnswer")
    everyone_sees(hall, host.command("EndStage")["seq"])

    # 速答: the first team's packet, one right and one pass.
    host.command("StartStage")
    host.command("NextQuestion")
    host.command("Judge", verdict="right")
    everyone_sees(hall, host.command("Pass")["seq"])
    assert display.view["stage"]["right_count"] == 1 and display.view["stage"]["packet_position"] == 3
    everyone_sees(hall, host.command("Undo")["seq"])
    assert display.view["stage"]["packet_position"] == 2
    host.command("Pass")  # undo, then the same decision again
    while host.view["stage"]["phase"] == "answering":  # pass out the rest of the packet
        host.command("Pass")
    assert host.view["stage"]["phase"] == "turn_over" and host.view["stage"]["right_count"] == 1
    host.command("EndStage")

    # 抢答: an early buzz is a foul, then the first valid buzz wins.
    host.command("StartStage")
    everyone_sees(hall, host.command("NextQuestion")["seq"])
    foul = phones[teams[2]].call("buzz", {"client_id": "early"})
    assert foul["ok"]
    everyone_sees(hall, foul["seq"])
    assert teams[2] in display.view["stage"]["fouls"]
    assert phones[teams[2]].view["me"]["score"] == 90
    everyone_sees(hall, host.command("OpenBuzzers")["seq"])
    token = phones[teams[4]].view["stage"]["open_token"]
    assert phones[teams[4]].view["me"]["can_buzz"] and not phones[teams[2]].view["me"]["can_buzz"]
    won = phones[teams[4]].call("buzz", {"client_id": "b1", "open_token": token})
    late = phones[teams[5]].call("buzz", {"client_id": "b2", "open_token": token})
    assert won["ok"] and not late["ok"]
    everyone_sees(hall, won["seq"])
    assert display.view["stage"]["holder"] == teams[4]
    everyone_sees(hall, host.command("Judge", verdict="wrong")["seq"])
    assert phones[teams[4]].view["me"]["score"] == 90
    host.command("EndStage")

    # 风险: the leader (seat 1: 120 after 必答 and 速答) picks 20 on its phone and answers right.
    everyone_sees(hall, host.command("StartStage")["seq"])
    leader = display.view["stage"]["order"][0]
    assert leader == teams[0]
    everyone_sees(hall, host.command("NextQuestion")["seq"])
    assert phones[leader].view["me"]["can_choose_tier"]
    assert not phones[teams[1]].view["me"]["can_choose_tier"]
    chosen = phones[leader].call("choose_tier", {"tier": 20, "client_id": "tier"})
    everyone_sees(hall, chosen["seq"])
    assert display.view["stage"]["tier"] == 20 and display.view["stage"]["phase"] == "answering"
    everyone_sees(hall, host.command("Judge", verdict="right")["seq"])
    assert phones[leader].view["me"]["score"] == 140
    assert display.view["standings"][0]["team"] == leader


def test_a_phone_reconnects_mid_question_to_the_right_state(hall):
    """Does a phone that drops during a buzzer question come back to the state it missed?"""
    host, phones, teams = hall["host"], hall["phones"], hall["teams"]
    to_first_buzzer_question(host)
    dropped = phones[teams[3]]
    dropped.close()
    opened = host.command("OpenBuzzers")
    won = phones[teams[1]].call("buzz", {"client_id": "w"})
    assert won["ok"]
    dropped.connect()
    view = dropped.wait_seq(won["seq"])
    assert view["stage"]["phase"] == "answering" and view["stage"]["holder"] == teams[1]
    assert view["stage"]["open_token"] == hall["display"].wait_seq(opened["seq"])["stage"]["open_token"]
    assert not view["me"]["can_buzz"]
    refused = dropped.call("buzz", {"client_id": "late"})
    assert not refused["ok"] and "已抢到" in refused["reason"]


def test_the_server_clock_times_out_by_itself(hall):
    """When nobody buzzes, does the server void the question at the deadline without the host?"""
    host = hall["host"]
    to_first_buzzer_question(host)
    host.command("OpenBuzzers")
    view = hall["display"].wait_for(lambda v: v["stage"].get("verdict") == "no_buzz", seconds=15)
    assert view["stage"]["phase"] == "judged"
    assert any(event["kind"] == "TimedOut" and event["actor"] == "clock" for event in hall["display"].events)
