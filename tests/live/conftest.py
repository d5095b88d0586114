"""A real server process for the live tests (loopback only)."""
import pytest

from tests.live_server import LiveServer


@pytest.fixture
def server():
    """A fresh server with the demo contest, started by the test (after any rule changes), stopped after it."""
    fresh = LiveServer()
    yield fresh
    fresh.stop()


@pytest.fixture
def running_server(server):
    """The same, already started."""
    return server.start()
