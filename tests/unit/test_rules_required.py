"""必答题: does each team answer its own questions in seat order, scored and timed by the stage's rules?"""
from dataclasses import replace

import pytest

from contest import commands as c
from contest.config import Question
from contest.rules import RequiredRules, StageKind
from contest.state import Phase, Verdict
from tests.unit.factories import make_questions
from tests.unit.test_rules_support import T1, T2, T3, in_stage, name, refuse, stage_with

PHONE = RequiredRules(answer_mode="phone")


def first_question(**rules):
    """A required stage with its first question up for seat 1."""
    match = in_stage(StageKind.REQUIRED, required=RequiredRules(**rules))
    match.do(c.NextQuestion())
    return match


def phone_question(question: Question):
    """A phone-mode required stage whose first question, for seat 1, is ``question``."""
    questions = (question,) + make_questions("REQ", 5)
    match = stage_with(StageKind.REQUIRED, questions, required=PHONE)
    match.do(c.NextQuestion())
    return match


def test_teams_answer_in_seat_order_for_each_round():
    """Do two rounds give seats 1, 2, 3, 1, 2, 3 their own questions in turn?"""
    match = in_stage(StageKind.REQUIRED)
    seen = []
    for _ in range(6):
        state = match.do(c.NextQuestion())
        seen.append((state.stage.holder, state.stage.question.id))
        match.do(c.Judge(verdict="wrong"))
    assert seen == [(T1, "REQ-1"), (T2, "REQ-2"), (T3, "REQ-3"), (T1, "REQ-4"), (T2, "REQ-5"), (T3, "REQ-6")]


def test_the_number_of_rounds_is_a_setting():
    """Does rounds=1 end the stage after one question per team?"""
    match = in_stage(StageKind.REQUIRED, required=RequiredRules(rounds=1))
    for _ in range(3):
        match.do(c.NextQuestion())
        match.do(c.Judge(verdict="right"))
    refuse(match, c.NextQuestion(), "本环节题目已全部完成，请结束本环节")


def test_a_right_answer_gives_ten():
    """Does a right answer give +10 to the team on turn only?"""
    match = first_question()
    state = match.do(c.Judge(verdict="right"))
    assert state.scores == {T1: 110, T2: 100, T3: 100}
    assert (state.stage.phase, state.stage.verdict) == (Phase.JUDGED, Verdict.RIGHT)


def test_a_wrong_answer_costs_nothing_by_default():
    """Does a wrong answer give 0 by default?"""
    match = first_question()
    state = match.do(c.Judge(verdict="wrong"))
    assert state.scores[T1] == 100 and state.stage.verdict == Verdict.WRONG


def test_a_custom_points_wrong_is_applied():
    """Does points_wrong=-5 take 5 points for a wrong answer?"""
    match = first_question(points_wrong=-5)
    assert match.do(c.Judge(verdict="wrong")).scores[T1] == 95


def test_a_custom_points_right_is_applied():
    """Does points_right=20 give 20 for a right answer?"""
    match = first_question(points_right=20)
    assert match.do(c.Judge(verdict="right")).scores[T1] == 120


def test_a_question_s_own_points_override_the_stage_s():
    """Does a question worth 15 give 15 for a right answer instead of the stage's 10?"""
    own = Question("OWN-1", "open", "题", "答", points=15)
    match = stage_with(StageKind.REQUIRED, (own,) + make_questions("REQ", 5))
    match.do(c.NextQuestion())
    assert match.do(c.Judge(verdict="right")).scores[T1] == 115


def test_the_deadline_is_now_plus_the_time_limit():
    """Does the answer clock run time_limit seconds from the moment the question is shown?"""
    match = in_stage(StageKind.REQUIRED, required=RequiredRules(time_limit=45))
    state = match.do(c.NextQuestion())
    assert (state.stage.clock_started, state.stage.deadline) == (match.now, match.now + 45_000)
    assert match.events[-1].deadline == match.now + 45_000


def test_a_question_s_own_time_limit_overrides_the_stage_s():
    """Does a question with its own 12-second limit get 12 seconds, not the stage's 30?"""
    own = Question("OWN-1", "open", "题", "答", time_limit=12)
    match = stage_with(StageKind.REQUIRED, (own,) + make_questions("REQ", 5))
    assert match.do(c.NextQuestion()).stage.deadline == match.now + 12_000


def test_a_timeout_before_the_deadline_is_refused():
    """Is TimeOut refused before the deadline, saying how many seconds are left (rounded up)?"""
    match = first_question()
    refuse(match, c.TimeOut(), "时间未到（还剩 30 秒）")
    refuse(match, c.TimeOut(), "时间未到（还剩 1 秒）", after_ms=29_999)


def test_a_timeout_at_the_deadline_scores_points_wrong():
    """Does a TimeOut at the deadline end the question as a timeout, scored as wrong?"""
    match = first_question(points_wrong=-5)
    state = match.do(c.TimeOut(actor="clock"), after_ms=30_000)
    assert state.scores[T1] == 95
    assert (state.stage.phase, state.stage.verdict, state.stage.deadline) == (Phase.JUDGED, Verdict.TIMEOUT, None)


def test_a_timeout_costs_nothing_by_default():
    """Does a timeout cost nothing with the default points_wrong of 0?"""
    match = first_question()
    assert match.do(c.TimeOut(), after_ms=31_000).scores[T1] == 100


def test_a_timeout_without_a_running_clock_is_refused():
    """Is TimeOut refused once the question is judged and the clock stopped?"""
    match = first_question()
    match.do(c.Judge(verdict="right"))
    refuse(match, c.TimeOut(), "当前没有在计时", after_ms=60_000)


def test_void_scores_nothing():
    """Does a voided answer (prompting) score 0, even with a deduction for wrong answers?"""
    match = first_question(points_wrong=-5)
    state = match.do(c.Judge(verdict="void"))
    assert state.scores[T1] == 100 and state.stage.verdict == Verdict.VOID


def test_judging_twice_is_refused():
    """Is a second verdict on the same question refused, pointing to Undo?"""
    match = first_question()
    match.do(c.Judge(verdict="right"))
    refuse(match, c.Judge(verdict="wrong"), "本题已判定，如需更正请撤销后重新判定")
    match.do(c.RevealAnswer())
    refuse(match, c.Judge(verdict="wrong"), "本题已判定，如需更正请撤销后重新判定")


def test_an_unknown_verdict_is_refused():
    """Is a verdict other than right, wrong or void refused?"""
    refuse(first_question(), c.Judge(verdict="timeout"), "判定只能是 正确 / 错误 / 无效")


def test_judging_before_a_question_is_refused():
    """Is a verdict refused on the title card?"""
    refuse(in_stage(StageKind.REQUIRED), c.Judge(verdict="right"), "现在没有待判定的作答")


def test_the_next_question_waits_for_the_verdict():
    """Is NextQuestion refused while the team is answering?"""
    refuse(first_question(), c.NextQuestion(), "本题尚未结束，请先判定或等待计时结束")


def test_the_next_question_follows_a_reveal():
    """Does NextQuestion come after the answer was revealed, for the next seat?"""
    match = first_question()
    match.do(c.Judge(verdict="right"))
    match.do(c.RevealAnswer())
    assert match.do(c.NextQuestion()).stage.holder == T2


def test_reveal_needs_a_verdict_and_happens_once():
    """Is RevealAnswer refused before the verdict and a second time?"""
    match = first_question()
    refuse(match, c.RevealAnswer(), "请先判定本题，再揭晓答案")
    match.do(c.Judge(verdict="wrong"))
    assert match.do(c.RevealAnswer()).stage.phase == Phase.REVEALED
    refuse(match, c.RevealAnswer(), "答案已经揭晓")


def test_after_the_last_turn_no_question_comes():
    """Is NextQuestion refused after the last turn of the last round?"""
    match = in_stage(StageKind.REQUIRED, teams=2)
    for _ in range(4):
        match.do(c.NextQuestion())
        match.do(c.Judge(verdict="right"))
    refuse(match, c.NextQuestion(), "本环节题目已全部完成，请结束本环节")


def test_pass_is_not_a_required_stage_action():
    """Is Pass refused in a required stage?"""
    refuse(first_question(), c.Pass(), "「必答题」环节不能过题")


# --- answers from the phone -------------------------------------------------------------------


@pytest.mark.parametrize("choice, verdict, score", [("B", "right", 110), ("b", "right", 110), ("A", "wrong", 100)])
def test_a_phone_answer_from_the_holder_is_marked_at_once(choice, verdict, score):
    """Is the holder's phone answer marked automatically, right +10 or wrong 0?"""
    match = first_question(answer_mode="phone")
    state = match.do(c.SubmitAnswer(team=T1, choice=choice, actor="team:101"))
    assert (state.scores[T1], state.stage.verdict, state.stage.phase) == (score, Verdict(verdict), Phase.JUDGED)
    assert state.stage.submitted == choice.upper()
    event = match.events[-1]
    assert (event.kind, event.auto, event.answer, event.verdict) == ("Judged", True, choice.upper(), verdict)


@pytest.mark.parametrize("choice", ["A,C", "A、C", "CA", "a c", "A，C"])
def test_a_multi_choice_answer_is_read_in_any_usual_form(choice):
    """Is a multi-choice answer "A,C", "A、C" or "CA" read as AC and marked right?"""
    match = phone_question(make_questions("MUL", 1, "multi")[0])
    state = match.do(c.SubmitAnswer(team=T1, choice=choice))
    assert (state.scores[T1], state.stage.submitted, state.stage.verdict) == (110, "AC", Verdict.RIGHT)


def test_a_partial_multi_choice_answer_is_wrong():
    """Is only one of the two right letters marked wrong?"""
    match = phone_question(make_questions("MUL", 1, "multi")[0])
    assert match.do(c.SubmitAnswer(team=T1, choice="A")).stage.verdict == Verdict.WRONG


@pytest.mark.parametrize("choice, verdict", [("对", Verdict.RIGHT), ("√", Verdict.RIGHT), ("错", Verdict.WRONG)])
def test_a_true_false_answer_is_marked(choice, verdict):
    """Is a true/false answer read in its usual spellings and marked?"""
    match = phone_question(make_questions("TF", 1, "true_false")[0])
    assert match.do(c.SubmitAnswer(team=T1, choice=choice)).stage.verdict == verdict


def test_another_team_s_phone_answer_is_refused():
    """Is a phone answer from a team not on turn refused, naming whose turn it is?"""
    match = first_question(answer_mode="phone")
    refuse(match, c.SubmitAnswer(team=T2, choice="B"), f"{name(T2)}现在不能作答（现在轮到{name(T1)}）")


def test_a_phone_answer_from_an_unknown_team_is_refused():
    """Is a phone answer from a team id that does not play refused?"""
    refuse(first_question(answer_mode="phone"), c.SubmitAnswer(team=999, choice="B"), "没有编号为 999 的队伍")


def test_a_second_phone_answer_is_refused():
    """Is a second submission refused once the first was marked?"""
    match = first_question(answer_mode="phone")
    match.do(c.SubmitAnswer(team=T1, choice="A"))
    refuse(match, c.SubmitAnswer(team=T1, choice="B"), "现在不能提交答案")


def test_an_option_that_does_not_exist_is_refused():
    """Is a letter beyond the question's options refused, listing the ones offered?"""
    match = first_question(answer_mode="phone")
    refuse(match, c.SubmitAnswer(team=T1, choice="E"), "选项 E 不存在（可选 ABCD）")


def test_two_letters_on_a_single_choice_question_are_refused():
    """Is a two-letter answer to a single-choice question refused?"""
    refuse(first_question(answer_mode="phone"), c.SubmitAnswer(team=T1, choice="AB"), "单选题只能选一个答案")


def test_an_empty_phone_answer_is_refused():
    """Is an empty answer refused?"""
    refuse(first_question(answer_mode="phone"), c.SubmitAnswer(team=T1, choice=" , "), "请选择答案")


def test_the_oral_mode_refuses_phone_answers():
    """Is a phone answer refused where answers are given aloud?"""
    refuse(first_question(), c.SubmitAnswer(team=T1, choice="B"), "本环节为口头作答，请口头回答主持人")


def test_an_open_question_refuses_phone_answers():
    """Is a phone answer refused on an open (non-choice) question even in phone mode?"""
    match = phone_question(make_questions("OPEN", 1, "open")[0])
    refuse(match, c.SubmitAnswer(team=T1, choice="A"), "本题为口答题，请口头作答")


def test_the_host_can_still_judge_aloud_in_phone_mode():
    """Can the host judge an open question in phone mode, as it cannot come from the phone?"""
    match = phone_question(make_questions("OPEN", 1, "open")[0])
    assert match.do(c.Judge(verdict="right")).scores[T1] == 110


def test_a_phone_answer_uses_the_question_s_own_points():
    """Does a right phone answer to a question worth 25 give 25?"""
    match = phone_question(replace(make_questions("OWN", 1)[0], points=25))
    assert match.do(c.SubmitAnswer(team=T1, choice="B")).scores[T1] == 125
