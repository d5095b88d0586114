"""Event records: does every event of a played contest survive storage as JSON, and is bad data refused?"""
import json

import pytest

from contest.engine import replay
from contest.events import EVENT_TYPES, Judged, event_from_dict, event_to_dict
from tests.unit.test_rules_support import whole_contest


@pytest.fixture(scope="module")
def played():
    """One whole contest, played once for the module."""
    return whole_contest()


def stored(event):
    """``event`` as it comes back from the database: to dict, JSON text, dict, event."""
    return event_from_dict(json.loads(json.dumps(event_to_dict(event), ensure_ascii=False)))


def test_the_contest_produces_every_kind_of_event(played):
    """Does the scripted contest cover every registered kind of event (so the next test checks them all)?"""
    assert {event.kind for event in played.events} == set(EVENT_TYPES)


def test_every_event_survives_json_unchanged(played):
    """Does every event come back from event_to_dict → JSON → event_from_dict equal and of the same type?"""
    for event in played.events:
        back = stored(event)
        assert type(back) is type(event) and back == event, event.kind


def test_the_stored_log_replays_to_the_same_contest(played):
    """Does the log, after a trip through JSON, replay to exactly the live state?"""
    assert replay([stored(event) for event in played.events]) == played.state


def test_events_are_numbered_one_after_another(played):
    """Are the events numbered 1, 2, 3, … with times that never go back?"""
    assert [event.seq for event in played.events] == list(range(1, len(played.events) + 1))
    assert all(a.at <= b.at for a, b in zip(played.events, played.events[1:]))


def test_the_stored_form_names_its_kind_and_uses_lists(played):
    """Does the stored form carry the kind and turn the tuples (orders, teams, ranking) into lists?"""
    tuple_fields = {"StageStarted": "order", "TiebreakStarted": "teams", "ContestFinished": "ranking"}
    for event in played.events:
        data = event_to_dict(event)
        assert data["kind"] == event.kind
        if event.kind in tuple_fields:
            assert data[tuple_fields[event.kind]] == list(getattr(event, tuple_fields[event.kind]))


def test_an_unknown_kind_is_refused():
    """Does an unknown kind raise ValueError, naming it?"""
    with pytest.raises(ValueError, match="^未知的事件类型：Teleported$"):
        event_from_dict({"kind": "Teleported", "seq": 1, "at": 0, "actor": "host"})
    with pytest.raises(ValueError, match="^未知的事件类型：None$"):
        event_from_dict({"seq": 1, "at": 0, "actor": "host"})


def judged_data() -> dict:
    """A valid stored Judged event."""
    return event_to_dict(Judged(seq=5, at=1, actor="host", team=101, verdict="right", delta=10))


def test_an_unknown_field_is_refused():
    """Does a stored event with a field its kind does not have raise ValueError, naming the field?"""
    data = judged_data()
    data["bonus"] = 5
    with pytest.raises(ValueError, match=r"^事件 Judged 的字段不符：\['bonus'\]$"):
        event_from_dict(data)


def test_a_missing_field_is_refused():
    """Does a stored event without one of its fields raise ValueError, naming the field?"""
    data = judged_data()
    del data["delta"]
    with pytest.raises(ValueError, match=r"^事件 Judged 的字段不符：\['delta'\]$"):
        event_from_dict(data)


def test_a_valid_stored_event_comes_back():
    """Does a hand-made stored event come back as the event it describes?"""
    assert event_from_dict(judged_data()) == Judged(seq=5, at=1, actor="host", team=101, verdict="right", delta=10)
