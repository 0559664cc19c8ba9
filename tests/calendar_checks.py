"""Calendar properties as plain functions, so they can be run on a deliberately broken calendar.

Each takes any object with the calendar's methods; the Hypothesis tests in ``test_calendar.py``
run them on the real calendar and on seeded bugs.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

import numpy as np
from govuk_bank_holidays.bank_holidays import BankHolidays

GOVUK = frozenset(
    h["date"]
    for h in BankHolidays(use_cached_holidays=True).get_holidays(
        division=BankHolidays.ENGLAND_AND_WALES
    )
)
GOVUK_NUMPY = np.array(sorted(GOVUK), dtype="datetime64[D]")


class Calendarish(Protocol):
    def is_working_day(self, d: date) -> bool: ...
    def add_working_days(self, d: date, n: int) -> date: ...
    def working_days_between(self, a: date, b: date) -> int: ...


def govuk_working(d: date) -> bool:
    """The independent answer: a weekday that GOV.UK does not list."""
    return d.weekday() < 5 and d not in GOVUK


def check_agrees_with_govuk(cal: Calendarish, d: date) -> None:
    assert cal.is_working_day(d) == govuk_working(d), d


def check_result_is_working_day(cal: Calendarish, d: date, n: int) -> None:
    assert cal.is_working_day(cal.add_working_days(d, n))


def check_agrees_with_numpy(cal: Calendarish, d: date, n: int) -> None:
    roll = "forward" if n >= 0 else "backward"
    expected = np.busday_offset(d, n, roll=roll, holidays=GOVUK_NUMPY).item()
    assert cal.add_working_days(d, n) == expected, (d, n)


def check_count_agrees_with_numpy(cal: Calendarish, a: date, b: date) -> None:
    expected = int(np.busday_count(a, b, holidays=GOVUK_NUMPY))
    assert cal.working_days_between(a, b) == expected, (a, b)


def check_monotone(cal: Calendarish, d: date, n: int) -> None:
    assert cal.add_working_days(d, n) <= cal.add_working_days(d + timedelta(days=1), n)
    assert cal.add_working_days(d, n) < cal.add_working_days(d, n + 1)


def check_between_inverts_add(cal: Calendarish, d: date, n: int) -> None:
    day0 = cal.add_working_days(d, 0)
    assert cal.working_days_between(day0, cal.add_working_days(d, n)) == n
