"""Is every rule setting explained to organizers in docs/rules.md?"""
import re
from pathlib import Path

import pytest

from contest.rules import RULES_BY_KIND, ContestRules, rule_fields

DOC = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("rules_class", [ContestRules, *RULES_BY_KIND.values()], ids=lambda cls: cls.__name__)
def test_every_setting_is_documented(rules_class):
    """Does docs/rules.md name each setting with its key and its help text?"""
    for setting in rule_fields(rules_class):
        assert f"`{setting['name']}`" in DOC, setting["name"]
        assert setting["help"] in DOC, setting["name"]


@pytest.mark.parametrize("rules_class", [ContestRules, *RULES_BY_KIND.values()], ids=lambda cls: cls.__name__)
def test_every_help_text_is_chinese(rules_class):
    """Does each setting's help (shown on the rule pages) speak of choices by their Chinese names, not codes like foul?"""
    for setting in rule_fields(rules_class):
        assert not re.search(r"[A-Za-z_]{2,}", setting["help"]), f"{setting['name']}: {setting['help']}"
