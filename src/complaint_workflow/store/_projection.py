"""The store's projection: each complaint's obligations per history interval, and their changes.

Statuses are a pure function of (history, policy, calendar, instant). Between two events a
complaint's obligations keep their due dates; only their status moves, and only at instants
known in advance. So a complaint is projected into one :class:`Row` per obligation per
*interval* ``[t_j, t_j+1)`` (``t_j`` the distinct event instants, the last interval open-ended),
each holding what fixes its status at any instant of the interval:

- ``fixed``: ``met``, ``met-late``, ``breached`` (a hard one done late) or ``impossible``;
  these never move within the interval;
- otherwise the status is ``breached`` (hard) or ``at-risk`` (target, overdue) from
  ``due_end`` (:func:`~complaint_workflow.calendar.end_of_day` of the due date), ``at-risk``
  from ``risk`` (the start of the working-day warning window, when the policy has one), and
  before that ``extended`` (a delay update moved the date) or ``pending``.

This is exactly the rule of :mod:`complaint_workflow.obligations`, so a row's
:meth:`Row.status_at` equals ``complaint.obligations(at)`` for every ``at`` in the interval
(the property tests check it against a scan). Instants are integer microseconds since the Unix
epoch (UTC): exact, ordered and indexable on every database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

import attrs

from ..calendar import LONDON, WorkingDayCalendar, end_of_day
from ..complaint import Complaint
from ..events import Event
from ..personal import PersonalDetails
from ..policy import Policy

__all__ = [
    "FEED_STATUSES",
    "ChangeKey",
    "Row",
    "appended",
    "build",
    "changes_of",
    "from_us",
    "interval_rows",
    "to_us",
]

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_US: Final = timedelta(microseconds=1)
_DAY: Final = timedelta(days=1)

FEED_STATUSES: Final = frozenset({"at-risk", "breached", "impossible", "extended"})
"""The statuses whose onset the change feed reports."""

FIXED_STATUSES: Final = frozenset({"met", "met-late", "breached", "impossible"})
LIVE_FIXED: Final = frozenset({"breached", "impossible"})
"""Fixed statuses that keep an obligation on the worklist (it is not met nor met-late)."""


def to_us(instant: datetime) -> int:
    """An aware instant as integer microseconds since the Unix epoch."""
    return (instant - EPOCH) // _US


def from_us(value: int) -> datetime:
    """Microseconds since the epoch as an aware Europe/London datetime."""
    return (EPOCH + timedelta(microseconds=value)).astimezone(LONDON)


@attrs.frozen
class Row:
    """One obligation of one complaint over one history interval ``[start, end)``."""

    complaint_id: str
    start: int
    end: int | None
    pos: int
    id: str
    due: date
    strength: str
    clause: str
    fixed: str | None
    met_at: int | None
    extended_from: date | None
    risk: int | None
    due_end: int
    policy_id: str

    @property
    def live(self) -> bool:
        """Whether the obligation is on the worklist in this interval (not met nor met-late)."""
        return self.fixed is None or self.fixed in LIVE_FIXED

    def status_at(self, t: int) -> str:
        """The obligation's status at instant ``t`` (microseconds) inside the interval."""
        if self.fixed is not None:
            return self.fixed
        if t >= self.due_end:
            return "breached" if self.strength == "hard" else "at-risk"
        if self.risk is not None and t >= self.risk:
            return "at-risk"
        return "extended" if self.extended_from is not None else "pending"

    def overdue_at(self, t: int) -> bool:
        """True for a target past its date and not done (its status is then ``at-risk``)."""
        return self.fixed is None and self.strength == "target" and t >= self.due_end


@attrs.frozen
class ChangeKey:
    """One change of an obligation's status to a feed status, at an instant."""

    complaint_id: str
    id: str
    at: int
    status: str
    pos: int
    due: date
    strength: str
    clause: str

    @property
    def identity(self) -> tuple[str, str, int]:
        """What names the change: complaint, obligation, instant (one status per instant)."""
        return (self.complaint_id, self.id, self.at)


def interval_rows(complaint: Complaint, start: datetime) -> list[Row]:
    """The rows of the interval starting at ``start``, the complaint's last event instant."""
    start_us = to_us(start)
    warn = complaint.policy.parameters.at_risk_working_days
    calendar = complaint.calendar
    rows: list[Row] = []
    for pos, o in enumerate(complaint.obligations(start)):
        fixed = o.status if (o.met_at is not None or o.status == "impossible") else None
        risk: int | None = None
        if fixed is None and warn:
            first = calendar.working_days_before(o.due + _DAY, warn)
            risk = to_us(datetime.combine(first, time(0), tzinfo=LONDON))
        rows.append(
            Row(
                complaint_id=complaint.id,
                start=start_us,
                end=None,
                pos=pos,
                id=o.id,
                due=o.due,
                strength=o.strength,
                clause=o.clause,
                fixed=fixed,
                met_at=None if o.met_at is None else to_us(o.met_at),
                extended_from=o.extended_from,
                risk=risk,
                due_end=to_us(end_of_day(o.due)),
                policy_id=complaint.policy.id,
            )
        )
    return rows


def close_rows(rows: Sequence[Row], at: int) -> list[Row]:
    """The rows after an event at ``at``: the open interval ends there (or is dropped when it
    starts there, the new event sharing its instant)."""
    out: list[Row] = []
    for row in rows:
        if row.end is None:
            if row.start >= at:
                continue
            row = attrs.evolve(row, end=at)
        out.append(row)
    return out


def build(
    events: Iterable[Event],
    *,
    policies: Mapping[str, Policy],
    calendar: WorkingDayCalendar,
    personal: PersonalDetails | None = None,
) -> tuple[Complaint, list[Row]]:
    """Replay a history once, returning the complaint and its projection rows.

    Raises what :meth:`Complaint.replay` raises for a history that does not replay.
    """
    iterator = iter(events)
    first = next(iterator, None)
    complaint = Complaint.replay(
        [] if first is None else [first], policies=policies, calendar=calendar, personal=personal
    )
    snapshots: list[Complaint] = []
    for event in iterator:
        after = complaint.apply(event, policies=policies)
        if after.last_at != complaint.last_at:
            snapshots.append(complaint)  # the interval at complaint.last_at is complete
        complaint = after
    snapshots.append(complaint)
    rows: list[Row] = []
    for j, snapshot in enumerate(snapshots):
        end = to_us(snapshots[j + 1].last_at) if j + 1 < len(snapshots) else None
        rows.extend(attrs.evolve(r, end=end) for r in interval_rows(snapshot, snapshot.last_at))
    return complaint, rows


def appended(complaint: Complaint, rows: Sequence[Row]) -> list[Row]:
    """The rows once ``complaint`` (the one before, plus one applied event) replaces them."""
    at = complaint.last_at
    return [*close_rows(rows, to_us(at)), *interval_rows(complaint, at)]


def changes_of(rows: Sequence[Row]) -> list[ChangeKey]:
    """Every change of an obligation's status to a feed status, in order of instant.

    A change at ``t``: the status at ``t`` differs from the status just before ``t`` (none
    when the obligation was not listed), and is one of :data:`FEED_STATUSES`.
    """
    by_start: dict[int, list[Row]] = {}
    for row in rows:
        by_start.setdefault(row.start, []).append(row)
    out: list[ChangeKey] = []
    previous: dict[str, Row] = {}
    for start in sorted(by_start):
        group = sorted(by_start[start], key=lambda r: r.pos)
        for row in group:
            before = previous.get(row.id)
            was = None if before is None else before.status_at(start - 1)
            now = row.status_at(start)
            if now != was and now in FEED_STATUSES:
                out.append(_key(row, start, now))
            for instant in sorted(i for i in (row.risk, row.due_end) if i is not None):
                if start < instant and (row.end is None or instant < row.end):
                    was, now = row.status_at(instant - 1), row.status_at(instant)
                    if now != was and now in FEED_STATUSES:
                        out.append(_key(row, instant, now))
        previous = {row.id: row for row in group}
    out.sort(key=lambda k: (k.at, k.pos))
    return out


def _key(row: Row, at: int, status: str) -> ChangeKey:
    return ChangeKey(
        complaint_id=row.complaint_id,
        id=row.id,
        at=at,
        status=status,
        pos=row.pos,
        due=row.due,
        strength=row.strength,
        clause=row.clause,
    )
