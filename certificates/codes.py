"""Verification codes: random, unguessable, easy to read aloud and to type. Pure.

A code is :data:`LENGTH` characters from a 31-letter alphabet without look-alikes (no 0/O, 1/I/L),
that is 79 random bits: with a few hundred certificates issued, a guesser needs about 2⁷⁰ tries
for one hit, so /verify needs no secret beyond the code itself. It is shown in groups of four;
typing it back in lower case, with spaces or without the dashes finds the same certificate.
"""
import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 16
GROUP = 4


def new_code() -> str:
    """A fresh code, as printed: ``ABCD-EFGH-JKMN-PQRS``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i:i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(text: str) -> str | None:
    """What someone typed, as a stored code; None when it cannot be one (wrong length or letters)."""
    raw = re.sub(r"[\s\-–—_]", "", (text or "")).upper()
    if len(raw) != LENGTH or any(char not in ALPHABET for char in raw):
        return None
    return "-".join(raw[i:i + GROUP] for i in range(0, LENGTH, GROUP))
