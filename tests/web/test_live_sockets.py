"""Do the host, the display and the phones see the contest they should, and only act as allowed?"""
import pytest

from contest_setup import service
from contest_setup.models import ContestStatus
from extensions import db
from live import namespaces
from storage.event_store import load_events
from tests.web.live_helpers import ViewClient, hall, host_do, matches_server_view, team_auth, to_buzzer_stage  # noqa: F401 (hall: a fixture)
from tests.web.setup_factories import make_contest


def test_an_anonymous_visitor_cannot_open_the_host_channel(app):
    """Is a connection to /host without a host login refused?"""
    with app.app_context():
        contest = make_contest(ready=True)
        anonymous = ViewClient(app, "/host", {"contest": contest.id})
        assert not anonymous.connected


def test_a_wrong_display_token_is_refused(app):
    """Does the display channel need the contest's own display token?"""
    with app.app_context():
        contest = make_contest(ready=True)
        assert not ViewClient(app, "/display", {"contest": contest.id, "token": "guess"}).connected


def test_a_forged_or_revoked_phone_is_refused(app):
    """Is a phone with a forged credential, or one revoked by the organizer, refused?"""
    from contest_setup import joining

    with app.app_context():
        team = make_contest(ready=True).teams_by_seat[0]
        assert not ViewClient(app, "/team", {"credential": "forged.value"}).connected
        credential = team_auth(team)
        joining.revoke_phones(team)
        assert not ViewClient(app, "/team", credential).connected


def test_a_non_browser_phone_gets_its_credential_from_the_join_link(app):
    """As docs/protocol.md says: is the ``team_phone`` cookie that the join page's button sets the credential a
    non-browser client passes as ``auth.credential``?"""
    import re

    from contest_setup import joining

    with app.app_context():
        team = make_contest(ready=True).teams_by_seat[2]
        link, team_id = "/join/" + joining.make_join_token(team), team.id
    cookie = app.test_client().post(link).headers["Set-Cookie"]  # the join page's button
    credential = re.match(r"team_phone=([^;]+);", cookie).group(1)
    phone = ViewClient(app, "/team", {"credential": credential})
    assert phone.connected and phone.view["me"]["team"] == team_id


def test_everyone_gets_a_snapshot_on_connect(hall):
    """Does each role receive its whole view on connecting, before the contest starts?"""
    assert hall["host"].view["status"] == "not_created"
    assert hall["host"].view["actions"] == [{"command": "StartContest"}]
    assert len(hall["display"].view["teams"]) == 8
    assert hall["phones"][0].view["me"]["team"] == hall["teams"][0]


def test_before_the_start_only_the_host_view_lists_actions(hall):
    """Do the display and the phones get no ``actions`` (docs/protocol.md: host only), while the host's
    refused list says why the others wait for the start?"""
    assert "actions" not in hall["display"].view and "actions" not in hall["phones"][0].view
    assert {"command": "NextQuestion", "reason": "比赛尚未开始"} in hall["host"].view["refused"]


def test_the_host_sees_which_phones_and_display_are_connected(hall):
    """Does the host's view count connected phones and the display?"""
    presence = hall["host"].pump()["presence"]
    assert presence["display"] == 1
    assert presence[f"team:{hall['teams'][0]}"] == 1 and presence[f"team:{hall['teams'][1]}"] == 1
    hall["phones"][1].close()
    assert f"team:{hall['teams'][1]}" not in hall["host"].pump()["presence"]


def test_starting_stores_the_contest_and_marks_it_live(app, hall):
    """Does StartContest record the configuration, start the contest and set it live?"""
    host_do(hall, "StartContest")
    assert [e.kind for e in load_events(hall["contest"])] == ["ContestCreated", "ContestStarted"]
    assert service.get_contest(hall["contest"]).status == ContestStatus.LIVE
    assert hall["display"].pump()["status"] == "running"
    assert hall["phones"][0].pump()["me"]["score"] == 100


def test_an_early_press_judged_a_foul_is_acknowledged_as_accepted(hall):
    """As docs/protocol.md says: is a press before the opening, judged a foul, acknowledged ``ok: true``
    (the foul is a decision), with the phone learning the foul from its view?"""
    to_buzzer_stage(hall)
    host_do(hall, "NextQuestion")
    phone = hall["phones"][0]
    ack = phone.send("buzz", {"client_id": "early-1"})
    assert ack["ok"] and isinstance(ack["seq"], int), ack
    view = phone.pump()
    assert view["me"]["out"] and view["stage"]["fouls"] == [hall["teams"][0]]


def test_a_buzzer_question_from_open_to_verdict(hall):
    """Does the first phone to buzz win, the second get refused, and everyone see the result?"""
    to_buzzer_stage(hall)
    host_do(hall, "NextQuestion")
    host_do(hall, "OpenBuzzers")
    first, second = hall["phones"]
    assert first.pump()["me"]["can_buzz"]
    ack = first.send("buzz", {"client_id": "p1-1"})
    assert ack["ok"], ack
    refused = second.send("buzz", {"client_id": "p2-1"})
    assert not refused["ok"] and "已抢到" in refused["reason"]
    assert hall["display"].pump()["stage"]["holder"] == hall["teams"][0]
    assert "answer" not in hall["display"].view["stage"]["question"]
    assert "answer" in hall["host"].pump()["stage"]["question"]
    host_do(hall, "Judge", verdict="right")
    assert first.pump()["me"]["score"] == 110
    assert any(event["kind"] == "Judged" for event in hall["display"].pump() and hall["display"].events)
    for client in (hall["host"], hall["display"], first, second):
        assert matches_server_view(client)


def test_a_retried_command_counts_once(hall):
    """Does a phone that resends its buzz with the same client id get the same answer, once?"""
    to_buzzer_stage(hall)
    host_do(hall, "NextQuestion")
    host_do(hall, "OpenBuzzers")
    phone = hall["phones"][0]
    first = phone.send("buzz", {"client_id": "same"})
    again = phone.send("buzz", {"client_id": "same"})
    assert first == again and first["ok"]
    assert sum(1 for e in load_events(hall["contest"]) if e.kind == "BuzzWon") == 1


def test_a_phone_cannot_send_host_commands(hall):
    """Is a host command sent from a phone refused, and nothing stored?"""
    host_do(hall, "StartContest")
    before = len(load_events(hall["contest"]))
    ack = hall["phones"][0].send("command", {"type": "StartStage"})
    assert ack == {"ok": False, "reason": "无权执行此操作"}
    assert len(load_events(hall["contest"])) == before


def test_a_team_acts_only_for_itself(hall):
    """Is a team named in a phone's payload ignored in favour of the phone's own team?"""
    to_buzzer_stage(hall)
    host_do(hall, "NextQuestion")
    host_do(hall, "OpenBuzzers")
    assert hall["phones"][1].send("buzz", {"team": hall["teams"][0]})["ok"]
    assert hall["host"].pump()["stage"]["holder"] == hall["teams"][1]


@pytest.mark.parametrize("payload, reason", [
    ({"type": "Explode"}, "未知的操作"),
    ({"type": "Judge", "verdict": 5}, "verdict"),
    ({"type": "AdjustScore", "team": "1", "delta": 5, "reason": "x"}, "team 应为整数"),
    ({"type": "AdjustScore", "team": 1, "delta": 5, "reason": "长" * 1000}, "数据过大"),
    (["not", "a", "dict"], "数据格式错误"),
])
def test_malformed_host_payloads_are_refused(hall, payload, reason):
    """Does a malformed payload get a clear refusal without touching the contest?"""
    host_do(hall, "StartContest")
    ack = hall["host"].client.emit("command", payload, namespace="/host", callback=True)
    assert not ack["ok"] and reason in ack["reason"]
    assert len(load_events(hall["contest"])) == 2


def test_a_refusal_reads_for_the_host(hall):
    """Does an illegal command come back with the engine's reason in Chinese?"""
    host_do(hall, "StartContest")
    ack = hall["host"].send("command", {"type": "OpenBuzzers"})
    assert ack == {"ok": False, "reason": "当前不在任何环节中，请先开始一个环节"}


def test_a_draft_contest_cannot_start(app, client, auth):
    """Is StartContest refused while the organizer has not marked the contest ready?"""
    with app.app_context():
        contest = make_contest(ready=False)
        auth.login_as("host")
        host = ViewClient(app, "/host", {"contest": contest.id}, client)
        ack = host.send("command", {"type": "StartContest"})
        assert not ack["ok"] and ack["reason"].startswith("只有就绪的比赛可以开始")
        assert load_events(contest.id) == []


def test_clock_sync_echoes_the_send_time(hall):
    """Does a clock ping come back with the client's time and the server's?"""
    reply = hall["phones"][0].send("clock", {"t0": 12345})
    assert reply["t0"] == 12345 and reply["server_now"] > 1_600_000_000_000


def test_finishing_marks_the_contest_finished(app, hall):
    """Does the engine's FinishContest move the contest to finished?"""
    host_do(hall, "StartContest")
    for _ in range(4):
        host_do(hall, "StartStage")
        host_do(hall, "EndStage")
    ack = hall["host"].send("command", {"type": "FinishContest"})
    if not ack["ok"]:  # everyone is tied at the base score: the prizes need tiebreaks first
        assert "请先加赛" in ack["reason"]
        return
    db.session.expire_all()
    assert service.get_contest(hall["contest"]).status == ContestStatus.FINISHED


def test_the_host_can_mute_the_display(hall):
    """Does the host's mute reach the display's view, without storing a contest event?"""
    before = len(load_events(hall["contest"]))
    assert hall["host"].send("mute", {"muted": True}) == {"ok": True, "muted": True}
    assert hall["display"].pump()["muted"] is True
    assert not hall["host"].send("mute", {"muted": "yes"})["ok"]
    assert hall["host"].send("mute", {"muted": False})["ok"]
    assert "muted" not in hall["display"].pump() or hall["display"].view["muted"] is False
    assert len(load_events(hall["contest"])) == before
    assert hall["phones"][0].send("mute", {"muted": True}) == {"ok": False, "reason": "无权执行此操作"}


def test_a_connecting_phone_holds_no_database_connection_while_it_waits_for_the_contest(app, monkeypatch):
    """A whole hall connecting at once queues for the contest's lock: none may hold a pooled connection meanwhile."""
    in_transaction = []
    real_join = namespaces.join

    def watched_join(*args, **kwargs):
        in_transaction.append(db.session().in_transaction())
        return real_join(*args, **kwargs)

    monkeypatch.setattr(namespaces, "join", watched_join)
    with app.app_context():
        contest = make_contest(ready=True)
        credential = team_auth(contest.teams_by_seat[0])
        db.session.commit()
    phone = ViewClient(app, "/team", credential)
    assert phone.connected and phone.view["teams"]
    assert in_transaction == [False]
    phone.close()
