"""Is every accepted decision stored in order, and can two writers never interleave silently?"""
import pytest

from contest import commands as c
from contest.engine import apply, create_contest
from contest_setup.models import Contest
from extensions import db
from storage.event_store import ConcurrentWriteError, append_events, load_events, load_state
from storage.models import EventRecord
from tests.unit.factories import T0, make_config


@pytest.fixture
def contest_id(app):
    """A contest row to hang events on."""
    with app.app_context():
        contest = Contest(name="存储测试")
        db.session.add(contest)
        db.session.commit()
        return contest.id


def test_stored_events_replay_to_the_live_state(app, contest_id):
    """Does loading a contest from the database give exactly the state it had live?"""
    with app.app_context():
        state, events = create_contest(make_config(), T0)
        append_events(contest_id, events)
        for step, command in enumerate([c.StartContest(), c.StartStage(), c.NextQuestion(), c.Judge(verdict="right")]):
            state, events = apply(state, command, T0 + 1000 * (step + 1))
            append_events(contest_id, events)
        db.session.remove()
        assert load_state(contest_id) == state
        assert [e.seq for e in load_events(contest_id)] == [1, 2, 3, 4, 5]


def test_two_writers_from_the_same_state_cannot_both_decide(app, contest_id):
    """When two hosts press "right" at once, is only one decision stored?"""
    with app.app_context():
        state, events = create_contest(make_config(), T0)
        append_events(contest_id, events)
        for command in (c.StartContest(), c.StartStage(), c.NextQuestion()):
            state, events = apply(state, command, T0)
            append_events(contest_id, events)
        _first_state, first = apply(state, c.Judge(verdict="right", actor="host:a"), T0 + 5)
        _second_state, second = apply(state, c.Judge(verdict="right", actor="host:b"), T0 + 6)
        append_events(contest_id, first)
        with pytest.raises(ConcurrentWriteError):
            append_events(contest_id, second)
        stored = load_events(contest_id)
        assert [e.actor for e in stored if e.kind == "Judged"] == ["host:a"]
        assert load_state(contest_id).scores[101] == 110


def test_a_refused_batch_leaves_nothing_behind(app, contest_id):
    """If one event of a batch cannot be stored, is none of the batch stored?"""
    with app.app_context():
        state, created = create_contest(make_config(), T0)
        append_events(contest_id, created)
        started, start_events = apply(state, c.StartContest(), T0)
        append_events(contest_id, start_events)
        _, stage_events = apply(started, c.StartStage(), T0)
        with pytest.raises(ConcurrentWriteError):
            append_events(contest_id, stage_events + start_events)  # seq 3 is new, seq 2 is taken
        assert [e.seq for e in load_events(contest_id)] == [1, 2]
