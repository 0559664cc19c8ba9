"""Concurrency and faults with real processes, on SQLite (a file) and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from complaint_workflow.store import ComplaintStore

from .store_support import postgres_database
from .store_worker import opened

WORKER = Path(__file__).with_name("store_worker.py")
ROOT = Path(__file__).resolve().parent.parent


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _finish(procs: list[subprocess.Popen[str]]) -> list[str]:
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        outs.append(out.strip())
    return outs


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store URL on each backend (PostgreSQL skips without CW_TEST_POSTGRES_URL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        with postgres_database() as pg:
            yield pg


def test_concurrent_writers_lose_nothing_and_duplicate_nothing(url: str) -> None:
    """N writer processes x M appends to one complaint, retrying conflicts: every event once."""
    writers, appends = 3, 10
    with ComplaintStore.open(url) as store:
        store.add(opened("C-1"))
    start = time.time() + 2.0
    procs = [
        _spawn("append", url, "C-1", f"w{i}", str(appends), str(start)) for i in range(writers)
    ]
    outs = _finish(procs)
    conflicts = sum(int(o.split()[1]) for o in outs)
    with ComplaintStore.open(url) as store:
        complaint = store.get("C-1")
    ids = [e.event_id for e in complaint.history[1:]]
    expected = {f"w{i}-{j}" for i in range(writers) for j in range(appends)}
    assert complaint.version == 1 + writers * appends
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    assert [e.version for e in complaint.history] == list(range(1, complaint.version + 1))
    print(f"{writers}x{appends} appends, {conflicts} conflicts retried, 0 lost, 0 duplicated")


def test_concurrent_adds_of_one_id_let_exactly_one_succeed(url: str) -> None:
    """Several processes adding the same id at once: exactly one succeeds, the rest are told."""
    with ComplaintStore.open(url):
        pass  # the schema exists before the race
    start = time.time() + 2.0
    outs = _finish([_spawn("add", url, "C-1", str(start)) for _ in range(4)])
    assert sorted(outs) == ["added"] + ["duplicate"] * 3
    with ComplaintStore.open(url) as store:
        assert store.get("C-1").version == 1


def test_a_writer_killed_inside_its_transaction_leaves_nothing_partial(url: str) -> None:
    """kill -9 of a writer between its writes and its commit: nothing of it is stored, and the
    store goes on working."""
    with ComplaintStore.open(url) as store:
        store.add(opened("C-1"))
        before = store.get("C-1")
    proc = _spawn("hang", url, "C-1")
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("in-transaction append"), proc.stderr.read() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    if proc.stderr is not None:
        proc.stderr.close()
    with ComplaintStore.open(url) as store:
        assert store.get("C-1") == before
        from .store_worker import event

        after = store.append("C-1", event("next"), expected_version=1)
        assert after.version == 2


def test_a_reader_during_writes_never_sees_a_half_written_complaint(url: str) -> None:
    """While two writers append, every read is a whole version: its history is a prefix of the
    final one and versions never go back."""
    with ComplaintStore.open(url) as store:
        store.add(opened("C-1"))
    start = time.time() + 1.0
    procs = [_spawn("append", url, "C-1", f"w{i}", "8", str(start)) for i in range(2)]
    seen = []
    with ComplaintStore.open(url) as store:
        while any(p.poll() is None for p in procs) and len(seen) < 2000:
            seen.append(store.get("C-1"))  # raises StoreError on a version/events mismatch
        _finish(procs)
        final = store.get("C-1")
    versions = [c.version for c in seen]
    assert versions == sorted(versions)
    assert all(final.history[: c.version] == c.history for c in seen)
    assert final.version == 17
