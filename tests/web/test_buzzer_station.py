"""A buzzer station (live/station.py): may only a host of the contest open one, does its press take
the phones' path (rules, arbitration, audit naming the key), for teams of its contest only, and
do phones and the station mix in one question?"""
import time

import pytest

from contest.fairness import ClockSample
from contest.press_source import source_label
from extensions import db
from live.clock_sync import clock_sync
from live.limits import FLOOD_REASON
from play.clock import now_ms
from storage.event_store import load_events
from storage.models import BuzzPress
from tests.web.live_helpers import ViewClient, hall, host_do, to_buzzer_stage  # noqa: F401 (hall: a fixture)
from tests.web.setup_factories import make_contest

STATION = "/station"


def open_station(app, flask_client, contest_id: int) -> ViewClient:
    """A buzzer station connection with the flask client's login."""
    return ViewClient(app, STATION, {"contest": contest_id}, flask_client)


def press(station: ViewClient, team, key: str = "Digit1", **extra) -> dict:
    """A station press for ``team``, stamped now on the (test) station's clock unless ``pressed_at`` is given."""
    return station.send("station_buzz", {"team": team, "key": key, "pressed_at": time.time() * 1000, **extra})


def stored_presses(contest_id: int) -> list[BuzzPress]:
    """The audit rows of a contest, oldest first."""
    return db.session.query(BuzzPress).filter_by(contest_id=contest_id).order_by(BuzzPress.id).all()


@pytest.fixture
def buzzing(hall, app, client):
    """The hall at a buzzer question with the buzzers open, and a station of the logged-in host."""
    to_buzzer_stage(hall)
    host_do(hall, "NextQuestion")
    host_do(hall, "OpenBuzzers")
    station = open_station(app, client, hall["contest"])
    assert station.connected
    yield {**hall, "station": station}
    station.close()


def test_an_anonymous_visitor_cannot_open_a_station(app, client):
    """Is a station connection without a login refused?"""
    with app.app_context():
        contest = make_contest(ready=True)
        assert not open_station(app, client, contest.id).connected


def test_a_host_of_another_contest_cannot_open_its_station(app, client, auth):
    """Is a logged-in host who is not assigned to the contest refused, as on the host console?"""
    with app.app_context():
        contest = make_contest(ready=True)
        auth.login_as("host", "stranger")
        assert not open_station(app, client, contest.id).connected
        assert not ViewClient(app, "/host", {"contest": contest.id}, client).connected


@pytest.mark.parametrize("role", ["host", "organizer"])
def test_the_contests_host_and_organizer_open_a_station(app, client, auth, role):
    """Do the contest's assigned host and its organizer both get a station connection?"""
    with app.app_context():
        contest = make_contest(ready=True)
        auth.login_as(role)
        station = open_station(app, client, contest.id)
        assert station.connected
        station.close()


def test_a_station_is_probed_on_its_own_namespace(app, client, auth):
    """Is the station's clock estimated like a phone's: a clock_probe arrives on /station?"""
    with app.app_context():
        contest = make_contest(ready=True)
        auth.login_as("host")
        station = open_station(app, client, contest.id)
        clock_sync(app).probe_due(now_ms())
        probes = [m for m in station.client.get_received(STATION) if m["name"] == "clock_probe"]
        assert len(probes) == 1 and isinstance(probes[0]["args"][0]["s0"], int)
        station.close()


def test_a_station_press_wins_for_its_team_and_the_audit_names_the_key(buzzing):
    """Does a station key press for seat 3 make seat 3 the holder, with the audit row and the
    host's press list saying it came from the station's key?"""
    team = buzzing["teams"][2]
    token = buzzing["host"].pump()["stage"]["open_token"]
    ack = press(buzzing["station"], team, key="Digit3", open_token=token)
    assert ack["ok"], ack
    assert buzzing["display"].pump()["stage"]["holder"] == team
    (row,) = stored_presses(buzzing["contest"])
    assert (row.team_id, row.accepted, row.open_token) == (team, True, token)
    assert row.connection.startswith("station:Digit3:") and source_label(row.connection) == "抢答器 Digit3"
    (shown,) = buzzing["host"].pump()["stage"]["presses"]
    assert (shown["team"], shown["phone"], shown["accepted"]) == (team, "抢答器 Digit3", True)
    won = [event for event in load_events(buzzing["contest"]) if event.kind == "BuzzWon"]
    assert [event.team for event in won] == [team] and won[0].actor == "station:host-user"


def test_the_report_names_the_stations_key(buzzing, client):
    """Does the report's 抢答记录 say the press came from the station's key, and the phone's press from its phone?"""
    assert press(buzzing["station"], buzzing["teams"][3], key="Numpad4")["ok"]
    assert not buzzing["phones"][0].send("buzz", {"client_id": "after"})["ok"]
    host_do(buzzing, "Judge", verdict="right")
    page = client.get(f"/contests/{buzzing['contest']}/report").text
    section = page[page.index("<h2>抢答记录</h2>"):]
    station_row, phone_row = [row for row in section.split("<tr")[1:] if "<th" not in row.split("</tr>")[0]][:2]
    assert "抢答器 Numpad4" in station_row and ">抢到<" in station_row
    assert "抢答器" not in phone_row


def test_a_phone_and_the_station_mix_in_one_question(buzzing):
    """Seat 1's phone wins; then the station presses for seat 1 (too late) and seat 2 (too late):
    is each refused by the same rule a phone meets, and recorded?"""
    first_phone = buzzing["phones"][0]
    assert first_phone.send("buzz", {"client_id": "phone-1", "pressed_at": time.time() * 1000})["ok"]
    for team in buzzing["teams"][:2]:
        refused = press(buzzing["station"], team)
        assert not refused["ok"] and "已抢到" in refused["reason"], refused
    assert buzzing["host"].pump()["stage"]["holder"] == buzzing["teams"][0]
    rows = stored_presses(buzzing["contest"])
    assert [(row.team_id, row.accepted, row.connection.startswith("station:")) for row in rows] == [
        (buzzing["teams"][0], True, False), (buzzing["teams"][0], False, True), (buzzing["teams"][1], False, True)]


def test_a_key_pressed_while_the_question_is_read_is_a_foul_for_the_team_and_its_phone(hall, app, client):
    """With the station's clock measured (3 s ahead, 20 ms away), a key pressed while the question is
    read is judged by the early-buzz rule like a phone's press (a foul), the audit keeps the station's
    clock, and neither the team's phone nor the station may buzz for that team again."""
    to_buzzer_stage(hall)
    host_do(hall, "NextQuestion")
    station = open_station(app, client, hall["contest"])
    sync = clock_sync(app)
    (sid,) = [sid for sid, clock in sync.phones.items() if clock.namespace == STATION]
    now = now_ms()
    sync.estimate(sid).add(ClockSample(sent=now - 40, phone=now - 20 + 3000, received=now))
    team = hall["teams"][0]
    assert press(station, team, pressed_at=now_ms() + 3000)["ok"]  # a decision: the foul
    assert [event.kind for event in load_events(hall["contest"])][-1] == "EarlyBuzz"
    (row,) = stored_presses(hall["contest"])
    assert (round(row.offset_ms), round(row.delay_ms), row.accepted) == (3000, 20, True)
    host_do(hall, "OpenBuzzers")
    for again in (hall["phones"][0].send("buzz", {"client_id": "phone-after-foul"}), press(station, team)):
        assert not again["ok"] and "已抢答犯规" in again["reason"], again
    station.close()


def test_a_station_press_after_a_phone_of_another_team_when_the_station_won(buzzing):
    """The station presses for seat 2 first; seat 1's phone then presses: does the station's team hold it?"""
    assert press(buzzing["station"], buzzing["teams"][1], key="Digit2")["ok"]
    late = buzzing["phones"][0].send("buzz", {"client_id": "phone-late"})
    assert not late["ok"] and "已抢到" in late["reason"]
    assert buzzing["host"].pump()["stage"]["holder"] == buzzing["teams"][1]


@pytest.mark.parametrize("payload, reason", [
    ({"team": "3", "key": "Digit3"}, "team 应为队伍编号"),
    ({"team": True, "key": "Digit3"}, "team 应为队伍编号"),
    ({"team": 10**9, "key": "Digit3"}, "本场比赛没有编号为 1000000000 的队伍"),
    ({"team": None, "key": "Digit3"}, "team 应为队伍编号"),
    ({"key": "Digit3"}, "team 应为队伍编号"),
    ({"team": 1, "key": "<script>"}, "key 应为按键名称"),
    ({"team": 1, "key": "x" * 25}, "key 应为按键名称"),
    ({"team": 1}, "key 应为按键名称"),
    (["not", "a", "dict"], "数据格式错误"),
])
def test_a_malformed_station_press_is_refused_and_not_recorded(buzzing, payload, reason):
    """Is a forged or malformed press refused in Chinese, with no press recorded and no holder?"""
    ack = buzzing["station"].send("station_buzz", payload)
    assert not ack["ok"] and reason in ack["reason"], ack
    assert stored_presses(buzzing["contest"]) == []
    assert buzzing["host"].pump()["stage"].get("holder") is None


def test_a_station_cannot_press_for_a_team_of_another_contest(app, buzzing):
    """Is a team of another contest (a real team id) refused like an unknown one?"""
    stranger = make_contest(name="另一场决赛").teams_by_seat[0].id
    ack = press(buzzing["station"], stranger)
    assert ack == {"ok": False, "reason": f"本场比赛没有编号为 {stranger} 的队伍，按键未计入"}
    assert stored_presses(buzzing["contest"]) == []


def test_a_station_of_one_contest_cannot_reach_another(app, client, auth):
    """Does a station opened for contest A refuse a team of contest B even before A starts?"""
    with app.app_context():
        first, second = make_contest(ready=True), make_contest(name="第二场", ready=True)
        auth.login_as("host")
        station = open_station(app, client, first.id)
        ack = press(station, second.teams_by_seat[0].id)
        assert not ack["ok"] and "本场比赛没有编号为" in ack["reason"]
        own = press(station, first.teams_by_seat[0].id)
        assert not own["ok"] and "本场比赛没有编号为" not in own["reason"]  # a team of A: refused by the rules
        station.close()


def test_a_station_cannot_send_host_commands_or_phone_events(buzzing):
    """Is a host command or a phone's buzz sent on /station refused as not allowed?"""
    for event in ("command", "buzz", "answer"):
        ack = buzzing["station"].send(event, {"type": "Judge", "verdict": "right"})
        assert ack == {"ok": False, "reason": "无权执行此操作"}, event
    assert buzzing["host"].pump()["stage"].get("holder") is None


def test_a_flooding_station_is_refused_like_a_phone(buzzing):
    """Are a station's events held to a phone's rate: a fast run of them meets the flood refusal?"""
    acks = [buzzing["station"].send("station_buzz", {"team": "x"}) for _ in range(60)]
    assert any(ack == {"ok": False, "reason": FLOOD_REASON} for ack in acks)
    assert stored_presses(buzzing["contest"]) == []
