"""The working-day calendar over numpy arrays, giving exactly the scalar answers.

:class:`VectorCalendar` is the one numpy view of a
:class:`~complaint_workflow.calendar.WorkingDayCalendar`'s table (the prefix counts of working
days, :meth:`~complaint_workflow.calendar.WorkingDayCalendar.table`), and it answers every
question the scalar calendar answers, element-wise: whether a date is a working day, ``n``
working days after or before a date, the working days between two dates, ``n`` calendar
months on (``relativedelta``, no rolling), and the deemed receipt of an instant. Each is one or
two gathers from the table, with no per-element Python; ``tests/test_calendar_conformance.py``
runs one suite of questions on both forms and on calendars a user builds. On many dates with
one ``n`` (4,096 or more), ``add_working_days`` and ``working_days_before`` check
both ends of the dates against the table first and then answer block by block into one new
array, so that a call allocates one large array, its answer (``tests/test_vectorised_blocks.py``
checks the block edges; ``docs/performance.md`` says why).

Dates go in as anything numpy reads as ``datetime64[D]`` (dates, ISO strings, ``datetime64``
of any unit, whole days since 1970-01-01 as integers) and come out as ``datetime64[D]``; view
a result as ``int64`` for free (``result.view("int64")``). Every method that reads the table
takes ``where=``, a boolean mask: rows where it is false are not checked against the table's
span and their result is meaningless (pass it when some rows hold placeholders).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..calendar import WorkingDayCalendar
from ..errors import CalendarRangeError, InvalidInputError, NaiveDatetimeError

__all__ = ["VectorCalendar"]

_EPOCH: Final = date(1970, 1, 1).toordinal()
_NAT: Final = np.iinfo(np.int64).min
_NS_PER_DAY: Final = 86_400 * 10**9

DateArray = npt.NDArray[np.datetime64]
Days = npt.NDArray[np.int64]
Positions = npt.NDArray[np.int32]
Mask = npt.NDArray[np.bool_]

_MONTH_LENGTHS: Final = np.array([31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28], dtype=np.int64)
"""Days in each month of a year counted from March (so February, last, takes the leap day)."""


def _days(values: Any, name: str) -> Days:
    """Dates as whole days since 1970-01-01 (a view where the input already is ``[D]``)."""
    return _days_and_low(values, name)[0]


def _days_and_low(values: Any, name: str) -> tuple[Days, int | None]:
    """:func:`_days`, and the earliest of them (``None`` when there are none)."""
    if isinstance(values, pd.Series | pd.Index) and isinstance(values.dtype, pd.DatetimeTZDtype):
        raise InvalidInputError(
            f"{name} must be dates, not aware instants; take the London date first "
            "(e.g. series.dt.tz_convert('Europe/London').dt.tz_localize(None)), or use "
            "deemed_receipt for instants"
        )
    try:
        array = np.asarray(values, dtype="datetime64[D]")
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} must be an array of dates (datetime64[D])") from None
    days: Days = array.view(np.int64)  # no copy; NaT is the smallest int64
    low = int(days.min()) if days.size else None
    if low == _NAT:
        raise InvalidInputError(f"{name} holds NaT; every element must be a date")
    return days, low


def _steps(n: Any, name: str = "n") -> npt.NDArray[np.int64]:
    try:
        steps = np.asarray(n)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} must be an integer or an array of integers") from None
    if steps.dtype.kind not in "iu":
        raise InvalidInputError(f"{name} must be an integer or an array of integers")
    return steps.astype(np.int64, copy=False)


def _mask(where: Any, shape: tuple[int, ...]) -> Mask | None:
    if where is None:
        return None
    mask = np.asarray(where)
    if mask.dtype != np.bool_:
        raise InvalidInputError("where must be a boolean mask")
    return np.broadcast_to(mask, shape)


def add_months(days: Days, n: Any) -> Days:
    """``d + relativedelta(months=n)`` on whole days since 1970-01-01: the same day of the
    month, clipped to the month's end (31 August + 6 months is 28 or 29 February).

    Whole-number civil-calendar arithmetic (H. Hinnant's ``civil_from_days`` and
    ``days_from_civil``, years counted from 1 March), about twice as fast as numpy's
    ``datetime64[M]`` conversions. ``n`` broadcasts.
    """
    z = days + 719_468  # days since 0000-03-01
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153  # 0 = March ... 11 = February
    day = doy - (153 * mp + 2) // 5  # 0-based day of the month
    months = (era * 400 + yoe) * 12 + mp + n
    year = months // 12
    mp = months - year * 12
    feb = year + 1  # February of a March-based year falls in the next calendar year
    leap = (feb % 4 == 0) & ((feb % 100 != 0) | (feb % 400 == 0))
    length = _MONTH_LENGTHS[mp] + (leap & (mp == 11))
    day = np.minimum(day, length - 1)
    era = year // 400
    yoe = year - era * 400
    doe = yoe * 365 + yoe // 4 - yoe // 100 + (153 * mp + 2) // 5 + day
    result: Days = era * 146_097 + doe - 719_468
    return result


_BLOCK: Final = 32_768
"""Dates per block on the blocked path: its working arrays (256 KB of ``int64`` each) stay in
the processor's L2 cache, and a call allocates one large array, its answer."""
_BLOCKED_AT_LEAST: Final = 4096
"""From this many dates and one ``n``, working days are counted on the blocked path."""


def _blocks(size: int) -> Iterator[tuple[int, int]]:
    """The rows of each block of ``size`` rows in turn, as ``(start, stop)``: :data:`_BLOCK`
    rows each, the last one fewer."""
    for start in range(0, size, _BLOCK):
        yield start, min(start + _BLOCK, size)


_TABLE_AT_LEAST: Final = 4096
"""From this many dates, ``add_months`` by one ``n`` works out each day of their range once."""


def _add_months_by_table(days: Days, n: int, where: Mask | None) -> Days:
    """:func:`add_months` for many dates and one ``n``: the answer for every day from the
    earliest date to the latest, then one gather (where the range is no longer than the
    dates are many; otherwise element-wise). Rows where ``where`` is false stay unchanged."""
    flat = days.reshape(-1)
    low, high = int(flat.min()), int(flat.max())
    if high - low >= flat.size:
        looked = add_months(days, n)
    else:
        table = add_months(np.arange(low, high + 1, dtype=np.int64), n)
        looked = table[days - low]
    if where is None:
        return looked
    result: Days = np.where(where, looked, days)
    return result


def _aware_instants(
    values: Any, name: str = "received", missing: str = "every element must be an instant"
) -> pd.DatetimeIndex:
    """Aware instants as a DatetimeIndex; numpy ``datetime64`` is read as UTC. ``name`` and
    ``missing`` word the errors for the caller's argument."""
    if isinstance(values, pd.Series):
        values = values.array if isinstance(values.dtype, pd.DatetimeTZDtype) else values.to_numpy()
        if isinstance(values, np.ndarray) and values.dtype.kind == "M":
            raise NaiveDatetimeError(
                f"{name} is a naive datetime Series; localize it first "
                "(e.g. series.dt.tz_localize('Europe/London'))"
            )
    if isinstance(values, pd.DatetimeIndex) or isinstance(
        getattr(values, "dtype", None), pd.DatetimeTZDtype
    ):
        instants = pd.DatetimeIndex(values)
        if instants.tz is None:
            raise NaiveDatetimeError(
                f"{name} is a naive DatetimeIndex; localize it first "
                "(e.g. index.tz_localize('Europe/London'))"
            )
    elif isinstance(values, np.ndarray) and values.dtype.kind == "M":
        instants = pd.DatetimeIndex(values).tz_localize("UTC")
    else:
        items = [values] if isinstance(values, datetime) else list(values)
        for i, item in enumerate(items):
            if not isinstance(item, datetime):
                raise InvalidInputError(
                    f"{name}[{i}] must be an aware datetime (got {type(item).__name__})"
                )
            if item.tzinfo is None or item.utcoffset() is None:
                raise NaiveDatetimeError(f"{name}[{i}] is a naive datetime; pass aware ones")
        instants = pd.DatetimeIndex(pd.to_datetime(items, utc=True))
    if instants.hasnans:
        first = int(np.flatnonzero(instants.isna())[0])
        raise InvalidInputError(f"{name}[{first}] is NaT; {missing}")
    return instants


def london_wall_clock(received: Any) -> tuple[Days, Days]:
    """Each aware instant's London date (whole days since 1970-01-01) and time of day (ns)."""
    return london_days_and_clock(_aware_instants(received))


_UNITS_PER_SECOND: Final = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
_MAX_HOURS: Final = 24 * 366 * 200
"""Up to this many hours between the first and last instant, offsets come from an hour table."""


def _utc_values(
    values: Any, name: str = "received", missing: str = "every element must be an instant"
) -> tuple[Days, str]:
    """Aware instants as UTC integers in their own unit, and that unit (``"s"`` ... ``"ns"``).

    A tz-aware Series or DatetimeIndex and a one-dimensional numpy ``datetime64`` array of
    seconds or finer (read as UTC) are read in place, with no conversion; anything else goes
    through :func:`_aware_instants`, which says what is wrong with it.
    """
    if isinstance(values, pd.Series | pd.DatetimeIndex) and isinstance(
        values.dtype, pd.DatetimeTZDtype
    ):
        unit = str(values.dtype.unit)
        utc: Days = pd.DatetimeIndex(values).asi8  # no copy
    elif (
        isinstance(values, np.ndarray)
        and values.ndim == 1
        and values.dtype.kind == "M"
        and np.datetime_data(values.dtype)[0] in _UNITS_PER_SECOND
        and np.datetime_data(values.dtype)[1] == 1
    ):
        unit = str(np.datetime_data(values.dtype)[0])
        utc = values.view(np.int64)
    else:
        instants = _aware_instants(values, name, missing)
        return instants.asi8, str(instants.unit)
    if utc.size and utc.min() == _NAT:
        first = int(np.flatnonzero(utc == _NAT)[0])
        raise InvalidInputError(f"{name}[{first}] is NaT; {missing}")
    return utc, unit


def _london_wall(instants: pd.DatetimeIndex) -> tuple[Days, int]:
    """London wall-clock values of aware instants, in the index's unit, and units per second."""
    unit = str(instants.unit)
    return london_wall_values(instants.asi8, unit), _UNITS_PER_SECOND[unit]


def london_wall_values(utc: Days, unit: str, bounds: tuple[int, int] | None = None) -> Days:
    """London wall-clock values of UTC integers in ``unit`` (a new array, in the same unit).

    The same answer as pandas' ``tz_convert("Europe/London").tz_localize(None)``: London's
    offset changes only on the hour (checked on every change, see :func:`_hour_offsets`), so
    each instant's offset is its UTC hour's, one gather from a table of every hour of the
    years spanned (worked out once per span of years). Where a change falls inside an hour,
    or the instants span centuries, every instant goes through pandas. ``bounds``, when
    known, are the least and the greatest of ``utc``.
    """
    per_second = _UNITS_PER_SECOND[unit]
    if utc.size == 0:
        return utc.copy()
    per_hour = 3600 * per_second
    low, high = (int(utc.min()), int(utc.max())) if bounds is None else bounds
    first, last = low // per_hour, high // per_hour
    table = None if last - first > _MAX_HOURS else _hour_offsets(first, last, unit)
    if table is None:
        return _pandas_wall(utc, unit)
    start, offsets = table
    hours = utc // per_hour
    hours -= start
    wall: Days = offsets[hours]
    wall += utc
    return wall


def _hour_offsets(first: int, last: int, unit: str) -> tuple[int, Days] | None:
    """London's offset (in ``unit``) at each UTC hour of the whole years holding hours
    ``first`` to ``last`` since the epoch: ``(first hour of the table, offsets)``; ``None``
    where some change of offset falls inside an hour."""
    years = np.array([first, last], dtype="datetime64[h]").astype("datetime64[Y]")
    y0, y1 = (int(y) + 1970 for y in years.astype(np.int64))
    return _year_offsets(y0, y1, unit)


@functools.lru_cache(maxsize=16)
def _year_offsets(y0: int, y1: int, unit: str) -> tuple[int, Days] | None:
    bounds = np.array([y0 - 1970, y1 + 1 - 1970], dtype="datetime64[Y]")
    start, stop = (int(h) for h in bounds.astype("datetime64[h]").astype(np.int64))
    starts = np.arange(start, stop + 1, dtype=np.int64) * 3600  # seconds: any century
    offsets = _pandas_wall(starts, "s") - starts
    changes = np.flatnonzero(np.diff(offsets)) + 1  # hours whose offset differs from the last
    if changes.size:
        ends = starts[changes] - 1  # the last second of the hour before each change
        if not np.array_equal(_pandas_wall(ends, "s") - ends, offsets[changes - 1]):
            return None
    offsets *= _UNITS_PER_SECOND[unit]
    offsets.setflags(write=False)
    return start, offsets


def _pandas_wall(values: Days, unit: str) -> Days:
    utc = pd.DatetimeIndex(values.view(f"datetime64[{unit}]")).tz_localize("UTC")
    wall: Days = utc.tz_convert("Europe/London").tz_localize(None).asi8
    return wall


def london_days_and_clock(instants: pd.DatetimeIndex) -> tuple[Days, Days]:
    """The London date (whole days since 1970-01-01) and time of day (ns) of aware instants."""
    wall, per_second = _london_wall(instants)
    return _days_and_clock(wall, per_second)


def _days_and_clock(wall: Days, per_second: int) -> tuple[Days, Days]:
    per_day = 86_400 * per_second
    days: Days = wall // per_day
    clock: Days = wall - days * per_day
    if per_second != 10**9:
        clock *= 10**9 // per_second
    return days, clock


def _cutoff_ns(cutoff: time) -> int:
    return (
        ((cutoff.hour * 60 + cutoff.minute) * 60 + cutoff.second) * 10**6 + cutoff.microsecond
    ) * 1000


class VectorCalendar:
    """Vectorised working-day arithmetic over one :class:`WorkingDayCalendar`.

    >>> import numpy as np
    >>> vc = VectorCalendar(WorkingDayCalendar.england_and_wales())
    >>> vc.add_working_days(np.array(["2023-12-22", "2024-03-29"], dtype="datetime64[D]"), 1)
    array(['2023-12-27', '2024-04-03'], dtype='datetime64[D]')
    >>> vc.add_months(np.array(["2024-08-31", "2023-08-31"], dtype="datetime64[D]"), 6)
    array(['2025-02-28', '2024-02-29'], dtype='datetime64[D]')
    """

    __slots__ = (
        "_calendar",
        "_cum",
        "_cum32",
        "_flags",
        "_origin",
        "_seconds",
        "_working",
        "_working_days",
    )

    def __init__(self, calendar: WorkingDayCalendar) -> None:
        if not isinstance(calendar, WorkingDayCalendar):
            raise InvalidInputError(
                f"VectorCalendar needs a WorkingDayCalendar (got {type(calendar).__name__})"
            )
        origin, cum, working = calendar.table()
        self._calendar = calendar
        self._origin = origin - _EPOCH
        self._cum = np.asarray(cum, dtype=np.int64)
        self._flags = np.diff(self._cum).astype(bool)
        self._working_days = np.fromiter(
            (d.toordinal() - _EPOCH for d in working), dtype=np.int64, count=len(working)
        )
        self._working = self._working_days.view("datetime64[D]")
        # NaT, then every working day as seconds since the epoch (what pandas holds):
        # ``_seconds[k + 1]`` is the ``k``-th working day and ``_seconds[0]`` stands for none.
        self._seconds = np.concatenate(([_NAT], self._working_days * 86_400))
        if self._cum.size and self._cum[-1] > np.iinfo(np.int32).max:  # pragma: no cover
            raise InvalidInputError("a calendar of over 2**31 working days is too long")
        self._cum32 = self._cum.astype(np.int32)
        for array in (self._cum, self._cum32, self._flags, self._working_days, self._seconds):
            array.setflags(write=False)

    @classmethod
    def of(cls, calendar: WorkingDayCalendar) -> VectorCalendar:
        """The shared vector form of ``calendar`` (built once per calendar, then reused)."""
        return _shared(calendar)

    # ----------------------------------------------------------------- the table

    @property
    def calendar(self) -> WorkingDayCalendar:
        """The scalar calendar this one mirrors."""
        return self._calendar

    @property
    def origin(self) -> int:
        """``first_day`` as whole days since 1970-01-01: row 0 of the table."""
        return self._origin

    @property
    def cumulative(self) -> Days:
        """Prefix counts (read-only): ``cumulative[i]`` working days strictly before
        ``first_day + i``; one more element than the days covered."""
        return self._cum

    @property
    def _cumulative32(self) -> Positions:
        """:attr:`cumulative` as ``int32`` (positions in half the bytes)."""
        return self._cum32

    @property
    def working_days(self) -> DateArray:
        """Every working day of the span, in order (read-only ``datetime64[D]``): the ``k``-th
        working day is ``working_days[k]``."""
        return self._working

    @property
    def span(self) -> int:
        """How many days the table covers."""
        return int(self._flags.size)

    def __repr__(self) -> str:
        return f"VectorCalendar({self._calendar!r})"

    # ----------------------------------------------------------------- checks

    def _range(self, what: str, days: Days, bad: Mask) -> CalendarRangeError:
        c = self._calendar
        flat = np.atleast_1d(bad).reshape(-1)
        first = int(np.flatnonzero(flat)[0])
        day = np.datetime64(int(np.broadcast_to(days, bad.shape).reshape(-1)[first]), "D")
        row = f" (row {first})" if bad.ndim else ""
        return CalendarRangeError(
            f"{what} from {day}{row} falls outside this calendar's span "
            f"{c.first_year}-{c.last_year}; build a calendar over a wider span"
        )

    def _index(self, days: Days, what: str, where: Mask | None, top: int | None = None) -> Days:
        """Each date's row in the table; a row off the table raises where ``where``."""
        i = days - self._origin
        top = self._flags.size if top is None else top
        if i.size and (i.min() < 0 or i.max() >= top):
            bad = (i < 0) | (i >= top)
            if where is not None:
                bad &= where
            if bad.any():
                raise self._range(what, days, bad)
            i = np.clip(i, 0, top - 1)
        return i

    def _pick(self, k: Days, days: Days, what: str, where: Mask | None) -> DateArray:
        """The ``k``-th working days; a ``k`` off either end raises where ``where``."""
        top = self._working.size
        if k.size and (k.min() < 0 or k.max() >= top):
            bad = (k < 0) | (k >= top)
            if where is not None:
                bad &= where
            if bad.any():
                raise self._range(what, days, bad)
            k = np.clip(k, 0, top - 1)
        result: DateArray = self._working[k]
        return result

    def _on_table(self, low: int, high: int, offset: int, shift: int) -> bool:
        """Whether every date from day ``low`` to day ``high`` has a row in the table and
        ``cumulative[row + offset] + shift`` is a working day of it. The prefix counts never
        decrease, so the two ends decide."""
        first, last = low - self._origin, high - self._origin
        return (
            first >= 0
            and last < self._flags.size
            and int(self._cum[first + offset]) + shift >= 0
            and int(self._cum[last + offset]) + shift < self._working_days.size
        )

    def _blocked(self, days: Days, low: int | None, offset: int, shift: int) -> DateArray | None:
        """``working_days[cumulative[days - origin + offset] + shift]`` for many dates, block
        by block (:func:`_blocks`) into one new array; ``None`` when some date or result falls
        off the table (checked before any block): the checked path then raises, naming the
        row, or skips the rows outside ``where``.

        Where the dates span fewer days than they are many, the answer for every day of their
        range is worked out first (one gather from the range's rows of the table) and each
        block is one subtraction and one gather from it; otherwise each block is two gathers.
        Every index is then in range, so the gathers use ``mode="clip"``, which writes straight
        into the answer (``"raise"`` buffers its output).
        """
        if low is None:
            empty: DateArray = np.empty(days.shape, dtype="datetime64[D]")
            return empty
        high = int(days.max())
        if not self._on_table(low, high, offset, shift):
            return None
        flat = days.reshape(-1)  # a view, unless the input is neither C-contiguous nor 1-d
        size = flat.size
        out = np.empty(days.shape, dtype=np.int64)
        into = out.reshape(-1)
        rows = np.empty(min(_BLOCK, size), dtype=np.int64)
        first = low - self._origin + offset
        if high - low < size:
            table = self._working_days[self._cum[first : first + high - low + 1] + shift]
            for start, stop in _blocks(size):
                r = np.subtract(flat[start:stop], low, out=rows[: stop - start])
                np.take(table, r, out=into[start:stop], mode="clip")
        else:
            positions = np.empty_like(rows)
            base = self._origin - offset
            for start, stop in _blocks(size):
                r = np.subtract(flat[start:stop], base, out=rows[: stop - start])
                k = np.take(self._cum, r, out=positions[: stop - start], mode="clip")
                k += shift
                np.take(self._working_days, k, out=into[start:stop], mode="clip")
        result: DateArray = out.view("datetime64[D]")
        return result

    def positions(self, dates: Any, *, where: Any = None) -> Days:
        """Each date's position among the working days: that of the first working day on or
        after it (``working_days[positions(d)]`` is ``roll_forward(d)``)."""
        days = _days(dates, "dates")
        result: Days = self._cum[self._index(days, "a date", _mask(where, days.shape))]
        return result

    def step(
        self,
        positions: Days,
        n: int,
        *,
        where: Any = None,
        bounds: tuple[int, int] | None = None,
    ) -> DateArray:
        """The working day ``n`` after each position (``n < 0``: before): one gather.

        ``bounds``, when known, are the positions' minimum and maximum. A result off the table
        raises :class:`CalendarRangeError` where ``where`` (rows where it is false are
        meaningless).
        """
        k = positions + n
        mask = _mask(where, k.shape)
        top = self._working.size
        low, high = (bounds[0] + n, bounds[1] + n) if bounds is not None else (0, 0)
        if bounds is None and k.size:
            low, high = int(k.min()), int(k.max())
        if k.size and (low < 0 or high >= top):
            bad = (k < 0) | (k >= top)
            if mask is not None:
                bad &= mask
            if bad.any():
                start = self._working_days[np.clip(positions, 0, top - 1)]
                raise self._range(f"{n} working days", start, bad)
            k = np.clip(k, 0, top - 1)
        result: DateArray = self._working[k]
        return result

    def _step_seconds(
        self,
        positions: Positions,
        n: int,
        owed: Mask | None,
        bounds: tuple[int, int],
        scratch: Days | None = None,
    ) -> Days | None:
        """:meth:`step` as seconds since the epoch, ``NaT`` where not ``owed`` (a mask, or
        ``None`` for every row): one gather, with no masked assignment (rows not owed index
        the ``NaT`` in front of the table).

        ``bounds`` are the positions' minimum and maximum; ``None`` when some result would
        fall off the table (:meth:`step` then says whether a row that matters does).
        ``scratch``, an ``int64`` array of the positions' shape, holds the indices (else a
        new one does).
        """
        if bounds[0] + n < 0 or bounds[1] + n >= self._working_days.size:
            return None
        k = np.add(positions, n + 1, out=scratch)
        if owed is not None:
            k *= owed
        result: Days = self._seconds[k]
        return result

    def _deemed_positions(
        self, wall: Days, per_second: int, cutoff: time | None, bounds: tuple[int, int]
    ) -> tuple[Positions, int, int] | None:
        """Day 0's position among the working days for London wall-clock values (integers,
        ``per_second`` to the second) and the positions' range; ``None`` when some day 0
        falls off the table (:meth:`deemed_receipt` then raises).

        A value after ``cutoff`` counts from the next day: with ``c`` the cut-off in the
        values' unit, ``(wall - c - 1) // day + 1`` is the date, plus one when the time of
        day is after ``c``; that, less the table's first day, is one floor division.
        ``bounds`` hold every value of ``wall`` (a day either side of the UTC values will do).
        ``wall`` is used up: it holds each value's row in the table afterwards.
        """
        per_day = 86_400 * per_second
        after = -1 if cutoff is None else _cutoff_ns(cutoff) // (10**9 // per_second)
        shift = after + 1 + (self._origin - 1 if cutoff is not None else self._origin) * per_day
        if bounds[0] - shift < _NAT + 1 or bounds[1] - shift > -(_NAT + 1):
            return None  # the subtraction could wrap round
        rows = wall
        rows -= shift
        rows //= per_day
        first, last = int(rows.min()), int(rows.max())
        if first < 0 or last >= self._flags.size:
            return None
        top, bottom = int(self._cum[last]), int(self._cum[first])
        if top >= self._working_days.size:
            return None
        positions: Positions = self._cum32[rows]
        return positions, bottom, top

    # ----------------------------------------------------------------- questions

    def is_working_day(self, dates: Any, *, where: Any = None) -> Mask:
        """Element-wise :meth:`WorkingDayCalendar.is_working_day`."""
        days = _days(dates, "dates")
        result: Mask = self._flags[self._index(days, "a date", _mask(where, days.shape))]
        return result

    def add_working_days(self, dates: Any, n: Any, *, where: Any = None) -> DateArray:
        """Element-wise :meth:`WorkingDayCalendar.add_working_days`; ``n`` broadcasts.

        Day 0 is the first working day on or after each date; for ``n < 0``, the last one on
        or before it, counted back.
        """
        days, low = _days_and_low(dates, "dates")
        steps = _steps(n)
        mask = _mask(where, np.broadcast_shapes(days.shape, steps.shape))
        if steps.ndim == 0 and days.size >= _BLOCKED_AT_LEAST:
            step = int(steps)  # n < 0 counts back from the last working day on or before
            blocked = (
                self._blocked(days, low, 0, step)
                if step >= 0
                else self._blocked(days, low, 1, step - 1)
            )
            if blocked is not None:
                return blocked
        i = self._index(days, f"{n} working days" if steps.ndim == 0 else "working days", mask)
        if steps.ndim == 0 and int(steps) >= 0:
            k = self._cum[i]
            k += int(steps)
        else:
            k = np.where(steps >= 0, self._cum[i] + steps, self._cum[i + 1] - 1 + steps)
        return self._pick(k, days, "a result", mask)

    def roll_forward(self, dates: Any, *, where: Any = None) -> DateArray:
        """Element-wise :meth:`WorkingDayCalendar.roll_forward`: the first working day on or
        after each date."""
        return self.add_working_days(dates, 0, where=where)

    def working_days_before(self, dates: Any, n: Any, *, where: Any = None) -> DateArray:
        """Element-wise :meth:`WorkingDayCalendar.working_days_before`: the ``n``-th working
        day strictly before each date (``n >= 1``; it broadcasts).

        "The last working day before the hearing" is ``working_days_before(hearings, 1)``.
        """
        days, low = _days_and_low(dates, "dates")
        steps = _steps(n)
        if steps.size and steps.min() < 1:
            raise InvalidInputError("n must be an integer >= 1 (or an array of them)")
        mask = _mask(where, np.broadcast_shapes(days.shape, steps.shape))
        if steps.ndim == 0 and days.size >= _BLOCKED_AT_LEAST:
            blocked = self._blocked(days, low, 0, -int(steps))
            if blocked is not None:
                return blocked
        what = f"{n} working days before" if steps.ndim == 0 else "working days before"
        k = self._cum[self._index(days, what, mask)]
        k = k - steps
        return self._pick(k, days, what, mask)

    def working_days_between(self, a: Any, b: Any) -> Days:
        """Element-wise :meth:`WorkingDayCalendar.working_days_between` (``numpy.busday_count``:
        working days in ``[a, b)``; negative, over ``(b, a]``, when ``b < a``)."""
        da, db = _days(a, "a"), _days(b, "b")
        backward = da > db  # numpy counts (b, a] and negates
        ia = self._index(da + backward, "an interval", None, top=self._cum.size)
        ib = self._index(db + backward, "an interval", None, top=self._cum.size)
        result: Days = self._cum[ib] - self._cum[ia]
        return result

    def add_months(self, dates: Any, n: Any, *, where: Any = None) -> DateArray:
        """``d + relativedelta(months=n)`` element-wise: the same day of the month, clipped to
        the month's end, never rolled to a working day (31 August + 6 months is 28 or 29
        February; ``n`` may be negative and broadcasts). Rows where ``where`` is false come
        back unchanged. Calendar arithmetic only: the table's span does not limit it.
        """
        days = _days(dates, "dates")
        steps = _steps(n)
        mask = _mask(where, np.broadcast_shapes(days.shape, steps.shape))
        if steps.ndim == 0 and days.size >= _TABLE_AT_LEAST:
            result = _add_months_by_table(days, int(steps), mask)
        elif mask is None or mask.all():
            result = add_months(days, steps)
        else:
            full = np.broadcast_to(days, mask.shape)
            result = full.copy()
            rows = np.flatnonzero(mask)
            picked = np.broadcast_to(steps, mask.shape).reshape(-1)[rows]
            result.reshape(-1)[rows] = add_months(full.reshape(-1)[rows], picked)
        if result.size and (result.min() < -719_162 or result.max() > 2_932_896):
            raise InvalidInputError("add_months: a result falls outside the years 1-9999")
        out: DateArray = result.view("datetime64[D]")
        return out

    def deemed_receipt(
        self,
        received: Any,
        cutoff: time | None = None,
        *,
        where: Any = None,
    ) -> DateArray:
        """Element-wise :meth:`WorkingDayCalendar.deemed_receipt`: day 0 of each instant.

        ``received`` is aware instants (a tz-aware Series or DatetimeIndex, a sequence of aware
        datetimes, or a numpy ``datetime64`` array read as UTC), or a pair ``(days, clock)``
        already on London's wall clock: the dates (``datetime64[D]`` or whole days since
        1970-01-01) and the time of day in nanoseconds. A time after ``cutoff`` (London wall
        clock) counts from the next day; a non-working day from the next working day.
        """
        if cutoff is not None and (not isinstance(cutoff, time) or cutoff.tzinfo is not None):
            raise InvalidInputError("cutoff must be a naive datetime.time (London wall clock)")
        if isinstance(received, tuple) and len(received) == 2:
            days = _days(received[0], "days")
            clock = _steps(received[1], "clock")
        else:
            days, clock = london_wall_clock(received)
        if cutoff is not None:
            days = days + (clock > _cutoff_ns(cutoff))
        return self.add_working_days(days.view("datetime64[D]"), 0, where=where)

    def holidays(self) -> DateArray:
        """Every non-working weekday (holidays and closures), for ``numpy.busday_*``."""
        c = self._calendar
        off = sorted(
            d for d in {*c.holidays, *c.closures} if d.weekday() < 5 and not c.is_working_day(d)
        )
        return np.array(off, dtype="datetime64[D]")

    def busdaycalendar(self) -> np.busdaycalendar:
        """The same working days as a ``numpy.busdaycalendar``, where numpy can say so.

        Raises :class:`InvalidInputError` when the calendar has extra working days on a
        weekend, which numpy's weekmask cannot express.
        """
        if any(d.weekday() >= 5 for d in self._calendar.extra_working_days):
            raise InvalidInputError(
                "this calendar works some weekend days; numpy.busdaycalendar cannot express it"
            )
        return np.busdaycalendar(holidays=self.holidays())


@functools.lru_cache(maxsize=8)
def _shared(calendar: WorkingDayCalendar) -> VectorCalendar:
    return VectorCalendar(calendar)
