"""Do logins, roles and the user command behave as an organizer would expect?"""
from accounts.models import User
from accounts.service import find_user
from extensions import db


def test_password_is_stored_hashed(app):
    """Is the password kept only as a salted hash that still checks?"""
    with app.app_context():
        from accounts.service import create_user

        user = create_user("alice", "correct horse", "organizer")
        assert "correct horse" not in user.password_hash
        assert user.check_password("correct horse")
        assert not user.check_password("wrong horse")


def test_login_with_wrong_password_is_refused(client, auth):
    """Does a wrong password leave the visitor logged out with a Chinese message?"""
    auth.login_as("host", "bob")
    auth.logout()
    response = client.post("/login", data={"username": "bob", "password": "nope-nope"})
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_home_requires_login_and_then_opens(client, auth):
    """Is the home page closed to anonymous visitors and open after login?"""
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login_as("organizer")
    assert "工作台" in client.get("/").get_data(as_text=True)


def test_login_never_redirects_to_another_site(client, auth):
    """Is an open redirect through ?next= refused?"""
    auth.login_as("host", "carol")
    auth.logout()
    response = client.post(
        "/login?next=http://evil.example/",
        data={"username": "carol", "password": "password123"},
    )
    assert response.headers["Location"] == "/"


def test_user_create_command(app, runner):
    """Does `flask user create` make a user with the role, and refuse a taken name?"""
    result = runner.invoke(args=["user", "create", "dora", "--role", "host", "--password", "secret-pass"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert find_user("dora").role == "host"
        assert db.session.query(User).count() == 1
    again = runner.invoke(args=["user", "create", "dora", "--role", "host", "--password", "secret-pass"])
    assert again.exit_code != 0
    assert "已存在" in again.output


def test_user_create_refuses_short_password(runner):
    """Is a password under 8 characters refused with a clear reason?"""
    result = runner.invoke(args=["user", "create", "eve", "--role", "organizer", "--password", "short"])
    assert result.exit_code != 0
    assert "至少需要 8 个字符" in result.output
