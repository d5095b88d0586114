"""The event-log file: a contest's full raw log as JSON, to archive it or to reproduce it exactly on
another installation.

Pure (no Flask, no database): :func:`export_document` writes the file, :func:`parse_event_log`
reads one back and refuses anything that would not replay to a contest, with a Chinese message.
The events are kept exactly as they were, the configuration included (it is the first event),
so the import needs nothing from the question bank of the installation that reads it. Every buzz
press goes with them (``presses``, optional: files exported before it have none), so the
restored contest's report still shows who pressed when.
"""
import json
import math

from web import safe_json
from web.clean_text import clean_line, is_clean
from dataclasses import asdict, dataclass, fields
from typing import Any

from contest.press import PressRecord
from contest.events import ContestCreated, Event, event_from_dict, event_to_dict
from contest.evolve import replay
from contest.state import ContestState

FORMAT = "policy-contest-event-log"
VERSION = 1
NAME_LIMIT = 200  # the contest table's name column
TEAM_NAME_LIMIT = 100  # the team table's name column
COMPANY_LIMIT = 200
ACTOR_LIMIT = 120  # the event table's actor column
PRESS_TEXT_LIMITS = {"connection": 64, "arbitration": 16, "outcome": 200, "flag": 40}  # the buzz_press table's columns
PRESS_NUMBERS = {"stamped_at", "offset_ms", "delay_ms"}  # any finite number, or null
PRESS_INTEGERS = {"arrived_at", "pressed_at", "team_id", "open_token", "event_seq"}
PRESS_OPTIONAL = {"stamped_at", "offset_ms", "delay_ms", "open_token", "event_seq", "flag"}
PRESS_LATER = {"flag"}  # fields added after the format's first files: a file without them is still read


class EventLogError(ValueError):
    """The file is not an event log this installation can reproduce; the message says why."""


@dataclass(frozen=True)
class EventLog:
    """A parsed, replayed event log."""

    name: str
    events: list[Event]
    state: ContestState
    presses: list[PressRecord]


def export_document(name: str, status: str, events: list[Event], exported_at: str,
                    presses: list[PressRecord] = ()) -> dict[str, Any]:
    """The file's content: a format marker and version, the contest's name, every event in order
    and every buzz press."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "contest": {"name": name, "status": status, "exported_at": exported_at, "event_count": len(events)},
        "events": [event_to_dict(event) for event in events],
        "presses": [asdict(press) for press in presses],
    }


def to_json(document: dict[str, Any]) -> bytes:
    """The document as UTF-8 JSON, readable by a person (real Chinese, indented)."""
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def parse_event_log(data: bytes) -> EventLog:
    """Read an exported event log; refuse it (:class:`EventLogError`) unless it replays."""
    document = _document(data)
    events = _events(document.get("events"))
    state = _replayed(events)
    _check_teams(state)
    presses = _presses(document.get("presses", []), {team.id for team in state.config.teams}, len(events))
    return EventLog(_name(document, state), events, state, presses)


def _document(data: bytes) -> dict[str, Any]:
    """The JSON object of the file, with our format marker and a version we read."""
    try:
        document = safe_json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise EventLogError("文件不是 UTF-8 编码的文本，请选择从本平台导出的 .json 事件记录") from None
    except safe_json.JsonInputError as error:
        raise EventLogError(f"文件不是有效的 JSON：{error}") from None
    unclean = _unclean_text(document)
    if unclean is not None:
        raise EventLogError(f"文件中「{unclean}」处的文字含有无效字符（控制字符或孤立的代理项），无法导入")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise EventLogError("这不是本平台导出的事件记录文件（缺少格式标记）")
    if document.get("version") != VERSION:
        raise EventLogError(f"不支持的事件记录版本「{document.get('version')}」，本系统可导入版本 {VERSION}")
    return document


def _unclean_text(value: Any, where: str = "根") -> str | None:
    """Where the first text holding what no page can show lies (a control character, a lone surrogate), if any.

    The events are stored exactly as they are, so such a file is refused rather than cleaned.
    """
    if isinstance(value, str):
        return None if is_clean(value) else where
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value, start=1)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and not is_clean(key):
            return where
        found = _unclean_text(item, f"{where} › {clean_line(str(key))[:40]}")
        if found is not None:
            return found
    return None


def _events(items: Any) -> list[Event]:
    """The events of the file, each well formed and numbered 1, 2, 3 … in order."""
    if not isinstance(items, list) or not items:
        raise EventLogError("文件中没有事件记录")
    events = []
    for number, item in enumerate(items, start=1):
        event = _event(number, item)
        if event.seq != number:
            raise EventLogError(f"第 {number} 个事件的序号应为 {number}，实际为 {event.seq}：记录不完整或顺序被改动")
        events.append(event)
    if not isinstance(events[0], ContestCreated):
        raise EventLogError("第 1 个事件必须是比赛的创建（ContestCreated）")
    return events


def _event(number: int, item: Any) -> Event:
    """One event of the file, with the types that storage and replay rely on."""
    if not isinstance(item, dict):
        raise EventLogError(f"第 {number} 个事件不是一个对象")
    try:
        event = event_from_dict(item)
    except (ValueError, TypeError) as error:
        raise EventLogError(f"第 {number} 个事件有误：{error}") from None
    if isinstance(event.seq, bool) or not isinstance(event.seq, int) or isinstance(event.at, bool) \
            or not isinstance(event.at, int):
        raise EventLogError(f"第 {number} 个事件的序号或时间不是整数")
    if not isinstance(event.actor, str) or len(event.actor) > ACTOR_LIMIT:
        raise EventLogError(f"第 {number} 个事件的操作人无效")
    return event


def _replayed(events: list[Event]) -> ContestState:
    """The contest the events rebuild; any failure means the file cannot reproduce a contest."""
    try:
        return replay(events)
    except Exception as error:  # noqa: BLE001  (untrusted input: whatever breaks the fold refuses the file)
        raise EventLogError(f"事件记录无法重放出比赛：{error or type(error).__name__}") from None


def _check_teams(state: ContestState) -> None:
    """Refuse team names that the team table could not hold."""
    for team in state.config.teams:
        if not isinstance(team.name, str) or len(team.name) > TEAM_NAME_LIMIT:
            raise EventLogError(f"队名过长（超过 {TEAM_NAME_LIMIT} 个字）：{str(team.name)[:20]}…")
        if not is_clean(team.name, multiline=False):
            raise EventLogError(f"队名「{clean_line(team.name)}」含有换行或制表符")
        if not isinstance(team.company, str) or len(team.company) > COMPANY_LIMIT:
            raise EventLogError(f"「{team.name}」的单位名称过长（超过 {COMPANY_LIMIT} 个字）")


def _presses(items: Any, teams: set[int], event_count: int) -> list[PressRecord]:
    """The buzz presses of the file, each with the fields and types the buzz_press table holds."""
    if not isinstance(items, list):
        raise EventLogError("按键记录（presses）应为列表")
    return [_press(number, item, teams, event_count) for number, item in enumerate(items, start=1)]


def _press(number: int, item: Any, teams: set[int], event_count: int) -> PressRecord:
    """One press of the file; refused with the reason when a field is missing or out of place."""
    names = {field.name for field in fields(PressRecord)}
    if not isinstance(item, dict) or not names - PRESS_LATER <= set(item) <= names:
        raise EventLogError(f"第 {number} 个按键记录的字段不完整或有多余字段")
    for name, value in item.items():
        if not _press_value_fits(name, value):
            raise EventLogError(f"第 {number} 个按键记录的「{name}」无效")
    if item["team_id"] not in teams:
        raise EventLogError(f"第 {number} 个按键记录的队伍不在比赛中")
    if item["event_seq"] is not None and not 1 <= item["event_seq"] <= event_count:
        raise EventLogError(f"第 {number} 个按键记录指向不存在的事件")
    return PressRecord(**item)


def _press_value_fits(name: str, value: Any) -> bool:
    """Whether ``value`` has the type (and size) the press field ``name`` takes."""
    if value is None:
        return name in PRESS_OPTIONAL
    if isinstance(value, bool):
        return name == "accepted"
    if name in PRESS_INTEGERS:
        return isinstance(value, int) and abs(value) < 2**53
    if name in PRESS_NUMBERS:
        return isinstance(value, (int, float)) and math.isfinite(value)
    if name in PRESS_TEXT_LIMITS:
        return isinstance(value, str) and len(value) <= PRESS_TEXT_LIMITS[name]
    return False


def _name(document: dict[str, Any], state: ContestState) -> str:
    """The contest's name as exported, else its title on screen."""
    contest = document.get("contest")
    name = contest.get("name") if isinstance(contest, dict) else None
    name = clean_line(name if isinstance(name, str) else "").strip() or clean_line(state.config.title).strip()
    if not name:
        raise EventLogError("事件记录中没有比赛名称")
    return name[:NAME_LIMIT]
