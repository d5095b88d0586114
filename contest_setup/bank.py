"""The few things contest set-up needs from the question bank, in one place.

The draw works on plain question dicts (:meth:`question_bank.models.Question.to_contest_question`),
so nothing else in this package touches the bank's tables.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from extensions import db
from question_bank.models import Question, QuestionBank
from question_bank.schema import DIFFICULTY_LABELS as _DIFFICULTY_LABELS
from question_bank.schema import TYPE_LABELS as _TYPE_LABELS
from question_bank.service import load_sample_bank

TYPE_LABELS = {str(kind): label for kind, label in _TYPE_LABELS.items()}
"""Question types in Chinese (单选, 多选 …), keyed as the question dicts give them."""
DIFFICULTY_LABELS = dict(_DIFFICULTY_LABELS)
"""Difficulty 1–3 in Chinese (易, 中, 难)."""


@dataclass(frozen=True)
class BankInfo:
    """A bank as the set-up pages list it: id, name and number of questions."""

    id: int
    name: str
    question_count: int


def available_banks() -> list[BankInfo]:
    """Every bank with its number of questions, by name."""
    query = (
        sa.select(QuestionBank.id, QuestionBank.name, sa.func.count(Question.id))
        .outerjoin(Question, Question.bank_id == QuestionBank.id)
        .group_by(QuestionBank.id)
        .order_by(QuestionBank.name)
    )
    return [BankInfo(*row) for row in db.session.execute(query)]


def bank_questions(bank_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The questions of the banks ``bank_ids`` (every bank when empty), as plain dicts, by id."""
    query = sa.select(Question).order_by(Question.id)
    if bank_ids:
        query = query.where(Question.bank_id.in_(list(bank_ids)))
    return [question.to_contest_question() for question in db.session.scalars(query)]


def questions_by_id(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The questions with these ids, as plain dicts keyed by id (missing ones left out)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.session.scalars(sa.select(Question).where(Question.id.in_(wanted)))
    return {question.id: question.to_contest_question() for question in rows}


def categories(bank_ids: Sequence[int]) -> list[str]:
    """The categories used in the banks ``bank_ids`` (every bank when empty), sorted."""
    query = sa.select(Question.category).distinct().where(Question.category != "")
    if bank_ids:
        query = query.where(Question.bank_id.in_(list(bank_ids)))
    return sorted(db.session.scalars(query))


def sample_bank_id() -> int:
    """The id of the sample bank shipped with the project, imported on first use."""
    return load_sample_bank().id
