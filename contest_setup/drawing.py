"""Drawing the questions of a contest from question banks: pure, so every rule is testable alone.

Input is plain question dicts (as the bank gives them: ``id``, ``stage``, ``category``,
``difficulty`` …) and what each stage needs; output is the questions assigned to each stage and
the warnings an organizer must see. No Flask, no database; randomness comes from the
``random.Random`` passed in, so a seed gives the same draw again.

The rules:

* a question tagged with a stage goes only to that kind of stage; an untagged one fits any stage;
* a stage may narrow the draw by categories and difficulties;
* risk tiers, ascending, prefer difficulty 1, 2, 3 (harder behind higher values) and fall back to
  the nearest difficulty when short, which is reported;
* no question is drawn twice in one contest, nor two whose stems are identical or nearly so (the same
  :func:`~question_bank.schema.comparable_stem`: two banks often hold the same question);
* each stage has a minimum (fewer and it cannot be played: the contest cannot be made ready) and
  a wanted count (with spares: fewer is a warning only).
"""
import math
import random
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from contest.rules import STAGE_TITLES, StageKind
from question_bank.schema import comparable_stem

TIEBREAK_QUESTIONS = 10
"""Sudden-death questions kept for a tiebreak; one is enough to start, more cover long ties."""

BUZZER_SPARE_SHARE = 0.3
BUZZER_MIN_SPARES = 5
"""Buzzer spares replace voided questions: 30 % of the planned count, and never fewer than 5."""

DIFFICULTY_LEVELS = (1, 2, 3)
UNKNOWN_DIFFICULTY_DISTANCE = 1
"""A question without a difficulty counts as one step away from any tier's wish."""

Question = Mapping[str, Any]


@dataclass(frozen=True)
class DrawFilter:
    """The organizer's narrowing of one stage's draw; empty means no narrowing."""

    categories: tuple[str, ...] = ()
    difficulties: tuple[int, ...] = ()

    def admits(self, question: Question) -> bool:
        """Whether ``question`` passes the category and difficulty filters."""
        if self.categories and (question.get("category") or "") not in self.categories:
            return False
        return not self.difficulties or question.get("difficulty") in self.difficulties


@dataclass(frozen=True)
class SizeSetting:
    """The stage setting a group's size follows: its label, its value, and how many questions each unit of
    it takes (the number of teams, or 1), so a shortage can say what to lower it to."""

    label: str
    value: int
    per_unit: int

    def fitting(self, found: int) -> int:
        """The largest value of the setting that ``found`` questions cover (0 when not even 1 does)."""
        return found // self.per_unit


@dataclass(frozen=True)
class SlotGroup:
    """Questions a stage needs of one kind: all of a plain stage, or one tier of a risk stage."""

    minimum: int
    wanted: int
    tier: int | None = None
    difficulty: int | None = None  # the preferred difficulty (risk tiers only)
    spares_from: int | None = None  # questions from this index on are spares (buzzer)
    size: SizeSetting | None = None  # the setting that sets ``minimum`` (none for the tiebreak)

    def is_spare(self, index: int) -> bool:
        """Whether the question at ``index`` of this group is a spare rather than a planned one."""
        return self.spares_from is not None and index >= self.spares_from


@dataclass(frozen=True)
class StageDemand:
    """What one stage needs: its groups of slots and the filter of its draw."""

    key: Hashable
    kind: StageKind
    groups: tuple[SlotGroup, ...]
    title: str = ""
    filter: DrawFilter = field(default_factory=DrawFilter)

    @property
    def label(self) -> str:
        """The stage's name in messages."""
        return self.title or STAGE_TITLES[self.kind]

    def group_for(self, tier: int | None) -> SlotGroup | None:
        """The group of ``tier`` (``None`` for a stage without tiers)."""
        return next((group for group in self.groups if group.tier == tier), None)


@dataclass(frozen=True)
class Assignment:
    """One drawn question: its id, its risk tier and whether it is a spare (buzzer)."""

    question_id: Any
    tier: int | None = None
    is_spare: bool = False


@dataclass(frozen=True)
class DrawWarning:
    """Something the organizer must see about a stage; ``blocking`` ones keep a contest from ready."""

    stage_key: Hashable
    message: str
    blocking: bool
    tier: int | None = None


@dataclass
class DrawResult:
    """The questions assigned to each stage (by key, in play order), the warnings, and how many groups of
    identical or near-identical questions the banks hold (at most one of each group was drawn)."""

    assignments: dict[Hashable, list[Assignment]]
    warnings: list[DrawWarning]
    twin_groups: int = 0

    @property
    def blocking(self) -> bool:
        """Whether some stage cannot be played with what was drawn."""
        return any(warning.blocking for warning in self.warnings)


def buzzer_spares(question_count: int) -> int:
    """How many spare questions a buzzer stage of ``question_count`` questions keeps."""
    return max(BUZZER_MIN_SPARES, math.ceil(question_count * BUZZER_SPARE_SHARE))


def tier_difficulties(tier_count: int) -> tuple[int, ...]:
    """The preferred difficulty of each tier, ascending: spread evenly from easy to hard.

    One tier asks for medium; two for easy and hard; three for 1, 2, 3; more share the levels.
    """
    if tier_count == 1:
        return (2,)
    low, high = DIFFICULTY_LEVELS[0], DIFFICULTY_LEVELS[-1]
    return tuple(round(low + i * (high - low) / (tier_count - 1)) for i in range(tier_count))


def stage_groups(kind: StageKind, rules: Any, team_count: int) -> tuple[SlotGroup, ...]:
    """The groups of slots a stage of ``kind`` with ``rules`` needs for ``team_count`` teams.

    Risk: every team may pick the same tier, so each tier holds rounds × teams questions.
    """
    if kind == StageKind.REQUIRED:
        return (_exact(_size(rules, "rounds", team_count)),)
    if kind == StageKind.SPEED:
        return (_exact(_size(rules, "packet_size", team_count)),)
    if kind == StageKind.BUZZER:
        count = rules.question_count
        return (SlotGroup(minimum=count, wanted=count + buzzer_spares(count), spares_from=count,
                          size=_size(rules, "question_count", 1)),)
    if kind == StageKind.RISK:
        size = _size(rules, "rounds", team_count)
        per_tier = size.value * size.per_unit
        return tuple(
            SlotGroup(minimum=per_tier, wanted=per_tier, tier=tier, difficulty=difficulty, size=size)
            for tier, difficulty in zip(rules.tiers, tier_difficulties(len(rules.tiers)))
        )
    return (SlotGroup(minimum=1, wanted=TIEBREAK_QUESTIONS),)


def _size(rules: Any, name: str, per_unit: int) -> SizeSetting:
    """The setting ``name`` of ``rules`` as the size of a group, each unit taking ``per_unit`` questions."""
    label = next(item.metadata["label"] for item in fields(rules) if item.name == name)
    return SizeSetting(label, getattr(rules, name), per_unit)


def _exact(size: SizeSetting) -> SlotGroup:
    """A group that needs exactly what ``size`` asks for, and no spares."""
    count = size.value * size.per_unit
    return SlotGroup(minimum=count, wanted=count, size=size)


def fits_stage(question: Question, demand: StageDemand) -> bool:
    """Whether ``question`` may be drawn for ``demand``'s stage: its tag (or none) and the filter."""
    tag = question.get("stage") or None
    return tag in (None, str(demand.kind)) and demand.filter.admits(question)


def difficulty_distance(question: Question, group: SlotGroup) -> int:
    """How far ``question``'s difficulty is from what ``group`` prefers (0 when it has no wish)."""
    if group.difficulty is None:
        return 0
    difficulty = question.get("difficulty")
    if difficulty is None:
        return UNKNOWN_DIFFICULTY_DISTANCE
    return abs(int(difficulty) - group.difficulty)


def preference(question: Question, group: SlotGroup) -> tuple[int, int]:
    """Sort key of a candidate for a group: nearest difficulty first, then tagged before untagged.

    Tagged questions go first so that untagged ones, which fit anywhere, stay for the stages
    that have nothing of their own.
    """
    untagged = 0 if question.get("stage") else 1
    return difficulty_distance(question, group), untagged


def twin_key(question: Question) -> str:
    """What makes two questions the same for a contest: their stem, compared as normalised text."""
    return comparable_stem(question.get("stem") or "") or f"#{question['id']}"


def unused(questions: Iterable[Question], exclude: Iterable[Any]) -> list[Question]:
    """The questions that may still be drawn: not in ``exclude`` (used elsewhere in the contest), nor a
    twin (:func:`twin_key`) of one that is."""
    questions = list(questions)
    excluded = set(exclude)
    taken = {twin_key(question) for question in questions if question["id"] in excluded}
    return [question for question in questions if question["id"] not in excluded and twin_key(question) not in taken]


def twin_groups(keys: Iterable[str]) -> int:
    """How many of the :func:`twin_key` values ``keys`` occur more than once."""
    return sum(1 for count in Counter(keys).values() if count > 1)


def draw(
    questions: Iterable[Question],
    demands: Sequence[StageDemand],
    rng: random.Random,
    exclude: Iterable[Any] = (),
) -> DrawResult:
    """Assign questions to every slot group of ``demands``, never one question (or two twins) twice.

    First every group is filled up to its minimum, then up to its wanted count (spares), each
    pass taking the best-fitting candidates first with random order among equals. Questions
    whose id is in ``exclude`` (already used elsewhere in the contest), and their twins, are never drawn.
    """
    pool = unused(questions, exclude)
    keys = {question["id"]: twin_key(question) for question in pool}
    pairs = _ranked_pairs(pool, demands, rng)
    chosen: dict[tuple[int, int], list[Question]] = {
        (d, g): [] for d, demand in enumerate(demands) for g in range(len(demand.groups))
    }
    used: set[str] = set()
    for limit in ("minimum", "wanted"):
        for (d, g), question in pairs:
            bucket = chosen[(d, g)]
            if keys[question["id"]] not in used and len(bucket) < getattr(demands[d].groups[g], limit):
                bucket.append(question)
                used.add(keys[question["id"]])
    result = _result(demands, chosen)
    result.twin_groups = twin_groups(keys.values())
    return result


def _ranked_pairs(
    pool: list[Question], demands: Sequence[StageDemand], rng: random.Random
) -> list[tuple[tuple[int, int], Question]]:
    """Every (group, fitting question) pair, best fit first, ties in random order."""
    ranked = []
    for d, demand in enumerate(demands):
        fitting = [question for question in pool if fits_stage(question, demand)]
        for g, group in enumerate(demand.groups):
            for question in fitting:
                ranked.append((preference(question, group), rng.random(), (d, g), question))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [(where, question) for _, _, where, question in ranked]


def _result(demands: Sequence[StageDemand], chosen: dict[tuple[int, int], list[Question]]) -> DrawResult:
    """Turn the chosen questions into assignments and collect the warnings."""
    assignments: dict[Hashable, list[Assignment]] = {}
    warnings: list[DrawWarning] = []
    for d, demand in enumerate(demands):
        stage_assignments = assignments.setdefault(demand.key, [])
        for g, group in enumerate(demand.groups):
            bucket = chosen[(d, g)]
            stage_assignments.extend(
                Assignment(question["id"], group.tier, is_spare=group.is_spare(index))
                for index, question in enumerate(bucket)
            )
            warnings.extend(count_warnings(demand, group, len(bucket)))
            warnings.extend(fallback_warnings(demand, group, bucket))
    return DrawResult(assignments, warnings)


def count_warnings(demand: StageDemand, group: SlotGroup, found: int) -> list[DrawWarning]:
    """The shortage of one group holding ``found`` questions, if any, in the organizer's words."""
    where = demand.label + (f" {group.tier} 分档" if group.tier is not None else "")
    if found < group.minimum:
        message = (f"{where}需要 {group.minimum} 题，只有 {found} 题：题库中符合条件的题目不足，本环节无法进行。"
                   + shortage_fix(group, found))
        return [DrawWarning(demand.key, message, blocking=True, tier=group.tier)]
    if found < group.wanted:
        message = f"{where}建议 {group.wanted} 题（含备用 {group.wanted - group.minimum} 题），只有 {found} 题"
        return [DrawWarning(demand.key, message, blocking=False, tier=group.tier)]
    return []


def shortage_fix(group: SlotGroup, found: int) -> str:
    """What the organizer can do about a group holding only ``found`` of its minimum: lower the setting that
    sizes it to the value ``found`` covers, or add questions (the only way when not even 1 is covered)."""
    more = f"补充 {group.minimum - found} 题（或放宽抽题范围）"
    size = group.size
    if size is None or size.fitting(found) < 1:
        return f"请{more}"
    return f"请把「{size.label}」从 {size.value} 减到 {size.fitting(found)}，或{more}"


def fallback_warnings(demand: StageDemand, group: SlotGroup, bucket: Sequence[Question]) -> list[DrawWarning]:
    """A note when a risk tier had to take questions of another (or no) difficulty."""
    off = sum(1 for question in bucket if difficulty_distance(question, group) > 0)
    if not off:
        return []
    message = f"{demand.label} {group.tier} 分档有 {off} 题取自其他难度（该难度题目不足）"
    return [DrawWarning(demand.key, message, blocking=False, tier=group.tier)]


def check_assigned(demand: StageDemand, assigned: Sequence[Assignment]) -> list[DrawWarning]:
    """The shortages of questions already assigned to a stage, for the readiness check.

    Questions whose tier is not one of the stage's tiers (the tiers were edited after the draw)
    are reported as blocking, since the contest could not offer them.
    """
    warnings: list[DrawWarning] = []
    tiers = {group.tier for group in demand.groups}
    stray = sum(1 for item in assigned if item.tier not in tiers)
    if stray:
        message = f"{demand.label}有 {stray} 题的分值档位已不在当前设置中，请重新抽题"
        warnings.append(DrawWarning(demand.key, message, blocking=True))
    for group in demand.groups:
        found = sum(1 for item in assigned if item.tier == group.tier)
        warnings.extend(count_warnings(demand, group, found))
    return warnings


def swap_candidates(
    questions: Iterable[Question], demand: StageDemand, tier: int | None, exclude: Iterable[Any]
) -> list[Question]:
    """Unused questions (nor twins of used ones) that may replace one of ``demand``'s questions, best fitting first."""
    group = _group_or_plain(demand, tier)
    fitting = [q for q in unused(questions, exclude) if fits_stage(q, demand)]
    return sorted(fitting, key=lambda question: preference(question, group))


def pick_replacement(
    questions: Iterable[Question], demand: StageDemand, tier: int | None, exclude: Iterable[Any],
    rng: random.Random,
) -> Question | None:
    """A random unused question among those that fit ``tier`` of ``demand`` best, or None."""
    candidates = swap_candidates(questions, demand, tier, exclude)
    if not candidates:
        return None
    group = _group_or_plain(demand, tier)
    best = preference(candidates[0], group)
    return rng.choice([question for question in candidates if preference(question, group) == best])


def _group_or_plain(demand: StageDemand, tier: int | None) -> SlotGroup:
    """The group of ``tier`` in ``demand``, or a group without wishes when the tier is gone."""
    return demand.group_for(tier) or SlotGroup(minimum=0, wanted=0, tier=tier)
