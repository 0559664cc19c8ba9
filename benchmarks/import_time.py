"""Benchmark: the cost of ``import complaint_workflow`` against importing its dependencies alone.

Run from the repository root (one command; ``--quick`` does fewer runs, for a smoke run)::

    python benchmarks/import_time.py
    python benchmarks/import_time.py --quick

Each measurement is a fresh interpreter (``sys.executable -P -c ...``), so nothing is cached
in ``sys.modules``; the two commands are run alternately (interleaved, after one discarded
warm-up each so byte-code caches exist) and the median of the runs is taken:

* ours: ``import complaint_workflow``;
* reference: ``import attrs, transitions, dateutil, dateutil.relativedelta`` (what the core
  uses; ``holidays`` is not imported by the package, so it is not in the reference either).

The package root imports its public names on first use (PEP 562), so as context it also times
``import complaint_workflow`` followed by touching ``Complaint`` and ``deadlines`` (which loads
the machines, events, policies and calendar): the cost a program pays on first real use.

The figure is the time of the ``import`` statement itself, measured inside the child with
``time.perf_counter`` (interpreter start-up excluded); the whole child's wall time, start-up
included, is printed as context. Target: ours / reference <= 1.5.

It also checks, in the child, that ``import complaint_workflow`` loads none of numpy, pandas,
matplotlib, sqlite3 or psycopg2 (and that building the default calendar does not either), and
reports the time of the first ``WorkingDayCalendar.england_and_wales()`` call, which builds
the default calendar from the bundled snapshot, as a separate figure next to the import time,
and that of the first ``Policy.builtin("cafcass-web")`` call (reading and validating the two
built-in policy files, cattrs imported and its hooks built on that first use).

It prints a PASS/MISS verdict per target and always exits 0: it is a report, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

TARGET_RATIO = 1.5
HEAVY = ("numpy", "pandas", "matplotlib", "sqlite3", "psycopg2")
REFERENCE_IMPORT = "import attrs, transitions, dateutil, dateutil.relativedelta"
DEPENDENCIES = ("attrs", "transitions", "dateutil", "dateutil.relativedelta")

# The children import nothing before the timed statement beyond what the interpreter has
# already loaded at start-up (sys and time are built in), so the timing is not flattered.
OURS_CHILD = f"""
import sys, time
t0 = time.perf_counter()
import complaint_workflow
t1 = time.perf_counter()
after_import = [m for m in {HEAVY!r} if m in sys.modules]
deps = [m for m in {DEPENDENCIES!r} if m in sys.modules]
t2 = time.perf_counter()
complaint_workflow.WorkingDayCalendar.england_and_wales()
t3 = time.perf_counter()
after_build = [m for m in {HEAVY!r} if m in sys.modules]
t4 = time.perf_counter()
complaint_workflow.Policy.builtin("cafcass-web")
t5 = time.perf_counter()
print(t1 - t0, t3 - t2, ",".join(after_import) or "-", ",".join(after_build) or "-",
      ",".join(deps) or "-", t5 - t4)
"""

FIRST_USE_CHILD = """
import time
t0 = time.perf_counter()
import complaint_workflow
complaint_workflow.Complaint, complaint_workflow.deadlines
t1 = time.perf_counter()
print(t1 - t0)
"""

REFERENCE_CHILD = f"""
import time
t0 = time.perf_counter()
{REFERENCE_IMPORT}
t1 = time.perf_counter()
print(t1 - t0)
"""


def run_child(code: str) -> tuple[float, list[str]]:
    """Run ``code`` in a fresh interpreter; return (wall seconds, its printed fields)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-P", "-c", code], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"child failed:\n{done.stderr}")
    return wall, done.stdout.split()


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:7.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs each, for a smoke run")
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs

    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"{runs} fresh interpreters per command, interleaved; medians (min in brackets)")

    run_child(OURS_CHILD)  # warm-up: byte-code caches, OS file cache
    run_child(REFERENCE_CHILD)

    ours_import, ours_wall, build, policy = [], [], [], []
    ref_import, ref_wall = [], []
    first_use: list[float] = []
    heavy_after_import: set[str] = set()
    heavy_after_build: set[str] = set()
    deps_loaded: set[str] = set()
    for _ in range(runs):
        wall, fields = run_child(OURS_CHILD)
        ours_wall.append(wall)
        ours_import.append(float(fields[0]))
        build.append(float(fields[1]))
        policy.append(float(fields[5]))
        for target, field in (
            (heavy_after_import, fields[2]),
            (heavy_after_build, fields[3]),
            (deps_loaded, fields[4]),
        ):
            target.update(m for m in field.split(",") if m != "-")
        first_use.append(float(run_child(FIRST_USE_CHILD)[1][0]))
        wall, fields = run_child(REFERENCE_CHILD)
        ref_wall.append(wall)
        ref_import.append(float(fields[0]))

    med = statistics.median
    ratio = med(ours_import) / med(ref_import)
    wall_ratio = med(ours_wall) / med(ref_wall)
    build_vs_import = med(build) / med(ours_import)

    print("\nImport statement alone (inside the child):")
    print(f"  import complaint_workflow        {ms(med(ours_import))}  ({ms(min(ours_import))})")
    print(f"  {REFERENCE_IMPORT}")
    print(f"                                   {ms(med(ref_import))}  ({ms(min(ref_import))})")
    print(f"  ours / reference = {ratio:.2f}   (min/min: {min(ours_import) / min(ref_import):.2f})")
    use_ratio = med(first_use) / med(ref_import)
    print(
        f"  import + first use of Complaint and deadlines {ms(med(first_use))}"
        f"  ({ms(min(first_use))}), {use_ratio:.2f}x the reference (context)"
    )
    print("\nWhole child process, interpreter start-up included (context):")
    print(f"  ours {ms(med(ours_wall))}, reference {ms(med(ref_wall))}, ratio {wall_ratio:.2f}")
    print("\nFirst WorkingDayCalendar.england_and_wales() call (builds the default calendar):")
    print(
        f"  {ms(med(build))}  ({ms(min(build))}), i.e. {build_vs_import:.2f}x the import "
        "time; paid once per process, on first use, not at import"
    )
    print("\nFirst Policy.builtin('cafcass-web') call (reads it and the cafcass-2012 it extends):")
    print(
        f"  {ms(med(policy))}  ({ms(min(policy))}), i.e. {med(policy) / med(ours_import):.2f}x "
        "the import time; tomllib, the cattrs converter's first use and the validators"
    )
    print("\nModules loaded by `import complaint_workflow` (checked in every child):")
    print(f"  heavy ({', '.join(HEAVY)}): {', '.join(sorted(heavy_after_import)) or 'none'}")
    after_build = ", ".join(sorted(heavy_after_build)) or "none"
    print(f"  heavy after building the default calendar: {after_build}")
    print(
        f"  of the reference's modules: {', '.join(sorted(deps_loaded)) or 'none'} "
        f"(not loaded: {', '.join(m for m in DEPENDENCIES if m not in deps_loaded) or 'none'})"
    )

    print("\nVerdicts:")
    ok = ratio <= TARGET_RATIO
    print(
        f"  {'PASS' if ok else 'MISS'}  import time: ours/reference = {ratio:.2f} "
        f"(target <= {TARGET_RATIO:g})"
    )
    clean = not heavy_after_import
    print(
        f"  {'PASS' if clean else 'MISS'}  no heavy modules after import: "
        f"{', '.join(sorted(heavy_after_import)) or 'none loaded'}"
    )
    print(
        f"  INFO  first england_and_wales() call: {ms(med(build)).strip()} "
        f"({build_vs_import:.2f}x the import time)"
    )
    if args.quick:
        print("  (--quick: few runs, figures are indicative only)")
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
