"""The JSON shapes of the API (pydantic models, so that ``/api/openapi.json`` describes them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from ..calendar import WorkingDayCalendar
from ..events import EVENT_TYPES
from ..vocabulary import Channel, ComplainantKind, ObligationStatus, Strength

__all__ = [
    "ID_PATTERN",
    "ComplaintOut",
    "Day",
    "ErrorOut",
    "EventIn",
    "Instant",
    "ObligationOut",
    "OpenIn",
    "PersonalIn",
    "RowOut",
]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$"
"""A complaint id the service accepts: it must fit in a URL path segment as it is."""

if TYPE_CHECKING:
    EventType = str
else:
    EventType = Literal[tuple(n for n in EVENT_TYPES if n != "complaint-opened")]
"""The type names of the events a complaint accepts (to open one, POST /api/complaints)."""


def in_span(value: date) -> date:
    """Refuse a date (or instant) outside the default calendar's years (2000-2060 today)."""
    calendar = WorkingDayCalendar.england_and_wales()
    if not calendar.first_year <= value.year <= calendar.last_year:
        raise ValueError(
            f"must be within {calendar.first_year}-{calendar.last_year}, the calendar's years"
        )
    return value


Instant = Annotated[AwareDatetime, AfterValidator(in_span)]
"""An aware date-time within the calendar's years."""
Day = Annotated[date, AfterValidator(in_span)]
"""A date within the calendar's years."""


class PersonalIn(BaseModel):
    """The complainant's personal details: accepted on opening, never returned, never logged."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=500)
    contact: str = Field(default="", max_length=500)
    text: str = Field(default="", max_length=20_000)


class OpenIn(BaseModel):
    """The facts of ``Complaint.open``, and optional personal details."""

    model_config = ConfigDict(extra="forbid")

    complaint_id: str = Field(pattern=ID_PATTERN)
    complainant: ComplainantKind
    received_at: Instant
    policy: str = Field(default="cafcass-web", description="a built-in policy id")
    channel: Channel = "email"
    case_ongoing: bool | None = None
    involvement_ended: Day | None = None
    hearing: Day | None = None
    staff_named: int = Field(default=0, ge=0, le=10_000)
    linked_to: str | None = Field(default=None, pattern=ID_PATTERN)
    personal: PersonalIn | None = None


class EventIn(BaseModel):
    """An event in the JSON format of the histories, with the version the sender last saw.

    Any further field is the event's own (e.g. ``route`` of ``triaged``, ``hearing`` of
    ``hearing-listed``), exactly as in a JSON history.
    """

    model_config = ConfigDict(extra="allow")

    type: EventType
    at: Instant
    expected_version: int = Field(ge=1, le=1_000_000)
    event_id: str | None = Field(default=None, max_length=200)


class ObligationOut(BaseModel):
    """One obligation at the instant asked."""

    id: str
    due: date
    status: ObligationStatus
    strength: Strength
    clause: str
    description: str
    met_at: datetime | None
    extended_from: date | None
    overdue: bool


class ComplaintOut(BaseModel):
    """A complaint: where it stands, and its obligations at ``at``. Never personal details."""

    id: str
    version: int
    state: str
    states: dict[str, str]
    policy: str
    eligibility: str
    finished: bool
    deemed_receipt: date
    hearing: date | None
    at: datetime
    obligations: list[ObligationOut]
    events: list[dict[str, Any]]


class RowOut(BaseModel):
    """A row of the store's worklist or change feed."""

    model_config = ConfigDict(extra="allow")

    complaint_id: str
    id: str
    due: date
    status: str
    strength: str
    clause: str


class ErrorOut(BaseModel):
    """Every error: a short code, a sentence, and for a refused event its reason."""

    error: str
    detail: str
    reason: str | None = None
