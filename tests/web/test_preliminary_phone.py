"""The preliminary round on a phone: registering, answering against the server's clock, resuming,
and every bad input refused in Chinese with nothing stored."""
import re

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from extensions import db
from preliminary import attempts as answering
from preliminary import identity, results, service
from preliminary.models import PrelimAnswer, PrelimAttempt, PrelimDuplicate, PrelimPerson
from preliminary.settings import GRACE_SECONDS
from tests.databases import on_postgresql
from tests.web.prelim_factories import START_MS, clock, make_round  # noqa: F401  (clock is a fixture)

RIGHT = {"single": "C", "multi": "AB", "true_false": "对"}


@pytest.fixture
def hall(app, clock):
    """An open round with three companies and their invite paths."""
    with app.app_context():
        prelim = make_round(attempts_total=2)
        with app.test_request_context():
            invites = [f"/p/{identity.invite_token(company)}" for company in prelim.companies]
        return {"round": prelim.id, "invites": invites, "base": f"/p/round/{prelim.id}", "clock": clock}


def register(client, hall, company=0, name="张三", mobile="13812345678"):
    """Register through a company's invite link."""
    return client.post(hall["invites"][company], data={"name": name, "mobile": mobile})


def start(client, hall):
    """Start (or resume) an attempt; the JSON state."""
    return client.post(f"{hall['base']}/start", json={}).get_json()


def send(client, hall, shown, choice=None, **changes):
    """Answer ``shown`` (a state's question) with ``choice`` (the right one by default)."""
    body = {"attempt": shown["attempt"], "position": shown["position"], "question": shown["id"],
            "choice": RIGHT[shown["type"]] if choice is None else choice, **changes}
    return client.post(f"{hall['base']}/answer", json=body)


def answers_stored(app) -> int:
    """How many answers the database holds."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(PrelimAnswer.id)))


def paper_ids(app) -> list[int]:
    """The question ids of the (only) attempt's paper."""
    with app.app_context():
        return db.session.scalar(sa.select(PrelimAttempt)).question_ids


def test_the_invite_page_shows_the_company_the_fields_and_the_rules(client, hall):
    """Does the first screen name the round, organizer and company, ask name and number, state five rules?"""
    page = client.get(hall["invites"][1]).get_data(as_text=True)
    assert "测试初赛" in page and "测试主办" in page and "青禾生物" in page
    assert 'name="name"' in page and 'name="mobile"' in page and "开始答题" in page
    assert page.count("<li>") >= 5 and "每次 4 题" in page and "作答后不能返回修改" in page


@pytest.mark.parametrize(("name", "mobile", "message"), [
    ("", "13812345678", "请填写姓名"), ("张三", "12345", "手机号应为 11 位"), ("张三3", "13812345678", "数字"),
    ("张" * 40, "13812345678", "不能超过"),
])
def test_bad_registrations_are_refused_and_nothing_stored(app, client, hall, name, mobile, message):
    """Is a bad name or number refused with a Chinese message on the page, no person stored, no cookie?"""
    response = register(client, hall, name=name, mobile=mobile)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert identity.cookie_name(hall["round"]) not in response.headers.get("Set-Cookie", "")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PrelimPerson.id))) == 0


def test_a_forged_invite_link_is_refused(client, hall):
    """Does a guessed or altered invite token open nothing?"""
    assert client.get("/p/guessed").status_code == 404
    assert client.get(hall["invites"][0][:-2] + "xx").status_code == 404


def test_register_answer_and_finish_with_score_rank_and_company(app, client, hall):
    """Register, get question 1 of 4 with the server's time, answer all, see score, time, rank, company."""
    response = register(client, hall)
    assert response.status_code == 302 and response.location.endswith(f"{hall['base']}?start=1")
    assert client.get(response.location).status_code == 200
    state = start(client, hall)
    question = state["question"]
    assert (question["number"], question["total"], question["remaining_ms"]) == (1, 4, 600_000)
    assert "answer" not in question and all("answer" not in option for option in question["options"])
    for _ in range(4):
        hall["clock"].advance(10)
        state = send(client, hall, state["question"]).get_json()
    assert state["phase"] == "result"
    result = state["result"]
    assert (result["score"], result["full_marks"], result["elapsed_ms"], result["rank"]) == (5, 5, 40_000, 1)
    assert result["company"] == {"name": "云帆数据", "rank": 1, "companies": 3, "participants": 1, "headcount": 10,
                                 "rate": 10.0, "score": 5.0}
    assert len(result["review"]) == 4 and all(item["correct"] for item in result["review"])
    assert answers_stored(app) == 4


def test_every_answer_is_stored_when_given_and_a_reload_resumes(app, client, hall):
    """After one answer and 100 s, does a reload (or another state request) show question 2 with 500 s left?"""
    register(client, hall)
    first = start(client, hall)["question"]
    hall["clock"].advance(30)
    assert send(client, hall, first).status_code == 200
    assert answers_stored(app) == 1
    hall["clock"].advance(70)
    again = client.get(f"{hall['base']}/state").get_json()["question"]
    assert (again["number"], again["remaining_ms"], again["id"]) == (2, 500_000, again["id"])
    assert client.get(f"{hall['base']}/state").get_json()["question"] == again
    assert start(client, hall)["question"]["id"] == again["id"]  # "start" again resumes, no second paper


def test_the_same_name_and_number_resume_on_another_phone(app, client, hall):
    """Does a second phone registering with the same name and number continue the same paper, same time?"""
    register(client, hall)
    question = start(client, hall)["question"]
    send(client, hall, question)
    hall["clock"].advance(20)
    other_phone = app.test_client()
    assert register(other_phone, hall).status_code == 302
    resumed = other_phone.get(f"{hall['base']}/state").get_json()["question"]
    assert resumed == client.get(f"{hall['base']}/state").get_json()["question"]
    assert resumed["number"] == 2


def test_another_name_with_the_same_number_is_refused(app, client, hall):
    """Can nobody register with someone else's number (answering for another)?"""
    register(client, hall)
    response = register(app.test_client(), hall, name="李四")
    assert response.status_code == 400 and "该手机号已由另一姓名登记" in response.get_data(as_text=True)


def test_the_same_number_in_another_company_is_refused_and_reported(app, client, hall, auth):
    """Is a number registered with company A refused at company B's link and listed for the organizer?"""
    register(client, hall, company=0)
    response = register(app.test_client(), hall, company=2)
    assert response.status_code == 400 and "该手机号已在「云帆数据」登记" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PrelimDuplicate.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(PrelimPerson.id))) == 1
    auth.login_as("organizer")
    page = client.get(f"/preliminary/{hall['round']}/live").get_data(as_text=True)
    assert "13812345678" in page and "博远智造" in page


def test_the_same_answer_twice_is_acknowledged_once(app, client, hall):
    """A resent answer (lost acknowledgement): the same acknowledgement, one stored answer, same score."""
    register(client, hall)
    question = start(client, hall)["question"]
    first = send(client, hall, question).get_json()
    second = send(client, hall, question)
    assert second.status_code == 200 and second.get_json()["duplicate"] is True
    assert second.get_json()["question"]["number"] == first["question"]["number"] == 2
    assert answers_stored(app) == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"choice": "A"}, "本题已作答，答案不能修改"),
])
def test_a_given_answer_cannot_be_changed(app, client, hall, change, message):
    """Is a different answer to an answered question refused, the first one kept?"""
    register(client, hall)
    question = start(client, hall)["question"]
    send(client, hall, question)
    response = send(client, hall, question, **change)
    assert response.status_code == 409 and response.get_json()["reason"] == message
    with app.app_context():
        assert db.session.scalar(sa.select(PrelimAnswer.choice)) == "C"


@pytest.mark.parametrize(("change", "message"), [
    ({"question": 999_999}, "该题不在您的试卷中"),
    ({"position": 1}, "请按顺序作答当前题目"),
    ({"position": 17}, "该题不在您的试卷中"),
    ({"choice": "E"}, "所选答案不是本题的选项"),
    ({"choice": "AB"}, "单选题只能选一个答案"),
    ({"choice": ""}, "请选择答案"),
    ({"attempt": "1"}, "请求格式不正确"),
])
def test_impossible_answers_are_refused_and_nothing_stored(app, client, hall, change, message):
    """A question not in the paper, out of order, no such option, a bad request: refused, nothing stored."""
    register(client, hall)
    question = start(client, hall)["question"]
    assert question["type"] == "single"
    if change.get("position") == 1:
        change["question"] = paper_ids(app)[1]
    response = send(client, hall, question, **change)
    assert response.status_code == 409 and response.get_json()["reason"] == message
    assert answers_stored(app) == 0


def test_nobody_answers_for_another_person(app, client, hall):
    """Is a person's answer to another person's attempt refused, even knowing its ids?"""
    register(client, hall)
    victim = start(client, hall)["question"]
    intruder = app.test_client()
    register(intruder, hall, name="李四", mobile="13900000000")
    start(intruder, hall)
    response = send(intruder, hall, victim)
    assert response.status_code == 409 and response.get_json()["reason"] == "这不是您的答题记录"
    assert intruder.post(f"{hall['base']}/leave", json={"attempt": victim["attempt"]}).status_code == 409
    assert answers_stored(app) == 0


def test_an_answer_after_the_time_limit_is_refused(app, client, hall):
    """Within the grace an answer counts; after the limit plus the grace it is refused and the attempt closed."""
    register(client, hall)
    question = start(client, hall)["question"]
    hall["clock"].advance(600 + GRACE_SECONDS - 0.5)
    assert send(client, hall, question).status_code == 200
    hall["clock"].advance(1)
    state = client.get(f"{hall['base']}/state").get_json()
    assert state["phase"] == "result" and state["result"]["elapsed_ms"] == 600_000
    late = send(client, hall, question, position=1, question=paper_ids(app)[1])
    assert late.status_code == 409 and late.get_json()["reason"] == "本次答题时间已到，答案未被记录"
    assert answers_stored(app) == 1


def test_an_answer_after_the_window_closed_is_refused(app, client, clock):
    """An attempt started ten minutes before the window's end is cut at the end (plus the grace)."""
    with app.app_context():
        prelim = make_round(days=1)
        with app.test_request_context():
            invite = f"/p/{identity.invite_token(prelim.companies[0])}"
        end = service.ms_of(prelim.window_end)
        base = f"/p/round/{prelim.id}"
    clock.now = end - 120_000
    client.post(invite, data={"name": "王五", "mobile": "13700000000"})
    question = client.post(f"{base}/start", json={}).get_json()["question"]
    assert question["remaining_ms"] == 120_000
    clock.now = end + GRACE_SECONDS * 1000 + 1
    response = client.post(f"{base}/answer", json={"attempt": question["attempt"], "position": 0,
                                                   "question": question["id"], "choice": "C"})
    assert response.status_code == 409 and response.get_json()["reason"] == "本次答题时间已到，答案未被记录"
    refused = client.post(f"{base}/start", json={})
    assert refused.status_code == 409 and refused.get_json()["reason"] == "答题时间已结束"
    assert answers_stored(app) == 0


def test_per_question_time_moves_on_by_itself(app, client, clock):
    """With 每题限时 20 s, a phone that goes quiet finds later questions timed out (未作答), not paused."""
    with app.app_context():
        prelim = make_round(time_mode="question", question_seconds=20)
        with app.test_request_context():
            invite = f"/p/{identity.invite_token(prelim.companies[0])}"
        base = f"/p/round/{prelim.id}"
    client.post(invite, data={"name": "王五", "mobile": "13700000000"})
    first = client.post(f"{base}/start", json={}).get_json()["question"]
    assert first["remaining_ms"] == 20_000 and first["per_question"]
    clock.advance(20 + GRACE_SECONDS + 5)  # question 1 timed out 5 s ago; question 2 started then
    second = client.get(f"{base}/state").get_json()["question"]
    assert (second["number"], second["remaining_ms"]) == (2, 15_000)
    late = client.post(f"{base}/answer", json={"attempt": first["attempt"], "position": 0, "question": first["id"],
                                               "choice": "C"})
    assert late.get_json()["reason"] == "本题作答时间已到，答案未被记录"
    clock.advance(3 * (20 + GRACE_SECONDS))
    result = client.get(f"{base}/state").get_json()["result"]
    assert result["score"] == 0 and [item["given"] for item in result["review"]] == ["未作答"] * 4


def test_leaving_the_page_is_counted_and_voids_past_the_limit(app, client, clock, auth):
    """Leaves are counted; past the round's limit the attempt is void and does not count."""
    with app.app_context():
        prelim = make_round(leave_limit=2)
        with app.test_request_context():
            invite = f"/p/{identity.invite_token(prelim.companies[0])}"
        base = f"/p/round/{prelim.id}"
    client.post(invite, data={"name": "王五", "mobile": "13700000000"})
    question = client.post(f"{base}/start", json={}).get_json()["question"]
    for expected in (1, 2):
        assert client.post(f"{base}/leave", json={"attempt": question["attempt"]}).get_json()["leaves"] == expected
    assert client.get(f"{base}/state").get_json()["phase"] == "question"
    assert client.post(f"{base}/leave", json={"attempt": question["attempt"]}).get_json()["status"] == "void"
    state = client.get(f"{base}/state").get_json()
    assert state["phase"] == "result" and state["result"]["void"] and state["result"]["rank"] is None
    assert client.post(f"{base}/leave", json={"attempt": "x"}).status_code == 409
    auth.login_as("organizer")
    page = client.get(f"/preliminary/{prelim.id}/people/1").get_data(as_text=True)
    assert "已作废" in page and "离开页面 3 次" in page


def test_attempt_limits_in_total_and_per_day(app, client, clock):
    """Two attempts a day: a third the same day is refused, the next day allowed, then the total runs out."""
    with app.app_context():
        prelim = make_round(attempts_total=3, attempts_per_day=2)
        with app.test_request_context():
            invite = f"/p/{identity.invite_token(prelim.companies[0])}"
        base = f"/p/round/{prelim.id}"
    client.post(invite, data={"name": "王五", "mobile": "13700000000"})

    def sit() -> dict:
        state = client.post(f"{base}/start", json={}).get_json()
        while state["phase"] == "question":
            question = state["question"]
            state = client.post(f"{base}/answer", json={"attempt": question["attempt"], "position": question["position"],
                                                        "question": question["id"], "choice": RIGHT[question["type"]]}).get_json()
        return state

    assert sit()["allowance"]["today_left"] == 1
    assert sit()["allowance"]["reason"].startswith("今天的答题次数已用完")
    refused = client.post(f"{base}/start", json={})
    assert refused.status_code == 409 and "明天再来" in refused.get_json()["reason"]
    clock.advance(24 * 3600)
    assert sit()["allowance"]["reason"] == "您的答题次数已用完（共 3 次）"


def test_right_answers_wait_for_the_window_when_so_set(app, client, clock):
    """With 答题时间结束后显示, the end screen has no right answers until the window closes."""
    with app.app_context():
        prelim = make_round(reveal="after_window", days=1)
        with app.test_request_context():
            invite = f"/p/{identity.invite_token(prelim.companies[0])}"
        base, end = f"/p/round/{prelim.id}", service.ms_of(prelim.window_end)
    client.post(invite, data={"name": "王五", "mobile": "13700000000"})
    state = client.post(f"{base}/start", json={}).get_json()
    while state["phase"] == "question":
        question = state["question"]
        state = client.post(f"{base}/answer", json={"attempt": question["attempt"], "position": question["position"],
                                                    "question": question["id"], "choice": "对" if question["type"] == "true_false" else "A"}).get_json()
    assert "review" not in state["result"] and "结束后公布" in state["result"]["review_note"]
    clock.now = end + 1
    assert len(client.get(f"{base}/state").get_json()["result"]["review"]) == 4


def test_a_forged_or_altered_cookie_opens_nothing(app, client, hall):
    """Without a valid cookie every phone request is refused (403, re-register), nothing stored."""
    register(client, hall)
    name = identity.cookie_name(hall["round"])
    real = client.get_cookie(name).value
    with app.app_context():
        resigned = URLSafeSerializer("not-the-key", salt=identity.PERSON_SALT).dumps([hall["round"], 1, 1])
    for forged in (real[:-2] + ("AA" if real[-2:] != "AA" else "BB"), resigned, "garbage"):
        phone = app.test_client()
        phone.set_cookie(name, forged)
        for method, path in (("GET", "/state"), ("POST", "/start"), ("POST", "/answer"), ("POST", "/leave")):
            response = phone.open(hall["base"] + path, method=method, json={})
            assert response.status_code == 403 and response.get_json()["relogin"] is True
        assert phone.get(hall["base"]).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PrelimAttempt.id))) == 0


def page_token(client, hall) -> str:
    """The token the answering page carries for this phone's person."""
    page = client.get(hall["base"]).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', page).group(1)


def test_phone_requests_need_the_page_token_of_their_own_person(app, client, hall):
    """With CSRF protection on (as in production): is every POST of the answering page refused
    without the page's token, with another person's token, or from another site even with the right
    one, nothing stored; and accepted with its own token?"""
    register(client, hall)
    other = app.test_client()
    register(other, hall, name="李四", mobile="13900000000")
    app.config["WTF_CSRF_ENABLED"] = True  # after registering: the form's own token is another test's
    own, foreign = page_token(client, hall), page_token(other, hall)
    assert own != foreign
    for headers in ({}, {"X-CSRFToken": foreign}, {"X-CSRFToken": own, "Sec-Fetch-Site": "cross-site"}):
        for path in ("/start", "/answer", "/leave"):
            response = client.post(hall["base"] + path, json={"attempt": 1, "position": 0, "question": 1,
                                                              "choice": "A"}, headers=headers)
            assert response.status_code == 403 and "安全校验未通过" in response.get_json()["reason"], (path, headers)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PrelimAttempt.id))) == 0
    headers = {"X-CSRFToken": own, "Sec-Fetch-Site": "same-origin"}
    shown = client.post(f"{hall['base']}/start", json={}, headers=headers).get_json()["question"]
    body = {"attempt": shown["attempt"], "position": shown["position"], "question": shown["id"],
            "choice": RIGHT[shown["type"]]}
    assert client.post(f"{hall['base']}/answer", json=body, headers={"X-CSRFToken": foreign}).status_code == 403
    assert client.post(f"{hall['base']}/answer", json=body, headers=headers).get_json()["saved"]
    assert answers_stored(app) == 1


def test_the_answering_page_and_its_requests_leave_the_session_alone(app, client, hall):
    """Do the answering page and its JSON requests neither read nor set the session cookie (the
    phone's identity is its own cookie), so a save costs no session decoding?"""
    register(client, hall)
    client.set_cookie("session", "not-a-valid-session")
    responses = [client.get(hall["base"]), client.get(f"{hall['base']}/state"), client.post(f"{hall['base']}/start", json={})]
    assert all(response.status_code == 200 for response in responses)
    assert not any("session=" in header for response in responses for header in response.headers.getlist("Set-Cookie"))


def test_a_cookie_of_another_round_is_refused(app, client, hall):
    """Is one round's identity useless in another round?"""
    register(client, hall)
    with app.app_context():
        other = service.create_round("另一初赛")
        other_id = other.id
    client.set_cookie(identity.cookie_name(other_id), client.get_cookie(identity.cookie_name(hall["round"])).value)
    assert client.get(f"/p/round/{other_id}/state").status_code == 403


def test_start_is_refused_before_the_window_opens(app, client, hall):
    """Before the start time: registration works, starting is refused with the reason."""
    hall["clock"].now = START_MS - 60_000
    register(client, hall)
    state = client.get(f"{hall['base']}/state").get_json()
    assert state["phase"] == "closed" and state["allowance"]["reason"] == "答题尚未开始"
    assert client.post(f"{hall['base']}/start", json={}).get_json()["reason"] == "答题尚未开始"


def test_the_end_screen_ranks_a_result_the_cached_results_do_not_know_yet(app, hall):
    """Two people finishing within the results' cache time: is the second ranked at once, among both?"""
    phones = []
    for name, mobile, wrong in (("甲一", "13800000001", False), ("乙二", "13800000002", True)):
        phone = app.test_client()
        register(phone, hall, name=name, mobile=mobile)
        state = start(phone, hall)
        while state["phase"] == "question":
            question = state["question"]
            choice = "A" if wrong and question["type"] == "single" else None
            state = send(phone, hall, question, choice).get_json()
        phones.append(state["result"])
    assert (phones[0]["rank"], phones[0]["ranked"]) == (1, 1)
    assert (phones[1]["rank"], phones[1]["ranked"]) == (2, 2)


@pytest.mark.skipif(on_postgresql(), reason="counts the statements through SQLite's own trace callback")
def test_an_answer_in_time_reads_once_and_writes_twice(app, client, hall):
    """Does storing an answer read the person, the round and the attempt in one query, then write the
    answer and the attempt's progress in one transaction (the per-save cost the preliminary
    benchmark measures)? Every statement SQLite runs is traced, SQLAlchemy's or the driver's own."""
    register(client, hall)
    shown = start(client, hall)["question"]
    statements = []
    with app.app_context():
        db.engine.dispose()  # every connection from now on is a new one, traced from its start
        sa.event.listen(db.engine, "connect", lambda connection, _record: connection.set_trace_callback(
            lambda sql: statements.append(sql.split()[0].upper())))
    assert send(client, hall, shown).get_json()["saved"]
    assert [s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")] == ["SELECT", "INSERT", "UPDATE"]
    assert statements.count("COMMIT") == 1 and statements.index("COMMIT") > statements.index("UPDATE")
    assert answers_stored(app) == 1


@pytest.mark.parametrize("time_mode", ["paper", "question"])
def test_settling_a_round_reads_exactly_the_attempts_whose_time_is_over(app, clock, time_mode):
    """Does the round's settling select, at every moment, the open attempts whose current question (grace
    included) is over, and no other, and leave none of those open?"""
    with app.app_context():
        prelim = make_round(time_mode=time_mode, question_seconds=20, attempts_total=2)
        with app.test_request_context():
            invite = f"/p/{identity.invite_token(prelim.companies[0])}"
        base, prelim_id = f"/p/round/{prelim.id}", prelim.id
    for number in range(6):  # six people starting 7 s apart
        phone = app.test_client()
        phone.post(invite, data={"name": f"答题人{'甲乙丙丁戊己'[number]}", "mobile": f"1370000000{number}"})
        phone.post(f"{base}/start", json={})
        clock.advance(7)
    with app.app_context():
        prelim = db.session.get(service.PrelimRound, prelim_id)
        settings = service.round_settings(prelim)
        open_attempts = db.session.scalars(sa.select(PrelimAttempt)).all()
        for moment in range(clock.now - 60_000, clock.now + 700_000, 2_500):
            due = {a.id for a in open_attempts
                   if moment > answering.question_deadline(a, settings) + GRACE_SECONDS * 1000}
            selected = set(db.session.scalars(sa.select(PrelimAttempt.id).where(answering.overdue(settings, moment))))
            assert selected == due, moment
        later = clock.now + 30_000  # every first question's 20 s are over; no paper's 10 minutes are
        answering.settle_round(prelim, later)
        still_open = db.session.scalars(sa.select(PrelimAttempt).where(PrelimAttempt.status == "open")).all()
        assert all(later <= answering.question_deadline(a, settings) + GRACE_SECONDS * 1000 for a in still_open)
        assert sorted(a.position > 0 for a in still_open) == [time_mode == "question"] * 6


def test_phones_finishing_while_results_are_computed_take_the_cached_ones(app, hall, monkeypatch):
    """When the cached results run out, does one request compute them while the others, arriving meanwhile,
    get the previous ones, and does the next request after that compute afresh?"""
    monkeypatch.setattr("preliminary.results.CACHE_SECONDS", -1.0)  # the cache is always out of date
    monkeypatch.setattr("preliminary.results.COMPUTE_SHARE", float("inf"))  # however long computing took
    computed, seen_meanwhile = [], []
    real_compute = results.compute

    def compute_with_a_phone_finishing_meanwhile(prelim):
        computed.append(prelim.id)
        if len(computed) == 2:
            seen_meanwhile.append(results.round_results(prelim, hall["clock"].now))
        return real_compute(prelim)

    monkeypatch.setattr("preliminary.results.compute", compute_with_a_phone_finishing_meanwhile)
    with app.app_context():
        prelim = db.session.get(service.PrelimRound, hall["round"])
        first = results.round_results(prelim, hall["clock"].now)
        second = results.round_results(prelim, hall["clock"].now)
        assert seen_meanwhile == [first] and second is not first and len(computed) == 2
        results.round_results(prelim, hall["clock"].now)
        assert len(computed) == 3
