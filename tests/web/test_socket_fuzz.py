"""Does the socket layer survive whatever clients send? Hypothesis throws random and malformed
payloads, unknown events and random command sequences at every event of every namespace.

After every example: nothing raised, every event was answered, every client still gets its
clock ping answered, each view a client built from patches equals the server's, a phone's
events name only its own team, and the stored events replay to the live state (replay equals
live). The contest evolves across examples, so the sequences reach every stage.
"""
import math
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from contest_setup import joining, service
from contest.events import event_to_dict
from contest.fairness import ClockSample
from extensions import db, socketio
from live.clock_sync import clock_sync
from live.limits import ConnectionLimits, Rate
from live.payloads import HOST_COMMANDS
from play.registry import get_live
from storage.event_store import load_events, load_state
from tests.web.live_helpers import ViewClient, matches_server_view
from tests.web.setup_factories import make_contest

TEAM_COUNT = 4

# --- what clients send ----------------------------------------------------------------------------

scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.integers(-3, 300)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
huge_text = st.text(min_size=2100, max_size=2600)
client_ids = st.none() | st.text(min_size=1, max_size=70) | json_values

EVENT_NAMES = ["command", "mute", "buzz", "answer", "choose_tier", "abstain", "resync", "clock", "snapshot",
               "change", "clock_probe", "connect", "disconnect", "made_up"]


def host_commands(teams):
    """A host command: mostly well formed (so the contest moves on), sometimes wild."""
    kinds = list(HOST_COMMANDS) * 3 + ["Bogus", ""]
    team = st.sampled_from(teams) if teams else st.integers()
    return st.fixed_dictionaries(
        {"type": st.sampled_from(kinds) | json_values},
        optional={
            "verdict": st.sampled_from(["right", "wrong", "void", "maybe"]) | json_values,
            "team": team | json_values,
            "teams": st.lists(team, max_size=4) | json_values,
            "tier": st.sampled_from([10, 20, 30, 40]) | json_values,
            "delta": st.integers(-30, 30) | json_values,
            "reason": st.text(max_size=30) | huge_text,
            "client_id": client_ids,
        },
    )


def phone_payloads(teams):
    """A phone's payload: the fields of buzz, answer and choose_tier, well formed or not."""
    team = st.sampled_from(teams) if teams else st.integers()
    return st.fixed_dictionaries({}, optional={
        "open_token": st.integers(0, 40) | json_values,
        "pressed_at": st.integers(0, 2**41) | json_values,
        "choice": st.sampled_from(["A", "B", "C", "D", "AB", "对", "错"]) | json_values,
        "tier": st.sampled_from([10, 20, 30]) | json_values,
        "team": team | json_values,
        "muted": st.booleans() | json_values,
        "client_id": client_ids,
        "t0": json_values,
    })


def good_host_commands(teams):
    """A well-formed host command (the engine may still refuse it): these move the contest on."""
    simple = st.sampled_from(["StartContest", "StartStage", "NextQuestion", "NextQuestion", "OpenBuzzers",
                              "CloseBuzzers", "Pass", "TimeOut", "RevealAnswer", "EndStage", "Undo",
                              "FinishContest"]).map(lambda kind: {"type": kind})
    team = st.sampled_from(teams)
    return st.one_of(
        simple, simple, simple,
        st.builds(lambda verdict: {"type": "Judge", "verdict": verdict}, st.sampled_from(["right", "wrong", "void"])),
        st.builds(lambda t, tier: {"type": "ChooseTier", "team": t, "tier": tier}, team, st.sampled_from([10, 20, 30])),
        st.builds(lambda t: {"type": "Abstain", "team": t}, team),
        st.builds(lambda t, delta: {"type": "AdjustScore", "team": t, "delta": delta, "reason": "更正"}, team,
                  st.integers(-20, 20)),
        st.builds(lambda chosen: {"type": "StartTiebreak", "teams": chosen},
                  st.lists(team, min_size=2, max_size=TEAM_COUNT, unique=True)),
    )


def steps(teams):
    """One client action: who sends, which event, which payload (well formed more often than not)."""
    phones = [f"phone{i}" for i in range(TEAM_COUNT)]
    senders = st.sampled_from(["host"] * 4 + ["display"] + phones)
    good_host = st.tuples(st.just("host"), st.just("command"), good_host_commands(teams))
    good_phone = st.tuples(st.sampled_from(phones), st.sampled_from(["buzz", "answer", "choose_tier", "abstain"]),
                           st.fixed_dictionaries({"choice": st.sampled_from(["A", "B", "C", "对"]),
                                                  "tier": st.sampled_from([10, 20, 30])}))
    wild_host = st.tuples(st.just("host"), st.just("command"), host_commands(teams))
    wild_phone = st.tuples(st.sampled_from(phones), st.sampled_from(["buzz", "answer", "choose_tier", "abstain"]),
                           phone_payloads(teams))
    anything = st.tuples(senders, st.sampled_from(EVENT_NAMES),
                         st.one_of(phone_payloads(teams), host_commands(teams), json_values, huge_text.map(
                             lambda text: {"client_id": "x", "reason": text})))
    return st.one_of(good_host, good_host, good_host, good_phone, wild_host, wild_phone, anything)


# --- the hall -------------------------------------------------------------------------------------


@pytest.fixture
def hall(app, client, auth):
    """A ready contest whose required stage answers on the phones; host, display and every phone connected,
    with each phone's clock known to the server (so pressed_at is used, as in the hall)."""
    with app.app_context():
        contest = make_contest(ready=False, team_count=TEAM_COUNT)
        required = service.ordered_stages(contest)[0]
        required.rules = {**required.rules, "answer_mode": "phone"}
        db.session.commit()
        service.mark_ready(contest)
        contest_id, token = contest.id, contest.display_token
        teams = [team.id for team in contest.teams_by_seat]
        credentials = [joining.new_phone_credential(team) for team in contest.teams_by_seat]
    for handler in socketio.server.namespace_handlers.values():  # flood control is tested in its own tests
        handler.limits = ConnectionLimits({role: Rate(100_000, 100_000) for role in ("host", "display", "team")})
    auth.login_as("host")
    clients = {"host": ViewClient(app, "/host", {"contest": contest_id}, client),
               "display": ViewClient(app, "/display", {"contest": contest_id, "token": token})}
    for number, credential in enumerate(credentials):
        clients[f"phone{number}"] = ViewClient(app, "/team", {"credential": credential})
    with app.app_context():
        for number, sid in enumerate(clock_sync(app).phones):
            clock_sync(app).estimate(sid).add(ClockSample(sent=1000.0, phone=5000.0 * number, received=1040.0))
    assert all(connection.connected for connection in clients.values())
    yield {"contest": contest_id, "teams": teams, "clients": clients}
    for connection in clients.values():
        connection.close()


def check_consistent(app, hall) -> None:
    """The invariants that must hold after any sequence of client actions."""
    for name, connection in hall["clients"].items():
        assert connection.connected, f"{name} was disconnected"
        assert connection.send("clock", {"t0": 7})["t0"] == 7
        assert matches_server_view(connection), f"{name}'s view differs from the server's"
    with app.app_context():
        live = get_live(hall["contest"])
        assert load_state(hall["contest"]) == live.state, "replaying the stored events differs from the live state"
        for event in map(event_to_dict, load_events(hall["contest"])):
            actor = event.get("actor", "")
            if actor.startswith("team:") and "team" in event:
                assert event["team"] == int(actor.split(":")[1]), f"a phone acted for another team: {event}"


def legal_host_commands(view: dict) -> list[dict]:
    """The commands the host console would enable now (``view.actions``), as payloads. Never the finish,
    so that the traffic keeps a contest to play with, nor Undo, which the random steps send often
    enough (each Undo makes replaying the log replay it again, so many of them make the checks slow),
    nor AdjustScore, whose arguments the host chooses (the random steps send it)."""
    payloads = []
    for action in view.get("actions") or []:
        payload = {"type": action["command"], **{k: v for k, v in action.items() if k != "command"}}
        if payload["type"] not in ("FinishContest", "Undo", "AdjustScore"):
            payloads.append(payload)
    return payloads


def legal_phone_moves(clients: dict) -> list[tuple[str, str, dict]]:
    """What the phones' own views say they may do now (buzz, answer, choose a value)."""
    moves = []
    for name, connection in clients.items():
        me, stage = connection.view.get("me") or {}, connection.view.get("stage") or {}
        if me.get("can_buzz"):
            moves.append((name, "buzz", {"open_token": stage.get("open_token")}))
        if me.get("can_answer"):
            moves += [(name, "answer", {"choice": choice}) for choice in ("A", "C", "对")]
        if me.get("can_choose_tier"):
            moves += [(name, "choose_tier", {"tier": tier}) for tier in stage.get("tiers") or ()]
            moves.append((name, "abstain", {}))
    return moves


def test_random_traffic_keeps_the_server_up_and_consistent(app, hall):
    """Whatever events and payloads arrive, in whatever order, mixed with the moves the views offer
    (so the contest really moves through its stages): is every one answered, does nothing raise,
    and does the contest stay consistent and replayable?"""
    clients, teams = hall["clients"], hall["teams"]
    random_steps = steps(teams)

    # Only generation: the contest lives on between examples, so replaying or shrinking an example
    # would not meet the same state (a failure is reported with the example as it ran).
    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)), deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def run(data):
        for _ in range(data.draw(st.integers(1, 15), label="steps")):
            choice = data.draw(st.sampled_from(["host", "host", "host", "phone", "phone", "random", "random"]))
            offered = (legal_host_commands(clients["host"].pump()) if choice == "host"
                       else legal_phone_moves(clients) if choice == "phone" else [])
            # The same draws whatever the state offers (Hypothesis requires it): a pick and a random step.
            pick, random_step = data.draw(st.integers(0, 10**6)), data.draw(random_steps)
            if choice == "host" and offered:
                sender, event, payload = "host", "command", offered[pick % len(offered)]
            elif choice == "phone" and offered:
                sender, event, payload = offered[pick % len(offered)]
            else:
                sender, event, payload = random_step
            ack = clients[sender].client.emit(event, payload, namespace=clients[sender].namespace, callback=True)
            for connection in clients.values():
                connection.pump()
            assert isinstance(ack, dict), f"{sender} {event} {payload!r} answered {ack!r}"
            if "ok" in ack:
                assert isinstance(ack["ok"], bool) and (ack["ok"] or isinstance(ack.get("reason"), str))
        check_consistent(app, hall)

    run()
    with app.app_context():
        kinds = {event.kind for event in load_events(hall["contest"])}
    reached = {"ContestStarted", "StageStarted", "QuestionShown", "Judged", "StageEnded"}
    assert reached <= kinds, f"the traffic never got the contest going: {sorted(kinds)}"


def test_a_flood_of_malformed_payloads_on_every_event(app, hall):
    """Does every event of every namespace answer each kind of malformed payload (None, lists, huge
    strings, wrong types, deep nesting, extra arguments) with a refusal, without storing anything?"""
    wild = [None, [], [1, 2], "text", 5, 2**70, -1.5, math.inf, True, {"type": None},
            {"type": ["StartContest"]}, {"client_id": 5}, {"client_id": "x" * 65}, {"a": {"b": {"c": {"d": [{}]}}}},
            {"reason": "长" * 5000}, {"type": "AdjustScore", "team": hall["teams"][0], "delta": 2**70, "reason": "x"},
            {"open_token": 2**70, "pressed_at": 2**70}, {"open_token": True, "pressed_at": -math.inf},
            {"tier": 2**70, "team": 2**70}, {"choice": ["A"]}, {"muted": "yes"}, {"t0": 2**70}]
    for name, connection in hall["clients"].items():
        for event in EVENT_NAMES:
            if event in ("connect", "disconnect"):
                continue
            for payload in wild:
                ack = connection.client.emit(event, payload, namespace=connection.namespace, callback=True)
                assert isinstance(ack, dict), (name, event, payload, ack)
                assert ack.get("ok") is not True or event in ("clock", "resync", "mute"), (name, event, payload, ack)
            ack = connection.client.emit(event, {}, {"extra": 1}, namespace=connection.namespace, callback=True)
            assert isinstance(ack, dict), (name, event, "two arguments", ack)
    with app.app_context():
        assert load_events(hall["contest"]) == []
    check_consistent(app, hall)
