"""Working time: the simulation's clock, read from the calendar's :class:`VectorCalendar` table.

A position ``t`` on the axis is working day ``k`` of the calendar plus the fraction of its
office hours gone (09:00-17:00 London by default), so a step of 0.25 working days is two office
hours and a step never lands on a weekend or a bank holiday. :class:`WorkingTime` converts
between London instants and positions; :func:`arrivals` draws receipt instants over a window.

The axis keeps no table of its own: it reads :attr:`VectorCalendar.cumulative` and
:attr:`VectorCalendar.working_days` once, as Python lists, because each simulated event asks
for one scalar look-up (a list index is about ten times quicker than a numpy scalar index).
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Final

import numpy as np

from ..calendar import LONDON, WorkingDayCalendar
from ..errors import CalendarRangeError
from .parameters import SimulationParameters
from .vectorised import VectorCalendar

__all__ = ["WorkingTime", "arrivals"]

_EPOCH: Final = date(1970, 1, 1)


class WorkingTime:
    """Working day ``k`` of the calendar plus the fraction of its office hours gone."""

    __slots__ = ("_cum", "_minutes", "_opens", "_origin", "_working", "vector")

    def __init__(self, calendar: WorkingDayCalendar | VectorCalendar, opens: int, closes: int):
        self.vector = (
            calendar if isinstance(calendar, VectorCalendar) else VectorCalendar.of(calendar)
        )
        self._origin = self.vector.origin + _EPOCH.toordinal()  # a date ordinal
        self._cum: list[int] = self.vector.cumulative.tolist()
        self._working: list[date] = self.vector.working_days.tolist()
        self._opens = opens * 60
        self._minutes = (closes - opens) * 60

    @classmethod
    def of(cls, calendar: WorkingDayCalendar, opens: int, closes: int) -> WorkingTime:
        """The shared axis for ``calendar`` and office hours (its lists are built once, about
        1.4 MB for the default calendar, then reused by every simulation in the process)."""
        return _shared(calendar, opens, closes)

    def _range(self, what: str) -> CalendarRangeError:
        c = self.vector.calendar
        return CalendarRangeError(
            f"{what} is outside the calendar's span {c.first_year}-{c.last_year}; "
            "simulate fewer years, start earlier, or build a calendar over a wider span"
        )

    def at(self, local: datetime) -> float:
        """The axis position of a London wall-clock instant (off hours: the next opening)."""
        i = local.toordinal() - self._origin
        if not 0 <= i < len(self._cum) - 1:
            raise self._range(f"the instant {local.isoformat()}")
        k = self._cum[i]
        if self._cum[i + 1] == k:  # not a working day: the next one's opening
            return float(k)
        minute = local.hour * 60 + local.minute - self._opens
        if minute < 0:
            return float(k)
        if minute >= self._minutes:
            return float(k + 1)
        return k + minute / self._minutes

    def instant(self, t: float) -> datetime:
        """The London instant at axis position ``t``, to the minute (monotone in ``t``)."""
        total = round(t * self._minutes)
        k, minute = divmod(total, self._minutes)
        try:
            d = self._working[k]
        except IndexError:
            raise self._range("a simulated step") from None
        minute += self._opens
        return datetime(d.year, d.month, d.day, minute // 60, minute % 60, tzinfo=LONDON)

    def day(self, t: float) -> date:
        """The working day at axis position ``t``."""
        return self.instant(t).date()

    def working(self, first: date, last: date) -> np.ndarray[tuple[int], np.dtype[np.bool_]]:
        """Whether each day of ``[first, last)`` is a working day."""
        days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D"))
        try:
            return self.vector.is_working_day(days)
        except CalendarRangeError:
            raise self._range(f"the window {first.isoformat()} to {last.isoformat()}") from None


@functools.lru_cache(maxsize=8)
def _shared(calendar: WorkingDayCalendar, opens: int, closes: int) -> WorkingTime:
    return WorkingTime(calendar, opens, closes)


def arrivals(
    rng: np.random.Generator,
    per_year: float,
    years: int,
    start: date,
    end: date,
    axis: WorkingTime,
    p: SimulationParameters,
) -> list[tuple[datetime, bool]]:
    """Receipt instants in ``[start, end)``, in order, each with "received out of hours".

    A Poisson count a day, a working day weighing 1 and any other ``non_working_day_weight``,
    scaled so the expected total is ``per_year * years``.
    """
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    working = axis.working(start, end)
    weights = np.where(working, 1.0, p.non_working_day_weight)
    total = weights.sum()
    lam = weights * (per_year * years / total) if total > 0 else weights * 0
    counts = rng.poisson(lam)
    n = int(counts.sum())
    which = np.repeat(np.arange(len(days)), counts)
    u_when, u_minute = rng.random(n), rng.random(n)
    opens, closes = p.office_opens * 60, p.office_closes * 60
    early, late = opens - 6 * 60, max(0, 23 * 60 - closes)  # 06:00-opening, closing-23:00
    minutes = np.empty(n, dtype=np.int64)
    off = np.empty(n, dtype=bool)
    is_working = working[which]
    after_hours = is_working & (u_when < p.after_hours_share)
    in_office = is_working & ~after_hours
    minutes[in_office] = opens + (u_minute[in_office] * (closes - opens)).astype(np.int64)
    span = early + late
    pick = (u_minute[after_hours] * span).astype(np.int64) if span else np.zeros(0, np.int64)
    minutes[after_hours] = np.where(pick < early, 6 * 60 + pick, closes + pick - early)
    rest = ~is_working
    minutes[rest] = 7 * 60 + (u_minute[rest] * 16 * 60).astype(np.int64)  # 07:00-23:00
    off[:] = ~in_office
    order = np.lexsort((minutes, which))
    out: list[tuple[datetime, bool]] = []
    for i in order.tolist():
        d = days[int(which[i])]
        m = int(minutes[i])
        out.append((datetime(d.year, d.month, d.day, m // 60, m % 60, tzinfo=LONDON), bool(off[i])))
    return out
