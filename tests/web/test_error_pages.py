"""Does every error a user can meet answer in Chinese: a page for a browser, JSON for a client asking for JSON?"""
import pytest

import config
from extensions import db
from factory import create_app
from web.errors import CSRF_ERROR, ERRORS

ENGLISH = ("Not Found", "Forbidden", "Internal Server Error", "Method Not Allowed", "The requested URL")


def assert_chinese_page(response, status: int) -> str:
    """The response is the Chinese error page of ``status``, without Flask's English text."""
    page = response.get_data(as_text=True)
    title, reason = ERRORS[status]
    assert response.status_code == status and response.mimetype == "text/html"
    assert f"<h1>{title}</h1>" in page and reason in page and f"错误 {status}" in page
    assert not any(english in page for english in ENGLISH), page
    return page


def test_a_mistyped_link_gets_a_chinese_404_page(client):
    """Does an address that does not exist get 页面不存在 with a way back, not Flask's "Not Found"?"""
    page = assert_chinese_page(client.get("/contests/not-a-page"), 404)
    assert 'href="/"' in page


def test_a_wrong_display_link_gets_the_chinese_404_page(client):
    """Does a projector link with a wrong contest or token get the Chinese page?"""
    assert_chinese_page(client.get("/display/999/wrong-token"), 404)


def test_a_host_on_an_organizer_page_gets_a_chinese_403_page(client, auth):
    """Does a host opening the question banks get 没有权限 in Chinese?"""
    auth.login_as("host")
    assert_chinese_page(client.get("/banks/"), 403)


def test_a_wrong_method_gets_a_chinese_405_page_that_keeps_allow(client):
    """Does a GET of a POST-only address get the Chinese page, still saying which methods it accepts?"""
    response = client.get("/logout")
    assert_chinese_page(response, 405)
    assert "POST" in response.headers["Allow"]


def test_a_server_error_gets_a_chinese_500_page(app):
    """Does an unexpected exception give the Chinese 500 page (and no trace of the exception)?"""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/test-boom")
    def boom():
        raise RuntimeError("secret detail")

    page = assert_chinese_page(app.test_client().get("/test-boom"), 500)
    assert "secret detail" not in page


@pytest.mark.parametrize("path, headers", [
    ("/no-such-api", {"Accept": "application/json"}),
    ("/display/999/wrong-token/progression.json", {}),
])
def test_a_client_asking_for_json_gets_a_chinese_json_error(client, path, headers):
    """Does a request for JSON (by its Accept header, or a .json address) get the error as Chinese JSON?"""
    response = client.get(path, headers=headers)
    assert response.status_code == 404 and response.is_json
    assert response.get_json() == {"ok": False, "status": 404, "error": "页面不存在", "reason": ERRORS[404][1]}


def test_a_form_without_its_csrf_token_says_the_page_expired(app, client, auth):
    """Is a form sent without its CSRF token answered 页面已过期, not Flask's English "CSRF token is missing"?"""
    auth.login_as("organizer")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/contests/new", data={"name": "无令牌"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"<h1>{CSRF_ERROR[0]}</h1>" in page and CSRF_ERROR[1] in page and "CSRF" not in page


def test_no_free_database_connection_gets_a_chinese_503_to_retry(tmp_path, monkeypatch):
    """With every connection of the pool in use and none freed within DATABASE_POOL_TIMEOUT, does a
    request get 服务器繁忙 (503, JSON for JSON) with a Retry-After, and the next one, once a
    connection is free, its page?"""
    monkeypatch.setenv("DATABASE_POOL_SIZE", "1")
    monkeypatch.setenv("DATABASE_POOL_OVERFLOW", "0")
    monkeypatch.setenv("DATABASE_POOL_TIMEOUT", "0.2")
    app = create_app(config.TestConfig(f"sqlite:///{tmp_path / 'busy.db'}"))
    client = app.test_client()
    with app.app_context():
        held = db.engine.connect()  # the pool's only connection, busy elsewhere
        busy = client.get("/display/1/token", headers={"Accept": "application/json"})
        page = client.get("/display/1/token")
        held.close()
        db.engine.dispose()
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
    assert busy.get_json() == {"ok": False, "status": 503, "error": ERRORS[503][0], "reason": ERRORS[503][1]}
    assert_chinese_page(page, 503)
    assert assert_chinese_page(client.get("/display/1/token"), 404), "a free connection: the page's own answer"
