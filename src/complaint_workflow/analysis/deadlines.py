"""Every obligation's due date for many complaints at once, exactly the scalar answers.

:func:`due_dates` is the vectorised form of :func:`complaint_workflow.deadlines` at the
receipt instant: for arrays of receipt instants (and complainant kinds, triage routes, hearing
dates, involvement-ended dates and court aspects) it returns one row per complaint with day 0,
the intake gate, the six-month limit and, for every target the policy makes Cafcass owe, the
due date (``NaT`` where the obligation does not apply) and, for a target counted back from the
hearing, whether it was already impossible. Each element equals what the scalar path gives
for the same facts; ``tests/test_analysis_deadlines.py`` checks that on random inputs.

Dates are whole days since 1970-01-01 (``int64``) inside, with a validity mask, and every
working-day step is a gather from the calendar's prefix-count table
(:meth:`~complaint_workflow.calendar.WorkingDayCalendar.table`): no per-element Python.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
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
from .vectorised import VectorCalendar, _aware_instants, london_days_and_clock

__all__ = ["ELIGIBILITY", "due_dates"]

Days = npt.NDArray[np.int64]
"""Dates as whole days since 1970-01-01."""
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


def _instants(values: Any) -> tuple[pd.DatetimeIndex, pd.Index | None]:
    """Aware instants as a DatetimeIndex (and the caller's index when given a Series)."""
    index = values.index if isinstance(values, pd.Series) else None
    instants = _aware_instants(values, "received_at", "every complaint needs a receipt")
    return instants, index


def _london(instants: pd.DatetimeIndex) -> tuple[Days, npt.NDArray[np.int64]]:
    """The London wall-clock date (days) and time of day (nanoseconds) of each instant."""
    return london_days_and_clock(instants)


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
    if isinstance(array, np.ndarray) and array.dtype.kind in "US":
        for code, choice in enumerate(choices):  # a few comparisons beat hashing fixed-width text
            np.copyto(codes, code, where=array == choice)
    else:
        codes = _object_codes(array, choices)
    bad = codes == -2 if optional else codes < 0
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(f"{name}[{first}] must be {expected} (got {array[first]!r})")
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
        found, distinct = pd.factorize(addresses)
        if len(distinct) <= _FEW_OBJECTS:
            # codes count up in order of first appearance: where the running maximum rises
            rises = np.flatnonzero(np.diff(np.maximum.accumulate(found))) + 1
            objects = array[np.concatenate(([0], rises))]  # each distinct object, read once
            by_object: npt.NDArray[np.int8] = _value_codes(objects, choices)
            result: npt.NDArray[np.int8] = by_object[found]
            return result
    return _value_codes(array, choices)


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


def _dates(values: Any, fill: Days, name: str) -> tuple[Days, Mask]:
    """Optional dates: days since the epoch (``fill`` where none) and where one was given."""
    n = fill.size
    if values is None:
        return fill, np.zeros(n, dtype=bool)
    if isinstance(values, pd.Series | pd.Index):
        values = values.to_numpy()
    try:
        array = np.asarray(values, dtype="datetime64[D]")
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"{name} must be an array of dates (datetime64[D], NaT for none)"
        ) from None
    array = _broadcast(array, n, name)
    days = array.view(np.int64)
    given = days != _NAT
    return np.where(given, days, fill), given


def _flags(values: Any, n: int, name: str) -> Mask:
    if values is None:
        return np.zeros(n, dtype=bool)
    array = _broadcast(values, n, name)
    if array.dtype != np.bool_:
        if array.dtype.kind not in "biu" and array.dtype != object:
            raise InvalidInputError(f"{name} must be booleans")
        array = array.astype(bool)
    return array


def _check_facts(name: str, days: Days, received: Days, bad: Mask, message: str) -> None:
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(
            f"{name}[{first}] {np.datetime64(int(days[first]), 'D')} {message} "
            f"({np.datetime64(int(received[first]), 'D')})"
        )


def _as_dates(days: Days, given: Mask | None) -> npt.NDArray[np.datetime64]:
    """Whole days as ``datetime64[s]`` (what pandas holds), ``NaT`` where not ``given``."""
    seconds = days * _SECONDS_PER_DAY
    if given is not None:
        np.copyto(seconds, _NAT, where=~given)
    return seconds.view("datetime64[s]")


# --------------------------------------------------------------------- the rules, vectorised


class _VectorOps:
    """:class:`~complaint_workflow.rules.Ops` over numpy: bool masks and day numbers.

    ``true()`` and ``false()`` are shared read-only masks. Many targets count working days
    from the same anchor (day 0, the hearing): each anchor's position among the working days
    (``cumulative[anchor - origin]``) and its range are worked out once per call, so each such
    target is one addition and one gather, checked against the table by its bounds.
    """

    __slots__ = ("_false", "_positions", "_true", "n", "vc", "week")

    def __init__(self, n: int, policy: Policy, vc: VectorCalendar) -> None:
        self.n = n
        self.week = policy.parameters.week_length
        self.vc = vc
        self._true = np.ones(n, dtype=bool)
        self._false = np.zeros(n, dtype=bool)
        self._true.setflags(write=False)
        self._false.setflags(write=False)
        self._positions: dict[int, tuple[Days, Days, int, int] | None] = {}

    def true(self) -> Mask:
        return self._true

    def false(self) -> Mask:
        return self._false

    def and_(self, a: Mask, b: Mask) -> Mask:
        return a & b

    def or_(self, a: Mask, b: Mask) -> Mask:
        return a | b

    def not_(self, a: Mask) -> Mask:
        return ~a

    def lt(self, a: Days, b: Days) -> Mask:
        return a < b

    def ge(self, a: Days, b: Days) -> Mask:
        return a >= b

    def where(self, cond: Mask, a: Days, b: Days) -> Days:
        return np.where(cond, a, b)

    def maximum(self, a: Days, b: Days) -> Days:
        return np.maximum(a, b)

    def some(self, a: Mask) -> bool:
        return bool(a.any())

    def due(self, target: Target, anchor: Days, valid: Mask) -> Days:
        duration = target.duration
        if isinstance(duration, Weeks) and self.week != "calendar":
            duration = WorkingDays(5 * duration.n)
        if isinstance(duration, WorkingDays) and (target.backward or duration.n >= 0):
            shift = -duration.n if target.backward else duration.n
            quick = self._step(anchor, shift, valid)
            if quick is not None:
                return quick
        return _shift(target.duration, target.backward, anchor, valid, self.week, self.vc)

    def _step(self, anchor: Days, shift: int, valid: Mask) -> Days | None:
        """``shift`` working days from each anchor, from its position computed once per anchor
        (``None`` where some anchor is off the table: the general path says which)."""
        key = id(anchor)
        if key not in self._positions:
            self._positions[key] = self._position(anchor)
        known = self._positions[key]
        if known is None or known[0] is not anchor:
            return None
        _, position, low, high = known
        result: Days = self.vc.step(position, shift, where=valid, bounds=(low, high)).view(np.int64)
        return result

    def _position(self, anchor: Days) -> tuple[Days, Days, int, int] | None:
        row = anchor - self.vc.origin
        if not row.size or row.min() < 0 or row.max() >= self.vc.span:
            return None
        position = self.vc.positions(anchor.view("datetime64[D]"))
        return anchor, position, int(position.min()), int(position.max())


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

    instants, index = _instants(received_at)
    n = len(instants)
    kind = _codes(complainant, COMPLAINANTS, n, "complainant", optional=False)
    triage = _codes(route, TRIAGE_ROUTES, n, "route", optional=True)
    aspect_masks = _aspect_masks(aspects, court_aspect, n)

    # Day 0: the London date received, the next day after the cut-off, rolled to a working day.
    received_on, clock = _london(instants)
    day0: Days = vc.deemed_receipt((received_on, clock), params.cutoff).view(np.int64)

    # Optional dates hold the receipt date where none is given, so every index is in the table.
    hearing_days, has_hearing = _dates(hearing, received_on, "hearing")
    ended_days, has_ended = _dates(involvement_ended, received_on, "involvement_ended")
    _check_facts(
        "hearing",
        hearing_days,
        received_on,
        has_hearing & (hearing_days < received_on),
        "is before the complaint was received",
    )
    _check_facts(
        "involvement_ended",
        ended_days,
        received_on,
        has_ended & (ended_days > received_on),
        "is after the complaint was received",
    )
    ops = _VectorOps(n, chosen, vc)

    # The gate (situation.eligibility), decided by the same rule as the scalar path.
    outside = kind >= _OTHER
    late, limit, has_limit = rules.late(
        service_user=~outside,
        ended=ended_days,
        has_ended=has_ended,
        received=received_on,
        deemed=day0,
        ops=ops,
    )
    gate = np.where(outside, _OUTSIDE, np.where(late, _LATE, _IN_TIME)).astype(np.int8)

    # What the rules read, as at receipt: nothing done yet, the hearing known on receipt.
    procedure = gate == _IN_TIME
    unset = (day0, np.zeros(n, dtype=bool))
    facts: Facts[Mask, Days] = Facts(
        on_route={
            "procedure": procedure,
            "early-resolution": procedure & (triage == 0),
            "investigation": procedure & (triage == 1),
            "outside-procedure": gate == _OUTSIDE,
        },
        triggered={"child": kind == _CHILD, **aspect_masks},
        done=dict.fromkeys(ACTS, unset[1]),
        receipt=day0,
        clock=day0,
        hearing_known=received_on,
        anchors={
            "contact": unset,
            "triage": unset,
            "hearing": (hearing_days, has_hearing),
            "involvement-ended": (ended_days, has_ended),
            "meeting-after-hearing": unset,
        },
    )
    answers = rules.evaluate(facts, ops)

    columns: dict[str, Any] = {
        "deemed_receipt": _as_dates(day0, None),
        "eligibility": pd.Categorical.from_codes(gate, dtype=ELIGIBILITY_DTYPE),
        "six_month_limit": _as_dates(limit, has_limit),
    }
    for rule in rules.rules:
        answer = answers[rule.target.id]
        columns[rule.target.id] = _as_dates(answer.due, answer.owed)
        if rule.target.backward:
            columns[rule.target.id + IMPOSSIBLE_SUFFIX] = answer.owed & answer.impossible
    return pd.DataFrame(columns, index=pd.RangeIndex(n) if index is None else index, copy=False)
