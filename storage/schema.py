"""The database's schema belongs to Alembic (``migrations/``): where it is brought up to date, and how
to tell that it is.

The embedded SQLite database of a hall laptop is upgraded when the app starts, as nobody stands by
to run a command. A shared database (PostgreSQL) is upgraded by its operator with
``flask --app app db upgrade`` before the new version starts (``make run`` does it too): several
processes starting at once must not race to change one schema, and an operator decides when a
schema changes under a year's contests. A server started on an out-of-date schema says so in its
log and on ``/readyz``.
"""
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from config import MIGRATIONS_DIR
from extensions import db


def prepare_schema(app: Flask) -> None:
    """Upgrade the database at start where ``DATABASE_AUTO_UPGRADE`` says so, else warn when it is behind."""
    if app.config["DATABASE_AUTO_UPGRADE"]:
        upgrade_to_head(app)
        return
    try:
        with app.app_context():
            current = schema_is_current(db.engine)
    except SQLAlchemyError as error:  # the server still starts: /healthz answers, /readyz says why not ready
        app.logger.error("database unreachable at start: %s", error.__class__.__name__)
        return
    if not current:
        app.logger.warning("database schema is not at the newest revision: run `flask --app app db upgrade`")


def upgrade_to_head(app: Flask) -> None:
    """Run every migration the database has not had yet (``flask db upgrade``)."""
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))


def schema_is_current(engine: Engine) -> bool:
    """Whether the database stands at the newest revision of ``migrations/``."""
    heads = set(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads
