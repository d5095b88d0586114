"""Reading a pasted team list: pure, so every row's problems are found before anything is stored.

One team per line: ``[座次,]队名,单位,成员1,成员2,成员3[,替补…]``. Fields may be separated by
tabs (a block copied from Excel), commas (half- or full-width) or 、. Members after the third
are alternates. Every bad line is reported with its number, like the question import does.
"""
import re
from dataclasses import dataclass, field

REGULAR_MEMBERS = 3
"""Members who answer; the rules reference has three per team, the rest are alternates."""

MAX_NAME_LENGTH = 100
MAX_COMPANY_LENGTH = 200
SEAT_RANGE = range(1, 100)
MAX_LINES = 200
"""Lines of a pasted list: a final has a few dozen teams at most."""

_FIELD_SEPARATORS = re.compile(r"[\t,，、;；]")
_PEOPLE_SEPARATORS = re.compile(r"[\s,，、;；/]+")


@dataclass(frozen=True)
class TeamEntry:
    """A team as typed or pasted, before it is stored."""

    name: str
    company: str = ""
    members: tuple[str, ...] = ()
    alternates: tuple[str, ...] = ()
    seat: int | None = None


@dataclass
class RosterResult:
    """The teams read from a pasted list and the problems of each bad line (``第 n 行：…``)."""

    entries: list[TeamEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def split_people(text: str) -> tuple[str, ...]:
    """Names typed in one field, separated by spaces, commas, 、 or slashes."""
    return tuple(part for part in _PEOPLE_SEPARATORS.split(text or "") if part)


def parse_seat(text: str | None) -> int | None:
    """A seat number from a form field: empty means none; anything else must be 1–99."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) not in SEAT_RANGE:
        raise ValueError(f"座次应为 {SEAT_RANGE.start}–{SEAT_RANGE.stop - 1} 的整数，而不是「{text}」")
    return int(text)


def entry_problems(entry: TeamEntry) -> list[str]:
    """What is wrong with one team's fields (empty name, too long), in Chinese."""
    problems = []
    if not entry.name:
        problems.append("队名不能为空")
    if len(entry.name) > MAX_NAME_LENGTH:
        problems.append(f"队名不能超过 {MAX_NAME_LENGTH} 个字")
    if len(entry.company) > MAX_COMPANY_LENGTH:
        problems.append(f"单位名称不能超过 {MAX_COMPANY_LENGTH} 个字")
    return problems


def parse_line(line: str) -> TeamEntry:
    """One pasted line as a team; raises ``ValueError`` for a bad seat number."""
    fields_ = [part.strip() for part in _FIELD_SEPARATORS.split(line)]
    seat = None
    if fields_ and fields_[0].isdigit():
        seat = parse_seat(fields_.pop(0))
    name = fields_[0] if fields_ else ""
    company = fields_[1] if len(fields_) > 1 else ""
    people = tuple(part for part in fields_[2:] if part)
    return TeamEntry(
        name=name,
        company=company,
        members=people[:REGULAR_MEMBERS],
        alternates=people[REGULAR_MEMBERS:],
        seat=seat,
    )


def parse_roster(text: str) -> RosterResult:
    """Read every non-empty line of ``text``; report each bad line and repeated names or seats."""
    result = RosterResult()
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        result.problems.append(f"名单过长：最多 {MAX_LINES} 行，现有 {len(lines)} 行")
        return result
    seen_names: dict[str, int] = {}
    seen_seats: dict[int, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = parse_line(line)
        except ValueError as error:
            result.problems.append(f"第 {number} 行：{error}")
            continue
        problems = entry_problems(entry)
        if entry.name in seen_names:
            problems.append(f"队名「{entry.name}」与第 {seen_names[entry.name]} 行重复")
        if entry.seat is not None and entry.seat in seen_seats:
            problems.append(f"座次 {entry.seat} 与第 {seen_seats[entry.seat]} 行重复")
        seen_names.setdefault(entry.name, number)
        if entry.seat is not None:
            seen_seats.setdefault(entry.seat, number)
        result.problems.extend(f"第 {number} 行：{problem}" for problem in problems)
        result.entries.append(entry)
    return result
