"""Are contest configurations and stage settings checked, coerced and stored as the organizer expects?"""
import json
from dataclasses import fields, replace

import pytest

from contest.config import (
    ConfigError,
    ContestConfig,
    Question,
    Team,
    config_from_dict,
    config_to_dict,
    validate_config,
)
from contest.engine import create_contest
from contest.rules import (
    RULES_BY_KIND,
    BuzzerRules,
    ContestRules,
    RequiredRules,
    RiskRules,
    RulesError,
    SpeedRules,
    StageKind,
    TiebreakRules,
    rules_from_dict,
    rules_to_dict,
)
from tests.unit.factories import T0, make_config
from tests.unit.test_rules_support import one_stage, with_questions

TIME_SETTINGS = [
    (rules_class, item.name, item.metadata["label"], item.metadata["min"])
    for rules_class in RULES_BY_KIND.values()
    for item in fields(rules_class)
    if item.metadata["unit"] == "秒"
]


def teams(count: int) -> tuple[Team, ...]:
    """``count`` teams with distinct ids and seats."""
    return tuple(Team(id=i, name=f"队{i}", seat=i) for i in range(1, count + 1))


def config_error(config: ContestConfig, message: str) -> None:
    """Assert that ``config`` cannot start, for exactly ``message``, by both entrances."""
    with pytest.raises(ConfigError, match=f"^{message}$"):
        validate_config(config)
    with pytest.raises(ConfigError, match=f"^{message}$"):
        create_contest(config, T0)


def rules_error(rules_class: type, data: dict, message: str) -> None:
    """Assert that ``data`` is refused for ``rules_class`` with exactly ``message``."""
    with pytest.raises(RulesError) as caught:
        rules_from_dict(rules_class, data)
    assert str(caught.value) == message


# --- teams and questions ----------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 17])
def test_team_count_outside_two_to_sixteen_is_refused(count):
    """Are 1 and 17 teams refused, saying how many are allowed and how many there are?"""
    config = replace(make_config(2), teams=teams(count))
    config_error(config, f"参赛队伍应为 2–16 支，当前为 {count} 支")


@pytest.mark.parametrize("count", [2, 16])
def test_two_and_sixteen_teams_are_accepted(count):
    """Are the bounds themselves, 2 and 16 teams, accepted?"""
    state, events = create_contest(replace(make_config(2), teams=teams(count)), T0)
    assert len(state.config.teams) == count and events[0].seq == 1


def test_duplicate_team_ids_are_refused():
    """Are two teams with one id refused?"""
    config = replace(make_config(2), teams=(Team(1, "甲", 1), Team(1, "乙", 2)))
    config_error(config, "队伍编号重复")


def test_duplicate_seats_are_refused():
    """Are two teams in one seat refused?"""
    config = replace(make_config(2), teams=(Team(1, "甲", 1), Team(2, "乙", 1)))
    config_error(config, "队伍座次重复")


def test_a_blank_team_name_is_refused():
    """Is a team without a name refused?"""
    config = replace(make_config(2), teams=(Team(1, "甲", 1), Team(2, "  ", 2)))
    config_error(config, "队伍名称不能为空")


def test_the_same_question_twice_in_a_contest_is_refused():
    """Is a question used in two stages of one contest refused?"""
    config = make_config(2, stages=(StageKind.REQUIRED, StageKind.BUZZER))
    reused = config.stages[0].questions[0]
    config = with_questions(config, StageKind.BUZZER, (reused,))
    config_error(config, "同一道题不能在比赛中出现两次")


def test_the_same_question_twice_in_one_stage_is_refused():
    """Is a question listed twice in one stage refused?"""
    config = make_config(2, stages=(StageKind.BUZZER,))
    first = config.stages[0].questions[0]
    config_error(with_questions(config, StageKind.BUZZER, (first, first)), "同一道题不能在比赛中出现两次")


def test_a_contest_with_only_a_tiebreak_is_refused():
    """Does a contest need at least one regular stage?"""
    config_error(make_config(2, stages=(StageKind.TIEBREAK,)), "比赛至少需要一个环节")


def test_two_tiebreak_stages_are_refused():
    """Is a second tiebreak stage refused (one pool serves every tiebreak)?"""
    config = make_config(2, stages=(StageKind.REQUIRED, StageKind.TIEBREAK))
    spare = one_stage(StageKind.TIEBREAK, TiebreakRules(), (Question("X-1", "open", "题", "答"),))
    config_error(replace(config, stages=config.stages + (spare,)), "加赛环节只能有一个")


def test_a_risk_question_without_a_valid_tier_is_refused():
    """Is a risk question whose value is not one of the tiers refused, naming the question?"""
    risk = one_stage(StageKind.RISK, RiskRules(), (Question("R-1", "open", "企业研发费用加计扣除比例", "100%", tier=15),))
    config = replace(make_config(2), stages=(risk,))
    config_error(config, "风险题的题目「企业研发费用加计扣除比例」没有有效的分值档位")


# --- rules_from_dict --------------------------------------------------------------------------


def test_missing_settings_take_the_defaults():
    """Does an empty or missing set of values give the defaults of the rules reference?"""
    assert rules_from_dict(RequiredRules, None) == RequiredRules()
    assert rules_from_dict(BuzzerRules, {}) == BuzzerRules()
    defaults = RequiredRules()
    assert (defaults.rounds, defaults.points_right, defaults.points_wrong, defaults.time_limit) == (2, 10, 0, 30)
    buzzer = BuzzerRules()
    assert (buzzer.points_wrong, buzzer.buzz_window, buzzer.answer_time, buzzer.foul_points) == (-10, 10, 20, -10)
    assert (SpeedRules().packet_size, SpeedRules().window) == (15, 40)
    assert (RiskRules().tiers, RiskRules().answer_time, RiskRules().allow_abstain) == ((10, 20, 30), 60, True)
    assert (ContestRules().base_score, ContestRules().prizes) == (100, (1, 2, 3))


@pytest.mark.parametrize("value", [0, -5])
@pytest.mark.parametrize("rules_class, setting, label, minimum", TIME_SETTINGS,
                         ids=[f"{cls.__name__}.{name}" for cls, name, _, _ in TIME_SETTINGS])
def test_a_zero_or_negative_time_is_refused_naming_the_setting(rules_class, setting, label, minimum, value):
    """Is a time of zero or less refused with a Chinese message naming the setting and its minimum?"""
    assert minimum >= 1
    rules_error(rules_class, {setting: value}, f"「{label}」不能小于 {minimum}秒")


def test_a_negative_lockout_is_refused():
    """Is a negative lockout refused in milliseconds?"""
    rules_error(BuzzerRules, {"lockout_ms": -1}, "「锁定时长」不能小于 0毫秒")


def test_a_time_above_its_bound_is_refused():
    """Is an answer time above its maximum refused?"""
    rules_error(RequiredRules, {"time_limit": 601}, "「答题时限」不能大于 600秒")


@pytest.mark.parametrize("tiers", ["30,20,10", [10, 10, 20], "10/30/20"])
def test_tiers_not_ascending_are_refused(tiers):
    """Are value tiers that do not rise strictly refused?"""
    rules_error(RiskRules, {"tiers": tiers}, "「分值档位」须由低到高排列且不重复")


def test_no_tiers_are_refused():
    """Is an empty list of tiers refused?"""
    rules_error(RiskRules, {"tiers": ""}, "「分值档位」至少需要一个分值")


def test_an_unknown_setting_is_refused():
    """Is a setting the stage does not have refused by name?"""
    rules_error(RequiredRules, {"rounds": 2, "bonus": 5, "answer_time": 3}, "未知的设置项：answer_time, bonus")


@pytest.mark.parametrize("text", ["10,20,30", "10，20，30", "10/20/30", " 10 , 20 , 30 ", [10, "20", 30]])
def test_tier_strings_are_coerced(text):
    """Does "10,20,30" (or with Chinese commas or slashes) become the tiers (10, 20, 30)?"""
    assert rules_from_dict(RiskRules, {"tiers": text}).tiers == (10, 20, 30)


def test_numbers_and_switches_are_coerced_from_form_strings():
    """Do form strings become whole numbers and switches?"""
    rules = rules_from_dict(BuzzerRules, {"answer_time": "15", "second_chance": "on", "foul_points": "-5"})
    assert (rules.answer_time, rules.second_chance, rules.foul_points) == (15, True, -5)
    assert rules_from_dict(RiskRules, {"allow_abstain": "false"}).allow_abstain is False
    assert rules_from_dict(RiskRules, {"allow_abstain": "是"}).allow_abstain is True


@pytest.mark.parametrize("value", ["十", 1.5, "1.5", None])
def test_a_value_that_is_not_a_whole_number_is_refused(value):
    """Is a value that cannot be a whole number refused, quoting it?"""
    rules_error(RequiredRules, {"rounds": value}, f"「轮数」的值「{value}」格式不对")


def test_a_choice_outside_its_list_is_refused():
    """Is an early-buzz policy that does not exist refused, listing the allowed ones?"""
    rules_error(BuzzerRules, {"early_buzz": "shout"}, "「提前抢答」应为 foul / ignore / lockout 之一，而不是「shout」")


def test_prizes_for_more_than_sixteen_teams_are_refused():
    """Are prize counts that add up to more than 16 refused?"""
    rules_error(ContestRules, {"prizes": "5,6,7"}, "「奖项名额」合计不能超过 16 名")


@pytest.mark.parametrize("rules_class", [ContestRules, *RULES_BY_KIND.values()], ids=lambda cls: cls.__name__)
def test_rules_survive_their_dict_form(rules_class):
    """Does rules_to_dict → JSON → rules_from_dict give the same rules back?"""
    rules = rules_class()
    assert rules_from_dict(rules_class, json.loads(json.dumps(rules_to_dict(rules)))) == rules


# --- the stored configuration -----------------------------------------------------------------


def rich_config() -> ContestConfig:
    """A configuration using every kind of value: custom rules, options, tiers, own points and times."""
    config = make_config(
        4,
        required=RequiredRules(rounds=1, points_wrong=-5, answer_mode="phone"),
        buzzer=BuzzerRules(early_buzz="lockout", second_chance=True),
        risk=RiskRules(tiers=(20, 40, 60), allow_abstain=False),
        rules=ContestRules(base_score=0, prizes=(1, 1, 2), advance_count=3, tie_rule="reached_first"),
    )
    special = Question("Q-own", "multi", "多选题", "AC", options=("甲", "乙", "丙"), points=15, time_limit=45,
                       explanation="解析", source="出处", category="税务", difficulty=3)
    config = with_questions(config, StageKind.REQUIRED, config.stages[0].questions[:3] + (special,))
    return replace(config, teams=tuple(replace(team, company=f"公司{team.id}") for team in config.teams))


def test_the_configuration_survives_its_stored_form():
    """Does config_to_dict → JSON → config_from_dict give back the very same configuration?"""
    config = rich_config()
    stored = json.loads(json.dumps(config_to_dict(config), ensure_ascii=False))
    assert config_from_dict(stored) == config


def test_the_contest_records_its_configuration_in_its_first_event():
    """Does the ContestCreated event rebuild the configuration the contest was created with?"""
    config = rich_config()
    state, events = create_contest(config, T0)
    assert events[0].kind == "ContestCreated"
    assert config_from_dict(events[0].config) == config == state.config


def test_stored_data_with_a_part_missing_is_refused():
    """Is stored configuration without its teams refused as incomplete?"""
    data = config_to_dict(make_config(2))
    del data["teams"]
    with pytest.raises(ConfigError, match="^比赛配置数据不完整"):
        config_from_dict(data)


def test_stored_data_with_a_bad_setting_is_refused_with_the_setting_named():
    """Is a stored stage setting out of bounds refused with the rules' own message?"""
    data = config_to_dict(make_config(2))
    data["stages"][0]["rules"]["time_limit"] = 0
    with pytest.raises(ConfigError, match="^「答题时限」不能小于 5秒$"):
        config_from_dict(data)


def test_stored_data_that_breaks_the_contest_rules_is_refused():
    """Is stored data with duplicate seats refused as the live configuration would be?"""
    data = config_to_dict(make_config(2))
    data["teams"][1]["seat"] = data["teams"][0]["seat"]
    with pytest.raises(ConfigError, match="^队伍座次重复$"):
        config_from_dict(data)
