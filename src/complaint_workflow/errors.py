"""The library's exceptions: one root, a few subclasses a caller would catch apart.

Every message says what was wrong and what would be right. None ever carries complaint
text or personal details: only identifiers, field names and dates.
"""

from __future__ import annotations

__all__ = [
    "CalendarDataError",
    "CalendarRangeError",
    "ComplaintWorkflowError",
    "EventRejected",
    "InvalidInputError",
    "MissingDependencyError",
    "NaiveDatetimeError",
    "PolicyError",
    "RouteDefinitionError",
]


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


class PolicyError(ComplaintWorkflowError, ValueError):
    """A policy (a TOML file or an ``evolve``) is not valid.

    The message names the file, the key and what was expected; fix that key.
    """


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
