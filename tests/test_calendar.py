"""The England-and-Wales working-day calendar: GOV.UK agreement, properties, seeded bugs."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_workflow import (
    CalendarDataError,
    CalendarRangeError,
    ComplaintWorkflowError,
    InvalidInputError,
    NaiveDatetimeError,
    WorkingDayCalendar,
)
from complaint_workflow.analysis import VectorCalendar

from .calendar_checks import (
    GOVUK,
    check_agrees_with_govuk,
    check_agrees_with_numpy,
    check_between_inverts_add,
    check_count_agrees_with_numpy,
    check_monotone,
    check_result_is_working_day,
    govuk_working,
)
from .strategies import dates, offsets

LONDON = ZoneInfo("Europe/London")
ROOT = Path(__file__).resolve().parent.parent
CAL = WorkingDayCalendar.england_and_wales()


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


GOVUK_SPAN = every_day(date(2012, 1, 1), date(2028, 12, 31))


# ------------------------------------------------------------------ GOV.UK agreement


def test_default_calendar_agrees_with_govuk_every_day_2012_to_2028() -> None:
    """Every date 2012-2028 is a working day exactly when GOV.UK says so."""
    wrong = [d for d in GOVUK_SPAN if CAL.is_working_day(d) != govuk_working(d)]
    assert wrong == []


def test_holidays_package_with_subdiv_agrees_with_govuk_every_day() -> None:
    """``holidays`` with ``subdiv="ENG"`` gives the same working days as GOV.UK, 2012-2028."""
    cal = WorkingDayCalendar.from_holidays_package(2012, 2028)
    assert [d for d in GOVUK_SPAN if cal.is_working_day(d) != govuk_working(d)] == []


def test_holidays_package_without_subdiv_would_be_wrong() -> None:
    """Without ``subdiv`` the ``holidays`` package drops Easter Monday: why we never call it so."""
    import holidays

    bare = holidays.country_holidays("GB", years=2024)
    assert date(2024, 4, 1) not in bare
    assert not CAL.is_working_day(date(2024, 4, 1))


def test_govuk_json_calendar_agrees_with_govuk() -> None:
    """A calendar built from GOV.UK's JSON alone spans the file's years and agrees with it."""
    import govuk_bank_holidays

    path = Path(govuk_bank_holidays.__file__).parent / "bank-holidays.json"
    cal = WorkingDayCalendar.from_govuk_json(path)
    assert (cal.first_year, cal.last_year) == (2012, 2028)
    assert [d for d in GOVUK_SPAN if cal.is_working_day(d) != govuk_working(d)] == []


def test_snapshot_is_what_the_generator_writes() -> None:
    """The bundled snapshot is current: regenerate with scripts/generate_calendar_snapshot.py."""
    spec = importlib.util.spec_from_file_location(
        "generate_calendar_snapshot", ROOT / "scripts/generate_calendar_snapshot.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    committed = (ROOT / "src/complaint_workflow/data/england-and-wales.json").read_text("utf-8")
    assert module.render() == committed


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2022, 9, 19), False),  # State Funeral of Queen Elizabeth II
        (date(2022, 9, 20), True),
        (date(2023, 5, 8), False),  # Coronation of King Charles III
        (date(2023, 5, 1), False),  # Early May bank holiday, the same year
        (date(2023, 5, 9), True),
        (date(2020, 5, 8), False),  # VE day: early May bank holiday moved
        (date(2020, 5, 4), True),  # ...so the first Monday of May 2020 was worked
        (date(2024, 3, 29), False),  # Good Friday
        (date(2024, 4, 1), False),  # Easter Monday
        (date(2024, 4, 2), True),
        (date(2024, 8, 26), False),  # Summer bank holiday
        (date(2021, 12, 27), False),  # Christmas substitute
        (date(2021, 12, 28), False),  # Boxing Day substitute
        (date(2021, 12, 29), True),
        (date(2026, 12, 28), False),  # Boxing Day 2026 falls on a Saturday
        (date(2012, 6, 5), False),  # Diamond Jubilee
        (date(2012, 5, 28), True),  # spring bank holiday moved to 4 June in 2012
        (date(2011, 4, 29), False),  # Royal Wedding (from ``holidays``)
        (date(2024, 6, 15), False),  # a Saturday
    ],
)
def test_literal_days(day: date, working: bool) -> None:
    """Named days, both ways: is and is not a working day."""
    assert CAL.is_working_day(day) is working


# ------------------------------------------------------------------ arithmetic, pinned


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2023, 12, 22), 1, date(2023, 12, 27)),  # Friday before Christmas
        (date(2023, 12, 23), 0, date(2023, 12, 27)),  # Saturday rolls forward past Christmas
        (date(2024, 3, 29), 0, date(2024, 4, 2)),  # Good Friday -> the Tuesday after Easter
        (date(2024, 3, 28), 1, date(2024, 4, 2)),
        (date(2023, 5, 5), 1, date(2023, 5, 9)),  # over the Coronation
        (date(2022, 9, 16), 1, date(2022, 9, 20)),  # over the state funeral
        (date(2024, 6, 12), 15, date(2024, 7, 3)),
        (date(2024, 4, 2), -1, date(2024, 3, 28)),  # backwards over Easter
        (date(2024, 4, 1), -1, date(2024, 3, 27)),  # Easter Monday rolls back to Thursday
    ],
)
def test_add_working_days_pinned(start: date, n: int, expected: date) -> None:
    """Worked examples from docs/calendar.md."""
    assert CAL.add_working_days(start, n) == expected


def test_working_days_before_the_hearing() -> None:
    """The last working day before a Tuesday hearing after Easter is Maundy Thursday."""
    assert CAL.working_days_before(date(2024, 4, 2), 1) == date(2024, 3, 28)
    assert CAL.working_days_before(date(2024, 4, 2), 5) == date(2024, 3, 22)


# ------------------------------------------------------------------ properties


@given(dates())
def test_agrees_with_govuk(d: date) -> None:
    """Any date is a working day exactly when GOV.UK says so."""
    check_agrees_with_govuk(CAL, d)


@given(dates(), offsets)
def test_result_is_a_working_day(d: date, n: int) -> None:
    """``add_working_days`` always lands on a working day."""
    check_result_is_working_day(CAL, d, n)


@given(dates(lo=date(2012, 4, 2)), offsets)  # 60 working days back stay inside GOV.UK's years
def test_agrees_with_numpy_busday_offset(d: date, n: int) -> None:
    """``add_working_days`` equals ``numpy.busday_offset`` over GOV.UK's holidays."""
    check_agrees_with_numpy(CAL, d, n)


@given(dates(), dates())
def test_count_agrees_with_numpy_busday_count(a: date, b: date) -> None:
    """``working_days_between`` equals ``numpy.busday_count``, either way round."""
    check_count_agrees_with_numpy(CAL, a, b)


@given(dates(), offsets)
def test_monotone_in_date_and_offset(d: date, n: int) -> None:
    """A later start never gives an earlier result; one more day always gives a later one."""
    check_monotone(CAL, d, n)


@given(dates(), st.integers(0, 60))
def test_between_inverts_add(d: date, n: int) -> None:
    """Counting from day 0 to ``add_working_days(d, n)`` gives back ``n``."""
    check_between_inverts_add(CAL, d, n)


@given(st.lists(dates(), min_size=1, max_size=50), offsets)
def test_vectorised_equals_scalar(ds: list[date], n: int) -> None:
    """The numpy form gives exactly the scalar answers."""
    vc = VectorCalendar(CAL)
    array = np.array(ds, dtype="datetime64[D]")
    assert vc.add_working_days(array, n).tolist() == [CAL.add_working_days(d, n) for d in ds]
    assert vc.is_working_day(array).tolist() == [CAL.is_working_day(d) for d in ds]
    shifted = array[::-1]
    assert vc.working_days_between(array, shifted).tolist() == [
        CAL.working_days_between(a, b) for a, b in zip(ds, ds[::-1], strict=True)
    ]


@given(dates(), st.integers(0, 30), st.lists(dates(), max_size=4))
def test_closures_never_make_a_deadline_earlier(d: date, n: int, closures: list[date]) -> None:
    """Adding closure days can only push a due date later."""
    closed = CAL.with_closures(closures)
    assert closed.add_working_days(d, n) >= CAL.add_working_days(d, n)
    assert all(not closed.is_working_day(c) for c in closures)


# ------------------------------------------------------------------ seeded bugs


def _forgets_easter_monday() -> WorkingDayCalendar:
    easter_mondays = {d for d, name in CAL.holidays.items() if name == "Easter Monday"}
    assert len(easter_mondays) > 15
    return attrs.evolve(
        CAL, holidays={d: n for d, n in CAL.holidays.items() if d not in easter_mondays}
    )


class _DayZeroOffByOne:
    """Counts day 0 as the date itself even when it is not a working day."""

    def __init__(self) -> None:
        self.is_working_day = CAL.is_working_day
        self.working_days_between = CAL.working_days_between

    def add_working_days(self, d: date, n: int) -> date:
        if n <= 0:
            return CAL.add_working_days(d, n)
        day = d
        for _ in range(n):
            day += timedelta(days=1)
            while not CAL.is_working_day(day):
                day += timedelta(days=1)
        return day


@pytest.mark.parametrize(
    ("broken", "check"),
    [
        (_forgets_easter_monday, check_agrees_with_govuk),
        (_forgets_easter_monday, check_agrees_with_numpy),
        (_DayZeroOffByOne, check_agrees_with_numpy),
        (_DayZeroOffByOne, check_between_inverts_add),
    ],
)
def test_properties_catch_seeded_bugs(broken: type, check: object) -> None:
    """The property tests above fail on a calendar that forgets Easter Monday or miscounts day 0."""
    cal = broken()
    arity = check.__code__.co_argcount  # type: ignore[attr-defined]

    if arity == 2:

        @given(dates())
        def run(d: date) -> None:
            check(cal, d)  # type: ignore[operator]

    else:

        @given(dates(), st.integers(0, 60))
        def run(d: date, n: int) -> None:  # type: ignore[misc]
            check(cal, d, n)  # type: ignore[operator]

    with pytest.raises(AssertionError):
        run()


# ------------------------------------------------------------------ deemed receipt


@pytest.mark.parametrize(
    ("received", "cutoff", "expected"),
    [
        (datetime(2024, 6, 12, 10, 0, tzinfo=LONDON), None, date(2024, 6, 12)),
        (datetime(2024, 6, 15, 10, 0, tzinfo=LONDON), None, date(2024, 6, 17)),  # Saturday
        (datetime(2024, 6, 14, 23, 30, tzinfo=UTC), None, date(2024, 6, 17)),  # Sat 00:30 BST
        (datetime(2024, 12, 13, 23, 30, tzinfo=UTC), None, date(2024, 12, 13)),  # GMT: still Fri
        (datetime(2024, 3, 29, 0, 0, tzinfo=LONDON), None, date(2024, 4, 2)),  # Good Friday
        (datetime(2024, 3, 28, 23, 59, 59, tzinfo=LONDON), None, date(2024, 3, 28)),
        (datetime(2024, 3, 28, 17, 1, tzinfo=LONDON), time(17, 0), date(2024, 4, 2)),
        (datetime(2024, 3, 28, 17, 0, tzinfo=LONDON), time(17, 0), date(2024, 3, 28)),
        (datetime(2024, 3, 31, 1, 30, tzinfo=UTC), None, date(2024, 4, 2)),  # clocks change
        (datetime(2024, 10, 27, 1, 30, tzinfo=LONDON), None, date(2024, 10, 28)),
        (datetime(2023, 5, 7, 20, 0, tzinfo=timezone(timedelta(hours=-5))), None, date(2023, 5, 9)),
    ],
)
def test_deemed_receipt(received: datetime, cutoff: time | None, expected: date) -> None:
    """Day 0 is the London date, moved past cut-off, weekends and bank holidays."""
    assert CAL.deemed_receipt(received, cutoff) == expected


def test_deemed_receipt_rejects_naive() -> None:
    """A naive datetime is refused, not guessed."""
    with pytest.raises(NaiveDatetimeError, match="naive"):
        CAL.deemed_receipt(datetime(2024, 6, 12, 10, 0))


def test_deemed_receipt_rejects_a_date() -> None:
    """A plain date is refused: receipt is an instant."""
    with pytest.raises(InvalidInputError, match="aware datetime"):
        CAL.deemed_receipt(date(2024, 6, 12))  # type: ignore[arg-type]


# ------------------------------------------------------------------ range, types, variants


def test_outside_the_span_names_it() -> None:
    """Asking outside the table raises CalendarRangeError naming the span."""
    with pytest.raises(CalendarRangeError, match="2000-2060"):
        CAL.is_working_day(date(1999, 12, 31))
    with pytest.raises(CalendarRangeError, match="2000-2060"):
        CAL.add_working_days(date(2060, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days(date(2000, 1, 4), -5)
    assert isinstance(CalendarRangeError("x"), ComplaintWorkflowError)


def test_a_datetime_is_not_a_date() -> None:
    """A datetime passed as a date is refused with a typed error."""
    with pytest.raises(InvalidInputError, match=r"datetime\.date"):
        CAL.is_working_day(datetime(2024, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        CAL.add_working_days("2024-01-01", 1)  # type: ignore[arg-type]


def test_closures_and_extra_working_days() -> None:
    """Closure days stop work; extra working days allow it; both are values."""
    closed = CAL.with_closures([date(2024, 6, 12)])
    assert not closed.is_working_day(date(2024, 6, 12))
    assert closed.add_working_days(date(2024, 6, 11), 1) == date(2024, 6, 13)
    opened = CAL.with_working_days([date(2024, 6, 15)])
    assert opened.is_working_day(date(2024, 6, 15))
    assert CAL.is_working_day(date(2024, 6, 12))  # the original is unchanged
    assert closed != CAL
    assert closed == CAL.with_closures([date(2024, 6, 12)])
    assert hash(closed) == hash(CAL.with_closures([date(2024, 6, 12)]))


def test_a_new_one_off_from_govuk_extends_the_calendar(tmp_path: Path) -> None:
    """A GOV.UK file announcing a new one-off replaces that year's holidays."""
    year = [{"title": t, "date": d.isoformat()} for d, t in CAL.holidays.items() if d.year == 2030]
    year.append({"title": "A one-off", "date": "2030-06-03"})
    path = tmp_path / "bank-holidays.json"
    path.write_text(json.dumps({"england-and-wales": {"division": "x", "events": year}}))
    updated = CAL.with_govuk_bank_holidays(path)
    assert not updated.is_working_day(date(2030, 6, 3))
    assert CAL.is_working_day(date(2030, 6, 3))
    assert updated.holiday_name(date(2030, 6, 3)) == "A one-off"
    assert updated.add_working_days(date(2030, 5, 31), 1) == date(2030, 6, 4)


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"england-and-wales": {"events": [{"date": "x"}]}}', "{}"]
)
def test_bad_govuk_files_are_calendar_data_errors(tmp_path: Path, content: str) -> None:
    """An unreadable GOV.UK file is a CalendarDataError naming the file."""
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CalendarDataError, match=r"bad\.json"):
        CAL.with_govuk_bank_holidays(path)


def test_govuk_list_is_the_one_we_test_against() -> None:
    """The test oracle covers 2012-2028 and includes both one-offs."""
    assert {date(2022, 9, 19), date(2023, 5, 8)} <= GOVUK
    assert min(GOVUK).year == 2012
    assert max(GOVUK).year == 2028


def test_without_the_holidays_package_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ``holidays`` missing, ``from_holidays_package`` raises MissingDependencyError (an
    ImportError) naming the extra to install; the bundled calendar still works."""
    import sys

    from complaint_workflow import MissingDependencyError

    monkeypatch.setitem(sys.modules, "holidays", None)  # import holidays now fails
    with pytest.raises(
        MissingDependencyError, match=r"pip install 'complaint-workflow\[holidays\]'"
    ):
        WorkingDayCalendar.from_holidays_package(2030, 2031)
    with pytest.raises(ImportError):
        WorkingDayCalendar.from_holidays_package(2030, 2031)
    assert WorkingDayCalendar.england_and_wales().is_working_day(date(2024, 12, 27))
