"""Can the display link or a phone take over a team (issue 15, items 3 and 4)?

* the display page carries no join code once the contest has started, unless the organizer shows
  them again, and the display link can be renewed (the open page is cut);
* a team holds at most ``phones_per_team`` phones (2 by default); the host console sees them and
  can drop one, whose credential then stops working;
* a credential of a deleted team does not open the team that gets the same id next.
"""
import sqlalchemy as sa
from flask import url_for

from contest_setup import joining, service
from contest_setup.models import Contest, ContestTeam, TeamPhone
from extensions import db
from tests.web.live_helpers import ViewClient
from tests.web.setup_factories import make_contest


def ready_contest(app, team_count: int = 2) -> int:
    """A ready contest; its id."""
    with app.app_context():
        return make_contest(ready=True, team_count=team_count).id


def first_team(app, contest_id: int) -> int:
    """The id of the contest's team in seat 1."""
    with app.app_context():
        return db.session.get(Contest, contest_id).teams_by_seat[0].id


def join_path(app, team_id: int) -> str:
    """The join link's path of ``team_id``."""
    with app.test_request_context():
        return url_for("contest_public.join", token=joining.make_join_token(db.session.get(ContestTeam, team_id)))


def display_page(app, contest_id: int) -> str:
    """The projector page, opened with its current token."""
    with app.app_context():
        token = db.session.get(Contest, contest_id).display_token
    return app.test_client().get(f"/display/{contest_id}/{token}").get_data(as_text=True)


def start(app, client, auth, contest_id: int) -> ViewClient:
    """The contest's host starts it; the host's live connection."""
    auth.login_as("host")
    host = ViewClient(app, "/host", {"contest": contest_id}, client)
    assert host.send("command", {"type": "StartContest"})["ok"]
    return host


def organizer(app):
    """A browser logged in as the contest's organizer."""
    browser = app.test_client()
    browser.post("/login", data={"username": "organizer-user", "password": "password123"})
    return browser


# --- item 3: the display link and the join codes --------------------------------------------------


def test_the_display_hides_the_join_codes_once_the_contest_starts(app, client, auth):
    """Before the start the display carries every team's join code; after it, none (no QR, no join link)."""
    contest_id = ready_contest(app)
    with app.app_context():
        token = joining.make_join_token(db.session.get(Contest, contest_id).teams_by_seat[0])
    before = display_page(app, contest_id)
    assert before.count("<svg") == 2 and 'data-codes="shown"' in before
    start(app, client, auth, contest_id)
    after = display_page(app, contest_id)
    assert "<svg" not in after and "/join/" not in after and token not in after
    assert "二维码已隐藏" in after and 'data-codes="hidden"' in after


def test_the_organizer_shows_the_codes_again_and_the_display_follows(app, client, auth):
    """Does 'show again' put the codes back on the page and tell the open display at once, and 'hide' remove them?"""
    contest_id = ready_contest(app)
    start(app, client, auth, contest_id)
    with app.app_context():
        token = db.session.get(Contest, contest_id).display_token
    display = ViewClient(app, "/display", {"contest": contest_id, "token": token})
    assert display.view["join_codes"] is False
    boss = organizer(app)
    boss.post(f"/contests/{contest_id}/day", data={"action": "show_codes"})
    assert display.pump()["join_codes"] is True
    assert display_page(app, contest_id).count("<svg") == 2
    boss.post(f"/contests/{contest_id}/day", data={"action": "hide_codes"})
    assert display.pump()["join_codes"] is False
    assert "<svg" not in display_page(app, contest_id)


def test_renewing_the_display_link_cuts_the_old_one(app):
    """After 'new display link', is the old link 404, its open page cut and refused, and the new one working?"""
    contest_id = ready_contest(app)
    with app.app_context():
        old = db.session.get(Contest, contest_id).display_token
    display = ViewClient(app, "/display", {"contest": contest_id, "token": old})
    assert display.connected
    organizer(app).post(f"/contests/{contest_id}/day", data={"action": "renew_display"})
    with app.app_context():
        new = db.session.get(Contest, contest_id).display_token
    assert new != old
    assert not display.connected
    assert not ViewClient(app, "/display", {"contest": contest_id, "token": old}).connected
    assert app.test_client().get(f"/display/{contest_id}/{old}").status_code == 404
    assert app.test_client().get(f"/display/{contest_id}/{new}").status_code == 200


def test_a_host_sees_only_the_display_links_of_its_contests(app, client, auth):
    """Does the host list show the display link of the contests the host is assigned to only?"""
    with app.app_context():
        mine = make_contest(ready=True, team_count=2)
        theirs = make_contest("别人的比赛", ready=True, team_count=2)
        theirs.hosts = []
        db.session.commit()
        tokens = mine.display_token, theirs.display_token
    auth.login_as("host")
    page = client.get("/contests/hosting").get_data(as_text=True)
    assert tokens[0] in page and tokens[1] not in page and "别人的比赛" not in page


# --- item 3: phones per team ----------------------------------------------------------------------


def test_a_team_holds_at_most_its_phones_per_team(app):
    """Are the first two phones bound, the third refused with the reason, and a raised limit honoured?"""
    contest_id = ready_contest(app)
    team_id = first_team(app, contest_id)
    path = join_path(app, team_id)
    phones = [app.test_client() for _ in range(3)]
    assert [phone.post(path).status_code for phone in phones[:2]] == [302, 302]
    refused = phones[2].post(path)
    assert refused.status_code == 409 and "已达上限" in refused.get_data(as_text=True)
    assert "team_phone" not in refused.headers.get("Set-Cookie", "")
    assert phones[2].get("/team").status_code == 403
    organizer(app).post(f"/contests/{contest_id}/day", data={"action": "phones", "phones_per_team": "3"})
    assert phones[2].post(path).status_code == 302 and phones[2].get("/team").status_code == 200


def test_phones_per_team_is_checked(app):
    """Is a limit outside 1–8 or not a number refused with the reason, keeping the old one?"""
    contest_id = ready_contest(app)
    boss = organizer(app)
    for value in ("0", "9", "两部", ""):
        page = boss.post(f"/contests/{contest_id}/day", data={"action": "phones", "phones_per_team": value},
                         follow_redirects=True).get_data(as_text=True)
        assert "每队手机数应为 1–8 的整数" in page
    with app.app_context():
        assert db.session.get(Contest, contest_id).phones_per_team == 2


def test_a_phone_that_joins_another_team_leaves_its_first_one(app):
    """Does a phone scanning another team's code free its place in the first team?"""
    contest_id = ready_contest(app)
    with app.app_context():
        first, second = (team.id for team in db.session.get(Contest, contest_id).teams_by_seat)
    phone = app.test_client()
    phone.post(join_path(app, first))
    phone.post(join_path(app, second))
    with app.app_context():
        assert db.session.get(ContestTeam, first).phones == []
        assert len(db.session.get(ContestTeam, second).phones) == 1


def test_the_host_sees_a_teams_phones_and_drops_one(app, client, auth):
    """Does the host's view list each team's phones (online or not), and does dropping one cut it, refuse its
    credential, free its place, and leave the other phone alone?"""
    contest_id = ready_contest(app)
    team_id = first_team(app, contest_id)
    path = join_path(app, team_id)
    kept, dropped = app.test_client(), app.test_client()
    kept.post(path), dropped.post(path)
    auth.login_as("host")
    host = ViewClient(app, "/host", {"contest": contest_id}, client)
    kept_live = ViewClient(app, "/team", {}, kept)
    dropped_live = ViewClient(app, "/team", {}, dropped)
    phones = host.pump()["phones"][str(team_id)]
    assert [(p["label"], p["online"]) for p in phones] == [("手机 1", 1), ("手机 2", 1)]

    assert host.send("drop_phone", {"phone": phones[1]["id"]}) == {"ok": True}
    assert not dropped_live.connected and kept_live.connected
    assert [p["label"] for p in host.pump()["phones"][str(team_id)]] == ["手机 1"]
    assert dropped.get("/team").status_code == 403 and kept.get("/team").status_code == 200
    assert not ViewClient(app, "/team", {}, dropped).connected
    assert app.test_client().post(path).status_code == 302  # the place is free again


def test_a_host_cannot_drop_another_contests_phone(app, client, auth):
    """Is a phone of another contest, an unknown id or a malformed payload refused, dropping nothing?"""
    contest_id = ready_contest(app)
    with app.app_context():
        other = make_contest("另一场", ready=True, team_count=2)
        other_phone = joining.add_phone(other.teams_by_seat[0]).id
    auth.login_as("host")
    host = ViewClient(app, "/host", {"contest": contest_id}, client)
    for payload in ({"phone": other_phone}, {"phone": 999_999}, {"phone": "1"}, {"phone": True}, [1], None):
        ack = host.send("drop_phone", payload)
        assert ack["ok"] is False and "不存在" in ack["reason"], payload
    with app.app_context():
        assert db.session.get(TeamPhone, other_phone) is not None


# --- item 4: a deleted team's phone -----------------------------------------------------------------


def hand_out_next(model, freed_id: int) -> None:
    """Make the next row of ``model`` get ``freed_id``: SQLite gives the highest freed id again by
    itself; PostgreSQL's sequence never does, unless it is set back (as a restore from a dump can)."""
    if db.engine.dialect.name == "postgresql":
        table = model.__tablename__
        db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {freed_id - 1})"))


def test_a_deleted_teams_phone_does_not_become_the_next_teams_phone(app):
    """When a team is deleted and a new team gets its id, is the old team's phone credential refused?"""
    with app.app_context():
        contest = make_contest(drawn=False, team_count=2)
        last = contest.teams_by_seat[-1]
        team_id, contest_id = last.id, contest.id
    phone = app.test_client()
    phone.post(join_path(app, team_id))
    credential = phone.get_cookie("team_phone").value
    with app.app_context():
        contest = db.session.get(Contest, contest_id)
        service.delete_team(db.session.get(ContestTeam, team_id))
        hand_out_next(ContestTeam, team_id)
        from contest_setup.roster import TeamEntry

        newcomer = service.add_team(contest, TeamEntry(name="新来的队", company="", members=[], alternates=[], seat=None))
        assert newcomer.id == team_id
        joining.add_phone(newcomer)
        assert joining.phone_for_credential(credential) is None
    assert phone.get("/team").status_code == 403
    assert not ViewClient(app, "/team", {"credential": credential}).connected


def test_a_team_from_an_earlier_version_gets_a_phone_secret_on_its_first_phone(app):
    """A team stored before phone secrets existed (empty secret): is no credential accepted until a phone
    joins, and then only that phone's?"""
    contest_id = ready_contest(app)
    team_id = first_team(app, contest_id)
    with app.app_context():
        db.session.execute(sa.update(ContestTeam).where(ContestTeam.id == team_id).values(phone_secret=""))
        db.session.commit()
    phone = app.test_client()
    assert phone.post(join_path(app, team_id)).status_code == 302
    with app.app_context():
        assert db.session.get(ContestTeam, team_id).phone_secret
    assert phone.get("/team").status_code == 200
