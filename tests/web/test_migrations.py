"""Does every year's contest survive an upgrade of the platform?

The schema belongs to Alembic (migrations/). A database at the first revision, holding a finished
contest (tests/fixtures/revision_0001.json), is upgraded one revision at a time to the newest, and
its event log, acknowledgements and presses must come through each step unchanged, and the newest
code must show the same results for it. A database made before migrations existed is adopted. The
models must match the newest revision. All of it on SQLite, and on PostgreSQL with TEST_DATABASE_URL.
"""
import json
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from markupsafe import escape

import config
from config import MIGRATIONS_DIR
from contest.engine import replay
from contest.scoring import standings
from contest_setup.models import Contest, StageQuestion
from extensions import db
from factory import create_app
from question_bank.models import Question
from storage.event_store import acknowledged_seq, load_events
from storage.models import BuzzPress
from storage.schema import schema_is_current
from tests.conftest import AuthActions
from tests.web.setup_factories import make_contest

FIXTURE = json.loads((Path(__file__).parents[1] / "fixtures" / "revision_0001.json").read_text(encoding="utf-8"))
SCRIPTS = ScriptDirectory(str(MIGRATIONS_DIR))
FIRST = SCRIPTS.get_base()
BASELINE = SCRIPTS.get_revision(FIRST).module
LOG = sa.text("SELECT seq, kind, actor, at, payload FROM contest_event WHERE contest_id = :contest ORDER BY seq")


def revisions_after_first() -> list[str]:
    """Every revision after the first, oldest first."""
    return [script.revision for script in reversed(list(SCRIPTS.walk_revisions())) if script.revision != FIRST]


@pytest.fixture
def unmigrated_app(new_database):
    """An app on an empty database that it does not upgrade by itself (as on a shared server)."""
    settings = config.TestConfig(new_database("unmigrated.db", empty=True))
    settings.DATABASE_AUTO_UPGRADE = False
    app = create_app(settings)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def load_fixture_rows(connection: sa.Connection) -> None:
    """The stored contest's rows, inserted with revision 0001's own tables; on PostgreSQL each id
    sequence then continues after the highest id, as if the rows had been made there."""
    tables = BASELINE.baseline_tables()
    for table in tables.sorted_tables:
        rows = [{key: _stored(table.c[key], value) for key, value in row.items()} for row in FIXTURE["tables"][table.name]]
        if rows:
            connection.execute(table.insert(), rows)
        if connection.dialect.name == "postgresql" and rows and "id" in table.c:
            connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                       f"(SELECT max(id) FROM \"{table.name}\"))"))


def _stored(column: sa.Column, value):
    """A fixture value as its column takes it (moments were written as ISO text)."""
    return datetime.fromisoformat(value) if isinstance(column.type, sa.DateTime) and value else value


def test_a_finished_contest_comes_through_every_revision_unchanged(unmigrated_app):
    """Upgraded from revision 0001 one revision at a time: are the contest, its event log, its
    acknowledged command and its press unchanged at each step, and its results the same at the end?"""
    contest_id = FIXTURE["contest_id"]
    with unmigrated_app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision=FIRST)
        with db.engine.begin() as connection:
            load_fixture_rows(connection)
            stored_log = connection.execute(LOG, {"contest": contest_id}).all()
        assert len(stored_log) == len(FIXTURE["tables"]["contest_event"])
        for revision in revisions_after_first():
            upgrade(directory=str(MIGRATIONS_DIR), revision=revision)
            with db.engine.connect() as connection:
                assert connection.execute(LOG, {"contest": contest_id}).all() == stored_log, revision
        assert schema_is_current(db.engine)

        events = load_events(contest_id)
        assert [event.seq for event in events] == [row.seq for row in stored_log]
        assert [[line.team, line.score] for line in standings(replay(events))] == FIXTURE["standings"]
        assert db.session.get(Contest, contest_id).status == "finished"
        assert acknowledged_seq(contest_id, "host:alice", "c-1") == events[-1].seq
        press = db.session.scalars(sa.select(BuzzPress).where(BuzzPress.contest_id == contest_id)).one()
        assert (press.pressed_at, press.offset_ms, press.outcome) == (1_700_000_000_512, -12.5, "抢答尚未开始")
        db.session.remove()

    client = unmigrated_app.test_client()
    AuthActions(unmigrated_app, client).login_as("organizer")
    page = client.get(f"/contests/{contest_id}/results").get_data(as_text=True)
    for team in FIXTURE["tables"]["contest_team"]:
        assert str(escape(team["name"])) in page


def test_new_rows_follow_the_stored_ones_after_the_upgrade(unmigrated_app, auth):
    """After the upgrade, does the platform add to the stored data (a new account, a new contest) without a clash?"""
    with unmigrated_app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision=FIRST)
        with db.engine.begin() as connection:
            load_fixture_rows(connection)
        upgrade(directory=str(MIGRATIONS_DIR))
    client = unmigrated_app.test_client()
    AuthActions(unmigrated_app, client).login_as("organizer", "newcomer")
    response = client.post("/contests/new", data={"name": "次年决赛", "template": "final"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    with unmigrated_app.app_context():
        names = set(db.session.scalars(sa.select(Contest.name)))
    assert {"测试决赛", "次年决赛"} <= names


def test_an_unmigrated_shared_database_is_not_changed_at_start_and_not_ready(unmigrated_app, caplog):
    """A database the app may not upgrade by itself: is it left as it is, with /readyz saying why?"""
    with unmigrated_app.app_context():
        assert not schema_is_current(db.engine)
        assert "contest" not in sa.inspect(db.engine).get_table_names()
    response = unmigrated_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "flask --app app db upgrade" in response.json["checks"]["database"]


def test_deletes_still_cascade_after_the_upgrade_at_start(app):
    """The upgrade at start switches SQLite's foreign keys off for itself: are they back on for the app
    (a deleted bank question leaves no drawn question behind, the start check counts right)?"""
    with app.app_context():
        contest = make_contest(ready=True)
        drawn = db.session.scalars(sa.select(StageQuestion.question_id).where(StageQuestion.contest_id == contest.id)).all()
        db.session.execute(sa.delete(Question).where(Question.id == drawn[0]))
        db.session.commit()
        remaining = db.session.scalars(sa.select(StageQuestion.question_id).where(StageQuestion.contest_id == contest.id)).all()
        assert sorted(remaining) == sorted(drawn[1:])


def test_the_models_match_the_newest_revision(app):
    """Does the newest revision make exactly the tables, columns, indexes and constraints the models declare?

    A model changed without a new revision fails here (``flask --app app db migrate`` writes one)."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


# --- a database made before migrations ----------------------------------------------------------

EARLIER_MISSING = {"user": ("name_key", "session_version", "demo"), "contest": ("phones_per_team", "join_codes_shown"),
                   "buzz_press": ("flag",)}
"""Columns that versions before migrations added later (they carry defaults or may be empty)."""


def make_earlier_database(url: str) -> None:
    """A database as an earlier version left it: no alembic_version, some columns missing, the retired
    ones still there, and rows in it (an account, a contest with a team, one of its phones)."""
    engine = sa.create_engine(url)
    tables = BASELINE.baseline_tables()
    for table_name, columns in EARLIER_MISSING.items():
        table = tables.tables[table_name]
        for index in [index for index in table.indexes if any(c.name in columns for c in index.columns)]:
            table.indexes.remove(index)
        for name in columns:
            table._columns.remove(table.c[name])
    tables.create_all(engine)
    with engine.begin() as connection:
        for name in BASELINE.RETIRED_COLUMNS["contest_team"]:
            connection.execute(sa.text(f"ALTER TABLE contest_team ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0"))
        now = datetime(2025, 5, 1, 9, 30)
        connection.execute(tables.tables["user"].insert(), [
            {"id": 1, "username": "Alice", "password_hash": "x", "role": "organizer", "created_at": now},
            {"id": 2, "username": "ALICE", "password_hash": "x", "role": "host", "created_at": now}])
        connection.execute(tables.tables["contest"].insert(), {
            "id": 1, "name": "去年决赛", "status": "finished", "rules": {}, "bank_ids": [], "display_token": "t",
            "created_at": now, "updated_at": now, "created_by": 1})
        connection.execute(tables.tables["contest_team"].insert(), {
            "id": 1, "contest_id": 1, "name": "一队", "company": "甲公司", "members": [], "alternates": [],
            "seat": 1, "join_secret": "s", "phone_secret": "p"})
        connection.execute(tables.tables["team_phone"].insert(), {
            "id": 1, "team_id": 1, "secret": "q", "number": 1, "joined_at": now})
    engine.dispose()


def test_a_database_made_before_migrations_is_adopted(new_database, caplog):
    """Opened by the new version: does it get the missing columns with their defaults, lose the retired
    ones, keep every row (the team's phone too, though its table was rebuilt on SQLite), give
    accounts their name keys (the second of two clashing names none), and stand at the newest revision?"""
    url = new_database("earlier.db", empty=True)
    make_earlier_database(url)
    settings = config.TestConfig(url)
    settings.DATABASE_AUTO_UPGRADE = url.startswith("sqlite")  # as in a real run: SQLite at start, else the operator
    app = create_app(settings)
    if not settings.DATABASE_AUTO_UPGRADE:
        with app.app_context():
            assert not schema_is_current(db.engine)
            upgrade(directory=str(MIGRATIONS_DIR))
    with app.app_context():
        engine = db.engine
        assert schema_is_current(engine)
        inspector = sa.inspect(engine)
        team_columns = {column["name"] for column in inspector.get_columns("contest_team")}
        assert team_columns.isdisjoint(BASELINE.RETIRED_COLUMNS["contest_team"])
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT name, phones_per_team FROM contest")).all() == [("去年决赛", 2)]
            assert connection.execute(sa.text("SELECT name FROM contest_team")).all() == [("一队",)]
            assert connection.execute(sa.text("SELECT team_id, number FROM team_phone")).all() == [(1, 1)]
            assert connection.execute(sa.text('SELECT username, name_key, session_version FROM "user" ORDER BY id')).all() \
                == [("Alice", "alice", 1), ("ALICE", None, 1)]
        assert "账号「ALICE」与另一账号仅大小写或全半角不同" in caplog.text
        db.session.remove()
        engine.dispose()
