"""Do random sequences of commands keep the contest consistent, replayable and correctly scored?"""
import copy

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from contest import commands as c
from contest.decide import Refusal
from contest.engine import apply, available_commands, create_contest, is_accepted, replay
from contest.events import DecisionUndone
from contest.rules import BuzzerRules, RequiredRules, RiskRules, SpeedRules, StageKind, TiebreakRules
from contest.state import ContestStatus, Phase
from tests.unit.factories import T0, make_config

TEAMS = (101, 102, 103)
CONFIG = make_config(
    teams=3,
    required=RequiredRules(answer_mode="phone"),
    speed=SpeedRules(packet_size=2),
    buzzer=BuzzerRules(second_chance=True, early_buzz="foul", question_count=3),  # of its 12: runs reach the plan
    risk=RiskRules(tiers=(10, 20, 30)),
    tiebreak=TiebreakRules(early_buzz="lockout"),
)

team_ids = st.sampled_from(TEAMS + (999,))
RANDOM_COMMANDS = st.one_of(
    st.sampled_from([
        c.StartContest(), c.StartStage(draw_seed=1), c.NextQuestion(), c.OpenBuzzers(), c.CloseBuzzers(),
        c.Judge(verdict="right"), c.Judge(verdict="wrong"), c.Judge(verdict="void"), c.Judge(verdict="maybe"),
        c.Pass(), c.TimeOut(), c.RevealAnswer(), c.EndStage(), c.Undo(), c.FinishContest(),
        c.ResumeAfterRestart(actor="server"),
    ]),
    st.builds(c.Buzz, team=team_ids, pressed_at=st.none() | st.integers(T0, T0 + 10**7),
              open_token=st.none() | st.integers(0, 200)),
    st.builds(c.SubmitAnswer, team=team_ids, choice=st.sampled_from(["A", "B", "AC", "Z", "对", ""])),
    st.builds(c.ChooseTier, team=team_ids, tier=st.sampled_from([10, 20, 30, 40])),
    st.builds(c.Abstain, team=team_ids),
    st.builds(c.AdjustScore, team=team_ids, delta=st.integers(-30, 30), reason=st.sampled_from(["", "评委更正"])),
    st.builds(c.StartTiebreak, teams=st.lists(st.sampled_from(TEAMS), min_size=2, max_size=3, unique=True).map(tuple)),
)


def phone_moves():
    """Every command a phone could send, legal or not."""
    moves = [c.Buzz(team=team) for team in TEAMS]
    moves += [c.SubmitAnswer(team=team, choice=choice) for team in TEAMS for choice in ("A", "B", "AC", "对", "错")]
    moves += [c.ChooseTier(team=team, tier=tier) for team in TEAMS for tier in (10, 20, 30)]
    moves += [c.Abstain(team=team) for team in TEAMS]
    return moves


PHONE_MOVES = phone_moves()


def legal_moves(state, now):
    """The commands the rules accept now, from the host and from the phones."""
    return available_commands(state, now) + [m for m in PHONE_MOVES if is_accepted(state, m, now)]


def check_invariants(state):
    """Things that must hold in every reachable state."""
    if state.status != ContestStatus.NOT_STARTED:
        assert set(state.scores) == set(TEAMS)
    stage = state.stage
    if stage is None:
        return
    assert set(stage.order) <= set(TEAMS)
    assert stage.out <= set(stage.order)
    assert stage.holder is None or stage.holder in stage.order
    if stage.phase in (Phase.ANSWERING, Phase.BUZZING):
        assert (stage.deadline is None) == stage.clock_stopped  # only an undone timeout stops a running clock
    if stage.phase == Phase.ANSWERING:
        assert stage.holder is not None and stage.question is not None
    if stage.phase == Phase.BUZZING:
        assert stage.holder is None
    if stage.phase in (Phase.INTRO, Phase.JUDGED, Phase.REVEALED, Phase.CHOOSING, Phase.TURN_OVER, Phase.RESOLVED):
        assert stage.deadline is None
    assert set(stage.placed_top).isdisjoint(stage.placed_bottom)
    planned = state.config.stages[stage.index].rules.question_count if stage.kind == StageKind.BUZZER else 0
    assert len(stage.played_questions) <= planned


@st.composite
def played(draw, config=CONFIG, check=None):
    """A contest of ``config`` played by a mix of legal moves (mostly) and random or forged commands;
    each state reached keeps the invariants, and passes ``check(state, now)`` when given.

    Drawing mostly among the accepted commands takes the contest deep into every stage; the
    random ones check that whatever is refused leaves the state untouched.
    """
    now = T0
    state, log = create_contest(config, now)
    for _ in range(draw(st.integers(1, 160))):
        now += draw(st.sampled_from([0, 50, 300, 5_000, 45_000]))
        legal = legal_moves(state, now)
        use_legal = legal and draw(st.integers(0, 9)) < 8
        command = draw(st.sampled_from(legal)) if use_legal else draw(RANDOM_COMMANDS)
        before = copy.deepcopy(state)
        try:
            state, events = apply(state, command, now)
        except Refusal as refusal:
            assert not use_legal, f"{command} was offered as legal but refused: {refusal.reason}"
            assert refusal.reason, "a refusal always says why"
            assert state == before, f"refused {command} changed the state"
            continue
        assert len(events) == 1
        log.extend(events)
        check_invariants(state)
        if check is not None:
            check(state, now)
    if state.stage is not None:
        event(f"ended in {state.stage.kind} / {state.stage.phase}")
    event(f"status {state.status}, {len(state.played_stages)} stages played")
    return state, log


def effective(log):
    """The events that still count: each DecisionUndone takes back the latest counting event."""
    kept = []
    for item in log:
        if isinstance(item, DecisionUndone):
            assert kept[-1].seq == item.target_seq
            kept.pop()
        else:
            kept.append(item)
    return kept


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(played())
def test_random_contests_stay_replayable_scored_and_numbered(game):
    """For any played sequence: does replay rebuild the live state, is each score the base plus
    its score events that still count, and is the log numbered 1, 2, 3… without gaps?

    (The three properties share one generated game each, so the search costs a third.)
    """
    state, log = game
    assert replay(log) == state
    counted = effective(log)
    assert counted == state.history
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    if state.status != ContestStatus.NOT_STARTED:
        for team in TEAMS:
            expected = CONFIG.rules.base_score + sum(e.score_changes().get(team, 0) for e in counted)
            assert state.scores[team] == expected
