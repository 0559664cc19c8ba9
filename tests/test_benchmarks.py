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
