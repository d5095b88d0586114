"""Projections: does each role see what it may, the answer hidden until revealed, and only allowed actions?"""
import copy
import json
import re
from dataclasses import replace

import pytest

from contest import commands as c
from contest.engine import apply, available_commands, replay
from contest.rules import BuzzerRules, RequiredRules, RiskRules, StageKind
from contest.views import for_display, for_host, for_team
from tests.unit.factories import Match, make_config, make_questions
from tests.unit.test_rules_support import (
    HIDDEN_KEYS,
    T1,
    T2,
    T3,
    buzz_in,
    hidden_keys,
    in_stage,
    set_scores,
    stage_with,
    whole_contest,
)

SECRET = replace(make_questions("SEC", 1, "open")[0], answer="答案-机密", explanation="解析-机密", source="出处-机密")


def public_views(match: Match) -> list[dict]:
    """What the projector and each team's phone receive now."""
    return [for_display(match.state, match.now)] + [for_team(match.state, t, match.now) for t in match.teams]


def assert_hidden(match: Match) -> None:
    """No public view holds the answer, explanation or source, by key or by text; the host's does."""
    for view in public_views(match):
        text = json.dumps(view, ensure_ascii=False)
        assert hidden_keys(view) == set()
        assert not any(secret in text for secret in ("答案-机密", "解析-机密", "出处-机密"))
    assert for_host(match.state, match.now)["stage"]["question"]["answer"] == "答案-机密"


def assert_shown(match: Match) -> None:
    """Every public view holds the answer, explanation and source of the question."""
    for view in public_views(match):
        question = view["stage"]["question"]
        assert (question["answer"], question["explanation"], question["source"]) == ("答案-机密", "解析-机密", "出处-机密")


def me(match: Match, team: int) -> dict:
    """The ``me`` part of ``team``'s view now."""
    return for_team(match.state, team, match.now)["me"]


def flags(match: Match, flag: str) -> dict[int, bool]:
    """One flag of every team's view, by team."""
    return {team: me(match, team)[flag] for team in match.teams}


# --- the answer is hidden until revealed ------------------------------------------------------


def test_a_required_question_s_answer_is_hidden_until_revealed():
    """Is the answer hidden from the hall while the team answers and after the verdict, and shown once revealed?"""
    match = stage_with(StageKind.REQUIRED, (SECRET,) + make_questions("REQ", 5))
    match.do(c.NextQuestion())
    assert_hidden(match)
    match.do(c.Judge(verdict="wrong"))
    assert_hidden(match)
    match.do(c.RevealAnswer())
    assert_shown(match)
    match.do(c.NextQuestion())
    assert hidden_keys(for_display(match.state, match.now)) == set()


def test_a_buzzer_question_s_answer_is_hidden_until_revealed():
    """Is a buzzer question's answer hidden while read, open, answered and judged, and shown once revealed?"""
    match = stage_with(StageKind.BUZZER, (SECRET,) + make_questions("BUZ", 3))
    for command in (c.NextQuestion(), c.OpenBuzzers(), c.Buzz(team=T2), c.Judge(verdict="right")):
        match.do(command)
        assert_hidden(match)
    match.do(c.RevealAnswer())
    assert_shown(match)


def test_a_risk_question_s_answer_is_hidden_until_revealed():
    """Is a risk question's answer hidden once chosen and judged, and shown once revealed?"""
    risk = (replace(SECRET, tier=10),) + make_questions("RSK", 3, tier=10) + make_questions("R20", 3, tier=20) \
        + make_questions("R30", 3, tier=30)
    match = stage_with(StageKind.RISK, risk)
    holder = match.do(c.NextQuestion()).stage.holder
    for command in (c.ChooseTier(team=holder, tier=10), c.Judge(verdict="right")):
        match.do(command)
        assert_hidden(match)
    match.do(c.RevealAnswer())
    assert_shown(match)


def buzzer_plan(match: Match) -> list[tuple]:
    """The buzzer stage's plan as the host, the display and a team each see it."""
    views = (for_host(match.state, match.now), for_display(match.state, match.now), for_team(match.state, T1, match.now))
    return [tuple(view["stage"][key] for key in ("planned", "played", "planned_number", "spare")) for view in views]


def test_every_view_numbers_buzzer_questions_within_the_plan():
    """Do all views count the planned questions, give a spare the number of the void question it replaces,
    and mark it as a spare?"""
    match = stage_with(StageKind.BUZZER, make_questions("BUZ", 4), buzzer=BuzzerRules(question_count=2))
    steps = [
        ([], (2, 0, None, False)),
        ([c.NextQuestion()], (2, 0, 1, False)),
        ([c.OpenBuzzers(), c.Buzz(team=T1), c.Judge(verdict="right")], (2, 1, 1, False)),
        ([c.NextQuestion(), c.OpenBuzzers(), c.CloseBuzzers()], (2, 1, 2, False)),
        ([c.NextQuestion()], (2, 1, 2, True)),
        ([c.OpenBuzzers(), c.Buzz(team=T2), c.Judge(verdict="wrong")], (2, 2, 2, True)),
    ]
    for commands, expected in steps:
        for command in commands:
            match.do(command)
        assert buzzer_plan(match) == [expected] * 3


def test_the_host_always_sees_the_answer():
    """Does the host's view hold the answer, explanation and source from the moment the question is up?"""
    match = stage_with(StageKind.REQUIRED, (SECRET,) + make_questions("REQ", 5))
    match.do(c.NextQuestion())
    assert hidden_keys(for_host(match.state, match.now)) == set(HIDDEN_KEYS)


def test_no_view_of_a_whole_contest_leaks_an_answer_before_its_reveal():
    """At every step of a whole contest, does a public view hold the answer only while the stage shows it revealed?"""
    match = whole_contest()
    for count in range(1, len(match.events) + 1):
        state = replay(match.events[:count])
        revealed = bool(state.stage and state.stage.phase == "revealed")
        for team in (T1, T2, T3):
            assert bool(hidden_keys(for_team(state, team, 0))) == revealed
        assert bool(hidden_keys(for_display(state, 0))) == revealed


# --- what a team may do -----------------------------------------------------------------------


def test_can_buzz_only_while_the_buzzers_are_open_to_that_team():
    """Is can_buzz false while read, true for eligible teams once open, false for a fouled team and after a win?"""
    match = in_stage(StageKind.BUZZER)
    assert set(flags(match, "can_buzz").values()) == {False}
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T3))
    assert flags(match, "can_buzz") == {T1: False, T2: False, T3: False}
    match.do(c.OpenBuzzers())
    assert flags(match, "can_buzz") == {T1: True, T2: True, T3: False}
    assert me(match, T3)["out"] is True
    match.do(c.Buzz(team=T1))
    assert set(flags(match, "can_buzz").values()) == {False}


def test_can_buzz_follows_a_lockout():
    """Is can_buzz false for a locked-out team until its lockout ends?"""
    match = in_stage(StageKind.BUZZER, buzzer=BuzzerRules(early_buzz="lockout", lockout_ms=1_000))
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T2))
    match.do(c.OpenBuzzers())
    assert flags(match, "can_buzz") == {T1: True, T2: False, T3: True}
    assert for_team(match.state, T2, match.now + 899)["me"]["can_buzz"] is False
    assert for_team(match.state, T2, match.now + 900)["me"]["can_buzz"] is True


def test_can_answer_only_for_the_holder_in_phone_mode():
    """Is can_answer true for the team on turn only, in phone mode, until it has answered?"""
    match = in_stage(StageKind.REQUIRED, required=RequiredRules(answer_mode="phone"))
    assert set(flags(match, "can_answer").values()) == {False}
    match.do(c.NextQuestion())
    assert flags(match, "can_answer") == {T1: True, T2: False, T3: False}
    match.do(c.SubmitAnswer(team=T1, choice="C"))
    assert set(flags(match, "can_answer").values()) == {False}


def test_can_answer_is_false_in_oral_mode_and_on_open_questions():
    """Is can_answer false for the holder when answers are oral, or the question is open?"""
    oral = in_stage(StageKind.REQUIRED)
    oral.do(c.NextQuestion())
    assert set(flags(oral, "can_answer").values()) == {False}
    questions = (SECRET,) + make_questions("REQ", 5)
    phone_open = stage_with(StageKind.REQUIRED, questions, required=RequiredRules(answer_mode="phone"))
    phone_open.do(c.NextQuestion())
    assert set(flags(phone_open, "can_answer").values()) == {False}


def test_can_answer_on_a_true_false_question():
    """Is can_answer true for the holder of a true/false question in phone mode?"""
    questions = make_questions("TF", 6, "true_false")
    match = stage_with(StageKind.REQUIRED, questions, required=RequiredRules(answer_mode="phone"))
    match.do(c.NextQuestion())
    assert flags(match, "can_answer") == {T1: True, T2: False, T3: False}


def test_can_choose_tier_only_for_the_team_on_turn_while_it_picks():
    """Is can_choose_tier true for the team on turn only, until it has picked?"""
    config = make_config(3, stages=(StageKind.RISK,), risk=RiskRules())
    match = Match(config)
    set_scores(match, {T1: 130, T2: 120})
    match.do(c.StartStage())
    assert set(flags(match, "can_choose_tier").values()) == {False}
    match.do(c.NextQuestion())
    assert flags(match, "can_choose_tier") == {T1: True, T2: False, T3: False}
    match.do(c.ChooseTier(team=T1, tier=20))
    assert set(flags(match, "can_choose_tier").values()) == {False}


# --- answers of other teams -------------------------------------------------------------------


def test_a_team_sees_its_own_phone_answer_and_not_another_s():
    """Does the answering team see its own submitted answer and the other teams nothing of it?"""
    match = in_stage(StageKind.REQUIRED, required=RequiredRules(answer_mode="phone"))
    match.do(c.NextQuestion())
    match.do(c.SubmitAnswer(team=T1, choice="D"))
    assert me(match, T1)["submitted"] == "D"
    for team in (T2, T3):
        view = for_team(match.state, team, match.now)
        assert view["me"]["submitted"] is None and "submitted" not in view["stage"]


def test_a_second_chance_winner_does_not_see_the_wrong_team_s_answer():
    """After a wrong phone answer and a reopening, does the next winner's view hold nothing of that answer?"""
    config = make_config(3, stages=(StageKind.BUZZER,), buzzer=BuzzerRules(answer_mode="phone", second_chance=True))
    match = Match(config)
    match.do(c.StartStage())
    buzz_in(match, T1)
    match.do(c.SubmitAnswer(team=T1, choice="D"))
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T2))
    for team in (T2, T3):
        assert "D" not in json.dumps(for_team(match.state, team, match.now)["me"])
        assert me(match, team)["submitted"] is None


def test_the_host_sees_the_buzz_log_and_the_submitted_answer():
    """Does the host's view hold every press with its outcome, and the holder's answer?"""
    match = in_stage(StageKind.BUZZER, buzzer=BuzzerRules(answer_mode="phone"))
    match.do(c.NextQuestion())
    match.do(c.Buzz(team=T3, pressed_at=5))
    match.do(c.OpenBuzzers())
    match.do(c.Buzz(team=T1))
    match.do(c.SubmitAnswer(team=T1, choice="B"))
    stage = for_host(match.state, match.now)["stage"]
    assert [(b["team"], b["outcome"]) for b in stage["buzzes"]] == [(T3, "foul"), (T1, "won")]
    assert stage["submitted"] == "B"


# --- the host's actions -----------------------------------------------------------------------


def names(commands) -> set[str]:
    """The type names of ``commands``."""
    return {type(command).__name__ for command in commands}


def test_every_available_command_is_accepted_throughout_a_contest():
    """At every step of a whole contest (and a minute later, for clocks), does each listed command apply,
    leaving the state it was given untouched?"""
    match = whole_contest()
    for count in range(1, len(match.events) + 1):
        state = replay(match.events[:count])
        before = copy.deepcopy(state)
        for now in (match.events[count - 1].at, match.events[count - 1].at + 61_000):
            for command in available_commands(state, now):
                new_state, events = apply(state, command, now)
                assert new_state is not state and len(events) == 1 and events[0].seq == state.seq + 1
        assert state == before


@pytest.mark.parametrize("setup, expected", [
    ([], {"NextQuestion", "EndStage", "Undo"}),
    ([c.NextQuestion()], {"Judge", "Undo"}),
    ([c.NextQuestion(), c.Judge(verdict="right")], {"NextQuestion", "RevealAnswer", "EndStage", "Undo"}),
], ids=["intro", "answering", "judged"])
def test_the_host_is_offered_what_the_rules_allow_now(setup, expected):
    """Does available_commands offer exactly the commands that fit the required stage's phase (and hiding
    or freezing the scores, which the host may do at any moment of a running contest)?"""
    match = in_stage(StageKind.REQUIRED)
    for command in setup:
        match.do(command)
    expected = expected | {"HideScores", "FreezeScores"}
    assert names(available_commands(match.state, match.now)) == expected
    assert names(available_commands(match.state, match.now + 30_000)) == expected | (
        {"TimeOut"} if match.state.stage.deadline else set())


def test_the_host_is_offered_each_verdict_and_the_tiers():
    """Are the three verdicts offered while a team answers, and each tier plus Abstain while it picks?"""
    match = in_stage(StageKind.REQUIRED)
    match.do(c.NextQuestion())
    verdicts = {command.verdict for command in available_commands(match.state, match.now) if isinstance(command, c.Judge)}
    assert verdicts == {"right", "wrong", "void"}
    risk = Match(make_config(2, stages=(StageKind.RISK,)))
    set_scores(risk, {T1: 110})
    risk.do(c.StartStage())
    risk.do(c.NextQuestion())
    offered = available_commands(risk.state, risk.now)
    assert {(type(o).__name__, getattr(o, "tier", None)) for o in offered
            if o.__class__ not in (c.Undo, c.HideScores, c.FreezeScores)} == \
        {("ChooseTier", 10), ("ChooseTier", 20), ("ChooseTier", 30), ("Abstain", None)}


def test_the_host_is_offered_the_pending_tiebreak():
    """Is the pending tied group offered as a tiebreak, and FinishContest not?"""
    match = Match(make_config(3, stages=(StageKind.REQUIRED, StageKind.TIEBREAK)))
    match.do(c.StartStage())
    match.do(c.EndStage())
    set_scores(match, {T3: 90})
    offered = available_commands(match.state, match.now)
    assert [o.teams for o in offered if isinstance(o, c.StartTiebreak)] == [(T1, T2)]
    assert "FinishContest" not in names(offered)
    assert for_host(match.state, match.now)["pending_ties"] == [[T1, T2]]


def test_a_tie_without_the_stages_done_is_not_offered_a_tiebreak():
    """Is no tiebreak offered while stages remain, though the scores are tied?"""
    match = Match(make_config(3, stages=(StageKind.REQUIRED, StageKind.TIEBREAK)))
    assert "StartTiebreak" not in names(available_commands(match.state, match.now))


# --- what the host and an integrator can read from the views -------------------------------------


def test_the_host_view_says_why_each_refused_command_is_refused():
    """While no team answers, is 正确 listed as refused with the rules' own reason, and never as an action?"""
    match = in_stage(StageKind.REQUIRED)
    view = for_host(match.state, match.now)
    refused = {(entry["command"], entry.get("verdict")): entry["reason"] for entry in view["refused"]}
    assert refused[("Judge", "right")] == "现在没有待判定的作答"
    assert refused[("FinishContest", None)] == "请先结束当前环节「必答题」"
    assert not {(a["command"], a.get("verdict")) for a in view["actions"]} & set(refused)


def test_after_an_undone_timeout_the_host_view_shows_the_clock_stopped():
    """Does the view say the clock is stopped (no deadline) and offer the verdicts, not TimeOut?"""
    match = in_stage(StageKind.REQUIRED)
    match.do(c.NextQuestion())
    match.do(c.TimeOut(actor="clock"), after_ms=30_000)
    view = for_host(match.do(c.Undo()), match.now + 60_000)
    assert (view["stage"]["deadline"], view["stage"]["clock_stopped"]) == (None, True)
    assert {"Judge", "Undo"} <= {action["command"] for action in view["actions"]}
    assert "当前没有在计时" in [entry["reason"] for entry in view["refused"] if entry["command"] == "TimeOut"]


def test_adjust_score_is_listed_once_the_contest_started():
    """Is AdjustScore an action (without arguments) from the start on, and refused with a reason before it?"""
    before = Match(start=False)
    assert {"command": "AdjustScore", "reason": "比赛尚未开始"} in for_host(before.state, before.now)["refused"]
    started = Match()
    assert {"command": "AdjustScore"} in for_host(started.state, started.now)["actions"]


def test_actions_carry_only_what_the_console_sends():
    """Is StartStage offered without the draw seed, which the server draws itself?"""
    match = Match()
    assert {"command": "StartStage"} in for_host(match.state, match.now)["actions"]


def test_every_view_carries_the_rules_of_the_stage_in_play():
    """Do the host, the display and the phones read the stage's points and times from the view?"""
    match = in_stage(StageKind.BUZZER, buzzer=BuzzerRules(points_right=15, answer_time=25))
    for view in [for_host(match.state, match.now)] + public_views(match):
        rules = view["stage"]["rules"]
        assert (rules["points_right"], rules["points_wrong"], rules["answer_time"], rules["buzz_window"]) == \
            (15, -10, 25, 10)


def test_before_the_start_every_team_stands_at_the_base_score():
    """Before the start, do the views show each team at the base score rather than none or 0?"""
    match = Match(make_config(3, rules=replace(make_config(3).rules, base_score=50)), start=False)
    for view in [for_host(match.state, match.now)] + public_views(match):
        assert view["scores"] == {str(T1): 50, str(T2): 50, str(T3): 50}
        assert [line["score"] for line in view["standings"]] == [50, 50, 50]
    assert me(match, T1)["score"] == 50


def view_members(value, found: set[str], rules: set[str]) -> None:
    """Every member name in a view, nested ones included (numeric keys such as team ids left out); the
    members of ``stage.rules`` go to ``rules``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not key.isdigit():
                found.add(key)
            if key == "rules" and isinstance(item, dict):
                rules.update(item)
            else:
                view_members(item, found, rules)
    elif isinstance(value, list):
        for item in value:
            view_members(item, found, rules)


def test_every_view_member_is_documented_for_integrators():
    """Does docs/protocol.md name every member any role's view holds during a whole contest, and
    docs/rules.md every setting in ``stage.rules``?"""
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    protocol = (docs / "protocol.md").read_text(encoding="utf-8")
    rules_doc = (docs / "rules.md").read_text(encoding="utf-8")
    match = whole_contest()
    members: set[str] = set()
    settings: set[str] = set()
    for count in range(1, len(match.events) + 1, 3):
        state = replay(match.events[:count])
        now = match.events[count - 1].at
        for view in [for_host(state, now), for_display(state, now)] + [for_team(state, t, now) for t in match.teams]:
            view_members(view, members, settings)
    missing = sorted(member for member in members if not re.search(rf'[`".]{member}[`"]', protocol))
    assert missing == [], ", ".join(missing)
    assert settings and sorted(name for name in settings if f"`{name}`" not in rules_doc) == []
