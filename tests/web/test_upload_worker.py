"""Uploads read in a worker process: does a question file, an event log and a team list go through the
worker and back, does the parser's refusal come back as it is, and is a worker that runs out of time or
memory stopped with a Chinese reason?"""
import io

import pytest

from contest_setup.models import ContestTeam
from extensions import db
from tests.question_files import blank_rows_xlsx, good_file, large_csv
from tests.web.setup_factories import make_contest


@pytest.fixture
def organizer(app, client, auth):
    """An organizer, with uploads read in the worker process."""
    app.config["UPLOAD_WORKER"] = True
    auth.login_as("organizer")
    return client


def upload(client, data: bytes, filename: str):
    """Post a question file to the bank upload form."""
    return client.post("/banks/upload", data={"bank_name": "工作进程", "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_a_good_file_is_read_in_the_worker(organizer):
    """Is a valid file read by the worker and previewed as usual?"""
    assert upload(organizer, good_file("xlsx"), "q.xlsx").status_code == 302
    assert "小规模纳税人" in organizer.get("/banks/upload/preview").text


@pytest.mark.parametrize("data, filename, message", [
    (b'{"questions": [', "bad.json", "JSON 格式有误"),
    (blank_rows_xlsx(), "blank.xlsx", "空行过多"),
])
def test_the_parsers_refusal_comes_back_from_the_worker(organizer, data, filename, message):
    """Does a refusal of the parser (a broken file, a sheet of a million empty rows) reach the page?"""
    response = upload(organizer, data, filename)
    assert response.status_code == 400 and message in response.text


def test_a_worker_over_its_time_is_stopped(app, organizer):
    """A 14 MB CSV keeps a worker busy about half a second (start, read, up to the row limit's refusal):
    with a limit of 0.1 s, is the worker stopped and the organizer told?"""
    app.config["UPLOAD_WORKER_SECONDS"] = 0.1
    response = upload(organizer, large_csv(14), "big.csv")
    assert response.status_code == 400 and "超过 0.1 秒仍未完成，已停止" in response.text


def test_a_worker_over_its_memory_is_stopped(app, organizer):
    """With 64 MB of memory, too little to hold a 14 MB CSV as text and rows, is the worker stopped and the
    organizer told?"""
    app.config["UPLOAD_WORKER_MEMORY_MB"] = 64
    response = upload(organizer, large_csv(14), "big.csv")
    assert response.status_code == 400 and "内存超过 64 MB" in response.text


def test_a_team_list_is_read_in_the_worker(app, organizer):
    """Is a pasted team list read by the worker, and a list of 10,000 lines refused before any is read?"""
    with app.app_context():
        contest_id = make_contest(team_count=2).id
    pasted = "云帆队,云帆科技,张三,李四,王五\n青禾队,青禾生物,陈静,刘洋,赵磊"
    organizer.post(f"/contests/{contest_id}/teams/import", data={"roster": pasted, "replace_all": "1"})
    with app.app_context():
        names = {team.name for team in db.session.query(ContestTeam).filter_by(contest_id=contest_id)}
    assert names == {"云帆队", "青禾队"}
    response = organizer.post(f"/contests/{contest_id}/teams/import", data={"roster": "某队\n" * 10_000},
                              follow_redirects=True)
    assert "名单过长" in response.text
