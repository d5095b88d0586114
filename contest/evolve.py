"""How each event changes the state. Folding a contest's events through :func:`evolve` is the only
way a state is ever built, live or in replay, so both always agree.

Everything here is deterministic: the values that depended on the clock or chance were fixed
when the event was decided (see :mod:`contest.decide`).
"""
from typing import Callable

from contest.config import Question, config_from_dict
from contest.events import (
    Abstained,
    AnswerRevealed,
    BuzzersClosed,
    BuzzersOpened,
    BuzzingInterrupted,
    BuzzWon,
    ClockResumed,
    ContestCreated,
    ContestFinished,
    ContestStarted,
    DecisionUndone,
    EarlyBuzz,
    Event,
    Judged,
    Passed,
    PlaceRevealed,
    QuestionShown,
    ScoreAdjusted,
    ScoresFrozen,
    ScoresHidden,
    ScoresRevealed,
    ScoresUnfrozen,
    StageEnded,
    StageStarted,
    TiebreakStarted,
    TierChosen,
    TimedOut,
    TurnStarted,
)
from contest import suspense
from contest.rules import EarlyBuzzPolicy, StageKind
from contest.state import BuzzRecord, ContestState, ContestStatus, Phase, StageProgress, Verdict


def initial_state(created: ContestCreated) -> ContestState:
    """The state right after the contest was created."""
    state = ContestState(config=config_from_dict(created.config))
    state.seq = created.seq
    state.last_at = created.at
    state.history.append(created)
    return state


def replay(events: list[Event]) -> ContestState:
    """Rebuild a contest from its full event log (the first event creates it)."""
    if not events or not isinstance(events[0], ContestCreated):
        raise ValueError("事件记录必须以 ContestCreated 开始")
    state = initial_state(events[0])
    for event in events[1:]:
        evolve(state, event)
    return state


def evolve(state: ContestState, event: Event) -> None:
    """Apply ``event`` to ``state`` in place."""
    if isinstance(event, DecisionUndone):
        _undo(state, event)
        return
    state.seq = event.seq
    state.last_at = event.at
    EVOLVERS[type(event)](state, event)
    for team, delta in event.score_changes().items():
        state.scores[team] += delta
        state.reached_at[team] = event.seq
    state.history.append(event)


def _undo(state: ContestState, event: DecisionUndone) -> None:
    """Rebuild the state without the last effective event, and give a running clock its time back.

    A clock that was running when the undone decision was taken resumes with the time it had
    left then, so undoing a hasty "wrong" does not leave the team with an expired clock. Undoing a
    timeout stops that clock instead: it had run out, so giving it back would time the team out
    again at once; the host judges the answer given in time (docs/rules.md).
    """
    undone = state.history[-1]
    rebuilt = replay(state.history[:-1])
    # A replay of the effective events knows nothing of what earlier undos did to clocks: carry it over.
    rebuilt.clock_shifts = {seq: ms for seq, ms in state.clock_shifts.items() if seq < undone.seq}
    rebuilt.stopped_clocks = {seq for seq in state.stopped_clocks if seq < undone.seq}
    if rebuilt.stage and rebuilt.stage.deadline is not None:
        source = next(e.seq for e in reversed(rebuilt.history) if getattr(e, "deadline", None) is not None)
        if isinstance(undone, TimedOut):
            rebuilt.stopped_clocks.add(source)
        if source in rebuilt.stopped_clocks:
            _stop_clock(rebuilt)
        else:
            shift = rebuilt.clock_shifts.get(source, 0) + event.at - undone.at
            rebuilt.clock_shifts[source] = shift
            rebuilt.stage.deadline += shift
            rebuilt.stage.clock_started += shift
    rebuilt.seq = event.seq
    rebuilt.last_at = event.at
    state.__dict__.update(rebuilt.__dict__)


def _stop_clock(state: ContestState) -> None:
    """The running clock stops where it is: no deadline, so nothing times out until the host decides.

    ``clock_started`` stays, since an opening's early-buzz check measures presses against it.
    """
    state.stage.deadline = None
    state.stage.clock_stopped = True


def _contest_started(state: ContestState, event: ContestStarted) -> None:
    """Every team starts at the base score."""
    state.status = ContestStatus.RUNNING
    for team in state.config.teams:
        state.scores[team.id] = state.config.rules.base_score
        state.reached_at[team.id] = event.seq


def _stage_started(state: ContestState, event: StageStarted) -> None:
    """A regular stage opens on its title card."""
    kind = state.config.stages[event.stage_index].kind
    state.stage = StageProgress(index=event.stage_index, kind=kind, order=event.order)


def _tiebreak_started(state: ContestState, event: TiebreakStarted) -> None:
    """A tiebreak opens; its questions come from the shared tiebreak pool."""
    index = next(i for i, stage in enumerate(state.config.stages) if stage.kind == StageKind.TIEBREAK)
    state.stage = StageProgress(
        index=index, kind=StageKind.TIEBREAK, order=event.teams, next_question=state.tiebreak_question_next
    )


def stage_question(state: ContestState, index: int) -> Question:
    """Question ``index`` of the current stage."""
    return state.config.stages[state.stage.index].questions[index]


def _new_question(state: ContestState, index: int | None) -> None:
    """Clear what belonged to the previous question and put question ``index`` up."""
    stage = state.stage
    stage.question = None if index is None else stage_question(state, index)
    if index is not None:
        stage.next_question = index + 1
        if stage.kind == StageKind.TIEBREAK:
            state.tiebreak_question_next = index + 1
    stage.verdict = None
    stage.submitted = None
    stage.out = set()
    stage.locked_until = {}
    stage.buzzes = []
    stage.tier = None
    stage.interrupted = False


def _start_clock(state: ContestState, deadline: int | None, at: int) -> None:
    """Run the clock until ``deadline`` (or stop it when None)."""
    state.stage.deadline = deadline
    state.stage.clock_started = at if deadline is not None else None
    state.stage.clock_stopped = False


def _question_shown(state: ContestState, event: QuestionShown) -> None:
    """A question is up: held by a team (answer clock runs) or shown to all (being read)."""
    stage = state.stage
    stage.turn = event.turn
    _new_question(state, event.question_index)
    stage.holder = event.holder
    stage.phase = Phase.ANSWERING if event.holder is not None else Phase.READING
    _start_clock(state, event.deadline, event.at)
    suspense.freeze_if_last_questions(state)


def _turn_started(state: ContestState, event: TurnStarted) -> None:
    """Speed: a team's packet starts with its first question. Risk: a team is to pick a value."""
    stage = state.stage
    stage.turn = event.turn
    _new_question(state, event.question_index)
    stage.holder = event.holder
    stage.right_count = 0
    stage.packet_position = 1 if event.question_index is not None else 0
    stage.phase = Phase.ANSWERING if event.question_index is not None else Phase.CHOOSING
    _start_clock(state, event.deadline, event.at)
    suspense.freeze_if_last_questions(state)


def _buzzers_opened(state: ContestState, event: BuzzersOpened) -> None:
    """Buzzers are open until the deadline."""
    state.stage.phase = Phase.BUZZING
    state.stage.open_token = event.token
    state.stage.interrupted = False
    _start_clock(state, event.deadline, event.at)


def _buzz_won(state: ContestState, event: BuzzWon) -> None:
    """The first valid buzz takes the question; its answer clock starts."""
    stage = state.stage
    stage.holder = event.team
    stage.submitted = None  # a second-chance winner has not answered yet, whatever the last holder sent
    stage.phase = Phase.ANSWERING
    stage.buzzes.append(BuzzRecord(event.team, event.at, event.pressed_at, "won"))
    _start_clock(state, event.deadline, event.at)


def _early_buzz(state: ContestState, event: EarlyBuzz) -> None:
    """A press before opening: a foul puts the team out of this question, a lockout holds it back."""
    stage = state.stage
    outcome = "foul" if event.policy == EarlyBuzzPolicy.FOUL else "lockout"
    stage.buzzes.append(BuzzRecord(event.team, event.at, event.pressed_at, outcome))
    if event.policy == EarlyBuzzPolicy.FOUL:
        stage.out.add(event.team)
        players = stage.remaining if stage.kind == StageKind.TIEBREAK else stage.order
        if all(team in stage.out for team in players):  # nobody may buzz any more: the question is void
            _settle(state, None, Verdict.NO_BUZZ)
    elif event.locked_until is not None:
        stage.locked_until[event.team] = event.locked_until


def _buzzers_closed(state: ContestState, event: BuzzersClosed) -> None:
    """Closed with no winner: the question is void."""
    _settle(state, None, Verdict.NO_BUZZ)


def _judged(state: ContestState, event: Judged) -> None:
    """The held question is decided."""
    if event.answer:
        state.stage.submitted = event.answer
    _settle(state, event.team, Verdict(event.verdict))


def _timed_out(state: ContestState, event: TimedOut) -> None:
    """The clock ran out: no buzz voids the question, no answer counts as a timeout."""
    stage = state.stage
    if stage.phase == Phase.BUZZING:
        _settle(state, None, Verdict.NO_BUZZ)
    elif stage.kind == StageKind.SPEED:
        _end_speed_turn(state)
    else:
        _settle(state, event.team, Verdict.TIMEOUT)


def _passed(state: ContestState, event: Passed) -> None:
    """Speed: the team skips to its next question."""
    _settle(state, event.team, Verdict.PASS)


def _tier_chosen(state: ContestState, event: TierChosen) -> None:
    """Risk: the chosen value's question is shown and the answer clock starts."""
    stage = state.stage
    stage.tier = event.tier
    stage.question = stage_question(state, event.question_index)
    stage.used_by_tier[event.tier] = stage.used_by_tier.get(event.tier, 0) + 1
    stage.phase = Phase.ANSWERING
    _start_clock(state, event.deadline, event.at)


def _abstained(state: ContestState, event: Abstained) -> None:
    """Risk: the team declined; its turn is over with no points."""
    _settle(state, event.team, Verdict.ABSTAIN)


def _settle(state: ContestState, team: int | None, verdict: Verdict) -> None:
    """What follows a verdict, by stage kind (the points were counted with the event)."""
    stage = state.stage
    stage.verdict = verdict
    if stage.kind == StageKind.SPEED:  # the window clock runs on across the packet
        _next_in_packet(state, right=verdict == Verdict.RIGHT)
        return
    _start_clock(state, None, 0)
    _count_if_played(stage, verdict)
    if stage.kind == StageKind.TIEBREAK and team is not None:
        _place_in_tiebreak(state, team, verdict)
    elif stage.kind == StageKind.BUZZER and verdict in (Verdict.WRONG, Verdict.TIMEOUT):
        _buzzer_wrong(state, team)
    else:
        stage.phase = Phase.JUDGED


def _count_if_played(stage: StageProgress, verdict: Verdict) -> None:
    """Buzzer: a question counts toward the planned number once an answer on it is scored.

    A void question (nobody buzzed, every team fouled out, or the only answer judged void) was not
    played: a spare takes its place. Counting here, in the fold, keeps the count right after an undo.
    """
    if stage.kind == StageKind.BUZZER and verdict in (Verdict.RIGHT, Verdict.WRONG, Verdict.TIMEOUT):
        stage.played_questions.add(stage.question.id)


def _buzzer_wrong(state: ContestState, team: int) -> None:
    """A wrong buzzer answer puts the team out; with second chance the question reopens to the rest."""
    stage = state.stage
    stage.out.add(team)
    rules = state.config.stages[stage.index].rules
    still_in = [t for t in stage.order if t not in stage.out]
    if rules.second_chance and still_in:
        stage.phase = Phase.READING
        stage.holder = None
    else:
        stage.phase = Phase.JUDGED


def _next_in_packet(state: ContestState, right: bool) -> None:
    """Speed: count the answer and show the packet's next question, or end the turn."""
    stage = state.stage
    if right:
        stage.right_count += 1
    rules = state.config.stages[stage.index].rules
    questions = state.config.stages[stage.index].questions
    packet_end = min((stage.turn + 1) * rules.packet_size, len(questions))
    if stage.next_question < packet_end and not stage.clock_stopped:  # stopped: the window had run out
        stage.question = questions[stage.next_question]
        stage.next_question += 1
        stage.packet_position += 1
        stage.submitted = None
        stage.phase = Phase.ANSWERING
    else:
        _end_speed_turn(state)


def _end_speed_turn(state: ContestState) -> None:
    """Speed: the team's window or packet is over."""
    stage = state.stage
    stage.phase = Phase.TURN_OVER
    stage.question = None
    _start_clock(state, None, 0)


def _place_in_tiebreak(state: ContestState, team: int, verdict: Verdict) -> None:
    """Tiebreak: a right answer takes the best open place, a wrong one the worst."""
    stage = state.stage
    if verdict == Verdict.RIGHT:
        stage.placed_top.append(team)
    elif verdict in (Verdict.WRONG, Verdict.TIMEOUT):
        stage.placed_bottom.insert(0, team)
    stage.phase = Phase.JUDGED
    if len(stage.remaining) == 1:
        stage.placed_top.append(stage.remaining[0])
    if not stage.remaining:
        stage.phase = Phase.RESOLVED
        state.tiebreak_results.append(tuple(stage.placed_top + stage.placed_bottom))


def _answer_revealed(state: ContestState, event: AnswerRevealed) -> None:
    """The answer is shown to the hall; a resolved tiebreak stays resolved (nothing is left to play)."""
    if state.stage.phase == Phase.RESOLVED:
        state.stage.resolved_answer_shown = True
    else:
        state.stage.phase = Phase.REVEALED


def _stage_ended(state: ContestState, event: StageEnded) -> None:
    """The stage is over; a regular stage counts as played."""
    if state.config.stages[event.stage_index].kind != StageKind.TIEBREAK:
        state.played_stages.append(event.stage_index)
    state.stage = None


def _contest_finished(state: ContestState, event: ContestFinished) -> None:
    """The contest is closed; only judge corrections may follow."""
    state.status = ContestStatus.FINISHED


def _clock_resumed(state: ContestState, event: ClockResumed) -> None:
    """After a restart the running clock goes on with the time it had left."""
    state.stage.deadline = event.deadline
    state.stage.clock_started = event.clock_started


def _buzzing_interrupted(state: ContestState, event: BuzzingInterrupted) -> None:
    """After a restart open buzzers are void: the question is back to reading, the host opens again."""
    stage = state.stage
    stage.phase = Phase.READING
    stage.interrupted = True
    _start_clock(state, None, 0)


def _scores_hidden(state: ContestState, event: ScoresHidden) -> None:
    """The hall stops seeing scores; a ceremony starts again from the last place."""
    state.suspense.hidden = True
    state.suspense.revealed = 0


def _scores_frozen(state: ContestState, event: ScoresFrozen) -> None:
    """The hall keeps the scores of now."""
    suspense.freeze(state)


def _scores_unfrozen(state: ContestState, event: ScoresUnfrozen) -> None:
    """The hall sees the scores of now again (a hiding stays)."""
    state.suspense.frozen_scores = None
    state.suspense.frozen_reached = None


def _place_revealed(state: ContestState, event: PlaceRevealed) -> None:
    """Ceremony: one more place uncovered; with the first place the ceremony is over."""
    state.suspense.revealed += 1
    if state.suspense.revealed >= len(state.config.teams):
        suspense.clear(state)


def _scores_revealed(state: ContestState, event: ScoresRevealed) -> None:
    """Everything is shown again."""
    suspense.clear(state)


def _no_change(state: ContestState, event: Event) -> None:
    """Events whose only effect is on scores (counted by :func:`evolve`)."""


EVOLVERS: dict[type[Event], Callable[[ContestState, Event], None]] = {
    ContestStarted: _contest_started,
    StageStarted: _stage_started,
    TiebreakStarted: _tiebreak_started,
    QuestionShown: _question_shown,
    TurnStarted: _turn_started,
    BuzzersOpened: _buzzers_opened,
    BuzzWon: _buzz_won,
    EarlyBuzz: _early_buzz,
    BuzzersClosed: _buzzers_closed,
    Judged: _judged,
    TimedOut: _timed_out,
    Passed: _passed,
    TierChosen: _tier_chosen,
    Abstained: _abstained,
    AnswerRevealed: _answer_revealed,
    StageEnded: _stage_ended,
    ScoreAdjusted: _no_change,
    ContestFinished: _contest_finished,
    ClockResumed: _clock_resumed,
    BuzzingInterrupted: _buzzing_interrupted,
    ScoresHidden: _scores_hidden,
    ScoresFrozen: _scores_frozen,
    ScoresUnfrozen: _scores_unfrozen,
    PlaceRevealed: _place_revealed,
    ScoresRevealed: _scores_revealed,
}
