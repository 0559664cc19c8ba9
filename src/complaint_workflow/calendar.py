"""Working days in England and Wales, from a precomputed table.

A :class:`WorkingDayCalendar` holds the non-working days (weekends, bank holidays and any
closures a caller adds) over an explicit span of years, and answers every question with one
or two list look-ups into a prefix count of working days. Outside the span it raises
:class:`~complaint_workflow.errors.CalendarRangeError` instead of guessing.

The default, :meth:`WorkingDayCalendar.england_and_wales`, reads a committed snapshot: GOV.UK's
``england-and-wales`` list where GOV.UK covers a year and
``holidays.country_holidays("GB", subdiv="ENG")`` beyond it
(``scripts/generate_calendar_snapshot.py`` writes it; a test checks it is current). Never call
``holidays`` without ``subdiv``: it then silently drops Easter Monday and the August bank
holiday.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import attrs

from .errors import (
    CalendarDataError,
    CalendarRangeError,
    InvalidInputError,
    InvalidValueError,
    MissingDependencyError,
    NaiveDatetimeError,
)

__all__ = [
    "LONDON",
    "WorkingDayCalendar",
    "as_london",
    "end_of_day",
    "load_govuk_bank_holidays",
]

LONDON: Final = ZoneInfo("Europe/London")
"""The procedure's timezone: every deadline is a date in Europe/London."""

GOVUK_DIVISION: Final = "england-and-wales"
FULL_YEAR_HOLIDAYS: Final = 8
"""England and Wales have at least 8 bank holidays every year; a GOV.UK file holding fewer
for a year covers only part of it (e.g. a newly announced one-off day alone)."""
MAX_GOVUK_BYTES: Final = 16 * 1024 * 1024
_SNAPSHOT: Final = "england-and-wales.json"
_SATURDAY: Final = 5


def _require_date(value: object, name: str) -> date:
    # datetime is a subclass of date; a datetime here is nearly always a mistake (which zone?).
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInputError(f"{name} must be a datetime.date (got {type(value).__name__})")
    return value


def as_london(instant: datetime, name: str = "instant") -> datetime:
    """Return ``instant`` in Europe/London; reject naive datetimes and non-datetimes."""
    if not isinstance(instant, datetime):
        raise InvalidInputError(
            f"{name} must be an aware datetime.datetime (got {type(instant).__name__})"
        )
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{name} is a naive datetime; pass an aware one (e.g. with tzinfo=Europe/London)"
        )
    try:
        return instant.astimezone(LONDON)
    except OverflowError:  # within a day of year 1 or 9999
        raise InvalidValueError(
            f"{name} {instant.isoformat()} is too close to the limits of datetime to convert "
            "to Europe/London"
        ) from None


@functools.lru_cache(maxsize=4096)
def end_of_day(d: date) -> datetime:
    """The first instant after the end of ``d`` in Europe/London (midnight starting ``d + 1``).

    A deadline that is a date is met by anything strictly before this instant. Kept for the
    last few thousand days asked (due dates repeat across complaints; a datetime is immutable).
    """
    return datetime.combine(d + timedelta(days=1), time(0), tzinfo=LONDON)


def load_govuk_bank_holidays(
    source: str | os.PathLike[str] | Mapping[str, Any], division: str = GOVUK_DIVISION
) -> dict[date, str]:
    """Read GOV.UK's bank-holidays JSON and return ``{date: title}`` for one division.

    ``source`` is a path to ``bank-holidays.json`` (as served by GOV.UK), or the parsed
    document, or just its division object (``{"division": ..., "events": [...]}``).
    """
    where = "the GOV.UK bank-holidays data"
    if isinstance(source, str | os.PathLike):
        where = str(os.fspath(source))
        if len(where) > 200:
            where = where[:197] + "..."
        document: Any = _read_json_file(source, where)
    elif isinstance(source, Mapping):
        document = source
    else:
        raise CalendarDataError(
            f"expected a path to GOV.UK's bank-holidays.json or its parsed mapping "
            f"(got {type(source).__name__})"
        )
    if not isinstance(division, str):
        raise CalendarDataError(f"division must be a str (got {type(division).__name__})")
    if isinstance(document, Mapping) and division in document:
        document = document[division]
    if not isinstance(document, Mapping) or not isinstance(document.get("events"), list):
        raise CalendarDataError(
            f"{where}: expected an object with a {division!r} division holding an 'events' list"
        )
    out: dict[date, str] = {}
    for i, event in enumerate(document["events"]):
        raw_day = event.get("date") if isinstance(event, Mapping) else None
        title = event.get("title", "") if isinstance(event, Mapping) else None
        try:
            if not isinstance(raw_day, str) or _ISO_DATE.fullmatch(raw_day) is None:
                raise ValueError
            day = date.fromisoformat(raw_day)
        except ValueError:
            raise CalendarDataError(
                f"{where}: events[{i}] must have a 'date' as YYYY-MM-DD and a 'title'"
            ) from None
        if not isinstance(title, str) or len(title) > 200:
            raise CalendarDataError(f"{where}: events[{i}].title must be a string (at most 200)")
        out[day] = title
    return out


_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _read_json_file(source: str | os.PathLike[str], where: str) -> Any:
    """A JSON file's document; a FIFO, device or directory is refused before it is read."""
    try:
        info = os.stat(source)
    except (OSError, ValueError) as exc:
        raise CalendarDataError(
            f"{where}: cannot read it ({type(exc).__name__}); expected GOV.UK's bank-holidays.json"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise CalendarDataError(f"{where}: not a regular file (a FIFO, device or directory?)")
    if info.st_size > MAX_GOVUK_BYTES:
        raise CalendarDataError(f"{where}: larger than {MAX_GOVUK_BYTES} bytes")
    try:
        with open(source, encoding="utf-8") as fh:
            return json.loads(fh.read(MAX_GOVUK_BYTES + 1))
    except (OSError, ValueError, RecursionError) as exc:
        raise CalendarDataError(
            f"{where}: cannot read it as JSON ({type(exc).__name__}); expected GOV.UK's "
            "bank-holidays.json"
        ) from None


def _years_held(days: Mapping[date, str]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for d in days:
        counts[d.year] = counts.get(d.year, 0) + 1
    return counts


def _sorted_names(names: Mapping[date, str]) -> dict[date, str]:
    if not isinstance(names, Mapping):
        raise InvalidInputError(
            f"holidays must be a mapping of datetime.date to name (got {type(names).__name__})"
        )
    for d, name in names.items():
        _require_date(d, "a holiday")
        if not isinstance(name, str):
            raise InvalidInputError(f"a holiday's name must be a str (got {type(name).__name__})")
    return dict(sorted(names.items()))


def _frozen_dates(values: Iterable[date]) -> frozenset[date]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidInputError(
            f"expected an iterable of datetime.date (got {type(values).__name__})"
        )
    return frozenset(_require_date(v, "a calendar date") for v in values)


@attrs.frozen(repr=False)
class WorkingDayCalendar:
    """Working days over ``first_year``–``last_year``: not a weekend, holiday or closure.

    ``holidays`` maps each bank holiday to its name; ``closures`` are extra non-working days
    (an office closure); ``extra_working_days`` are days worked that would otherwise not be.
    Build variants with :meth:`with_closures`, :meth:`with_working_days` and
    :meth:`with_govuk_bank_holidays`; a calendar is an immutable value.

    >>> cal = WorkingDayCalendar.england_and_wales()
    >>> cal.add_working_days(date(2023, 12, 22), 1)  # Friday -> over Christmas
    datetime.date(2023, 12, 27)
    """

    holidays: Mapping[date, str] = attrs.field(converter=_sorted_names)
    first_year: int
    last_year: int
    closures: frozenset[date] = attrs.field(default=frozenset(), converter=_frozen_dates)
    extra_working_days: frozenset[date] = attrs.field(default=frozenset(), converter=_frozen_dates)
    # The table, derived from the fields above; excluded from equality and hashing.
    _origin: int = attrs.field(init=False, eq=False)
    _cum: list[int] = attrs.field(init=False, eq=False)
    _working: list[date] = attrs.field(init=False, eq=False)
    _flags: bytes = attrs.field(init=False, eq=False)
    _first_day: date = attrs.field(init=False, eq=False, repr=False)
    _last_day: date = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        for name in ("first_year", "last_year"):
            if type(getattr(self, name)) is not int:
                raise InvalidInputError(
                    f"{name} must be an int (got {type(getattr(self, name)).__name__})"
                )
        if not (1 <= self.first_year <= self.last_year <= 9998):
            raise InvalidInputError(
                f"the span must satisfy 1 <= first_year <= last_year <= 9998 "
                f"(got {self.first_year}-{self.last_year})"
            )
        for d in self.holidays:
            _require_date(d, "a holiday")
        origin = date(self.first_year, 1, 1).toordinal()
        end = date(self.last_year, 12, 31).toordinal()
        off = set(self.holidays) | self.closures
        extra = self.extra_working_days
        cum = [0]
        working: list[date] = []
        flags = bytearray()
        for ordinal in range(origin, end + 1):
            d = date.fromordinal(ordinal)
            works = d in extra or (d.weekday() < _SATURDAY and d not in off)
            flags.append(works)
            if works:
                working.append(d)
            cum.append(len(working))
        object.__setattr__(self, "_origin", origin)
        object.__setattr__(self, "_cum", cum)
        object.__setattr__(self, "_working", working)
        object.__setattr__(self, "_flags", bytes(flags))
        object.__setattr__(self, "_first_day", date.fromordinal(origin))
        object.__setattr__(self, "_last_day", date.fromordinal(end))

    def __hash__(self) -> int:
        return hash((frozenset(self.holidays), self.first_year, self.last_year, self.closures))

    def __repr__(self) -> str:
        return (
            f"WorkingDayCalendar({self.first_year}-{self.last_year}, "
            f"{len(self.holidays)} holidays, {len(self.closures)} closures, "
            f"{len(self.extra_working_days)} extra working days)"
        )

    # ----------------------------------------------------------------- construction

    @classmethod
    def england_and_wales(cls) -> WorkingDayCalendar:
        """The default calendar: England-and-Wales bank holidays from the bundled snapshot.

        GOV.UK's list for the years it covers, ``holidays`` (``subdiv="ENG"``) for the rest of
        the span. Built once, on first use, and shared.
        """
        return _default_calendar()

    @classmethod
    def from_holidays_package(cls, first_year: int, last_year: int) -> WorkingDayCalendar:
        """Build from ``holidays.country_holidays("GB", subdiv="ENG")`` directly.

        Needs the optional ``holidays`` package (``pip install 'complaint-workflow[holidays]'``);
        without it, raises :class:`~complaint_workflow.errors.MissingDependencyError`.
        """
        for name, year in (("first_year", first_year), ("last_year", last_year)):
            if type(year) is not int or not 1 <= year <= 9998:
                raise InvalidInputError(f"{name} must be an int from 1 to 9998")
        try:
            import holidays as holidays_package  # imported here: it costs ~50 ms
        except ImportError:
            raise MissingDependencyError(
                "WorkingDayCalendar.from_holidays_package needs the holidays package: "
                "pip install 'complaint-workflow[holidays]' (or pip install 'holidays>=0.60')"
            ) from None

        table = holidays_package.country_holidays(
            "GB", subdiv="ENG", years=range(first_year, last_year + 1)
        )
        return cls(
            {d: str(name) for d, name in table.items()},
            first_year=first_year,
            last_year=last_year,
        )

    @classmethod
    def from_govuk_json(
        cls,
        source: str | os.PathLike[str] | Mapping[str, Any],
        *,
        first_year: int | None = None,
        last_year: int | None = None,
    ) -> WorkingDayCalendar:
        """Build from GOV.UK's bank-holidays JSON alone (``england-and-wales``).

        The span defaults to the years the file covers; asking outside it raises
        :class:`CalendarRangeError`.
        """
        days = load_govuk_bank_holidays(source)
        if not days:
            raise CalendarDataError("the GOV.UK data holds no england-and-wales events")
        partial = sorted(y for y, n in _years_held(days).items() if n < FULL_YEAR_HOLIDAYS)
        if partial:
            raise CalendarDataError(
                f"the GOV.UK data holds only part of {partial[0]} (fewer than "
                f"{FULL_YEAR_HOLIDAYS} bank holidays); load it over a full calendar with "
                "WorkingDayCalendar.england_and_wales().with_govuk_bank_holidays(...), or add "
                "single days with with_closures([...])"
            )
        years = [d.year for d in days]
        return cls(
            days,
            first_year=min(years) if first_year is None else first_year,
            last_year=max(years) if last_year is None else last_year,
        )

    def with_govuk_bank_holidays(
        self, source: str | os.PathLike[str] | Mapping[str, Any]
    ) -> WorkingDayCalendar:
        """Return this calendar updated from a GOV.UK file: its years replaced or added to.

        For a year the file covers in full (at least :data:`FULL_YEAR_HOLIDAYS` days), its
        list replaces this calendar's, so a moved holiday moves. A year it covers only in part
        (a newly announced one-off day alone) is merged: the file's days are added and the
        year's other holidays stay. Years the file does not cover keep this calendar's
        holidays; closures and extra working days stay. Days outside the span are ignored.
        """
        days = load_govuk_bank_holidays(source)
        full = {y for y, n in _years_held(days).items() if n >= FULL_YEAR_HOLIDAYS}
        kept = {d: n for d, n in self.holidays.items() if d.year not in full}
        kept.update({d: n for d, n in days.items() if self.first_year <= d.year <= self.last_year})
        return attrs.evolve(self, holidays=kept)

    def with_closures(self, days: Iterable[date]) -> WorkingDayCalendar:
        """Return a calendar where ``days`` are also not working days (e.g. an office closure)."""
        new = _frozen_dates(days)
        return attrs.evolve(
            self,
            closures=self.closures | new,
            extra_working_days=self.extra_working_days - new,
        )

    def with_working_days(self, days: Iterable[date]) -> WorkingDayCalendar:
        """Return a calendar where ``days`` are working days even if a weekend or holiday."""
        new = _frozen_dates(days)
        return attrs.evolve(
            self,
            extra_working_days=self.extra_working_days | new,
            closures=self.closures - new,
        )

    # ----------------------------------------------------------------- questions

    @property
    def first_day(self) -> date:
        """The first date the table covers (1 January of ``first_year``)."""
        return self._first_day

    @property
    def last_day(self) -> date:
        """The last date the table covers (31 December of ``last_year``)."""
        return self._last_day

    def _out_of_range(self, what: str) -> CalendarRangeError:
        return CalendarRangeError(
            f"{what} is outside this calendar's span {self.first_year}-{self.last_year}; "
            "build a calendar over a wider span"
        )

    def _index(self, d: date, name: str) -> int:
        _require_date(d, name)
        i = d.toordinal() - self._origin
        if not 0 <= i < len(self._flags):
            raise self._out_of_range(f"{name} {d.isoformat()}")
        return i

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day: not a weekend, holiday or closure."""
        return bool(self._flags[self._index(d, "d")])

    def holiday_name(self, d: date) -> str | None:
        """The bank holiday's name on ``d``, or ``None``; outside the span, CalendarRangeError."""
        self._index(d, "d")
        return self.holidays.get(d)

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after day 0 (the first working day on or after ``d``).

        Equals ``numpy.busday_offset(d, n, roll="forward")`` with the same holidays. For
        ``n < 0``: roll backward to a working day on or before ``d``, then count back.

        >>> cal = WorkingDayCalendar.england_and_wales()
        >>> cal.add_working_days(date(2024, 3, 29), 0)  # Good Friday -> Tuesday after Easter
        datetime.date(2024, 4, 2)
        """
        # Fast path for the common case; anything unusual falls through to the checked path.
        if d.__class__ is date and n.__class__ is int and n >= 0:
            i = d.toordinal() - self._origin
            if i >= 0:
                try:
                    return self._working[self._cum[i] + n]
                except IndexError:
                    pass
        return self._add_checked(d, n)

    def _add_checked(self, d: date, n: int) -> date:
        _require_date(d, "d")
        if type(n) is not int:
            raise InvalidInputError(f"n must be an int (got {type(n).__name__})")
        i = d.toordinal() - self._origin
        cum = self._cum
        if 0 <= i < len(self._flags):
            k = cum[i] + n if n >= 0 else cum[i + 1] - 1 + n
            if 0 <= k < len(self._working):
                return self._working[k]
        raise self._out_of_range(f"{n} working days from {d.isoformat()}")

    def working_days_before(self, d: date, n: int) -> date:
        """The ``n``-th working day strictly before ``d`` (``n >= 1``).

        "The last working day before the hearing" is ``working_days_before(hearing, 1)``.
        """
        i = self._index(d, "d")
        if type(n) is not int or n < 1:
            raise InvalidInputError(f"n must be an int >= 1 (got {n!r})")
        k = self._cum[i] - n
        if k < 0:
            raise self._out_of_range(f"{n} working days before {d.isoformat()}")
        return self._working[k]

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``[a, b)``, exactly as ``numpy.busday_count(a, b)``.

        When ``b < a`` the count is negative and, as in numpy, covers ``(b, a]``.
        """
        _require_date(a, "a")
        _require_date(b, "b")
        ia = a.toordinal() - self._origin
        ib = b.toordinal() - self._origin
        n = len(self._flags)
        if ia > ib:  # numpy counts (b, a] and negates
            ia, ib = ia + 1, ib + 1
        if not (0 <= ia <= n and 0 <= ib <= n):
            raise self._out_of_range(f"the interval {a.isoformat()} to {b.isoformat()}")
        return self._cum[ib] - self._cum[ia]

    def roll_forward(self, d: date) -> date:
        """The first working day on or after ``d``."""
        return self.add_working_days(d, 0)

    def deemed_receipt(self, received: datetime, cutoff: time | None = None) -> date:
        """Day 0: the London date of ``received``, moved to the next working day if need be.

        ``received`` must be aware. A time after ``cutoff`` (London wall clock) counts from the
        next day; a non-working day counts from the next working day.

        >>> cal = WorkingDayCalendar.england_and_wales()
        >>> from datetime import timezone
        >>> cal.deemed_receipt(datetime(2024, 6, 14, 23, 30, tzinfo=timezone.utc))  # Sat in London
        datetime.date(2024, 6, 17)
        """
        local = as_london(received, "received")
        d = local.date()
        if cutoff is not None:
            if not isinstance(cutoff, time) or cutoff.tzinfo is not None:
                raise InvalidInputError("cutoff must be a naive datetime.time (London wall clock)")
            if local.time() > cutoff:
                d += timedelta(days=1)
        return self.add_working_days(d, 0)

    # ----------------------------------------------------------------- arrays

    def table(self) -> tuple[int, list[int], list[date]]:
        """The raw table: (ordinal of ``first_day``, prefix counts, working days in order).

        ``prefix[i]`` is the number of working days strictly before ``first_day + i``. Used by
        the vectorised form in :mod:`complaint_workflow.analysis`.
        """
        return self._origin, list(self._cum), list(self._working)


def _read_snapshot() -> tuple[dict[date, str], int, int]:
    from importlib import resources  # lazy: it costs ~9 ms of import time

    raw = resources.files("complaint_workflow.data").joinpath(_SNAPSHOT).read_text("utf-8")
    document = json.loads(raw)
    days = {date.fromisoformat(e["date"]): e["title"] for e in document["events"]}
    first, last = document["span"]
    return days, int(first), int(last)


@functools.cache
def _default_calendar() -> WorkingDayCalendar:
    days, first, last = _read_snapshot()
    return WorkingDayCalendar(days, first_year=first, last_year=last)
