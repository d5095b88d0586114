"""Uploads waiting between the preview and the confirm, kept on disk under the instance folder.

The session cookie carries only a random token. Beside the uploaded file lies a JSON summary of
what the preview found, so paging through a 10,000-row preview does not parse the file again;
the confirm re-reads the file itself, so what is stored is checked against the bank as it is then.
"""
import json
import re
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from question_bank.formats import ParseResult
from question_bank.schema import OPTION_KEYS, TYPE_LABELS, QuestionType

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")
MAX_AGE_SECONDS = 24 * 3600


@dataclass
class PendingUpload:
    """An upload waiting for its confirm: who sent what, for which bank, and what the preview found."""

    token: str
    filename: str
    bank_name: str
    user_id: int | None
    unit: str
    warnings: list[str]
    drafts: int
    rows: list[dict]
    line_unit: str = "行"

    @property
    def bad_rows(self) -> int:
        """How many rows have a problem."""
        return sum(1 for row in self.rows if row["problems"])

    @property
    def problems(self) -> int:
        """How many problems the preview found in all."""
        return sum(len(row["problems"]) for row in self.rows)


def preview_rows(result: ParseResult) -> list[dict]:
    """Every row as read, with its problems beside it, ready for a template.

    A valid row also carries its type and answer as understood (单选, "AC", 对), so the organizer
    sees what "a、c" or "√" became before confirming.
    """
    understood = {draft.row: draft for draft in result.drafts}
    by_row: dict[int, list[dict]] = {}
    for problem in result.problems:
        by_row.setdefault(problem.row, []).append(
            {"column": problem.column, "message": problem.message, "line": problem.line})
    return [
        {"row": row.row, "cells": row.cells, "options": row_options(row.cells), "problems": by_row.get(row.row, []),
         "line": row.line, "notes": row.notes, **_understood(understood.get(row.row), row.cells)}
        for row in result.rows
    ]


def _understood(draft, cells: dict[str, str]) -> dict[str, str]:
    """The type label and canonical answer of a valid row; the text as written for a row with problems."""
    if draft is None:
        return {"type": cells.get("type", ""), "answer": cells.get("answer", "")}
    return {"type": TYPE_LABELS[QuestionType(draft.type)], "answer": draft.answer}


def row_options(cells: dict[str, str]) -> list[str]:
    """The option cells of a row, A up to the last filled one, gaps kept so that they show."""
    texts = [cells.get(key, "") for key in OPTION_KEYS]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def save_pending(folder: Path, filename: str, data: bytes, bank_name: str, user_id: int | None,
                 result: ParseResult) -> PendingUpload:
    """Keep an upload and its preview under a new random token (and clear out stale ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    purge_stale(folder)
    pending = PendingUpload(
        token=secrets.token_urlsafe(24),
        filename=Path(filename).name,
        bank_name=bank_name,
        user_id=user_id,
        unit=result.unit,
        warnings=list(result.warnings),
        drafts=len(result.drafts),
        rows=preview_rows(result),
        line_unit=result.table.line_unit,
    )
    (folder / f"{pending.token}.upload").write_bytes(data)
    (folder / f"{pending.token}.json").write_text(json.dumps(asdict(pending), ensure_ascii=False), encoding="utf-8")
    return pending


def load_pending(folder: Path, token: str | None, user_id: int | None) -> PendingUpload | None:
    """The upload kept under ``token`` for this user; ``None`` when gone or someone else's."""
    if not token or not TOKEN_PATTERN.fullmatch(token):
        return None
    summary = folder / f"{token}.json"
    if not summary.exists() or not (folder / f"{token}.upload").exists():
        return None
    pending = PendingUpload(**json.loads(summary.read_text(encoding="utf-8")))
    return pending if pending.user_id == user_id else None


def pending_bytes(folder: Path, pending: PendingUpload) -> bytes:
    """The uploaded file itself, read again for the confirm."""
    return (folder / f"{pending.token}.upload").read_bytes()


def discard_pending(folder: Path, token: str | None) -> None:
    """Delete an upload and its preview (after the confirm, or when the organizer cancels)."""
    if token and TOKEN_PATTERN.fullmatch(token):
        for suffix in (".json", ".upload"):
            (folder / f"{token}{suffix}").unlink(missing_ok=True)


def purge_stale(folder: Path, max_age: float = MAX_AGE_SECONDS) -> None:
    """Delete uploads that no one confirmed within ``max_age`` seconds."""
    cutoff = time.time() - max_age
    for path in folder.glob("*.*"):
        if path.suffix in {".json", ".upload"} and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
