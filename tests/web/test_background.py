"""Background work (the deadline ticker, the audience publisher): started once per app, and a
failing round is logged without ending the loop, which would stop every deadline of the process."""
import logging

import pytest

from extensions import socketio
from play import background


class Stop(BaseException):
    """Ends the otherwise endless loop from inside the work (not an Exception: the loop lets it through)."""


def test_a_failing_round_is_logged_and_the_next_one_runs(app, caplog):
    rounds = []

    def work():
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("database unreachable")
        if len(rounds) == 3:
            raise Stop

    with caplog.at_level(logging.ERROR), pytest.raises(Stop):
        background.repeat_forever(app, "test work", 0, work)
    assert rounds == [0, 1, 2]
    assert [record.getMessage() for record in caplog.records] == ["test work failed"]
    assert "database unreachable" in caplog.text


def test_started_once_per_app_and_name_and_not_when_tests_drive_the_clock(app, monkeypatch):
    started = []
    monkeypatch.setattr(socketio, "start_background_task", lambda *args: started.append(args[2]))

    background.start_repeating(app, "ticker", 0.1, lambda: None)
    assert started == []  # LIVE_CLOCK is off in tests

    app.config["LIVE_CLOCK"] = True
    for _ in range(2):
        background.start_repeating(app, "ticker", 0.1, lambda: None)
        background.start_repeating(app, "publisher", 0.25, lambda: None)
    assert started == ["ticker", "publisher"]
