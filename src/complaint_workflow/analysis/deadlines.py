"""Every obligation's due date for many complaints at once, exactly the scalar answers.

:func:`due_dates` is the vectorised form of :func:`complaint_workflow.deadlines` at the
receipt instant: for arrays of receipt instants (and complainant kinds, triage routes, hearing
dates, involvement-ended dates and court aspects) it returns one row per complaint with day 0,
the intake gate, the six-month limit and, for every target the policy makes Cafcass owe, the
due date (``NaT`` where the obligation does not apply) and, for a target counted back from the
hearing, whether it was already impossible. Each element equals what the scalar path gives
for the same facts; ``tests/test_analysis_deadlines.py`` checks that on random inputs.

Inside, a date is whole days since 1970-01-01 or seconds since then (what the output
columns hold), whichever is at hand (:class:`_Dates`), and every working-day step is a gather
from the calendar's prefix-count table
(:meth:`~complaint_workflow.calendar.WorkingDayCalendar.table`): no per-element Python. Each
pass over a million rows costs about a millisecond and each new array kept to the end a few
more, so the work is laid out to make few of either: receipts are read in place, London's
offset is one gather from an hour table, a due date is gathered straight into its output
column (rows not owed gather the ``NaT`` in front of the table), masks are combined by
arithmetic rather than by masked assignment, and a mask or comparison the rules ask for
twice is worked out once (docs/performance.md).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..calendar import WorkingDayCalendar
from ..durations import CalendarDays, Duration, Months, WeekLength, Weeks, WorkingDays
from ..errors import InvalidInputError, PolicyError
from ..policy import Policy, Target
from ..rules import Facts, compile_policy
from ..vocabulary import ACTS, ASPECTS, COMPLAINANTS, ELIGIBILITIES, TRIAGE_ROUTES
from . import dtypes
from .vectorised import (
    _UNITS_PER_SECOND,
    VectorCalendar,
    _days_and_clock,
    _utc_values,
    add_months,
    london_wall_values,
)

__all__ = ["ELIGIBILITY", "due_dates"]

Days = npt.NDArray[np.int64]
"""Dates as whole days since 1970-01-01."""
Positions = npt.NDArray[np.int32]
"""Positions among the working days (:meth:`VectorCalendar.positions`, in half the bytes)."""
Mask = npt.NDArray[np.bool_]

ELIGIBILITY: Final = ELIGIBILITIES
"""The categories of the ``eligibility`` column, in this order."""
ELIGIBILITY_DTYPE: Final = dtypes.ELIGIBILITY_DTYPE
"""The dtype of the ``eligibility`` column (declared once, in :mod:`.dtypes`)."""
IMPOSSIBLE_SUFFIX: Final = "__impossible"
FIXED_COLUMNS: Final = ("deemed_receipt", "eligibility", "six_month_limit")

_ADULT, _CHILD, _OTHER, _EMPLOYEE = range(4)
_IN_TIME, _LATE, _OUTSIDE = range(3)
_NAT: Final = np.iinfo(np.int64).min
_SECONDS_PER_DAY: Final = 86_400
_FEW_OBJECTS: Final = 1024
"""Up to this many distinct objects in an object array, codes are looked up per object."""


# --------------------------------------------------------------------- counting on the calendar


def _shift(
    duration: Duration,
    backward: bool,
    days: Days,
    valid: Mask,
    week: WeekLength,
    vc: VectorCalendar,
) -> Days:
    """``Target.due``: ``duration`` after (or, counting back, before) each anchor in ``days``.

    Every working-day step is :class:`VectorCalendar`'s (a gather from the calendar's
    prefix-count table); a date off the table raises only where ``valid``.
    """
    if isinstance(duration, Weeks):
        duration = (
            CalendarDays(7 * duration.n) if week == "calendar" else WorkingDays(5 * duration.n)
        )
    if isinstance(duration, CalendarDays):
        return days - duration.n if backward else days + duration.n
    dates = days.view("datetime64[D]")
    if isinstance(duration, Months):
        shifted = vc.add_months(dates, -duration.n if backward else duration.n, where=valid)
    elif isinstance(duration, WorkingDays):
        if backward:
            shifted = vc.working_days_before(dates, duration.n, where=valid)
        else:
            shifted = vc.add_working_days(dates, duration.n, where=valid)
    else:  # pragma: no cover - validated
        raise PolicyError(f"unknown duration {duration!r}")
    result: Days = shifted.view(np.int64)
    return result


# --------------------------------------------------------------------- reading the inputs


def _broadcast(values: Any, n: int, name: str) -> npt.NDArray[Any]:
    array = np.asarray(values)
    if array.ndim == 0:
        return np.broadcast_to(array, (n,))
    if array.shape != (n,):
        raise InvalidInputError(f"{name} must be a scalar or have one element per complaint ({n})")
    return array


def _codes(values: Any, choices: Sequence[str], n: int, name: str, optional: bool) -> Any:
    """Integer codes of ``values`` in ``choices``; ``-1`` for ``None`` when ``optional``."""
    expected = f"one of {', '.join(choices)}{' or None' if optional else ''}"
    if values is None or isinstance(values, str):
        if (values is None and not optional) or (values is not None and values not in choices):
            raise InvalidInputError(f"{name} must be {expected} (got {values!r})")
        return np.full(n, -1 if values is None else choices.index(values), dtype=np.int8)
    if isinstance(values, pd.Series | pd.Index):
        values = values.array
    array: Any = values
    if not isinstance(values, pd.api.extensions.ExtensionArray):
        array = _broadcast(values, n, name)
    if len(array) != n:
        raise InvalidInputError(f"{name} must be a scalar or have one element per complaint ({n})")
    codes = np.full(n, -2, dtype=np.int8)
    quick = _text_codes(array, choices) if isinstance(array, np.ndarray) else None
    if quick is not None:
        codes = quick
    elif isinstance(array, np.ndarray) and array.dtype.kind in "US":
        for code, choice in enumerate(choices):  # a few comparisons beat hashing fixed-width text
            np.copyto(codes, code, where=array == choice)
    else:
        codes = _object_codes(array, choices)
    bad = codes == -2 if optional else codes < 0
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(f"{name}[{first}] must be {expected} (got {array[first]!r})")
    return codes


_BLOCK: Final = 1 << 14
"""Rows checked at a time by :func:`_text_codes` (a block of text stays in the cache)."""


def _text_codes(array: npt.NDArray[Any], choices: Sequence[str]) -> npt.NDArray[np.int8] | None:
    """Codes of a numpy text array (``dtype`` ``U``) that holds only ``choices``, else ``None``.

    A position where the choices' characters all differ (the first, for the vocabularies
    here) names each row's candidate; then every row's bytes are compared, block
    by block, with its candidate's, so a row is only ever coded as the text it holds. Any
    other text (or a text array with no such position) gives ``None``: the caller's
    element-wise comparisons then find and name it.
    """
    if array.dtype.kind != "U" or array.ndim != 1 or not array.flags.c_contiguous:
        return None
    n, width = array.size, array.dtype.itemsize // 4
    fitting = [i for i, c in enumerate(choices) if len(c) <= width]
    if not n or not width or not fitting:
        return None
    table = np.array([choices[i] for i in fitting], dtype=array.dtype)
    chars = table.view(np.uint32).reshape(len(fitting), width)
    column = next((j for j in range(width) if len(set(chars[:, j])) == len(fitting)), None)
    if column is None:
        return None
    picked = np.ascontiguousarray(array.view(np.uint32).reshape(n, width)[:, column])
    candidate = np.zeros(n, dtype=np.int8)
    for code, char in enumerate(chars[:, column].tolist()):  # a sum of comparisons, no gather
        candidate += (picked == char).view(np.int8) * np.int8(code + 1)
    candidate -= 1
    if int(candidate.min()) < 0:  # a character no choice has there
        return None
    rows = array.view(np.uint8).reshape(n, array.dtype.itemsize)
    expected = table.view(np.uint8).reshape(len(fitting), array.dtype.itemsize)
    for start in range(0, n, _BLOCK):
        block = rows[start : start + _BLOCK]
        want = expected.take(candidate[start : start + _BLOCK], axis=0)
        if block.size % 8 == 0:
            block, want = block.reshape(-1).view(np.uint64), want.reshape(-1).view(np.uint64)
        if not np.array_equal(block, want):
            return None
    if len(fitting) == len(choices):
        return candidate
    codes: npt.NDArray[np.int8] = np.array(fitting, dtype=np.int8)[candidate]
    return codes


def _object_codes(array: Any, choices: Sequence[str]) -> npt.NDArray[np.int8]:
    """Codes of objects, categoricals or arrow strings (``-1`` missing, ``-2`` unknown).

    A contiguous object array usually holds a few objects many times over: the same object is
    the same value, so its codes come from factorizing the objects' addresses (integers, fast
    to hash) and looking up each distinct object once. Otherwise, or when there are many
    distinct objects, the values themselves are factorized.
    """
    if (
        isinstance(array, np.ndarray)
        and array.dtype == object
        and array.ndim == 1
        and array.flags.c_contiguous
        and array.size
    ):
        pointers = (ctypes.c_void_p * array.size).from_address(array.ctypes.data)
        addresses = np.frombuffer(memoryview(pointers), dtype=np.intp)
        few = _few_object_codes(array, addresses, choices)
        if few is not None:
            return few
        found, distinct = pd.factorize(addresses)
        if len(distinct) <= _FEW_OBJECTS:
            # codes count up in order of first appearance: where the running maximum rises
            rises = np.flatnonzero(np.diff(np.maximum.accumulate(found))) + 1
            objects = array[np.concatenate(([0], rises))]  # each distinct object, read once
            by_object: npt.NDArray[np.int8] = _value_codes(objects, choices)
            result: npt.NDArray[np.int8] = by_object[found]
            return result
    return _value_codes(array, choices)


_FEWEST: Final = 6
"""Up to this many distinct objects, :func:`_few_object_codes` compares addresses."""


def _few_object_codes(
    array: npt.NDArray[Any], addresses: npt.NDArray[np.intp], choices: Sequence[str]
) -> npt.NDArray[np.int8] | None:
    """Codes of an object array holding at most :data:`_FEWEST` distinct objects, else
    ``None``: each distinct object is found by comparing addresses (no hashing), and coded
    once by :func:`_value_codes`. Codes are summed as ``code + 3`` (so ``-2`` and ``-1`` are
    positive) by arithmetic on the comparison, with no masked assignment."""
    total = np.zeros(array.size, dtype=np.int8)
    first = 0
    for _ in range(_FEWEST):
        same = addresses == addresses[first]
        code = int(_value_codes(array[first : first + 1], choices)[0])
        total += same.view(np.int8) * np.int8(code + 3)
        unseen = total == 0
        first = int(unseen.argmax())
        if not unseen[first]:
            total -= 3
            return total
    return None


def _value_codes(array: Any, choices: Sequence[str]) -> npt.NDArray[np.int8]:
    """Codes by factorizing the values, then mapping the few distinct ones."""
    found, uniques = pd.factorize(array, use_na_sentinel=True)
    lookup = np.array(
        [choices.index(u) if isinstance(u, str) and u in choices else -2 for u in uniques]
        + [-1],  # the sentinel -1 (missing) indexes this last element
        dtype=np.int8,
    )
    codes: npt.NDArray[np.int8] = lookup[found]
    return codes


def _dates(values: Any, n: int, name: str) -> tuple[Days, Mask] | None:
    """Optional dates: days since the epoch (``NaT`` where none) and where one was given;
    ``None`` when none is given at all."""
    if values is None:
        return None
    if isinstance(values, pd.Series | pd.Index):
        values = values.to_numpy()
    try:
        array = np.asarray(values, dtype="datetime64[D]")
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"{name} must be an array of dates (datetime64[D], NaT for none)"
        ) from None
    days: Days = _broadcast(array, n, name).view(np.int64)
    return days, days != _NAT


def _select(cond: Mask, a: Days, b: Days | np.int64) -> Days:
    """``a`` where ``cond``, else ``b``, by arithmetic: ``b + (a - b) * cond``.

    Integer arrays wrap round on overflow, so this is exact even where ``a`` or ``b`` is
    ``NaT``; it is three plain passes, several times faster than ``numpy.where`` on a mask
    with no pattern (whose branches the processor cannot predict).
    """
    result: Days = a - b
    result *= cond
    result += b
    return result


def _flags(values: Any, n: int, name: str) -> Mask:
    if values is None:
        return np.zeros(n, dtype=bool)
    array = _broadcast(values, n, name)
    if array.dtype != np.bool_:
        if array.dtype.kind not in "biu" and array.dtype != object:
            raise InvalidInputError(f"{name} must be booleans")
        array = array.astype(bool)
    return array


def _given(
    values: Any,
    name: str,
    wrong: Callable[[Days, Days], Mask],
    message: str,
    received: _Dates,
    ops: _VectorOps,
) -> tuple[_Dates, Mask]:
    """An optional date column as the rules read it, and where one was given. Where none is
    given the receipt date stands in, so every index is in the table; a date ``wrong``
    against the receipt date (``message`` says how) raises."""
    found = _dates(values, ops.n, name)
    if found is None:
        return received, ops.false()
    days, given = found
    received_on = received.days()
    _check_facts(name, days, received_on, given & wrong(days, received_on), message)
    return _Dates(given=(days, given, received_on)), given


def _check_facts(name: str, days: Days, received: Days, bad: Mask, message: str) -> None:
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(
            f"{name}[{first}] {np.datetime64(int(days[first]), 'D')} {message} "
            f"({np.datetime64(int(received[first]), 'D')})"
        )


# --------------------------------------------------------------------- the rules, vectorised


_NAT_DAYS: Final = np.int64(_NAT)


class _Dates:
    """Dates for many complaints, as whole days or seconds since the epoch (or both), each
    form worked out at most once, and, once asked for, their positions among the working
    days.

    ``nat_outside``, when set, is the mask outside which ``seconds`` is already ``NaT``: a
    due date gathered for the rows that owe it is its output column as it stands. Outside
    the rows that matter the values are placeholders (no rule reads them there).
    ``working=True`` says every date is the working day at its position (day 0 is), so
    anything counted from it can be looked up by position. ``given`` holds optional dates
    as they came (``NaT`` for none), where they were given, and the placeholder days for the
    rest, filled in only when some rule needs every row to be a date.
    """

    __slots__ = ("_days", "_given", "_positions", "_seconds", "nat_outside", "working")

    def __init__(
        self,
        *,
        days: Days | None = None,
        seconds: Days | None = None,
        nat_outside: Mask | None = None,
        positions: tuple[Positions, int, int] | None = None,
        working: bool = False,
        given: tuple[Days, Mask, Days] | None = None,
    ) -> None:
        self._days = days
        self._seconds = seconds
        self.nat_outside = nat_outside
        self._positions = positions
        self.working = working
        self._given = given

    @property
    def has_days(self) -> bool:
        """Whether whole days are at hand (or optional dates, filled on demand)."""
        return self._days is not None or self._given is not None

    @property
    def given(self) -> tuple[Days, Mask, Days] | None:
        """The optional dates as given (``NaT`` for none), where given, and the fill."""
        return self._given

    @property
    def has_seconds(self) -> bool:
        """Whether seconds since the epoch are at hand."""
        return self._seconds is not None

    def days(self) -> Days:
        """Whole days since the epoch (worked out once, then kept)."""
        if self._days is None:
            if self._given is not None:
                raw, present, fill = self._given
                self._days = _select(present, raw, fill)
            else:
                self._days = self.seconds() // _SECONDS_PER_DAY
        return self._days

    def seconds(self) -> Days:
        """Seconds since the epoch (worked out once, then kept)."""
        if self._seconds is None:
            self._seconds = self.days() * _SECONDS_PER_DAY
        return self._seconds

    def seconds_now(self) -> Days:
        """:meth:`seconds`, without keeping them when they have to be worked out."""
        if self._seconds is not None:
            return self._seconds
        result: Days = self.days() * _SECONDS_PER_DAY
        return result

    def positions(self, vc: VectorCalendar) -> tuple[Positions, int, int] | None:
        """Each date's position among the working days and their range (``None`` where
        some date is off the table: the general path then says which)."""
        if self._positions is None and self._days is None and self._given is not None:
            self._positions = self._given_positions(vc)
        if self._positions is None:
            days = self.days()
            rows = days - vc.origin
            if not rows.size:
                return None
            low, high = int(rows.min()), int(rows.max())
            if low < 0 or high >= vc.span:
                return None
            cumulative = vc._cumulative32
            self._positions = cumulative[rows], int(cumulative[low]), int(cumulative[high])
        return self._positions

    def _given_positions(self, vc: VectorCalendar) -> tuple[Positions, int, int] | None:
        """Positions of optional dates read as given, with no placeholders: rows without a
        date take position 0 (no rule reads them) and the range is that of the dates given
        (``None`` where none is given, or some is off the table)."""
        assert self._given is not None
        raw, present, _ = self._given
        if not present.any():
            return None
        earlier = raw - 1  # NaT - 1 wraps round to the greatest integer: the least date left
        low, high = int(earlier.min()) + 1 - vc.origin, int(raw.max()) - vc.origin
        del earlier
        if low < 0 or high >= vc.span:
            return None
        rows = raw - vc.origin
        np.clip(rows, 0, vc.span - 1, out=rows)
        cumulative = vc._cumulative32
        return cumulative[rows], int(cumulative[low]), int(cumulative[high])

    def column(self, owed: Mask) -> npt.NDArray[np.datetime64]:
        """The output column: seconds (``datetime64[s]``, what pandas holds), ``NaT`` where
        not ``owed``."""
        if self.nat_outside is owed:
            seconds = self.seconds()
        elif not owed.any():
            seconds = np.full(owed.shape, _NAT, dtype=np.int64)
        else:
            seconds = _select(owed, self.seconds(), _NAT_DAYS)
        return seconds.view("datetime64[s]")


def _pair(a: _Dates, b: _Dates) -> tuple[Days, Days]:
    """Two dates in one form: days where both have them, else seconds (a form worked out
    here is not kept: a comparison's operand is read once, and each array kept to the end
    of the call costs more than the pass that makes it)."""
    if a.has_days and b.has_days:
        return a.days(), b.days()
    return a.seconds_now(), b.seconds_now()


class _VectorOps:
    """:class:`~complaint_workflow.rules.Ops` over numpy: bool masks and :class:`_Dates`.

    ``true()`` and ``false()`` are shared read-only masks, and the identities the rules lean
    on (``false | a``, ``true & a`` ...) give back the mask itself. A mask asked for twice
    from the same operands (a route's, for several targets) is worked out once: answers
    are kept with their operands for the call (dates are not: an array of dates kept to
    the end costs more than the pass that makes it again). Every due date counted in
    working days from an anchor is one gather from the anchor's positions (worked out once
    per anchor) into the output column, ``NaT`` where not owed.
    """

    __slots__ = ("_buffer", "_false", "_memo", "_true", "n", "vc", "week")

    def __init__(self, n: int, policy: Policy, vc: VectorCalendar) -> None:
        self.n = n
        self.week = policy.parameters.week_length
        self.vc = vc
        self._true = np.ones(n, dtype=bool)
        self._false = np.zeros(n, dtype=bool)
        self._true.setflags(write=False)
        self._false.setflags(write=False)
        self._memo: dict[tuple[str, int, int], tuple[Any, Any, Any]] = {}
        self._buffer: Days | None = None

    def _once(self, op: str, a: Any, b: Any, work: Any) -> Any:
        key = (op, id(a), id(b))
        kept = self._memo.get(key)
        if kept is None:  # the operands are kept with the answer, so their ids stay theirs
            kept = self._memo[key] = (a, b, work(a, b))
        return kept[2]

    def true(self) -> Mask:
        return self._true

    def false(self) -> Mask:
        return self._false

    def and_(self, a: Mask, b: Mask) -> Mask:
        if a is self._true or b is self._false:
            return b
        if b is self._true or a is self._false:
            return a
        result: Mask = self._once("and", a, b, np.logical_and)
        return result

    def or_(self, a: Mask, b: Mask) -> Mask:
        if a is self._false or b is self._true:
            return b
        if b is self._false or a is self._true:
            return a
        result: Mask = self._once("or", a, b, np.logical_or)
        return result

    def not_(self, a: Mask) -> Mask:
        result: Mask = self._once("not", a, None, lambda x, _: ~x)
        return result

    def lt(self, a: _Dates, b: _Dates) -> Mask:
        result: Mask = np.less(*_pair(a, b))
        return result

    def ge(self, a: _Dates, b: _Dates) -> Mask:
        result: Mask = np.greater_equal(*_pair(a, b))
        return result

    def where(self, cond: Mask, a: _Dates, b: _Dates) -> _Dates:
        if a.has_days and b.has_days:
            return _Dates(days=_select(cond, a.days(), b.days()))
        return _Dates(seconds=_select(cond, *_pair(a, b)))

    def maximum(self, a: _Dates, b: _Dates) -> _Dates:
        if a.has_days and b.has_days:
            return _Dates(days=np.maximum(a.days(), b.days()))
        return _Dates(seconds=np.maximum(*_pair(a, b)))

    def _scratch(self) -> Days:
        """One working array for the whole call (the indices of each gather)."""
        if self._buffer is None:
            self._buffer = np.empty(self.n, dtype=np.int64)
        return self._buffer

    def some(self, a: Mask) -> bool:
        return a is not self._false and bool(a.any())

    def due(self, target: Target, anchor: _Dates, valid: Mask) -> _Dates:
        if valid is self._false:  # nothing to count (no involvement ended, say)
            return _Dates(seconds=np.full(self.n, _NAT, dtype=np.int64), nat_outside=valid)
        duration = target.duration
        if isinstance(duration, Weeks):
            duration = (
                CalendarDays(7 * duration.n)
                if self.week == "calendar"
                else WorkingDays(5 * duration.n)
            )
        if isinstance(duration, WorkingDays) and (target.backward or duration.n >= 0):
            shift = -duration.n if target.backward else duration.n
            known = anchor.positions(self.vc)
            if known is not None:
                position, low, high = known
                seconds = self.vc._step_seconds(
                    position, shift, valid, (low, high), scratch=self._scratch()
                )
                if seconds is not None:
                    return _Dates(seconds=seconds, nat_outside=valid)
                stepped = self.vc.step(
                    position.astype(np.int64), shift, where=valid, bounds=(low, high)
                )
                return _Dates(days=stepped.view(np.int64))
        elif isinstance(duration, CalendarDays):
            step = (-duration.n if target.backward else duration.n) * _SECONDS_PER_DAY
            known = anchor.positions(self.vc) if anchor.working else None
            if known is not None:  # one gather from the working days, each moved on
                table = self.vc._seconds + step
                table[0] = _NAT
                k = np.add(known[0], 1, out=self._scratch())
                k *= valid
                return _Dates(seconds=table[k], nat_outside=valid)
            shifted = anchor.seconds() + step
            return _Dates(seconds=_select(valid, shifted, _NAT_DAYS), nat_outside=valid)
        elif isinstance(duration, Months):
            months = self._months(-duration.n if target.backward else duration.n, anchor, valid)
            if months is not None:
                return months
        days = _shift(target.duration, target.backward, anchor.days(), valid, self.week, self.vc)
        return _Dates(days=days)

    def _months(self, n: int, anchor: _Dates, valid: Mask) -> _Dates | None:
        """``n`` months on from each anchor, gathered from the answers for every day of the
        anchors' range (``None`` where that range is longer than there are anchors, or some
        answer is out of range: the general path then answers or says why). Optional anchors
        are read as given where only rows that gave one are ``valid``: the rest gather ``NaT``
        and need no placeholder."""
        given = anchor.given
        if given is not None and given[1].any() and not (valid & ~given[1]).any():
            # NaT - 1 wraps round to the greatest integer: the least of the others is left
            earlier = given[0] - 1
            low, high = int(earlier.min()) + 1, int(given[0].max())
        else:
            earlier = anchor.days() - 1
            if not earlier.size:
                return None
            low, high = int(earlier.min()) + 1, int(earlier.max()) + 1
        if high - low >= earlier.size:
            return None
        table = add_months(np.arange(low, high + 1, dtype=np.int64), n)
        if table[0] < _FIRST_DAY or table[-1] > _LAST_DAY:
            return None
        seconds = np.empty(table.size + 1, dtype=np.int64)
        seconds[0] = _NAT
        np.multiply(table, _SECONDS_PER_DAY, out=seconds[1:])
        k = earlier
        k -= low - 2  # each day's row in the table, less the NaT in front
        k *= valid
        result: Days = seconds[k]
        return _Dates(seconds=result, nat_outside=valid)


_FIRST_DAY: Final = -719_162
"""0001-01-01 as days since 1970-01-01: ``add_months`` answers from here ..."""
_LAST_DAY: Final = 2_932_896
"""... to 9999-12-31."""


def _aspect_masks(aspects: Any, court_aspect: Any, n: int) -> dict[str, Mask]:
    """One mask per aspect, from per-complaint collections of aspects (or the shorthand)."""
    masks: dict[str, Mask] = {a: np.zeros(n, dtype=bool) for a in ASPECTS}
    if aspects is None:
        masks["professional-judgement"] = _flags(court_aspect, n, "court_aspect")
        return masks
    if court_aspect is not None:
        raise InvalidInputError("give aspects or court_aspect, not both")
    if isinstance(aspects, str):
        raise InvalidInputError(
            "aspects must hold, per complaint, a list, tuple or set of aspects (got a string)"
        )
    rows: list[Any] = list(aspects.array if isinstance(aspects, pd.Series) else aspects)
    if rows and all(isinstance(r, str) for r in rows):  # one collection for every complaint
        rows = [rows] * n
    if len(rows) != n:
        raise InvalidInputError(f"aspects must have one collection per complaint ({n})")
    keys: list[frozenset[Any]] = []
    for i, row in enumerate(rows):
        if isinstance(row, str) or not isinstance(row, list | tuple | set | frozenset):
            raise InvalidInputError(
                f"aspects[{i}] must be a list, tuple or set of aspects (got {type(row).__name__})"
            )
        keys.append(frozenset(row))
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
    for unique in uniques:
        unknown = sorted(str(a) for a in unique if a not in ASPECTS)
        if unknown:
            raise InvalidInputError(
                f"unknown aspect {unknown[0][:80]!r}; expected one of {', '.join(ASPECTS)}"
            )
    for a in ASPECTS:
        lookup = np.fromiter((a in u for u in uniques), dtype=bool, count=len(uniques))
        masks[a] = lookup[codes]
    return masks


# --------------------------------------------------------------------- the function


def due_dates(
    policy: Policy | str,
    received_at: Any,
    *,
    complainant: Any,
    route: Any = None,
    hearing: Any = None,
    involvement_ended: Any = None,
    aspects: Any = None,
    court_aspect: Any = None,
    calendar: WorkingDayCalendar | None = None,
) -> pd.DataFrame:
    """Day 0, the gate, the six-month limit and every due date, one row per complaint.

    Each row equals ``complaint_workflow.deadlines(policy=..., received_at=..., ...)`` for the
    same facts at the receipt instant, for any policy: both evaluate the same compiled rules
    (:mod:`complaint_workflow.rules`).

    ``received_at``: aware instants — a tz-aware Series or DatetimeIndex, a sequence of aware
    datetimes, or a numpy ``datetime64`` array read as UTC. ``complainant``: ``adult``,
    ``child``, ``other`` or ``employee-matter`` per complaint (or one for all). ``route``: the
    triage route assumed, ``early-resolution``, ``investigation`` or ``None``. ``hearing`` and
    ``involvement_ended``: dates (``datetime64[D]``, ``NaT`` for none). ``aspects``: per
    complaint, the collection of its assessed aspects (a list of lists, tuples or sets, or a
    pandas Series of them; one collection of strings stands for every complaint).
    ``court_aspect``: a shorthand, booleans per complaint; true stands for
    ``aspects=("professional-judgement",)`` and false for no aspect (give one of the two).

    Columns: ``deemed_receipt``, ``eligibility`` (categorical, :data:`ELIGIBILITY`),
    ``six_month_limit`` (``NaT`` while the case is ongoing), then for each target owed by
    Cafcass, in the policy's order, ``<target id>`` (the due date, ``NaT`` where it does not
    apply) and, for a target counted back from the hearing, ``<target id>__impossible``.
    A receipt series keeps its index. Raises
    :class:`~complaint_workflow.errors.InvalidInputError` for a fact the scalar path would
    reject (a hearing before receipt, an involvement ended after it, an unknown kind), and
    :class:`~complaint_workflow.errors.CalendarRangeError` where it would raise one.

    >>> import numpy as np
    >>> df = due_dates("cafcass-web", np.array(["2024-12-20T10:00"], dtype="datetime64[s]"),
    ...                complainant="adult", route="investigation")
    >>> [str(df[c][0].date()) for c in ("deemed_receipt", "contact", "investigation")]
    ['2024-12-20', '2024-12-24', '2025-01-22']
    """
    chosen = Policy.load(policy) if isinstance(policy, str) else policy
    if not isinstance(chosen, Policy):
        raise InvalidInputError("policy must be a Policy or a policy id / .toml path")
    cal = WorkingDayCalendar.england_and_wales() if calendar is None else calendar
    if not isinstance(cal, WorkingDayCalendar):
        raise InvalidInputError("calendar must be a WorkingDayCalendar")
    params = chosen.parameters
    rules = compile_policy(chosen)
    clash = [r.target.id for r in rules.rules if r.target.id in FIXED_COLUMNS]
    if clash:
        raise PolicyError(f"target id {clash[0]!r} would clash with a column of due_dates")
    vc = VectorCalendar.of(cal)

    index = received_at.index if isinstance(received_at, pd.Series) else None
    utc, unit = _utc_values(received_at, "received_at", "every complaint needs a receipt")
    n = utc.size
    kind = _codes(complainant, COMPLAINANTS, n, "complainant", optional=False)
    triage = _codes(route, TRIAGE_ROUTES, n, "route", optional=True)
    aspect_masks = _aspect_masks(aspects, court_aspect, n)

    # Day 0: the London date received, the next day after the cut-off, rolled to a working day.
    per_second = _UNITS_PER_SECOND[unit]
    per_day = _SECONDS_PER_DAY * per_second
    bounds = (int(utc.min()), int(utc.max())) if n else (0, 0)
    wall = london_wall_values(utc, unit, bounds)
    received_on: Days = wall // per_day
    loose = (bounds[0] - per_day, bounds[1] + per_day)
    deemed = vc._deemed_positions(wall, per_second, params.cutoff, loose) if n else None
    if deemed is None:  # some day 0 off the table (or no rows): the general path says which
        wall = london_wall_values(utc, unit)
        day0_days = vc.deemed_receipt(_days_and_clock(wall, per_second), params.cutoff)
        receipt = _Dates(days=day0_days.view(np.int64))
    else:
        positions, low, high = deemed
        day0_seconds = vc._step_seconds(positions, 0, None, (low, high))
        receipt = _Dates(seconds=day0_seconds, positions=deemed, working=True)
    del wall
    received = _Dates(days=received_on)

    # Optional dates: the receipt date stands where none is given, so every index is in the
    # table (a hearing is never before receipt, an end of involvement never after it).
    ops = _VectorOps(n, chosen, vc)
    hearing_at, has_hearing = _given(
        hearing, "hearing", np.less, "is before the complaint was received", received, ops
    )
    ended_at, has_ended = _given(
        involvement_ended,
        "involvement_ended",
        np.greater,
        "is after the complaint was received",
        received,
        ops,
    )

    # The gate (situation.eligibility), decided by the same rule as the scalar path.
    outside = kind >= _OTHER
    service_user = ~outside
    late, limit, has_limit = rules.late(
        service_user=service_user,
        ended=ended_at,
        has_ended=has_ended,
        received=received,
        deemed=receipt,
        ops=ops,
    )
    gate = outside.astype(np.int8)
    gate *= _OUTSIDE
    gate += (late & service_user).view(np.int8) * np.int8(_LATE)

    # What the rules read, as at receipt: nothing done yet, the hearing known on receipt.
    procedure = gate == _IN_TIME
    unset = (receipt, ops.false())
    facts: Facts[Mask, _Dates] = Facts(
        on_route={
            "procedure": procedure,
            "early-resolution": procedure & (triage == 0),
            "investigation": procedure & (triage == 1),
            "outside-procedure": gate == _OUTSIDE,
        },
        triggered={"child": kind == _CHILD, **aspect_masks},
        done=dict.fromkeys(ACTS, ops.false()),
        receipt=receipt,
        clock=receipt,
        hearing_known=received,
        anchors={
            "contact": unset,
            "triage": unset,
            "hearing": (hearing_at, has_hearing),
            "involvement-ended": (ended_at, has_ended),
            "meeting-after-hearing": unset,
        },
    )
    answers = rules.evaluate(facts, ops)

    columns: dict[str, Any] = {
        "deemed_receipt": receipt.seconds().view("datetime64[s]"),
        "eligibility": pd.Categorical.from_codes(gate, dtype=ELIGIBILITY_DTYPE),
        "six_month_limit": limit.column(has_limit),
    }
    for rule in rules.rules:
        answer = answers[rule.target.id]
        columns[rule.target.id] = answer.due.column(answer.owed)
        if rule.target.backward:
            columns[rule.target.id + IMPOSSIBLE_SUFFIX] = answer.owed & answer.impossible
    return pd.DataFrame(columns, index=pd.RangeIndex(n) if index is None else index, copy=False)
