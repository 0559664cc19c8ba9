"""One calendar conformance suite, run on the scalar and the vectorised calendar, and on a user's.

:class:`CalendarConformance` asks every question a calendar answers (working day or not,
``n`` working days on or back, working days before a date, working days between two dates,
calendar months on, deemed receipt, the span) and checks each answer against an oracle that
walks day by day over the calendar's own *inputs* (its holidays, closures and extra working
days), never its precomputed table. Each implementation subclasses it, as eventsourcing's
persistence tests do per recorder: give the calendar and say how the implementation answers a
batch of questions. To check a calendar of your own, subclass ``ScalarAnswers`` or
``VectorAnswers`` with ``CalendarConformance`` and set ``calendar``.
"""

from __future__ import annotations

import calendar as civil
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint_workflow import (
    CalendarRangeError,
    InvalidInputError,
    Months,
    NaiveDatetimeError,
    WorkingDayCalendar,
)
from complaint_workflow.analysis import VectorCalendar

from .strategies import HARD_DATES

LONDON = ZoneInfo("Europe/London")
DEFAULT = WorkingDayCalendar.england_and_wales()


def _user_calendar() -> WorkingDayCalendar:
    """A calendar as a user builds one: GOV.UK's file, an office closure, two days worked."""
    import govuk_bank_holidays

    path = Path(govuk_bank_holidays.__file__).parent / "bank-holidays.json"
    return (
        WorkingDayCalendar.from_govuk_json(path)
        .with_closures([date(2024, 6, 12), date(2024, 12, 27), date(2025, 1, 2)])
        .with_working_days([date(2024, 6, 15), date(2024, 8, 26)])  # a Saturday, a bank holiday
    )


USER = _user_calendar()

# ------------------------------------------------------------------ the oracle


def works(cal: WorkingDayCalendar, d: date) -> bool:
    """A working day from the calendar's inputs alone: worked, or a weekday not taken off."""
    if d in cal.extra_working_days:
        return True
    return d.weekday() < 5 and d not in cal.holidays and d not in cal.closures


def walk_add(cal: WorkingDayCalendar, d: date, n: int) -> date:
    """Roll to a working day (forward for ``n >= 0``, back otherwise), then step ``n``."""
    step = timedelta(days=1 if n >= 0 else -1)
    while not works(cal, d):
        d += step
    for _ in range(abs(n)):
        d += step
        while not works(cal, d):
            d += step
    return d


def walk_before(cal: WorkingDayCalendar, d: date, n: int) -> date:
    """The ``n``-th working day strictly before ``d``."""
    for _ in range(n):
        d -= timedelta(days=1)
        while not works(cal, d):
            d -= timedelta(days=1)
    return d


def walk_between(cal: WorkingDayCalendar, a: date, b: date) -> int:
    """Working days in ``[a, b)``, or minus those in ``[b, a)`` shifted a day (numpy's rule)."""
    if a > b:
        return -walk_between(cal, b + timedelta(days=1), a + timedelta(days=1))
    return sum(works(cal, a + timedelta(days=i)) for i in range((b - a).days))


def civil_months(d: date, n: int) -> date:
    """The same day ``n`` months on, clipped to the month's last day."""
    year, month = divmod(d.month - 1 + n, 12)
    year += d.year
    return date(year, month + 1, min(d.day, civil.monthrange(year, month + 1)[1]))


def walk_receipt(cal: WorkingDayCalendar, received: datetime, cutoff: time | None) -> date:
    """London date, the next day after the cut-off, then the first working day."""
    local = received.astimezone(LONDON)
    d = local.date()
    if cutoff is not None and local.time() > cutoff:
        d += timedelta(days=1)
    return walk_add(cal, d, 0)


# ------------------------------------------------------------------ inputs

ZONES = (UTC, LONDON, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9, minutes=30)))
CUTOFFS = (None, time(17, 0), time(16, 30, 0, 1))
MONTH_ENDS = (date(2023, 8, 31), date(2024, 8, 31), date(2024, 1, 31), date(2024, 3, 31))


def day_lists(lo: date, hi: date, special: Sequence[date] = ()) -> st.SearchStrategy[list[date]]:
    """Dates in ``[lo, hi]``, the pinned hard cases and ``special`` ones drawn often."""
    one = st.one_of(
        st.sampled_from([d for d in (*HARD_DATES, *MONTH_ENDS, *special) if lo <= d <= hi]),
        st.dates(min_value=lo, max_value=hi),
    )
    return st.lists(one, min_size=1, max_size=40)


@st.composite
def receipts(draw: st.DrawFn, lo: date, hi: date, special: Sequence[date] = ()) -> list[datetime]:
    days = draw(day_lists(lo, hi, special))
    out = []
    for d in days:
        if draw(st.integers(0, 3)) == 0:  # exactly on (or a microsecond past) a cut-off
            seconds, micro, zone = draw(st.sampled_from([61_200, 59_400])), 0, LONDON
            micro = draw(st.sampled_from((0, 1)))
        else:
            seconds = draw(st.integers(0, 86_399))
            micro = draw(st.sampled_from((0, 0, 1, 999_999)))
            zone = draw(st.sampled_from(ZONES))
        naive = datetime(d.year, d.month, d.day) + timedelta(seconds=seconds, microseconds=micro)
        out.append(naive.replace(tzinfo=zone))
    return out


# ------------------------------------------------------------------ the suite

SUITE = settings(
    max_examples=60,
    deadline=None,
    # Each subclass runs the same method on another implementation, on purpose.
    suppress_health_check=[HealthCheck.differing_executors],
)


class CalendarConformance:
    """Every question a calendar answers, checked against the day-by-day oracle."""

    calendar: ClassVar[WorkingDayCalendar]
    lo: ClassVar[date] = date(2012, 3, 1)
    hi: ClassVar[date] = date(2028, 9, 30)

    def special(self) -> list[date]:
        """The calendar's own exceptions: closures and days worked, drawn often."""
        return sorted(self.calendar.closures | self.calendar.extra_working_days)

    def days(self) -> st.SearchStrategy[list[date]]:
        return day_lists(self.lo, self.hi, self.special())

    # How the implementation under test answers a batch of questions (one per element).
    def is_working_day(self, days: list[date]) -> list[bool]:
        raise NotImplementedError

    def add_working_days(self, days: list[date], n: int) -> list[date]:
        raise NotImplementedError

    def working_days_before(self, days: list[date], n: int) -> list[date]:
        raise NotImplementedError

    def working_days_between(self, a: list[date], b: list[date]) -> list[int]:
        raise NotImplementedError

    def add_months(self, days: list[date], n: int) -> list[date]:
        raise NotImplementedError

    def deemed_receipt(self, received: list[datetime], cutoff: time | None) -> list[date]:
        raise NotImplementedError

    # ---- the checks

    @SUITE
    @given(st.data())
    def test_working_days_are_the_calendars_inputs(self, data: st.DataObject) -> None:
        """A day is a working day exactly when it is worked or a weekday not taken off."""
        days = data.draw(self.days())
        assert self.is_working_day(days) == [works(self.calendar, d) for d in days]

    @SUITE
    @given(st.data(), st.integers(-60, 60))
    def test_add_working_days_walks_the_days(self, data: st.DataObject, n: int) -> None:
        """``n`` working days on (or back) from day 0 is where a day-by-day walk lands."""
        days = data.draw(self.days())
        assert self.add_working_days(days, n) == [walk_add(self.calendar, d, n) for d in days]

    @SUITE
    @given(st.data(), st.integers(1, 60))
    def test_working_days_before_walks_back(self, data: st.DataObject, n: int) -> None:
        """The ``n``-th working day strictly before a date, as a backward walk finds it."""
        days = data.draw(self.days())
        expected = [walk_before(self.calendar, d, n) for d in days]
        assert self.working_days_before(days, n) == expected

    @SUITE
    @given(st.data())
    def test_working_days_between_counts_them(self, data: st.DataObject) -> None:
        """Working days in ``[a, b)`` (negated over ``(b, a]``) are those a walk counts."""
        a = data.draw(self.days())
        b = [d + timedelta(days=data.draw(st.integers(-90, 90))) for d in a]
        expected = [walk_between(self.calendar, x, y) for x, y in zip(a, b, strict=True)]
        assert self.working_days_between(a, b) == expected

    @SUITE
    @given(st.data(), st.integers(-30, 30))
    def test_add_months_clips_to_the_month_end(self, data: st.DataObject, n: int) -> None:
        """``n`` months on is the same day of the month, clipped to its end, never rolled."""
        days = data.draw(self.days())
        assert self.add_months(days, n) == [civil_months(d, n) for d in days]

    def test_six_months_from_the_end_of_august_is_the_end_of_february(self) -> None:
        """31 August + 6 months is 28 February, or 29 in a leap year: no rolling."""
        assert self.add_months([date(2023, 8, 31), date(2024, 8, 31)], 6) == [
            date(2024, 2, 29),
            date(2025, 2, 28),
        ]
        assert self.add_months([date(2024, 2, 29)], -6) == [date(2023, 8, 29)]

    @SUITE
    @given(st.data(), st.sampled_from(CUTOFFS))
    def test_deemed_receipt_is_the_next_working_london_day(
        self, data: st.DataObject, cutoff: time | None
    ) -> None:
        """Day 0: the London date, the next day after the cut-off, then a working day."""
        received = data.draw(receipts(self.lo, self.hi, self.special()))
        expected = [walk_receipt(self.calendar, r, cutoff) for r in received]
        assert self.deemed_receipt(received, cutoff) == expected

    def test_deemed_receipt_at_the_cutoff_itself(self) -> None:
        """A receipt exactly at the cut-off counts that day; a microsecond later, the next."""
        at = datetime(2024, 3, 28, 17, 0, tzinfo=LONDON)  # Maundy Thursday
        received = [at, at + timedelta(microseconds=1)]
        got = self.deemed_receipt(received, time(17, 0))
        assert got == [walk_receipt(self.calendar, r, time(17, 0)) for r in received]
        assert got[0] == date(2024, 3, 28)
        assert got[0] < got[1]

    def test_outside_the_span_is_a_range_error_naming_it(self) -> None:
        """Asking before the first day or past the last raises CalendarRangeError with the span."""
        c = self.calendar
        span = f"{c.first_year}-{c.last_year}"
        before, after = c.first_day - timedelta(days=1), c.last_day + timedelta(days=1)
        for ask in (
            lambda: self.is_working_day([before]),
            lambda: self.is_working_day([after]),
            lambda: self.add_working_days([c.last_day - timedelta(days=3)], 10),
            lambda: self.add_working_days([c.first_day + timedelta(days=3)], -10),
            lambda: self.working_days_before([c.first_day + timedelta(days=3)], 10),
            lambda: self.working_days_between([before], [c.last_day]),
        ):
            with pytest.raises(CalendarRangeError, match=span):
                ask()

    def test_the_span_ends_answer(self) -> None:
        """The first and last days of the span are inside it."""
        c = self.calendar
        assert self.is_working_day([c.first_day, c.last_day]) == [
            works(c, c.first_day),
            works(c, c.last_day),
        ]


# ------------------------------------------------------------------ the implementations


class ScalarAnswers:
    """The scalar :class:`WorkingDayCalendar`, one call per element."""

    calendar: ClassVar[WorkingDayCalendar]

    def is_working_day(self, days: list[date]) -> list[bool]:
        return [self.calendar.is_working_day(d) for d in days]

    def add_working_days(self, days: list[date], n: int) -> list[date]:
        return [self.calendar.add_working_days(d, n) for d in days]

    def working_days_before(self, days: list[date], n: int) -> list[date]:
        return [self.calendar.working_days_before(d, n) for d in days]

    def working_days_between(self, a: list[date], b: list[date]) -> list[int]:
        return [self.calendar.working_days_between(x, y) for x, y in zip(a, b, strict=True)]

    def add_months(self, days: list[date], n: int) -> list[date]:
        if n == 0:
            return list(days)
        m = Months(abs(n))
        return [
            m.after(d, self.calendar, "calendar")
            if n > 0
            else m.before(d, self.calendar, "calendar")
            for d in days
        ]

    def deemed_receipt(self, received: list[datetime], cutoff: time | None) -> list[date]:
        return [self.calendar.deemed_receipt(r, cutoff) for r in received]


def _dates(values: Any) -> list[date]:
    return [v.item() for v in np.asarray(values, dtype="datetime64[D]")]


class VectorAnswers:
    """:class:`VectorCalendar`, one array call per batch (and, for receipts, each input form)."""

    calendar: ClassVar[WorkingDayCalendar]

    def vector(self) -> VectorCalendar:
        return VectorCalendar.of(self.calendar)

    def is_working_day(self, days: list[date]) -> list[bool]:
        return [bool(x) for x in self.vector().is_working_day(np.array(days, "datetime64[D]"))]

    def add_working_days(self, days: list[date], n: int) -> list[date]:
        array = np.array(days, "datetime64[D]")
        result = _dates(self.vector().add_working_days(array, n))
        per_row = _dates(self.vector().add_working_days(array, np.full(len(days), n)))
        assert per_row == result  # a broadcast n and an array of n agree
        return result

    def working_days_before(self, days: list[date], n: int) -> list[date]:
        return _dates(self.vector().working_days_before(np.array(days, "datetime64[D]"), n))

    def working_days_between(self, a: list[date], b: list[date]) -> list[int]:
        got = self.vector().working_days_between(
            np.array(a, "datetime64[D]"), np.array(b, "datetime64[D]")
        )
        return [int(x) for x in got]

    def add_months(self, days: list[date], n: int) -> list[date]:
        return _dates(self.vector().add_months(np.array(days, "datetime64[D]"), n))

    def deemed_receipt(self, received: list[datetime], cutoff: time | None) -> list[date]:
        vc = self.vector()
        result = _dates(vc.deemed_receipt(received, cutoff))
        series = pd.Series(pd.to_datetime(received, utc=True)).dt.tz_convert("Europe/London")
        assert _dates(vc.deemed_receipt(series, cutoff)) == result
        local = [r.astimezone(LONDON) for r in received]
        days = np.array([r.date() for r in local], "datetime64[D]")
        clock = np.array(
            [
                ((r.hour * 60 + r.minute) * 60 + r.second) * 10**9 + r.microsecond * 1000
                for r in local
            ],
            dtype=np.int64,
        )
        assert _dates(vc.deemed_receipt((days, clock), cutoff)) == result
        return result


class TestScalarCalendar(ScalarAnswers, CalendarConformance):
    """The default England-and-Wales calendar, scalar."""

    calendar = DEFAULT


class TestVectorCalendar(VectorAnswers, CalendarConformance):
    """The default England-and-Wales calendar, vectorised."""

    calendar = DEFAULT


class TestUserScalarCalendar(ScalarAnswers, CalendarConformance):
    """A user's calendar (GOV.UK's file, closures, days worked), scalar."""

    calendar = USER
    lo = date(2012, 4, 15)  # room for 60 working days back inside the file's first year


class TestUserVectorCalendar(VectorAnswers, CalendarConformance):
    """A user's calendar (GOV.UK's file, closures, days worked), vectorised."""

    calendar = USER
    lo = date(2012, 4, 15)  # room for 60 working days back inside the file's first year


# ------------------------------------------------------------------ seeded bugs


class _MonthsRolled(VectorCalendar):
    """Rolls a month's result forward to a working day, as a deadline would be."""

    def add_months(self, dates: Any, n: Any, *, where: Any = None) -> Any:
        return self.roll_forward(super().add_months(dates, n, where=where))


class _BeforeIncludesTheDay(VectorCalendar):
    """Counts the date itself as the first working day before it."""

    def working_days_before(self, dates: Any, n: Any, *, where: Any = None) -> Any:
        later = np.asarray(dates, "datetime64[D]") + 1
        return super().working_days_before(later, n, where=where)


class _CutoffInclusive(VectorCalendar):
    """Moves a receipt at exactly the cut-off to the next day."""

    def deemed_receipt(self, received: Any, cutoff: time | None = None, **kw: Any) -> Any:
        if cutoff is not None:
            earlier = (
                datetime.combine(date(2000, 1, 1), cutoff) - timedelta(microseconds=1)
            ).time()
            return super().deemed_receipt(received, earlier, **kw)
        return super().deemed_receipt(received, cutoff, **kw)


class _ForgetsClosures(VectorCalendar):
    """Reads a table built without the user's closures."""

    def __init__(self, calendar: WorkingDayCalendar) -> None:
        super().__init__(
            WorkingDayCalendar(
                calendar.holidays,
                first_year=calendar.first_year,
                last_year=calendar.last_year,
                extra_working_days=calendar.extra_working_days,
            )
        )


@pytest.mark.parametrize(
    ("broken", "check"),
    [
        (_MonthsRolled, "test_add_months_clips_to_the_month_end"),
        (_BeforeIncludesTheDay, "test_working_days_before_walks_back"),
        (_CutoffInclusive, "test_deemed_receipt_at_the_cutoff_itself"),
        (_ForgetsClosures, "test_working_days_are_the_calendars_inputs"),
        (_ForgetsClosures, "test_add_working_days_walks_the_days"),
    ],
)
def test_the_suite_catches_seeded_bugs(broken: type[VectorCalendar], check: str) -> None:
    """Each check fails on a calendar with a plausible bug planted in the matching answer."""

    class Broken(VectorAnswers, CalendarConformance):
        calendar = USER
        lo, hi = date(2024, 5, 1), date(2025, 1, 31)  # where the user's closures are

        def vector(self) -> VectorCalendar:
            return broken(USER)

    with pytest.raises(AssertionError):
        getattr(Broken(), check)()


def test_the_vector_table_is_the_scalar_table_read_only() -> None:
    """``origin``, ``cumulative`` and ``working_days`` are the scalar table, and frozen."""
    vc = VectorCalendar.of(USER)
    origin, cum, working = USER.table()
    assert vc.origin == origin - date(1970, 1, 1).toordinal()
    assert vc.cumulative.tolist() == cum
    assert _dates(vc.working_days) == working
    assert vc.span == len(cum) - 1
    assert VectorCalendar.of(USER) is vc
    with pytest.raises(ValueError, match="read-only"):
        vc.cumulative[0] = 1


def _vector_errors() -> Sequence[tuple[Any, type[Exception]]]:
    vc = VectorCalendar.of(DEFAULT)
    days = np.array(["2024-06-12"], "datetime64[D]")
    aware = pd.Series(pd.to_datetime(["2024-06-12 10:00"]).tz_localize("Europe/London"))
    return [
        (lambda: vc.add_working_days(["not a date"], 1), InvalidInputError),
        (lambda: vc.add_working_days(days, 1.5), InvalidInputError),
        (lambda: vc.working_days_before(days, 0), InvalidInputError),
        (lambda: vc.is_working_day(np.array(["NaT"], "datetime64[D]")), InvalidInputError),
        (lambda: vc.is_working_day(aware), InvalidInputError),
        (lambda: vc.deemed_receipt([datetime(2024, 6, 12, 10)]), NaiveDatetimeError),
        (lambda: vc.deemed_receipt(["2024-06-12"]), InvalidInputError),
        (lambda: vc.deemed_receipt(aware, cutoff="17:00"), InvalidInputError),  # type: ignore[arg-type]
        (lambda: VectorCalendar("england"), InvalidInputError),  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("index", range(9))
def test_vector_calendar_rejects_bad_input_with_typed_errors(index: int) -> None:
    """Bad dates, steps, masks and instants raise the library's own errors, never numpy's."""
    ask, error = _vector_errors()[index]
    with pytest.raises(error):
        ask()


def test_where_skips_placeholder_rows() -> None:
    """Rows outside ``where`` are not checked against the span; the others still are."""
    vc = VectorCalendar.of(DEFAULT)
    days = np.array(["2024-06-14", "1900-01-01"], "datetime64[D]")
    keep = np.array([True, False])
    assert vc.add_working_days(days, 1, where=keep)[0] == np.datetime64("2024-06-17")
    assert vc.working_days_before(days, 1, where=keep)[0] == np.datetime64("2024-06-13")
    assert vc.add_months(days, 1, where=keep).tolist() == [date(2024, 7, 14), date(1900, 1, 1)]
    with pytest.raises(CalendarRangeError, match=r"1900-01-01 \(row 1\)"):
        vc.add_working_days(days, 1)
