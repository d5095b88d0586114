"""The settings of a preliminary round (初赛), each with its Chinese label and explanation.

Pure. The settings reuse the final's description machinery (:func:`contest.rules.setting`), so the
organizer page, docs/preliminary.md and the validation read one description; the answering
window, the banks and the paper's strata are kept beside them on the round (they are not numbers).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from contest.rules import RulesError, rules_from_dict, rules_to_dict, setting

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
"""The round's clock: China has kept UTC+8 without daylight saving since 1991."""

WINDOW_FORMAT = "%Y-%m-%d %H:%M"

GRACE_SECONDS = 3
"""An answer that arrives up to this long after a time limit or the window's end still counts:
the phone sent it in time, the network carried it late (docs/preliminary.md)."""


class Counting(StrEnum):
    """Which of a person's attempts counts."""

    BEST = "best"
    LAST = "last"
    FIRST = "first"


class TimeMode(StrEnum):
    """Whether the time limit is for the whole paper or for each question."""

    PAPER = "paper"
    QUESTION = "question"


class Reveal(StrEnum):
    """When a person sees the right answers of an attempt."""

    AFTER_ATTEMPT = "after_attempt"
    AFTER_WINDOW = "after_window"
    NEVER = "never"


class CompanyRule(StrEnum):
    """How a company's score is made from its members' counted scores."""

    SUM_BEST_K = "sum_best_k"
    AVERAGE = "average"
    AVERAGE_BEST_K = "average_best_k"


CHOICE_LABELS = {
    Counting.BEST: "最好成绩",
    Counting.LAST: "最后一次",
    Counting.FIRST: "第一次",
    TimeMode.PAPER: "整卷限时",
    TimeMode.QUESTION: "每题限时",
    Reveal.AFTER_ATTEMPT: "每次答完即显示",
    Reveal.AFTER_WINDOW: "答题时间结束后显示",
    Reveal.NEVER: "不显示",
    CompanyRule.SUM_BEST_K: "成绩最好的 K 人之和",
    CompanyRule.AVERAGE: "全部参与人员的平均分",
    CompanyRule.AVERAGE_BEST_K: "成绩最好的 K 人的平均分",
}
"""The choice values in Chinese, for the select boxes and the docs."""


@dataclass(frozen=True)
class RoundSettings:
    """Every number and choice of a preliminary round."""

    time_mode: str = setting("paper", "限时方式", "整卷限时：整张试卷一个倒计时；每题限时：每道题各自倒计时，超时自动进入下一题。",
                             choices=tuple(TimeMode))
    paper_seconds: int = setting(600, "整卷时限", "整卷限时时，从开始答题起可用的时间。", 30, 7200, unit="秒")
    question_seconds: int = setting(30, "每题时限", "每题限时时，每道题可用的时间。", 5, 600, unit="秒")
    attempts_total: int = setting(3, "总答题次数", "每人在整个答题时间内最多可答几次。", 1, 100, unit="次")
    attempts_per_day: int = setting(1, "每日答题次数", "每人每天（北京时间）最多可答几次；0 表示不按天限制。", 0, 100, unit="次")
    counting: str = setting("best", "计入成绩", "多次答题时哪一次计入个人成绩：最好成绩（同分用时少者）、最后一次或第一次。",
                            choices=tuple(Counting))
    shuffle_questions: bool = setting(True, "题目顺序随机", "每人试卷中的题目顺序各不相同。")
    shuffle_options: bool = setting(True, "选项顺序随机", "单选、多选题的选项顺序每人各不相同（判断题不打乱）。")
    reveal: str = setting("after_attempt", "显示正确答案", "答完后何时显示正确答案、解析与政策出处。", choices=tuple(Reveal))
    points_single: int = setting(1, "单选题分值", "答对一道单选题得的分。", 0, 100, unit="分")
    points_multi: int = setting(2, "多选题分值", "全部选对一道多选题得的分。", 0, 100, unit="分")
    points_multi_partial: int = setting(0, "多选少选得分", "多选题少选（所选都对但不全）得的分；0 表示不得分；选错不得分。", 0, 100, unit="分")
    points_true_false: int = setting(1, "判断题分值", "答对一道判断题得的分。", 0, 100, unit="分")
    leave_limit: int = setting(0, "离开页面上限", "一次答题中离开页面（切到其他应用、来电）超过此次数时作废该次答题；0 表示只记录、不作废。", 0, 100, unit="次")
    company_rule: str = setting("sum_best_k", "单位得分方式", "单位成绩如何由本单位人员的个人成绩得出（K 见下一项；不足 K 人时缺的按 0 分计）。",
                                choices=tuple(CompanyRule))
    company_k: int = setting(10, "K（计分人数）", "「最好的 K 人」中的 K。", 1, 10000, unit="人")
    min_participants: int = setting(1, "晋级最少参与人数", "参与人数少于此数的单位不能晋级。", 0, 100000, unit="人")
    qualify_count: int = setting(8, "晋级单位数", "单位排名前 N 名晋级决赛。", 1, 16, unit="个")
    high_score_percent: int = setting(90, "高分线", "得分达到满分的此百分比即为「高分人数」，用于同分比较。", 1, 100, unit="%")
    weight_participants: int = setting(30, "权重：参与人数", "优秀组织奖中「参与人数」的权重。", 0, 100, unit="%")
    weight_rate: int = setting(30, "权重：参与率", "优秀组织奖中「参与率（参与人数 ÷ 职工人数）」的权重。", 0, 100, unit="%")
    weight_average: int = setting(30, "权重：平均分", "优秀组织奖中「平均分」的权重。", 0, 100, unit="%")
    weight_attempts: int = setting(10, "权重：人均答题次数", "优秀组织奖中「人均答题次数」的权重。", 0, 100, unit="%")
    weight_audience: int = setting(0, "权重：现场观众互动", "优秀组织奖中「现场观众互动（决赛现场回答观众互动题的本单位手机数）」的权重；0 表示不计此项。",
                                   0, 100, unit="%")
    award_count: int = setting(10, "优秀组织奖名额", "优秀组织奖授予综合得分最高的几个单位；0 表示不评。", 0, 1000, unit="个")
    award_excludes_finalists: bool = setting(True, "晋级单位不参评", "勾选后，晋级决赛的单位不参评优秀组织奖。")

    @property
    def weights(self) -> dict[str, int]:
        """The award factors' weights, keyed as :mod:`preliminary.awards` names the factors."""
        return {"participants": self.weight_participants, "rate": self.weight_rate,
                "average": self.weight_average, "attempts_per_member": self.weight_attempts,
                "audience": self.weight_audience}


def settings_from_dict(data: dict[str, Any] | None) -> RoundSettings:
    """Validated settings from stored or submitted values (missing ones take the defaults)."""
    settings = rules_from_dict(RoundSettings, data)
    if sum(settings.weights.values()) != 100:
        raise RulesError(f"优秀组织奖各项权重之和应为 100%，现为 {sum(settings.weights.values())}%")
    return settings


def settings_to_dict(settings: RoundSettings) -> dict[str, Any]:
    """The settings as JSON-ready values."""
    return rules_to_dict(settings)


def parse_window_time(text: str, label: str) -> datetime:
    """A window time typed as ``2026-05-01 08:00`` (Beijing time), as an aware UTC datetime."""
    cleaned = (text or "").strip().replace("T", " ")
    try:
        local = datetime.strptime(cleaned, WINDOW_FORMAT)
    except ValueError:
        raise RulesError(f"「{label}」应写成「2026-05-01 08:00」的形式（北京时间），而不是「{text}」") from None
    return local.replace(tzinfo=SHANGHAI).astimezone(timezone.utc)


def window_text(moment: datetime | None) -> str:
    """A stored UTC time as Beijing time, ``2026-05-01 08:00``."""
    if moment is None:
        return ""
    return as_utc(moment).astimezone(SHANGHAI).strftime(WINDOW_FORMAT)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite gives back naive ones, which are UTC here)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def beijing_text(ms: int | None) -> str:
    """A server time in ms as Beijing time, ``2026-05-01 08:00:05``."""
    if not ms:
        return ""
    return datetime.fromtimestamp(ms / 1000, tz=SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def local_day(moment: datetime) -> str:
    """The Beijing calendar day of a moment, for the daily attempt limit."""
    return as_utc(moment).astimezone(SHANGHAI).date().isoformat()
