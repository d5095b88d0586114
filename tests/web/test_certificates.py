"""获奖证书 through the pages: who is entitled after a finished final (its prize winners and the
优秀组织奖 of the round that fed it), issuing with a POST (once, whatever is posted again), the
printable pages, and /verify answering what a code certifies or 查无此证书."""
import re

import pytest
from markupsafe import escape

from certificates.models import Certificate
from contest_setup.models import Contest
from extensions import db
from preliminary.models import PrelimRound
from preliminary.results import round_results
from preliminary.service import now_ms
from tests.web.prelim_factories import clock, make_round  # noqa: F401 (clock: a fixture)
from tests.web.test_preliminary_organizer import play
from tests.web.test_results import FORMULA_NAME, played_contest

PRIZES = [("一等奖", FORMULA_NAME), ("二等奖", "测试2队"), ("二等奖", "测试4队"), ("三等奖", "测试3队")]
"""played_contest: seat 1 (named like a spreadsheet formula) on 120, seats 2 and 4 tied on 110 (two second prizes), seat 3 on 100."""


@pytest.fixture
def final(app, clock):
    """A finished final of four teams, fed by a round in which three companies took part (one qualified,
    the other two take the 优秀组织奖)."""
    with app.app_context():
        contest = played_contest()
        prelim = make_round(award_count=2, qualify_count=1)
        prelim.final_contest_id = contest.id
        db.session.commit()
        ids = {"final": contest.id, "prelim": prelim.id}
    for index, (name, mobile) in enumerate([("甲", "13800000001"), ("乙", "13800000002"), ("丙", "13800000003")]):
        play(app, ids["prelim"], index, name, mobile, wrong=index, clock=clock)
    return ids


@pytest.fixture
def organizer(client, auth):
    """The client, logged in as the contest's organizer."""
    auth.login_as("organizer")
    return client


def certificates(app, contest_id) -> list[tuple[str, str, str]]:
    """The issued certificates as stored: award, winner, code."""
    with app.app_context():
        rows = db.session.query(Certificate).filter_by(contest_id=contest_id).order_by(Certificate.position)
        return [(row.award, row.winner, row.code) for row in rows]


def awarded_companies(app, prelim_id) -> list[str]:
    """The companies the round's award table gives the 优秀组织奖."""
    with app.app_context():
        lines = round_results(db.session.get(PrelimRound, prelim_id), now_ms(), fresh=True).awards()
        return [line.company.name for line in lines if line.awarded]


def test_the_list_shows_who_is_due_and_a_get_creates_nothing(app, organizer, final):
    """Before issuing: the page lists the four prizes and the organisation awards; nothing is stored."""
    page = organizer.get(f"/contests/{final['final']}/certificates").get_data(as_text=True)
    assert "待颁发（6 张）" in page and "颁发证书" in page
    for award, winner in PRIZES:
        assert f"<b>{award}</b> {escape(winner)}" in page
    assert certificates(app, final["final"]) == []


def test_issuing_creates_each_certificate_once_with_a_long_random_code(app, organizer, final):
    """Posting twice: the prizes in order, then every 优秀组织奖 company; the second post adds nothing."""
    first = organizer.post(f"/contests/{final['final']}/certificates", follow_redirects=True).get_data(as_text=True)
    assert "已颁发 6 张证书" in first
    issued = certificates(app, final["final"])
    companies = awarded_companies(app, final["prelim"])
    assert len(companies) == 2
    assert [(award, winner) for award, winner, _ in issued] == PRIZES + [("优秀组织奖", name) for name in companies]
    codes = [code for _, _, code in issued]
    assert len(set(codes)) == 6 and all(re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code) for code in codes)
    second = organizer.post(f"/contests/{final['final']}/certificates", follow_redirects=True).get_data(as_text=True)
    assert "证书均已颁发，没有新增" in second and certificates(app, final["final"]) == issued


def test_an_unfinished_final_issues_nothing(app, organizer):
    """A final still being played: refused with the reason, nothing stored."""
    with app.app_context():
        contest_id = played_contest(finish=False).id
    page = organizer.post(f"/contests/{contest_id}/certificates", follow_redirects=True).get_data(as_text=True)
    assert "比赛结束后才能颁发证书" in page and certificates(app, contest_id) == []


def test_the_print_pages_have_one_a4_page_per_certificate_with_the_branding(app, organizer, final):
    """Print all: six certificates with winner, award, date, code and the branding; print one: one."""
    organizer.post(f"/contests/{final['final']}/branding",
                   data={"title": "2026年政策知识竞赛", "subtitle": "主办单位：市国资委", "theme": "#0b4f9c"})
    organizer.post(f"/contests/{final['final']}/certificates")
    issued = certificates(app, final["final"])
    page = organizer.get(f"/contests/{final['final']}/certificates/print").get_data(as_text=True)
    assert page.count('<article class="certificate') == 6 and "certificates.css" in page
    assert "2026年政策知识竞赛" in page and "主办单位：市国资委" in page and "/theme.css" in page
    for award, winner, code in issued:
        assert str(escape(winner)) in page and code in page
    with app.app_context():
        first = db.session.query(Certificate).filter_by(code=issued[0][2]).one()
        one = organizer.get(f"/contests/{final['final']}/certificates/{first.id}/print").get_data(as_text=True)
        day = first.awarded_on
    assert one.count('<article class="certificate') == 1 and issued[0][2] in one and "荣获" in one
    assert f"{day.year}年{day.month}月{day.day}日" in one
    assert organizer.get(f"/contests/{final['final']}/certificates/999999/print").status_code == 404


def test_the_report_shows_the_branding(app, organizer, final):
    """The printed report carries the contest's title and organisers from the branding."""
    organizer.post(f"/contests/{final['final']}/branding", data={"title": "品牌报告标题", "subtitle": "承办单位：某某"})
    page = organizer.get(f"/contests/{final['final']}/report").get_data(as_text=True)
    assert "品牌报告标题" in page and "承办单位：某某" in page


@pytest.mark.parametrize("typed", ["exact", "lower", "spaced"])
def test_verify_finds_a_code_however_it_is_typed(app, client, organizer, final, typed):
    """Anyone (no login) checks a code as printed, in lower case or with spaces for the dashes."""
    organizer.post(f"/contests/{final['final']}/certificates")
    award, winner, code = certificates(app, final["final"])[0]
    text = {"exact": code, "lower": code.lower(), "spaced": code.replace("-", " ")}[typed]
    response = app.test_client().get("/verify", query_string={"code": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "证书真实有效" in page and str(escape(winner)) in page and award in page
    with app.app_context():
        assert db.session.get(Contest, final["final"]).name in page
    assert "证书真实有效" in app.test_client().get(f"/verify/{code}").get_data(as_text=True)


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN-PQRS", "short", "<script>alert(1)</script>", "0" * 16])
def test_verify_says_plainly_when_there_is_no_such_certificate(app, client, final, code):
    """A well-formed but unknown code, a short one, markup, letters not in the alphabet: 404, 查无此证书."""
    response = client.get("/verify", query_string={"code": code})
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "查无此证书" in page and "<script>alert" not in page


def test_the_verify_form_shows_nothing_before_a_code(client):
    """The empty form: 200, the field, neither verdict."""
    page = client.get("/verify").get_data(as_text=True)
    assert 'name="code"' in page and "查无此证书" not in page and "真实有效" not in page
