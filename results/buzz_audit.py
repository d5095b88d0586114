"""Every buzz press of a contest, grouped by the question that was on screen when it arrived and
put in the order the phones pressed: what a team that "pressed first" asks the judges to show.

Pure: no Flask or database. The presses are kept apart from the event log (most of them change
nothing, see ``storage.presses``), so they come in as :class:`contest.press.PressRecord` records;
the events say which question each press belongs to and what an accepted press became.

A press belongs to the question on screen when it **arrived**: the last event that put something
new on screen (:data:`contest.events.OPENING`) at or before the arrival. That is where a press
made while the host was still reading lands too (an early press), and why the presses of a
second opening of the same question (补答) are listed with the first.
"""
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from contest.config import Team
from contest.events import OPENING, BuzzersOpened, BuzzWon, EarlyBuzz
from contest.fairness import FLAG_LABELS, race_order
from contest.press import PressRecord
from contest.rules import Arbitration, EarlyBuzzPolicy
from results.history import History, Step
from results.labels import KIND_LABELS, MINUS, team_label, with_points

ARBITRATION_LABELS = {Arbitration.ARRIVAL: "到达先后", Arbitration.COMPENSATED: "校正延迟"}
UNKNOWN = "未知"
STEM_CHARS = 40  # the question's text in a heading: enough to recognise it


@dataclass(frozen=True)
class Opening:
    """A "开始抢答" of a question: its token, when, and which opening of the question it was."""

    token: int
    at: int
    ordinal: int  # 1 for the first opening of the question, 2 for a second chance …


@dataclass(frozen=True)
class PressLine:
    """A press in its question's order, with the opening it answered and what became of it."""

    rank: int
    team: Team | None
    record: PressRecord
    opening: Opening | None  # the opening in effect when it arrived; None: before any
    verdict: str
    won: bool

    @property
    def team_text(self) -> str:
        """"2号 青禾生物队" (the stored number when the team is not in the log's configuration)."""
        return team_label(self.team) or f"队伍编号 {self.record.team_id}"

    @property
    def phone(self) -> str:
        """The start of the phone's connection id (tells a team's phones apart without filling the
        row), or the buzzer station's key."""
        return self.record.source

    @property
    def stamped_server(self) -> int | None:
        """The phone's own stamp on the server clock, when both the stamp and the clock are known.

        Beside the compensated time it shows whether the arbitration bounded the stamp (a phone
        cannot gain more than its measured delay)."""
        record = self.record
        if record.stamped_at is None or record.offset_ms is None:
            return None
        return round(record.stamped_at - record.offset_ms)

    @property
    def offset(self) -> int | None:
        """The phone's clock offset in whole ms, or None when it was unknown."""
        return None if self.record.offset_ms is None else round(self.record.offset_ms)

    @property
    def delay(self) -> int | None:
        """The phone's one-way delay in whole ms, or None when it was unknown."""
        return None if self.record.delay_ms is None else round(self.record.delay_ms)

    @property
    def flag_text(self) -> str | None:
        """Why the phone was flagged as out of line, in Chinese, or None."""
        return FLAG_LABELS.get(self.record.flag, self.record.flag) if self.record.flag else None

    @property
    def offset_text(self) -> str:
        """"+12 ms", "−340 ms" or "未知"."""
        return UNKNOWN if self.offset is None else f"{_signed_ms(self.offset)} ms"

    @property
    def delay_text(self) -> str:
        """"24 ms" or "未知"."""
        return UNKNOWN if self.delay is None else f"{self.delay} ms"

    @property
    def since_pressed(self) -> int | None:
        """Ms from the opening to the (compensated) press; negative: pressed before it opened."""
        return None if self.opening is None else self.record.pressed_at - self.opening.at

    @property
    def since_arrived(self) -> int | None:
        """Ms from the opening to the arrival at the server."""
        return None if self.opening is None else self.record.arrived_at - self.opening.at

    def since_text(self, ms: int | None) -> str:
        """"开始抢答后 +123 ms" (naming a later opening: "第2次开始抢答后 …"), or "开始抢答前"."""
        if ms is None:
            return "开始抢答前"
        which = f"第{self.opening.ordinal}次" if self.opening.ordinal > 1 else ""
        return f"{which}开始抢答后 {_signed_ms(ms)} ms"

    @property
    def arbitration_text(self) -> str:
        """How the stage chose the first press, in Chinese."""
        return ARBITRATION_LABELS.get(self.record.arbitration, self.record.arbitration)


@dataclass(frozen=True)
class BuzzQuestion:
    """The presses that arrived while one question (or a stage with no question yet) was on screen."""

    stage_index: int | None
    stage_title: str
    question: str  # "第3题", or "" (no question on screen, or one taken back)
    question_id: str
    stem: str
    openings: tuple[Opening, ...]
    lines: tuple[PressLine, ...]  # by compensated press time, then arrival
    show_race: bool = True  # the stage shows the race (rules.show_race); its own 抢答判定 setting decides

    @property
    def heading(self) -> str:
        """"抢答题 第2题", "抢答题（未出题）", or "环节开始前"."""
        if not self.stage_title:
            return "环节开始前"
        if not self.question_id:
            return f"{self.stage_title}（未出题）"
        return f"{self.stage_title} {self.question or self.question_id}"

    @property
    def race_text(self) -> str:
        """"3号 +0 ms · 6号 +18 ms · 1号 +42 ms", or "" when the stage does not show the race or only one team pressed."""
        after_opening = [line for line in self.lines if line.opening is not None and line.since_pressed >= 0]
        teams = {line.record.team_id: line for line in reversed(after_opening)}
        race = race_order((line.record.team_id, line.record.pressed_at) for line in after_opening)
        if not self.show_race or len(race) < 2:
            return ""
        return " · ".join(f"{_team_number(teams[team])} +{gap} ms" for team, gap in race)

    @property
    def short_stem(self) -> str:
        """The question's text cut to a line."""
        return self.stem if len(self.stem) <= STEM_CHARS else self.stem[:STEM_CHARS] + "…"


def buzz_audit(history: History, presses: Sequence[PressRecord]) -> list[BuzzQuestion]:
    """The presses grouped by the question they arrived during (in play order), each group in
    press order: compensated press time, then arrival (the order the arbitration used)."""
    places = [history.steps[0], *(step for step in history.steps[1:] if isinstance(step.event, OPENING))]
    starts = [step.event.at for step in places]
    first_place: dict[tuple, int] = {}
    for index, step in enumerate(places):
        first_place.setdefault(_key(step), index)
    grouped: dict[tuple, list[PressRecord]] = {}
    for record in presses:
        place = places[max(0, bisect_right(starts, record.arrived_at) - 1)]
        grouped.setdefault(_key(place), []).append(record)
    by_seq = {step.event.seq: step for step in history.steps}
    return [_question(history, places[first_place[key]], _openings(history, key), records, by_seq)
            for key, records in sorted(grouped.items(), key=lambda item: first_place[item[0]])]


def filter_buzz(questions: list[BuzzQuestion], team: int | None = None,
                stage: int | None = None) -> list[BuzzQuestion]:
    """The presses of ``team`` and/or in stage ``stage`` (None: no filter), keeping each press's
    rank in its whole question: "2号 was third" stays true when the others are hidden."""
    kept = []
    for question in questions:
        if stage is not None and question.stage_index != stage:
            continue
        lines = tuple(line for line in question.lines if team is None or line.record.team_id == team)
        if lines:
            kept.append(replace(question, lines=lines))
    return kept


def _key(step: Step) -> tuple:
    """What a step has on screen: a question of a stage, or (no question) the step itself."""
    if step.question is not None:
        return step.stage_index, step.question.id
    return step.stage_index, None, step.event.seq


def _openings(history: History, key: tuple) -> tuple[Opening, ...]:
    """Every opening of the question ``key``, numbered in order."""
    steps = [step for step in history.steps if isinstance(step.event, BuzzersOpened) and _key(step) == key]
    return tuple(Opening(step.event.token, step.event.at, ordinal) for ordinal, step in enumerate(steps, start=1))


def _question(history: History, place: Step, openings: tuple[Opening, ...], records: list[PressRecord],
              by_seq: dict[int, Step]) -> BuzzQuestion:
    """One question's group, its presses ranked."""
    ordered = sorted(records, key=lambda record: (record.pressed_at, record.arrived_at))
    lines = tuple(
        PressLine(rank, history.team(record.team_id), record, _opening_at(openings, record.arrived_at),
                  _verdict(record, by_seq), _won(record, by_seq))
        for rank, record in enumerate(ordered, start=1)
    )
    question = place.question
    rules = history.config.stages[place.stage_index].rules if place.stage_index is not None else None
    return BuzzQuestion(place.stage_index, history.stage_title(place.stage_index), history.question_label(place),
                        question.id if question else "", question.stem if question else "", openings, lines,
                        show_race=getattr(rules, "show_race", True))


def _opening_at(openings: tuple[Opening, ...], at: int) -> Opening | None:
    """The opening in effect at server time ``at``."""
    before = [opening for opening in openings if opening.at <= at]
    return before[-1] if before else None


def _won(record: PressRecord, by_seq: dict[int, Step]) -> bool:
    """Whether the press won the question (and the win stands)."""
    step = by_seq.get(record.event_seq) if record.accepted else None
    return step is not None and isinstance(step.event, BuzzWon) and not step.undone


def _verdict(record: PressRecord, by_seq: dict[int, Step]) -> str:
    """What became of the press: "抢到", "提前抢答（犯规 −10）", or the refusal the phone was shown."""
    if not record.accepted:
        return record.outcome or "未受理"
    step = by_seq.get(record.event_seq)
    if step is None:
        return "已受理"
    event = step.event
    if isinstance(event, BuzzWon):
        text = "抢到"
    elif isinstance(event, EarlyBuzz) and event.policy == EarlyBuzzPolicy.FOUL:
        text = f"提前抢答（{with_points('犯规', event.delta)}）"
    elif isinstance(event, EarlyBuzz):
        text = "提前抢答（锁定）"
    else:
        text = KIND_LABELS.get(event.kind, event.kind)
    return f"{text}（已撤销）" if step.undone else text


def _team_number(line: PressLine) -> str:
    """"3号" (the team's seat number, or its id when the team is not in the configuration)."""
    return f"{line.team.seat}号" if line.team is not None else f"队伍编号 {line.record.team_id}"


def _signed_ms(ms: int) -> str:
    """"+123" or "−45": the sign always shown, the minus one that spreadsheets do not compute."""
    return f"+{ms}" if ms >= 0 else f"{MINUS}{-ms}"
