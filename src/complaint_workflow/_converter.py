"""The library's one cattrs converter, built on first use (cattrs is imported only then).

Two readers share it. ``history.py`` structures events from JSON with the strict hooks
below: nothing is coerced (``"false"`` is not a bool, ``2.7`` is not a count) and each hook
checks only the JSON type, the event's attrs validators then checking the value.
``policy.py`` registers hooks for ``Policy``, ``Target`` and ``Parameters`` on it (TOML
files): those pass every value through untouched, so a policy's attrs validators are the
only checks of its fields.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final, Literal

from .errors import InvalidInputError, InvalidValueError, NaiveDatetimeError, bounded_repr

if TYPE_CHECKING:
    import cattrs

__all__ = ["converter", "json_type"]

_CONVERTER: cattrs.Converter | None = None
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def converter() -> cattrs.Converter:
    """The one converter: events, obligations and reports to JSON and (events) back."""
    global _CONVERTER
    if _CONVERTER is None:
        import cattrs

        built = cattrs.Converter(forbid_extra_keys=True)
        built.register_unstructure_hook(datetime, datetime.isoformat)
        built.register_unstructure_hook(date, date.isoformat)
        # Structuring never coerces: each hook checks the JSON type and returns the value as
        # is; the attrs validators of the event then check the value itself.
        built.register_structure_hook(str, _strict(str, "a string"))
        built.register_structure_hook(int, _strict(int, "a whole number"))
        built.register_structure_hook(bool, _strict(bool, "true or false"))
        built.register_structure_hook(datetime, _structure_instant)
        built.register_structure_hook(date, _structure_date)
        built.register_structure_hook_func(_is_tuple, _structure_aspects)
        built.register_structure_hook_func(_is_literal, lambda v, t: v)
        _CONVERTER = built
    return _CONVERTER


def json_type(value: object) -> str:
    """What kind of JSON value this is, in words (``a string``, ``null``), for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _strict(kind: type, expected: str) -> Any:
    def hook(value: Any, _: Any) -> Any:
        if value.__class__ is not kind:
            raise InvalidInputError(f"must be {expected} (got {json_type(value)})")
        return value

    return hook


def _structure_instant(value: Any, _: Any) -> datetime:
    if value.__class__ is not str or len(value) > 64:
        raise InvalidInputError(
            f"must be an ISO 8601 time with a UTC offset as a string (got {json_type(value)})"
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidValueError(
            f"must be an ISO 8601 time with a UTC offset (got {bounded_repr(value)})"
        ) from None
    if parsed.tzinfo is None:
        raise NaiveDatetimeError(
            f"must carry a UTC offset, e.g. 2024-06-12T10:00:00+01:00 (got {bounded_repr(value)})"
        )
    return parsed


def _structure_date(value: Any, _: Any) -> date:
    if value.__class__ is not str:
        raise InvalidInputError(f"must be a date as YYYY-MM-DD (got {json_type(value)})")
    try:
        if _DATE.fullmatch(value) is None:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidValueError(
            f"must be a date as YYYY-MM-DD (got {bounded_repr(value)})"
        ) from None


def _structure_aspects(value: Any, _: Any) -> tuple[Any, ...]:
    if value.__class__ is not list:
        raise InvalidInputError(f"must be a list of aspects (got {json_type(value)})")
    return tuple(value)  # each aspect is checked by the event's validator


def _is_tuple(kind: Any) -> bool:
    # Among the events only Assessed.aspects is one; the policy classes' tuples have their
    # own hooks (policy.py), which take precedence for those classes' fields.
    return getattr(kind, "__origin__", None) is tuple


def _is_literal(kind: Any) -> bool:
    return getattr(kind, "__origin__", None) is Literal
