"""Is every preliminary round setting explained to organizers in docs/preliminary.md?"""
from pathlib import Path

from contest.rules import rule_fields
from preliminary.settings import GRACE_SECONDS, RoundSettings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "preliminary.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    """Does docs/preliminary.md name each setting with its key and its help text?"""
    for setting in rule_fields(RoundSettings):
        assert f"`{setting['name']}`" in DOC, setting["name"]
        assert setting["help"] in DOC, setting["name"]


def test_the_grace_is_stated():
    """Is the transit grace the server applies the one the doc states?"""
    assert f"宽限 {GRACE_SECONDS} 秒" in DOC
