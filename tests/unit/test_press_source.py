"""How the audit names where a press came from: a phone's session, or a buzzer station's key."""
from hypothesis import given
from hypothesis import strategies as st

from contest.press_source import CONNECTION_CHARS, KEY_PATTERN, source_label, station_connection

KEYS = st.from_regex(KEY_PATTERN, fullmatch=True)
SIDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=40)


@given(KEYS, SIDS)
def test_a_station_press_is_labelled_by_its_key_and_fits_the_column(key, sid):
    """Does every station connection fit the audit's column and read back as its key?"""
    connection = station_connection(key, sid)
    assert len(connection) <= CONNECTION_CHARS
    assert source_label(connection) == f"抢答器 {key}"


@given(SIDS)
def test_a_phone_press_is_labelled_by_the_start_of_its_session(sid):
    """Is a phone's session shown by its first six characters, as the report always did?"""
    assert source_label(sid) == sid[:6]


def test_a_browser_key_code_is_a_valid_key():
    """Are the codes a buzzer box types (digits, keypad, letters, function keys) accepted, and markup not?"""
    for code in ("Digit3", "Numpad8", "KeyA", "F5", "serial-3", "hid.button_7"):
        assert KEY_PATTERN.fullmatch(code)
    for forged in ("", "<b>", "Digit 3", "a:b", "x" * 25):
        assert not KEY_PATTERN.fullmatch(forged)
