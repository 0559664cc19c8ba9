"""Benchmark: vectorised due dates against the scalar ``deadlines`` path, in the same run.

Run from the repository root (one command; ``--quick`` uses small sizes for a smoke run)::

    python benchmarks/analysis.py
    python benchmarks/analysis.py --quick

What it times, under the policy ``cafcass-web`` on the default England-and-Wales calendar:

1. ``complaint_workflow.analysis.deadlines.due_dates`` on 1,000,000 seeded-random complaints
   (50,000 with ``--quick``): receipt instants uniform over 2013-01-01..2027-06-30 as a numpy
   ``datetime64[us]`` array read as UTC; complainant kinds as a numpy string array (adult 55%,
   child 25%, other 15%, employee-matter 5%); triage routes as an object array
   (early-resolution 40%, investigation 40%, none 20%); a hearing for 40% (0-180 days after
   the London receipt date, so some are too close to meet); an involvement-ended date for 30%
   (0-365 days before it, so some are out of time); a court aspect for 30%. The inputs are
   made outside the timing; the timing covers everything from those arrays to the finished
   DataFrame (the London conversion, validation, every due date). Target: under 1 second.
   As context, the same call with kinds and routes already categorical. The reference, timed
   in the same run: one working-day step as a bare numpy gather from the calendar's table
   (``inv[cum[ordinals - lo] + n]``) on as many dates; target: ``due_dates`` at most 40x it.
   The two are timed in turns (best of 3 gathers, then one call, ``repeat`` times; the best
   of each), so that load from other processes falls on both alike.
2. The scalar path, ``complaint_workflow.deadlines(...)`` called in a Python loop, on the
   first 2,000 of those complaints (200 with ``--quick``), the facts converted to Python
   ``datetime`` / ``date`` objects outside the timing; per complaint, extrapolated to the full
   size. Target: the vectorised call at least 20x faster than that loop would be. Before any
   timing, every row of the vectorised answer on the sample is checked equal to the scalar
   report (the same obligations, due dates, impossible flags, gate, day 0 and six-month
   limit), and the sample's rows of the full-size answer equal the sample's own answer.
3. :func:`bench_simulation` (last in this file): ``complaint_workflow.analysis.simulate``'s
   ``simulate("cafcass-web", years=1, seed=1)`` and ``years=10``, events applied per second
   and microseconds per event; targets under 2 s and under 15 s. Then the memory a finished
   one-year simulation holds per complaint (``tracemalloc``, the result's histories and
   frames, after the run; the peak during the run as context), and a sweep of four one-year
   seeds on a two-process pool against the same four run one after another in this process
   (the speed-up; at most 2x on two cores, less on a machine others share).

Timings are best-of-N (``timeit.repeat``, minimum), so the figures are robust on a shared,
noisy machine. The script prints a PASS/MISS verdict per target and always exits 0: it is a
report, not a test.

Note: the ``benchmarks`` folder holds ``calendar.py``, which would shadow the standard library
module for anything importing ``calendar``, so this script first removes its own directory
from ``sys.path``.
"""

# ruff: noqa: E402  (imports must follow the sys.path fix below)

import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, _HERE)  # even under python -P
from _timing import fmt, verdict  # before the path goes

sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]

import argparse
import platform
import time
import timeit
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from complaint_workflow import deadlines
from complaint_workflow.analysis.deadlines import due_dates
from complaint_workflow.analysis.vectorised import VectorCalendar
from complaint_workflow.calendar import WorkingDayCalendar
from complaint_workflow.policy import Policy

POLICY = "cafcass-web"
SEED = 20261127
FIRST = "2013-01-01"
LAST = "2027-06-30"
KINDS = ("adult", "child", "other", "employee-matter")
KIND_WEIGHTS = (0.55, 0.25, 0.15, 0.05)
ROUTES = ("early-resolution", "investigation", None)
ROUTE_WEIGHTS = (0.4, 0.4, 0.2)

TARGET_SECONDS = 1.0  # 1,000,000 complaints' due dates in under this
TARGET_RATIO = 20.0  # vectorised at least this many times faster than the scalar loop
TARGET_GATHER = 40.0  # due_dates at most this many times one numpy gather of the same size
TARGET_SIM_1 = 2.0  # simulate(years=1) in under this many seconds
TARGET_SIM_10 = 15.0  # simulate(years=10) in under this many seconds

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --------------------------------------------------------------------- helpers


def best(fn: Callable[[], object], repeat: int, number: int = 1) -> float:
    """Best-of-``repeat`` seconds per run of ``fn``."""
    return min(timeit.repeat(fn, repeat=repeat, number=number)) / number


# --------------------------------------------------------------------- the complaints


def random_complaints(n: int, seed: int = SEED) -> dict[str, Any]:
    """``n`` seeded-random complaints' facts as numpy arrays (receipts in UTC)."""
    rng = np.random.default_rng(seed)
    lo = np.datetime64(FIRST, "us").astype(np.int64)
    hi = np.datetime64(LAST, "us").astype(np.int64)
    received = rng.integers(lo, hi, n).astype("datetime64[us]")
    london = (
        pd.DatetimeIndex(received)
        .tz_localize("UTC")
        .tz_convert("Europe/London")
        .tz_localize(None)
        .to_numpy()
        .astype("datetime64[D]")
    )
    nat = np.datetime64("NaT", "D")
    hearing = np.where(
        rng.random(n) < 0.4, london + rng.integers(0, 181, n).astype("timedelta64[D]"), nat
    )
    ended = np.where(
        rng.random(n) < 0.3, london - rng.integers(0, 366, n).astype("timedelta64[D]"), nat
    )
    return {
        "received_at": received,
        "complainant": np.array(KINDS)[rng.choice(len(KINDS), n, p=KIND_WEIGHTS)],
        "route": np.array(ROUTES, dtype=object)[rng.choice(len(ROUTES), n, p=ROUTE_WEIGHTS)],
        "hearing": hearing,
        "involvement_ended": ended,
        "court_aspect": rng.random(n) < 0.3,
    }


def head(facts: dict[str, Any], k: int) -> dict[str, Any]:
    """The first ``k`` complaints."""
    return {name: values[:k] for name, values in facts.items()}


def scalar_facts(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The facts as keyword arguments of ``complaint_workflow.deadlines``, one dict each."""
    micros = facts["received_at"].astype(np.int64).tolist()
    return [
        {
            "received_at": _EPOCH + timedelta(microseconds=us),
            "complainant": str(kind),
            "route": route,
            "hearing": hearing,
            "involvement_ended": ended,
            "aspects": ("professional-judgement",) if aspect else (),
        }
        for us, kind, route, hearing, ended, aspect in zip(
            micros,
            facts["complainant"].tolist(),
            facts["route"].tolist(),
            facts["hearing"].tolist(),
            facts["involvement_ended"].tolist(),
            facts["court_aspect"].tolist(),
            strict=True,
        )
    ]


def check_equal(policy: Policy, frame: pd.DataFrame, rows: list[dict[str, Any]]) -> None:
    """Every row of ``frame`` equals the scalar report for the same facts; raise if not."""

    def day(value: Any) -> date | None:
        return None if pd.isna(value) else value.date()

    owed = [t for t in policy.targets if t.owed_by == "cafcass"]
    for i, (kwargs, got) in enumerate(zip(rows, frame.to_dict("records"), strict=True)):
        report = deadlines(policy=policy, **kwargs)
        obligations = {o.id: o for o in report.obligations}
        same = (
            day(got["deemed_receipt"]) == report.deemed_receipt
            and got["eligibility"] == report.eligibility
            and day(got["six_month_limit"]) == report.six_month_limit
            and {t.id for t in owed if not pd.isna(got[t.id])} == set(obligations)
            and all(day(got[o.id]) == o.due for o in obligations.values())
            and all(
                got[f"{t.id}__impossible"]
                == (t.id in obligations and obligations[t.id].status == "impossible")
                for t in owed
                if t.backward
            )
        )
        if not same:
            raise AssertionError(f"row {i} differs: {kwargs}\n  scalar {report}\n  vector {got}")


# --------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args(argv)
    size, sample_size, repeat = (50_000, 200, 3) if args.quick else (1_000_000, 2_000, 5)

    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"numpy {np.__version__}, pandas {pd.__version__}"
    )
    print(
        f"{size:,} random complaints (seed {SEED}), receipts {FIRST}..{LAST}, policy {POLICY}; "
        f"best of {repeat} repeats{' (--quick)' if args.quick else ''}"
    )
    policy = Policy.builtin(POLICY)
    facts = random_complaints(size)
    sample = head(facts, sample_size)
    rows = scalar_facts(sample)
    categorical = dict(
        facts,
        complainant=pd.Categorical(facts["complainant"], categories=KINDS),
        route=pd.Categorical(facts["route"], categories=ROUTES[:2]),
    )

    def run_vector() -> pd.DataFrame:
        return due_dates(POLICY, **facts)

    def run_categorical() -> pd.DataFrame:
        return due_dates(POLICY, **categorical)

    # The reference: one working-day step as a bare numpy gather from the calendar's table,
    # ``inv[cum[ordinals - lo] + n]``, on the same number of dates (made outside the timing).
    vcal = VectorCalendar.of(WorkingDayCalendar.england_and_wales())
    cum, inv, lo = vcal.cumulative, vcal.working_days, vcal.origin
    ordinals = facts["received_at"].astype("datetime64[D]").view(np.int64)

    def run_gather() -> object:
        return inv[cum[ordinals - lo] + 10]

    def run_scalar() -> object:
        return [deadlines(policy=policy, **kwargs) for kwargs in rows]

    # ---- correctness first
    frame = run_vector()
    small = due_dates(POLICY, **sample)
    check_equal(policy, small, rows)
    pd.testing.assert_frame_equal(frame.iloc[:sample_size], small)
    pd.testing.assert_frame_equal(run_categorical(), frame)
    print(
        f"answers identical: due_dates and the scalar deadlines() on the first {sample_size:,} "
        f"complaints; the full-size answer agrees on them; categorical inputs give the same frame"
    )
    counts = frame["eligibility"].value_counts()
    due_columns = [t.id for t in policy.targets if t.owed_by == "cafcass"]
    impossible = [c for c in frame.columns if c.endswith("__impossible")]
    print(
        "  gates: "
        + ", ".join(f"{gate} {int(counts[gate]):,}" for gate in counts.index)
        + f"; obligations listed: {int(frame[due_columns].notna().to_numpy().sum()):,}"
        + f", impossible: {int(frame[impossible].to_numpy().sum()):,}"
    )

    # ---- timing: the call and its reference in turns, so that both meet the same load
    # from other processes on a shared machine (and the same state of the allocator)
    vector_times, gather_times = [], []
    for _ in range(repeat):
        gather_times.append(best(run_gather, 3))
        vector_times.append(best(run_vector, 1))
    t_vector, t_gather = min(vector_times), min(gather_times)
    t_categorical = best(run_categorical, repeat)
    gathers = t_vector / t_gather
    t_scalar = best(run_scalar, max(3, repeat // 2)) / sample_size
    scalar_total = t_scalar * size
    ratio = scalar_total / t_vector

    print(f"\nVectorised, {size:,} complaints per call (min over repeats):")
    print(
        f"  due_dates(...)                         {fmt(t_vector)}   "
        f"({t_vector / size * 1e9:.0f} ns/complaint)"
    )
    print(f"  due_dates(...), categorical inputs     {fmt(t_categorical)}   (context)")
    print(f"  one gather inv[cum[ordinals - lo] + n] {fmt(t_gather)}   (the reference)")
    print(f"  due_dates / one gather = {gathers:,.1f}x")
    print(f"\nScalar deadlines(...) in a loop, {sample_size:,} complaints:")
    print(f"  per complaint                          {fmt(t_scalar)}")
    print(f"  extrapolated to {size:,}              {fmt(scalar_total)}")
    print(f"  scalar loop / vectorised = {ratio:,.1f}x")

    full = size >= 1_000_000
    print("\nVerdicts:")
    print(
        verdict(
            f"{size:,} complaints' due dates",
            t_vector < TARGET_SECONDS if full else t_vector * 1_000_000 / size < TARGET_SECONDS,
            f"{t_vector:.3f} s"
            + ("" if full else f" ({t_vector * 1_000_000 / size:.3f} s per million, scaled)")
            + f" (target < {TARGET_SECONDS:g} s for 1,000,000)",
        )
    )
    print(
        verdict(
            "vectorised vs the scalar loop",
            ratio >= TARGET_RATIO,
            f"{ratio:,.1f}x faster (target >= {TARGET_RATIO:g}x)",
        )
    )
    print(
        verdict(
            "due_dates against one numpy gather",
            gathers <= TARGET_GATHER,
            f"{gathers:,.1f}x one gather (target <= {TARGET_GATHER:g}x)",
        )
    )
    if args.quick:
        print("  (--quick: small sizes, figures are indicative only)")

    bench_simulation(args.quick)
    return 0


# --------------------------------------------------------------------- simulation
# ====================================================================== bench_simulation
# Times complaint_workflow.analysis.simulate.simulate (written separately); kept last.

TARGET_SIM_PER_TRIGGER = 1.5  # simulate's time per simulated event at most this many bare triggers
TARGET_SIM_BYTES = 1024  # bytes a finished one-year simulation keeps per complaint, at most
TARGET_SWEEP = 1.8  # a four-seed sweep on two processes at least this much faster than in turn


def _cpu(fn: Callable[[], object], number: int = 1) -> float:
    """CPU seconds of our process per run of ``fn`` (``number`` runs): time spent waiting for
    a core that another program holds is not counted, which steadies figures on a shared
    machine."""
    start = time.process_time()
    for _ in range(number):
        fn()
    return (time.process_time() - start) / number


def bare_cycle() -> tuple[Callable[[], None], int]:
    """One cycle of the bare ``transitions`` reference of ``benchmarks/routes.py``, and how
    many triggers it fires.

    The reference is defined once, there (``Holder``, ``bare_machine``, ``CYCLE_TRIGGERS``:
    one machine of the procedure route, always-true guards, a no-op ``after`` callback); this
    loads that file as a module and fires the same cycle (the holder's state reset, then
    ``contact, assess, triage_early, respond, close``), as its section 1 does.
    """
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_routes_reference", os.path.join(_HERE, "routes.py")
    )
    assert spec is not None
    assert spec.loader is not None
    routes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(routes)  # its main() runs only as a script
    holder = routes.Holder()
    machine = routes.bare_machine(holder)
    start = machine.initial
    fire = [getattr(holder, t) for t in routes.CYCLE_TRIGGERS]

    def run_bare() -> None:
        holder.state = start
        for trigger in fire:
            trigger()

    run_bare()
    assert holder.state != start, "the bare cycle did not move the holder"
    return run_bare, len(fire)


def replayer(result: Any) -> tuple[Callable[[], None], int]:
    """Rebuilding every simulated complaint from its history with ``Complaint.replay`` (the
    opening and every ``apply`` the simulation made, nothing else; the garbage collector
    paused, as ``simulate`` pauses it), and how many events that is."""
    import gc

    from complaint_workflow import Complaint

    histories = result.histories  # decoded once, outside the timing
    policies = {result.policy.id: result.policy}
    calendar = result.calendar

    def run() -> None:
        enabled = gc.isenabled()
        gc.disable()
        try:
            for history in histories:
                Complaint.replay(history, policies=policies, calendar=calendar)
        finally:
            if enabled:
                gc.enable()

    return run, sum(len(h) for h in histories)


def bench_simulation(quick: bool) -> None:
    """The simulation's three targets, each a ratio or a size measured in this run.

    1. ``simulate(POLICY, years=1, seed=1)``: its CPU time divided by ``result.events``
       (every event the run applies: openings, complaint events, compliments' events),
       against one bare ``transitions`` trigger (:func:`bare_cycle`): at most 1.5x. The two
       are timed in alternation, five rounds (one with ``quick``), and the best of each is
       kept; so is, as context, ``Complaint.replay`` of the same histories
       (:func:`replayer`: what ``apply`` alone costs, so simulate's overhead on top of it is
       the ratio of the two). ``years=10`` is timed once (full run only).
    2. The bytes a finished one-year simulation keeps per complaint (:func:`bench_memory`):
       at most 1 KB.
    3. A sweep of four seeds on two processes against the same four in turn
       (:func:`bench_sweep`): at least 1.8x.

    Prints "simulation not available yet" while the module does not exist, and reports
    (never raises) any error from it, so the script still exits 0.
    """
    import math

    from _timing import auto_number  # loaded with fmt and verdict, at the top

    print("\nSimulation (complaint_workflow.analysis.simulate):")
    try:
        from complaint_workflow.analysis.simulate import simulate
    except ImportError:
        print("  simulation not available yet")
        return
    verdicts = []
    try:
        bare_run, triggers = bare_cycle()
        bare_number = auto_number(bare_run, 0.05)
        kept: list[Any] = []

        def run_one_year() -> None:
            kept[:] = [simulate(POLICY, years=1, seed=1)]  # keep only the last

        run_one_year()
        replay_run, replay_events = replayer(kept[0])
        rounds = 1 if quick else 5
        bare, sim_cpu, sim_wall, replay = math.inf, math.inf, math.inf, math.inf
        for _ in range(rounds):
            bare = min(bare, min(_cpu(bare_run, bare_number) for _ in range(3)) / triggers)
            wall = time.perf_counter()
            sim_cpu = min(sim_cpu, _cpu(run_one_year))
            sim_wall = min(sim_wall, time.perf_counter() - wall)
            replay = min(replay, _cpu(replay_run))
        result = kept[0]
        events = int(result.events)
    except Exception as exc:  # another developer's module, still in progress
        print(f"  simulate(years=1) failed: {type(exc).__name__}: {exc}")
        return
    print(
        f"  simulate({POLICY!r}, years= 1, seed=1)  {fmt(sim_wall)}   {events:,} events, "
        f"{len(result.complaints):,} complaints, {sim_cpu / events * 1e6:.1f} us/event of CPU"
        f" (best of {rounds}, alternating with the two below)"
    )
    print(f"  bare transitions trigger (benchmarks/routes.py's reference)  {fmt(bare)} CPU")
    apply_event = replay / replay_events
    print(
        f"  Complaint.replay of the same {replay_events:,} complaint events  {fmt(replay)} CPU"
        f"   {apply_event * 1e6:.1f} us/event"
    )
    ratio = sim_cpu / events / bare
    overhead = (sim_cpu / events) / apply_event
    print(
        f"  simulate per event / bare trigger = {ratio:.2f}x; replay (apply alone) per event / "
        f"bare trigger = {apply_event / bare:.2f}x; simulate per event / replay per event = "
        f"{overhead:.2f}x (the simulator's overhead on top of apply)"
    )
    verdicts.append(
        verdict("simulate years=1", sim_wall < TARGET_SIM_1, f"{sim_wall:.2f} s (target < 2 s)")
    )
    verdicts.append(
        verdict(
            "simulate per simulated event vs a bare transitions trigger",
            ratio <= TARGET_SIM_PER_TRIGGER,
            f"{ratio:.2f}x (target <= {TARGET_SIM_PER_TRIGGER:g}x; apply alone "
            f"{apply_event / bare:.2f}x, simulate / apply {overhead:.2f}x)",
        )
    )
    if not quick:
        try:
            wall = time.perf_counter()
            ten_cpu = _cpu(lambda: kept.__setitem__(0, simulate(POLICY, years=10, seed=1)))
            ten_wall = time.perf_counter() - wall
            ten_events = int(kept[0].events)
        except Exception as exc:  # another developer's module, still in progress
            print(f"  simulate(years=10) failed: {type(exc).__name__}: {exc}")
        else:
            print(
                f"  simulate({POLICY!r}, years=10, seed=1)  {fmt(ten_wall)}   "
                f"{ten_events:,} events, {len(kept[0].complaints):,} complaints, "
                f"{ten_cpu / ten_events * 1e6:.1f} us/event of CPU = "
                f"{ten_cpu / ten_events / bare:.2f}x a bare trigger (once)"
            )
            verdicts.append(
                verdict(
                    "simulate years=10",
                    ten_wall < TARGET_SIM_10,
                    f"{ten_wall:.2f} s (target < {TARGET_SIM_10:g} s)",
                )
            )
        kept.clear()
    try:
        held = bench_memory(simulate)
        verdicts.append(
            verdict(
                "memory kept per complaint, one simulated year",
                held <= TARGET_SIM_BYTES,
                f"{held:,.0f} bytes (target <= {TARGET_SIM_BYTES:,})",
            )
        )
        speedup, possible, allowed = bench_sweep(quick)
        verdicts.append(
            verdict(
                "sweep on a 2-process pool vs in turn",
                speedup >= TARGET_SWEEP,
                f"{speedup:.2f}x (target >= {TARGET_SWEEP:g}x; a CPU-bound loop got "
                f"{possible:.2f}x on the same pool in this run; the simulations, each slowed "
                f"down by the other running at once, allow {allowed:.2f}x)",
            )
        )
    except Exception as exc:  # another developer's module, still in progress
        print(f"  memory or sweep failed: {type(exc).__name__}: {exc}")
    for line in verdicts:
        print(line)
    if quick:
        print(
            "  (--quick: one round, the ten-year run is skipped, "
            "the sweep runs two half-size seeds)"
        )


def bench_memory(simulate: Callable[..., Any]) -> float:
    """Bytes a finished ``simulate(POLICY, years=1, seed=1)`` keeps per complaint.

    ``tracemalloc`` counts what is still allocated once the result is returned (its frames,
    histories, everything it refers to that the run made), after a first run has built the
    shared working-time axis and policies; the peak during the run is context.
    """
    import gc
    import tracemalloc

    simulate(POLICY, years=1, seed=1)  # the shared caches are built outside the measure
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = simulate(POLICY, years=1, seed=1)
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    n = max(1, len(result.complaints))
    print(
        f"  memory kept per complaint (frames and histories)  {(held - before) / n:,.0f} bytes"
        f"   (peak during the run {(peak - before) / n:,.0f} bytes; {n:,} complaints)"
    )
    return (held - before) / n


def _timed_task(task: Any) -> float:
    """Seconds one sweep task takes inside a pool's worker (the frame is left there)."""
    from complaint_workflow.analysis import run_task

    start = time.perf_counter()
    run_task(task)
    return time.perf_counter() - start


def bench_sweep(quick: bool) -> tuple[float, float, float]:
    """Four one-year seeds on a two-process pool against the same four run in turn here;
    returns the speed-up (time in turn / time on the pool) and, as context, what the machine
    allowed at that moment, twice: a CPU-bound loop of about the same length split the same
    way on the same pool (2x on two idle cores, less when others use them), and the
    simulations themselves, each timed inside its worker while the other worker runs one
    too, against the same task run alone here (two cores shared by two programs that
    allocate as much as a simulation does run each of them slower than one alone)."""
    from concurrent.futures import ProcessPoolExecutor

    import attrs

    from complaint_workflow.analysis import (
        SimulationParameters,
        SimulationTask,
        run_task,
        simulate_many,
    )

    seeds = [1, 2] if quick else [1, 2, 3, 4]
    params = SimulationParameters()
    if quick:
        params = attrs.evolve(params, complaints_per_year=700.0, compliments_per_year=400.0)
    tasks = [SimulationTask(POLICY, s, parameters=params) for s in seeds]
    rounds = 1 if quick else 3
    inf = float("inf")
    t_serial = t_pool = alone = together = inf
    with ProcessPoolExecutor(max_workers=2) as pool:
        pool.submit(int).result()  # the workers are started outside the timing
        # In turns, best of each: the tasks one after another here (each also timed alone),
        # the sweep on the pool, and the same tasks timed inside the workers two at a time.
        for _ in range(rounds):
            start = time.perf_counter()
            frames, each = [], 0.0
            for task in tasks:
                begun = time.perf_counter()
                frames.append(run_task(task))
                each += time.perf_counter() - begun
            serial = pd.concat(frames, ignore_index=True)
            t_serial = min(t_serial, time.perf_counter() - start)
            alone = min(alone, each)
            start = time.perf_counter()
            swept = simulate_many(seeds, policy=POLICY, parameters=params, executor=pool)
            t_pool = min(t_pool, time.perf_counter() - start)
            together = min(together, sum(pool.map(_timed_task, tasks)))
            pd.testing.assert_frame_equal(swept, serial)
        # What this machine allows now: the same split of a CPU-bound loop, same pool.
        work = [range(_loop_size(t_serial / len(seeds)))] * len(seeds)
        start = time.perf_counter()
        for steps in work:
            sum(steps)
        t_loop = time.perf_counter() - start
        start = time.perf_counter()
        list(pool.map(sum, work))
        t_loop_pool = time.perf_counter() - start
    allowed = 2 * alone / together  # the speed-up the pool would give with no overhead
    print(
        f"  sweep of {len(seeds)} seeds: in turn {fmt(t_serial)}, on 2 processes {fmt(t_pool)}"
        f" (best of {rounds} in turns)   speed-up {t_serial / t_pool:.2f}x (the same frame);"
        f" a CPU-bound loop split the same way: {t_loop / t_loop_pool:.2f}x; the same"
        f" simulations took {together / alone:.2f}x as long each two at a time as alone, so"
        f" two processes allow {allowed:.2f}x"
    )
    return t_serial / t_pool, t_loop / t_loop_pool, allowed


def _loop_size(seconds: float) -> int:
    """About how long a ``range`` ``sum`` takes ``seconds`` here (a CPU-bound loop that
    pickles to a worker as two numbers)."""
    start = time.perf_counter()
    sum(range(1_000_000))
    taken = time.perf_counter() - start
    return max(1_000_000, int(1_000_000 * seconds / max(taken, 1e-9)))


if __name__ == "__main__":
    main()
    sys.exit(0)
