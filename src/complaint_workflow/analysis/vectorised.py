"""The working-day calendar over numpy arrays, giving exactly the scalar answers.

:class:`VectorCalendar` reads the same precomputed table as
:class:`~complaint_workflow.calendar.WorkingDayCalendar` (prefix counts of working days), so
``add_working_days`` over an array is two gathers, with no per-element Python.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ..calendar import WorkingDayCalendar
from ..errors import CalendarRangeError, InvalidInputError

__all__ = ["VectorCalendar"]

_EPOCH: Final = date(1970, 1, 1).toordinal()

DateArray = npt.NDArray[np.datetime64]


def _days(values: Any, name: str) -> npt.NDArray[np.int64]:
    try:
        array = np.asarray(values, dtype="datetime64[D]")
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} must be an array of dates (datetime64[D])") from None
    days: npt.NDArray[np.int64] = array.view(np.int64)  # no copy; NaT is the smallest int64
    if days.size and days.min() == np.iinfo(np.int64).min:
        raise InvalidInputError(f"{name} holds NaT; every element must be a date")
    return days


class VectorCalendar:
    """Vectorised working-day arithmetic over one :class:`WorkingDayCalendar`.

    >>> import numpy as np
    >>> vc = VectorCalendar(WorkingDayCalendar.england_and_wales())
    >>> vc.add_working_days(np.array(["2023-12-22", "2024-03-29"], dtype="datetime64[D]"), 1)
    array(['2023-12-27', '2024-04-03'], dtype='datetime64[D]')
    """

    __slots__ = ("_calendar", "_cum", "_flags", "_origin", "_working")

    def __init__(self, calendar: WorkingDayCalendar) -> None:
        origin, cum, working = calendar.table()
        self._calendar = calendar
        self._origin = origin - _EPOCH
        self._cum = np.asarray(cum, dtype=np.int64)
        self._flags = np.diff(self._cum).astype(bool)
        self._working = np.fromiter(
            (d.toordinal() - _EPOCH for d in working), dtype=np.int64, count=len(working)
        ).astype("datetime64[D]")

    @property
    def calendar(self) -> WorkingDayCalendar:
        """The scalar calendar this one mirrors."""
        return self._calendar

    def _index(self, days: npt.NDArray[np.int64], what: str) -> npt.NDArray[np.int64]:
        i = days - self._origin
        if i.size and (i.min() < 0 or i.max() >= self._flags.size):
            raise self._range(what)
        return i

    def _range(self, what: str) -> CalendarRangeError:
        c = self._calendar
        return CalendarRangeError(
            f"{what} falls outside this calendar's span {c.first_year}-{c.last_year}; "
            "build a calendar over a wider span"
        )

    def is_working_day(self, dates: Any) -> npt.NDArray[np.bool_]:
        """Element-wise :meth:`WorkingDayCalendar.is_working_day`."""
        return self._flags[self._index(_days(dates, "dates"), "a date")]

    def add_working_days(self, dates: Any, n: Any) -> DateArray:
        """Element-wise :meth:`WorkingDayCalendar.add_working_days`; ``n`` broadcasts."""
        i = self._index(_days(dates, "dates"), "a date")
        try:
            steps = np.asarray(n)
        except (TypeError, ValueError):
            raise InvalidInputError("n must be an integer or an array of integers") from None
        if steps.dtype.kind not in "iu":
            raise InvalidInputError("n must be an integer or an array of integers")
        if steps.ndim == 0 and int(steps) >= 0:
            k = self._cum[i]
            k += int(steps)
        else:
            steps = steps.astype(np.int64)
            k = np.where(steps >= 0, self._cum[i] + steps, self._cum[i + 1] - 1 + steps)
        if k.size and (k.min() < 0 or k.max() >= self._working.size):
            raise self._range("a result")
        result: DateArray = self._working[k]
        return result

    def working_days_between(self, a: Any, b: Any) -> npt.NDArray[np.int64]:
        """Element-wise :meth:`WorkingDayCalendar.working_days_between` (``numpy.busday_count``)."""
        ia = _days(a, "a") - self._origin
        ib = _days(b, "b") - self._origin
        backward = ia > ib  # numpy counts (b, a] and negates
        ia = ia + backward
        ib = ib + backward
        for index in (ia, ib):
            if index.size and (index.min() < 0 or index.max() > self._flags.size):
                raise self._range("an interval end")
        result: npt.NDArray[np.int64] = self._cum[ib] - self._cum[ia]
        return result

    def holidays(self) -> DateArray:
        """Every non-working weekday (holidays and closures), for ``numpy.busday_*``."""
        c = self._calendar
        off = sorted(
            d for d in {*c.holidays, *c.closures} if d.weekday() < 5 and not c.is_working_day(d)
        )
        return np.array(off, dtype="datetime64[D]")
