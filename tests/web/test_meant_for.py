"""Host commands queued by the console name the place they were pressed for (``meant_for``): the
server acts on them only there, so a fast key press never lands on another question or team."""
from tests.web.live_helpers import hall, host_do  # noqa: F401  (fixture)


def place(view: dict) -> dict:
    """Where the host's view says the contest is, as the console sends it."""
    stage = view.get("stage") or {}
    return {"stage": stage.get("index"), "turn": stage.get("turn"), "question": stage.get("question_number")}


def to_speed_question(hall):  # noqa: F811
    """Start, skip the required stage, and show the first team its first speed question."""
    host_do(hall, "StartContest")
    host_do(hall, "StartStage")
    host_do(hall, "EndStage")
    host_do(hall, "StartStage")
    host_do(hall, "NextQuestion")
    return hall["host"].pump()


def test_verdicts_queued_for_successive_questions_each_count(hall):  # noqa: F811
    view = to_speed_question(hall)
    first = place(view)
    for offset in range(3):
        host_do(hall, "Judge", verdict="right", meant_for={**first, "question": first["question"] + offset})
    stage = hall["host"].pump()["stage"]
    assert stage["right_count"] == 3
    assert stage["question_number"] == first["question"] + 3


def test_a_press_meant_for_an_earlier_question_is_refused_and_says_so(hall):  # noqa: F811
    view = to_speed_question(hall)
    first = place(view)
    host_do(hall, "Judge", verdict="right", meant_for=first)
    ack = hall["host"].send("command", {"type": "Judge", "verdict": "wrong", "meant_for": first})
    assert not ack["ok"]
    assert f"第 {first['question']} 题" in ack["reason"] and f"第 {first['question'] + 1} 题" in ack["reason"]
    assert hall["host"].pump()["stage"]["right_count"] == 1  # nothing else was judged


def test_a_double_press_of_next_question_shows_one_question(hall):  # noqa: F811
    host_do(hall, "StartContest")
    host_do(hall, "StartStage")
    intro = place(hall["host"].pump())
    host_do(hall, "NextQuestion", meant_for=intro)
    ack = hall["host"].send("command", {"type": "NextQuestion", "meant_for": intro})
    assert not ack["ok"] and "必答题（题目之间）" in ack["reason"]
    assert hall["host"].pump()["stage"]["question_number"] == 1


def test_a_malformed_place_is_refused(hall):  # noqa: F811
    for bad in ({"stage": "1"}, {"stage": True}, {"where": 1}, [1, 2]):
        ack = hall["host"].send("command", {"type": "StartContest", "meant_for": bad})
        assert not ack["ok"] and "meant_for" in ack["reason"]
    assert hall["host"].pump()["status"] == "not_created"
