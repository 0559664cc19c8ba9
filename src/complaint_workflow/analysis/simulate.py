"""Caseload simulation: complaints and compliments driven through the real route machines.

:func:`simulate` draws a national caseload (arrivals over working days, who complains, what
about, how each step of the procedure is handled and how long it takes), turns each complaint
into events and applies them with :meth:`Complaint.apply <complaint_workflow.Complaint.apply>`.
Nothing here decides a deadline, a route or a status: the complaint does. The planner only
plays the staff and the complainants, asking the complaint where it stands (it tells the court
only while the complaint's court track is ``due``, for example).

The parts, one module each: :mod:`~complaint_workflow.analysis.parameters` (every number, a
:class:`SimulationParameters` field with a documented default; ``docs/modelling.md`` gives the
calibration and each assumption), :mod:`~complaint_workflow.analysis.axis` (the working-time
axis on the calendar's :class:`~complaint_workflow.analysis.VectorCalendar`: working day ``k``
plus the fraction of its office hours gone), :mod:`~complaint_workflow.analysis.planner` (which
event comes next) and :mod:`~complaint_workflow.analysis.frames` (the tidy frames). This module
runs them in order.

The same seed gives the same frames: every random number comes from
``numpy.random.default_rng(seed)`` (three spawned streams: arrivals, complaints,
compliments), drawn in a fixed order, and nothing reads the wall clock.

>>> sim = simulate("cafcass-2012", years=1, seed=1)
>>> 1_300 < len(sim.complaints) < 1_600
True
>>> sorted(set(sim.obligations["obligation_id"]))[:3]
['court-notification', 'court-update', 'forward-to-cst']
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import operator
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Final

import attrs
import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from .. import events as ev
from ..calendar import LONDON, WorkingDayCalendar, end_of_day
from ..complaint import Complaint
from ..errors import InvalidInputError
from ..feedback import Compliment, ComplimentPassedOn
from ..policy import Policy
from ..reports import quarter_of
from .axis import WorkingTime, arrivals
from .frames import COMPLAINT_COLUMNS as COMPLAINT_COLUMNS
from .frames import OBLIGATION_COLUMNS as OBLIGATION_COLUMNS
from .frames import OBLIGATION_ROW_COLUMNS as OBLIGATION_ROW_COLUMNS
from .frames import CaseloadRows, instants_series
from .frames import complaint_row as complaint_row
from .frames import new_columns as new_columns
from .frames import obligation_rows as obligation_rows
from .frames import obligations_frame as obligations_frame
from .frames import to_frame as to_frame
from .parameters import CHANNELS as CHANNELS
from .parameters import Distribution, SimulationParameters
from .planner import Draws, Plan, Planner, allocate, drive, finish, side_events

__all__ = [
    "Distribution",
    "Simulation",
    "SimulationParameters",
    "simulate",
]

# The frames' columns and builders and CHANNELS stay importable from here, as before the split.


def _packed(histories: Iterable[Sequence[ev.Event]] | PackedHistories) -> PackedHistories:
    return PackedHistories.of(histories)


@attrs.frozen(eq=False)
class Simulation:
    """A simulated caseload: tidy frames, the event histories, and how they were made.

    ``complaints`` has one row per complaint, ``obligations`` one per obligation at
    ``observed_at`` (after every event), ``compliments`` one per compliment. ``histories``
    holds each complaint's events, so :func:`complaint_workflow.analysis.whatif.compare`
    can replay them under other policies. ``events`` counts every event applied (openings and
    compliments included).
    """

    complaints: pd.DataFrame
    obligations: pd.DataFrame
    compliments: pd.DataFrame
    events: int
    _histories: PackedHistories = attrs.field(repr=False, alias="histories", converter=_packed)
    policy: Policy = attrs.field(repr=False)
    parameters: SimulationParameters = attrs.field(repr=False)
    seed: int = 0
    start: date = date(2024, 1, 1)
    end: date = date(2025, 1, 1)
    """The first day after the receipt window (``start`` plus ``years``)."""
    observed_at: datetime = attrs.field(default=datetime(2025, 1, 1, tzinfo=LONDON))
    """The instant the obligations are read at: the end of the day of the last event."""
    calendar: WorkingDayCalendar = attrs.field(
        factory=WorkingDayCalendar.england_and_wales, repr=False
    )

    @property
    def histories(self) -> tuple[tuple[ev.Event, ...], ...]:
        """Each complaint's events, oldest first, in the order of :attr:`complaints`.

        Kept packed (a few numpy arrays and one table of the distinct field values) and
        rebuilt as event values on each read, equal to the events the complaints were made
        of: read it once and keep the tuple when you need it many times.
        """
        return self._histories.unpack()


_EPOCH_UTC: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)


class PackedHistories:
    """Many histories of events in little memory: per event, an index into a table of the
    distinct ``(type, field values)`` pairs, its instant in microseconds since the epoch and
    the time zone it was written in; per history, where it starts.

    ``PackedHistories.of(histories).unpack() == tuple(map(tuple, histories))`` for any
    histories whose events carry their place in the history as ``version`` (every history a
    complaint keeps).
    """

    __slots__ = ("_keys", "_micros", "_starts", "_table", "_zone_codes", "_zones")

    def __init__(
        self,
        table: list[tuple[type[ev.Event], tuple[Any, ...]]],
        starts: np.ndarray[tuple[int], np.dtype[np.int64]],
        keys: np.ndarray[tuple[int], np.dtype[np.int32]],
        micros: np.ndarray[tuple[int], np.dtype[np.int64]],
        zone_codes: np.ndarray[tuple[int], np.dtype[np.uint8]],
        zones: list[tuple[tzinfo, int]],
    ) -> None:
        self._table = table
        self._keys = keys
        self._starts = starts
        self._micros = micros
        self._zone_codes = zone_codes
        self._zones = zones

    @classmethod
    def of(cls, histories: Iterable[Sequence[ev.Event]] | PackedHistories) -> PackedHistories:
        """Pack ``histories`` (returned as it is when already packed)."""
        if isinstance(histories, PackedHistories):
            return histories
        index: dict[tuple[type[ev.Event], tuple[Any, ...]], int] = {}
        zone_index: dict[tuple[tzinfo, int], int] = {}
        keys: list[int] = []
        micros: list[int] = []
        zone_codes: list[int] = []
        starts = [0]
        code_of, add_key, add_micros, add_zone = (
            index.get,
            keys.append,
            micros.append,
            zone_codes.append,
        )
        epoch, unit = _EPOCH_UTC, _MICROSECOND
        for history in histories:
            for version, event in enumerate(history, start=1):
                kind = type(event)
                read = _readers.get(kind) or _reader(kind)
                if event.version != version:
                    raise InvalidInputError(
                        f"event {version} of a history has version {event.version!r}"
                    )
                key = (kind, read(event))
                code = code_of(key)
                if code is None:
                    code = index[key] = len(index)
                add_key(code)
                at = event.at
                add_micros((at - epoch) // unit)
                zone = (at.tzinfo or UTC, at.fold)  # an event's time is always aware
                z = zone_index.get(zone)
                if z is None:
                    z = zone_index[zone] = len(zone_index)
                add_zone(z)
            starts.append(len(keys))
        if len(zone_index) > 255:
            raise InvalidInputError("histories written in more than 255 time zones")
        return cls(
            list(index),
            np.array(starts, dtype=np.int64),
            np.array(keys, dtype=np.int32),
            np.array(micros, dtype=np.int64),
            np.array(zone_codes, dtype=np.uint8),
            list(zone_index),
        )

    def __len__(self) -> int:
        return len(self._starts) - 1

    def unpack(self) -> tuple[tuple[ev.Event, ...], ...]:
        """Every history as a tuple of events."""
        named = [(kind, _names[kind], values) for kind, values in self._table]
        zones = self._zones
        codes = self._keys.tolist()
        micros = self._micros.tolist()
        zone_codes = self._zone_codes.tolist()
        starts = self._starts.tolist()
        out: list[tuple[ev.Event, ...]] = []
        for first, last in itertools.pairwise(starts):
            events: list[ev.Event] = []
            for version, i in enumerate(range(first, last), start=1):
                kind, names, values = named[codes[i]]
                zone, fold = zones[zone_codes[i]]
                at = _instant(micros[i], zone, fold)
                events.append(kind(at=at, version=version, **dict(zip(names, values, strict=True))))
            out.append(tuple(events))
        return tuple(out)


def _instant(micros: int, zone: tzinfo, fold: int) -> datetime:
    """The instant ``micros`` after the epoch, written in ``zone`` (``fold`` as it was)."""
    at = (_EPOCH_UTC + micros * _MICROSECOND).astimezone(zone)
    return at.replace(fold=1) if fold else at


_readers: dict[type[ev.Event], Callable[[ev.Event], tuple[Any, ...]]] = {}
_names: dict[type[ev.Event], tuple[str, ...]] = {}


def _reader(kind: type[ev.Event]) -> Callable[[ev.Event], tuple[Any, ...]]:
    """The event type's fields other than ``at`` and ``version``, read as one tuple."""
    fields = [f for f in attrs.fields(kind) if f.name not in ("at", "version")]
    get = operator.attrgetter(*(f.name for f in fields))
    names = tuple(f.alias for f in fields)  # the constructor's names for them
    read: Callable[[ev.Event], tuple[Any, ...]] = (
        get if len(fields) > 1 else lambda e: (get(e),)  # one name: attrgetter gives the value
    )
    _names[kind] = names
    _readers[kind] = read
    return read


def _check_arguments(years: object, seed: object, start: object) -> None:
    if type(years) is not int or not 1 <= years <= 100:
        raise InvalidInputError(f"years must be a whole number from 1 to 100 (got {years!r})")
    if type(seed) is not int or seed < 0:
        raise InvalidInputError(f"seed must be a whole number >= 0 (got {seed!r})")
    if not isinstance(start, date) or isinstance(start, datetime):
        raise InvalidInputError(f"start must be a datetime.date (got {type(start).__name__})")


def simulate(
    policy: Policy | str = "cafcass-web",
    *,
    years: int = 1,
    seed: int = 0,
    start: date = date(2024, 1, 1),
    parameters: SimulationParameters | None = None,
    calendar: WorkingDayCalendar | None = None,
    progress: bool = False,
) -> Simulation:
    """Simulate ``years`` of complaints and compliments received from ``start``, under ``policy``.

    Every complaint is opened with :meth:`Complaint.open` and driven event by event through
    :meth:`Complaint.apply`; complaints received in the window are followed to their end, and
    the obligations are read after the last event. The same arguments give equal frames.
    ``progress`` shows a ``tqdm`` bar on stderr.
    """
    _check_arguments(years, seed, start)
    chosen = Policy.load(policy) if isinstance(policy, str) else policy
    if not isinstance(chosen, Policy):
        raise InvalidInputError("policy must be a Policy, a built-in id or a .toml path")
    p = SimulationParameters() if parameters is None else parameters
    if not isinstance(p, SimulationParameters):
        raise InvalidInputError("parameters must be SimulationParameters or None")
    cal = WorkingDayCalendar.england_and_wales() if calendar is None else calendar
    axis = WorkingTime.of(cal, p.office_opens, p.office_closes)
    end = start + relativedelta(years=years)
    root = np.random.default_rng(seed)
    arrival_rng, complaint_rng, compliment_rng = root.spawn(3)

    received = arrivals(arrival_rng, p.complaints_per_year, years, start, end, axis, p)
    n = len(received)
    draws = Draws(complaint_rng, n, p)
    planner = Planner(p, chosen, cal, axis, draws)
    with _gc_paused():
        plans: list[Plan] = []
        for i, (at, off_hours) in enumerate(received):
            plan = planner.open(i, at, off_hours)
            planner.plan(plan, at)
            plans.append(plan)
        for row, begin in allocate(plans, p.staff_capacity).items():
            finish(plans[row], begin, draws, p)
        complaints: list[Complaint] = []
        bar = _progress_bar(n, progress)
        for i, plan in enumerate(plans):
            side_events(plan, axis.at(received[i][0]), draws, p, axis, cal)
            complaints.append(drive(plan, axis, planner.delayed(i)))
            if bar is not None and (i + 1) % 64 == 0:
                bar.update(64)
        if bar is not None:
            bar.update(n - bar.n)
            bar.close()
        last = max(
            (c.last_at for c in complaints), default=datetime.combine(end, time(0), tzinfo=LONDON)
        )
        observed = end_of_day(last.astimezone(LONDON).date())
        rows = CaseloadRows(cal)
        for (_, off_hours), c, plan in zip(received, complaints, plans, strict=True):
            rows.add(c, observed, off_hours, plan.gate)
        histories = PackedHistories.of(c.history for c in complaints)
        del complaints, plans  # the frames and the packed histories are all that is kept
        complaints_frame, obligations = rows.frames((chosen,))

    compliments, compliment_events = _compliments(compliment_rng, years, start, end, axis, p)
    events = int(complaints_frame["events"].sum()) + compliment_events
    return Simulation(
        complaints=complaints_frame,
        obligations=obligations,
        compliments=compliments,
        events=events,
        histories=histories,
        policy=chosen,
        parameters=p,
        seed=seed,
        start=start,
        end=end,
        observed_at=observed,
        calendar=cal,
    )


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic values.

    Every complaint stays alive until the frames are built, so each full collection would
    walk all of them again; frozen events and tuples make no cycles for it to find.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _progress_bar(total: int, show: bool) -> Any:
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="simulating", unit=" complaints", file=sys.stderr, leave=False)


def _compliments(
    rng: np.random.Generator,
    years: int,
    start: date,
    end: date,
    axis: WorkingTime,
    p: SimulationParameters,
) -> tuple[pd.DataFrame, int]:
    came = arrivals(rng, p.compliments_per_year, years, start, end, axis, p)
    n = len(came)
    passed = p.compliment_time.draw(rng, n).tolist()
    forms = (rng.random(n) < p.feedback_form_compliment_share).tolist()
    rows = new_columns(
        (
            "compliment_id",
            "received_at",
            "quarter",
            "source",
            "via_feedback_form",
            "state",
            "passed_on_at",
        )
    )
    events = 0
    for i, (received, _) in enumerate(came):
        compliment = Compliment.record(
            compliment_id=f"K-{i + 1:06d}",
            received_at=received,
            source="service-user",
            via_feedback_form=forms[i],
        )
        on = axis.instant(axis.at(received) + passed[i])
        compliment = compliment.apply(ComplimentPassedOn(at=on))
        events += len(compliment.history)
        rows["compliment_id"].append(compliment.id)
        rows["received_at"].append(received)
        rows["quarter"].append(quarter_of(received))
        rows["source"].append(compliment.source)
        rows["via_feedback_form"].append(compliment.via_feedback_form)
        rows["state"].append(compliment.state)
        rows["passed_on_at"].append(on)
    frame = pd.DataFrame(
        {
            **{k: v for k, v in rows.items() if k not in ("received_at", "passed_on_at")},
            "received_at": instants_series(rows["received_at"]),
            "passed_on_at": instants_series(rows["passed_on_at"]),
        }
    )
    return frame[list(rows)], events
