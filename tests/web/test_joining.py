"""Does a team's phone join by its link, stay bound across reloads, and lose access when revoked?"""
import re

import pytest
from flask import url_for

import config as app_config
from contest_setup import joining
from contest_setup.models import Contest, ContestTeam
from extensions import db
from factory import create_app
from tests.web.setup_factories import make_contest


@pytest.fixture
def contest_id(app):
    """A ready contest with 8 teams."""
    with app.app_context():
        return make_contest(ready=True).id


def join_path(app, team_id):
    """The path of the current join link of ``team_id``."""
    with app.test_request_context():
        return url_for("contest_public.join", token=joining.make_join_token(db.session.get(ContestTeam, team_id)))


def team_ids(app, contest_id):
    """The contest's team ids in seat order."""
    with app.app_context():
        return [team.id for team in db.session.get(Contest, contest_id).teams_by_seat]


def test_pressing_join_binds_the_phone_and_opens_the_team_page(app, client, contest_id):
    """Does the join button set an HttpOnly, SameSite cookie and show the team's name, seat and colour?"""
    first = team_ids(app, contest_id)[0]
    response = client.post(join_path(app, first))
    assert response.status_code == 302 and response.headers["Location"].endswith("/team")
    cookie = response.headers["Set-Cookie"]
    assert "team_phone=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    page = client.get("/team").get_data(as_text=True)
    assert "测试1队" in page and "team-1" in page and "等待比赛开始" in page


def test_opening_the_link_binds_nothing(app, client, contest_id):
    """Does a GET of the join link (a chat app's link preview, a scanner's title fetch) only show the
    team and a button, binding no phone and setting no phone cookie?"""
    first = team_ids(app, contest_id)[0]
    path = join_path(app, first)
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200
        assert "team_phone" not in response.headers.get("Set-Cookie", "")
    page = response.get_data(as_text=True)
    assert "测试1队" in page and "加入本队" in page and f'action="{path}"' in page and 'method="post"' in page
    assert client.get("/team").status_code == 403
    with app.app_context():
        assert db.session.get(ContestTeam, first).phones == []


def test_a_bound_phone_opening_its_link_goes_to_its_page(app, client, contest_id):
    """Does a phone already bound to the team skip the button, without being counted twice?"""
    first = team_ids(app, contest_id)[0]
    path = join_path(app, first)
    client.post(path)
    assert client.get(path).headers["Location"].endswith("/team")
    assert client.post(path).status_code == 302
    with app.app_context():
        assert len(db.session.get(ContestTeam, first).phones) == 1


def test_the_phone_rejoins_its_team_after_a_reload(app, client, contest_id):
    """After the link, does every later visit to /team (a reload, a new tab) still show the same team?"""
    second = team_ids(app, contest_id)[1]
    client.post(join_path(app, second))
    for _ in range(3):
        assert "测试2队" in client.get("/team").get_data(as_text=True)


def test_a_phone_without_a_credential_is_told_to_scan(client, contest_id):
    """Does /team without a credential refuse with a Chinese explanation?"""
    response = client.get("/team")
    assert response.status_code == 403
    assert "请扫描本队加入二维码" in response.get_data(as_text=True)


def test_a_forged_or_altered_link_is_refused(app, client, contest_id):
    """Is a link with a changed character, or another app's signature, refused?"""
    path = join_path(app, team_ids(app, contest_id)[0])
    altered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert client.get(altered).status_code == 404 and client.post(altered).status_code == 404
    assert client.get("/join/not-a-token").status_code == 404
    assert "链接无效或已失效" in client.get("/join/not-a-token").get_data(as_text=True)


def test_a_credential_names_its_phone_and_dies_when_revoked(app, contest_id):
    """Does the helper the live layer uses find the phone of a valid credential only?"""
    first = team_ids(app, contest_id)[0]
    with app.app_context():
        team = db.session.get(ContestTeam, first)
        credential = joining.new_phone_credential(team)
        phone = joining.phone_for_credential(credential)
        assert (phone.team.contest_id, phone.team_id) == (contest_id, first)
        assert joining.phone_for_credential(credential + "x") is None
        assert joining.phone_for_credential(None) is None
        joining.revoke_phones(team)
        assert joining.phone_for_credential(credential) is None


def test_a_credential_signed_with_another_key_is_refused(app, contest_id, new_database):
    """Can a credential from another installation (another secret key) not open a team here?"""
    first = team_ids(app, contest_id)[0]
    with app.app_context():
        team = db.session.get(ContestTeam, first)
        credential = joining.new_phone_credential(team)
        other = create_app(app_config.TestConfig(new_database("other.db")))
        other.secret_key = "another-secret"
        with other.app_context():
            from itsdangerous import URLSafeSerializer

            payload = URLSafeSerializer(app.secret_key, salt=joining.PHONE_SALT).loads(credential)
            forged = URLSafeSerializer(other.secret_key, salt=joining.PHONE_SALT).dumps(payload)
        assert joining.phone_for_credential(forged) is None


def test_revoke_then_rejoin_with_the_same_link(app, client, contest_id):
    """After a revoke, is the phone out at once, and can it join again with the team's link?"""
    first = team_ids(app, contest_id)[0]
    path = join_path(app, first)
    client.post(path)
    with app.app_context():
        joining.revoke_phones(db.session.get(ContestTeam, first))
    assert client.get("/team").status_code == 403
    client.post(path)
    assert client.get("/team").status_code == 200


def test_reissue_kills_the_old_link_but_not_the_bound_phone(app, client, contest_id):
    """After a re-issue, is the old link dead, the new one alive, and an already bound phone still in?"""
    first = team_ids(app, contest_id)[0]
    old = join_path(app, first)
    client.post(old)
    with app.app_context():
        joining.reissue_link(db.session.get(ContestTeam, first))
    stranger = app.test_client()
    assert stranger.post(old).status_code == 404
    assert stranger.post(join_path(app, first)).status_code == 302
    assert client.get("/team").status_code == 200


def test_display_link_needs_its_token(app, client, contest_id):
    """Is the projector page refused with a wrong token and shown with the right one?"""
    with app.app_context():
        token = db.session.get(Contest, contest_id).display_token
    assert client.get(f"/display/{contest_id}/wrong").status_code == 404
    assert client.get(f"/display/{contest_id + 1}/{token}").status_code == 404
    page = client.get(f"/display/{contest_id}/{token}").get_data(as_text=True)
    assert page.count("<svg") == 8 and "测试8队" in page


def test_display_shows_a_tick_for_each_team_whose_phone_is_in(app, client, contest_id):
    """After one phone joins, does the join screen count 1 / 8 and tick that team only?"""
    first = team_ids(app, contest_id)[0]
    app.test_client().post(join_path(app, first))
    with app.app_context():
        token = db.session.get(Contest, contest_id).display_token
    page = client.get(f"/display/{contest_id}/{token}").get_data(as_text=True)
    assert page.count("dj-card team-") == 8
    assert page.count(" joined") == 1
    assert "<b>1</b> / 8" in page
    assert not re.findall(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert not re.findall(r"\son[a-z]+=", page), "inline event handler"


# --- the address in links and QR codes ---------------------------------------------------------------


def base_url_for(app, **request_args):
    """What :func:`joining.public_base_url` gives for a request made with ``request_args``."""
    with app.test_request_context("/", **request_args):
        return joining.public_base_url()


def test_public_url_setting_wins(app):
    """When PUBLIC_URL is set, do links use it whatever the request?"""
    app.config["PUBLIC_URL"] = "https://quiz.example.cn/"
    assert base_url_for(app, base_url="http://127.0.0.1:5000") == "https://quiz.example.cn"


def test_localhost_on_a_listening_server_gives_the_lan_address(app, monkeypatch):
    """Browsing on the laptop itself with HOST=0.0.0.0, do links use the laptop's LAN address?"""
    app.config["HOST"] = "0.0.0.0"
    monkeypatch.setattr(joining, "detect_lan_ip", lambda: "192.168.1.23")
    assert base_url_for(app, base_url="http://localhost:5000") == "http://192.168.1.23:5000"


def test_the_request_host_is_used_otherwise(app):
    """Browsing from another machine, do links use the address that machine used?"""
    app.config["HOST"] = "0.0.0.0"
    assert base_url_for(app, base_url="http://10.0.0.5:5000") == "http://10.0.0.5:5000"


def test_a_trusted_proxy_sets_the_address(new_database):
    """Behind one trusted reverse proxy, do the join links use the forwarded scheme and host?"""
    config = app_config.TestConfig(new_database("proxy.db"))
    config.TRUSTED_PROXIES = 1
    proxied = create_app(config)
    with proxied.app_context():
        contest_id = make_contest().id
    client = proxied.test_client()
    client.post("/login", data={"username": "organizer-user", "password": "password123"})
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "contest.example.cn", "X-Forwarded-For": "10.1.1.1"}
    page = client.get(f"/contests/{contest_id}/teams", headers=headers).get_data(as_text=True)
    shown = re.findall(r'<code class="url" title="([^"]+)">([^<]+)</code>', page)
    assert len(shown) == 8 and all(title == text.strip() and text.startswith("https://contest.example.cn/join/")
                                   for title, text in shown)
