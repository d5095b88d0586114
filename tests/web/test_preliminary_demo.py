"""Does `flask demo` prepare a demo preliminary round with companies, results and working links?"""
import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from extensions import db
from preliminary.demo import DEMO_COMPANIES, DEMO_PEOPLE, DEMO_ROUND_NAME
from preliminary.models import PrelimRound


def test_demo_prepares_a_round_with_companies_and_links(app, runner, client):
    """Five companies, made-up results, the final linked; a printed invite link opens registration."""
    output = runner.invoke(args=["demo"]).output
    assert f"演示初赛「{DEMO_ROUND_NAME}」已创建" in output
    links = re.findall(r"^    (\S+): (http\S+/p/\S+)$", output, re.MULTILINE)
    assert [name for name, _ in links] == [name for name, _ in DEMO_COMPANIES]
    with app.app_context():
        prelim = db.session.scalar(sa.select(PrelimRound))
        assert prelim.final_contest_id is not None and len(prelim.companies) == 5
    page = client.get(urlsplit(links[1][1]).path).get_data(as_text=True)
    assert "青禾生物医药有限公司" in page and "开始答题" in page
    client.post("/login", data={"username": "organizer", "password": "demo-organizer"})
    people = client.get(f"/preliminary/{prelim.id}/people").get_data(as_text=True)
    assert all(name in people for name, _ in DEMO_PEOPLE)
    again = runner.invoke(args=["demo"]).output
    assert "已存在" in again
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PrelimRound.id))) == 1
