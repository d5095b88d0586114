"""Reading JSON that a person or a file sends, refusing with a Chinese sentence what would break later.

Python's ``json.loads`` raises ``RecursionError`` on JSON nested thousands deep and a plain
``ValueError`` on a number of more than 4,300 digits; neither is a ``JSONDecodeError``, so both
reached the pages as a 500. It also accepts ``NaN`` and ``Infinity``, and numbers no column can
hold. :func:`loads` turns each of these into a :class:`JsonInputError` that says what is wrong.
"""
import json

MAX_INTEGER_DIGITS = 18
"""Whole numbers up to 18 digits (a 64-bit column holds 19); more is no score, time or number here."""


class JsonInputError(ValueError):
    """The text is not JSON this platform reads; the message says why, in Chinese."""


def _integer(text: str) -> int:
    """A JSON whole number, refused when longer than MAX_INTEGER_DIGITS digits."""
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise JsonInputError(f"数字过大（{len(text)} 位，最多 {MAX_INTEGER_DIGITS} 位）")
    return int(text)


def _number(text: str) -> float:
    """A JSON number with a fraction or exponent, refused when it is beyond a float's range."""
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise JsonInputError(f"数字超出范围：{text[:20]}")
    return value


def _constant(text: str):
    """``NaN``, ``Infinity`` and ``-Infinity`` are not JSON: refused."""
    raise JsonInputError(f"不支持的数值：{text}")


def loads(text: str) -> object:
    """The JSON document of ``text``; :class:`JsonInputError` when it cannot or must not be read."""
    try:
        return json.loads(text, parse_int=_integer, parse_float=_number, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise JsonInputError(f"JSON 格式有误（第 {error.lineno} 行第 {error.colno} 列）：{error.msg}") from None
    except RecursionError:
        raise JsonInputError("JSON 嵌套层数过多，无法读取") from None
