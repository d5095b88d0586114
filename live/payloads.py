"""Reading what clients send: every payload is checked before it becomes an engine command.

A malformed or oversized payload is refused with a reason; a team's commands always act for
the team of its connection, never for a team named in the payload.
"""
import json
import math
import secrets
from dataclasses import dataclass
from typing import Any

from web.clean_text import clean_line
from contest import commands as c
from contest.press_source import KEY_PATTERN
from play import intent
from live.protocol import MAX_PAYLOAD_BYTES


class PayloadError(ValueError):
    """The payload cannot be read; the message says why, in Chinese."""


def checked(payload: Any) -> dict[str, Any]:
    """The payload as a dict, refusing anything else or anything too large."""
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise PayloadError("数据格式错误")
    try:
        size = len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    except UnicodeEncodeError:
        raise PayloadError("数据含有无效字符") from None
    except (TypeError, ValueError, RecursionError):  # a binary attachment, a NaN, a deep nesting
        raise PayloadError("数据格式错误") from None
    if size > MAX_PAYLOAD_BYTES:
        raise PayloadError("数据过大")
    return payload


def client_id(payload: dict[str, Any]) -> str | None:
    """The client's id for this command, so a retried command counts once."""
    value = payload.get("client_id")
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= 64:
        raise PayloadError("client_id 格式错误")
    return value


def _int(payload: dict[str, Any], name: str, required: bool = True) -> int | None:
    """A whole number field (booleans and floats are refused)."""
    value = payload.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayloadError(f"{name} 应为整数")
    return value


def _text(payload: dict[str, Any], name: str, limit: int = 200) -> str:
    """A short text field."""
    value = payload.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        raise PayloadError(f"{name} 应为不超过 {limit} 字的文字")
    return clean_line(value).strip()


def _teams(payload: dict[str, Any]) -> tuple[int, ...]:
    """A list of team ids."""
    value = payload.get("teams")
    if not isinstance(value, list) or not all(isinstance(t, int) and not isinstance(t, bool) for t in value):
        raise PayloadError("teams 应为队伍编号列表")
    return tuple(value)


HOST_COMMANDS = {
    "StartContest": lambda p, actor: c.StartContest(actor=actor),
    "StartStage": lambda p, actor: c.StartStage(actor=actor, draw_seed=secrets.randbelow(2**31)),
    "NextQuestion": lambda p, actor: c.NextQuestion(actor=actor),
    "OpenBuzzers": lambda p, actor: c.OpenBuzzers(actor=actor),
    "CloseBuzzers": lambda p, actor: c.CloseBuzzers(actor=actor),
    "Judge": lambda p, actor: c.Judge(actor=actor, verdict=_text(p, "verdict", 10)),
    "Pass": lambda p, actor: c.Pass(actor=actor),
    "TimeOut": lambda p, actor: c.TimeOut(actor=actor),
    "RevealAnswer": lambda p, actor: c.RevealAnswer(actor=actor),
    "EndStage": lambda p, actor: c.EndStage(actor=actor),
    "Undo": lambda p, actor: c.Undo(actor=actor),
    "FinishContest": lambda p, actor: c.FinishContest(actor=actor),
    "StartTiebreak": lambda p, actor: c.StartTiebreak(actor=actor, teams=_teams(p)),
    "ChooseTier": lambda p, actor: c.ChooseTier(actor=actor, team=_int(p, "team"), tier=_int(p, "tier")),
    "Abstain": lambda p, actor: c.Abstain(actor=actor, team=_int(p, "team")),
    "AdjustScore": lambda p, actor: c.AdjustScore(actor=actor, team=_int(p, "team"), delta=_int(p, "delta"),
                                                  reason=_text(p, "reason")),
    # Suspense: only the host's namespace reads "command", so a phone can never hide, freeze or reveal.
    "HideScores": lambda p, actor: c.HideScores(actor=actor),
    "FreezeScores": lambda p, actor: c.FreezeScores(actor=actor),
    "UnfreezeScores": lambda p, actor: c.UnfreezeScores(actor=actor),
    "RevealNextPlace": lambda p, actor: c.RevealNextPlace(actor=actor),
    "RevealAllPlaces": lambda p, actor: c.RevealAllPlaces(actor=actor),
}


def host_command(payload: Any, actor: str) -> c.Command:
    """The engine command a host's ``command`` payload asks for."""
    payload = checked(payload)
    kind = payload.get("type")
    build = HOST_COMMANDS.get(kind) if isinstance(kind, str) else None
    if build is None:
        raise PayloadError(f"未知的操作：{clean_line(str(payload.get('type')))[:40]}")
    return build(payload, actor)


def meant_for(payload: Any) -> intent.Place | None:
    """Where a host command was pressed for (see :mod:`play.intent`), or None when not said."""
    try:
        return intent.parse(checked(payload).get("meant_for"))
    except ValueError as error:
        raise PayloadError(str(error)) from None


def answer(payload: Any, team: int, actor: str) -> c.SubmitAnswer:
    """A team's phone answer."""
    return c.SubmitAnswer(actor=actor, team=team, choice=_text(checked(payload), "choice", 20))


def choose_tier(payload: Any, team: int, actor: str) -> c.ChooseTier:
    """A team's risk value."""
    return c.ChooseTier(actor=actor, team=team, tier=_int(checked(payload), "tier"))


def abstain(payload: Any, team: int, actor: str) -> c.Abstain:
    """A team declining its risk turn."""
    checked(payload)
    return c.Abstain(actor=actor, team=team)


@dataclass(frozen=True)
class BuzzRequest:
    """A phone's press as it was sent: its own clock's time of the press and the opening it answers.

    Both are hints, never a reason to refuse the press: a stamp that is not a finite number is
    ignored (the press is timed by its arrival), and so is a token that is not a small whole number
    (the engine then judges the press against the opening in effect).
    """

    pressed_at: float | None
    open_token: int | None


def buzz(payload: Any) -> BuzzRequest:
    """A team's press."""
    payload = checked(payload)
    stamp, token = payload.get("pressed_at"), payload.get("open_token")
    stamp = float(stamp) if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) else None
    token = token if isinstance(token, int) and not isinstance(token, bool) and abs(token) < 2**31 else None
    return BuzzRequest(stamp if stamp is not None and math.isfinite(stamp) else None, token)


@dataclass(frozen=True)
class StationBuzzRequest:
    """A buzzer station's press (live.station): a phone's press made for ``team`` by one of its keys."""

    team: int
    key: str  # a browser's KeyboardEvent.code ("Digit3") or a bridge's name for a button ("serial-3")
    press: BuzzRequest


def station_buzz(payload: Any) -> StationBuzzRequest:
    """A station's press: the team it names (checked against the contest by live.station), the key and
    the press as a phone would send it."""
    payload = checked(payload)
    key = payload.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise PayloadError("key 应为按键名称（字母、数字或 _ . -，不超过 24 个字符）")
    team = payload.get("team")
    if isinstance(team, bool) or not isinstance(team, int):
        raise PayloadError("team 应为队伍编号")
    return StationBuzzRequest(team, key, buzz(payload))
