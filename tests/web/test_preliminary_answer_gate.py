"""The answer save taken before Flask (preliminary.answer_gate): the same reply, headers and rules
as the route, and every case it does not take handed on to the route with its body intact."""
import logging

import pytest
from flask import jsonify
from sqlalchemy.exc import TimeoutError as PoolTimeout

from preliminary import answer_gate
from web.errors import ERRORS
from tests.web.prelim_factories import clock  # noqa: F401  (a fixture)
from tests.web.test_preliminary_phone import RIGHT, answers_stored, hall, register, send, start  # noqa: F401  (hall is a fixture)


@pytest.fixture
def taken(monkeypatch):
    """The saves the gate stored itself (a list that grows by one each time)."""
    saves = []
    original = answer_gate.quick_save.save_and_move_on

    def counted(*args):
        reply = original(*args)
        if reply is not None:
            saves.append(reply)
        return reply

    monkeypatch.setattr(answer_gate.quick_save, "save_and_move_on", counted)
    return saves


def without_gate(app, monkeypatch) -> None:
    """Make the gate hand every request on, as if it were not there."""
    monkeypatch.setattr(app.wsgi_app.wsgi_app, "reply", lambda environ, start_response: None)


def the_gate(app) -> answer_gate.AnswerGate:
    """The app's gate (behind the security layer's polling guard)."""
    gate = app.wsgi_app.wsgi_app
    assert isinstance(gate, answer_gate.AnswerGate)
    return gate


def test_the_gate_replies_as_the_route_does(app, hall, taken, monkeypatch):
    """Is the gate's reply to a common answer the route's: status, JSON text, content type and every
    security header, and is the answer stored once?"""
    phones = []
    for name, mobile in (("甲一", "13800000001"), ("乙二", "13800000002")):
        phone = app.test_client()
        register(phone, hall, name=name, mobile=mobile)
        phones.append((phone, start(phone, hall)["question"]))
    by_gate = send(phones[0][0], hall, phones[0][1])
    assert len(taken) == 1 and answers_stored(app) == 1
    the_gate(app)
    without_gate(app, monkeypatch)
    by_route = send(phones[1][0], hall, phones[1][1])
    assert len(taken) == 1 and answers_stored(app) == 2
    assert by_gate.status_code == by_route.status_code == 200
    assert sorted(by_gate.headers.keys()) == sorted(by_route.headers.keys())
    for name, value in by_route.headers.items():
        if name != "Content-Length":
            assert by_gate.headers[name] == value, name
    assert int(by_gate.headers["Content-Length"]) == len(by_gate.data)
    with app.app_context():
        assert by_gate.data == jsonify(by_gate.get_json()).data
    gate_reply, route_reply = by_gate.get_json(), by_route.get_json()
    assert gate_reply.keys() == route_reply.keys() and gate_reply["question"].keys() == route_reply["question"].keys()
    assert (gate_reply["saved"], gate_reply["duplicate"], gate_reply["question"]["position"]) == (True, False, 1)


def test_what_the_gate_does_not_take_reaches_the_route_with_its_body(app, client, hall, taken):
    """Do a repeated answer, an answer to a question not shown, a body sent as text and a cookie sent
    twice get the route's own replies (which read the body the gate read first)?"""
    register(client, hall)
    shown = start(client, hall)["question"]
    assert send(client, hall, shown).get_json()["saved"] and len(taken) == 1
    repeat = send(client, hall, shown)
    assert repeat.status_code == 200 and repeat.get_json()["duplicate"] is True
    wrong = send(client, hall, {**shown, "position": 5})
    assert wrong.status_code == 409 and wrong.get_json()["reason"]
    as_text = client.post(f"{hall['base']}/answer", data='{"attempt": 1}', content_type="text/plain")
    assert as_text.status_code == 409 and as_text.get_json()["reason"]
    assert len(taken) == 1 and answers_stored(app) == 1
    current = repeat.get_json()["question"]
    cookie = client.get_cookie(f"prelim_{hall['round']}").value
    body = {"attempt": current["attempt"], "position": current["position"], "question": current["id"],
            "choice": RIGHT[current["type"]]}
    twice = app.test_client(use_cookies=False).post(
        f"{hall['base']}/answer", json=body, headers={"Cookie": f"prelim_{hall['round']}={cookie}; prelim_{hall['round']}={cookie}"})
    assert twice.get_json().get("saved"), twice.get_json()
    assert len(taken) == 1 and answers_stored(app) == 2


def test_a_failed_quick_save_is_decided_by_the_route(app, client, hall, monkeypatch, caplog):
    """When the quick save fails before its commit, does the route store the answer instead, once,
    and is the failure logged?"""
    register(client, hall)
    shown = start(client, hall)["question"]

    def broken(*args):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(answer_gate.quick_save, "save_and_move_on", broken)
    with caplog.at_level(logging.ERROR):
        reply = send(client, hall, shown)
    assert reply.status_code == 200 and reply.get_json()["saved"] and answers_stored(app) == 1
    assert "快速保存失败" in caplog.text


def test_no_free_database_connection_is_answered_busy_at_once(app, client, hall, monkeypatch, caplog):
    """When no database connection comes free in time, does the gate answer 503 with the route's own JSON
    and Retry-After, store nothing, and not hand the answer on to wait for a connection again?"""
    register(client, hall)
    shown = start(client, hall)["question"]
    routed = []
    monkeypatch.setattr(the_gate(app), "wsgi_app", lambda environ, start_response: routed.append(environ) or [])

    def no_connection(*args):
        raise PoolTimeout("QueuePool limit of size 5 overflow 10 reached")

    monkeypatch.setattr(answer_gate.quick_save, "save_and_move_on", no_connection)
    with caplog.at_level(logging.WARNING):
        reply = send(client, hall, shown)
    assert reply.status_code == 503 and reply.headers["Retry-After"] == "2"
    assert reply.get_json() == {"ok": False, "status": 503, "error": "服务器繁忙", "reason": ERRORS[503][1]}
    assert routed == [] and answers_stored(app) == 0
    assert "busy: no database connection free" in caplog.text and "Traceback" not in caplog.text


def test_behind_a_trusted_proxy_the_headers_name_the_forwarded_host_and_scheme(app, client, hall, taken):
    """With ``TRUSTED_PROXIES`` set, does the gate's reply carry HSTS and a policy for the host the
    proxy names, as the app's own responses do?"""
    register(client, hall)
    shown = start(client, hall)["question"]
    app.config["TRUSTED_PROXIES"] = 1
    app.wsgi_app.wsgi_app = answer_gate.AnswerGate(app, the_gate(app).wsgi_app)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "quiz.example.cn", "X-Forwarded-For": "10.0.0.9"}
    body = {"attempt": shown["attempt"], "position": shown["position"], "question": shown["id"],
            "choice": RIGHT[shown["type"]]}
    reply = client.post(f"{hall['base']}/answer", json=body, headers=forwarded)
    assert reply.get_json()["saved"] and len(taken) == 1
    assert reply.headers["Strict-Transport-Security"]
    assert "wss://quiz.example.cn" in reply.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in send(client, hall, reply.get_json()["question"]).headers
