"""Does `flask demo` leave a ready contest with 8 teams, print every link, and stay idempotent?"""
import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from accounts.models import User
from contest_setup.cli import DEMO_CONTEST_NAME
from contest_setup.models import Contest
from extensions import db
from question_bank.models import QuestionBank


def join_links(output):
    """The team join links printed by the demo command."""
    return re.findall(r"\d+号 .+?: (http\S+/join/\S+)", output)


def test_demo_creates_a_ready_contest_and_prints_its_links(app, runner):
    """Is the demo contest ready, with 8 teams, and are logins, host, display and 8 join links printed?"""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    output = result.output
    assert "organizer / demo-organizer" in output and "host / demo-host" in output
    assert "演示账号" in output
    assert re.search(r"主持台: http://\S+/host/\d+", output)
    assert re.search(r"大屏: http://\S+/display/\d+/\S+", output)
    assert len(join_links(output)) == 8
    with app.app_context():
        contest = db.session.scalar(sa.select(Contest).where(Contest.name == DEMO_CONTEST_NAME))
        assert contest.status == "ready"
        assert len(contest.teams) == 8 and all(team.seat for team in contest.teams)


def test_demo_is_idempotent(app, runner):
    """Run twice, does it keep one contest, two demo users, one sample bank and the same links?"""
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "已存在" in second.output
    assert join_links(first.output) == join_links(second.output)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Contest.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2
        assert db.session.scalar(sa.select(sa.func.count(QuestionBank.id))) == 1


def test_a_printed_join_link_binds_a_phone(app, runner, client):
    """Does a join link printed by the demo open its team's page on a phone?"""
    link = join_links(runner.invoke(args=["demo"]).output)[2]
    assert client.post(urlsplit(link).path).status_code == 302
    assert "晨曦新能源队" not in client.get("/team").get_data(as_text=True)
    assert "博远智造队" in client.get("/team").get_data(as_text=True)


def test_demo_logins_work(client, runner):
    """Can the printed organizer credentials log in and open the contest list?"""
    runner.invoke(args=["demo"])
    client.post("/login", data={"username": "organizer", "password": "demo-organizer"})
    assert DEMO_CONTEST_NAME in client.get("/contests/").get_data(as_text=True)


def test_a_changed_demo_password_is_not_printed(app, runner):
    """When the demo organizer's password was changed, is the old one no longer shown?"""
    runner.invoke(args=["demo"])
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "organizer"))
        user.set_password("a-new-secret-password")
        db.session.commit()
    output = runner.invoke(args=["demo"]).output
    assert "demo-organizer" not in output and "密码已修改" in output
