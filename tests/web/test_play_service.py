"""The application service without sockets: does a command sent to play.service decide, store, and
only then notify its subscribers, is a retried command acknowledged once, and is a closed buzzer
window judged as one batch?"""
from contest import commands as c
from contest.press import PressRecord
from play import service
from play.registry import get_live
from storage.event_store import load_events
from storage.presses import load_presses
from tests.web.setup_factories import make_contest


def test_subscribers_hear_of_a_decision_after_it_is_stored(app):
    """Does a subscriber see the contest's events already in the database when it is notified?"""
    heard = []
    with app.app_context():
        contest_id = make_contest(ready=True).id
        service.subscribe(app, lambda live, now, events: heard.append(
            ([e.kind for e in events], [e.kind for e in load_events(live.contest_id)], live.state.seq)))
        ack = service.execute(contest_id, c.StartContest(actor="host:test"), "host:test")
    assert ack["ok"]
    (told, stored, seq), = heard
    assert told == stored == ["ContestCreated", "ContestStarted"]
    assert seq == ack["seq"]


def test_a_refused_command_stores_nothing_and_notifies_no_one(app):
    """Is a command the engine refuses answered with its reason, without a stored event or a notification?"""
    heard = []
    with app.app_context():
        contest_id = make_contest(ready=True).id
        service.subscribe(app, lambda live, now, events: heard.append(events))
        ack = service.execute(contest_id, c.NextQuestion(actor="host:test"), "host:test")
        assert load_events(contest_id) == []
    assert ack == {"ok": False, "reason": "比赛尚未开始"}
    assert heard == []


def test_a_retried_command_is_acknowledged_once(app):
    """Does the same client id, sent twice, store the command once and get the first acknowledgement back?"""
    with app.app_context():
        contest_id = make_contest(ready=True).id
        first = service.execute(contest_id, c.StartContest(actor="host:test"), "host:test", "start-1")
        again = service.execute(contest_id, c.StartContest(actor="host:test"), "host:test", "start-1")
        assert [e.kind for e in load_events(contest_id)] == ["ContestCreated", "ContestStarted"]
    assert again == first == {"ok": True, "seq": first["seq"]}


def test_a_closed_window_is_judged_as_one_batch(app):
    """Are four presses of one window judged in order (the first wins, the rest are refused with the
    winner named), stored together, and told to the subscribers in one notification that finds
    every press row already stored?"""
    heard = []
    with app.app_context():
        contest_id = make_contest(ready=True).id
        host = "host:test"
        for command in [c.StartContest(actor=host), c.StartStage(actor=host), c.EndStage(actor=host),
                        c.StartStage(actor=host), c.EndStage(actor=host), c.StartStage(actor=host),
                        c.NextQuestion(actor=host), c.OpenBuzzers(actor=host)]:
            assert service.execute(contest_id, command, host)["ok"], command
        live = get_live(contest_id)
        teams, token = sorted(live.state.scores)[:4], live.state.stage.open_token
        service.subscribe(app, lambda live, now, events: heard.append(
            ([e.kind for e in events], [(p.team_id, p.accepted) for p in load_presses(live.contest_id)])))
        batch = [service.Pressed(c.Buzz(actor=f"team:{team}", team=team, open_token=token), f"team:{team}",
                                 f"press-{team}", press_of(team, token)) for team in teams]
        acks = service.execute_presses(contest_id, batch)
    assert acks[0]["ok"] and not any(ack["ok"] for ack in acks[1:])
    assert len({ack["reason"] for ack in acks[1:]}) == 1 and "已抢到" in acks[1]["reason"]
    (told, stored), = heard
    assert "BuzzWon" in told
    assert sorted(stored) == sorted([(teams[0], True)] + [(team, False) for team in teams[1:]])


def press_of(team: int, token: int) -> PressRecord:
    """A press of ``team`` for opening ``token`` as the buzzer hands it to the service, before its verdict."""
    return PressRecord(team_id=team, connection=f"sid-{team}", open_token=token, stamped_at=None, arrived_at=0,
                       offset_ms=None, delay_ms=None, pressed_at=0, arbitration="compensated", accepted=False,
                       outcome="", event_seq=None)
