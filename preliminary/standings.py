"""Company results: the company score, the ranking, qualification and its tie cascade. Pure.

A company's score comes from its members' counted scores by the round's rule (sum of the best K,
average of all, average of the best K, missing members counting 0). Companies are ranked by the
**tie cascade**: score, then participation rate, then the number of high scorers, then less total
time of the members whose scores count; still equal, the earlier registered company. Every tie the
cascade breaks is recorded with the step that broke it and both companies' values, so the page
can show why one company is above another. Companies with fewer participants than the minimum
are ranked after every eligible one and cannot qualify.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from preliminary.settings import CompanyRule, RoundSettings


@dataclass(frozen=True)
class MemberScore:
    """One participant's counted result."""

    score: int
    elapsed_ms: int


@dataclass(frozen=True)
class CompanyInput:
    """What the ranking needs of one company."""

    id: int
    name: str
    headcount: int
    members: tuple[MemberScore, ...] = ()
    attempts: int = 0
    registered: int = 0


@dataclass
class CompanyStanding:
    """One company's figures and place."""

    id: int
    name: str
    headcount: int
    registered: int
    participants: int
    attempts: int
    score: float
    average: float
    best: int
    rate: float
    high_scorers: int
    total_time_ms: int
    eligible: bool
    note: str = ""
    rank: int = 0
    qualified: bool = False

    @property
    def attempts_per_member(self) -> float:
        """Attempts per participant (0 without participants)."""
        return self.attempts / self.participants if self.participants else 0.0


@dataclass(frozen=True)
class TieStep:
    """One step of the cascade: its Chinese name, how to read it, and whether more is better."""

    key: str
    label: str
    value: Callable[[CompanyStanding], float]
    more_is_better: bool
    shown: Callable[[CompanyStanding], str]


CASCADE = (
    TieStep("rate", "参与率", lambda s: s.rate, True, lambda s: f"{s.rate:.1%}"),
    TieStep("high_scorers", "高分人数", lambda s: s.high_scorers, True, lambda s: f"{s.high_scorers} 人"),
    TieStep("total_time", "计分人员总用时", lambda s: s.total_time_ms, False, lambda s: f"{s.total_time_ms / 1000:.1f} 秒"),
)
"""After the score, the steps that order equal companies, in this order (docs/preliminary.md)."""


@dataclass(frozen=True)
class TieNote:
    """A tie the cascade broke: two companies of equal score, the step that separated them."""

    upper: str
    lower: str
    upper_rank: int
    score: float
    step: str
    upper_value: str
    lower_value: str
    at_cut: bool

    @property
    def text(self) -> str:
        """The explanation in one Chinese sentence."""
        if self.step == "登记顺序":
            return (f"「{self.upper}」与「{self.lower}」得分同为 {self.score:g}，参与率、高分人数、总用时也都相同，"
                    f"按登记顺序「{self.upper}」在前")
        return (f"「{self.upper}」与「{self.lower}」得分同为 {self.score:g}，按{self.step}区分："
                f"{self.upper_value} 优于 {self.lower_value}")


@dataclass
class Qualification:
    """The ranked companies, who qualified, and every tie the cascade broke."""

    standings: list[CompanyStanding]
    ties: list[TieNote] = field(default_factory=list)

    @property
    def qualifiers(self) -> list[CompanyStanding]:
        """The qualified companies in rank order."""
        return [standing for standing in self.standings if standing.qualified]


def company_score(scores: Sequence[int], rule: str, k: int) -> float:
    """The company's score from its members' scores under ``rule``."""
    best = sorted(scores, reverse=True)
    if rule == CompanyRule.AVERAGE:
        return round(sum(best) / len(best), 2) if best else 0.0
    top = sum(best[:k])
    return float(top) if rule == CompanyRule.SUM_BEST_K else round(top / k, 2)


def counting_members(members: Sequence[MemberScore], rule: str, k: int) -> list[MemberScore]:
    """The members whose scores make the company's score (their time is the company's total time)."""
    ordered = sorted(members, key=lambda member: (-member.score, member.elapsed_ms))
    return ordered if rule == CompanyRule.AVERAGE else ordered[:k]


def standing(company: CompanyInput, settings: RoundSettings, full: int) -> CompanyStanding:
    """One company's figures under the round's settings (``full`` is a paper's full marks)."""
    scores = [member.score for member in company.members]
    participants = len(scores)
    high_line = full * settings.high_score_percent / 100
    eligible = participants >= max(settings.min_participants, 1)
    note = "" if eligible else f"参与人数 {participants} 人，少于晋级所需的 {max(settings.min_participants, 1)} 人"
    return CompanyStanding(
        id=company.id,
        name=company.name,
        headcount=company.headcount,
        registered=company.registered,
        participants=participants,
        attempts=company.attempts,
        score=company_score(scores, settings.company_rule, settings.company_k),
        average=round(sum(scores) / participants, 2) if participants else 0.0,
        best=max(scores, default=0),
        rate=participants / company.headcount if company.headcount else 0.0,
        high_scorers=sum(score >= high_line for score in scores) if full else 0,
        total_time_ms=sum(m.elapsed_ms for m in counting_members(company.members, settings.company_rule, settings.company_k)),
        eligible=eligible,
        note=note,
    )


def cascade_key(item: CompanyStanding) -> tuple:
    """The sort key of the cascade: eligible first, score, then each step, then registration order."""
    steps = tuple(-step.value(item) if step.more_is_better else step.value(item) for step in CASCADE)
    return (not item.eligible, -item.score, *steps, item.id)


def qualify(companies: Sequence[CompanyInput], settings: RoundSettings, full: int) -> Qualification:
    """Rank every company by the cascade, mark the top ``qualify_count`` eligible ones, note each broken tie."""
    standings = sorted((standing(company, settings, full) for company in companies), key=cascade_key)
    for rank, item in enumerate(standings, start=1):
        item.rank = rank
        item.qualified = item.eligible and rank <= settings.qualify_count
    result = Qualification(standings)
    for upper, lower in zip(standings, standings[1:]):
        if upper.eligible and lower.eligible and upper.score == lower.score:
            result.ties.append(tie_note(upper, lower, settings.qualify_count))
    return result


def tie_note(upper: CompanyStanding, lower: CompanyStanding, cut: int) -> TieNote:
    """Which step of the cascade put ``upper`` above ``lower`` (equal score)."""
    at_cut = upper.rank == cut
    for step in CASCADE:
        if step.value(upper) != step.value(lower):
            return TieNote(upper.name, lower.name, upper.rank, upper.score, step.label,
                           step.shown(upper), step.shown(lower), at_cut)
    return TieNote(upper.name, lower.name, upper.rank, upper.score, "登记顺序", "", "", at_cut)
