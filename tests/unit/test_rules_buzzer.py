"""抢答题: does the first valid buzz after the opening win, and are early presses treated by the policy?"""
from dataclasses import replace

import pytest

from contest import commands as c
from contest.engine import available_commands
from contest.rules import BuzzerRules, StageKind
from contest.state import Phase, Verdict
from tests.unit.factories import make_questions
from tests.unit.test_rules_support import T1, T2, T3, buzz_in, in_stage, name, refuse, stage_with


def reading(teams: int = 3, **rules):
    """A buzzer stage with its first question being read, buzzers still closed."""
    match = in_stage(StageKind.BUZZER, teams=teams, buzzer=BuzzerRules(**rules))
    match.do(c.NextQuestion())
    return match


def buzzing(**rules):
    """A buzzer stage with the buzzers open on its first question."""
    match = reading(**rules)
    match.do(c.OpenBuzzers())
    return match


def answering(team: int = T1, **rules):
    """A buzzer stage where ``team`` has won the first question."""
    match = buzzing(**rules)
    match.do(c.Buzz(team=team))
    return match


# --- showing and opening ----------------------------------------------------------------------


def test_a_question_is_shown_to_all_with_the_buzzers_closed():
    """Does NextQuestion show the question to everyone, with no holder and no clock?"""
    state = reading().state
    assert (state.stage.phase, state.stage.holder, state.stage.deadline) == (Phase.READING, None, None)
    assert state.stage.question.id == "BUZ-1"


def test_opening_starts_the_buzz_window():
    """Does OpenBuzzers open the buzzers for the 10-second buzz window, with a new token?"""
    match = reading()
    state = match.do(c.OpenBuzzers())
    opened = match.events[-1]
    assert (state.stage.phase, state.stage.open_token, state.stage.deadline) == (Phase.BUZZING, opened.seq, match.now + 10_000)


def test_a_press_for_an_undone_opening_is_refused():
    """After the host undoes an opening and opens again, is a press echoing the old token refused?"""
    match = reading()
    old_token = match.do(c.OpenBuzzers()).stage.open_token
    match.do(c.Undo())
    new_token = match.do(c.OpenBuzzers()).stage.open_token
    assert new_token != old_token
    refuse(match, c.Buzz(team=T1, open_token=old_token), "抢答信号已过期，请以最新一次开始抢答为准")
    assert match.do(c.Buzz(team=T1, open_token=new_token)).stage.holder == T1


def test_the_buzz_window_is_a_setting():
    """Does buzz_window=5 open the buzzers for 5 seconds?"""
    match = reading(buzz_window=5)
    assert match.do(c.OpenBuzzers()).stage.deadline == match.now + 5_000


def test_a_buzz_on_the_title_card_is_refused():
    """Is a buzz refused before any question is shown?"""
    refuse(in_stage(StageKind.BUZZER), c.Buzz(team=T1), "现在不能抢答，请等待主持人出题并开始抢答")


def test_opening_before_a_question_is_refused():
    """Is OpenBuzzers refused on the title card?"""
    refuse(in_stage(StageKind.BUZZER), c.OpenBuzzers(), "请先出题，读题后再开始抢答")


def test_opening_twice_is_refused():
    """Is a second OpenBuzzers refused while the buzzers are open?"""
    refuse(buzzing(), c.OpenBuzzers(), "抢答已经开始")


def test_opening_outside_a_buzzer_stage_is_refused():
    """Is OpenBuzzers refused in a required stage?"""
    refuse(in_stage(StageKind.REQUIRED), c.OpenBuzzers(), "「必答题」环节不能抢答")


def test_a_buzz_from_an_unknown_team_is_refused():
    """Is a buzz from a team id that does not play refused?"""
    refuse(buzzing(), c.Buzz(team=999), "没有编号为 999 的队伍")


def test_the_next_question_waits_while_the_buzzers_are_open():
    """Is NextQuestion refused while the buzzers are open?"""
    refuse(buzzing(), c.NextQuestion(), "本题尚未结束，请先判定或等待计时结束")


def test_the_stage_s_questions_can_run_out():
    """Is NextQuestion refused once every question of the stage was shown?"""
    match = stage_with(StageKind.BUZZER, make_questions("BUZ", 1))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.CloseBuzzers())
    refuse(match, c.NextQuestion(), "本环节题目已用完")


# --- early presses ----------------------------------------------------------------------------


def test_an_early_buzz_costs_the_foul_points_and_puts_the_team_out():
    """Does an early buzz cost the foul points and put the team out?"""
    match = reading()
    state = match.do(c.Buzz(team=T2))
    assert state.scores == {T1: 100, T2: 90, T3: 100}
    assert state.stage.out == {T2} and state.stage.phase == Phase.READING
    event = match.events[-1]
    assert (event.kind, event.team, event.policy, event.delta, event.locked_until) == ("EarlyBuzz", T2, "foul", -10, None)


def test_the_foul_points_are_a_setting():
    """Does foul_points=-5 cost 5 points for an early buzz?"""
    assert reading(foul_points=-5).do(c.Buzz(team=T2)).scores[T2] == 95


def test_a_fouled_team_cannot_press_again_on_this_question():
    """Is a fouled team's further press refused, before and after the opening?"""
    match = reading()
    match.do(c.Buzz(team=T2))
    message = f"{name(T2)}本题已抢答犯规，不能再抢答"
    refuse(match, c.Buzz(team=T2), message)
    match.do(c.OpenBuzzers())
    refuse(match, c.Buzz(team=T2), message)
    assert match.do(c.Buzz(team=T3)).stage.holder == T3


def test_a_foul_lasts_for_one_question_only():
    """Can a team that fouled on one question buzz on the next?"""
    match = reading()
    match.do(c.Buzz(team=T2))
    match.do(c.OpenBuzzers())
    match.do(c.CloseBuzzers())
    state = buzz_in(match, T2)
    assert (state.stage.holder, state.stage.out) == (T2, set())


def test_the_ignore_policy_refuses_early_presses_and_changes_nothing():
    """With early_buzz=ignore, is an early press refused without points, and can the team buzz later?"""
    match = reading(early_buzz="ignore")
    refuse(match, c.Buzz(team=T2), "尚未开始抢答，本次按下不计")
    match.do(c.OpenBuzzers())
    assert match.do(c.Buzz(team=T2)).stage.holder == T2


@pytest.mark.parametrize("rules, lockout", [({}, 250), ({"lockout_ms": 1_000}, 1_000)], ids=["default", "1s"])
def test_the_lockout_policy_holds_the_team_back_for_a_while(rules, lockout):
    """With early_buzz=lockout, is the team refused while locked (lockout_ms) and accepted once it ends?"""
    match = reading(early_buzz="lockout", **rules)
    state = match.do(c.Buzz(team=T2))
    assert (state.scores[T2], state.stage.out, state.stage.locked_until) == (100, set(), {T2: match.now + lockout})
    assert (match.events[-1].policy, match.events[-1].delta) == ("lockout", 0)
    match.do(c.OpenBuzzers(), after_ms=50)
    refuse(match, c.Buzz(team=T2), f"{name(T2)}提前按下，锁定中", after_ms=lockout - 51)
    assert match.do(c.Buzz(team=T2), after_ms=lockout - 50).stage.holder == T2


def test_a_locked_team_does_not_stop_the_others():
    """Can another team win while one is locked out?"""
    match = reading(early_buzz="lockout", lockout_ms=5_000)
    match.do(c.Buzz(team=T2))
    match.do(c.OpenBuzzers())
    assert match.do(c.Buzz(team=T3)).stage.holder == T3


def test_when_every_team_fouls_the_question_is_void():
    """When every team has fouled, is the question void so that the next one can come?"""
    match = reading(teams=2)
    match.do(c.Buzz(team=T1))
    state = match.do(c.Buzz(team=T2))
    assert (state.stage.phase, state.stage.verdict, state.scores) == (Phase.JUDGED, Verdict.NO_BUZZ, {T1: 90, T2: 90})
    refuse(match, c.OpenBuzzers(), "请先出题，读题后再开始抢答")
    assert match.do(c.NextQuestion()).stage.question.id == "BUZ-2"


# --- the first buzz ---------------------------------------------------------------------------


def test_the_first_valid_buzz_wins_and_starts_the_answer_clock():
    """Does the first buzz after the opening hold the question with a 20-second answer clock?"""
    match = buzzing()
    state = match.do(c.Buzz(team=T3, pressed_at=match.now + 80))
    stage = state.stage
    assert (stage.holder, stage.phase, stage.deadline) == (T3, Phase.ANSWERING, match.now + 20_000)
    assert [(b.team, b.arrived_at, b.pressed_at, b.outcome) for b in stage.buzzes] == \
        [(T3, match.now, match.now - 20, "won")]


def test_a_question_s_own_time_limit_sets_the_answer_clock():
    """Does a buzzer question with its own 8-second limit give the winner 8 seconds?"""
    questions = (replace(make_questions("OWN", 1)[0], time_limit=8),) + make_questions("BUZ", 3)
    match = stage_with(StageKind.BUZZER, questions)
    assert buzz_in(match, T1).stage.deadline == match.now + 8_000


def test_a_second_buzz_is_refused():
    """Is a buzz after the first one refused, naming the team that won?"""
    match = answering(T1)
    refuse(match, c.Buzz(team=T2), f"抢答已结束，{name(T1)}已抢到")
    refuse(match, c.Buzz(team=T1), f"抢答已结束，{name(T1)}已抢到")


def test_a_buzz_for_an_earlier_opening_is_refused():
    """Is a press that names an earlier opening's token refused, and one with the current token accepted?"""
    match = buzzing()
    earlier = match.state.stage.open_token
    match.do(c.CloseBuzzers())
    match.do(c.NextQuestion())
    current = match.do(c.OpenBuzzers()).stage.open_token
    assert current > earlier
    refuse(match, c.Buzz(team=T1, open_token=earlier), "抢答信号已过期，请以最新一次开始抢答为准")
    assert match.do(c.Buzz(team=T1, open_token=current)).stage.holder == T1


def test_a_right_answer_gives_ten():
    """Does a right answer give the winner +10 and end the question?"""
    state = answering(T2).do(c.Judge(verdict="right"))
    assert state.scores == {T1: 100, T2: 110, T3: 100}
    assert (state.stage.phase, state.stage.verdict, state.stage.deadline) == (Phase.JUDGED, Verdict.RIGHT, None)


def test_a_wrong_answer_costs_ten_and_ends_the_question():
    """Does a wrong answer cost 10 and, without second chance, end the question?"""
    match = answering(T2)
    state = match.do(c.Judge(verdict="wrong"))
    assert state.scores[T2] == 90
    assert (state.stage.phase, state.stage.verdict) == (Phase.JUDGED, Verdict.WRONG)
    refuse(match, c.OpenBuzzers(), "请先出题，读题后再开始抢答")
    refuse(match, c.Buzz(team=T1), "现在不能抢答，请等待主持人出题并开始抢答")


def test_a_custom_points_wrong_is_applied_for_buzzers():
    """Does points_wrong=0 make a wrong buzzer answer cost nothing?"""
    assert answering(T2, points_wrong=0).do(c.Judge(verdict="wrong")).scores[T2] == 100


def test_a_void_answer_scores_nothing():
    """Does a void verdict score 0 and end the question?"""
    state = answering(T2).do(c.Judge(verdict="void"))
    assert state.scores[T2] == 100 and state.stage.phase == Phase.JUDGED


def test_an_answer_timeout_counts_as_wrong():
    """Does the answer clock running out cost the holder the wrong-answer points?"""
    match = answering(T2)
    refuse(match, c.TimeOut(), "时间未到（还剩 1 秒）", after_ms=19_500)
    state = match.do(c.TimeOut(actor="clock"), after_ms=20_000)
    assert state.scores[T2] == 90
    assert (state.stage.phase, state.stage.verdict) == (Phase.JUDGED, Verdict.TIMEOUT)


# --- nobody buzzes ----------------------------------------------------------------------------


def test_no_buzz_in_the_window_voids_the_question():
    """Does the buzz window's TimeOut void the question with no points for anyone?"""
    match = buzzing()
    refuse(match, c.TimeOut(), "时间未到（还剩 1 秒）", after_ms=9_999)
    state = match.do(c.TimeOut(actor="clock"), after_ms=10_000)
    assert (state.stage.phase, state.stage.verdict, state.stage.holder) == (Phase.JUDGED, Verdict.NO_BUZZ, None)
    assert set(state.scores.values()) == {100}
    assert (match.events[-1].team, match.events[-1].delta) == (None, 0)


def test_closing_the_buzzers_voids_the_question():
    """Does CloseBuzzers void the question with no points for anyone?"""
    state = buzzing().do(c.CloseBuzzers())
    assert (state.stage.phase, state.stage.verdict, state.stage.deadline) == (Phase.JUDGED, Verdict.NO_BUZZ, None)
    assert set(state.scores.values()) == {100}


def test_closing_buzzers_that_are_not_open_is_refused():
    """Is CloseBuzzers refused while the question is read and once a team holds it?"""
    refuse(reading(), c.CloseBuzzers(), "抢答未在进行中")
    refuse(answering(), c.CloseBuzzers(), "抢答未在进行中")


def test_a_void_question_can_be_revealed_and_followed():
    """Can the answer of a question nobody buzzed be revealed, and the next one come?"""
    match = buzzing()
    match.do(c.CloseBuzzers())
    assert match.do(c.RevealAnswer()).stage.phase == Phase.REVEALED
    assert match.do(c.NextQuestion()).stage.question.id == "BUZ-2"


# --- second chance ----------------------------------------------------------------------------


def test_second_chance_reopens_the_question_to_the_others():
    """With second_chance, does a wrong answer cost 10 and put the question back to reading for the rest?"""
    match = answering(T1, second_chance=True)
    state = match.do(c.Judge(verdict="wrong"))
    assert state.scores[T1] == 90
    assert (state.stage.phase, state.stage.holder, state.stage.out, state.stage.deadline) == \
        (Phase.READING, None, {T1}, None)


def test_after_second_chance_the_wrong_team_cannot_buzz_again():
    """Is the team that answered wrong refused on the reopened question?"""
    match = answering(T1, second_chance=True)
    match.do(c.Judge(verdict="wrong"))
    match.do(c.OpenBuzzers())
    refuse(match, c.Buzz(team=T1), f"{name(T1)}本题已答过，不能再抢答")


def test_after_second_chance_another_team_buzzes_once_reopened():
    """Can another team win the reopened question after a new OpenBuzzers, with a new token?"""
    match = answering(T1, second_chance=True)
    earlier = match.state.stage.open_token
    match.do(c.Judge(verdict="wrong"))
    current = match.do(c.OpenBuzzers()).stage.open_token
    assert current > earlier
    refuse(match, c.Buzz(team=T2, open_token=earlier), "抢答信号已过期，请以最新一次开始抢答为准")
    match.do(c.Buzz(team=T2, open_token=current))
    state = match.do(c.Judge(verdict="right"))
    assert state.scores == {T1: 90, T2: 110, T3: 100}
    assert state.stage.phase == Phase.JUDGED


def test_a_press_before_the_reopening_is_early():
    """Is a press before the second opening an early buzz, by the policy?"""
    match = answering(T1, second_chance=True)
    match.do(c.Judge(verdict="wrong"))
    state = match.do(c.Buzz(team=T2))
    assert (state.scores[T2], state.stage.out) == (90, {T1, T2})


def test_second_chance_ends_when_nobody_is_left():
    """Does the question end when every team has answered wrong?"""
    match = answering(T1, second_chance=True)
    match.do(c.Judge(verdict="wrong"))
    for team in (T2, T3):
        match.do(c.OpenBuzzers())
        match.do(c.Buzz(team=team))
        state = match.do(c.Judge(verdict="wrong"))
    assert (state.stage.phase, state.scores) == (Phase.JUDGED, {T1: 90, T2: 90, T3: 90})
    refuse(match, c.OpenBuzzers(), "请先出题，读题后再开始抢答")


def test_second_chance_follows_an_answer_timeout_too():
    """Does an answer timeout, like a wrong answer, reopen the question with second_chance?"""
    match = answering(T1, second_chance=True)
    state = match.do(c.TimeOut(), after_ms=20_000)
    assert (state.scores[T1], state.stage.phase, state.stage.out) == (90, Phase.READING, {T1})


def test_a_reopened_question_is_void_when_the_others_foul():
    """After a second chance, when every other team presses early, is the question void?"""
    match = answering(T1, second_chance=True)
    match.do(c.Judge(verdict="wrong"))
    match.do(c.Buzz(team=T2))
    state = match.do(c.Buzz(team=T3))
    assert (state.stage.phase, state.stage.verdict, state.scores) == \
        (Phase.JUDGED, Verdict.NO_BUZZ, {T1: 90, T2: 90, T3: 90})


def test_a_reopened_question_nobody_takes_is_void():
    """Does closing the reopened buzzers end the question, the wrong team keeping its deduction?"""
    match = answering(T1, second_chance=True)
    match.do(c.Judge(verdict="wrong"))
    match.do(c.OpenBuzzers())
    state = match.do(c.CloseBuzzers())
    assert (state.stage.phase, state.stage.verdict, state.scores[T1]) == (Phase.JUDGED, Verdict.NO_BUZZ, 90)


# --- answers from the phone -------------------------------------------------------------------


def test_the_winner_answers_on_its_phone_in_phone_mode():
    """In phone mode, is the winner's phone answer marked at once, and another team's refused?"""
    match = answering(T2, answer_mode="phone")
    refuse(match, c.SubmitAnswer(team=T1, choice="B"), f"{name(T1)}现在不能作答（现在轮到{name(T2)}）")
    state = match.do(c.SubmitAnswer(team=T2, choice="B"))
    assert (state.scores[T2], state.stage.verdict, state.stage.submitted) == (110, Verdict.RIGHT, "B")


def test_the_second_chance_team_answers_on_its_own_phone():
    """After a wrong phone answer and a reopening, can the next winner submit its own answer?"""
    match = answering(T1, answer_mode="phone", second_chance=True)
    match.do(c.SubmitAnswer(team=T1, choice="A"))
    match.do(c.OpenBuzzers())
    state = match.do(c.Buzz(team=T2))
    assert state.stage.submitted is None
    state = match.do(c.SubmitAnswer(team=T2, choice="B"))
    assert (state.scores, state.stage.submitted) == ({T1: 90, T2: 110, T3: 100}, "B")


def test_a_press_stamped_before_the_opening_is_early_even_if_it_arrives_after():
    """Is a press made before the buzzers opened a foul, though the network brought it in after?"""
    match = reading()
    opened = match.do(c.OpenBuzzers()).stage.clock_started
    state = match.do(c.Buzz(team=T2, pressed_at=opened - 40, open_token=None), after_ms=60)
    assert T2 in state.stage.out and state.scores[T2] == 90
    assert state.stage.phase == Phase.BUZZING


def test_a_press_stamped_after_the_opening_wins_with_its_press_time_recorded():
    """Does a valid press keep its compensated press time for the audit?"""
    match = reading()
    opened = match.do(c.OpenBuzzers()).stage.clock_started
    state = match.do(c.Buzz(team=T3, pressed_at=opened + 180), after_ms=250)
    assert state.stage.holder == T3
    assert state.stage.buzzes[-1].pressed_at == opened + 180


# --- the planned number of questions ----------------------------------------------------------


def planned(count: int = 2, spares: int = 2, **rules):
    """A buzzer stage that plans ``count`` questions and keeps ``spares`` more, on its title card."""
    return stage_with(StageKind.BUZZER, make_questions("BUZ", count + spares),
                      buzzer=BuzzerRules(question_count=count, **rules))


SUSPENSE = {"HideScores", "FreezeScores"}  # offered at every moment of a running contest (test_rules_suspense)


def offered(match) -> set[str]:
    """The names of the host's commands the rules accept now, but for hiding or freezing the scores."""
    return {type(command).__name__ for command in available_commands(match.state, match.now)} - SUSPENSE


COUNTED = {
    "right": [c.Judge(verdict="right")],
    "wrong": [c.Judge(verdict="wrong")],
    "answer timeout": [(c.TimeOut(), 20_000)],
    "second chance, then nobody": [c.Judge(verdict="wrong"), c.OpenBuzzers(), c.CloseBuzzers()],
    "second chance, then right": [c.Judge(verdict="wrong"), c.OpenBuzzers(), c.Buzz(team=T2),
                                  c.Judge(verdict="right")],
    "second chance, then void": [c.Judge(verdict="wrong"), c.OpenBuzzers(), c.Buzz(team=T2),
                                 c.Judge(verdict="void")],
}
VOIDED = {
    "closed": [c.CloseBuzzers()],
    "buzz window over": [(c.TimeOut(), 10_000)],
    "judged void": [c.Buzz(team=T1), c.Judge(verdict="void")],
}


def finish_question(match, steps) -> None:
    """Play ``steps`` (a command, or a command and the ms before it) on the question just shown."""
    for step in steps:
        command, after_ms = step if isinstance(step, tuple) else (step, 100)
        match.do(command, after_ms=after_ms)


@pytest.mark.parametrize("steps", COUNTED.values(), ids=COUNTED.keys())
def test_a_question_with_a_scored_answer_counts_once(steps):
    """Does a question count toward the plan once an answer on it is scored, even with a second chance?"""
    match = planned(second_chance=True)
    buzz_in(match, T1)
    finish_question(match, steps)
    assert match.state.stage.played_questions == {"BUZ-1"}


@pytest.mark.parametrize("steps", VOIDED.values(), ids=VOIDED.keys())
def test_a_void_question_does_not_count(steps):
    """Does a question nobody buzzed, or whose only answer was judged void, stay out of the count?"""
    match = planned()
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    finish_question(match, steps)
    assert match.state.stage.played_questions == set()


def test_a_question_every_team_fouled_does_not_count():
    """Is a question voided by fouls from every team left out of the count?"""
    match = planned()
    match.do(c.NextQuestion())
    for team in (T1, T2, T3):
        match.do(c.Buzz(team=team))
    assert (match.state.stage.verdict, match.state.stage.played_questions) == (Verdict.NO_BUZZ, set())


def test_the_stage_stops_once_its_planned_questions_are_played():
    """After the planned questions, is NextQuestion refused (spares left or not) and no longer offered?"""
    match = planned(count=2)
    buzz_in(match, T1)
    match.do(c.Judge(verdict="right"))
    assert "NextQuestion" in offered(match)
    buzz_in(match, T2)
    match.do(c.Judge(verdict="wrong"))
    refuse(match, c.NextQuestion(), "本环节计划的 2 题已全部完成，请结束本环节")
    match.do(c.RevealAnswer())
    refuse(match, c.NextQuestion(), "本环节计划的 2 题已全部完成，请结束本环节")
    assert offered(match) == {"EndStage", "Undo"}


def test_a_spare_replaces_a_void_question():
    """When a question goes unbuzzed, does the next one (a spare) come up and complete the plan?"""
    match = planned(count=2)
    buzz_in(match, T1)
    match.do(c.Judge(verdict="right"))
    match.do(c.NextQuestion())
    match.do(c.OpenBuzzers())
    match.do(c.TimeOut(), after_ms=10_000)
    buzz_in(match, T2)
    assert match.state.stage.question.id == "BUZ-3"
    match.do(c.Judge(verdict="right"))
    assert match.state.stage.played_questions == {"BUZ-1", "BUZ-3"}
    refuse(match, c.NextQuestion(), "本环节计划的 2 题已全部完成，请结束本环节")


def test_when_the_spares_run_out_the_stage_can_only_end():
    """With every spare spent on void questions before the plan is complete, is the stage left to end?"""
    match = planned(count=2, spares=1)
    for _ in range(2):
        match.do(c.NextQuestion())
        match.do(c.OpenBuzzers())
        match.do(c.CloseBuzzers())
    buzz_in(match, T1)
    match.do(c.Judge(verdict="right"))
    refuse(match, c.NextQuestion(), "本环节题目已用完")
    assert offered(match) == {"RevealAnswer", "EndStage", "Undo"}
