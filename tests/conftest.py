"""Fixtures shared by the web tests: an app with a database of its own, its clients, a login helper."""
import os
import tempfile

import pytest

# The instance folder (generated secret key, default database) of tests is never the user's.
os.environ.setdefault("INSTANCE_PATH", tempfile.mkdtemp(prefix="contest-test-instance-"))

from accounts.service import create_user  # noqa: E402
from config import TestConfig  # noqa: E402
from extensions import db  # noqa: E402
from factory import create_app  # noqa: E402
from tests.databases import fresh_database_url, release_database  # noqa: E402


@pytest.fixture
def new_database(tmp_path):
    """Makes databases of this test alone (``new_database("other.db")``), dropped after it: SQLite
    files, or PostgreSQL databases when TEST_DATABASE_URL is set (tests/databases.py); ``empty=True``
    for one without even the schema."""
    made = []

    def make(name: str = "test.db", empty: bool = False) -> str:
        made.append((fresh_database_url(tmp_path, name, empty), empty))
        return made[-1][0]

    yield make
    for url, empty in made:
        release_database(url, empty)


@pytest.fixture
def app(new_database):
    """An app on a fresh database of this test alone."""
    app = create_app(TestConfig(new_database()))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """Flask's test client for ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Flask's command-line runner for ``app``."""
    return app.test_cli_runner()


class AuthActions:
    """Create users and log in as them through the real login page."""

    def __init__(self, app, client):
        self._app = app
        self._client = client

    def login_as(self, role: str, username: str | None = None, password: str = "password123"):
        """Create a user with ``role`` (once) and log the client in as that user."""
        username = username or f"{role}-user"
        with self._app.app_context():
            from accounts.service import find_user

            if find_user(username) is None:
                create_user(username, password, role)
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        """Log the client out."""
        return self._client.post("/logout")


@pytest.fixture
def auth(app, client):
    """Login helper bound to ``client``."""
    return AuthActions(app, client)
