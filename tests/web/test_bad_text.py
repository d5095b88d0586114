"""Bad text at every door: is free text cleaned where it enters, does hostile JSON get a clear Chinese
refusal instead of a 500, and does every socket event get an acknowledgement even when it fails?
"""
import io
import json

import pytest

from contest_setup.models import Contest, ContestTeam
from extensions import db
from web.errors import FAILED_REASON
from question_bank.models import QuestionBank
from storage.models import EventRecord
from tests.question_files import GOOD_ROWS, HEADER, csv_bytes
from tests.web.live_helpers import hall  # noqa: F401 (a fixture)
from tests.web.setup_factories import make_contest
from tests.web.test_results import played_contest

DEEP = b"[" * 100_000 + b"]" * 100_000
HUGE_NUMBER = b'{"format": "policy-contest-event-log", "version": 1, "n": ' + b"9" * 5000 + b"}"


@pytest.fixture
def organizer(client, auth):
    """The client, logged in as an organizer."""
    auth.login_as("organizer")
    return client


def import_log(client, data: bytes):
    """Post an event log to the import page."""
    return client.post("/results/import", data={"file": (io.BytesIO(data), "log.json")},
                       content_type="multipart/form-data")


def stored_counts(app) -> tuple[int, int]:
    """How many contests and events are stored."""
    with app.app_context():
        return db.session.query(Contest).count(), db.session.query(EventRecord).count()


@pytest.fixture
def exported_log(app, organizer) -> dict:
    """A played contest's exported event log, as a JSON document."""
    with app.app_context():
        contest_id = played_contest().id
    return json.loads(organizer.get(f"/contests/{contest_id}/events.json").data)


@pytest.mark.parametrize("where", ["team", "stem", "actor"])
def test_a_lone_surrogate_in_an_event_log_is_refused_and_nothing_stored(app, organizer, exported_log, where):
    """A lone surrogate (JSON can carry one, UTF-8 cannot) in a team name, a question or an actor made a
    contest whose every page answered 500: is such a log refused with a reason, nothing stored?"""
    created = exported_log["events"][0]
    if where == "team":
        created["config"]["teams"][0]["name"] = "甲队\ud800"
    elif where == "stem":
        created["config"]["stages"][0]["questions"][0]["stem"] = "题干\udfff"
    else:
        exported_log["events"][1]["actor"] = "host:\ud83d"
    before = stored_counts(app)
    response = import_log(organizer, json.dumps(exported_log).encode())
    assert response.status_code == 400 and "无效字符" in response.text
    assert stored_counts(app) == before


def test_a_line_break_in_an_event_logs_team_name_is_refused(app, organizer, exported_log):
    """A team name is one line: is a log naming a team over two lines refused?"""
    exported_log["events"][0]["config"]["teams"][0]["name"] = "甲\n队"
    response = import_log(organizer, json.dumps(exported_log).encode())
    assert response.status_code == 400 and "换行" in response.text


@pytest.mark.parametrize("data, message", [(DEEP, "嵌套层数过多"), (HUGE_NUMBER, "数字过大")])
def test_hostile_json_in_an_event_log_gets_a_chinese_refusal(app, organizer, data, message):
    """JSON nested 100,000 deep or holding a 5,000-digit number answered 500: is it refused with a reason?"""
    before = stored_counts(app)
    response = import_log(organizer, data)
    assert response.status_code == 400 and message in response.text
    assert stored_counts(app) == before


@pytest.mark.parametrize("data, message", [
    (DEEP, "嵌套层数过多"),
    (b'[{"type": "single", "stem": "x", "points": ' + b"1" * 5000 + b"}]", "数字过大"),
    (b'[{"type": "single", "stem": "x", "points": NaN}]', "不支持的数值"),
])
def test_hostile_json_in_a_question_file_gets_a_chinese_refusal(organizer, data, message):
    """The same in a question file."""
    response = organizer.post("/banks/upload", data={"bank_name": "JSON", "file": (io.BytesIO(data), "q.json")},
                              content_type="multipart/form-data")
    assert response.status_code == 400 and message in response.text


def test_a_line_break_in_a_bank_name_does_not_break_its_exports(app, organizer):
    """A bank named over two lines broke the file name of its exports: is the name one line, and do the
    exports download?"""
    response = organizer.post("/banks/upload", data={"bank_name": "税务\r\n题库\x07", "file": (
        io.BytesIO(csv_bytes([HEADER, *GOOD_ROWS])), "q.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert organizer.post("/banks/upload/confirm", data={}).status_code == 302
    with app.app_context():
        bank = db.session.query(QuestionBank).one()
        assert bank.name == "税务 题库"
        bank_id = bank.id
    for extension in ("xlsx", "csv", "json"):
        download = organizer.get(f"/banks/{bank_id}/export.{extension}")
        assert download.status_code == 200, extension
        assert "\n" not in download.headers["Content-Disposition"]


def test_form_text_is_cleaned_at_the_door(app, organizer):
    """Are control characters removed and line breaks in a name made one space, in every form field?"""
    with app.app_context():
        contest_id = make_contest(team_count=2).id
    response = organizer.post(f"/contests/{contest_id}/teams/add", data={
        "name": "云帆\x01数据\r\n队", "company": "云帆\u202e公司\u200b", "members": "张三\n李四", "seat": ""})
    assert response.status_code == 302
    with app.app_context():
        team = db.session.query(ContestTeam).filter_by(contest_id=contest_id).order_by(ContestTeam.id.desc()).first()
        assert (team.name, team.company, list(team.members)) == ("云帆数据 队", "云帆公司", ["张三", "李四"])
    results = organizer.get(f"/contests/{contest_id}/teams")
    assert results.status_code == 200


@pytest.mark.parametrize("payload, reason", [
    ({"choice": "A\ud800"}, "数据含有无效字符"),
    ({"choice": b"\x00\x01binary"}, "数据格式错误"),
    ({"client_id": "x", "pressed_at": b"\xff"}, "数据格式错误"),
])
def test_bad_socket_payloads_are_answered(hall, payload, reason):  # noqa: F811
    """A lone surrogate or a binary attachment in a payload raised, and the phone never got an answer:
    is each answered with a reason?"""
    phone = hall["phones"][0]
    for event in ("answer", "buzz"):
        assert phone.send(event, payload) == {"ok": False, "reason": reason}, event


def test_a_failing_handler_still_acknowledges(hall, monkeypatch):  # noqa: F811
    """When a handler raises, does the client still get an acknowledgement saying it failed, and does the
    connection carry on?"""
    import live.namespaces

    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(live.namespaces, "snapshot", broken)
    assert hall["phones"][0].resync() == {"ok": False, "reason": FAILED_REASON}
    monkeypatch.undo()
    assert hall["phones"][0].resync()["view"]


def test_a_host_reason_is_cleaned(hall):  # noqa: F811
    """Is an adjustment reason with control characters and line breaks stored as one clean line, and one
    with a lone surrogate refused with its reason?"""
    host = hall["host"]
    adjust = {"type": "AdjustScore", "team": hall["teams"][0], "delta": 5}
    assert host.send("command", {"type": "StartContest"})["ok"]
    assert host.send("command", {**adjust, "reason": "评委\ud800更正"}) == {"ok": False, "reason": "数据含有无效字符"}
    assert host.send("command", {**adjust, "reason": "\x01=HYPERLINK(1)\r\n评委\u200b更正"})["ok"]
    assert host.events[-1]["reason"] == "=HYPERLINK(1) 评委更正"
