"""Does a database made by an older version keep working after an upgrade adds a column?"""
import sqlalchemy as sa

from extensions import db
from storage.database import add_missing_columns


def test_a_missing_nullable_column_is_added_and_the_rows_kept(tmp_path):
    """An old buzz_press table without ``flag``: is the column added, its rows kept, and a second run harmless?"""
    import storage.models  # noqa: F401  (registers the tables)

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE buzz_press (id INTEGER PRIMARY KEY, contest_id INTEGER, team_id INTEGER)"))
        connection.execute(sa.text("INSERT INTO buzz_press (id, contest_id, team_id) VALUES (1, 7, 3)"))
    add_missing_columns(engine, db.metadata)
    add_missing_columns(engine, db.metadata)
    columns = {column["name"] for column in sa.inspect(engine).get_columns("buzz_press")}
    assert "flag" in columns
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT contest_id, team_id, flag FROM buzz_press")).all() == [(7, 3, None)]
