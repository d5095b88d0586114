"""Are user names normalised as people read them, and are weak passwords refused (accounts/rules.py)?"""
import unicodedata

import pytest
from hypothesis import given, strategies as st

from accounts.rules import RuleError, check_password, checked_name, name_key, normalise_name

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40)


@given(names)
def test_normalising_twice_changes_nothing(name):
    """Is the stored form stable: normalising a normalised name, or keying a key, gives it back?"""
    assert normalise_name(normalise_name(name)) == normalise_name(name)
    assert name_key(name_key(name)) == name_key(name)


@given(names)
def test_case_and_width_never_make_a_new_name(name):
    """Do upper case, lower case and the full-width form of a name share one key?"""
    width = unicodedata.normalize("NFKC", name)
    assert name_key(name.upper()) == name_key(name.lower()) == name_key(width.upper())


@pytest.mark.parametrize("typed, stored", [("ｈｏｓｔ１", "host1"), (" 张三 ", "张三"), ("Ｌｉ＿Ｍｉｎｇ", "Li_Ming")])
def test_names_are_stored_in_their_plain_form(typed, stored):
    """Are full-width letters and surrounding spaces turned into the plain name?"""
    assert checked_name(typed) == stored


@given(st.text(min_size=8, max_size=40).filter(lambda p: len(set(p.casefold())) > 1))
def test_a_password_containing_the_name_is_refused(password):
    """Is any password that contains the user name refused, whatever the case?"""
    with pytest.raises(RuleError, match="用户名"):
        check_password(password.upper() + "Zhangsan", "zhangsan")


def test_a_long_uncommon_password_is_accepted():
    """Is a password of 8 or more characters, not common and without the name, accepted?"""
    check_password("Harbour-lights-9", "zhangsan")
    check_password("长江后浪推前浪一代", "zhangsan")
