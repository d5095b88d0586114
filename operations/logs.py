"""Structured logs: one line per record, ``key=value`` (or JSON with ``LOG_FORMAT=json``), naming the
contest or preliminary round the record concerns, so one contest's lines can be found among many
processes' (``grep contest=12``).

A record names its contest in one of three ways: given with the call
(``logger.warning(..., extra={"contest_id": 12})``), from the page's URL (``/contests/12/…``), or
from :func:`about_contest` around the handling of a Socket.IO event.
"""
import contextvars
import json
import logging
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from flask import Flask, has_request_context, request
from flask.logging import default_handler

_CONTEST = contextvars.ContextVar("contest_in_logs", default=None)
CONTEXT_KEYS = {"contest_id": "contest", "round_id": "round"}
"""Where a record's context is found (attribute or URL part) → its key in the line."""


@contextmanager
def about_contest(contest_id: int | None) -> Iterator[None]:
    """Records logged inside name ``contest_id`` (a Socket.IO event, whose URL says nothing)."""
    token = _CONTEST.set(contest_id)
    try:
        yield
    finally:
        _CONTEST.reset(token)


class ContextFilter(logging.Filter):
    """Puts on each record the contest (and preliminary round) it concerns, where one is known."""

    def filter(self, record: logging.LogRecord) -> bool:
        url_parts = (request.view_args or {}) if has_request_context() else {}
        for attribute in CONTEXT_KEYS:
            if getattr(record, attribute, None) is None:
                setattr(record, attribute, url_parts.get(attribute))
        if record.contest_id is None:
            record.contest_id = _CONTEST.get()
        return True


class LineFormatter(logging.Formatter):
    """A record as one line: time, level, logger, context, message (and exception, escaped into it)."""

    def __init__(self, as_json: bool = False) -> None:
        super().__init__()
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        fields = {"ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                  "level": record.levelname.lower(), "logger": record.name}
        fields.update({key: getattr(record, attribute) for attribute, key in CONTEXT_KEYS.items()
                       if getattr(record, attribute, None) is not None})
        fields["msg"] = record.getMessage()
        if record.exc_info:
            fields["exc"] = self.formatException(record.exc_info)
        if self.as_json:
            return json.dumps(fields, ensure_ascii=False)
        return " ".join(f"{key}={_value(value)}" for key, value in fields.items())


def _value(value: object) -> str:
    """A value as ``key=value`` shows it: bare when it is one word, else quoted with its newlines escaped."""
    text = str(value)
    if text and not any(character in text for character in ' ="\n\r\t\\'):
        return text
    return json.dumps(text, ensure_ascii=False)


def configure(app: Flask) -> None:
    """Send the records of the app and of the libraries to standard error, one line each.

    The app's own records from ``LOG_LEVEL`` up (default INFO), the libraries' from WARNING. Done
    once per process: tests create many apps.
    """
    root = logging.getLogger()
    if not any(isinstance(handler.formatter, LineFormatter) for handler in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(LineFormatter(as_json=app.config["LOG_FORMAT"] == "json"))
        handler.addFilter(ContextFilter())
        root.addHandler(handler)
    app.logger.removeHandler(default_handler)  # Flask's own, which would print each record a second time
    app.logger.setLevel(app.config["LOG_LEVEL"])
