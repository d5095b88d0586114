"""JSON merge patches (RFC 7386): the changes of a view between two events.

A client keeps the last view it had and applies each patch to it; ``null`` removes a member,
so a client reads a removed member as absent (``== null`` in JavaScript covers both).
"""
from typing import Any


def diff(old: Any, new: Any) -> Any:
    """The merge patch that turns ``old`` into ``new``."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return new
    patch: dict[str, Any] = {key: None for key in old.keys() - new.keys()}
    for key, value in new.items():
        if key not in old:
            patch[key] = value
        elif old[key] != value:
            patch[key] = diff(old[key], value) if isinstance(value, dict) and isinstance(old[key], dict) else value
    return patch


def apply_patch(target: Any, patch: Any) -> Any:
    """Apply a merge patch (the same algorithm as static/js/live/merge_patch.js)."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply_patch(result.get(key), value)
    return result


def without_nulls(value: Any) -> Any:
    """``value`` as a client holds it after patches: members that are null are absent."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value
