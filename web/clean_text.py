"""Cleaning free text where it enters the platform, so that no stored text can break a page or a file.

A lone surrogate (``"\\ud800"``, which JSON can carry but UTF-8 cannot encode) made every page
of a contest answer 500; a control character in a team name broke results.xlsx; a line break
in a bank name broke the ``Content-Disposition`` of its exports. So every text that a person
types or a file brings is cleaned before anything reads it:

* lone surrogates and control characters (C0 but tab and line breaks, DEL, C1, the zero-width
  and bidirectional format characters) are removed;
* line breaks become ``\\n`` in multi-line text (a question's stem, its explanation, pasted
  questions, a pasted team list, a preliminary's strata, a contest's subtitle lines) and one space in a single line (every name: contest, team, bank, category …).

:class:`CleanRequest` applies this to every form field and query parameter of every request
(:data:`MULTILINE_FIELDS` keep their line breaks); JSON that a client or a file sends is cleaned
or refused where it is read (``safe_json``, ``live.payloads``, ``results.eventlog``).
"""
import re

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

SURROGATE_CHARACTERS = "\ud800-\udfff"
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
LONE_SURROGATES = re.compile(f"[{SURROGATE_CHARACTERS}]")
CONTROLS = re.compile(f"[{CONTROL_CHARACTERS}]")
LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
TO_CLEAN = re.compile(f"[{SURROGATE_CHARACTERS}{CONTROL_CHARACTERS}\r\x85\u2028\u2029]")
"""Anything :func:`clean_text` would change: one search tells most text is clean already."""
SPACES = re.compile(r"[\t ]*\n[\t ]*|\t")

MULTILINE_FIELDS = frozenset({"stem", "explanation", "answer", "roster", "text", "strata", "subtitle"})
"""Form fields whose text may hold line breaks; every other field is one line."""

SECRET_FIELD_MARK = "password"
"""Fields whose name holds this are secrets, compared and never shown: left exactly as typed."""


def clean_text(text: str) -> str:
    """Multi-line text without lone surrogates or control characters, every line break a ``\\n``."""
    if not TO_CLEAN.search(text):
        return text
    return LINE_BREAKS.sub("\n", CONTROLS.sub("", LONE_SURROGATES.sub("", text)))


def clean_line(text: str) -> str:
    """One line of text: cleaned as :func:`clean_text`, line breaks and tabs become one space."""
    return SPACES.sub(" ", clean_text(text))


def is_clean(text: str, multiline: bool = True) -> bool:
    """Whether ``text`` holds no lone surrogate and no control character (and, for one line, no line break or tab)."""
    if LONE_SURROGATES.search(text) or CONTROLS.search(text):
        return False
    return multiline or not (LINE_BREAKS.search(text) or "\t" in text)


def clean_field(name: str, value):
    """A form field's value, cleaned by whether the field is multi-line; files and the like unchanged."""
    if not isinstance(value, str) or SECRET_FIELD_MARK in name:
        return value
    return clean_text(value) if name in MULTILINE_FIELDS else clean_line(value)


class CleanedFields(ImmutableMultiDict):
    """The form fields or query parameters of a request, each value cleaned as it is read."""

    def __init__(self, mapping=None):
        pairs = MultiDict(mapping).items(multi=True) if mapping is not None else ()
        super().__init__([(key, clean_field(key, value)) for key, value in pairs])


class CleanRequest(Request):
    """Flask's request, whose ``form`` and ``args`` hold cleaned text."""

    parameter_storage_class = CleanedFields
