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
    """Does `flask user create` make a user with the role (password typed twice), and refuse a taken name?"""
    result = runner.invoke(args=["user", "create", "dora", "--role", "host"], input="secret-pass\nsecret-pass\n")
    assert result.exit_code == 0, result.output
    assert "secret-pass" not in result.output  # typed without echo
    with app.app_context():
        assert find_user("dora").role == "host" and find_user("dora").check_password("secret-pass")
        assert db.session.query(User).count() == 1
    again = runner.invoke(args=["user", "create", "DORA", "--role", "host", "--password-stdin"], input="secret-pass\n")
    assert again.exit_code != 0
    assert "已存在" in again.output


def test_user_create_refuses_short_password(runner):
    """Is a password under 8 characters refused with a clear reason?"""
    result = runner.invoke(args=["user", "create", "eve", "--role", "organizer", "--password-stdin"], input="short\n")
    assert result.exit_code != 0
    assert "至少需要 8 个字符" in result.output


def test_login_session_carries_an_expiry(app, client, auth):
    """Does logging in give a session cookie that expires after PERMANENT_SESSION_LIFETIME?"""
    from datetime import datetime, timezone
    from email.utils import parsedate_to_datetime

    response = auth.login_as("organizer")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    remaining = expires - datetime.now(timezone.utc)
    assert lifetime.total_seconds() - 120 < remaining.total_seconds() <= lifetime.total_seconds() + 5


def test_an_expired_session_must_log_in_again(app, client, auth, monkeypatch):
    """When the session is older than its lifetime, is the user sent back to the login page?"""
    import time

    from itsdangerous.timed import TimestampSigner

    auth.login_as("host")
    assert client.get("/").status_code == 200
    later = int(time.time() + app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() + 60)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_organizer_creates_an_account_on_the_users_page(app, client, auth):
    """Can an organizer list accounts and create a host with a hashed password there?"""
    auth.login_as("organizer")
    response = client.post("/users", data={"username": "frank", "role": "host", "password": "long-enough"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已创建用户 frank" in page and "主持人" in page
    with app.app_context():
        user = find_user("frank")
        assert user.role == "host" and user.check_password("long-enough")
        assert "long-enough" not in user.password_hash


def test_users_page_explains_a_refused_account(client, auth):
    """Is a short password refused on the users page with the reason?"""
    auth.login_as("organizer")
    page = client.post("/users", data={"username": "gina", "role": "host", "password": "short"}).get_data(as_text=True)
    assert "至少需要 8 个字符" in page


def test_hash_method_is_scrypt_unless_configured(app):
    """Is scrypt the default hash, and does PASSWORD_HASH_METHOD (for fast tests) choose another?"""
    with app.app_context():
        from accounts.service import create_user

        app.config.pop("PASSWORD_HASH_METHOD")  # as in a real run
        assert create_user("hana", "password123", "host").password_hash.startswith("scrypt:")
        app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
        quick = create_user("ivan", "password123", "host")
        assert quick.password_hash.startswith("pbkdf2:sha256:1000$") and quick.check_password("password123")
