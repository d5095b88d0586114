"""Are the web pages hardened: security headers, cookies, login rate limiting, CSRF on every form,
the Socket.IO origin check, upload limits, and formula-safe exports? (docs/security.md)"""
import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from accounts.throttle import LOCK_SECONDS, MAX_FAILURES
import config as app_config
from contest_setup import joining
from contest_setup.models import Contest
from web.errors import CSRF_ERROR
from extensions import csrf, db
from factory import create_app
from web.spreadsheets import FORMULA_STARTS
from tests.question_files import GOOD_ROWS, HEADER, xlsx_bytes
from tests.web.live_helpers import ViewClient
from tests.web.setup_factories import make_contest
from tests.web.test_authorization_matrix import ROUTES, EVERYONE, ORGANIZERS, STAFF
from web.security import MAX_SOCKET_MESSAGE_BYTES, content_security_policy

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def contest_id(app):
    """A ready contest of 2 teams."""
    with app.app_context():
        return make_contest(ready=True, team_count=2).id


# --- headers --------------------------------------------------------------------------------------


def directives(policy: str) -> dict[str, str]:
    """A CSP's directives by name."""
    return dict(part.split(" ", 1) for part in policy.split("; "))


def test_the_policy_is_the_documented_one():
    """Is the CSP exactly the strict one: nothing inline, nothing from elsewhere, no framing?"""
    policy = content_security_policy("192.168.1.20:5000")
    assert directives(policy)["script-src"] == "'self'" and directives(policy)["style-src"] == "'self'"
    assert directives(policy)["object-src"] == "'none'" and directives(policy)["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy and "*" not in policy


@pytest.mark.parametrize("host, connect", [
    ("localhost", "'self' ws://localhost wss://localhost"),
    ("192.168.1.20:5000", "'self' ws://192.168.1.20:5000 wss://192.168.1.20:5000"),
    ("[::1]:5000", "'self' ws://[::1]:5000 wss://[::1]:5000"),
    ("evil.example; script-src *", "'self'"),
    ("a b", "'self'"),
])
def test_live_connections_may_go_to_the_pages_own_host_only(client, host, connect):
    """Does connect-src allow WebSockets to the page's own host alone (not ``ws:`` to any host), and can
    a forged Host header add nothing to the policy?"""
    policy = client.get("/login", headers={"Host": host}).headers["Content-Security-Policy"]
    assert directives(policy)["connect-src"] == connect
    assert policy.count(";") == len(directives(policy)) - 1


@pytest.mark.parametrize("path, status", [
    ("/login", 200), ("/", 302), ("/static/css/base.css", 200), ("/live/protocol.js", 200), ("/team", 403),
    ("/no-such-page", 404), ("/display/1/guess", 404),
])
def test_every_response_carries_the_security_headers(client, contest_id, path, status):
    """Do pages, redirects, static files, scripts and error pages all carry the security headers?"""
    response = client.get(path)
    assert response.status_code == status
    headers = response.headers
    assert headers["Content-Security-Policy"] == content_security_policy("localhost")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP in the hall


def test_pages_are_never_stored_but_static_files_are_cached(client, auth, contest_id):
    """Are pages with answers (host console, bank, exports) no-store, and CSS/JS still cacheable?"""
    auth.login_as("organizer")
    for path in (f"/host/{contest_id}", "/banks/", "/banks/1", "/banks/1/export.xlsx", "/login", "/live/protocol.js"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/static/css/base.css").headers.get("Cache-Control", "")


def test_hsts_only_over_https(client):
    """Is Strict-Transport-Security sent on HTTPS requests (as a trusted proxy reports them) only?"""
    assert client.get("/login", base_url="https://quiz.example.cn").headers["Strict-Transport-Security"].startswith(
        "max-age=")
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_an_https_address_without_secure_cookies_is_warned_about(monkeypatch, caplog, new_database):
    """Does the server warn at start-up when PUBLIC_URL is HTTPS but SESSION_COOKIE_SECURE is off?"""
    config = app_config.TestConfig(new_database("warn.db"))
    config.PUBLIC_URL = "https://quiz.example.cn"
    with caplog.at_level("WARNING"):
        create_app(config)
    assert "SESSION_COOKIE_SECURE" in caplog.text


# --- cookies --------------------------------------------------------------------------------------


def login_cookie(client, auth) -> str:
    """The Set-Cookie header of a successful login."""
    response = auth.login_as("host")
    assert response.status_code == 302
    return response.headers["Set-Cookie"]


def test_the_session_cookie_is_httponly_and_lax(client, auth):
    """Is the login cookie out of JavaScript's reach, not sent by other sites' forms, and plain on HTTP?"""
    cookie = login_cookie(client, auth)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_cookies_are_secure_when_configured(app, client, auth, contest_id):
    """With SESSION_COOKIE_SECURE (behind HTTPS), are the login and the phone cookies Secure?"""
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = login_cookie(client, auth)
    assert "Secure" in cookie and "HttpOnly" in cookie
    with app.app_context():
        team = db.session.get(Contest, contest_id).teams_by_seat[0]
        token = joining.make_join_token(team)
    phone = app.test_client().post(f"/join/{token}").headers["Set-Cookie"]
    assert "Secure" in phone and "HttpOnly" in phone and "SameSite=Lax" in phone


def test_secure_cookies_are_read_from_the_environment(monkeypatch):
    """Does SESSION_COOKIE_SECURE=1 in the environment turn Secure on (and is it off by default)?"""
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    assert app_config.Config().SESSION_COOKIE_SECURE is False
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    config = app_config.Config()
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True and config.SESSION_COOKIE_SAMESITE == "Lax"


# --- login rate limiting --------------------------------------------------------------------------


def attempt(client, username: str, password: str, address: str = "10.0.0.1"):
    """One login attempt from ``address``."""
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_repeated_failures_lock_the_name_from_that_address(client, auth):
    """After 5 wrong passwords, is even the right one refused with 429, a Chinese reason and Retry-After?"""
    auth.login_as("host")
    auth.logout()
    for _ in range(MAX_FAILURES):
        assert attempt(client, "host-user", "wrong-password").status_code == 200
    locked = attempt(client, "host-user", "password123")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.get_data(as_text=True)
    assert 0 < int(locked.headers["Retry-After"]) <= LOCK_SECONDS


def test_a_lock_holds_only_that_name_and_that_address(client, auth):
    """Can the same user log in from another address, and another user from the same address?"""
    auth.login_as("host")
    auth.login_as("organizer")
    auth.logout()
    for _ in range(MAX_FAILURES):
        attempt(client, "host-user", "wrong-password")
    assert attempt(client, "host-user", "password123", address="10.0.0.2").status_code == 302
    auth.logout()
    assert attempt(client, "organizer-user", "password123").status_code == 302


def test_a_success_resets_the_count(client, auth):
    """Does a successful login clear the failures before it?"""
    auth.login_as("host")
    auth.logout()
    for _ in range(MAX_FAILURES - 1):
        attempt(client, "host-user", "wrong-password")
    assert attempt(client, "host-user", "password123").status_code == 302
    auth.logout()
    for _ in range(MAX_FAILURES - 1):
        attempt(client, "host-user", "wrong-password")
    assert attempt(client, "host-user", "password123").status_code == 302


def test_trying_many_names_from_one_address_is_limited_too(client, auth):
    """Does spraying different user names from one address get locked as well?"""
    auth.login_as("host")
    auth.logout()
    for number in range(20):
        attempt(client, f"guess-{number}", "wrong-password")
    assert attempt(client, "host-user", "password123").status_code == 429
    assert attempt(client, "host-user", "password123", address="10.0.0.9").status_code == 302


# --- CSRF -----------------------------------------------------------------------------------------


PAGE_TOKEN_POSTS = frozenset({"prelim_phone.start", "prelim_phone.answer", "prelim_phone.leave"})
"""The preliminary answering page's JSON POSTs: exempt from Flask-WTF's session token, they check a
per-person page token instead (preliminary/phone_requests.py; tests/web/test_preliminary_phone.py)."""
POST_REQUESTS = sorted({(endpoint, template) for endpoint, route in ROUTES.items()
                        for method, template in route.requests if method == "POST" and endpoint not in PAGE_TOKEN_POSTS})


def test_only_the_answering_page_posts_use_their_own_token(app):
    """Is no view exempt from the CSRF check but the three that check the page token instead?"""
    exempt = {f"{view.__module__}.{view.__name__}" for view in app.view_functions.values()} & csrf._exempt_views
    assert exempt == {f"{app.view_functions[e].__module__}.{app.view_functions[e].__name__}" for e in PAGE_TOKEN_POSTS}


@pytest.fixture
def csrf_organizer(app, contest_id):
    """An organizer logged in through the real form with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"username": "organizer-user", "password": "password123",
                                        "csrf_token": token}).status_code == 302
    return client


@pytest.mark.parametrize("endpoint, template", POST_REQUESTS)
def test_every_post_needs_a_csrf_token(app, csrf_organizer, contest_id, endpoint, template):
    """Is every POST of the app (from the authorization matrix) refused for its missing CSRF token, for a
    user who may otherwise use it? The refusal must be the CSRF error itself: some routes answer 400 to an
    empty form anyway. (Routes no matrix role may use, the preliminary round's registration opened by an
    invite link, are checked too; the answering page's JSON POSTs check a page token instead, see
    PAGE_TOKEN_POSTS.)"""
    assert ROUTES[endpoint].allowed & (ORGANIZERS | STAFF) or ROUTES[endpoint].allowed in (
        EVERYONE, frozenset(), frozenset({"audience"}))  # the audience's answer: opened by a phone cookie, no login
    ids = {"c": contest_id, "s": 1, "t": 1, "q": 1, "b": 1, "question": 1, "victim": 1, "join_token": "any-token",
           "pr": 1, "pc": 1, "prelim_invite": "x", "tampered_prelim_invite": "x"}
    response = csrf_organizer.post(template.format(**ids))
    assert response.status_code == 400, f"{endpoint}: {response.status}"
    assert f"<h1>{CSRF_ERROR[0]}</h1>" in response.get_data(as_text=True), f"{endpoint}: not the CSRF error"


def test_every_post_form_in_the_templates_carries_a_token():
    """Does every <form method="post"> of every template include the CSRF token field?"""
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", text, re.S | re.I):
            if "post" in form.group(1).lower() and not re.search(r"csrf_token|hidden_tag|csrf\(\)", form.group(2)):
                missing.append(f"{path.relative_to(TEMPLATES)}: {form.group(0)[:80]}")
    assert not missing, missing


# --- Socket.IO transport --------------------------------------------------------------------------


def test_socket_io_refuses_other_origins(client):
    """Is a Socket.IO handshake from another site's page refused (no cross-site WebSocket hijacking)?"""
    handshake = "/socket.io/?EIO=4&transport=polling"
    assert client.get(handshake, headers={"Origin": "http://localhost"}).status_code == 200
    assert client.get(handshake, headers={"Origin": "http://evil.example"}).status_code == 400


def test_clients_are_told_the_message_limit(client):
    """Does the Engine.IO handshake announce the 64 KiB limit, so that well-behaved clients keep to it?
    (A larger message closes its sender's connection: tests/live/test_oversized_messages.py.)"""
    handshake = client.get("/socket.io/?EIO=4&transport=polling").get_data(as_text=True)
    assert f'"maxPayload":{MAX_SOCKET_MESSAGE_BYTES}' in handshake


def polling_session(client) -> str:
    """Open an Engine.IO long-polling session (as socket.io-client's fallback does); its id."""
    response = client.get("/socket.io/?EIO=4&transport=polling")
    return re.search(r'"sid":"([^"]+)"', response.get_data(as_text=True)).group(1)


def poll_post(client, sid: str, body: str):
    """One long-polling POST of ``body`` to session ``sid``."""
    return client.post(f"/socket.io/?EIO=4&transport=polling&sid={sid}", data=body.encode(),
                       content_type="text/plain;charset=UTF-8")


@pytest.mark.parametrize("body, status", [
    ("4" + "x" * MAX_SOCKET_MESSAGE_BYTES, 413),  # one byte over the limit
    ("2", 400), ("9", 400), ("6", 400), ("3\x1e", 400),  # packet types a client never sends
])
def test_hostile_polling_posts_are_refused_at_once(app, client, contest_id, body, status):
    """Is a long-polling POST that python-engineio would hang on (too large, a foreign packet
    type) answered at once, while its session and everybody else's carry on?"""
    victim = polling_session(client)
    assert poll_post(client, victim, body).status_code == status
    assert poll_post(client, victim, "3").status_code == 200  # the session is still there
    with app.app_context():
        display_token = db.session.get(Contest, contest_id).display_token
    display = ViewClient(app, "/display", {"contest": contest_id, "token": display_token})
    assert display.send("clock", {"t0": 5})["t0"] == 5


def test_the_limit_is_set_on_the_server(app):
    """Is Engine.IO's buffer limit the platform's (not python-engineio's default of 1 MB)?"""
    from extensions import socketio

    assert socketio.server.eio.max_http_buffer_size == MAX_SOCKET_MESSAGE_BYTES == 64 * 1024


# --- uploads --------------------------------------------------------------------------------------


@pytest.fixture
def organizer(client, auth):
    """The client, logged in as an organizer."""
    auth.login_as("organizer")
    return client


def upload(client, data: bytes, filename: str):
    """Post a file to the bank upload form."""
    return client.post("/banks/upload", data={"bank_name": "安全测试", "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def zip_bomb() -> bytes:
    """An .xlsx-looking zip of under 1 MB that would unpack to over 128 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (129 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize("data, filename, message", [
    (zip_bomb(), "炸弹.xlsx", "解压后过大"),
    (b"MZ\x90\x00" + b"\x00" * 100, "程序.exe", "xlsx"),
    (b"PK\x03\x04broken", "坏的.xlsx", "xlsx"),
    (xlsx_bytes([HEADER, *GOOD_ROWS])[:300], "截断.xlsx", "损坏"),
    (b'{"questions": [', "坏的.json", "JSON"),
])
def test_hostile_or_broken_uploads_get_a_clear_message(organizer, data, filename, message):
    """Are a zip bomb, a program, a truncated workbook and broken JSON refused with a reason (400)?"""
    response = upload(organizer, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


# --- exports --------------------------------------------------------------------------------------


DANGEROUS = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


def unsafe_text(value) -> bool:
    """Whether a cell's text would start a formula in Excel or WPS (a plain number is fine)."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS) and not value.startswith("'")
            and not re.fullmatch(r"-?\d+(\.\d+)?", value))


def cells_of(data: bytes, extension: str):
    """Every cell of an exported file."""
    if extension == "csv":
        yield from (cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row)
        return
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"
                yield cell.value


@pytest.fixture
def played(app, client, auth):
    """A contest whose teams, stems and a score correction all start like formulas, started and corrected."""
    with app.app_context():
        from question_bank.models import Question

        contest = make_contest(ready=False, team_count=2)
        for team, text in zip(contest.teams_by_seat, DANGEROUS):
            team.name, team.company = text, DANGEROUS[-1]
        for number, question in enumerate(db.session.query(Question)):
            question.stem = DANGEROUS[number % len(DANGEROUS)] + f" {number}"
            question.explanation = DANGEROUS[(number + 1) % len(DANGEROUS)]
        db.session.commit()
        from contest_setup import service

        service.mark_ready(contest)
        contest_id, team_id = contest.id, contest.teams_by_seat[0].id
        bank_id = db.session.query(Question.bank_id).first()[0]
        round_id = formula_round()
    auth.login_as("organizer")
    host = ViewClient(app, "/host", {"contest": contest_id}, client)
    for command in ({"type": "StartContest"}, {"type": "StartStage"}, {"type": "NextQuestion"},
                    {"type": "AdjustScore", "team": team_id, "delta": -10, "reason": "=2+3 评委更正"}):
        assert host.send("command", command)["ok"], command
    host.close()
    return {"contest": contest_id, "bank": bank_id, "round": round_id}


def formula_round() -> int:
    """A preliminary round whose companies and a participant's name start like formulas, one attempt answered."""
    from preliminary import attempts as answering
    from preliminary import service as prelim_service
    from tests.web.prelim_factories import START_MS, make_round

    prelim = make_round(companies=[(text, 10) for text in DANGEROUS])
    person = prelim_service.register(prelim.companies[0], "@张三", "13812345678")
    attempt = answering.start_attempt(prelim, person, START_MS + 60_000)
    answering.submit_answer(prelim, person, {"attempt": attempt.id, "position": 0, "question": attempt.question_ids[0],
                                             "choice": "A"}, START_MS + 70_000)
    return prelim.id


def test_every_export_neutralises_formulas(client, played):
    """Does every spreadsheet the app exports (banks, results, audit, preliminary round) keep formula-like text inert?"""
    paths = [template.format(c=played["contest"], b=played["bank"], pr=played["round"])
             for route in ROUTES.values() for method, template in route.requests
             if method == "GET" and re.search(r"\.(xlsx|csv)$", template) and "{" in template]
    assert len(paths) >= 6
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        extension = path.rsplit(".", 1)[1]
        cells = list(cells_of(response.data, extension))
        assert cells, path
        bad = [cell for cell in cells if unsafe_text(cell)]
        assert not bad, f"{path}: {bad[:5]}"
