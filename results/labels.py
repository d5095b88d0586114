"""The words of the after-the-game record: signed points, team and actor labels, event names.

Pure. The verdict words are the hall's own (:data:`web.words.VERDICT_LABELS`), so a report says
what the display and the phones said.
"""
from contest.config import ContestConfig, Team

MINUS = "−"  # U+2212: a minus that no spreadsheet reads as the start of a formula

KIND_LABELS = {
    "ContestCreated": "创建比赛", "ContestStarted": "开始比赛", "StageStarted": "开始环节",
    "QuestionShown": "出题", "TurnStarted": "轮到队伍", "BuzzersOpened": "开始抢答", "BuzzWon": "抢答成功",
    "EarlyBuzz": "提前抢答", "BuzzersClosed": "关闭抢答", "Judged": "判定", "Passed": "过题",
    "TierChosen": "选择分值", "Abstained": "放弃", "TimedOut": "计时结束", "AnswerRevealed": "揭晓答案",
    "StageEnded": "结束环节", "ScoreAdjusted": "调整分数", "DecisionUndone": "撤销", "TiebreakStarted": "开始加赛",
    "ContestFinished": "结束比赛", "ClockResumed": "恢复计时", "BuzzingInterrupted": "抢答中断",
    "ScoresHidden": "隐藏比分", "ScoresFrozen": "冻结比分", "ScoresUnfrozen": "解冻比分", "PlaceRevealed": "揭晓名次",
    "ScoresRevealed": "全部揭晓",
}

ACTOR_ROLES = {"host": "主持人", "judge": "评委", "organizer": "组织者", "clock": "计时器", "display": "大屏",
               "server": "服务器"}


def signed(delta: int) -> str:
    """Points with their sign, "+10" or "−10" (the typographic minus)."""
    return f"+{delta}" if delta > 0 else f"{MINUS}{-delta}" if delta < 0 else "0"


def team_label(team: Team | None) -> str:
    """"2号 青禾生物队": the seat beside the name, as every screen shows a team."""
    return f"{team.seat}号 {team.name}" if team else ""



def with_points(text: str, delta: int) -> str:
    """``text`` followed by its points ("判定 回答正确 +10"), or alone when no points moved."""
    return f"{text} {signed(delta)}" if delta else text



def actor_label(actor: str, config: ContestConfig) -> str:
    """Who acted, in Chinese: "主持人 alice", "评委 wang", "2号 青禾生物队（手机）", "计时器"."""
    role, _, name = actor.partition(":")
    if role == "team":
        team = config.team(int(name)) if name.isdigit() else None
        return f"{team_label(team)}（手机）" if team else actor
    label = ACTOR_ROLES.get(role)
    if label is None:
        return actor
    return f"{label} {name}" if name else label


def _subject(actor: str) -> str:
    """The role that acted, for the start of a description ("主持人", "评委", "计时器")."""
    role = actor.partition(":")[0]
    return "" if role == "team" else ACTOR_ROLES.get(role, actor)

