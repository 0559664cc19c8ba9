"""What the service's routes share: the store calls, the clock, query parameters, rows."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Final, TypeVar

import anyio
import anyio.to_thread
import attrs
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..calendar import WorkingDayCalendar, as_london
from ..complaint import Complaint
from ..errors import ComplaintNotFound
from ..obligations import STATUSES
from ..policy import Policy
from .auth import TokenAuth
from .models import in_span

__all__ = [
    "Invalid",
    "PageLogin",
    "Service",
    "parse_day",
    "parse_instant",
    "policy_of",
    "row_to_dict",
    "statuses_of",
]

_WORKLIST_DAYS: Final = 7
_T = TypeVar("_T")


class PageLogin(Exception):
    """A page was asked for without a session: answer with the login form (401)."""

    def __init__(self, message: str = "") -> None:
        self.message = message


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_to_dict(row: object) -> dict[str, object]:
    """A store row (with ``to_dict``, an attrs value or a mapping) as JSON-ready fields."""
    to_dict = getattr(row, "to_dict", None)
    if callable(to_dict):
        data = to_dict()
    elif attrs.has(type(row)):
        data = attrs.asdict(row, recurse=False)  # type: ignore[arg-type]
    elif isinstance(row, Mapping):
        data = dict(row)
    elif hasattr(row, "_asdict"):
        data = row._asdict()
    else:
        data = {k: v for k, v in vars(row).items() if not k.startswith("_")}
    return {str(k): _json_value(v) for k, v in data.items()}


def parse_instant(text: str | None, name: str) -> datetime | None:
    """A query parameter as an aware instant within the calendar's years (``None`` if empty)."""
    if text is None or text == "":
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{name} must be an ISO 8601 date-time with a UTC offset") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise Invalid(f"{name} must include a UTC offset, e.g. 2024-06-12T10:00:00+01:00")
    try:
        in_span(value)
    except ValueError as exc:
        raise Invalid(f"{name} {exc}") from None
    return value


def parse_day(text: str | None, name: str) -> date | None:
    """A query parameter as a date, or an instant taken as its London date."""
    if text is None or text == "":
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        try:
            return in_span(day)
        except ValueError as exc:
            raise Invalid(f"{name} {exc}") from None
    instant = parse_instant(text, name)
    return None if instant is None else as_london(instant).date()


class Invalid(Exception):
    """A query parameter the service refuses: answered 422 (or an error page)."""

    def __init__(self, detail: str) -> None:
        self.detail = detail


@attrs.define
class Service:
    """What the routes share: the store, the token check, the clock and the calendar."""

    store: Any
    auth: TokenAuth
    now: Callable[[], datetime]
    calendar: WorkingDayCalendar
    _limiter: anyio.CapacityLimiter | None = None

    async def call(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run one store call off the event loop, one at a time (the store need not be
        thread-safe, only usable from a worker thread)."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(1)
        return await anyio.to_thread.run_sync(
            functools.partial(fn, *args, **kwargs), limiter=self._limiter
        )

    async def load(self, complaint_id: str) -> Complaint:
        """The stored complaint, or a 404."""
        try:
            complaint: Complaint = await self.call(self.store.get, complaint_id)
        except ComplaintNotFound:
            raise StarletteHTTPException(404, f"no complaint {complaint_id!r}") from None
        return complaint

    def horizon(self, at: datetime) -> date:
        """The worklist's default ``until``: 7 working days after ``at``'s date."""
        return self.calendar.add_working_days(as_london(at).date(), _WORKLIST_DAYS)

    async def worklist(
        self,
        at: datetime,
        until: date,
        statuses: tuple[str, ...] | None = None,
        policy: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, object]]:
        """The store's worklist rows as JSON-ready dicts."""
        rows = await self.call(
            self.store.worklist, at=at, until=until, statuses=statuses, policy=policy, limit=limit
        )
        return [row_to_dict(r) for r in rows]


def statuses_of(values: list[str] | None) -> tuple[str, ...] | None:
    """Checked status filters (``None``: all)."""
    if not values:
        return None
    if any(v not in STATUSES for v in values):
        raise Invalid(f"status must be one of {', '.join(STATUSES)}")
    return tuple(values)


def policy_of(value: str | None) -> str | None:
    """A checked policy filter (``None``: all)."""
    if value and value not in Policy.builtin_ids():
        raise Invalid(f"policy must be one of {', '.join(Policy.builtin_ids())}")
    return value or None
