"""Helpers for the store tests: backends, and the scan every store answer is checked against.

The oracle here never looks at the store's projection: it asks each complaint for
``obligations(at)``, as a service without a store would.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from complaint_workflow import LONDON, Complaint
from complaint_workflow.demo import SCENARIOS

POSTGRES_ENV = "CW_TEST_POSTGRES_URL"
FEED = frozenset({"at-risk", "breached", "impossible", "extended"})
_US = timedelta(microseconds=1)


def scenario_complaint(
    scenario_id: str, *, new_id: str | None = None, policy: str = "cafcass-web", **extra: Any
) -> tuple[Complaint, list[Any]]:
    """The opened complaint of a demo scenario (optionally renamed) and its remaining events."""
    scenario = next(s for s in SCENARIOS if s.facts["complaint_id"] == scenario_id)
    facts = {**scenario.facts, **({"complaint_id": new_id} if new_id else {})}
    return Complaint.open(policy=policy, **facts, **extra), list(scenario.events)


def full_scenario(scenario_id: str, **kwargs: Any) -> Complaint:
    """The demo scenario's complaint after all its events."""
    complaint, events = scenario_complaint(scenario_id, **kwargs)
    for event in events:
        complaint = complaint.apply(event)
    return complaint


# --------------------------------------------------------------------- the oracle


def scan_worklist(
    complaints: Iterable[Complaint], at: datetime, until: date
) -> list[tuple[object, ...]]:
    """What a worklist must hold: every obligation not met nor met-late at ``at``, due by
    ``until``, from each complaint's own ``obligations(at)``; ordered as the store orders."""
    found = []
    for c in complaints:
        for pos, o in enumerate(c.obligations(at)):
            if o.status in ("met", "met-late") or o.due > until:
                continue
            found.append((o.due, c.id, pos, o.id, o.status, o.strength, o.clause, o.overdue))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    return [t[:2] + t[3:] for t in found]


def scan_worklist_items(
    complaints: Iterable[Complaint],
    at: datetime,
    until: date,
    *,
    since: date | None = None,
    statuses: Iterable[str] | None = None,
    policy: str | None = None,
    limit: int | None = None,
) -> list[tuple[object, ...]]:
    """What ``worklist(at=, until=, since=, statuses=, policy=, limit=)`` must return, every
    field of every item, from each complaint's own ``obligations(at)`` and the policy it was
    under at ``at``; ordered as the store orders, then cut to ``limit``."""
    wanted = None if statuses is None else frozenset(statuses)
    found = []
    for c in complaints:
        then = c.as_of(at)
        if then is None:
            continue
        for pos, o in enumerate(c.obligations(at)):
            if o.status in ("met", "met-late") or o.due > until:
                continue
            if since is not None and o.due < since:
                continue
            if wanted is not None and o.status not in wanted:
                continue
            if policy is not None and then.policy.id != policy:
                continue
            item = (
                o.due,
                c.id,
                o.id,
                o.status,
                o.strength,
                o.clause,
                o.overdue,
                o.met_at,
                o.extended_from,
                then.policy.id,
            )
            found.append((o.due, c.id, pos, item))
    found.sort(key=lambda t: (t[0], t[1], t[2]))
    items = [t[3] for t in found]
    return items if limit is None else items[:limit]


def store_worklist_items(rows: Iterable[Any]) -> list[tuple[object, ...]]:
    """A store's worklist rows, every field, in the shape of :func:`scan_worklist_items`."""
    return [
        (
            r.due,
            r.complaint_id,
            r.id,
            r.status,
            r.strength,
            r.clause,
            r.overdue,
            r.met_at,
            r.extended_from,
            r.policy_id,
        )
        for r in rows
    ]


def store_worklist(rows: Iterable[Any]) -> list[tuple[object, ...]]:
    """A store's worklist rows in the oracle's shape."""
    return [(r.due, r.complaint_id, r.id, r.status, r.strength, r.clause, r.overdue) for r in rows]


def _statuses(c: Complaint, t: datetime) -> dict[str, tuple[int, str]]:
    if t < c.history[0].at:
        return {}
    return {o.id: (pos, o.status) for pos, o in enumerate(c.obligations(t))}


def _midnights(first: date, last: date) -> Iterator[datetime]:
    day = first
    while day <= last:
        yield datetime.combine(day, time(0), tzinfo=LONDON)
        day += timedelta(days=1)


def scan_changes(
    complaints: Iterable[Complaint], after: datetime, until: datetime
) -> list[tuple[object, ...]]:
    """Every change to a feed status in ``(after, until]``, found by asking each complaint for
    its obligations just before and at every candidate instant: statuses only move at event
    instants and at midnight in Europe/London (the start of a day, the end of a due date)."""
    found = []
    lo, hi = after.astimezone(LONDON), until.astimezone(LONDON)
    for c in complaints:
        candidates = {e.at for e in c.history} | set(
            _midnights(lo.date(), hi.date() + timedelta(days=1))
        )
        for t in sorted(x for x in candidates if lo < x <= hi):
            before, now = _statuses(c, t - _US), _statuses(c, t)
            for oid, (pos, status) in now.items():
                if status in FEED and before.get(oid, (0, None))[1] != status:
                    found.append((t, c.id, pos, oid, status))
    found.sort(key=lambda x: (x[0], x[1], x[2]))
    return [(t, cid, oid, status) for t, cid, _, oid, status in found]


def store_changes(rows: Iterable[Any]) -> list[tuple[object, ...]]:
    """A store's change rows in the oracle's shape."""
    return [(r.at, r.complaint_id, r.id, r.status) for r in rows]


# --------------------------------------------------------------------- backends


def postgres_url() -> str:
    """The test server's URL, or skip with the reason."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    return url


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty database on the test server (dropped afterwards); yields its URL."""
    import psycopg

    base = postgres_url()
    name = f"cw_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
