"""One record per press: does the verdict of its acknowledgement, and the host's log line made from
it, say the same as the row the audit reads?"""
from dataclasses import replace

from contest.fairness import FLAG_LABELS, FLAG_OUT_OF_LINE
from contest.press import OUTCOME_CHARS, PressRecord
from contest.press_source import PHONE_CHARS, station_connection

DRAFT = PressRecord(team_id=3, connection="abcdefghijk", open_token=2, stamped_at=1000.5, arrived_at=2000,
                    offset_ms=-12.4, delay_ms=8.6, pressed_at=1990, arbitration="compensated", accepted=False,
                    outcome="", event_seq=None, flag=FLAG_OUT_OF_LINE)


def test_an_accepted_press_names_its_event_and_shows_no_reason():
    """Does an accepted press keep the event's seq, and the host see it accepted with rounded clock figures?"""
    press = DRAFT.judged({"ok": True, "seq": 41})
    assert (press.accepted, press.outcome, press.event_seq) == (True, "accepted", 41)
    assert press.for_host() == {"team": 3, "phone": "abcdefghijk"[:PHONE_CHARS], "arrived_at": 2000,
                                "pressed_at": 1990, "delay": 9, "offset": -12, "accepted": True, "reason": None,
                                "flag": FLAG_LABELS[FLAG_OUT_OF_LINE]}


def test_a_refused_press_keeps_the_reason_the_phone_was_shown():
    """Does a refused press keep its reason (cut to the column's length) for the audit and the host alike?"""
    reason = "本题已有队伍抢到" * 40
    press = DRAFT.judged({"ok": False, "reason": reason})
    assert (press.accepted, press.event_seq) == (False, None)
    assert press.outcome == reason[:OUTCOME_CHARS] == press.for_host()["reason"]


def test_a_phone_whose_clock_is_unknown_shows_no_clock_figures():
    """Without a clock estimate, are the delay and offset left empty rather than shown as 0?"""
    press = replace(DRAFT, offset_ms=None, delay_ms=None, flag=None).judged({"ok": True, "seq": 1})
    assert (press.for_host()["delay"], press.for_host()["offset"], press.for_host()["flag"]) == (None, None, None)


def test_a_station_press_is_named_by_its_key_on_the_host_log():
    """Does a buzzer station's press show its key ("抢答器 Digit3") where a phone's shows its session?"""
    press = replace(DRAFT, connection=station_connection("Digit3", "abcdefghijk")).judged({"ok": True, "seq": 1})
    assert press.source == press.for_host()["phone"] == "抢答器 Digit3"
