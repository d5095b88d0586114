"""Tables of the question bank: named sets of questions, each question with every field of the format.

A question converts to and from :class:`~question_bank.schema.QuestionDraft`, the pure form the
readers, the validator and the exporter share, and to the plain dict the contest engine draws
(:meth:`Question.to_contest_question`), so neither of them depends on SQLAlchemy.
"""
from datetime import datetime, timezone

import sqlalchemy as sa
import sqlalchemy.orm as so

from extensions import db
from question_bank.schema import QuestionDraft, QuestionType, Stage, stem_hash


def utc_now() -> datetime:
    """The current time, in UTC, for the timestamps."""
    return datetime.now(timezone.utc)


class QuestionBank(db.Model):
    """A named set of questions, e.g. one office's 2024 policy questions."""

    __tablename__ = "question_bank"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100), unique=True, index=True)
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utc_now)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    questions: so.WriteOnlyMapped["Question"] = so.relationship(
        back_populates="bank", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        """The bank's name, for logs and the shell."""
        return f"<QuestionBank {self.name}>"


class Question(db.Model):
    """One question of a bank, stored with canonical values (see docs/question-format.md).

    ``stem_hash`` is a digest of the stem with width, case and spaces folded: the unique index on
    (bank, stem_hash) is the database's own guard against a duplicate stem, at any stem length.
    """

    __tablename__ = "bank_question"
    __table_args__ = (sa.UniqueConstraint("bank_id", "stem_hash", name="uq_bank_question_stem"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    bank_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("question_bank.id", ondelete="CASCADE"), index=True
    )
    type: so.Mapped[str] = so.mapped_column(sa.String(16))
    stem: so.Mapped[str] = so.mapped_column(sa.Text)
    stem_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    options: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    answer: so.Mapped[str] = so.mapped_column(sa.Text)
    points: so.Mapped[int | None]
    difficulty: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    category: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    stage: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    explanation: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    source: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    time_limit: so.Mapped[int | None]
    tags: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    external_id: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utc_now)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utc_now, onupdate=utc_now)
    imported_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    bank: so.Mapped[QuestionBank] = so.relationship(back_populates="questions")

    @staticmethod
    def values_from_draft(draft: QuestionDraft) -> dict[str, object]:
        """The column values of a draft, for a new row (bulk insert) or an edit."""
        return {
            "type": str(draft.type),
            "stem": draft.stem,
            "stem_hash": stem_hash(draft.stem),
            "options": list(draft.options),
            "answer": draft.answer,
            "points": draft.points,
            "difficulty": draft.difficulty,
            "category": draft.category,
            "stage": str(draft.stage) if draft.stage else None,
            "explanation": draft.explanation,
            "source": draft.source,
            "time_limit": draft.time_limit,
            "tags": list(draft.tags),
            "external_id": draft.external_id,
        }

    def apply_draft(self, draft: QuestionDraft) -> None:
        """Replace every field with the draft's (the edit page validates through a draft)."""
        for name, value in self.values_from_draft(draft).items():
            setattr(self, name, value)

    def to_draft(self) -> QuestionDraft:
        """The question as a draft, for export and for the edit form."""
        return QuestionDraft(
            type=QuestionType(self.type),
            stem=self.stem,
            answer=self.answer,
            options=tuple(self.options or ()),
            points=self.points,
            difficulty=self.difficulty,
            category=self.category or "",
            stage=Stage(self.stage) if self.stage else None,
            explanation=self.explanation or "",
            source=self.source or "",
            time_limit=self.time_limit,
            tags=tuple(self.tags or ()),
            external_id=self.external_id or "",
        )

    def to_contest_question(self) -> dict[str, object]:
        """A plain dict for the contest engine, which imports nothing from here.

        Keys: id, type (single/multi/true_false/open), stem, options (list of texts, A first),
        answer (letters "AC" for choice types, 对/错 for true_false, the reference text for open),
        points, difficulty (1–3), time_limit (ints or ``None`` for the stage's default), category,
        explanation, source (text, "" when empty), stage (a stage key or ``None`` for any stage).
        """
        return {
            "id": self.id,
            "type": self.type,
            "stem": self.stem,
            "options": list(self.options or ()),
            "answer": self.answer,
            "points": self.points,
            "difficulty": self.difficulty,
            "category": self.category or "",
            "stage": self.stage or None,
            "explanation": self.explanation or "",
            "source": self.source or "",
            "time_limit": self.time_limit,
        }

    def __repr__(self) -> str:
        """The id and the start of the stem, for logs and the shell."""
        return f"<Question {self.id} {self.stem[:20]!r}>"
