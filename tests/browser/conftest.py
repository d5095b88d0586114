"""Fixtures shared by the browser tests: one Chromium per session, a live server of its own for each
test, and a folder for each test's screenshots (kept under test-artifacts/ so a person can look at them).

Each test starts from the untouched demo contest and brings it to the moment it is about (through
the host's commands, as tests/live/clients.py does), so it passes alone, rerun, or in any order.
"""
import os
import re
from pathlib import Path

import pytest

from tests.live_server import ROOT, LiveServer

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium. Skipped where it is missing, except on CI, where that is a failure."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: the browser tests must run on CI")
        pytest.skip(f"{CHROMIUM} is not installed: the browser tests need Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """The session's Chromium for one test; the pages the test opened are closed after it.

    A page left open keeps drawing (the countdowns redraw every frame) and reconnecting to its
    stopped server: on CI some sixty of them once took a core between them by the suite's end."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture
def server():
    """A real server (python app.py, eventlet) with an untouched demo contest, for one test."""
    live = LiveServer().start()
    yield live
    live.stop()


@pytest.fixture
def screenshot_dir(request) -> Path:
    """test-artifacts/screenshots/<test name>/ under the repository root (created if missing)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder = SCREENSHOTS / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
