"""A real server process for the live tests (loopback only)."""
import pytest

from tests.live_server import LiveServer


@pytest.fixture
def server():
    """A fresh server with the demo contest, stopped after the test."""
    running = LiveServer().start()
    yield running
    running.stop()
