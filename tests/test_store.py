"""The store's contract, one class run against every backend (SQLite file, memory, PostgreSQL)."""

from __future__ import annotations

import collections
import itertools
import json
import random
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from complaint_workflow import (
    LONDON,
    Complaint,
    ComplaintWorkflowError,
    ContactRestricted,
    DelayUpdateSent,
    EventRejected,
    NaiveDatetimeError,
    PersonalDetails,
    Policy,
    PolicyChanged,
    WorkingDayCalendar,
)
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.store import (
    ComplaintNotFound,
    ComplaintStore,
    ConcurrencyError,
    DuplicateComplaintError,
    FeedCursor,
    StoreError,
)

from .store_support import (
    full_scenario,
    postgres_database,
    scan_changes,
    scan_worklist,
    scan_worklist_items,
    scenario_complaint,
    store_changes,
    store_worklist,
    store_worklist_items,
)

SECRET = PersonalDetails(
    name="Secret-Marker Person", contact="secret-marker@example.org", text="Secret-marker words"
)
IDS = [s.facts["complaint_id"] for s in SCENARIOS]
JAN, MAR_2025 = datetime(2024, 1, 1, tzinfo=LONDON), datetime(2025, 3, 1, tzinfo=LONDON)


def _fill(store: ComplaintStore) -> dict[str, Complaint]:
    """Every demo scenario added at opening, then each event appended one by one."""
    final = {}
    for scenario in SCENARIOS:
        complaint, events = scenario_complaint(scenario.facts["complaint_id"])
        store.add(complaint)
        for event in events:
            complaint = store.append(complaint.id, event, expected_version=complaint.version)
        final[complaint.id] = complaint
    return final


def _instants(complaints: dict[str, Complaint]) -> list[datetime]:
    out = []
    for c in complaints.values():
        start = c.history[0].at
        out.extend(start + timedelta(hours=17 * k + 3) for k in range(0, 40, 5))
        out.extend(e.at for e in c.history)
    return out


def _check_worklist_calls(
    store: ComplaintStore, complaints: dict[str, Complaint], *, seed: int = 13
) -> collections.Counter[str]:
    """Ask the store's worklist in many shapes, mixed, and compare each with the scan; how
    often each status, policy, overdue item, met date or empty answer was seen."""
    rng = random.Random(seed)
    shapes = list(
        itertools.product(
            (None, 0, -5),  # since: none, today, five days back
            (None, ("breached",), ("pending", "at-risk", "extended")),
            (None, "cafcass-web", "cafcass-2012"),
            (None, 2),
        )
    )
    counts: collections.Counter[str] = collections.Counter()
    for at in _instants(complaints):
        for days in (0, 7, 60):
            until = (at + timedelta(days=days)).date()
            for since_days, statuses, policy, limit in rng.sample(shapes, 4):
                since = None if since_days is None else (at + timedelta(days=since_days)).date()
                got = store_worklist_items(
                    store.worklist(
                        at=at,
                        until=until,
                        since=since,
                        statuses=statuses,
                        policy=policy,
                        limit=limit,
                    )
                )
                expected = scan_worklist_items(
                    complaints.values(),
                    at,
                    until,
                    since=since,
                    statuses=statuses,
                    policy=policy,
                    limit=limit,
                )
                assert got == expected, (at, until, since, statuses, policy, limit)
                counts["empty"] += not got
                for _due, _cid, _id, status, _s, _c, overdue, met_at, _e, policy_id in got:
                    counts.update((status, policy_id))
                    counts["overdue"] += overdue
                    counts["met_at"] += met_at is not None
    return counts


class StoreContract:
    """What every backend must do; subclasses say how to reach it."""

    persistent: ClassVar[bool] = True

    @pytest.fixture
    def url(self, tmp_path: Path) -> Iterator[str]:
        raise NotImplementedError

    @pytest.fixture
    def store(self, url: str) -> Iterator[ComplaintStore]:
        with ComplaintStore.open(url) as store:
            yield store

    # ----------------------------------------------------------------- add and get

    def test_add_then_get_gives_an_equal_complaint_with_its_personal_details(
        self, store: ComplaintStore
    ) -> None:
        """A stored complaint reads back equal, personal details included."""
        complaint = full_scenario("CHILD-1", personal=SECRET)
        assert store.add(complaint) == complaint
        got = store.get("CHILD-1")
        assert got == complaint
        assert got.personal == SECRET
        assert store.complaint_ids() == ["CHILD-1"]
        assert "CHILD-1" in store
        assert "NOPE" not in store

    def test_an_unknown_id_is_complaint_not_found_and_a_key_error(
        self, store: ComplaintStore
    ) -> None:
        """get of an id never stored raises ComplaintNotFound, which is also a KeyError."""
        with pytest.raises(ComplaintNotFound, match="'NOPE' is not stored") as caught:
            store.get("NOPE")
        assert isinstance(caught.value, KeyError)
        assert isinstance(caught.value, ComplaintWorkflowError)
        with pytest.raises(KeyError):
            store.append(
                "NOPE",
                ContactRestricted(at=JAN, restriction="limited", because="abusive"),
                expected_version=1,
            )

    def test_adding_an_id_twice_is_refused_and_changes_nothing(self, store: ComplaintStore) -> None:
        """A second add of a stored id raises DuplicateComplaintError; the first stays."""
        first = full_scenario("LATE-1")
        store.add(first)
        other, _ = scenario_complaint("CHILD-1", new_id="LATE-1")
        with pytest.raises(DuplicateComplaintError, match="'LATE-1' is already stored"):
            store.add(other)
        assert store.get("LATE-1") == first

    def test_get_at_an_instant_gives_the_complaint_as_it_stood(self, store: ComplaintStore) -> None:
        """get(at=...) replays only the events that had happened by then."""
        complaint = full_scenario("CHILD-1")
        store.add(complaint)
        for event in complaint.history:
            got = store.get("CHILD-1", at=event.at)
            assert got.history == tuple(e for e in complaint.history if e.at <= event.at)
        with pytest.raises(ComplaintNotFound, match="had not been received"):
            store.get("CHILD-1", at=complaint.history[0].at - timedelta(seconds=1))

    # ----------------------------------------------------------------- append

    def test_append_returns_what_apply_returns_and_stores_it(self, store: ComplaintStore) -> None:
        """Each append gives Complaint.apply's result, and get reads the same back."""
        complaint, events = scenario_complaint("CHILD-1", personal=SECRET)
        store.add(complaint)
        for event in events:
            expected = complaint.apply(event)
            complaint = store.append("CHILD-1", event, expected_version=complaint.version)
            assert complaint == expected
            assert store.get("CHILD-1") == expected

    def test_a_rejected_event_writes_nothing(self, store: ComplaintStore) -> None:
        """An event Complaint.apply refuses raises EventRejected; history and feed unchanged."""
        _fill(store)
        before = store.get("CHILD-1")
        feed = store_changes(store.changes(after=JAN, until=MAR_2025))
        late = ContactRestricted(at=before.history[0].at, restriction="limited", because="abusive")
        with pytest.raises(EventRejected, match="earlier than the previous event"):
            store.append("CHILD-1", late, expected_version=before.version)
        assert store.get("CHILD-1") == before
        assert store_changes(store.changes(after=JAN, until=MAR_2025)) == feed

    def test_a_stale_expected_version_is_a_concurrency_error(self, store: ComplaintStore) -> None:
        """append with the wrong expected_version raises ConcurrencyError and writes nothing."""
        complaint, events = scenario_complaint("CHILD-1")
        store.add(complaint)
        store.append("CHILD-1", events[0], expected_version=1)
        with pytest.raises(ConcurrencyError, match="not at version 1: it is at 2"):
            store.append("CHILD-1", events[1], expected_version=1)
        assert store.get("CHILD-1").version == 2

    def test_a_redelivered_event_id_is_applied_once(self, store: ComplaintStore) -> None:
        """The same event_id with equal content returns the stored complaint; other content
        under that id is refused."""
        complaint, _ = scenario_complaint("LATE-1")
        store.add(complaint)
        at = complaint.history[0].at + timedelta(hours=1)
        event = ContactRestricted(at=at, restriction="limited", because="abusive", event_id="m-1")
        once = store.append("LATE-1", event, expected_version=1)
        again = store.append("LATE-1", event, expected_version=1)  # a retry: stale version
        assert again == once
        assert store.get("LATE-1").version == 2
        other = ContactRestricted(
            at=at, restriction="limited", because="unreasonably-persistent", event_id="m-1"
        )
        with pytest.raises(EventRejected, match="event_id 'm-1' is already stored"):
            store.append("LATE-1", other, expected_version=2)
        assert store.get("LATE-1").version == 2

    # ----------------------------------------------------------------- worklist and feed

    def test_worklist_equals_a_scan_of_every_complaint(self, store: ComplaintStore) -> None:
        """At many instants the worklist is exactly what each complaint's obligations(at) say."""
        complaints = _fill(store)
        for at in _instants(complaints):
            for days in (0, 7, 60):
                until = (at + timedelta(days=days)).date()
                expected = scan_worklist(complaints.values(), at, until)
                assert store_worklist(store.worklist(at=at, until=until)) == expected, at

    def test_worklist_filters_by_status_policy_and_limit(self, store: ComplaintStore) -> None:
        """statuses, policy, limit and since narrow the worklist as documented."""
        complaints = _fill(store)
        store.add(full_scenario("CHILD-1", new_id="OLD-1", policy="cafcass-2012"))
        at, until = datetime(2024, 6, 20, 12, tzinfo=LONDON), date(2024, 12, 31)
        everything = store.worklist(at=at, until=until)
        breached = store.worklist(at=at, until=until, statuses=["breached"])
        assert breached == [w for w in everything if w.status == "breached"]
        assert breached
        old = store.worklist(at=at, until=until, policy="cafcass-2012")
        assert {w.complaint_id for w in old} == {"OLD-1"}
        assert store.worklist(at=at, until=until, policy=Policy.builtin("cafcass-2012")) == old
        assert store.worklist(at=at, until=until, limit=2) == everything[:2]
        week = store.worklist(at=at, since=date(2024, 6, 20), until=date(2024, 6, 27))
        assert week == [w for w in everything if date(2024, 6, 20) <= w.due <= date(2024, 6, 27)]
        assert len(complaints) == len(SCENARIOS)
        with pytest.raises(ComplaintWorkflowError, match="unknown status 'late'"):
            store.worklist(at=at, until=until, statuses=["late"])

    def test_every_kind_of_worklist_call_equals_the_scan_field_by_field(
        self, store: ComplaintStore
    ) -> None:
        """Worklists with and without since, statuses, policy and limit, asked in a mixed
        order of one store, equal the scan in every field of every item."""
        complaints = _fill(store)
        old = store.add(full_scenario("CHILD-1", new_id="OLD-1", policy="cafcass-2012"))
        stalled, events = scenario_complaint("XMAS-1", new_id="STALLED-1")
        stalled = store.add(stalled)
        for event in events[:4]:  # triaged, never answered: its targets go overdue
            stalled = store.append(stalled.id, event, expected_version=stalled.version)
        complaints.update({old.id: old, stalled.id: stalled})
        seen = _check_worklist_calls(store, complaints)
        for what in ("pending", "at-risk", "breached", "impossible", "extended", "cafcass-2012"):
            assert seen[what] > 0, what  # every status, and both policies, were listed
        assert seen["overdue"] > 0
        assert seen["met_at"] > 0
        assert seen["empty"] > 0

    def test_changes_equal_a_scan_of_every_complaint(self, store: ComplaintStore) -> None:
        """The feed in several windows is exactly the scan's changes, ordered by instant."""
        complaints = _fill(store)
        edges = [JAN + timedelta(days=d) for d in (0, 40, 120, 160, 170, 190, 260, 330, 420)]
        everything = []
        for lo, hi in itertools.pairwise(edges):
            got = store_changes(store.changes(after=lo, until=hi))
            assert got == scan_changes(complaints.values(), lo, hi), (lo, hi)
            everything.extend(got)
        assert len(everything) == len(set(everything)) > 5

    def test_a_cursor_delivers_a_late_recorded_change_exactly_once(
        self, store: ComplaintStore
    ) -> None:
        """An event recorded after the scheduler's last until still reaches it, once."""
        complaint, events = scenario_complaint("DELAY-1")
        for event in events[:5]:  # up to the conduct referral
            complaint = complaint.apply(event)
        store.add(complaint)
        received = complaint.history[0].at
        first = store.changes(
            after=received - timedelta(days=1), until=received + timedelta(days=40)
        )
        late = events[5]
        assert isinstance(late, DelayUpdateSent)
        store.append("DELAY-1", late, expected_version=complaint.version)
        second = store.changes(after=first.cursor, until=received + timedelta(days=60))
        extended = [c for c in second if c.status == "extended"]
        assert [c.at for c in extended] == [late.at]
        assert late.at <= first.cursor.until  # its instant was inside the window already served
        third = store.changes(after=second.cursor, until=received + timedelta(days=90))
        seen = [(c.at, c.id, c.status) for c in [*first, *second, *third]]
        assert len(seen) == len(set(seen))
        assert FeedCursor.parse(str(second.cursor)) == second.cursor

    # ----------------------------------------------------------------- repair and migrate

    def test_repair_after_a_closure_moves_due_dates_and_matches_a_scan(
        self, store: ComplaintStore
    ) -> None:
        """A new non-working day moves due dates; repair reports them and the worklist follows."""
        complaints = _fill(store)
        closed = store.calendar.with_closures([date(2024, 6, 13)])
        moved = store.repair(calendar=closed)
        assert any(m.complaint_id == "CHILD-1" and m.old_due == date(2024, 6, 13) for m in moved)
        assert all(m.new_due != m.old_due for m in moved)
        rebuilt = {i: Complaint.replay(c.history, calendar=closed) for i, c in complaints.items()}
        at = datetime(2024, 6, 13, 18, tzinfo=LONDON)
        assert store_worklist(store.worklist(at=at, until=date(2024, 8, 1))) == scan_worklist(
            rebuilt.values(), at, date(2024, 8, 1)
        )
        assert store_changes(store.changes(after=JAN, until=MAR_2025)) == scan_changes(
            rebuilt.values(), JAN, MAR_2025
        )
        assert {i: store.get(i).history for i in complaints} == {
            i: c.history for i, c in complaints.items()
        }

    def test_migrate_dry_run_writes_nothing_and_the_real_run_appends_policy_changed(
        self, store: ComplaintStore
    ) -> None:
        """A dry run reports the due-date changes only; the real run records PolicyChanged."""
        complaint, events = scenario_complaint("CHILD-1", policy="cafcass-2012")
        store.add(complaint)
        at = complaint.history[0].at + timedelta(hours=2)
        dry = store.migrate("cafcass-2012", "cafcass-web", at=at)
        assert dry
        assert store.get("CHILD-1").version == 1
        real = store.migrate("cafcass-2012", "cafcass-web", at=at, dry_run=False)
        assert list(real) == list(dry)
        after = store.get("CHILD-1")
        assert isinstance(after.history[-1], PolicyChanged)
        assert after.policy.id == "cafcass-web"
        assert store.migrate("cafcass-2012", "cafcass-web", at=at, dry_run=False) == []
        until = date(2024, 12, 31)
        assert store_worklist(store.worklist(at=at, until=until)) == scan_worklist(
            [after], at, until
        )
        assert events  # the scenario goes on; the migration happened at the start

    # ----------------------------------------------------------------- erasure and JSON

    def test_erasure_removes_personal_details_and_keeps_the_rest(
        self, store: ComplaintStore
    ) -> None:
        """erase_personal drops the details for good; history, obligations and feed stay."""
        complaint = full_scenario("CHILD-1", personal=SECRET)
        store.add(complaint)
        at = complaint.last_at
        work = store.worklist(at=at, until=date(2025, 1, 1))
        assert store.erase_personal("CHILD-1") is True
        got = store.get("CHILD-1")
        assert got.personal is None
        assert got.history == complaint.history
        assert store.worklist(at=at, until=date(2025, 1, 1)) == work
        assert store.erase_personal("CHILD-1") is False
        with pytest.raises(ComplaintNotFound):
            store.erase_personal("NOPE")

    def test_export_then_import_round_trips(self, store: ComplaintStore, tmp_path: Path) -> None:
        """Exported JSON files import into an empty store as equal complaints."""
        complaints = _fill(store)
        paths = store.export(tmp_path / "out")
        assert sorted(p.stem for p in paths) == sorted(complaints)
        with ComplaintStore.open("sqlite://") as other:
            assert sorted(other.import_json(tmp_path / "out")) == sorted(complaints)
            assert {i: other.get(i) for i in complaints} == complaints
            with pytest.raises(DuplicateComplaintError):
                other.import_json(paths[:1])

    def test_a_bad_file_imports_nothing(self, store: ComplaintStore, tmp_path: Path) -> None:
        """One unreadable history among good ones: an error naming it, and nothing added."""
        good = tmp_path / "good.json"
        good.write_text(full_scenario("LATE-1").to_json(), encoding="utf-8")
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"schema": "nope"}), encoding="utf-8")
        with pytest.raises(ComplaintWorkflowError, match=r"bad\.json"):
            store.import_json([good, bad])
        assert store.complaint_ids() == []

    # ----------------------------------------------------------------- input checks

    def test_naive_instants_and_bad_arguments_are_refused(self, store: ComplaintStore) -> None:
        """Naive datetimes, wrong types and reversed windows get typed errors."""
        with pytest.raises(NaiveDatetimeError):
            store.worklist(at=datetime(2024, 6, 1), until=date(2024, 7, 1))
        with pytest.raises(ComplaintWorkflowError, match=r"until .* must not be before"):
            store.changes(after=MAR_2025, until=JAN)
        with pytest.raises(ComplaintWorkflowError, match="add takes a Complaint"):
            store.add("C-1")  # type: ignore[arg-type]
        with pytest.raises(ComplaintWorkflowError, match="expected_version"):
            store.append(
                "C-1",
                ContactRestricted(at=JAN, restriction="limited", because="abusive"),
                expected_version=0,
            )

    def test_errors_and_repr_never_show_personal_details(self, store: ComplaintStore) -> None:
        """Nothing the store prints or raises carries the complainant's details."""
        complaint = full_scenario("CHILD-1", personal=SECRET)
        store.add(complaint)
        messages = [repr(store)]
        for call in (
            lambda: store.add(complaint),
            lambda: store.append("CHILD-1", complaint.history[-1], expected_version=1),
        ):
            with pytest.raises(ComplaintWorkflowError) as caught:
                call()
            messages.append(str(caught.value))
        assert not any("secret-marker" in m.casefold() for m in messages)

    # ----------------------------------------------------------------- persistence

    def test_a_reopened_store_has_everything(self, url: str) -> None:
        """Closing and opening the same URL again finds every complaint, the same feed and the
        calendar of the last repair."""
        if not self.persistent:
            pytest.skip("an in-memory store ends when it is closed")
        with ComplaintStore.open(url) as store:
            complaints = _fill(store)
            feed = store_changes(store.changes(after=JAN, until=MAR_2025))
        with ComplaintStore.open(url) as store:
            assert {i: store.get(i) for i in complaints} == complaints
            assert store_changes(store.changes(after=JAN, until=MAR_2025)) == feed
            closed = store.calendar.with_closures([date(2024, 6, 13)])
            store.repair(calendar=closed)
        with ComplaintStore.open(url) as store:
            assert store.calendar == closed  # the repaired calendar is kept
            at = datetime(2024, 6, 13, 18, tzinfo=LONDON)
            assert store_worklist(store.worklist(at=at, until=date(2024, 8, 1))) == scan_worklist(
                [store.get(i) for i in complaints], at, date(2024, 8, 1)
            )

    def test_an_old_projection_is_rebuilt_and_a_newer_schema_refused(self, url: str) -> None:
        """Opening a store whose projection is older rebuilds it; a newer schema is refused."""
        if not self.persistent:
            pytest.skip("an in-memory store ends when it is closed")
        import sqlalchemy as sa

        with ComplaintStore.open(url) as store:
            complaints = _fill(store)
            at = datetime(2024, 6, 20, tzinfo=LONDON)
            work = store.worklist(at=at, until=date(2024, 12, 31))
        engine = ComplaintStore.open(url)._engine
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM cw_rows"))
            conn.execute(sa.text("UPDATE cw_meta SET value = '0' WHERE key = 'projection_version'"))
        engine.dispose()
        with ComplaintStore.open(url) as store:
            assert store.worklist(at=at, until=date(2024, 12, 31)) == work
            assert len(store.complaint_ids()) == len(complaints)
        engine = ComplaintStore.open(url)._engine
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE cw_meta SET value = '99' WHERE key = 'schema_version'"))
        engine.dispose()
        with pytest.raises(StoreError, match="newer complaint_workflow"):
            ComplaintStore.open(url)

    def test_a_store_with_an_older_worklist_index_gets_the_new_one_on_open(self, url: str) -> None:
        """A store made before the worklist's covering index (only an index on the due date)
        has it created, and the old one dropped, when opened; its worklist is unchanged."""
        if not self.persistent:
            pytest.skip("an in-memory store ends when it is closed")
        import sqlalchemy as sa

        with ComplaintStore.open(url) as store:
            complaints = _fill(store)
            at = datetime(2024, 6, 20, 12, tzinfo=LONDON)
            work = store.worklist(at=at, until=date(2024, 12, 31))
        engine = ComplaintStore.open(url)._engine
        with engine.begin() as conn:
            conn.execute(sa.text("DROP INDEX ix_cw_rows_current_worklist"))
            conn.execute(
                sa.text(
                    "CREATE INDEX ix_cw_rows_current_due ON cw_rows (due) "
                    "WHERE end_us IS NULL AND live = 1"
                )
            )
        engine.dispose()
        with ComplaintStore.open(url) as store:
            names = {ix["name"] for ix in sa.inspect(store._engine).get_indexes("cw_rows")}
            assert "ix_cw_rows_current_worklist" in names
            assert "ix_cw_rows_current_due" not in names
            assert store.worklist(at=at, until=date(2024, 12, 31)) == work
            assert store_worklist(work) == scan_worklist(
                complaints.values(), at, date(2024, 12, 31)
            )


def _worklist_plan(store: ComplaintStore, **kwargs: object) -> list[str]:
    """SQLite's query plan for the statement ``store.worklist(**kwargs)`` runs (a file store)."""
    import sqlalchemy as sa

    seen: list[tuple[str, object]] = []

    def keep(conn: object, cursor: object, statement: str, parameters: object, *_: object) -> None:
        seen.append((statement, parameters))

    sa.event.listen(store._engine, "before_cursor_execute", keep)
    try:
        store.worklist(**kwargs)  # type: ignore[arg-type]
    finally:
        sa.event.remove(store._engine, "before_cursor_execute", keep)
    statement, parameters = next((s, p) for s, p in seen if "cw_rows" in s)
    assert store._file is not None
    fresh = sqlite3.connect(store._file)  # not the store's: its cached plans would be reused
    try:
        plan = fresh.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()  # type: ignore[arg-type]
    finally:
        fresh.close()
    return [str(row[-1]) for row in plan]


class TestSQLiteFile(StoreContract):
    """The embedded default: a SQLite file in WAL mode."""

    @pytest.fixture
    def url(self, tmp_path: Path) -> str:
        return f"sqlite:///{tmp_path / 'complaints.db'}"

    def test_the_worklist_reads_the_open_intervals_from_its_covering_index(self, url: str) -> None:
        """SQLite answers the open intervals' half of the worklist from the covering index
        alone, in order (no table lookup, no sort); without that index the plan says so."""
        import sqlalchemy as sa

        with ComplaintStore.open(url) as store:
            _fill(store)
            at = datetime(2024, 6, 20, 12, tzinfo=LONDON)
            week = {"at": at, "since": at.date(), "until": date(2024, 6, 27)}
            for kwargs in (week, {**week, "statuses": ["breached"], "policy": "cafcass-web"}):
                plan = _worklist_plan(store, **kwargs)
                assert any("COVERING INDEX ix_cw_rows_current_worklist" in step for step in plan)
                assert not any("RIGHT PART OF ORDER BY" in step for step in plan), plan
            with store._engine.begin() as conn:
                conn.execute(sa.text("DROP INDEX ix_cw_rows_current_worklist"))
            plan = _worklist_plan(store, **week)
            assert not any("COVERING INDEX ix_cw_rows_current_worklist" in step for step in plan)

    def test_erased_details_are_not_left_in_the_file(self, url: str, tmp_path: Path) -> None:
        """After erasure the name's bytes are in neither the database nor its WAL."""
        with ComplaintStore.open(url) as store:
            store.add(full_scenario("CHILD-1", personal=SECRET))
            store.erase_personal("CHILD-1")
        data = b"".join(p.read_bytes() for p in tmp_path.glob("complaints.db*"))
        assert b"Secret-Marker" not in data
        assert b"CHILD-1" in data


class TestSQLiteMemory(StoreContract):
    """``sqlite://``: one in-memory database per store object."""

    persistent = False

    @pytest.fixture
    def url(self, tmp_path: Path) -> str:
        return "sqlite://"


class TestPostgres(StoreContract):
    """A real PostgreSQL server (``CW_TEST_POSTGRES_URL``), a new database per test."""

    @pytest.fixture
    def url(self, tmp_path: Path) -> Iterator[str]:
        with postgres_database() as url:
            yield url


def test_bad_urls_are_refused_clearly() -> None:
    """An unknown scheme or a missing directory is an InvalidInputError naming what to give."""
    with pytest.raises(ComplaintWorkflowError, match="must start with sqlite:///"):
        ComplaintStore.open("mysql://x")
    with pytest.raises(ComplaintWorkflowError, match="no such directory"):
        ComplaintStore.open("sqlite:////no/such/dir/x.db")


def test_errors_are_exported_from_the_root_and_the_store() -> None:
    """The store's errors are the root package's, all ComplaintWorkflowError subclasses."""
    import complaint_workflow
    import complaint_workflow.store as store_module

    for name in ("DuplicateComplaintError", "ComplaintNotFound", "ConcurrencyError"):
        cls = getattr(complaint_workflow, name)
        assert getattr(store_module, name) is cls
        assert issubclass(cls, ComplaintWorkflowError)


def test_store_uses_its_own_calendar(tmp_path: Path) -> None:
    """A store opened with a calendar reads every complaint with it."""
    closed = WorkingDayCalendar.england_and_wales().with_closures([date(2024, 6, 13)])
    with ComplaintStore.open("sqlite://", calendar=closed) as store:
        store.add(full_scenario("CHILD-1"))
        assert store.get("CHILD-1").calendar == closed


# --------------------------------------------------------------------- seeded bugs


def _mixed_store() -> tuple[ComplaintStore, dict[str, Complaint]]:
    store = ComplaintStore.open("sqlite://")
    complaints = _fill(store)
    old = store.add(full_scenario("CHILD-1", new_id="OLD-1", policy="cafcass-2012"))
    return store, {**complaints, old.id: old}


class _StatusesLeftOutOfTheKey(dict[tuple[object, ...], object]):
    """A bug: the store's statement cache is keyed without ``statuses`` (a statement made
    for one set of statuses answers calls asking for another)."""

    def get(self, key: tuple[object, ...], default: object = None) -> object:  # type: ignore[override]
        same = [v for k, v in self.items() if k[:2] + k[3:] == key[:2] + key[3:]]
        return same[0] if same else default


def test_the_worklist_check_catches_a_statement_cache_keyed_without_statuses() -> None:
    """The mixed-call differential check fails when a cached statement made for one set of
    statuses answers a call asking for another."""
    store, complaints = _mixed_store()
    with store:
        store._worklist_queries = _StatusesLeftOutOfTheKey()  # type: ignore[assignment]
        with pytest.raises(AssertionError):
            _check_worklist_calls(store, complaints)


def test_the_worklist_check_catches_a_dropped_since(monkeypatch: pytest.MonkeyPatch) -> None:
    """The mixed-call differential check fails when the statement leaves out ``since``."""
    from complaint_workflow.store import _store

    real = _store._worklist_query

    def without_since(
        since: bool, policy: bool, wanted: frozenset[str] | None, limit: bool
    ) -> object:
        return real(False, policy, wanted, limit)

    monkeypatch.setattr(_store, "_worklist_query", without_since)
    store, complaints = _mixed_store()
    with store, pytest.raises(AssertionError):
        _check_worklist_calls(store, complaints)
