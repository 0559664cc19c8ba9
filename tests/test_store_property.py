"""The store's property: after any sequence of adds, appends, repairs and migrations, its
worklist and change feed equal a scan of every stored complaint's ``obligations(at)``.

A Hypothesis rule-based state machine drives one store and an independent model (plain
``Complaint`` values); every check compares the store with the scan of the model. Seeded bugs
in the projection are caught (the tests at the end).
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)

from complaint_workflow import (
    LONDON,
    Complaint,
    EventRejected,
    Policy,
    PolicyChanged,
    WorkingDayCalendar,
)
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.events import Event
from complaint_workflow.store import (
    ComplaintStore,
    DuplicateComplaintError,
    StoreError,
    _projection,
)

from .store_support import (
    postgres_url,
    scan_changes,
    scan_worklist,
    scenario_complaint,
    store_changes,
    store_worklist,
)

SCENARIO_IDS = sorted(s.facts["complaint_id"] for s in SCENARIOS)
BASE = datetime(2024, 2, 1, tzinfo=LONDON)
THOROUGH = os.environ.get("CW_HYPOTHESIS_PROFILE") == "thorough"
SETTINGS = settings(
    max_examples=80 if THOROUGH else 25,
    stateful_step_count=14,
    deadline=None,
    derandomize=True,
)

SEEDED = settings(SETTINGS, max_examples=200, stateful_step_count=20, phases=[Phase.generate])
"""A seeded bug must be found while generating; shrinking the failure is not needed here."""

instants = st.integers(0, 330 * 24 * 60).map(lambda m: BASE + timedelta(minutes=m))


class StoreMachine(RuleBasedStateMachine):
    """One store, one model; every rule changes both or checks one against the other."""

    url = "sqlite://"

    def __init__(self) -> None:
        super().__init__()
        self.store = ComplaintStore.open(self.url)
        self.calendar = WorkingDayCalendar.england_and_wales()
        self.model: dict[str, Complaint] = {}
        self.pending: dict[str, list[Event]] = {}

    def teardown(self) -> None:
        self.store.close()

    # ----------------------------------------------------------------- changes

    @rule(
        scenario=st.sampled_from(SCENARIO_IDS),
        policy=st.sampled_from(Policy.builtin_ids()),
        n=st.integers(0, 2),
    )
    def add(self, scenario: str, policy: str, n: int) -> None:
        """Add a demo scenario's opened complaint (a stored id is refused)."""
        cid = f"{scenario}-{n}"
        complaint, events = scenario_complaint(
            scenario, new_id=cid, policy=policy, calendar=self.calendar
        )
        if cid in self.model:
            with pytest.raises(DuplicateComplaintError):
                self.store.add(complaint)
            return
        self.store.add(complaint)
        self.model[cid] = complaint
        self.pending[cid] = events

    @precondition(lambda self: any(self.pending.values()))
    @rule(data=st.data())
    def append(self, data: st.DataObject) -> None:
        """Append a complaint's next scenario event; a rejection writes nothing."""
        cid = data.draw(st.sampled_from(sorted(k for k, v in self.pending.items() if v)))
        event = self.pending[cid].pop(0)
        current = self.model[cid]
        try:
            expected = current.apply(event)
        except EventRejected:
            with pytest.raises(EventRejected):
                self.store.append(cid, event, expected_version=current.version)
            self.pending[cid].clear()
            return
        assert self.store.append(cid, event, expected_version=current.version) == expected
        self.model[cid] = expected

    @rule(day=st.dates(date(2024, 2, 1), date(2024, 12, 31)))
    def close_a_day(self, day: date) -> None:
        """A new non-working day, then repair; histories that no longer replay are refused."""
        calendar = self.calendar.with_closures([day])
        try:
            rebuilt = {
                i: Complaint.replay(c.history, calendar=calendar, personal=c.personal)
                for i, c in self.model.items()
            }
        except EventRejected:
            with pytest.raises(StoreError, match="does not replay"):
                self.store.repair(calendar=calendar)
            assert self.store.calendar == self.calendar
            return
        moved = self.store.repair(calendar=calendar)
        old = {i: {o.id: o.due for o in c.obligations(c.last_at)} for i, c in self.model.items()}
        new = {i: {o.id: o.due for o in c.obligations(c.last_at)} for i, c in rebuilt.items()}
        expected = sorted(
            (i, o, old[i].get(o), new[i].get(o))
            for i in self.model
            for o in set(old[i]) | set(new[i])
            if old[i].get(o) != new[i].get(o)
        )
        assert sorted((m.complaint_id, m.id, m.old_due, m.new_due) for m in moved) == expected
        self.calendar, self.model = calendar, rebuilt

    @rule(
        source=st.sampled_from(Policy.builtin_ids()),
        to=st.sampled_from(Policy.builtin_ids()),
        at=instants,
    )
    def migrate(self, source: str, to: str, at: datetime) -> None:
        """Move open complaints under one policy to another; refused ones are skipped."""
        result = self.store.migrate(source, to, at=at, dry_run=False)
        skipped = set()
        for cid, c in sorted(self.model.items()):
            if c.policy.id != source or c.finished:
                continue
            try:
                self.model[cid] = c.apply(PolicyChanged(at=at, policy_id=to))
                self.pending[cid] = [e for e in self.pending[cid] if e.at >= at]
            except EventRejected:
                skipped.add(cid)
        assert {cid for cid, _ in result.skipped} == skipped

    # ----------------------------------------------------------------- checks

    def _instant(self, data: st.DataObject) -> datetime:
        """Mostly near a stored complaint's receipt (where statuses move), sometimes anywhere."""
        receipts = sorted(c.history[0].at for c in self.model.values())
        if not receipts or data.draw(st.booleans()):
            return data.draw(instants)
        start = data.draw(st.sampled_from(receipts))
        return start + timedelta(minutes=data.draw(st.integers(-48 * 60, 40 * 24 * 60)))

    @rule(data=st.data(), days=st.integers(0, 60))
    def worklist_equals_the_scan(self, data: st.DataObject, days: int) -> None:
        """The worklist at an instant, up to some days later, is the scan's."""
        at = self._instant(data)
        until = (at + timedelta(days=days)).date()
        got = store_worklist(self.store.worklist(at=at, until=until))
        assert got == scan_worklist(self.model.values(), at, until)

    @rule(data=st.data(), days=st.integers(0, 45))
    def changes_equal_the_scan(self, data: st.DataObject, days: int) -> None:
        """The feed in a window of some days is the scan's."""
        after = self._instant(data)
        until = after + timedelta(days=days, hours=7)
        got = store_changes(self.store.changes(after=after, until=until))
        assert got == scan_changes(self.model.values(), after, until)


def test_store_equals_the_scan_after_any_sequence() -> None:
    """Hypothesis drives adds, appends, repairs and migrations; every check holds (SQLite)."""
    run_state_machine_as_test(StoreMachine, settings=SETTINGS)


def test_store_equals_the_scan_on_postgres() -> None:
    """The same state machine against the PostgreSQL server (fewer runs)."""
    from .store_support import postgres_database

    postgres_url()
    with postgres_database() as url:

        class PostgresMachine(StoreMachine):
            def __init__(self) -> None:
                self.url = url
                super().__init__()

            def teardown(self) -> None:
                import sqlalchemy as sa

                with self.store._engine.begin() as conn:
                    for table in (
                        "cw_changes",
                        "cw_rows",
                        "cw_personal",
                        "cw_events",
                        "cw_complaints",
                        "cw_policies",
                    ):
                        conn.execute(sa.text(f"DELETE FROM {table}"))
                super().teardown()

        run_state_machine_as_test(
            PostgresMachine, settings=settings(SETTINGS, max_examples=4 if not THOROUGH else 10)
        )


# --------------------------------------------------------------------- seeded bugs


@pytest.fixture
def risk_an_hour_late(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug: the at-risk window starts an hour late (01:00, not midnight)."""
    real = _projection.interval_rows

    def buggy(complaint: Complaint, start: datetime) -> list[_projection.Row]:
        import attrs

        hour = 3_600_000_000
        return [
            attrs.evolve(r, risk=None if r.risk is None else r.risk + hour)
            for r in real(complaint, start)
        ]

    monkeypatch.setattr(_projection, "interval_rows", buggy)


@pytest.fixture
def history_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug: the worklist reads only each complaint's latest interval, even for an earlier
    instant."""
    import sqlalchemy as sa

    from complaint_workflow.store import _schema

    monkeypatch.setattr(_schema, "HISTORY_LIVE", sa.false())


@pytest.mark.usefixtures("risk_an_hour_late")
def test_the_property_catches_an_at_risk_window_an_hour_late() -> None:
    """With the at-risk start seeded an hour late, the state machine finds a difference."""
    with pytest.raises(AssertionError):
        run_state_machine_as_test(StoreMachine, settings=SEEDED)


@pytest.mark.usefixtures("history_ignored")
def test_the_property_catches_a_worklist_that_ignores_history() -> None:
    """With earlier intervals left out of the worklist, the state machine finds a difference."""
    with pytest.raises(AssertionError):
        run_state_machine_as_test(StoreMachine, settings=SEEDED)
