"""Audience questions over the /audience namespace: the host opens, closes, reveals and draws; phones
identified by their signed cookie answer once; the display gets the distribution a few times a
second; nothing of it reaches the teams' scores or the contest's event log."""
import pytest
import sqlalchemy as sa

from audience import publisher
from audience.hall import Hall, hall as hall_named
from audience.identity import COOKIE
from audience.models import AudienceAnswer, AudienceQuestion
from live.limits import FLOOD_REASON
from extensions import db
from storage.models import EventRecord
from tests.web.audience_helpers import AudienceClient, phone
from tests.web.setup_factories import make_contest

QUESTION = {"action": "open", "stem": "《政府工作报告》提出的经济增长预期目标是？", "options": ["4%左右", "5%左右", "6%左右"],
            "answer": "B"}


@pytest.fixture
def hall(app, client, auth):
    """A ready contest, the logged-in host and the display connected to its audience namespace."""
    with app.app_context():
        contest = make_contest(ready=True)
        contest_id, token = contest.id, contest.display_token
    auth.login_as("host")
    host = AudienceClient(app, {"role": "host", "contest": contest_id}, client)
    display = AudienceClient(app, {"role": "display", "contest": contest_id, "token": token})
    assert host.connected and display.connected
    return {"contest": contest_id, "host": host, "display": display}


def tick(app) -> None:
    """One publisher tick (tests drive time themselves)."""
    with app.app_context():
        publisher.tick()


def held_hall(app, contest_id: int) -> Hall:
    """The app's in-memory hall of the contest."""
    with app.app_context():
        return hall_named(contest_id)


def stored_answers(app, contest_id: int) -> list[tuple[str, str]]:
    """(phone, choice) of every stored answer of the contest."""
    with app.app_context():
        return db.session.execute(sa.select(AudienceAnswer.phone, AudienceAnswer.choice).join(AudienceQuestion)
                                  .where(AudienceQuestion.contest_id == contest_id)).all()


def test_the_page_gives_a_phone_one_signed_cookie(app, hall):
    """Does the first opening set the audience cookie, a second keep it, and the page show the phone's code?"""
    browser = app.test_client()
    first = browser.get(f"/a/{hall['contest']}")
    assert first.status_code == 200 and COOKIE in first.headers.get("Set-Cookie", "")
    again = browser.get(f"/a/{hall['contest']}")
    assert COOKIE not in again.headers.get("Set-Cookie", "")
    code = browser.get_cookie(COOKIE).value
    assert "观众号" in again.get_data(as_text=True) and code


def test_a_whole_audience_question(app, hall):
    """Open → answers → live distribution to the display only → close → reveal → draw among the right → end."""
    host, display = hall["host"], hall["display"]
    phones = [phone(app, hall["contest"]) for _ in range(5)]
    codes = [client.view["me"]["code"] for client in phones]
    assert phones[0].view == {"question": None, "me": {"code": codes[0], "company": "", "choice": None}}

    assert host.send("audience_command", QUESTION) == {"ok": True}
    shown = display.pump()["question"]
    assert shown["stem"] == QUESTION["stem"] and shown["phase"] == "open" and "answer" not in shown
    assert host.pump()["question"]["answer"] == "B", "the host always sees the right option"
    question_id = shown["id"]
    assert "tally" not in phones[0].pump() and "answer" not in phones[0].view["question"]

    for client, choice in zip(phones, "BBBAC"):
        assert client.send("audience_answer", {"question": question_id, "choice": choice}) == {"ok": True, "choice": choice}
    assert display.tallies == [], "answers are not sent one by one"
    tick(app)
    display.pump()
    assert display.tallies == [{"question": question_id, "counts": [1, 3, 1], "total": 5}]
    assert phones[1].client.get_received("/audience") == [], "the phones get no distribution while answering"
    tick(app)
    assert display.pump() and len(display.tallies) == 1, "nothing new, nothing sent"

    assert host.send("audience_command", {"action": "close"}) == {"ok": True}
    late = phone(app, hall["contest"])
    assert late.send("audience_answer", {"question": question_id, "choice": "B"}) == {"ok": False, "reason": "答题已截止"}
    assert host.send("audience_command", {"action": "reveal"}) == {"ok": True}
    revealed = phones[0].pump()
    assert revealed["question"]["answer"] == "B" and revealed["tally"]["counts"] == [1, 3, 1]
    assert display.pump()["question"]["answer"] == "B"

    assert host.send("audience_command", {"action": "draw"}) == {"ok": True}
    winner = display.pump()["winner"]
    assert winner["code"] in codes[:3], "a phone that answered B"
    assert host.send("audience_command", {"action": "draw"}) == {"ok": False, "reason": "本题已抽过幸运观众"}
    with app.app_context():
        stored = db.session.get(AudienceQuestion, question_id)
        assert stored.winner_phone and stored.winner_phone[:6].upper() == winner["code"]

    assert host.send("audience_command", {"action": "end"}) == {"ok": True}
    assert display.pump() == {"question": None}
    assert sorted(choice for _, choice in stored_answers(app, hall["contest"])) == list("ABBBC")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EventRecord)) == 0, \
            "audience answers are not contest events"


def test_one_answer_per_phone_per_question(app, hall):
    """Is a repeated answer acknowledged with the first, another option refused, and each phone counted once,
    even after a reload of the page (same cookie)?"""
    hall["host"].send("audience_command", QUESTION)
    question_id = hall["display"].pump()["question"]["id"]
    browser = app.test_client()
    first = phone(app, hall["contest"], browser)
    assert first.send("audience_answer", {"question": question_id, "choice": "A"})["ok"]
    assert first.send("audience_answer", {"question": question_id, "choice": "A"}) == {"ok": True, "choice": "A"}
    assert first.send("audience_answer", {"question": question_id, "choice": "C"}) == \
        {"ok": False, "reason": "您已作答，不能更改", "choice": "A"}
    reloaded = phone(app, hall["contest"], browser)
    assert reloaded.view["me"]["choice"] == "A", "the same phone after a reload"
    assert reloaded.send("audience_answer", {"question": question_id, "choice": "B"})["ok"] is False
    tick(app)
    assert hall["display"].pump() and hall["display"].tallies[-1]["counts"] == [1, 0, 0]
    assert len(stored_answers(app, hall["contest"])) == 1


@pytest.mark.parametrize("payload, reason", [
    ({"question": 999, "choice": "A"}, "这道题已结束"),
    ({"question": True, "choice": "A"}, "这道题已结束"),
    ({"choice": "A"}, "这道题已结束"),
    ({"question": "QID", "choice": "Z"}, "选项无效"),
    ({"question": "QID", "choice": ["A"]}, "选项无效"),
    ({"question": "QID", "choice": "AB"}, "选项无效"),
    ({"question": "QID", "choice": "D"}, "选项无效"),
    ("A", "数据格式错误"),
    ({"question": "QID", "choice": "A", "pad": "x" * 3000}, "数据过大"),
])
def test_forged_answers_are_refused(app, hall, payload, reason):
    """Is every malformed or forged answer refused in Chinese, and nothing counted or stored?"""
    hall["host"].send("audience_command", QUESTION)
    question_id = hall["display"].pump()["question"]["id"]
    if isinstance(payload, dict) and payload.get("question") == "QID":
        payload = {**payload, "question": question_id}
    client = phone(app, hall["contest"])
    assert client.send("audience_answer", payload) == {"ok": False, "reason": reason}
    tick(app)
    assert hall["display"].pump() and hall["display"].tallies == []
    assert stored_answers(app, hall["contest"]) == []


def test_only_the_host_steps_and_only_phones_answer(app, hall):
    """Is a phone's or the display's host step refused, the display's answer refused, and a step out of order?"""
    client = phone(app, hall["contest"])
    assert client.send("audience_command", QUESTION) == {"ok": False, "reason": "无权执行此操作"}
    assert hall["display"].send("audience_command", QUESTION) == {"ok": False, "reason": "无权执行此操作"}
    assert client.send("audience_bank") == {"ok": False, "reason": "无权执行此操作"}
    assert hall["host"].send("audience_command", {"action": "reveal"}) == {"ok": False, "reason": "请先停止作答，再公布答案"}
    hall["host"].send("audience_command", QUESTION)
    question_id = hall["display"].pump()["question"]["id"]
    assert hall["display"].send("audience_answer", {"question": question_id, "choice": "A"}) == \
        {"ok": False, "reason": "无权执行此操作"}
    assert hall["host"].send("audience_command", QUESTION) == {"ok": False, "reason": "请先结束当前观众互动题"}
    assert hall["host"].send("audience_command", {"action": "draw"}) == {"ok": False, "reason": "公布答案后才能抽取幸运观众"}
    assert hall["host"].send("audience_command", {"action": "explode"}) == {"ok": False, "reason": "未知的观众互动操作"}
    assert hall["host"].send("audience_command", {"action": "close"})["ok"]
    assert hall["host"].send("audience_command", {"action": "reveal"})["ok"]
    assert hall["host"].send("audience_command", {"action": "draw"}) == {"ok": False, "reason": "没有答对的观众，无法抽奖"}


@pytest.mark.parametrize("typed, reason", [
    ({"stem": "", "options": ["甲", "乙"], "answer": "A"}, "请填写题目"),
    ({"stem": "题", "options": ["甲"], "answer": "A"}, "选项应为 2–6 个"),
    ({"stem": "题", "options": "甲乙", "answer": "A"}, "选项格式错误"),
    ({"stem": "题", "options": ["甲", "乙"], "answer": "C"}, "请选择正确答案"),
    ({"stem": "题", "options": ["甲", "乙"], "answer": ""}, "请选择正确答案"),
    ({"stem": "题" * 501, "options": ["甲", "乙"], "answer": "A"}, "题目不能超过 500 字"),
])
def test_a_typed_question_is_checked(hall, typed, reason):
    """Is a question the host types refused with the reason when it cannot be answered with one tap?"""
    assert hall["host"].send("audience_command", {"action": "open", **typed}) == {"ok": False, "reason": reason}


def test_bank_questions_exclude_the_stages_questions(app, hall):
    """Does the host get only single-choice and true/false bank questions that no stage drew, and can open one
    (a true/false one as 对/错), but not a question the stages use?"""
    offered = hall["host"].send("audience_bank")["questions"]
    with app.app_context():
        from contest_setup import service

        contest = service.get_contest(hall["contest"])
        drawn = service.used_question_ids(contest)
    assert offered and not {item["id"] for item in offered} & drawn
    assert all(2 <= len(item["options"]) <= 6 and item["answer"] in "ABCDEF" for item in offered)
    assert hall["host"].send("audience_command", {"action": "open", "bank_question": sorted(drawn)[0]})["ok"] is False
    chosen = offered[0]
    assert hall["host"].send("audience_command", {"action": "open", "bank_question": chosen["id"]}) == {"ok": True}
    assert hall["display"].pump()["question"]["stem"] == chosen["stem"]
    hall["host"].send("audience_command", {"action": "end"})
    again = hall["host"].send("audience_bank")["questions"]
    assert chosen["id"] not in {item["id"] for item in again}, "a question put to the hall is not offered again"


def test_a_phone_without_a_valid_cookie_cannot_connect(app, hall):
    """Is a phone with no cookie or a forged one refused (it must scan the QR again), and a host without login?"""
    assert not AudienceClient(app, {"contest": hall["contest"]}, app.test_client()).connected
    forged = app.test_client()
    forged.set_cookie(COOKIE, "WyIwMTIzNDU2Nzg5YWJjZGVmIiwiIl0.forged")
    assert not AudienceClient(app, {"contest": hall["contest"]}, forged).connected
    assert not AudienceClient(app, {"role": "host", "contest": hall["contest"]}, app.test_client()).connected
    assert not AudienceClient(app, {"role": "display", "contest": hall["contest"], "token": "wrong"}).connected


def test_beyond_the_budget_a_phone_is_told_and_polls(app, hall):
    """With a budget of 2 phones, is the third told 现场人数已满 and closed, and does it still answer over HTTP,
    once, with the same checks? Does a freed place admit a phone again?"""
    app.config["AUDIENCE_MAX_PHONES"] = 2
    inside = [phone(app, hall["contest"]) for _ in range(2)]
    assert all(client.view.get("question", "absent") is None for client in inside)
    browser = app.test_client()
    outside = phone(app, hall["contest"], browser)
    assert outside.view == {"full": True, "reason": "现场人数已满"}

    hall["host"].send("audience_command", QUESTION)
    question_id = hall["display"].pump()["question"]["id"]
    polled = browser.get(f"/a/{hall['contest']}/view").get_json()
    assert polled["question"]["id"] == question_id and polled["me"]["choice"] is None
    posted = browser.post(f"/a/{hall['contest']}/answer", json={"question": question_id, "choice": "C"}).get_json()
    assert posted == {"ok": True, "choice": "C"}
    again = browser.post(f"/a/{hall['contest']}/answer", json={"question": question_id, "choice": "A"}).get_json()
    assert again["ok"] is False and again["choice"] == "C"
    assert browser.get(f"/a/{hall['contest']}/view").get_json()["me"]["choice"] == "C"
    assert app.test_client().get(f"/a/{hall['contest']}/view").status_code == 403, "no cookie, no view"

    inside[0].client.disconnect(namespace="/audience")
    assert phone(app, hall["contest"]).view.get("full") is None, "a freed place admits a phone"


def test_a_company_pick_is_kept_with_the_answers(app, hall):
    """Can a phone pick one of the contest's companies (not any text), and is its answer stored with it?"""
    with app.app_context():
        from contest_setup import service

        company = service.get_contest(hall["contest"]).teams_by_seat[0].company
    assert company
    browser = app.test_client()
    browser.get(f"/a/{hall['contest']}")
    assert browser.post(f"/a/{hall['contest']}/company", data={"company": "不存在的单位"}).status_code == 400
    assert browser.post(f"/a/{hall['contest']}/company", data={"company": company}).status_code == 302
    client = phone(app, hall["contest"], browser)
    assert client.view["me"]["company"] == company
    hall["host"].send("audience_command", QUESTION)
    question_id = hall["display"].pump()["question"]["id"]
    client.send("audience_answer", {"question": question_id, "choice": "B"})
    tick(app)
    with app.app_context():
        assert db.session.scalars(sa.select(AudienceAnswer.company)).all() == [company]


def test_a_restarted_server_finds_the_question_and_its_stored_answers(app, hall):
    """After the process's memory is gone, does the hall load its open question and stored answers again,
    so a phone that answered still cannot answer twice?"""
    hall["host"].send("audience_command", QUESTION)
    question_id = hall["display"].pump()["question"]["id"]
    browser = app.test_client()
    client = phone(app, hall["contest"], browser)
    client.send("audience_answer", {"question": question_id, "choice": "A"})
    tick(app)
    app.extensions.pop("audience_halls")
    again = phone(app, hall["contest"], browser)
    assert again.view["question"]["id"] == question_id and again.view["me"]["choice"] == "A"
    assert again.send("audience_answer", {"question": question_id, "choice": "B"})["ok"] is False


def test_the_display_qr_code_is_a_standalone_svg_of_the_phone_page(app, hall):
    """Is the QR code an SVG image a browser draws on its own (with its namespace), and an unknown contest 404?"""
    response = app.test_client().get(f"/a/{hall['contest']}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.data
    assert app.test_client().get("/a/99999").status_code == 404
    assert app.test_client().get("/a/99999/qr.svg").status_code == 404


def test_a_phone_flooding_answers_is_limited(app, hall):
    """Is a phone sending answers far faster than a person refused past its burst, before anything is counted?"""
    hall["host"].send("audience_command", QUESTION)
    question_id = hall["display"].pump()["question"]["id"]
    client = phone(app, hall["contest"])
    acks = [client.send("audience_answer", {"question": question_id, "choice": "A"}) for _ in range(60)]
    assert acks[0] == {"ok": True, "choice": "A"}
    assert {"ok": False, "reason": FLOOD_REASON} in acks
    tick(app)
    assert hall["display"].pump() and hall["display"].tallies[-1]["total"] == 1


def test_audience_connects_count_against_their_own_gate(app, hall, monkeypatch):
    """Do the hall's connect attempts go through the audience namespace's gate, leaving the teams' phones'
    connect allowance alone?"""
    live_gate, audience_gate = app.extensions["live_connect_gate"], app.extensions["audience_connect_gate"]
    assert live_gate is not audience_gate
    admitted = {"live": 0, "audience": 0}

    def counting(name, gate):
        admit = gate.admit

        def counted(*args):
            admitted[name] += 1
            return admit(*args)
        monkeypatch.setattr(gate, "admit", counted)

    counting("live", live_gate)
    counting("audience", audience_gate)
    for _ in range(3):
        phone(app, hall["contest"])
    assert admitted == {"live": 0, "audience": 3}


def test_a_batch_keeps_its_other_answers_when_one_phone_has_a_stored_answer(app, hall):
    """With several processes a phone may have answered on another one first: is the batch stored without
    that row, the phone's stored answer kept (and now its answer here too), and each phone counted once?"""
    hall["host"].send("audience_command", QUESTION)
    question_id = hall["display"].pump()["question"]["id"]
    twice, once = phone(app, hall["contest"]), phone(app, hall["contest"])
    assert twice.send("audience_answer", {"question": question_id, "choice": "C"})["ok"]
    assert once.send("audience_answer", {"question": question_id, "choice": "B"})["ok"]
    twice_id = held_hall(app, hall["contest"]).pending[0]["phone"]
    with app.app_context():
        db.session.execute(sa.insert(AudienceAnswer), [{"question_id": question_id, "phone": twice_id, "company": "",
                                                        "choice": "A", "answered_ms": 0}])  # another process's
        db.session.commit()
    tick(app)
    assert sorted(choice for _, choice in stored_answers(app, hall["contest"])) == ["A", "B"]
    assert held_hall(app, hall["contest"]).answers[twice_id] == "A"
    assert hall["display"].pump() and hall["display"].tallies[-1] == {"question": question_id, "counts": [1, 1, 0],
                                                                      "total": 2}
