"""Suspense over the sockets: does the host hide, freeze and reveal the scores for the display and
the phones (never for itself), does a restarted server keep it, and is a phone's attempt refused?"""
import pytest

from contest_setup import service as setup
from storage.event_store import load_events
from tests.web.live_helpers import ViewClient, hall, host_do, matches_server_view  # noqa: F401 (hall: fixture)
from tests.web.test_live_recovery import command, first_process, host_of, restarted  # noqa: F401 (fixtures)
from tests.web.test_live_recovery import database  # noqa: F401 (fixture)

NOT_ALLOWED = {"ok": False, "reason": "无权执行此操作"}


def spread_scores(hall) -> None:
    """Start, and give the teams different scores (team i gets +i), so places are distinct."""
    host_do(hall, "StartContest")
    for bonus, team in enumerate(hall["teams"], start=1):
        host_do(hall, "AdjustScore", team=team, delta=bonus, reason="测试")


@pytest.mark.parametrize("kind", ["HideScores", "FreezeScores", "UnfreezeScores", "RevealNextPlace",
                                  "RevealAllPlaces"])
def test_a_phone_or_the_display_cannot_hide_freeze_or_reveal(hall, kind):
    """Is a forged suspense command from a team's phone (or from the display) refused, nothing stored?"""
    host_do(hall, "StartContest")
    before = len(load_events(hall["contest"]))
    assert hall["phones"][0].send("command", {"type": kind}) == NOT_ALLOWED
    assert hall["display"].send("command", {"type": kind}) == NOT_ALLOWED
    assert len(load_events(hall["contest"])) == before
    assert hall["display"].pump()["suspense"].get("mode") is None


def test_hidden_scores_leave_the_display_and_the_phones_but_not_the_host(hall):
    """While hidden, do the display and the phones hold no score or place (not even the phone's own),
    while the host sees a correction land; and does 全部揭晓 bring them back?"""
    spread_scores(hall)
    host_do(hall, "HideScores")
    team = hall["teams"][0]
    host_do(hall, "AdjustScore", team=team, delta=50, reason="评委更正")
    display, phone, host = hall["display"].pump(), hall["phones"][0].pump(), hall["host"].pump()
    assert display["suspense"]["mode"] == "hidden" and display["scores"] == {} and display["standings"] == []
    assert phone["scores"] == {} and phone["standings"] == [] and phone["me"].get("score") is None
    assert host["scores"][str(team)] == 151 and host["suspense"]["hidden"] is True
    host_do(hall, "RevealAllPlaces")
    assert hall["display"].pump()["scores"][str(team)] == 151
    assert hall["phones"][0].pump()["me"]["score"] == 151
    for client in (hall["host"], hall["display"], *hall["phones"]):
        assert matches_server_view(client)


def test_a_frozen_board_keeps_the_scores_of_the_freeze(hall):
    """While frozen, do the display and the phones keep the scores of the freeze (and its standings),
    the host the real ones; and does unfreezing show the change?"""
    spread_scores(hall)
    host_do(hall, "FreezeScores")
    team = hall["teams"][0]
    host_do(hall, "AdjustScore", team=team, delta=50, reason="评委更正")
    display = hall["display"].pump()
    assert display["suspense"]["mode"] == "frozen" and display["scores"][str(team)] == 101
    assert display["standings"][-1]["team"] == team  # last as of the freeze, first in truth
    assert hall["phones"][0].pump()["me"]["score"] == 101
    assert hall["host"].pump()["standings"][0]["team"] == team
    assert hall["host"].view["suspense"]["frozen_scores"][str(team)] == 101
    host_do(hall, "UnfreezeScores")
    assert hall["display"].pump()["scores"][str(team)] == 151 and hall["display"].view["suspense"].get("mode") is None


def test_the_ceremony_reveals_one_place_per_press_from_the_last(app, hall):
    """After the finish with the scores hidden, does each 揭晓下一名 uncover one more line, from the last
    place upward, until the winner ends the ceremony; and is the display's chart empty meanwhile?"""
    spread_scores(hall)
    for _ in range(4):
        host_do(hall, "StartStage")
        host_do(hall, "EndStage")
    host_do(hall, "HideScores")
    host_do(hall, "FinishContest")
    display = hall["display"].pump()
    assert display["status"] == "finished" and display["suspense"]["mode"] == "ceremony"
    assert display["standings"] == []
    chart = app.test_client().get(f"/display/{hall['contest']}/{display_token(hall)}/progression.json").get_json()
    assert chart["series"] == {}
    teams = hall["teams"]
    for count in range(1, len(teams) + 1):
        assert hall["host"].pump()["suspense"]["next"]["team"] == teams[count - 1]
        host_do(hall, "RevealNextPlace")
        shown = hall["display"].pump()["standings"]
        assert [line["team"] for line in shown] == teams[:count][::-1]
    assert hall["display"].view["suspense"].get("mode") is None
    assert hall["display"].view["standings"][0]["place"] == 1
    refused = hall["host"].send("command", {"type": "RevealNextPlace"})
    assert not refused["ok"] and refused["reason"] == "比分没有隐藏或冻结，无需揭晓"


def display_token(hall) -> str:
    """The display token of the hall's contest."""
    return setup.get_contest(hall["contest"]).display_token


def test_a_restarted_server_keeps_the_scores_hidden(first_process, database, monkeypatch):  # noqa: F811
    """Does a new process, replaying the log, still hide the scores from the display and show the host
    the real ones?"""
    app, client, contest_id = first_process
    with app.app_context():
        host = host_of(app, client, contest_id)
        command(host, "StartContest")
        command(host, "HideScores")
        host.close()
    app2, client2 = restarted(database, monkeypatch)
    with app2.app_context():
        token = setup.get_contest(contest_id).display_token
        display = ViewClient(app2, "/display", {"contest": contest_id, "token": token})
        host = host_of(app2, client2, contest_id)
        assert display.view["suspense"]["mode"] == "hidden" and display.view["scores"] == {}
        assert host.view["suspense"]["hidden"] and len(host.view["scores"]) == 8
        display.close()
        host.close()
