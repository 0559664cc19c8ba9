"""``complaint-workflow store ...``: every action, --json on reads, one-line errors (exit 1)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from complaint_workflow.cli import main
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.store import ComplaintStore
from complaint_workflow.store_cli import DB_ENV


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store holding every demo scenario, imported from JSON files by the CLI."""
    files = []
    for scenario in SCENARIOS:
        complaint = scenario.run("cafcass-web")
        path = tmp_path / f"{complaint.id}.json"
        path.write_text(complaint.to_json(), encoding="utf-8")
        files.append(str(path))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert _run("store", "init", "--db", url) == (0, "store ready: 0 complaints\n")
    imported = _run("store", "import", *files, "--db", url)
    assert imported == (0, f"imported {len(files)} complaints\n")
    return url


def test_worklist_prints_a_table_grouped_by_day(db: str) -> None:
    """The worklist shows one heading per due date with that day's obligations under it."""
    status, out = _run("store", "worklist", "--db", db, "--at", "2024-06-13T12:00+01:00")
    assert status == 0
    assert "worklist at 2024-06-13T12:00:00+01:00: 4 obligations not met" in out
    assert "\nThu 13 Jun 2024\n" in out
    day = out.split("\nThu 13 Jun 2024\n")[1].split("\n\n")[0]
    assert "court-notification" in day
    assert "LATE-1" in day


def test_worklist_json_equals_the_api(db: str) -> None:
    """--json prints the rows the API returns."""
    status, out = _run(
        "store", "worklist", "--db", db, "--at", "2024-06-20T12:00+01:00", "--days", "30", "--json"
    )
    assert status == 0
    document = json.loads(out)
    from datetime import date, datetime

    with ComplaintStore.open(db) as store:
        rows = store.worklist(
            at=datetime.fromisoformat("2024-06-20T12:00+01:00"), until=date(2024, 7, 20)
        )
    assert document["rows"] == [r.to_dict() for r in rows]


def test_changes_json_gives_a_cursor_that_continues_the_feed(db: str) -> None:
    """changes --json returns rows and a cursor; the cursor as --after continues the feed."""
    status, out = _run(
        "store",
        "changes",
        "--db",
        db,
        "--after",
        "2024-06-01T00:00Z",
        "--until",
        "2024-06-14T00:00+01:00",
        "--json",
    )
    assert status == 0
    first = json.loads(out)
    assert first["changes"]
    status, out = _run(
        "store",
        "changes",
        "--db",
        db,
        "--after",
        first["cursor"],
        "--until",
        "2024-07-01T00:00+01:00",
        "--json",
    )
    second = json.loads(out)
    assert status == 0
    assert all(c["at"] > "2024-06-14" for c in second["changes"])


def test_repair_migrate_and_erase(db: str, tmp_path: Path) -> None:
    """repair with a closure reports moves, migrate is a dry run unless --apply, erase says so."""
    status, out = _run("store", "repair", "--db", db, "--closure", "2024-06-14")
    assert status == 0
    assert re.search(r"^repaired: \d+ due dates moved", out)
    assert re.search(r"LATE-1\s+contact\s+2024-06-14\s+2024-06-17", out)
    with ComplaintStore.open(db) as store:
        assert date_closed(store)
    status, out = _run(
        "store", "migrate", "cafcass-web", "cafcass-2012", "--db", db, "--at", "2024-12-01T00:00Z"
    )
    assert status == 0
    assert out.startswith("dry run (nothing written)")
    status, out = _run("store", "erase", "CHILD-1", "--db", db)
    assert (status, out) == (0, "CHILD-1 holds no personal details\n")


def date_closed(store: ComplaintStore) -> bool:
    """Whether the store reopened with the repaired calendar (14 June 2024 closed)."""
    from datetime import date

    return not store.calendar.is_working_day(date(2024, 6, 14))


def test_db_defaults_to_the_environment(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --db the store is COMPLAINT_WORKFLOW_DB; with neither, one line and exit 1."""
    monkeypatch.setenv(DB_ENV, db)
    assert _run("store", "init")[1] == f"store ready: {len(SCENARIOS)} complaints\n"
    monkeypatch.delenv(DB_ENV)
    assert _run("store", "init")[0] == 1
    err = capsys.readouterr().err
    assert err == f"complaint-workflow: error: no store given: pass --db URL or set {DB_ENV}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["store", "worklist", "--at", "yesterday"], "--at must be an ISO date-time"),
        (["store", "erase", "NOPE"], "complaint 'NOPE' is not stored"),
        (["store", "import", "/no/such.json"], "cannot read /no/such.json"),
        (["store", "changes", "--after", "x@y"], "not a feed cursor"),
        (["store", "migrate", "cafcass-web", "no", "--at", "2024-06-01T00:00Z"], "unknown policy"),
    ],
)
def test_errors_are_one_line_and_exit_1(
    db: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input to a store action prints one error line (no traceback) and exits 1."""
    status, _ = _run(*argv, "--db", db)
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err
