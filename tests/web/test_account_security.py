"""Can someone in the hall take the accounts over (issue 15, items 1, 2 and the login timing of 11)?

* the demo logins (public passwords) are not created on a server listening beyond loopback unless
  asked for, and a server exposing them says so at start and on every logged-in page;
* passwords are never command-line arguments and follow rules; names are NFKC, case-insensitive;
* change password, disable and delete, on the pages and the command line;
* logout, a new password and disabling end every session of the user, and a session ends a fixed
  time after the login however much it is used;
* an unknown user name costs the same password check as a known one.
"""
import time

import pytest
import sqlalchemy as sa

from accounts import hashing, sessions
from accounts.models import User
from accounts.service import AccountError, create_user, find_user
from contest_setup.cli import DEMO_CONTEST_NAME
from contest_setup.models import Contest
from extensions import db

PASSWORD = "Harbour-lights-9"


def count(app, model) -> int:
    """How many rows of ``model`` exist."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def make_user(app, name: str, role: str = "host", password: str = PASSWORD) -> int:
    """Create a user; its id."""
    with app.app_context():
        return create_user(name, password, role).id


def log_in(client, name: str, password: str = PASSWORD):
    """Post the login form."""
    return client.post("/login", data={"username": name, "password": password})


def logged_in(client) -> bool:
    """Whether ``client`` is let into the home page."""
    return client.get("/").status_code == 200


# --- item 1: demo logins on event day -------------------------------------------------------------


def test_the_demo_is_not_created_when_listening_beyond_loopback(app, runner):
    """With HOST=0.0.0.0, does `flask demo` create no login and no contest, and say how to ask for it?"""
    app.config["HOST"] = "0.0.0.0"
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "未创建演示账号" in result.output and "DEMO=1" in result.output and "--force" in result.output
    assert "demo-organizer" not in result.output
    assert count(app, User) == 0 and count(app, Contest) == 0


@pytest.mark.parametrize("ask", [["demo", "--force"], "DEMO=1"])
def test_the_demo_beyond_loopback_only_when_asked_for(app, runner, ask):
    """Do --force or DEMO=1 create the demo on a server listening beyond loopback?"""
    app.config["HOST"] = "0.0.0.0"
    result = runner.invoke(args=ask) if isinstance(ask, list) else runner.invoke(args=["demo"], env={"DEMO": "1"})
    assert result.exit_code == 0, result.output
    assert "organizer / demo-organizer" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(Contest).where(Contest.name == DEMO_CONTEST_NAME)) is not None


def test_exposed_demo_logins_are_announced_at_start_and_on_the_console(app, runner, client, capsys):
    """Listening beyond loopback with an enabled demo login: does the start-up output warn, and every
    logged-in page (the host console too), until the demo logins are disabled?"""
    from app import warn_about_demo_logins

    runner.invoke(args=["demo"])
    with app.app_context():
        contest_id = db.session.scalar(sa.select(Contest.id))
    app.config["HOST"] = "0.0.0.0"
    warn_about_demo_logins(app)
    started = capsys.readouterr().out
    assert "安全警告" in started and "organizer" in started and "host" in started

    log_in(client, "host", "demo-host")
    console = client.get(f"/host/{contest_id}").get_data(as_text=True)
    assert "安全警告" in console and "demo-warning" in console

    for name in ("organizer", "host"):
        assert runner.invoke(args=["user", "disable", name]).exit_code == 0
    warn_about_demo_logins(app)
    assert "安全警告" not in capsys.readouterr().out
    make_user(app, "organizer-2", "organizer")
    log_in(client, "organizer-2")
    assert "安全警告" not in client.get("/").get_data(as_text=True)


def test_no_warning_on_loopback(app, runner, capsys):
    """On a loopback server (trying it on one's laptop), is the demo left unannounced?"""
    from app import warn_about_demo_logins

    runner.invoke(args=["demo"])
    warn_about_demo_logins(app)
    assert "安全警告" not in capsys.readouterr().out


def test_a_new_password_makes_a_demo_login_an_ordinary_one(app, runner):
    """Once the demo host's password is changed, is it no longer reported as a demo login?"""
    runner.invoke(args=["demo"])
    app.config["HOST"] = "0.0.0.0"
    assert runner.invoke(args=["user", "password", "host", "--password-stdin"], input=PASSWORD + "\n").exit_code == 0
    with app.app_context():
        from accounts.exposure import exposed_demo_logins

        assert exposed_demo_logins() == ["organizer"]


def test_a_password_is_never_a_command_line_argument(app, runner):
    """Is there no --password option on any user command (process lists and shell history show arguments)?"""
    for command in (["user", "create", "zoe", "--role", "host"], ["user", "password", "zoe"]):
        result = runner.invoke(args=[*command, "--password", PASSWORD])
        assert result.exit_code == 2 and "No such option" in result.output
    assert count(app, User) == 0


def test_password_from_stdin_and_a_mistyped_confirmation(app, runner):
    """Does --password-stdin read the first line, and does a mistyped confirmation create nothing?"""
    typo = runner.invoke(args=["user", "create", "zoe", "--role", "host"], input=f"{PASSWORD}\nother-one-22\n")
    assert count(app, User) == 0 and "zoe" not in typo.output.split("\n")[-2]
    result = runner.invoke(args=["user", "create", "zoe", "--role", "organizer", "--password-stdin"],
                           input=f"{PASSWORD}\nignored\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert find_user("zoe").check_password(PASSWORD)


@pytest.mark.parametrize("password, reason", [
    ("short", "至少需要 8 个字符"), ("x" * 129, "最多 128 个字符"), ("12345678", "过于常见"),
    ("Password", "过于常见"), ("aaaaaaaaaa", "过于常见"), ("demo-organizer", "过于常见"),
    ("my-zoe-password", "不能包含用户名"),
])
def test_weak_passwords_are_refused(runner, password, reason):
    """Are short, over-long, common and name-containing passwords refused with the reason?"""
    result = runner.invoke(args=["user", "create", "Zoe", "--role", "host", "--password-stdin"], input=password + "\n")
    assert result.exit_code == 1 and reason in result.output, result.output


def test_user_names_are_normalised_and_unique_whatever_their_case(app, client):
    """Are ＨＯＳＴ, Host and host one name, is the name kept in NFKC, and can it log in however it is typed?"""
    make_user(app, "Ｈｏｓｔ１")
    with app.app_context():
        assert find_user("host1").username == "Host1"
        for same in ("HOST1", " host1 ", "ｈｏｓｔ１"):
            with pytest.raises(AccountError, match="已存在"):
                create_user(same, PASSWORD, "host")
    assert log_in(client, "HOST1").status_code == 302 and logged_in(client)


@pytest.mark.parametrize("name, reason", [("a", "2–32"), ("x" * 33, "2–32"), ("two words", "空格"),
                                          ("bell\x07", "控制字符"), ("   ", "不能为空")])
def test_bad_user_names_are_refused(app, name, reason):
    """Are too short, too long, spaced and control-character names refused?"""
    with app.app_context(), pytest.raises(AccountError, match=reason):
        create_user(name, PASSWORD, "host")


def test_change_password_page(app, client):
    """Does the page refuse a wrong current password, a mismatch and a weak password, then change it,
    keeping this session and ending the others?"""
    make_user(app, "yuki")
    other = app.test_client()
    log_in(client, "yuki"), log_in(other, "yuki")
    refusals = [({"current": "wrong-one-123", "new": "Fresh-snow-42", "again": "Fresh-snow-42"}, "当前密码不正确"),
                ({"current": PASSWORD, "new": "Fresh-snow-42", "again": "Fresh-snow-43"}, "不一致"),
                ({"current": PASSWORD, "new": "11111111", "again": "11111111"}, "过于常见")]
    for form, reason in refusals:
        assert reason in client.post("/account/password", data=form).get_data(as_text=True)
    answer = client.post("/account/password", data={"current": PASSWORD, "new": "Fresh-snow-42",
                                                    "again": "Fresh-snow-42"})
    assert answer.status_code == 302
    assert logged_in(client) and not logged_in(other)
    client.post("/logout")
    assert log_in(client, "yuki").status_code == 200  # the old password is refused
    assert log_in(client, "yuki", "Fresh-snow-42").status_code == 302


def test_organizer_disables_enables_and_deletes_a_host_on_the_users_page(app, client):
    """Does disabling a host end its session at once and refuse its login, enabling let it in again, and
    deleting remove it?"""
    host_id = make_user(app, "kai")
    make_user(app, "olga", "organizer")
    host = app.test_client()
    log_in(host, "kai"), log_in(client, "olga")
    assert logged_in(host)
    assert client.post(f"/users/{host_id}/disable").status_code == 302
    assert not logged_in(host)
    assert "账号已停用" in log_in(host, "kai").get_data(as_text=True)
    client.post(f"/users/{host_id}/enable")
    assert log_in(host, "kai").status_code == 302 and logged_in(host)
    client.post(f"/users/{host_id}/delete")
    assert not logged_in(host)
    with app.app_context():
        assert find_user("kai") is None


def test_an_organizer_manages_hosts_only_and_never_itself(app, client):
    """May an organizer not disable another organizer, an admin or itself (403), while an admin may?"""
    own = make_user(app, "olga", "organizer")
    other = make_user(app, "oscar", "organizer")
    admin = make_user(app, "ada", "admin")
    log_in(client, "olga")
    for user_id in (own, other, admin):
        assert client.post(f"/users/{user_id}/disable").status_code == 403
    boss = app.test_client()
    log_in(boss, "ada")
    assert boss.post(f"/users/{other}/disable").status_code == 302
    assert boss.post(f"/users/{admin}/delete").status_code == 403


def test_cli_disable_enable_delete_and_list(app, runner):
    """Do the user commands disable, enable, delete and list accounts, with clear errors for unknown names?"""
    make_user(app, "kai")
    assert runner.invoke(args=["user", "disable", "KAI"]).exit_code == 0
    assert "已停用" in runner.invoke(args=["user", "list"]).output
    assert runner.invoke(args=["user", "enable", "kai"]).exit_code == 0
    assert runner.invoke(args=["user", "delete", "kai", "--yes"]).exit_code == 0
    missing = runner.invoke(args=["user", "disable", "kai"])
    assert missing.exit_code == 1 and "不存在" in missing.output


def test_the_last_admin_cannot_be_disabled(app, runner):
    """Is the only site admin kept (nobody else could see every contest)?"""
    make_user(app, "ada", "admin")
    result = runner.invoke(args=["user", "disable", "ada"])
    assert result.exit_code == 1 and "唯一" in result.output


# --- item 2: sessions can be revoked --------------------------------------------------------------


def copy_of_session(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_logout_ends_a_copied_session_cookie(app, client):
    """After logout, is a copy of the session cookie taken before it refused?"""
    make_user(app, "kai")
    log_in(client, "kai")
    thief = copy_of_session(app, client)
    assert logged_in(thief)
    client.post("/logout")
    assert not logged_in(thief)


def test_a_cli_password_change_ends_every_session(app, client, runner):
    """Does `flask user password` end the user's open sessions?"""
    make_user(app, "kai")
    log_in(client, "kai")
    runner.invoke(args=["user", "password", "kai", "--password-stdin"], input="Fresh-snow-42\n")
    assert not logged_in(client)


def test_using_a_session_does_not_keep_it_alive_for_ever(app, client, monkeypatch):
    """Is a session refused SESSION_HOURS after the login even when it was used a minute ago?"""
    make_user(app, "kai")
    log_in(client, "kai")
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    start = time.time()
    for fraction in (0.3, 0.6, 0.9, 0.99):
        monkeypatch.setattr(sessions.time, "time", lambda f=fraction: start + lifetime * f)
        assert logged_in(client)
    monkeypatch.setattr(sessions.time, "time", lambda: start + lifetime + 60)
    assert not logged_in(client)


def test_a_disabled_user_is_refused_on_the_live_console(app, client, runner):
    """Is a disabled host's open session refused by the live host namespace too?"""
    from tests.web.live_helpers import ViewClient
    from tests.web.setup_factories import make_contest

    with app.app_context():
        contest_id = make_contest(ready=True, team_count=2).id
    make_user(app, "kai", "admin")
    make_user(app, "ada", "admin")
    log_in(client, "kai")
    assert ViewClient(app, "/host", {"contest": contest_id}, client).connected
    runner.invoke(args=["user", "disable", "kai"])
    assert not ViewClient(app, "/host", {"contest": contest_id}, client).connected


# --- item 11: login timing ------------------------------------------------------------------------


def test_an_unknown_name_costs_one_password_check(app, client, monkeypatch):
    """Does a login with an unknown name check a password (a dummy hash), as a wrong password for a real
    name does, so the answer's time does not reveal which names exist?"""
    make_user(app, "kai")
    checks = []
    real = hashing.check_password_hash
    monkeypatch.setattr(hashing, "check_password_hash", lambda stored, given: checks.append(stored) or real(stored, given))
    log_in(client, "kai", "wrong-password-1")
    log_in(client, "nobody-here", "wrong-password-1")
    assert len(checks) == 2
    assert checks[1].split("$")[0] == checks[0].split("$")[0]  # the same method and cost
