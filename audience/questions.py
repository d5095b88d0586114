"""What may be put to the hall: a single-choice or true/false question from the contest's banks, or
one the host types with its options. Checked here, before any phone sees it.

An audience question has 2–6 lettered options and one right option. A bank's single-choice
question keeps its options; a true/false one becomes 对 / 错. Multiple-choice and open questions
are refused: a hall of phones answers with one tap. Questions drawn for the contest's stages are
not offered (the hall must not see a question the teams will get), nor ones already put to the
hall in this contest.
"""
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from audience.models import AudienceQuestion
from web.clean_text import clean_line
from contest_setup.bank import bank_questions
from contest_setup.models import Contest
from contest_setup.service import used_question_ids
from extensions import db

LETTERS = "ABCDEF"
MIN_OPTIONS, MAX_OPTIONS = 2, len(LETTERS)
MAX_STEM, MAX_OPTION = 500, 100
TRUE_FALSE_OPTIONS = ("对", "错")
OFFERED_LIMIT = 300


class AudienceError(ValueError):
    """A refusal, with its reason in Chinese."""


@dataclass(frozen=True)
class Draft:
    """A question ready to be opened."""

    stem: str
    options: tuple[str, ...]
    answer: str  # a letter of LETTERS
    bank_question_id: int | None = None


def typed(stem: Any, options: Any, answer: Any) -> Draft:
    """The host's own question: a stem, a list of option texts, the right option's letter."""
    if not isinstance(stem, str) or not clean_line(stem):
        raise AudienceError("请填写题目")
    stem = clean_line(stem)
    if len(stem) > MAX_STEM:
        raise AudienceError(f"题目不能超过 {MAX_STEM} 字")
    if not isinstance(options, list) or not all(isinstance(text, str) for text in options):
        raise AudienceError("选项格式错误")
    options = [clean_line(text) for text in options if clean_line(text)]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise AudienceError(f"选项应为 {MIN_OPTIONS}–{MAX_OPTIONS} 个")
    if any(len(text) > MAX_OPTION for text in options):
        raise AudienceError(f"每个选项不能超过 {MAX_OPTION} 字")
    if not isinstance(answer, str) or len(answer) != 1 or answer not in LETTERS[: len(options)]:
        raise AudienceError("请选择正确答案")
    return Draft(stem, tuple(options), answer)


def from_bank(question: dict[str, Any]) -> Draft:
    """A bank question (as :meth:`Question.to_contest_question` gives it) as an audience question."""
    if question["type"] == "true_false":
        return Draft(question["stem"], TRUE_FALSE_OPTIONS, "A" if question["answer"] == "对" else "B", question["id"])
    if question["type"] != "single":
        raise AudienceError("观众互动题只能用单选题或判断题")
    return Draft(question["stem"], tuple(question["options"]), question["answer"], question["id"])


def offered(contest: Contest) -> list[dict[str, Any]]:
    """The bank questions the host may put to the hall: single choice or true/false, not drawn for a
    stage, not put to the hall before; as drafts with their bank id."""
    taken = used_question_ids(contest) | set(db.session.scalars(
        sa.select(AudienceQuestion.bank_question_id).where(AudienceQuestion.contest_id == contest.id,
                                                           AudienceQuestion.bank_question_id.is_not(None))))
    drafts = [from_bank(q) for q in bank_questions(contest.bank_ids)
              if q["type"] in ("single", "true_false") and q["id"] not in taken]
    return [{"id": d.bank_question_id, "stem": d.stem, "options": list(d.options), "answer": d.answer}
            for d in drafts[:OFFERED_LIMIT]]


def offered_draft(contest: Contest, bank_question_id: Any) -> Draft:
    """The offered bank question ``bank_question_id``, refused if it is not offered."""
    for item in offered(contest):
        if item["id"] == bank_question_id and not isinstance(bank_question_id, bool):
            return Draft(item["stem"], tuple(item["options"]), item["answer"], item["id"])
    raise AudienceError("题库中没有这道可用的题（只能用本比赛题库中未抽用的单选题或判断题）")
