"""Running as a service: do the probes tell a supervisor and a balancer the truth, and is each log
record one line that names its contest?"""
import io
import json
import logging

import pytest
from sqlalchemy.exc import OperationalError

import config
from extensions import db
from factory import create_app
from operations.logs import ContextFilter, LineFormatter, about_contest
from tests.web.live_helpers import hall  # noqa: F401 (a fixture)

CLOSED_PORT_QUEUE = "redis://127.0.0.1:1/0"


@pytest.fixture
def database_down(app, monkeypatch):
    """Every new connection to the app's database fails, as when its server is down."""
    def refuse(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database server down"))

    with app.app_context():
        db.engine.dispose()
        monkeypatch.setattr(db.engine, "connect", refuse)
    return app


def test_healthz_answers_without_login(client):
    """Is /healthz open to anyone and ok while the process runs?"""
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_healthz_stays_ok_while_the_database_is_down(database_down):
    """A database outage must not make a supervisor restart the process: is /healthz still ok?"""
    assert database_down.test_client().get("/healthz").status_code == 200


def test_readyz_is_ready_with_its_database(client):
    """With the database reachable and at the newest revision, and no queue configured: 200, each check ok?"""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_is_not_ready_while_the_database_is_down(database_down):
    """With the database unreachable: 503, and the database named as the reason in Chinese?"""
    response = database_down.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["database"].startswith("数据库无法连接")


def test_readyz_checks_the_message_queue_when_one_is_set(app, client):
    """With SOCKETIO_MESSAGE_QUEUE naming a Redis that does not answer: 503 naming the queue; the database still ok?"""
    app.config["SOCKETIO_MESSAGE_QUEUE"] = CLOSED_PORT_QUEUE
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["message_queue"].startswith("消息队列无法连接")


# --- logs ----------------------------------------------------------------------------------------


@pytest.fixture
def log_lines():
    """What the platform's log handler writes, as a list of lines (the handler as operations.logs makes it)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LineFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: stream.getvalue().splitlines()
    root.removeHandler(handler)


def test_a_record_is_one_line_with_its_contest(app, log_lines):
    """A message with spaces, quotes and a traceback: one line, its fields key=value, the contest given with it?"""
    try:
        raise ValueError("第一行\n第二行")
    except ValueError:
        app.logger.exception('refused "x" from %s', "team:3", extra={"contest_id": 12})
    [line] = log_lines()
    assert " level=error " in line and " contest=12 " in line
    assert 'msg="refused \\"x\\" from team:3"' in line
    assert "ValueError: 第一行\\n第二行" in line


def test_a_page_of_a_contest_names_it_in_its_records(app, log_lines):
    """A record logged while a contest's page is served: does it carry that contest's id from the URL?"""
    with app.test_request_context("/contests/7/results"):
        app.logger.warning("results read")
    assert "contest=7" in log_lines()[0]


def test_a_record_outside_any_contest_has_no_contest_key(app, log_lines):
    """Nothing about a contest: is there no contest= key at all (rather than contest=None)?"""
    with about_contest(None):
        app.logger.warning("started")
    assert "contest=" not in log_lines()[0]


def test_json_lines_when_asked(app):
    """LOG_FORMAT=json: is each record one JSON object with the same fields?"""
    record = logging.LogRecord("factory", logging.WARNING, __file__, 1, "seq %s taken", (5,), None)
    record.contest_id, record.round_id = 3, None
    document = json.loads(LineFormatter(as_json=True).format(record))
    assert (document["level"], document["contest"], document["msg"]) == ("warning", 3, "seq 5 taken")
    assert "round" not in document


def test_a_refused_socket_event_is_logged_with_the_phones_contest(hall, log_lines):
    """A phone sending the host's command (refused and logged): does the record name the phone's contest?"""
    hall["phones"][0].send("command", {"type": "NextQuestion"})
    refusals = [line for line in log_lines() if "refused" in line]
    assert refusals and all(f"contest={hall['contest']}" in line for line in refusals)



def test_a_server_starts_while_its_shared_database_is_down():
    """PostgreSQL not answering at start: does the app still start, healthy but not ready, saying why?"""
    settings = config.TestConfig("postgresql+psycopg://root@127.0.0.1:1/contest?connect_timeout=2")
    settings.DATABASE_AUTO_UPGRADE = False
    app = create_app(settings)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["checks"]["database"].startswith("数据库无法连接")
