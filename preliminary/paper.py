"""Drawing each person's paper from the banks, by strata of 题型 / 分类 / 难度, with no repeats.

Pure. A stratum is one line of the organizer's paper plan, e.g. ``单选 税务 任意 3`` (three
single-choice tax questions of any difficulty). Strata are filled from the most specific to the
least specific, so a general line ("任意 任意 任意 2") takes what the specific lines left over;
no question appears twice in one paper. Questions are plain dicts
(:meth:`question_bank.models.Question.to_contest_question`); open questions cannot be marked by
the server and are never drawn.
"""
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from question_bank.schema import DIFFICULTY_LABELS, TYPE_LABELS, QuestionType

DRAWN_TYPES = (QuestionType.SINGLE, QuestionType.MULTI, QuestionType.TRUE_FALSE)
ANY = "任意"
ANY_WORDS = frozenset({ANY, "*", "全部", "不限", ""})
MAX_PAPER_QUESTIONS = 200
_TYPE_BY_LABEL = {label: str(kind) for kind, label in TYPE_LABELS.items() if kind in DRAWN_TYPES}
_DIFFICULTY_BY_LABEL = {label: level for level, label in DIFFICULTY_LABELS.items()}
_SEPARATORS = re.compile(r"[\s,，、;；]+")


class PaperError(ValueError):
    """A paper plan that cannot be read or filled; the message says why, in Chinese."""


@dataclass(frozen=True)
class Stratum:
    """One line of the paper plan: how many questions of a type, category and difficulty (None = any)."""

    count: int
    type: str | None = None
    category: str | None = None
    difficulty: int | None = None

    def matches(self, question: Mapping[str, Any]) -> bool:
        """Whether ``question`` belongs to this stratum."""
        return (question["type"] in _TYPE_BY_LABEL.values()
                and (self.type is None or question["type"] == self.type)
                and (self.category is None or (question.get("category") or "") == self.category)
                and (self.difficulty is None or question.get("difficulty") == self.difficulty))

    @property
    def specificity(self) -> int:
        """How many of the three fields are fixed: specific strata are filled first."""
        return sum(value is not None for value in (self.type, self.category, self.difficulty))

    @property
    def label(self) -> str:
        """The stratum as the organizer writes it: ``单选 税务 任意 3``."""
        kind = TYPE_LABELS[QuestionType(self.type)] if self.type else ANY
        level = DIFFICULTY_LABELS[self.difficulty] if self.difficulty else ANY
        return f"{kind} {self.category or ANY} {level} {self.count}"


@dataclass(frozen=True)
class PaperItem:
    """One question of a person's paper: its id and the order its options are shown in."""

    question_id: int
    option_order: tuple[int, ...] = ()


def parse_strata(text: str) -> list[Stratum]:
    """Read the plan, one stratum a line: ``题型 分类 难度 数量`` (任意 for any); every bad line is named."""
    strata, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            strata.append(parse_stratum(line))
        except PaperError as error:
            problems.append(f"第 {number} 行：{error}")
    if problems:
        raise PaperError("；".join(problems))
    if not strata:
        raise PaperError("试卷组成不能为空：每行写「题型 分类 难度 数量」，如「单选 税务 任意 3」")
    total = sum(stratum.count for stratum in strata)
    if total > MAX_PAPER_QUESTIONS:
        raise PaperError(f"一张试卷最多 {MAX_PAPER_QUESTIONS} 题，现为 {total} 题")
    return strata


def parse_stratum(line: str) -> Stratum:
    """One line of the plan as a stratum; ``PaperError`` says what is wrong with it."""
    parts = [part for part in _SEPARATORS.split(line.strip()) if part]
    if len(parts) != 4:
        raise PaperError(f"应为「题型 分类 难度 数量」四项，如「单选 税务 任意 3」，而不是「{line.strip()}」")
    kind, category, level, count = parts
    if kind not in ANY_WORDS and kind not in _TYPE_BY_LABEL:
        raise PaperError(f"题型应为 单选、多选、判断 或 任意，而不是「{kind}」（简答题无法自动判分，不能抽取）")
    if level not in ANY_WORDS and level not in _DIFFICULTY_BY_LABEL:
        raise PaperError(f"难度应为 易、中、难 或 任意，而不是「{level}」")
    if not count.isdigit() or not 1 <= int(count) <= MAX_PAPER_QUESTIONS:
        raise PaperError(f"数量应为 1–{MAX_PAPER_QUESTIONS} 的整数，而不是「{count}」")
    return Stratum(
        count=int(count),
        type=None if kind in ANY_WORDS else _TYPE_BY_LABEL[kind],
        category=None if category in ANY_WORDS else category,
        difficulty=None if level in ANY_WORDS else _DIFFICULTY_BY_LABEL[level],
    )


def strata_text(strata: Iterable[Stratum]) -> str:
    """The plan as the organizer writes it, one stratum a line."""
    return "\n".join(stratum.label for stratum in strata)


def strata_from_json(rows: Iterable[Mapping[str, Any]]) -> list[Stratum]:
    """Strata as stored on the round."""
    return [Stratum(**row) for row in rows]


def strata_to_json(strata: Iterable[Stratum]) -> list[dict[str, Any]]:
    """Strata as stored on the round."""
    return [{"count": s.count, "type": s.type, "category": s.category, "difficulty": s.difficulty} for s in strata]


def fill_order(strata: Sequence[Stratum]) -> list[int]:
    """The strata's indexes, most specific first (ties keep the plan's order)."""
    return sorted(range(len(strata)), key=lambda index: -strata[index].specificity)


def shortages(questions: Sequence[Mapping[str, Any]], strata: Sequence[Stratum]) -> list[str]:
    """Why the banks cannot fill the plan (one sentence per short stratum); empty when they can."""
    _, problems = _fill(questions, strata, list)
    return problems


def draw_paper(questions: Sequence[Mapping[str, Any]], strata: Sequence[Stratum], rng: random.Random,
               shuffle_questions: bool = True, shuffle_options: bool = True) -> list[PaperItem]:
    """One person's paper: each stratum's count of matching questions, no question twice.

    Without question shuffling the paper follows the plan's lines, each line's questions in bank
    order. Raises :class:`PaperError` when the banks cannot fill the plan.
    """
    picked, problems = _fill(questions, strata, lambda pool: rng.sample(pool, len(pool)))
    if problems:
        raise PaperError("；".join(problems))
    paper = [question for index in range(len(strata)) for question in sorted(picked[index], key=lambda q: q["id"])]
    if shuffle_questions:
        rng.shuffle(paper)
    return [PaperItem(q["id"], option_order(q, rng, shuffle_options)) for q in paper]


Order = Callable[[list[Mapping[str, Any]]], list[Mapping[str, Any]]]


def _fill(questions: Sequence[Mapping[str, Any]], strata: Sequence[Stratum],
          order: Order) -> tuple[dict[int, list[Mapping[str, Any]]], list[str]]:
    """Fill every stratum's places with distinct questions: a matching of places to questions.

    Strata overlap ("任意" and "人才" both match a 人才 true/false question), so filling them one by one
    can use up the only question a later one could take. Each place takes a free question when one is
    left (``order`` decides which: random for a paper, bank order for the shortage check), and
    otherwise moves a question's holder to another of its candidates (an augmenting path), so the plan
    is filled whenever the banks can fill it. Returns the questions per stratum index and a sentence
    per stratum that came up short.
    """
    places = [index for index in fill_order(strata) for _ in range(strata[index].count)]
    candidates = {index: order([q for q in questions if strata[index].matches(q)]) for index in set(places)}
    holder: dict[int, int] = {}  # question id -> place
    taken: dict[int, Mapping[str, Any]] = {}  # place -> question

    def place(number: int, seen: set[int]) -> bool:
        pool = candidates[places[number]]
        choice = next((q for q in pool if q["id"] not in holder and q["id"] not in seen), None)
        if choice is None:
            for question in pool:
                if question["id"] in seen:
                    continue
                seen.add(question["id"])
                if place(holder[question["id"]], seen):
                    choice = question
                    break
        if choice is None:
            return False
        holder[choice["id"]], taken[number] = number, choice
        return True

    for number in range(len(places)):
        place(number, set())
    picked: dict[int, list[Mapping[str, Any]]] = {index: [] for index in range(len(strata))}
    for number, question in taken.items():
        picked[places[number]].append(question)
    problems = [f"「{stratum.label}」需要 {stratum.count} 题，所选题库中只剩 {len(picked[index])} 道可用"
                for index, stratum in enumerate(strata) if len(picked[index]) < stratum.count]
    return picked, problems


def option_order(question: Mapping[str, Any], rng: random.Random, shuffle: bool) -> tuple[int, ...]:
    """The order a person sees a question's options in (indexes into its options)."""
    order = list(range(len(question.get("options") or ())))
    if shuffle and question["type"] != QuestionType.TRUE_FALSE:
        rng.shuffle(order)
    return tuple(order)
