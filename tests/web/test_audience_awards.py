"""The final's audience feeds the preliminary round's 优秀组织奖: a phone that picked a company of the round
counts once for it, on the awards page and in the export, when the organizer weighs 现场观众互动."""
import pytest

from audience import hall
from audience.companies import companies_of
from audience.identity import new_phone
from audience.questions import Draft
from extensions import db
from preliminary.results import compute
from tests.web.prelim_factories import make_round
from tests.web.setup_factories import make_contest

WEIGHTS = {"weight_participants": 20, "weight_rate": 20, "weight_average": 20, "weight_attempts": 20,
           "weight_audience": 20}


@pytest.fixture
def linked(app):
    """A round weighing the audience at 20 %, feeding a final whose hall answered two questions:
    云帆数据 3 phones (one answering twice), 青禾生物 1 phone, one phone without a company."""
    with app.app_context():
        final = make_contest(ready=True)
        prelim = make_round(**WEIGHTS)
        prelim.final_contest_id = final.id
        db.session.commit()
        phones = [new_phone("云帆数据") for _ in range(3)] + [new_phone("青禾生物"), new_phone("")]
        for round_number, answering in enumerate((phones, phones[:1])):
            hall.open_question(final.id, Draft(f"观众题{round_number}", ("对", "错"), "A"), "host:test")
            question_id = hall.hall(final.id).question.id
            for phone in answering:
                assert hall.answer(final.id, phone, question_id, "A")["ok"]
            hall.end(final.id)
        return {"prelim": prelim.id, "final": final.id}


def test_audience_phones_are_counted_per_company(app, linked):
    """Does the round count distinct phones per company of the final's audience, and weigh them?"""
    with app.app_context():
        from preliminary.models import PrelimRound

        results = compute(db.session.get(PrelimRound, linked["prelim"]))
        assert results.audience == {"云帆数据": 3, "青禾生物": 1}
        factors = {line.company.name: {f.key: f for f in line.factors}["audience"] for line in results.awards()}
        assert (factors["云帆数据"].value, factors["青禾生物"].value, factors["博远智造"].value) == (3, 1, 0)


def test_the_phone_page_offers_the_rounds_companies(app, linked):
    """Are the round's companies offered to the final's audience phones, beside the teams' companies?"""
    with app.app_context():
        from contest_setup import service

        names = companies_of(service.get_contest(linked["final"]))
    assert {"云帆数据", "青禾生物", "博远智造"} <= set(names) and len(names) == len(set(names))


def test_the_awards_page_and_export_show_the_factor(app, client, auth, linked):
    """Does the organizer see 现场观众互动 in the formula, the table and the export?"""
    auth.login_as("organizer")
    page = client.get(f"/preliminary/{linked['prelim']}/awards").get_data(as_text=True)
    assert "现场观众互动 × 20%" in page and page.count("现场观众互动") >= 2
    export = client.get(f"/preliminary/{linked['prelim']}/export/awards.csv").data.decode("utf-8-sig")
    assert "现场观众互动得分" in export.splitlines()[0]
