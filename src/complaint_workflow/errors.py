"""The library's exceptions: one root, a few subclasses a caller would catch apart.

Every message says what was wrong and what would be right. None ever carries complaint
text or personal details: only identifiers, field names and dates.
"""

from __future__ import annotations

__all__ = [
    "CalendarDataError",
    "CalendarRangeError",
    "ComplaintNotFound",
    "ComplaintWorkflowError",
    "ConcurrencyError",
    "DuplicateComplaintError",
    "EventRejected",
    "HistoryError",
    "InvalidInputError",
    "InvalidValueError",
    "MissingDependencyError",
    "NaiveDatetimeError",
    "PinnedPolicyError",
    "PolicyError",
    "RouteDefinitionError",
    "StoreError",
    "bounded_repr",
]

_QUOTED = 80


def bounded_repr(value: object, limit: int = _QUOTED) -> str:
    """``repr(value)`` cut to at most ``limit`` characters, safe on huge or deep values.

    Used to quote an offending value in a message without ever echoing a megabyte (or a
    structure deep enough to exhaust the recursion limit). Only ever used on identifiers and
    choices, never on personal details.
    """
    if isinstance(value, str | bytes | int | float | bool | type(None)):
        if isinstance(value, str | bytes) and len(value) > limit:
            value = value[:limit]
            return repr(value)[: limit - 3] + "..."
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
            return "a very large integer"
        text = repr(value)
    else:
        import reprlib

        short = reprlib.Repr()
        short.maxlevel = 2
        short.maxstring = short.maxother = limit
        try:
            text = short.repr(value)
        except Exception:  # a hostile __repr__
            text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ComplaintWorkflowError(Exception):
    """Root of every error this library raises on purpose.

    Catch this to handle any bad input to ``complaint_workflow`` in one place.
    """


class CalendarRangeError(ComplaintWorkflowError, ValueError):
    """A date fell outside the span of years a calendar was built for.

    Build a calendar over a wider span (``WorkingDayCalendar(..., first_year=..., last_year=...)``)
    or check the dates you pass in.
    """


class CalendarDataError(ComplaintWorkflowError, ValueError):
    """A bank-holiday source (GOV.UK JSON or a snapshot) could not be read.

    Pass GOV.UK's ``bank-holidays.json`` (or its ``england-and-wales`` division) as a path or
    as the parsed mapping.
    """


class NaiveDatetimeError(ComplaintWorkflowError, ValueError):
    """A datetime without a timezone was given where an instant is needed.

    Pass an aware datetime, e.g. ``datetime(2024, 5, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))``.
    """


class InvalidInputError(ComplaintWorkflowError, TypeError):
    """An argument had the wrong type or an unknown value.

    The message names the argument and what it must be.
    """


class InvalidValueError(ComplaintWorkflowError, ValueError):
    """A value of the right type that is not allowed: an unknown word, out of range, too long.

    The message names the field, what it must be, and quotes at most 80 characters of what
    came (never personal details).
    """


class HistoryError(ComplaintWorkflowError, ValueError):
    """A JSON history could not be read: not JSON, the wrong shape, too large or too deep.

    The message names the place in the document (``events[3].at``) and what was expected;
    ``docs/json.md`` describes the format.
    """


class PolicyError(ComplaintWorkflowError, ValueError):
    """A policy (a TOML file or an ``evolve``) is not valid.

    The message names the file, the key and what was expected; fix that key. When one field
    was refused, ``field`` names it (in a file: its path, such as ``targets[3].working_days``),
    ``expected`` says what it must be and ``got`` quotes, shortened, what came; they are
    ``None`` for problems of the file as a whole (not TOML, too large, an unreadable path).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        expected: str | None = None,
        got: str | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.expected = expected
        self.got = got


class RouteDefinitionError(ComplaintWorkflowError, ValueError):
    """A route's declaration is structurally wrong (raised when it is declared, never later).

    The message names the route and the offending states, transitions or guards; fix the
    declaration (every state named must be declared, one initial state, nothing leaves a final
    state, every state reachable and able to reach a final state).
    """


class EventRejected(ComplaintWorkflowError, ValueError):
    """An event cannot be applied to a complaint; the complaint is unchanged.

    ``state`` is where the complaint was, ``event`` the event's type name and ``reason`` why
    it was refused. Apply an event allowed in that state, in order, with an aware timestamp.
    """

    def __init__(self, state: str, event: str, reason: str) -> None:
        self.state = state
        self.event = event
        self.reason = reason
        super().__init__(f"{event} rejected in state {state!r}: {reason}")

    def __reduce__(self) -> tuple[type[EventRejected], tuple[str, str, str]]:
        return (type(self), (self.state, self.event, self.reason))


class MissingDependencyError(ComplaintWorkflowError, ImportError):
    """An optional package needed for this call is not installed.

    The message names the package and the ``pip install`` command (an extra of
    ``complaint-workflow``) that brings it.
    """


class PinnedPolicyError(PolicyError):
    """A history pins a built-in policy whose content differs from the one shipped now.

    The release changed the built-in since the history was written, so replaying it under the
    shipped policy would re-time the complaint. Read it with
    ``Complaint.from_json(text, retime=True)`` to re-time it deliberately under the current
    built-in; the default keeps the stored deadlines by refusing.
    """


class DuplicateComplaintError(ComplaintWorkflowError, ValueError):
    """A complaint with this id is already stored; nothing was written.

    ``complaint_id`` names it. Append events to the stored one instead of adding it again.
    """

    def __init__(self, complaint_id: str) -> None:
        self.complaint_id = complaint_id
        super().__init__(f"complaint {complaint_id!r} is already stored")

    def __reduce__(self) -> tuple[type[DuplicateComplaintError], tuple[str]]:
        return (type(self), (self.complaint_id,))


class ComplaintNotFound(ComplaintWorkflowError, KeyError):
    """No complaint with this id is stored (or it had not been received by the instant asked).

    Also a ``KeyError``, so ``except KeyError`` works as for a mapping.
    """

    def __init__(self, complaint_id: str, detail: str = "is not stored") -> None:
        self.complaint_id = complaint_id
        self.detail = detail
        super().__init__(complaint_id)

    def __str__(self) -> str:  # KeyError would print the repr of its argument
        return f"complaint {self.complaint_id!r} {self.detail}"

    def __reduce__(self) -> tuple[type[ComplaintNotFound], tuple[str, str]]:
        return (type(self), (self.complaint_id, self.detail))


class ConcurrencyError(ComplaintWorkflowError, RuntimeError):
    """Another writer changed the complaint first: its version is not the one expected.

    Nothing was written. Read the complaint again (``store.get``), decide again, and append
    with the new ``expected_version``.
    """

    def __init__(self, complaint_id: str, expected: int, actual: int | None) -> None:
        self.complaint_id = complaint_id
        self.expected = expected
        self.actual = actual
        now = "another writer got there first" if actual is None else f"it is at {actual}"
        super().__init__(
            f"complaint {complaint_id!r} is not at version {expected}: {now}; "
            "read it again and retry"
        )

    def __reduce__(self) -> tuple[type[ConcurrencyError], tuple[str, int, int | None]]:
        return (type(self), (self.complaint_id, self.expected, self.actual))


class StoreError(ComplaintWorkflowError, RuntimeError):
    """The store cannot do what was asked: the database is unreachable, written by a newer
    version of this library, or a driver is missing. The message says which, and what to do."""
