"""The 优秀组织奖 (organisation award): a weighted sum of normalised factors. Pure.

Each factor (participants, participation rate, average score, attempts per member and, when the
organizer weighs it, the company's phones that answered audience questions at the final, 现场观众互动)
is divided by the largest value any competing company reached, so it lies between 0 and 1; the
total is the weighted sum of these, on a 0–100 scale (the weights add up to 100 %). The ``award_count``
companies with the highest totals receive the award; equal totals are ordered by participation
rate, then registration. Companies without participants, and (per setting) the finalists, do not
compete; every company's factors are kept so the page shows why it did or did not win.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from preliminary.settings import RoundSettings
from preliminary.standings import CompanyStanding

FACTORS = (
    ("participants", "参与人数"),
    ("rate", "参与率"),
    ("average", "平均分"),
    ("attempts_per_member", "人均答题次数"),
    ("audience", "现场观众互动"),
)
"""The factors of the formula: the key the settings weigh and the Chinese name."""

OPTIONAL_FACTORS = frozenset({"audience"})
"""Factors that appear only when weighed (most rounds do not count the final's audience)."""


@dataclass(frozen=True)
class Factor:
    """One factor of one company: its value, its normalised value (0–1) and its weighted points."""

    key: str
    label: str
    value: float
    normalised: float
    points: float


@dataclass(frozen=True)
class AwardLine:
    """One company in the award table."""

    company: CompanyStanding
    factors: tuple[Factor, ...]
    total: float
    competes: bool
    awarded: bool
    place: int | None
    note: str


def factors_of(settings: RoundSettings) -> tuple[tuple[str, str], ...]:
    """The factors of the round's formula: every standard one, an optional one only when weighed."""
    return tuple((key, label) for key, label in FACTORS if key not in OPTIONAL_FACTORS or settings.weights[key])


def factor_value(company: CompanyStanding, key: str, audience: Mapping[str, int]) -> float:
    """The raw value of a factor; 现场观众互动 is looked up by the company's name."""
    if key == "audience":
        return float(audience.get(company.name, 0))
    return float(getattr(company, key))


def award_table(companies: Sequence[CompanyStanding], settings: RoundSettings,
                audience: Mapping[str, int] | None = None) -> list[AwardLine]:
    """Every company's factors and total, the winners marked, best total first.

    ``audience`` is the number of phones per company name that answered audience questions at the
    final the round feeds (:func:`audience.participation.phones_by_company`).
    """
    audience = audience or {}
    formula = factors_of(settings)
    competing = [c for c in companies if c.participants and not (settings.award_excludes_finalists and c.qualified)]
    highest = {key: max((factor_value(c, key, audience) for c in competing), default=0.0) for key, _ in formula}
    weights = settings.weights

    def factors(company: CompanyStanding) -> tuple[Factor, ...]:
        """The company's factors, normalised against the competing companies' highest values."""
        items = []
        for key, label in formula:
            value = factor_value(company, key, audience)
            normalised = min(value / highest[key], 1.0) if highest[key] else 0.0
            items.append(Factor(key, label, value, normalised, round(normalised * weights[key], 2)))
        return tuple(items)

    competing_ids = {company.id for company in competing}
    lines = [(company, factors(company)) for company in companies]
    totals = {company.id: round(sum(f.points for f in items), 2) for company, items in lines}
    order = sorted(lines, key=lambda line: (line[0].id not in competing_ids, -totals[line[0].id], -line[0].rate, line[0].id))
    result, place = [], 0
    for company, items in order:
        competes = company.id in competing_ids
        place = place + 1 if competes else place
        awarded = competes and place <= settings.award_count
        result.append(AwardLine(company, items, totals[company.id], competes, awarded,
                                place if competes else None, _note(company, competes, awarded, settings)))
    return result


def _note(company: CompanyStanding, competes: bool, awarded: bool, settings: RoundSettings) -> str:
    """Why the company did or did not win, in Chinese."""
    if not company.participants:
        return "无人参与，不参评"
    if not competes:
        return "已晋级决赛，按设置不参评"
    if awarded:
        return "获优秀组织奖"
    return f"综合得分未进入前 {settings.award_count} 名"
