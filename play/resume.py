"""Resuming a contest whose clock was running when an earlier process stopped (docs/reliability.md)."""
from flask import current_app

from contest import commands as c
from contest.engine import Refusal, apply
from contest.state import ContestState
from play import clock
from play.events import summary
from play.routing import owns
from storage.event_store import ConcurrentWriteError, append_events, load_state


def resume_after_restart(contest_id: int, state: ContestState | None) -> ContestState | None:
    """The contest's state once its running clock, if any, is resumed; stored like any decision.

    Deadlines are server times, so a clock that was running at the stop is past its deadline by
    now and would time the team out at once. The engine's ResumeAfterRestart gives an answer or
    speed clock the time it had left at the last stored event, or voids open buzzers. This runs
    when this process first loads the contest, and only for a contest last written before the
    process started: one that another live process is writing is not a stopped one. With several
    processes, only the contest's owner resumes it (play.cluster: the others only follow it).
    """
    stage = state.stage if state else None
    if stage is None or stage.deadline is None or state.last_at >= clock.PROCESS_STARTED_MS or not owns(contest_id):
        return state
    try:
        new_state, events = apply(state, c.ResumeAfterRestart(actor="server"), clock.now_ms())
        append_events(contest_id, events)
    except Refusal as refusal:
        current_app.logger.warning("contest %s after a restart: %s", contest_id, refusal.reason)
        return state
    except ConcurrentWriteError:
        return load_state(contest_id)  # someone is writing it right now: nothing to resume
    current_app.logger.warning("contest %s after a restart: %s", contest_id, summary(events[0]))
    return new_state
