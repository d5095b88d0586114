"""Rule forms generated from the rules' own field descriptions, so a new setting needs no page edit.

:func:`contest.rules.rule_fields` gives each setting's label, help, bounds, unit and choices;
this module turns them into what a template renders and reads a submitted form back into the
plain values that :func:`contest.rules.rules_from_dict` validates.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contest.rules import rule_fields

CHOICE_LABELS = {
    "oral": "口头作答（主持人判定）",
    "phone": "手机作答（自动判分）",
    "foul": "犯规：扣分并失去本题资格",
    "ignore": "不计：提前按下无效",
    "lockout": "短时锁定",
    "compensated": "按校正延迟后的按下时间",
    "arrival": "按到达服务器先后",
    "bounded": "只按可信延迟校正",
    "tiebreak": "同分并列，获奖线上加赛",
    "reached_first": "先达到该分数者在前",
}
"""Chinese names of the choice values, for the select boxes."""


@dataclass(frozen=True)
class RuleInput:
    """One setting as a form shows it: its description, current value and the widget to use."""

    name: str
    label: str
    help: str
    widget: str  # "number", "checkbox", "select" or "list"
    value: Any
    minimum: int | None = None
    maximum: int | None = None
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()


def _widget(described: Mapping[str, Any]) -> str:
    """The form widget for a setting of this type."""
    if described["choices"]:
        return "select"
    return {"bool": "checkbox", "tuple": "list"}.get(described["type"], "number")


def _shown(value: Any) -> Any:
    """A stored value as an input shows it (lists as 10,20,30)."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return value


def rule_inputs(rules_class: type, values: Mapping[str, Any] | None) -> list[RuleInput]:
    """The inputs of a rules form, filled with ``values`` (stored or just submitted) or defaults."""
    values = values or {}
    inputs = []
    for described in rule_fields(rules_class):
        name = described["name"]
        choices = tuple((choice, CHOICE_LABELS.get(choice, choice)) for choice in described["choices"] or ())
        inputs.append(RuleInput(
            name=name,
            label=described["label"],
            help=described["help"],
            widget=_widget(described),
            value=_shown(values.get(name, described["default"])),
            minimum=described["min"],
            maximum=described["max"],
            unit=described["unit"],
            choices=choices,
        ))
    return inputs


def rules_from_form(rules_class: type, form: Mapping[str, str], prefix: str = "rule-") -> dict[str, Any]:
    """The submitted settings of a rules form as plain values; an unticked checkbox means False."""
    data: dict[str, Any] = {}
    for described in rule_fields(rules_class):
        key = prefix + described["name"]
        if described["type"] == "bool":
            data[described["name"]] = key in form
        elif key in form:
            data[described["name"]] = form[key].strip()
    return data


def rules_summary(rules_class: type, values: Mapping[str, Any] | None, limit: int = 4) -> str:
    """The first few settings in one line (轮数 2 · 答对得分 10分 …), for the list of stages."""
    shown = []
    for item in rule_inputs(rules_class, values)[:limit]:
        value = CHOICE_LABELS.get(item.value, item.value) if item.widget == "select" else item.value
        if item.widget == "checkbox":
            value = "是" if item.value else "否"
        shown.append(f"{item.label} {value}{item.unit}")
    return " · ".join(shown)
