"""Once a buzz is decided, do the display and the phones see the race: who pressed in what order,
and how many ms behind the first? And does the stage's show_race setting turn it off?"""
import pytest

from contest_setup import service
from extensions import db
from tests.web.live_helpers import close_hall, connect_hall, host_do, to_buzzer_stage
from tests.web.setup_factories import make_contest


@pytest.fixture(params=[True, False], ids=["shown", "hidden"])
def race_hall(request, app, client, auth):
    """A ready contest (show_race on or off in its buzzer stage), its host, display and two phones."""
    with app.app_context():
        contest = make_contest()
        stage = next(stage for stage in contest.stages if stage.kind == "buzzer")
        stage.rules = {**stage.rules, "show_race": request.param}
        db.session.commit()
        service.mark_ready(contest)
        hall = {"shown": request.param, **connect_hall(app, client, auth, contest)}
        yield hall
        close_hall(hall)


def test_the_race_reaches_the_display_and_the_losing_phone(race_hall):
    """Seat 1 presses, then seat 2: once decided, is the race [seat 1 +0, seat 2 +n] on the display
    and on the losing phone (or absent with show_race off), and empty while buzzing?"""
    to_buzzer_stage(race_hall)
    host_do(race_hall, "NextQuestion")
    host_do(race_hall, "OpenBuzzers")
    first, second = race_hall["phones"]
    assert race_hall["display"].pump()["stage"]["race"] == []
    assert first.send("buzz", {"client_id": "first"})["ok"]
    assert not second.send("buzz", {"client_id": "second"})["ok"]
    display_race = race_hall["display"].pump()["stage"]["race"]
    phone_race = second.pump()["stage"]["race"]
    if not race_hall["shown"]:
        assert display_race == phone_race == []
        return
    assert [entry["team"] for entry in display_race] == race_hall["teams"][:2]
    assert display_race[0]["behind"] == 0 <= display_race[1]["behind"]
    assert phone_race == display_race
