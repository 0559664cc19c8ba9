"""The runnable examples in ``examples/``: they run, and what they print and store is right."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from complaint_workflow import EventRejected, PersonalDetails, WorkingDayCalendar
from complaint_workflow.demo import SCENARIOS, Scenario
from complaint_workflow.store import ComplaintStore

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


service = _load("complaint_service")
compare = _load("compare_policies")

SERVICE_IDS = ("CHILD-1", "LATE-1", "QUICK-1")


def _scenario(complaint_id: str) -> Scenario:
    return next(s for s in SCENARIOS if s.facts["complaint_id"] == complaint_id)


def _personal_strings() -> list[str]:
    details: list[PersonalDetails] = list(service.PERSONAL.values())
    return [value for d in details for value in (d.name, d.contact, d.text) if value]


# --------------------------------------------------------------------- complaint_service


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_service_stores_every_complaint_and_reloads_it_equal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The service exits 0, stores every complaint, and each reads back equal."""
    url = _url(tmp_path / "store.db")
    assert service.main(["--db", url]) == 0
    out = capsys.readouterr().out
    assert out.count("reloaded from the store: equal") == len(SERVICE_IDS)
    with ComplaintStore.open(url) as store:
        assert store.complaint_ids() == list(SERVICE_IDS)
        # QUICK-1 finished before --now: built from hand-made events, it equals Complaint.open's.
        assert store.get("QUICK-1") == _scenario("QUICK-1").run("cafcass-web")
        assert store.get("CHILD-1").personal == service.PERSONAL["CHILD-1"]


def test_service_prints_states_obligation_statuses_and_the_worklist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report shows each complaint's state, its statuses at --now, and the week's worklist."""
    assert service.main(["--db", _url(tmp_path / "s.db")]) == 0
    out = capsys.readouterr().out
    assert "obligations at 2024-07-01T12:00:00+01:00" in out
    assert "== CHILD-1: child complainant under cafcass-web, version 9, state " in out
    assert "procedure:investigation" in out
    assert "state procedure:closed" in out  # QUICK-1
    for status in ("met", "met-late", "breached", "impossible", "pending"):
        assert re.search(rf"\s{re.escape(status)}\s", out), status
    assert re.search(r"contact\s+Fri 2024-06-14\s+hard\s+breached", out)  # LATE-1
    assert re.search(r"investigation\s+Wed 2024-07-10\s+target\s+pending", out)  # CHILD-1
    assert "worklist: 3 obligation(s) not met and due by 2024-07-08" in out
    assert re.search(r"Fri 2024-06-14\s+LATE-1\s+contact\s+breached", out)


def test_service_rejected_event_is_reported_and_the_store_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The premature close is rejected, reported, and leaves the stored history as it was."""
    assert service.main(["--db", _url(tmp_path / "a.db")]) == 0
    out = capsys.readouterr().out
    assert "complaint-closed" in out
    assert "REJECTED: the court must be notified before the complaint closes" in out
    assert "stored history untouched" in out
    assert "HISTORY CHANGED" not in out
    assert "1 event(s) rejected" in out

    bad_id, bad_event = service.REJECTED
    with ComplaintStore.open(_url(tmp_path / "b.db")) as store:
        for complaint_id, event in service.inbox("cafcass-web", bad_event.at):
            if event is bad_event:
                break
            service.handle(store, complaint_id, event)
        before = store.get(bad_id)
        with pytest.raises(EventRejected, match="court must be notified"):
            service.handle(store, bad_id, bad_event)
        assert store.get(bad_id) == before
        assert store.get(bad_id).version == before.version


def test_service_never_prints_personal_details(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Personal details are in the store but in none of the printed output."""
    for policy in ("cafcass-web", "cafcass-2012"):
        url = _url(tmp_path / f"{policy}.db")
        assert service.main(["--db", url, "--policy", policy]) == 0
        captured = capsys.readouterr()
        with ComplaintStore.open(url) as store:
            assert store.get("CHILD-1").personal == service.PERSONAL["CHILD-1"]
        printed = (captured.out + captured.err).casefold()
        assert "personal-marker" not in printed
        for value in _personal_strings():
            assert value.casefold() not in printed


def test_service_refuses_a_store_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second run into the same store exits 2 and leaves it as it was."""
    url = _url(tmp_path / "s.db")
    assert service.main(["--db", url]) == 0
    with ComplaintStore.open(url) as store:
        before = {i: store.get(i) for i in store.complaint_ids()}
    capsys.readouterr()
    assert service.main(["--db", url]) == 2
    assert "not empty" in capsys.readouterr().err
    with ComplaintStore.open(url) as store:
        assert {i: store.get(i) for i in store.complaint_ids()} == before


def test_service_now_decides_which_events_have_arrived(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With an earlier --now only the events that had happened by then are stored."""
    url = _url(tmp_path / "s.db")
    assert service.main(["--db", url, "--now", "2024-06-12T11:30+01:00"]) == 0
    out = capsys.readouterr().out
    with ComplaintStore.open(url) as store:
        assert store.complaint_ids() == ["CHILD-1", "LATE-1", "QUICK-1"]
        assert store.get("CHILD-1").version == 2
        assert store.get("LATE-1").version == 1
    assert "0 event(s) rejected" in out


def test_service_rejects_a_naive_now(capsys: pytest.CaptureFixture[str]) -> None:
    """A --now without a UTC offset is a usage error, not a silent guess."""
    with pytest.raises(SystemExit) as exit_info:
        service.main(["--now", "2024-07-01T12:00"])
    assert exit_info.value.code == 2
    assert "UTC offset" in capsys.readouterr().err


def test_service_refuses_an_event_for_an_unknown_complaint() -> None:
    """An event for an id never opened is a KeyError (ComplaintNotFound), nothing stored."""
    bad_id, bad_event = service.REJECTED
    with ComplaintStore.open("sqlite://") as store:
        with pytest.raises(KeyError):
            service.handle(store, "NOT-THERE", bad_event)
        assert store.complaint_ids() == []
    assert bad_id == "CHILD-1"


# --------------------------------------------------------------------- compare_policies


def _status_table(out: str) -> dict[str, dict[str, int]]:
    lines = out.splitlines()
    start = lines.index("obligations by status") + 1
    header = lines[start].split()
    table: dict[str, dict[str, int]] = {}
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        policy, *numbers = line.split()
        table[policy] = dict(zip(header[1:], map(int, numbers), strict=True))
    return table


def test_compare_runs_all_three_policies(capsys: pytest.CaptureFixture[str]) -> None:
    """The comparison exits 0 and counts statuses for the two built-ins and the variant."""
    assert compare.main([]) == 0
    out = capsys.readouterr().out
    assert "targets.investigation.duration: 20 working days -> 15 working days" in out
    table = _status_table(out)
    assert list(table) == ["cafcass-2012", "cafcass-web", "web-investigation-15"]
    for counts in table.values():
        assert counts["total"] == sum(v for k, v in counts.items() if k != "total")
        assert counts["pending"] == counts["at-risk"] == 0  # everything finished by --now
    # The 2012 response is a hard limit (missed is breached); the web routes are targets.
    assert table["cafcass-2012"]["met-late"] == 0
    assert table["cafcass-2012"]["breached"] > 0
    # A shorter investigation target can only turn "met" into "met-late".
    web, variant = table["cafcass-web"], table["web-investigation-15"]
    assert variant["met-late"] > web["met-late"]
    assert variant["met"] + variant["met-late"] == web["met"] + web["met-late"]


def test_compare_is_deterministic_for_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    """The same seed prints the same report; another seed prints another."""
    assert compare.main(["--seed", "11"]) == 0
    first = capsys.readouterr().out
    assert compare.main(["--seed", "11"]) == 0
    assert capsys.readouterr().out == first
    assert compare.main(["--seed", "12"]) == 0
    assert capsys.readouterr().out != first


def test_generated_complaints_cover_the_holidays_and_both_outcomes() -> None:
    """Generated receipts include Easter and Christmas, answered on time and late for 2012."""
    calendar = WorkingDayCalendar.england_and_wales()
    scenarios = compare.generate(2024, 24, calendar)
    received = [s.facts["received_at"].date() for s in scenarios]
    assert all(d.year == 2024 for d in received)
    assert any(compare.EASTER_2024[0] <= d <= compare.EASTER_2024[1] for d in received)
    assert any(compare.CHRISTMAS_2024[0] <= d <= compare.CHRISTMAS_2024[1] for d in received)
    assert {s.title.split(" for 2012")[0] for s in scenarios} == {"on time", "late"}
    assert len({s.facts["complaint_id"] for s in scenarios}) == 24


def test_compare_demo_shows_response_due_dates_side_by_side(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With the demo scenarios, CHILD-1's response is due 3 July (2012, variant) or 10 July."""
    argv = ["--demo", "--show", "11", "--now", "2024-07-01T12:00+01:00"]
    assert compare.main(argv) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("CHILD-1 "))
    cells = re.findall(r"\w{3} \d{2} \w{3} \d{2} [a-z-]+", row)
    assert cells == ["Wed 03 Jul 24 pending", "Wed 10 Jul 24 pending", "Wed 03 Jul 24 pending"]
    quick = next(line for line in out.splitlines() if line.startswith("QUICK-1 "))
    assert "Tue 11 Jun 24 met" in quick
    assert quick.count("Mon 27 May 24 met-late") == 2
    assert _status_table(out)["cafcass-2012"]["impossible"] == 1
