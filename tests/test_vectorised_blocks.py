"""The blocked path of :class:`VectorCalendar` (many dates, one ``n``) against the scalar calendar.

``add_working_days`` and ``working_days_before`` on at least ``_BLOCKED_AT_LEAST`` dates with
one ``n`` check both ends of the dates against the table first, then answer block by block
(``_BLOCK`` dates) into one new array. These tests shrink the block to 64 dates and run sizes
either side of its edges, every input form the methods read, and errors from a late block;
each answer is checked against the scalar calendar, element by element, and against the
checked (unblocked) path for its dtype, shape and error message. Seeded bugs in the block
edges and in the up-front range check show the checks fail when the blocked path is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from complaint_workflow import CalendarRangeError, WorkingDayCalendar
from complaint_workflow.analysis import vectorised
from complaint_workflow.analysis.vectorised import VectorCalendar

CAL = WorkingDayCalendar.england_and_wales()
BLOCK = 64
SIZES = (0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 5)
STEPS = (("add", 15), ("add", 0), ("add", -3), ("before", 1), ("before", 7))
FIRST, LAST = date(CAL.first_year + 1, 1, 1), date(CAL.last_year - 1, 12, 31)


class _ZeroedEmpty:
    """numpy as the module sees it, except that ``empty`` hands out zeroed memory: a row the
    blocks never write then reads 1970-01-01 (outside every test calendar), never a stale
    right answer left by an earlier call."""

    def __getattr__(self, name: str) -> Any:
        return getattr(np, name)

    @staticmethod
    def empty(*args: Any, **kwargs: Any) -> Any:
        array = np.empty(*args, **kwargs)
        array.view(np.uint8).fill(0)
        return array

    @staticmethod
    def empty_like(*args: Any, **kwargs: Any) -> Any:
        array = np.empty_like(*args, **kwargs)
        array.view(np.uint8).fill(0)
        return array


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 64 dates, the blocked path from one date on, zeroed scratch memory."""
    monkeypatch.setattr(vectorised, "_BLOCK", BLOCK)
    monkeypatch.setattr(vectorised, "_BLOCKED_AT_LEAST", 0)
    monkeypatch.setattr(vectorised, "np", _ZeroedEmpty())


def _dates(size: int, wide: bool, seed: int = 0) -> np.ndarray[Any, Any]:
    """``size`` seeded-random dates: over six weeks (``wide`` false: the range table) or over
    the calendar's whole span bar a year at each end (two gathers a block)."""
    rng = np.random.default_rng(seed)
    lo = np.datetime64(date(2024, 3, 1) if not wide else FIRST, "D").astype(np.int64)
    hi = lo + 41 if not wide else np.datetime64(LAST, "D").astype(np.int64)
    return rng.integers(lo, hi + 1, size).astype("datetime64[D]")


def _ask(vc: VectorCalendar, how: str, dates: Any, n: int, **kw: Any) -> Any:
    if how == "add":
        return vc.add_working_days(dates, n, **kw)
    return vc.working_days_before(dates, n, **kw)


def _scalar(
    how: str, days: np.ndarray[Any, Any], n: int, cal: WorkingDayCalendar = CAL
) -> list[date]:
    ask = cal.add_working_days if how == "add" else cal.working_days_before
    return [ask(d, n) for d in days.reshape(-1).astype("datetime64[D]").tolist()]


def _checked(monkeypatch: pytest.MonkeyPatch, ask: Callable[[], Any]) -> Any:
    """What the checked (unblocked) path answers, or the error it raises."""
    with monkeypatch.context() as m:
        m.setattr(vectorised, "_BLOCKED_AT_LEAST", 10**18)
        try:
            return ask()
        except CalendarRangeError as error:
            return error


def check_blocked_answers(
    monkeypatch: pytest.MonkeyPatch,
    dates: Any,
    how: str,
    n: int,
    days: np.ndarray[Any, Any],
    cal: WorkingDayCalendar = CAL,
) -> None:
    """The blocked answer for ``dates`` (which read as ``days``) is the scalar calendar's,
    element by element, with the checked path's dtype and shape, in one pass of the blocks."""
    vc = VectorCalendar(cal)
    worked: list[tuple[int, int]] = []
    blocks = vectorised._blocks

    def counted(size: int) -> Iterator[tuple[int, int]]:
        for edge in blocks(size):
            worked.append(edge)
            yield edge

    with monkeypatch.context() as m:
        m.setattr(vectorised, "_blocks", counted)
        got = _ask(vc, how, dates, n)
    want = _checked(monkeypatch, lambda: _ask(vc, how, dates, n))
    assert got.dtype == want.dtype == np.dtype("datetime64[D]")
    assert got.shape == want.shape == np.shape(days)
    assert got.reshape(-1).tolist() == _scalar(how, days, n, cal)
    assert len(worked) == -(-np.size(days) // vectorised._BLOCK)  # the blocked path ran


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("wide", [False, True], ids=["range-table", "two-gathers"])
@pytest.mark.parametrize(("how", "n"), STEPS)
@pytest.mark.parametrize("size", SIZES)
def test_blocked_answers_across_block_edges(
    monkeypatch: pytest.MonkeyPatch, size: int, how: str, n: int, wide: bool
) -> None:
    """Sizes either side of a block's edges get the scalar calendar's answer on every row."""
    days = _dates(size, wide, seed=size)
    if size > 1:  # the range table where the dates span fewer days than they are many
        assert (int(np.ptp(days.view(np.int64))) < size) is not wide
    check_blocked_answers(monkeypatch, days, how, n, days)


USERS = CAL.with_closures(
    [date(2024, 3, 11), date(2024, 3, 28), date(2024, 4, 2)]
).with_working_days(
    [date(2024, 3, 16), date(2024, 4, 1), date(2024, 4, 13)]  # two Saturdays, Easter Monday
)


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("wide", [False, True], ids=["range-table", "two-gathers"])
@pytest.mark.parametrize(("how", "n"), STEPS)
def test_blocked_answers_on_a_users_calendar(
    monkeypatch: pytest.MonkeyPatch, how: str, n: int, wide: bool
) -> None:
    """A calendar with closures and weekend working days gets its scalar answers too."""
    days = _dates(3 * BLOCK + 5, wide, seed=6)
    check_blocked_answers(monkeypatch, days, how, n, days, USERS)


def _views() -> list[tuple[str, Any, np.ndarray[Any, Any]]]:
    """Non-contiguous and many-dimensional views of one array, and what they read as."""
    base = _dates(6 * BLOCK + 2, wide=False, seed=1)
    grid = base[: 6 * BLOCK].reshape(6, BLOCK)
    views = {
        "every third": base[::3],
        "reversed": base[::-1],
        "2-d": grid,
        "2-d transposed": grid.T,
        "a column": np.ascontiguousarray(grid.T)[:, 2],
        "2-d every other column": grid[:, ::2],
    }
    return [(name, view, view) for name, view in views.items()]


def _forms() -> list[tuple[str, Any, np.ndarray[Any, Any]]]:
    """Every form of dates the methods read, each with the ``datetime64[D]`` it reads as."""
    days = _dates(2 * BLOCK + 3, wide=True, seed=2)
    forms: list[tuple[str, Any, np.ndarray[Any, Any]]] = []
    for unit in ("h", "m", "s", "ms", "us", "ns"):  # a time of day is dropped
        offset = np.arange(days.size) % 24 * np.timedelta64(1, "h")
        forms.append((f"datetime64[{unit}]", (days + offset).astype(f"datetime64[{unit}]"), days))
    weeks = days.astype("datetime64[W]")
    months = days.astype("datetime64[M]")
    years = days.astype("datetime64[Y]")
    ints = days.view(np.int64)
    forms += [
        ("datetime64[W]", weeks, weeks.astype("datetime64[D]")),
        ("datetime64[M]", months, months.astype("datetime64[D]")),
        ("datetime64[Y]", years, years.astype("datetime64[D]")),
        ("int64 days", ints, days),
        ("int32 days", ints.astype(np.int32), days),
        ("uint16 days", ints.astype(np.uint16), days),
        ("ISO strings", days.astype(str), days),
        ("ISO bytes", days.astype("S10"), days),
        ("list of dates", days.tolist(), days),
        ("object array of dates", np.array(days.tolist(), dtype=object), days),
        ("list of ISO strings", [str(d) for d in days], days),
        ("naive pandas Series", pd.Series(days.astype("datetime64[ns]")), days),
        ("naive DatetimeIndex", pd.DatetimeIndex(days.astype("datetime64[s]")), days),
    ]
    return forms


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize(("how", "n"), [("add", 15), ("add", -3), ("before", 2)])
@pytest.mark.parametrize(
    ("name", "dates", "days"), _views() + _forms(), ids=[f[0] for f in _views() + _forms()]
)
def test_blocked_answers_for_every_input_form(
    monkeypatch: pytest.MonkeyPatch, name: str, dates: Any, days: Any, how: str, n: int
) -> None:
    """Views, many-dimensional arrays, every datetime64 unit, integers, text, dates and pandas
    forms get the scalar calendar's answer on every row, shaped like the input."""
    check_blocked_answers(monkeypatch, dates, how, n, np.asarray(days))


@pytest.mark.parametrize("wide", [False, True], ids=["six-weeks", "whole-span"])
@pytest.mark.parametrize("delta", [-1, 0, 1, 2 * 32_768 + 7])
def test_the_real_block_edges(monkeypatch: pytest.MonkeyPatch, delta: int, wide: bool) -> None:
    """With the real block size, sizes either side of it and of several blocks agree too."""
    size = vectorised._BLOCK + delta
    days = _dates(size, wide, seed=size)
    assert size >= vectorised._BLOCKED_AT_LEAST
    check_blocked_answers(monkeypatch, days, "add", 15, days)


WORKING = CAL.table()[2]
"""Every working day of the calendar's span, in order."""


def _late_errors() -> list[tuple[str, int, date, str, int]]:
    """Rows in a late block that fall off the table, most by one day or one working day:
    (case, row, date, question, n)."""
    first, last = date(CAL.first_year, 1, 1), date(CAL.last_year, 12, 31)
    return [
        ("a date a day after the span", 3 * BLOCK + 4, last + timedelta(days=1), "add", 15),
        ("a date a day before the span", 2 * BLOCK + 1, first - timedelta(days=1), "add", 15),
        ("a date a day after, counting back", 3 * BLOCK, last + timedelta(days=1), "before", 1),
        ("a date a day after, n < 0", 3 * BLOCK + 3, last + timedelta(days=1), "add", -1),
        ("a date far after the span", 3 * BLOCK + 2, date(CAL.last_year + 5, 6, 1), "add", 1),
        ("a result one past the last", 3 * BLOCK + 4, WORKING[-15], "add", 15),
        ("a result one before the first, n < 0", 2 * BLOCK, WORKING[9], "add", -10),
        ("a result one before the first, back", 3 * BLOCK + 2, WORKING[6], "before", 7),
    ]


def test_the_ends_of_the_table_are_on_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates and results on the very first and last day of the table take the blocked path
    and get the scalar answers: the range check is exact at both ends."""
    ends = [
        ("add", 15, [date(CAL.first_year, 1, 1), WORKING[-16], date(CAL.first_year, 1, 1)]),
        ("add", -10, [WORKING[10], date(CAL.last_year, 12, 31)]),
        ("before", 7, [WORKING[7], date(CAL.last_year, 12, 31)]),
        ("add", 0, [date(CAL.first_year, 1, 1), WORKING[-1]]),
    ]
    with monkeypatch.context() as m:
        m.setattr(vectorised, "_BLOCK", BLOCK)
        m.setattr(vectorised, "_BLOCKED_AT_LEAST", 0)
        for how, n, edge in ends:
            days = _dates(2 * BLOCK + 3, wide=True, seed=7)
            days[-len(edge) :] = np.array(edge, dtype="datetime64[D]")
            check_blocked_answers(monkeypatch, days, how, n, days)


def check_late_error(
    monkeypatch: pytest.MonkeyPatch, row: int, bad: date, how: str, n: int
) -> None:
    """A row off the table in a late block raises the checked path's error, naming that row,
    before any block is worked out, and leaves the input as it was."""
    days = _dates(3 * BLOCK + 5, wide=False, seed=row)
    days[row] = np.datetime64(bad, "D")
    before = days.copy()
    vc = VectorCalendar(CAL)
    want = _checked(monkeypatch, lambda: _ask(vc, how, days, n))
    assert isinstance(want, CalendarRangeError), "the checked path must raise here"
    assert f"(row {row})" in str(want)
    worked: list[int] = []
    blocks = vectorised._blocks

    def counted(size: int) -> Iterator[tuple[int, int]]:
        for edge in blocks(size):
            worked.append(edge[0])
            yield edge

    error: CalendarRangeError | None = None
    with monkeypatch.context() as m:
        m.setattr(vectorised, "_blocks", counted)
        try:
            got = _ask(vc, how, days, n)
        except CalendarRangeError as caught:
            error = caught
    if error is None:
        raise AssertionError(f"no error for row {row}; got {got[row]}")
    assert str(error) == str(want)
    assert worked == [], "blocks were worked out before the error"
    assert np.array_equal(days, before)


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize(
    ("case", "row", "bad", "how", "n"), _late_errors(), ids=[e[0] for e in _late_errors()]
)
def test_a_late_block_off_the_table_raises_before_any_work(
    monkeypatch: pytest.MonkeyPatch, case: str, row: int, bad: date, how: str, n: int
) -> None:
    """A date or result off the table in the last blocks raises the checked path's
    :class:`CalendarRangeError`, naming the row, with no block worked out."""
    check_late_error(monkeypatch, row, bad, how, n)


@pytest.mark.usefixtures("small_blocks")
def test_where_skips_a_placeholder_in_a_late_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """A placeholder outside ``where`` in a late block raises nothing; the other rows keep the
    scalar calendar's answers."""
    days = _dates(3 * BLOCK + 5, wide=False, seed=3)
    days[3 * BLOCK + 1] = np.datetime64("1900-01-01")
    keep = np.ones(days.size, dtype=bool)
    keep[3 * BLOCK + 1] = False
    vc = VectorCalendar(CAL)
    for how, n in STEPS:
        got = _ask(vc, how, days, n, where=keep)
        assert got[keep].tolist() == _scalar(how, days[keep], n)
    inside = _dates(3 * BLOCK + 5, wide=True, seed=4)  # all on the table: where changes nothing
    assert _ask(vc, "add", inside, 5, where=~keep).tolist() == _scalar("add", inside, 5)


# ------------------------------------------------------------------ seeded bugs


def _short_blocks(size: int) -> Iterator[tuple[int, int]]:
    """Off by one: each block stops a row short of the next one's start."""
    for start in range(0, size, vectorised._BLOCK):
        yield start, min(start + vectorised._BLOCK, size) - 1


def _whole_blocks_only(size: int) -> Iterator[tuple[int, int]]:
    """Forgets the last, partial block."""
    for start in range(0, size - vectorised._BLOCK + 1, vectorised._BLOCK):
        yield start, start + vectorised._BLOCK


def _low_end_only(self: VectorCalendar, low: int, high: int, offset: int, shift: int) -> bool:
    """Checks the earliest date and its result, never the latest."""
    first = low - self.origin
    return first >= 0 and int(self.cumulative[first + offset]) + shift >= 0


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("bug", [_short_blocks, _whole_blocks_only], ids=["short", "partial"])
@pytest.mark.parametrize("wide", [False, True], ids=["range-table", "two-gathers"])
def test_the_edge_checks_catch_seeded_block_bugs(
    monkeypatch: pytest.MonkeyPatch, bug: Callable[[int], Iterator[tuple[int, int]]], wide: bool
) -> None:
    """Blocks that stop a row short, or a last partial block left out, fail the check."""
    monkeypatch.setattr(vectorised, "_blocks", bug)
    days = _dates(BLOCK + 1, wide, seed=5)
    with pytest.raises(AssertionError):
        check_blocked_answers(monkeypatch, days, "add", 15, days)


@pytest.mark.usefixtures("small_blocks")
def test_the_late_error_check_catches_a_seeded_range_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """A range check that forgets the latest date fails the late-block error check."""
    monkeypatch.setattr(VectorCalendar, "_on_table", _low_end_only)
    _, row, bad, how, n = _late_errors()[0]
    with pytest.raises(AssertionError):
        check_late_error(monkeypatch, row, bad, how, n)
