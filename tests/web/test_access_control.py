"""Does every page open only to the role it is for, and does a team's phone open only its own page?"""
import re
from fnmatch import fnmatch

import pytest
from flask import url_for

from contest_setup import joining
from contest_setup.models import Contest, ContestTeam
from extensions import db
from question_bank.models import QuestionBank
from tests.web.setup_factories import make_contest

ORGANIZER_PAGES = [
    ("GET", "/contests/"),
    ("GET", "/contests/new"),
    ("POST", "/contests/new"),
    ("GET", "/contests/{c}"),
    ("POST", "/contests/{c}/settings"),
    ("POST", "/contests/{c}/status"),
    ("POST", "/contests/{c}/delete"),
    ("GET", "/contests/{c}/stages"),
    ("POST", "/contests/{c}/stages/add"),
    ("GET", "/contests/{c}/stages/{s}"),
    ("POST", "/contests/{c}/stages/{s}"),
    ("POST", "/contests/{c}/stages/{s}/move"),
    ("POST", "/contests/{c}/stages/{s}/delete"),
    ("GET", "/contests/{c}/teams"),
    ("POST", "/contests/{c}/teams/add"),
    ("POST", "/contests/{c}/teams/import"),
    ("GET", "/contests/{c}/teams/{t}"),
    ("POST", "/contests/{c}/teams/{t}"),
    ("POST", "/contests/{c}/teams/{t}/delete"),
    ("POST", "/contests/{c}/teams/{t}/revoke"),
    ("POST", "/contests/{c}/teams/{t}/reissue"),
    ("GET", "/contests/{c}/join-sheet"),
    ("GET", "/contests/{c}/branding"),
    ("POST", "/contests/{c}/branding"),
    ("POST", "/contests/{c}/branding/logo"),
    ("GET", "/contests/{c}/questions"),
    ("POST", "/contests/{c}/questions/banks"),
    ("POST", "/contests/{c}/questions/draw"),
    ("GET", "/contests/{c}/questions/{q}/swap"),
    ("POST", "/contests/{c}/questions/{q}/swap"),
    ("POST", "/contests/{c}/day"),
    ("GET", "/users"),
    ("POST", "/users"),
]
"""Every page only organizers may open (a test below checks that no set-up page is missing)."""

BANK_PAGES = [
    ("GET", "/banks/"),
    ("POST", "/banks/upload"),
    ("GET", "/banks/{b}"),
    ("POST", "/banks/{b}/delete"),
    ("GET", "/banks/{b}/export.csv"),
    ("GET", "/banks/template.xlsx"),
]
"""Question-bank pages: organizers only (a host cannot edit banks)."""

HOST_PAGES = [("GET", "/contests/hosting")]
"""Pages a host may open (organizers too)."""


@pytest.fixture
def ids(app):
    """Ids of a ready contest with one of its stages, teams and drawn questions, and of its bank."""
    with app.app_context():
        contest = make_contest(ready=True, team_count=2)

        return {
            "c": contest.id,
            "s": contest.stages[0].id,
            "t": contest.teams[0].id,
            "q": contest.stages[0].questions[0].id,
            "b": db.session.query(QuestionBank).first().id,
        }


def request(client, method, template, ids):
    """Send ``method`` to ``template`` filled with ``ids``."""
    return client.open(template.format(**ids), method=method)


def is_login_redirect(response):
    """Whether ``response`` sends the visitor to the login page."""
    return response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("method, path", ORGANIZER_PAGES + BANK_PAGES + HOST_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, ids, method, path):
    """Does every organizer, bank and host page send an anonymous visitor to the login page?"""
    assert is_login_redirect(request(client, method, path, ids))


@pytest.mark.parametrize("method, path", ORGANIZER_PAGES + BANK_PAGES)
def test_hosts_are_refused_organizer_pages(client, auth, ids, method, path):
    """Is a host refused (403) every set-up, account and bank page: no editing for hosts?"""
    auth.login_as("host")
    assert request(client, method, path, ids).status_code == 403


@pytest.mark.parametrize("method, path", [(m, p) for m, p in ORGANIZER_PAGES if m == "GET"] + HOST_PAGES)
def test_organizers_open_their_pages(client, auth, ids, method, path):
    """Does an organizer open every set-up page and the host list?"""
    auth.login_as("organizer")
    assert request(client, method, path, ids).status_code == 200


@pytest.mark.parametrize("method, path", HOST_PAGES)
def test_hosts_open_the_host_list(client, auth, ids, method, path):
    """Does a host open the list of contests to run?"""
    auth.login_as("host")
    assert request(client, method, path, ids).status_code == 200


def test_the_table_covers_every_set_up_page(app):
    """Is every route of the set-up blueprint in the tables above, so none is left unchecked?"""
    listed = [(method, path.format(c=1, s=1, t=1, q=1)) for method, path in ORGANIZER_PAGES + HOST_PAGES]
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("contest_setup."):
            continue
        pattern = re.sub(r"<[^>]+>", "*", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert any(m == method and fnmatch(p, pattern) for m, p in listed), f"{method} {rule.rule} is not listed"


# --- team phones ---------------------------------------------------------------------------------


def bind(app, client, team_id):
    """Open ``team_id``'s join link with ``client`` (the phone)."""
    with app.test_request_context():
        token = joining.make_join_token(db.session.get(ContestTeam, team_id))
        path = url_for("contest_public.join", token=token)
    assert client.post(path).status_code == 302
    return path


@pytest.mark.parametrize("method, path", ORGANIZER_PAGES + BANK_PAGES + HOST_PAGES)
def test_a_team_phone_opens_no_staff_page(app, client, ids, method, path):
    """With a bound phone's credential, is every organizer, bank and host page still closed?"""
    bind(app, client, ids["t"])
    assert is_login_redirect(request(client, method, path, ids))


def test_a_team_phone_sees_only_its_own_team(app, client, ids):
    """Does the team page of a bound phone show its team and no other team's name?"""
    bind(app, client, ids["t"])
    with app.app_context():
        teams = db.session.get(Contest, ids["c"]).teams
        own = next(t.name for t in teams if t.id == ids["t"])
        others = [t.name for t in teams if t.id != ids["t"]]
    page = client.get("/team").get_data(as_text=True)
    assert own in page and not any(name in page for name in others)


def test_a_team_phone_cannot_open_the_display_without_its_token(app, client, ids):
    """Does a team credential not replace the display token?"""
    bind(app, client, ids["t"])
    assert client.get(f"/display/{ids['c']}/guess").status_code == 404


def organizer_client(app):
    """A second browser, logged in as the contest's organizer."""
    organizer = app.test_client()
    organizer.post("/login", data={"username": "organizer-user", "password": "password123"})
    return organizer


def test_a_revoked_phone_is_refused_at_once(app, client, ids):
    """When the organizer revokes a team's phones, is the bound phone refused on its next request?"""
    bind(app, client, ids["t"])
    organizer_client(app).post(f"/contests/{ids['c']}/teams/{ids['t']}/revoke")
    assert client.get("/team").status_code == 403


def test_a_reissued_link_kills_the_old_one(app, client, ids):
    """When the organizer re-issues a team's link, does the old link stop working?"""
    old_path = bind(app, app.test_client(), ids["t"])
    organizer_client(app).post(f"/contests/{ids['c']}/teams/{ids['t']}/reissue")
    assert client.get(old_path).status_code == 404
    assert client.get("/team").status_code == 403


# --- CSRF ----------------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(app):
    """The app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def csrf_token(client, path):
    """The CSRF token of the form on ``path``."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_forms_without_a_csrf_token_are_refused(csrf_app, ids):
    """Are the login form and an organizer form refused (400) without a CSRF token, and accepted with it?"""
    client = csrf_app.test_client()
    login = {"username": "organizer-user", "password": "password123"}
    assert client.post("/login", data=login).status_code == 400
    token = csrf_token(client, "/login")
    logged_in = client.post("/login", data={**login, "csrf_token": token})
    assert logged_in.status_code == 302
    refused = client.post(f"/contests/{ids['c']}/teams/{ids['t']}/revoke")
    assert refused.status_code == 400
    assert client.post("/contests/new", data={"name": "偷偷建的比赛", "template": "final"}).status_code == 400
    token = csrf_token(client, "/contests/new")
    created = client.post("/contests/new", data={"name": "正常建的比赛", "template": "final", "csrf_token": token})
    assert created.status_code == 302
