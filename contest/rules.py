"""The settings of each stage kind and of the contest, with the defaults of the rules reference.

Every number a real organizer may change is a field here, never a constant in the engine. Each
field carries its Chinese label, a help text and its bounds as metadata, so the setup pages,
``docs/rules.md`` and the validation all read the same description.
"""
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any


class StageKind(StrEnum):
    """The kinds of stage a final is made of."""

    REQUIRED = "required"
    SPEED = "speed"
    BUZZER = "buzzer"
    RISK = "risk"
    TIEBREAK = "tiebreak"


STAGE_TITLES = {
    StageKind.REQUIRED: "必答题",
    StageKind.SPEED: "速答题",
    StageKind.BUZZER: "抢答题",
    StageKind.RISK: "风险题",
    StageKind.TIEBREAK: "加赛",
}


class EarlyBuzzPolicy(StrEnum):
    """What happens to a team that presses before the buzzers are open."""

    FOUL = "foul"  # penalty points and out for this question
    IGNORE = "ignore"  # the press does not count, nothing else happens
    LOCKOUT = "lockout"  # the team cannot buzz for a short time


class AnswerMode(StrEnum):
    """How an answer reaches the judge: said aloud, or chosen on the team's phone."""

    ORAL = "oral"
    PHONE = "phone"


class Arbitration(StrEnum):
    """How the first buzz is chosen: by arrival, or by the press time corrected for delay."""

    ARRIVAL = "arrival"
    COMPENSATED = "compensated"


class FlaggedPhones(StrEnum):
    """What a press from a phone flagged as out of line (contest.fairness) is credited."""

    BOUNDED = "bounded"  # its credit held to what the transport and its stamps justify
    ARRIVAL = "arrival"  # no credit at all: it counts when it arrived


class TieRule(StrEnum):
    """How equal scores are ordered before any tiebreak."""

    TIEBREAK = "tiebreak"  # equal scores share a place; a tie on an award boundary needs a tiebreak
    REACHED_FIRST = "reached_first"  # the team that reached the score first ranks higher


class RulesError(ValueError):
    """Settings out of their bounds: ``problems`` names each one in Chinese, the message all of them."""

    def __init__(self, *problems: str):
        super().__init__("；".join(problems))
        self.problems = problems


def setting(default: Any, label: str, help: str, minimum: int | None = None, maximum: int | None = None,
            choices: tuple[str, ...] | None = None, unit: str = "") -> Any:
    """A rule field with its description for forms, docs and validation."""
    metadata = {"label": label, "help": help, "min": minimum, "max": maximum, "choices": choices, "unit": unit}
    if isinstance(default, tuple):
        return field(default_factory=lambda: default, metadata=metadata)
    return field(default=default, metadata=metadata)


def freeze_setting() -> Any:
    """最后 N 题冻结比分: shared by the stages that count their questions (必答、抢答、风险)."""
    return setting(0, "最后 N 题冻结比分", "本环节最后 N 题（风险题为最后 N 轮次）开始时，大屏和手机上的比分停在该时刻，"
                   "直到主持人解冻或在颁奖时揭晓；主持人始终看到实时比分。0 表示不冻结。", 0, 200, unit="题")


@dataclass(frozen=True)
class RequiredRules:
    """必答题: teams answer their own questions in seat order."""

    rounds: int = setting(2, "轮数", "每队依座次轮流作答的轮数。", 1, 10)
    points_right: int = setting(10, "答对得分", "答对一题加的分。", 0, 1000, unit="分")
    points_wrong: int = setting(0, "答错得分", "答错或超时的得分，0 表示不扣分，负数表示扣分。", -1000, 1000, unit="分")
    time_limit: int = setting(30, "答题时限", "出题后开始计时的答题时间。", 5, 600, unit="秒")
    answer_mode: str = setting("oral", "作答方式", "口头作答：选手口头回答，由主持人判定；手机作答：选择题在手机上作答并自动判分。",
                               choices=tuple(AnswerMode))
    freeze_last: int = freeze_setting()


@dataclass(frozen=True)
class SpeedRules:
    """速答题: one team at a time answers a packet of questions against a window clock."""

    packet_size: int = setting(15, "每队题数", "每队一组的题目数量。", 1, 100, unit="题")
    window: int = setting(40, "限时", "每队一组题的总时间，时间到即停止。", 5, 600, unit="秒")
    points_right: int = setting(10, "答对得分", "每答对一题加的分。", 0, 1000, unit="分")
    points_wrong: int = setting(0, "答错得分", "每答错一题的得分，0 表示不扣分。", -1000, 1000, unit="分")


@dataclass(frozen=True)
class BuzzerRules:
    """抢答题: the host reads, opens the buzzers, the first valid buzz answers."""

    question_count: int = setting(20, "题目数量", "本环节计划进行的题数；作废的题（无人抢答或判为无效）不计，由备用题补上。", 1, 200, unit="题")
    points_right: int = setting(10, "答对得分", "抢到并答对加的分。", 0, 1000, unit="分")
    points_wrong: int = setting(-10, "答错得分", "抢到但答错或超时的得分，负数表示扣分。", -1000, 1000, unit="分")
    buzz_window: int = setting(10, "抢答时限", "开始抢答后无人抢答即作废的时间。", 1, 120, unit="秒")
    answer_time: int = setting(20, "答题时限", "抢到后作答的时间。", 3, 600, unit="秒")
    early_buzz: str = setting("foul", "提前抢答", "犯规：扣分并失去本题资格；不计：提前按下无效；短时锁定：提前按下后短时不能抢答。",
                              choices=tuple(EarlyBuzzPolicy))
    foul_points: int = setting(-10, "犯规得分", "提前抢答犯规的得分（「提前抢答」选「犯规」时）。", -1000, 0, unit="分")
    lockout_ms: int = setting(250, "锁定时长", "提前按下后不能抢答的时间（「提前抢答」选「短时锁定」时）。", 0, 10000, unit="毫秒")
    second_chance: bool = setting(False, "补答", "答错后题目对尚未抢答的队伍重新开放。")
    answer_mode: str = setting("oral", "作答方式", "口头作答：选手口头回答，由主持人判定；手机作答：选择题在手机上作答并自动判分。",
                               choices=tuple(AnswerMode))
    arbitration: str = setting("compensated", "抢答判定", "按校正延迟后的按下时间：以手机按下的时刻（扣除测得的网络延迟）定先后；按到达服务器先后：以按键到达服务器的先后定先后。",
                               choices=tuple(Arbitration))
    flagged_phones: str = setting("bounded", "可疑手机", "只按可信延迟校正：被标记的手机（时钟探测比传输层心跳慢、远慢于场内其他手机、或按键时间屡次过早）只按可信的延迟校正；按到达服务器先后：这类手机一律按到达先后。",
                                  choices=tuple(FlaggedPhones))
    show_race: bool = setting(True, "显示抢答差距", "判定后大屏、手机和报告显示各队按下的先后与相差的毫秒数。")
    freeze_last: int = freeze_setting()


@dataclass(frozen=True)
class RiskRules:
    """风险题: in score order each team picks a value, then answers for + or − that value."""

    tiers: tuple[int, ...] = setting((10, 20, 30), "分值档位", "可选的分值，由低到高；难题放在高分值。", 1, 1000, unit="分")
    rounds: int = setting(1, "轮数", "每队选题作答的次数。", 1, 5)
    answer_time: int = setting(60, "答题时限", "选定分值后作答的时间（队友可补充）。", 5, 600, unit="秒")
    allow_abstain: bool = setting(True, "允许放弃", "轮到的队伍可以放弃本轮，得 0 分。")
    answer_mode: str = setting("oral", "作答方式", "口头作答：选手口头回答，由主持人判定；手机作答：选择题在手机上作答并自动判分。",
                               choices=tuple(AnswerMode))
    freeze_last: int = freeze_setting()


@dataclass(frozen=True)
class TiebreakRules:
    """加赛: sudden-death buzzer questions among the tied teams only; scores do not change."""

    buzz_window: int = setting(10, "抢答时限", "开始抢答后无人抢答即换题的时间。", 1, 120, unit="秒")
    answer_time: int = setting(20, "答题时限", "抢到后作答的时间。", 3, 600, unit="秒")
    early_buzz: str = setting("foul", "提前抢答", "犯规：失去本题资格（加赛不扣分）；不计：提前按下无效；短时锁定：提前按下后短时不能抢答。",
                              choices=tuple(EarlyBuzzPolicy))
    lockout_ms: int = setting(250, "锁定时长", "提前按下后不能抢答的时间（「提前抢答」选「短时锁定」时）。", 0, 10000, unit="毫秒")
    arbitration: str = setting("compensated", "抢答判定", "按校正延迟后的按下时间：以手机按下的时刻（扣除测得的网络延迟）定先后；按到达服务器先后：以按键到达服务器的先后定先后。",
                               choices=tuple(Arbitration))
    flagged_phones: str = setting("bounded", "可疑手机", "只按可信延迟校正：被标记的手机（时钟探测比传输层心跳慢、远慢于场内其他手机、或按键时间屡次过早）只按可信的延迟校正；按到达服务器先后：这类手机一律按到达先后。",
                                  choices=tuple(FlaggedPhones))
    show_race: bool = setting(True, "显示抢答差距", "判定后大屏、手机和报告显示各队按下的先后与相差的毫秒数。")


RULES_BY_KIND: dict[StageKind, type] = {
    StageKind.REQUIRED: RequiredRules,
    StageKind.SPEED: SpeedRules,
    StageKind.BUZZER: BuzzerRules,
    StageKind.RISK: RiskRules,
    StageKind.TIEBREAK: TiebreakRules,
}

StageRules = RequiredRules | SpeedRules | BuzzerRules | RiskRules | TiebreakRules


@dataclass(frozen=True)
class ContestRules:
    """Settings of the whole contest."""

    base_score: int = setting(100, "基础分", "每队的起始分数（有的比赛从 0 分开始）。", 0, 100000, unit="分")
    prizes: tuple[int, ...] = setting((1, 2, 3), "奖项名额", "各等奖的名额，依次为一等奖、二等奖、三等奖……", 0, 16, unit="名")
    advance_count: int = setting(0, "晋级名额", "预赛前 N 名晋级；0 表示不设晋级线。", 0, 1000, unit="名")
    tie_rule: str = setting("tiebreak", "同分处理", "同分并列，获奖线上加赛：名次并列，并列跨越获奖线时加赛决出；先达到该分数者在前：同分时先达到该分数的队伍名次在前。",
                            choices=tuple(TieRule))


def rule_fields(rules_class: type) -> list[dict[str, Any]]:
    """Describe each setting of ``rules_class`` (name, label, help, bounds, default) for pages and docs."""
    described = []
    for item in fields(rules_class):
        default = item.default_factory() if callable(item.default_factory) else item.default
        described.append({"name": item.name, "default": default, "type": type(default).__name__, **item.metadata})
    return described


def rule_problems(rules: Any) -> list[str]:
    """What is wrong with ``rules``, one sentence per setting (empty when nothing is)."""
    problems = []
    for item in fields(rules):
        value = getattr(rules, item.name)
        meta = item.metadata
        label = meta["label"]
        values = value if isinstance(value, tuple) else (value,)
        if isinstance(value, tuple) and not value and item.name == "tiers":
            problems.append(f"「{label}」至少需要一个分值")
        for one in values:
            problem = _bound_problem(meta, one)
            if problem:
                problems.append(problem)
                break
    tiers = getattr(rules, "tiers", None)
    if tiers is not None and list(tiers) != sorted(set(tiers)):
        problems.append("「分值档位」须由低到高排列且不重复")
    prizes = getattr(rules, "prizes", None)
    if prizes is not None and sum(prizes) > 16:
        problems.append("「奖项名额」合计不能超过 16 名")
    return problems


def _bound_problem(meta: dict[str, Any], value: Any) -> str | None:
    """Why one value of a setting is not allowed, or None."""
    label = meta["label"]
    if meta["choices"] and value not in meta["choices"]:
        return f"「{label}」应为 {' / '.join(meta['choices'])} 之一，而不是「{value}」"
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if meta["min"] is not None and value < meta["min"]:
        return f"「{label}」不能小于 {meta['min']}{meta['unit']}"
    if meta["max"] is not None and value > meta["max"]:
        return f"「{label}」不能大于 {meta['max']}{meta['unit']}"
    return None


def rules_from_dict(rules_class: type, data: dict[str, Any] | None) -> Any:
    """Build validated rules from stored or submitted values; missing values take the defaults."""
    data = dict(data or {})
    known = {item.name: item for item in fields(rules_class)}
    unknown = set(data) - set(known)
    if unknown:
        raise RulesError(f"未知的设置项：{', '.join(sorted(unknown))}")
    values, problems = {}, []
    for name, value in data.items():
        try:
            values[name] = _coerce(value, getattr(rules_class(), name), known[name].metadata["label"])
        except RulesError as error:
            problems.extend(error.problems)  # the default stands in, so the others are still checked
    rules = replace(rules_class(), **values)
    problems += rule_problems(rules)
    if problems:
        raise RulesError(*problems)
    return rules


def rules_to_dict(rules: Any) -> dict[str, Any]:
    """The settings as JSON-ready values (tuples become lists)."""
    return {item.name: _plain(getattr(rules, item.name)) for item in fields(rules)}


def _plain(value: Any) -> Any:
    """A JSON-ready copy of one setting value."""
    return list(value) if isinstance(value, tuple) else value


def _coerce(value: Any, default: Any, label: str) -> Any:
    """Turn a submitted value into the type of the setting's default, or explain why not."""
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on", "是"}
            return bool(value)
        if isinstance(default, int):
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                value = [part for part in value.replace("，", ",").replace("/", ",").split(",") if part.strip()]
            return tuple(int(part) for part in value)
        return str(value)
    except (TypeError, ValueError):
        raise RulesError(f"「{label}」的值「{value}」格式不对") from None
