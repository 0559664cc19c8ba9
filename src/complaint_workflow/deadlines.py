"""Deadlines for given facts, without a history: what the ``deadlines`` command prints.

:func:`deadlines` opens a complaint from the facts (so every fact is validated exactly as
``Complaint.open`` validates it), assumes the triage route and the assessed aspects you name,
and lists the obligations at an instant (default: the receipt instant).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import attrs

from .calendar import WorkingDayCalendar, as_london
from .complaint import Complaint
from .errors import InvalidInputError
from .events import Aspect, ComplainantKind
from .obligations import Obligation, derive_obligations
from .policy import ASPECTS, Policy
from .situation import Eligibility

__all__ = ["DeadlineReport", "deadlines"]


@attrs.frozen
class DeadlineReport:
    """Day 0, the gate, the six-month limit and the obligations for one set of facts."""

    deemed_receipt: date
    eligibility: Eligibility
    six_month_limit: date | None
    obligations: tuple[Obligation, ...]

    def to_dict(self) -> dict[str, object]:
        """The JSON object printed by ``complaint-workflow deadlines --json``."""
        from .history import unstructure  # the library's one JSON codec

        data: dict[str, object] = unstructure(self)
        return data


def deadlines(
    *,
    policy: Policy | str,
    received_at: datetime,
    complainant: ComplainantKind,
    route: str | None = None,
    hearing: date | None = None,
    involvement_ended: date | None = None,
    aspects: Iterable[Aspect] = (),
    at: datetime | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> DeadlineReport:
    """The obligations owed for these facts at ``at`` (default: the receipt instant).

    >>> from datetime import datetime
    >>> from complaint_workflow import LONDON
    >>> report = deadlines(policy="cafcass-web", complainant="adult", route="investigation",
    ...                    received_at=datetime(2024, 6, 12, 10, 0, tzinfo=LONDON))
    >>> [(o.id, o.due.isoformat()) for o in report.obligations]
    [('forward-to-cst', '2024-06-13'), ('contact', '2024-06-14'), ('investigation', '2024-07-10')]
    """
    if isinstance(aspects, str) or not isinstance(aspects, Iterable):
        raise InvalidInputError(f"aspects must be a list of aspects (got {type(aspects).__name__})")
    chosen = aspects_tuple = tuple(aspects)
    unknown = [a for a in chosen if a not in ASPECTS]
    if unknown:
        raise InvalidInputError(
            f"unknown aspect {unknown[0]!r}; expected one of {', '.join(ASPECTS)}"
        )
    if route not in (None, "early-resolution", "investigation"):
        raise InvalidInputError("route must be early-resolution or investigation")
    complaint = Complaint.open(
        complaint_id="deadlines",
        received_at=received_at,
        complainant=complainant,
        hearing=hearing,
        involvement_ended=involvement_ended,
        policy=policy,
        calendar=calendar,
    )
    instant = complaint.last_at if at is None else as_london(at, "at")
    if instant < complaint.last_at:
        raise InvalidInputError("at must not be before the complaint was received")
    situation = attrs.evolve(
        complaint.situation,
        triage=route,  # type: ignore[arg-type]
        aspects=aspects_tuple,
    )
    return DeadlineReport(
        deemed_receipt=complaint.deemed_receipt,
        eligibility=complaint.eligibility,
        six_month_limit=complaint.six_month_limit,
        obligations=derive_obligations(situation, complaint.policy, complaint.calendar, instant),
    )
