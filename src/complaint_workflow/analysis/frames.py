"""The simulation's frames: one row per complaint and one per obligation, built column-wise.

Rows are appended to plain column lists (:func:`new_columns`, :func:`obligation_rows`,
:func:`complaint_row`) and turned into a frame once (:func:`to_frame`,
:func:`obligations_frame`): instants in Europe/London, dates as ``datetime64``, counts that may
be missing as nullable ``Int64``, and the status, obligation id, route, strength, eligibility,
complainant and channel columns as the categoricals of :mod:`complaint_workflow.analysis.dtypes`.
:func:`~complaint_workflow.analysis.whatif.compare` builds its frame with the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Final

import numpy as np
import pandas as pd

from .. import events as ev
from ..calendar import LONDON, WorkingDayCalendar
from ..complaint import Complaint
from ..obligations import RESPONSE_TARGETS
from ..policy import Policy
from ..reports import quarter_of
from ..vocabulary import ASPECTS
from .dtypes import as_categoricals, categorical, obligation_dtype
from .vectorised import VectorCalendar

__all__ = [
    "COMPLAINT_COLUMNS",
    "OBLIGATION_COLUMNS",
    "OBLIGATION_ROW_COLUMNS",
    "CaseloadRows",
    "complaint_row",
    "dates_series",
    "instants_series",
    "new_columns",
    "obligation_rows",
    "obligations_frame",
    "route_of",
    "to_frame",
]

_EPOCH_DAY: Final = date(1970, 1, 1).toordinal()
_NAT: Final = np.iinfo(np.int64).min
_CHRISTMAS_WEEK: Final = range(18, 25)  # 18-24 December: "the week before Christmas"
_LATE: Final = frozenset({"breached", "met-late"})


def _london_date(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


def route_of(c: Complaint) -> str:
    """Where the complaint went: its triage route, ``procedure`` before triage, or the intake
    gate's state (one of :data:`~complaint_workflow.analysis.dtypes.COMPLAINT_ROUTES`)."""
    s = c.situation
    st = s.states
    if st.procedure is not None:
        return s.triage or "procedure"
    if st.outside is not None:
        return "outside-procedure"
    return {"resolved-quickly": "quick-fix"}.get(st.intake, st.intake)


OBLIGATION_COLUMNS: Final = (
    "policy",
    "complaint_id",
    "obligation_id",
    "due",
    "strength",
    "clause",
    "status",
    "met_at",
    "extended_from",
    "extended",
    "overdue",
    "late",
    "breached",
    "working_days_late",
    "working_days_to_met",
    "bank_holidays_to_due",
    "complainant",
    "route",
    "received_at",
    "deemed_receipt",
    "quarter",
    "christmas_week",
)
"""The columns of every obligations frame (:class:`Simulation` and ``whatif.compare``)."""

_DAY_COUNTS: Final = ("working_days_late", "working_days_to_met", "bank_holidays_to_due")
OBLIGATION_ROW_COLUMNS: Final = tuple(c for c in OBLIGATION_COLUMNS if c not in _DAY_COUNTS)
"""The columns :func:`obligation_rows` fills; :func:`obligations_frame` adds the day counts."""

COMPLAINT_COLUMNS: Final = (
    "policy",
    "complaint_id",
    "received_at",
    "deemed_receipt",
    "quarter",
    "year",
    "out_of_hours",
    "christmas_week",
    "complainant",
    "channel",
    "case_ongoing",
    "hearing",
    "eligibility",
    "route",
    "state",
    "finished",
    "owner",
    "staff_named",
    "aspects",
    *(f"aspect_{a.replace('-', '_')}" for a in ASPECTS),
    "resubmitted",
    "quick_fix",
    "escalated",
    "delayed",
    "response_at",
    "response_obligation",
    "response_due",
    "working_days_to_response",
    "late_response",
    "breaches",
    "any_breach",
    "events",
)
"""The columns of :attr:`Simulation.complaints`."""

_INSTANT_COLUMNS: Final = frozenset({"received_at", "met_at", "response_at"})
_DATE_COLUMNS: Final = frozenset(
    {"due", "extended_from", "deemed_receipt", "hearing", "response_due"}
)
_INT_COLUMNS: Final = frozenset(
    {"working_days_late", "working_days_to_met", "working_days_to_response"}
)


def new_columns(names: Iterable[str]) -> dict[str, list[Any]]:
    """Empty column lists, filled row by row and turned into a frame once."""
    return {name: [] for name in names}


def obligation_rows(rows: dict[str, list[Any]], complaint: Complaint, at: datetime) -> list[Any]:
    """Append one row per obligation of ``complaint`` at ``at`` to lists made by
    ``new_columns(OBLIGATION_ROW_COLUMNS)``; returns the obligations."""
    s = complaint.situation
    received = s.received_at
    local = received.astimezone(LONDON)
    day0 = complaint.deemed_receipt
    quarter = quarter_of(received)
    xmas = local.month == 12 and local.day in _CHRISTMAS_WEEK
    route = route_of(complaint)
    owed = complaint.obligations(at)
    policy_id = complaint.policy.id
    for o in owed:
        rows["policy"].append(policy_id)
        rows["complaint_id"].append(s.complaint_id)
        rows["obligation_id"].append(o.id)
        rows["due"].append(o.due)
        rows["strength"].append(o.strength)
        rows["clause"].append(o.clause)
        rows["status"].append(o.status)
        rows["met_at"].append(o.met_at)
        rows["extended_from"].append(o.extended_from)
        rows["extended"].append(o.extended_from is not None)
        rows["overdue"].append(o.overdue)
        rows["late"].append(o.status in _LATE or o.overdue)
        rows["breached"].append(o.status == "breached")
        rows["complainant"].append(s.complainant)
        rows["route"].append(route)
        rows["received_at"].append(received)
        rows["deemed_receipt"].append(day0)
        rows["quarter"].append(quarter)
        rows["christmas_week"].append(xmas)
    return list(owed)


def complaint_row(
    rows: dict[str, list[Any]],
    complaint: Complaint,
    owed: Sequence[Any],
    calendar: WorkingDayCalendar,
    off_hours: bool,
    eligibility: str | None = None,
) -> None:
    """Append the complaint's own row (``eligibility``: known already, saves deriving it)."""
    s = complaint.situation
    opened = complaint.history[0]
    assert isinstance(opened, ev.ComplaintOpened)
    local = s.received_at.astimezone(LONDON)
    day0 = complaint.deemed_receipt
    by_id = {o.id: o for o in owed}
    response = next((by_id[t] for t in RESPONSE_TARGETS if t in by_id), None)
    responded = s.done_at("response")
    breaches = sum(1 for o in owed if o.status == "breached")
    triaged = sum(1 for e in complaint.history if isinstance(e, ev.Triaged))
    rows["policy"].append(complaint.policy.id)
    rows["complaint_id"].append(s.complaint_id)
    rows["received_at"].append(s.received_at)
    rows["deemed_receipt"].append(day0)
    rows["quarter"].append(quarter_of(s.received_at))
    rows["year"].append(local.year)
    rows["out_of_hours"].append(off_hours)
    rows["christmas_week"].append(local.month == 12 and local.day in _CHRISTMAS_WEEK)
    rows["complainant"].append(s.complainant)
    rows["channel"].append(s.channel)
    rows["case_ongoing"].append(opened.case_ongoing)
    rows["hearing"].append(opened.hearing)
    rows["eligibility"].append(complaint.eligibility if eligibility is None else eligibility)
    rows["route"].append(route_of(complaint))
    rows["state"].append(complaint.state)
    rows["finished"].append(complaint.finished)
    rows["owner"].append(complaint.owner)
    rows["staff_named"].append(s.staff_named)
    rows["aspects"].append(",".join(s.aspects))
    for a in ASPECTS:
        rows[f"aspect_{a.replace('-', '_')}"].append(a in s.aspects)
    rows["resubmitted"].append(s.receipt_at != s.received_at)
    rows["quick_fix"].append(s.states.quick_fix is not None)
    rows["escalated"].append(triaged > 1)
    rows["delayed"].append(bool(s.delays))
    rows["response_at"].append(responded)
    rows["response_obligation"].append(None if response is None else response.id)
    rows["response_due"].append(None if response is None else response.due)
    rows["working_days_to_response"].append(
        None if responded is None else calendar.working_days_between(day0, _london_date(responded))
    )
    rows["late_response"].append(
        response is not None and (response.status in ("breached", "met-late") or response.overdue)
    )
    rows["breaches"].append(breaches)
    rows["any_breach"].append(breaches > 0)
    rows["events"].append(len(complaint.history))


_PER_COMPLAINT: Final = (
    "policy",
    "complaint_id",
    "complainant",
    "route",
    "received_at",
    "deemed_receipt",
    "quarter",
    "christmas_week",
)
"""The obligations frame's columns that repeat the complaint's own (its complaints-frame row)."""
_PER_OBLIGATION: Final = ("obligation_id", "due", "strength", "clause", "status", "met_at")
_ASPECT_COLUMNS: Final = tuple(f"aspect_{a.replace('-', '_')}" for a in ASPECTS)


class CaseloadRows:
    """The complaints and obligations frames of many finished complaints, collected one
    complaint at a time as a few small tuples and turned into frames column-wise at the end.

    Equal to :func:`complaint_row` and :func:`obligation_rows` over the same complaints and
    :func:`to_frame` / :func:`obligations_frame` of their columns, for less work: what every
    obligation row repeats of its complaint is kept once per complaint and repeated when the
    frame is built, and nothing keeps a complaint once its row is made.
    """

    __slots__ = ("_aspects", "_calendar", "_complaints", "_counts", "_obligations")

    def __init__(self, calendar: WorkingDayCalendar) -> None:
        self._calendar = calendar
        self._complaints: list[tuple[Any, ...]] = []
        self._aspects: list[tuple[str, ...]] = []
        self._obligations: list[tuple[Any, ...]] = []
        self._counts: list[int] = []

    def add(
        self, complaint: Complaint, at: datetime, off_hours: bool, eligibility: str | None = None
    ) -> None:
        """Add ``complaint``'s row and its obligations at ``at`` (``eligibility``: known
        already, saves deriving it)."""
        s = complaint.situation
        received = s.received_at
        local = received.astimezone(LONDON)
        day0 = complaint.deemed_receipt
        owed = complaint.obligations(at)
        rows = self._obligations
        breaches = 0
        for o in owed:
            rows.append(
                (o.id, o.due, o.strength, o.clause, o.status, o.met_at, o.extended_from, o.overdue)
            )
            if o.status == "breached":
                breaches += 1
        self._counts.append(len(owed))
        by_id = {o.id: o for o in owed}
        response = next((by_id[t] for t in RESPONSE_TARGETS if t in by_id), None)
        responded = s.done_at("response")
        history = complaint.history
        opened = history[0]
        assert isinstance(opened, ev.ComplaintOpened)
        triaged = sum(1 for e in history if isinstance(e, ev.Triaged))
        states = s.states
        self._aspects.append(s.aspects)
        self._complaints.append(
            (
                complaint.policy.id,
                s.complaint_id,
                received,
                day0,
                f"{local.year}-Q{(local.month - 1) // 3 + 1}",  # as reports.quarter_of
                local.year,
                off_hours,
                local.month == 12 and local.day in _CHRISTMAS_WEEK,
                s.complainant,
                s.channel,
                opened.case_ongoing,
                opened.hearing,
                complaint.eligibility if eligibility is None else eligibility,
                route_of(complaint),
                complaint.state,
                complaint.finished,
                complaint.owner,
                s.staff_named,
                ",".join(s.aspects),
                s.receipt_at != received,
                states.quick_fix is not None,
                triaged > 1,
                bool(s.delays),
                responded,
                None if response is None else response.id,
                None if response is None else response.due,
                None
                if responded is None
                else self._calendar.working_days_between(day0, _london_date(responded)),
                response is not None
                and (response.status in ("breached", "met-late") or response.overdue),
                breaches,
                breaches > 0,
                len(history),
            )
        )

    def frames(self, policies: Iterable[Policy] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The complaints frame and the obligations frame."""
        chosen = tuple(policies)
        own = [c for c in COMPLAINT_COLUMNS if c not in _ASPECT_COLUMNS]
        columns = _transposed(self._complaints, len(own))
        crow: dict[str, Any] = dict(zip(own, columns, strict=True))
        for name, aspect in zip(_ASPECT_COLUMNS, ASPECTS, strict=True):
            crow[name] = [aspect in a for a in self._aspects]
        complaints = to_frame({name: crow[name] for name in COMPLAINT_COLUMNS}, chosen)
        ocols = _transposed(self._obligations, 8)
        orow: dict[str, Any] = {}
        for name in OBLIGATION_ROW_COLUMNS:
            if name in _PER_COMPLAINT:
                orow[name] = complaints[name].repeat(self._counts).reset_index(drop=True)
        per = dict(zip((*_PER_OBLIGATION, "extended_from", "overdue"), ocols, strict=True))
        per["extended"] = [e is not None for e in per["extended_from"]]
        per["late"] = [
            status in _LATE or overdue
            for status, overdue in zip(per["status"], per["overdue"], strict=True)
        ]
        per["breached"] = [status == "breached" for status in per["status"]]
        orow.update(per)
        ordered = {name: orow[name] for name in OBLIGATION_ROW_COLUMNS}
        return complaints, obligations_frame(ordered, self._calendar, chosen)


def _transposed(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """The columns of equal-length ``rows`` (``width`` empty lists when there are none)."""
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]


def instants_series(values: list[datetime | None]) -> pd.Series[Any]:
    """Aware instants (``None`` for missing) as a ``datetime64[us, Europe/London]`` Series."""
    micros = np.array(
        [_NAT if v is None else round(v.timestamp() * 1_000_000) for v in values], dtype=np.int64
    )
    index = pd.DatetimeIndex(micros.view("datetime64[us]")).tz_localize("UTC")
    return pd.Series(index.tz_convert("Europe/London"))


def dates_series(values: list[date | None]) -> pd.Series[Any]:
    """Dates (``None`` for missing) as a ``datetime64[s]`` Series."""
    days = np.array(
        [_NAT if v is None else v.toordinal() - _EPOCH_DAY for v in values], dtype=np.int64
    )
    return pd.Series(days.view("datetime64[D]").astype("datetime64[s]"))


def to_frame(rows: dict[str, list[Any]], policies: Iterable[Policy] = ()) -> pd.DataFrame:
    """The frame of filled column lists: instants in London, dates as datetimes, counts
    nullable, categories as categoricals (obligation ids under ``policies``)."""
    data: dict[str, Any] = {}
    for name, values in rows.items():
        if isinstance(values, pd.Series):  # a column made already (CaseloadRows)
            data[name] = values
        elif name in _INSTANT_COLUMNS:
            data[name] = instants_series(values)
        elif name in _DATE_COLUMNS:
            data[name] = dates_series(values)
        elif name in _INT_COLUMNS:
            data[name] = pd.array(values, dtype="Int64")
        else:
            data[name] = values
    frame = pd.DataFrame(data)
    chosen = tuple(policies)
    if "response_obligation" in frame.columns:
        frame["response_obligation"] = categorical(
            frame["response_obligation"], obligation_dtype(chosen), "response_obligation"
        )
    return as_categoricals(frame, chosen)


def obligations_frame(
    rows: dict[str, list[Any]],
    calendar: WorkingDayCalendar,
    policies: Iterable[Policy] = (),
) -> pd.DataFrame:
    """The obligations frame of filled row lists, with the working-day counts added at once.

    ``policies``: those the rows were made under (their targets are the ``obligation_id``
    categories after the built-ins').

    ``working_days_to_met``: working days from day 0 to the London date it was met;
    ``working_days_late``: working days after the due date up to that date (0 on time);
    ``bank_holidays_to_due``: weekdays that are not working days from day 0 to the due date.
    """
    frame = to_frame(rows, policies)
    n = len(frame)
    vc = VectorCalendar.of(calendar)
    day0 = frame["deemed_receipt"].to_numpy("datetime64[D]")
    due = frame["due"].to_numpy("datetime64[D]")
    met_local = frame["met_at"].dt.tz_convert("Europe/London").dt.tz_localize(None)
    met = met_local.to_numpy("datetime64[D]")
    one = np.timedelta64(1, "D")
    done = ~np.isnat(met)
    to_met = np.zeros(n, dtype=np.int64)
    late = np.zeros(n, dtype=np.int64)
    if done.any():
        to_met[done] = vc.working_days_between(day0[done], met[done])
        late[done] = np.maximum(0, vc.working_days_between(due[done] + one, met[done] + one))
    ahead = due >= day0
    holidays = np.zeros(n, dtype=np.int64)
    if ahead.any():
        start, stop = day0[ahead], due[ahead] + one
        holidays[ahead] = np.busday_count(start, stop) - vc.working_days_between(start, stop)
    frame["working_days_late"] = pd.array(np.where(done, late, 0), dtype="Int64")
    frame["working_days_to_met"] = pd.array(to_met, dtype="Int64")
    frame.loc[~done, ["working_days_late", "working_days_to_met"]] = pd.NA
    frame["bank_holidays_to_due"] = holidays
    extra = [c for c in frame.columns if c not in OBLIGATION_COLUMNS]
    return frame[[*OBLIGATION_COLUMNS, *extra]]
