"""Timing helpers shared by the benchmarks: best-of-N (``timeit.repeat``), call counts
(``timeit.Timer.autorange``), units, verdicts.

Each benchmark imports this before it drops its own folder from ``sys.path`` (a script named
``calendar.py`` there would otherwise shadow the standard library's ``calendar``).
"""

from __future__ import annotations

import math
import timeit
from collections.abc import Callable


def best_per_call(fn: Callable[[], object], calls: int, repeat: int, number: int = 1) -> float:
    """Best-of-``repeat`` time of ``fn`` divided by the ``calls`` it makes (seconds per call)."""
    times = timeit.repeat(fn, repeat=repeat, number=number)
    return min(times) / number / calls


def best_alternating(
    fns: dict[str, Callable[[], object]], calls: int, repeat: int, min_time: float
) -> dict[str, float]:
    """Best-of-``repeat`` seconds per call of each of ``fns`` (each making ``calls`` calls),
    timed in turns, one run of each per round: a change in the machine's load during the
    measurement then falls on every side alike, so their ratio stays fair."""
    numbers = {name: auto_number(fn, min_time) for name, fn in fns.items()}
    best = dict.fromkeys(fns, math.inf)
    for _ in range(repeat):
        for name, fn in fns.items():
            taken = timeit.timeit(fn, number=numbers[name])
            best[name] = min(best[name], taken / numbers[name] / calls)
    return best


def auto_number(fn: Callable[[], object], at_least: float) -> int:
    """How many runs of ``fn`` take at least ``at_least`` seconds.

    ``timeit.Timer.autorange`` finds the count (1, 2, 5, 10, 20, ... until 0.2 s); for a
    ``at_least`` below 0.2 s the count is scaled down from it (never below 1), for a longer
    one scaled up.
    """
    number, taken = timeit.Timer(fn).autorange()
    return max(1, math.ceil(number * at_least / taken)) if taken > 0 else number


def fmt(seconds: float) -> str:
    """A duration in s, ms, us or ns, right-aligned."""
    if seconds >= 1.0:
        return f"{seconds:8.3f} s "
    if seconds >= 1e-3:
        return f"{seconds * 1e3:8.2f} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:8.2f} us"
    return f"{seconds * 1e9:8.1f} ns"


def verdict(name: str, ok: bool, detail: str) -> str:
    """One ``PASS``/``MISS`` line for a target."""
    return f"  {'PASS' if ok else 'MISS'}  {name}: {detail}"
