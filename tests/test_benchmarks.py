"""The benchmarks still run: each one command, smoke-tested with ``--quick``.

No figure is asserted here (speed targets live in the benchmarks' own output, as ratios):
only that each script runs to the end, checks its answers, and prints its verdict lines.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize(
    "name", ["calendar", "import_time", "routes", "analysis", "events", "store"]
)
def test_benchmark_runs_quick(name: str) -> None:
    """``python benchmarks/NAME.py --quick`` exits 0 and prints its verdicts."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{name}.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert any(word in done.stdout for word in ("PASS", "MISS", "REPORT"))
    assert "Traceback" not in done.stderr
    assert "failed" not in done.stdout


def _store_bench(*extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / "store.py"), "--n", "40", "--no-repair", *extra],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_store_benchmark_reuses_a_kept_store_only_when_it_matches_its_seed(
    tmp_path: Path,
) -> None:
    """``store.py --store PATH`` fills PATH once, reuses it unchanged, and refuses a file whose
    histories or projection rows no longer match its seed."""
    import sqlite3

    kept = tmp_path / "kept.db"
    first = _store_bench("--store", str(kept))
    assert first.returncode == 0, first.stderr[-2000:]
    assert "filled with add_many" in first.stdout
    assert "not measured (--no-repair)" in first.stdout
    before = kept.read_bytes()
    second = _store_bench("--store", str(kept))
    assert second.returncode == 0, second.stderr[-2000:]
    assert "reused" in second.stdout
    assert "filled with add_many" not in second.stdout
    assert kept.read_bytes() == before  # the runs work on a copy: the kept file is not written
    again = sqlite3.connect(kept)
    with again:
        again.execute(
            "UPDATE cw_events SET body = replace(body, '2023', '2022') "
            "WHERE seq = (SELECT min(seq) FROM cw_events)"
        )
    again.close()
    tampered = _store_bench("--store", str(kept))
    assert tampered.returncode == 2
    assert "histories are not those the seed generates" in tampered.stderr
    kept.write_bytes(before)
    again = sqlite3.connect(kept)
    with again:
        again.execute("UPDATE cw_rows SET due = '2030-01-01' WHERE rowid = 1")
    again.close()
    moved = _store_bench("--store", str(kept))
    assert moved.returncode == 2
    assert "projection rows changed" in moved.stderr
    other_n = subprocess.run(
        [sys.executable, str(BENCHMARKS / "store.py"), "--n", "41", "--store", str(kept)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert other_n.returncode == 2
    assert "this run: 41" in other_n.stderr
