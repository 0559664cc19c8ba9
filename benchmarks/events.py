"""Benchmark: what validating every field costs when an event is made, against the same
construction with attrs' validators switched off, in the same run.

Run from the repository root (one command; ``--quick`` uses fewer repeats for a smoke run)::

    python benchmarks/events.py
    python benchmarks/events.py --quick

For a few representative events (the smallest, ``ForwardedToCST``; one with a list,
``Assessed``; one with two choices, ``Responded``; the opening, ``ComplaintOpened`` with nine
checked fields), it times construction with the validators on (what the library does) and
inside ``attrs.validators.disabled()`` (the reference: what construction cost before the
checks; the base fields' check in ``__attrs_post_init__`` still runs there, so the reference
is slightly generous to us). Printed: µs per event each way and the ratio. Best-of-N timings
(``timeit.repeat``, minimum), so the ratio is robust on a shared machine. No target is
pinned: it is a report.
"""

# ruff: noqa: E402  (imports must follow the sys.path fix below)

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, _HERE)  # even under python -P
from _timing import best_per_call, fmt

sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]

import argparse
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import attrs

from complaint_workflow import events as ev

AT = datetime(2024, 6, 12, 10, tzinfo=ZoneInfo("Europe/London"))
CASES: dict[str, Callable[[], object]] = {
    "ForwardedToCST": lambda: ev.ForwardedToCST(at=AT),
    "Assessed (2 aspects)": lambda: ev.Assessed(at=AT, aspects=("conduct", "case-management")),
    "Responded": lambda: ev.Responded(at=AT, method="phone", phso_signposted=True),
    "ComplaintOpened": lambda: ev.ComplaintOpened(
        at=AT, version=1, complaint_id="C-1", complainant="adult", hearing=date(2024, 7, 1)
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args(argv)
    number, repeat = (2_000, 3) if args.quick else (20_000, 7)
    print("Event construction: validated vs validators off (same run, best of N)")
    worst = 0.0
    for name, make in CASES.items():
        checked = best_per_call(make, 1, repeat, number)
        with attrs.validators.disabled():
            bare = best_per_call(make, 1, repeat, number)
        ratio = checked / bare
        worst = max(worst, ratio)
        print(f"  {name:22s} {fmt(checked)} validated  {fmt(bare)} off  = {ratio:.2f}x")
    print("\nSummary (no targets pinned):")
    print(f"  REPORT  validation costs at most {worst:.2f}x construction without it")
    if args.quick:
        print("  (--quick: small sizes, figures are indicative only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
