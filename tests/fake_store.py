"""A stand-in for ``complaint_workflow.store.ComplaintStore`` while the real store is built.

Same methods and errors (by name) as the pinned store API, all in memory, under a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import attrs

from complaint_workflow import Complaint, ComplaintWorkflowError, Event


class ConcurrencyError(ComplaintWorkflowError):
    """The stored version is not the expected one."""


class ComplaintNotFound(ComplaintWorkflowError, KeyError):
    """No complaint with that id."""


class DuplicateComplaintError(ComplaintWorkflowError, ValueError):
    """A complaint with that id is already stored."""


@attrs.frozen
class Row:
    complaint_id: str
    id: str
    due: date
    status: str
    strength: str
    clause: str


class FakeStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._complaints: dict[str, Complaint] = {}

    def add(self, complaint: Complaint) -> None:
        with self._lock:
            if complaint.id in self._complaints:
                raise DuplicateComplaintError(f"complaint {complaint.id!r} is already stored")
            self._complaints[complaint.id] = complaint

    def get(self, complaint_id: str, *, at: datetime | None = None) -> Complaint:
        with self._lock:
            try:
                return self._complaints[complaint_id]
            except KeyError:
                raise ComplaintNotFound(complaint_id) from None

    def append(self, complaint_id: str, event: Event, *, expected_version: int) -> Complaint:
        with self._lock:
            if complaint_id not in self._complaints:
                raise ComplaintNotFound(complaint_id)
            current = self._complaints[complaint_id]
            if current.version != expected_version:
                raise ConcurrencyError(
                    f"{complaint_id}: version {current.version}, expected {expected_version}"
                )
            new = current.apply(event)
            self._complaints[complaint_id] = new
            return new

    def worklist(
        self,
        *,
        at: datetime,
        until: date,
        statuses: Iterable[str] | None = None,
        policy: str | None = None,
        limit: int | None = None,
    ) -> list[Row]:
        with self._lock:
            complaints = list(self._complaints.values())
        rows = [
            Row(c.id, o.id, o.due, o.status, o.strength, o.clause)
            for c in complaints
            if policy is None or c.policy.id == policy
            for o in c.obligations(at)
            if o.status not in ("met", "met-late")
            and o.due <= until
            and (statuses is None or o.status in set(statuses))
        ]
        rows.sort(key=lambda r: (r.due, r.complaint_id, r.id))
        return rows[:limit] if limit else rows

    def changes(self, *, after: datetime, until: datetime) -> list[Any]:
        return []

    def close(self) -> None:
        pass
