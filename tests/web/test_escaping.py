"""Is text typed by organizers (or imported from a spreadsheet) always shown as text, never run as HTML?

Every name, stem, option, explanation and reason below carries ``<script>…</script><b>粗</b>``.
Every HTML page of the app (every GET route of the authorization matrix) must show it escaped;
the live views deliver it as plain text, and the pages' scripts only ever set ``textContent``.
"""
import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

from certificates.codes import new_code
from certificates.models import Certificate
from contest_setup import branding, joining, service
from contest_setup.models import ContestStage
from extensions import db
from preliminary import attempts as answering
from preliminary import identity as prelim_identity
from preliminary import service as prelim_service
from question_bank.models import Question, QuestionBank
from question_bank.schema import stem_hash
from tests.question_files import HEADER
from tests.web.live_helpers import ViewClient
from tests.web.prelim_factories import START_MS, make_round
from tests.web.setup_factories import make_contest
from tests.web.test_authorization_matrix import EVERYONE, ORGANIZERS, PHONES, ROUTES, STAFF

XSS = "<script>alert(1)</script><b>粗</b>"
RAW_MARKS = ("<script>alert(1)", "<b>粗</b>")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;粗&lt;/b&gt;"
STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"


@pytest.fixture
def hostile(app, client, auth):
    """A contest where every organizer-typed text carries HTML, played up to a decided question,
    with a pending upload whose stems carry HTML too; the client is an organizer."""
    with app.app_context():
        contest = make_contest(ready=False, team_count=3)
        prelim = make_round(companies=((XSS, 10), (f"{XSS}乙", 5)))
        prelim.name = prelim.organizer_name = XSS
        contest.name = f"{XSS} 决赛"
        for seat, team in enumerate(contest.teams_by_seat, start=1):
            team.name, team.company, team.members = f"{XSS}{seat}", XSS, [XSS]
        for stage in contest.stages:
            stage.title = f"{XSS}{stage.position}"
        db.session.query(QuestionBank).first().name = XSS
        for number, question in enumerate(db.session.query(Question), start=1):
            question.stem = f"{XSS} 第{number}题"
            question.stem_hash = stem_hash(question.stem)
            question.options = [XSS, "200", "300", "500"]
            question.explanation = question.source = question.category = XSS
        db.session.commit()
        service.mark_ready(contest)
        branding.save_words(contest, XSS, f"{XSS}\n主办单位：{XSS}", "")
        certificate = Certificate(contest_id=contest.id, position=1, award="一等奖", winner=XSS, detail=XSS,
                                  contest_title=XSS, awarded_on=date(2026, 12, 4), code=new_code())
        db.session.add(certificate)
        db.session.commit()
        person = prelim_service.register(prelim.companies[0], "张三", "13812345678")
        answering.start_attempt(prelim, person, START_MS + 3600_000)
        ids = {"c": contest.id, "other_c": contest.id, "s": contest.stages[0].id, "t": contest.teams_by_seat[0].id,
               "q": contest.stages[0].questions[0].id, "b": db.session.query(QuestionBank).first().id,
               "question": db.session.query(Question).first().id, "display_token": contest.display_token,
               "brand_key": branding.branding_row(contest).asset_key, "cert": certificate.id, "cert_code": certificate.code,
               "join_token": joining.make_join_token(contest.teams_by_seat[0]),
               "pr": prelim.id, "pc": prelim.companies[0].id, "pp": person.id, "prelim_display": prelim.display_token}
        with app.test_request_context():
            ids["prelim_invite"] = ids["tampered_prelim_invite"] = prelim_identity.invite_token(prelim.companies[0])
    auth.login_as("organizer")
    host = ViewClient(app, "/host", {"contest": ids["c"]}, client)
    display = ViewClient(app, "/display", {"contest": ids["c"], "token": ids["display_token"]})
    for command in ({"type": "StartContest"}, {"type": "StartStage"}, {"type": "NextQuestion"}):
        assert host.send("command", command)["ok"], command
    shown = {"host": host.pump(), "display": display.pump()}
    for command in ({"type": "Judge", "verdict": "right"}, {"type": "RevealAnswer"},
                    {"type": "AdjustScore", "team": ids["t"], "delta": 5, "reason": XSS}):
        assert host.send("command", command)["ok"], command
    host.close()
    display.close()
    upload = io.StringIO()
    csv.writer(upload).writerows([HEADER, ["单选", XSS, XSS, "乙", "", "", "A", 10, "易", XSS, "必答"]])
    response = client.post("/banks/upload", data={"bank_name": "上传题库", "file": (io.BytesIO(
        upload.getvalue().encode("utf-8-sig")), "题目.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302
    return {"ids": ids, "shown": shown}


def html_pages(app, client, ids):
    """Every GET page of the app as the role it is for (organizer, a phone, or anyone)."""
    phone = app.test_client()
    phone.post(f"/join/{ids['join_token']}")
    browsers = {"staff": client, "phone": phone, "anyone": app.test_client()}
    for endpoint, route in sorted(ROUTES.items()):
        browser = ("staff" if route.allowed & (ORGANIZERS | STAFF) and route.allowed != EVERYONE
                   else "phone" if route.allowed == PHONES else "anyone")
        for method, template in route.requests:
            if method != "GET":
                continue
            response = browsers[browser].get(template.format(**ids))
            if response.mimetype == "text/html":
                yield endpoint, template, response.get_data(as_text=True)


def test_every_page_shows_html_as_text(app, client, hostile):
    """Does no HTML page of the app contain the raw tags, on any route of the matrix?"""
    seen = []
    for endpoint, template, page in html_pages(app, client, hostile["ids"]):
        for mark in RAW_MARKS:
            assert mark not in page, f"{endpoint} ({template}) shows raw HTML: …{page[page.find(mark) - 80:][:200]}…"
        if ESCAPED in page:
            seen.append(endpoint)
    expected = {"question_bank.bank", "question_bank.preview", "question_bank.edit_question", "question_bank.index",
                "contest_setup.questions", "contest_setup.swap", "contest_setup.teams", "contest_setup.join_sheet",
                "contest_setup.overview", "contest_setup.stages", "live.host_console", "live.display",
                "live.team_page", "results.results", "results.audit", "results.printable",
                "preliminary.settings", "preliminary.companies", "preliminary.invites", "preliminary.live",
                "preliminary.people", "preliminary.person", "preliminary.qualification", "preliminary.awards",
                "prelim_phone.invite", "prelim_phone.display", "contest_setup.branding_page", "certificates.index",
                "certificates.printable", "certificates_public.verify"}
    assert expected <= set(seen), f"pages that should show the text but did not: {expected - set(seen)}"


def test_the_live_views_deliver_text_not_markup(hostile):
    """Do the host and the display receive the stem and options exactly as typed (text for textContent)?"""
    for role in ("host", "display"):
        question = hostile["shown"][role]["stage"]["question"]
        assert question["stem"].startswith(XSS) and question["options"][0] == XSS, role


def test_the_page_scripts_never_insert_html():
    """Do our scripts avoid every HTML sink (innerHTML, outerHTML, insertAdjacentHTML, document.write,
    eval, new Function), so that live text can only ever land as text?"""
    sinks = re.compile(r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(")
    found = [f"{path.relative_to(STATIC_JS)}:{number}: {line.strip()}"
             for path in sorted(STATIC_JS.rglob("*.js"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if sinks.search(line)]
    assert not found, found


def test_a_stage_title_with_html_is_escaped_in_forms(app, client, hostile):
    """Is an attribute value (a stage title in an input) escaped too, so it cannot close the attribute?"""
    with app.app_context():
        stage_id = db.session.query(ContestStage).filter_by(contest_id=hostile["ids"]["c"]).first().id
    page = client.get(f"/contests/{hostile['ids']['c']}/stages/{stage_id}").get_data(as_text=True)
    assert 'value="&lt;script&gt;' in page and '"><b>' not in page
