"""bench.latency_race's audit check: does it notice a refused press missing from the audit, a
refusal stored with another reason, and a race won by a press that was not the earliest?"""
from bench.latency_race import check

TEAM_OF = {0: 11, 1: 12}
SENT = {(0, 5): 1.000, (1, 5): 1.001}


def answer(phone, ok, reason=None):
    return {"phone": phone, "token": 5, "ok": ok, "reason": reason, "at": 1.3}


def row(team, accepted, outcome, pressed_at):
    return {"open_token": 5, "team_id": team, "accepted": accepted, "outcome": outcome, "pressed_at": pressed_at,
            "delay_ms": 2.0}


def run_check(answers, rows):
    return check(answers, rows, SENT, TEAM_OF, [5], [1.0], clients=2, load=["1.0"])


def test_a_race_whose_audit_matches_what_each_phone_was_told():
    figures = run_check([answer(0, True), answer(1, False, "已抢到")],
                        [row(11, 1, "accepted", 100), row(12, 0, "已抢到", 101)])
    assert (figures["mismatches"], figures["earliest_won"], figures["audit_rows"]) == (0, 1, 2)
    assert figures["ack_p50_ms"] in (299.0, 300.0)


def test_a_missing_or_different_refusal_row_is_a_mismatch():
    answers = [answer(0, True), answer(1, False, "已抢到")]
    assert run_check(answers, [row(11, 1, "accepted", 100)])["mismatches"] == 1
    assert run_check(answers, [row(11, 1, "accepted", 100), row(12, 0, "别的理由", 101)])["mismatches"] == 2


def test_a_winner_that_was_not_the_earliest_press_is_not_counted():
    figures = run_check([answer(0, True), answer(1, False, "已抢到")],
                        [row(11, 1, "accepted", 102), row(12, 0, "已抢到", 101)])
    assert figures["earliest_won"] == 0
