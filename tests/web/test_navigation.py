"""The top menu marks the section the page belongs to: the results pages (under /contests/<id>/)
are 成绩与审计, the set-up pages 比赛设置, the question bank 题库管理."""
import re

import pytest

from tests.web.setup_factories import make_contest


def active_links(html: str) -> list[str]:
    """The titles of the top menu's links marked as the current section."""
    menu = re.search(r'<nav class="topnav">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="[^"]*" class="active"[^>]*>([^<]+)</a>', menu)


@pytest.fixture
def contest_id(app):
    with app.app_context():
        return make_contest(ready=True).id


@pytest.mark.parametrize("path, section", [
    ("/contests/{id}/results", "成绩与审计"),
    ("/contests/{id}/audit", "成绩与审计"),
    ("/contests/{id}/report", "成绩与审计"),
    ("/results/", "成绩与审计"),
    ("/contests/{id}/teams", "比赛设置"),
    ("/contests/{id}", "比赛设置"),
    ("/banks/", "题库管理"),
])
def test_the_menu_marks_the_section_of_the_page(client, auth, contest_id, path, section):
    auth.login_as("organizer")
    response = client.get(path.format(id=contest_id), follow_redirects=True)
    assert response.status_code == 200
    assert active_links(response.text) == [section]
