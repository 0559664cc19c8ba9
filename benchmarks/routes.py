"""Benchmark: moving a complaint through its routes, against bare ``transitions`` in the same run.

Run from the repository root (one command; ``--quick`` uses small sizes for a smoke run)::

    python benchmarks/routes.py
    python benchmarks/routes.py --quick

The events are the demo's own (:data:`complaint_workflow.demo.SCENARIOS`), under the default
policy ``cafcass-web``. What it measures:

1. Cost per event of ``Complaint.apply`` against a bare ``transitions`` trigger. The bare side
   is ONE ``transitions.Machine(model=holder, states=PROCEDURE.states, transitions=...,
   initial="awaiting-contact", auto_transitions=False)`` built from the procedure route's own
   transition list, with every condition an always-true method of the holder and a no-op
   ``after`` callback on every transition (a guard and a callback: what a bare trigger
   costs). One cycle fires ``contact, assess, triage_early, respond, close`` after resetting
   the holder's ``state`` attribute (one attribute store, inside the timing). Ours applies the
   matching events of scenario XMAS-1 (``ContactMade, Assessed, Triaged(early-resolution),
   Responded(phone, phso_signposted=True), ComplaintClosed``) to the complaint as it stands
   after ``ForwardedToCST``; the complaint and the events are made outside the timing. Both
   walks are first checked to pass through the same procedure states. Printed: µs per event
   for each and the ratio apply / bare; as context, the compiled-table look-up alone
   (``PROCEDURE.step``) and how much of ``apply`` is spent copying frozen values with
   ``attrs.evolve``.
2. ``complaint.obligations(at)`` for a complaint in the middle of the procedure (scenario
   DELAY-1 after its first six events, i.e. seven in the history, the last a delay update):
   at an instant after the last event (derived from the stored situation) and at an instant
   just before it (which replays the six-event prefix first). µs per call.
3. Memory per open complaint: 10,000 complaints (1,000 with ``--quick``) with distinct ids and
   that same seven-event history, measured with ``tracemalloc`` (bytes still allocated after
   building them, ``gc.collect()`` either side). Reference: the same events kept as a plain
   list of small tuples per complaint, ``(name, at, version, *fields)`` (the minimal
   representation), sharing the same datetime and string objects. Printed: bytes per complaint
   and the ratio ours / reference, with a breakdown of the objects one complaint owns.
5. Linear cost (targets): the per-event cost of ``Complaint.replay`` for a history of 40,000
   events against one of 2,000 (the same event repeated: the hearing moved back and forth),
   ≤ 1.5x; the per-event cost of 2,000 delay updates against 200, ≤ 1.5x; and, on a history
   of 2,000 events, ``obligations`` at an instant half-way through against the call after the
   last event, ≤ 3x (also section 2's figure, on seven events).
6. Context, not a target: building one ``transitions.Machine`` of the procedure route per
   complaint (what the library never does), in time (ratio against one ``apply``) and memory.

Targets: apply per event at most ``APPLY_TARGET`` (1.0) bare triggers (issue 13), and the
linear-cost ratios of section 5; the other figures are reported as context. The script
prints a summary with MET / NOT MET per target and always exits 0 (it is a report, not a
test). Timings are best-of-N (``timeit.repeat``, minimum), so ratios are robust on a shared,
noisy machine; ``apply`` and the bare trigger are timed in turns (three times as many rounds,
each a third as long), so a change of load during the run falls on both. Absolute times are
context only.

Note: the ``benchmarks`` folder holds ``calendar.py``, which would shadow the standard library
module for anything importing ``calendar``, so this script first removes its own directory
from ``sys.path``.
"""

# ruff: noqa: E402  (imports must follow the sys.path fix below)

import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, _HERE)  # even under python -P
from _timing import auto_number, best_alternating, best_per_call  # before the path goes

APPLY_TARGET = 1.0
"""``Complaint.apply`` per event, at most this many bare ``transitions`` triggers."""

sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]

import argparse
import gc
import operator
import platform
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import transitions

from complaint_workflow import Complaint
from complaint_workflow import events as ev
from complaint_workflow.calendar import WorkingDayCalendar
from complaint_workflow.demo import SCENARIOS, Scenario
from complaint_workflow.policy import Policy
from complaint_workflow.routes.procedure import PROCEDURE
from complaint_workflow.situation import Situation

POLICY = "cafcass-web"
CYCLE_TRIGGERS = ("contact", "assess", "triage_early", "respond", "close")
CYCLE_EVENTS = (ev.ContactMade, ev.Assessed, ev.Triaged, ev.Responded, ev.ComplaintClosed)
OPEN_EVENTS = 6  # DELAY-1's first six events: forwarded … conduct referred, delay update


# --------------------------------------------------------------------- timing helpers


def timed(fn: Callable[[], object], calls: int, repeat: int, min_time: float) -> float:
    """Seconds per call of ``fn`` (which makes ``calls`` calls), best of ``repeat``."""
    return best_per_call(fn, calls, repeat, auto_number(fn, min_time))


def us(seconds: float) -> str:
    return f"{seconds * 1e6:8.2f} us"


# --------------------------------------------------------------------- the scenarios


def scenario(complaint_id: str) -> Scenario:
    return next(s for s in SCENARIOS if s.facts["complaint_id"] == complaint_id)


def open_complaint(s: Scenario, complaint_id: str | None = None) -> Complaint:
    facts = dict(s.facts)
    if complaint_id is not None:
        facts["complaint_id"] = complaint_id
    return Complaint.open(policy=POLICY, **facts)


# --------------------------------------------------------------------- 1. the bare machine


class Holder:
    """The bare machine's model: always-true guards and a no-op ``after`` callback."""

    state: str

    def moved(self) -> None:
        pass


def _always(self: Holder) -> bool:
    return True


for _guard in PROCEDURE.guards:
    setattr(Holder, _guard, _always)


def bare_transitions() -> list[dict[str, Any]]:
    """The procedure route's own transition list, each with an ``after`` callback."""
    return [dict(t, after="moved") for t in PROCEDURE.transitions]


def bare_machine(holder: object) -> transitions.Machine:
    return transitions.Machine(
        model=holder,
        states=list(PROCEDURE.states),
        transitions=bare_transitions(),
        initial=PROCEDURE.initial,
        auto_transitions=False,
    )


@contextmanager
def counting_evolve() -> Iterator[Counter[str]]:
    """Count ``attrs.evolve`` calls by the type of the copied value (not timed)."""
    counts: Counter[str] = Counter()
    original = attrs.evolve

    def counted(inst: Any, **changes: Any) -> Any:
        name = type(inst).__name__
        counts["event" if isinstance(inst, ev.Event) else name] += 1
        return original(inst, **changes)

    attrs.evolve = counted  # type: ignore[assignment]
    try:
        yield counts
    finally:
        attrs.evolve = original  # type: ignore[assignment]


def bench_apply(repeat: int, min_time: float) -> dict[str, float]:
    xmas = scenario("XMAS-1")
    forwarded, *cycle = xmas.events
    assert isinstance(forwarded, ev.ForwardedToCST)
    assert tuple(type(e) for e in cycle) == CYCLE_EVENTS, "XMAS-1 is no longer the cycle"
    events = tuple(cycle)
    base = open_complaint(xmas).apply(forwarded)

    def run_apply() -> Complaint:
        c = base
        for event in events:
            c = c.apply(event)
        return c

    holder = Holder()
    machine = bare_machine(holder)
    start = PROCEDURE.initial
    fire = [getattr(holder, t) for t in CYCLE_TRIGGERS]

    def run_bare() -> None:
        holder.state = start
        for trigger in fire:
            trigger()

    # ---- correctness first: both walks pass through the same procedure states
    ours, theirs = [], []
    c = base
    for event in events:
        c = c.apply(event)
        ours.append(c.situation.states.procedure)
    holder.state = start
    for trigger in fire:
        assert trigger() is True
        theirs.append(machine.get_model_state(holder).name)
    assert ours == theirs, f"apply walked {ours}, the bare machine {theirs}"

    # ---- context: the compiled table alone, with each event's real context
    steps = []
    c = base
    for trigger, event in zip(CYCLE_TRIGGERS, events, strict=True):
        state = c.situation.states.procedure or PROCEDURE.initial  # before contact: intake
        steps.append((state, trigger, c._context(event)))
        c = c.apply(event)
    step = PROCEDURE.step
    assert [step(*s) for s in steps] == ours

    def run_step() -> None:
        for state, trigger, context in steps:
            step(state, trigger, context)

    # ---- context: how many frozen copies one cycle makes, and what one costs
    with counting_evolve() as copies:
        run_apply()
    situation = base.situation
    copy_cost = {
        "Situation": lambda: attrs.evolve(situation, states=situation.states, last_at=base.last_at),
        "event": lambda: attrs.evolve(events[1], version=3),
        "Complaint": lambda: attrs.evolve(
            base, situation=situation, policy=base.policy, history=base.history
        ),
    }
    n = len(events)
    out = {
        # apply and the bare trigger in turns (the ratio is the target), the rest after
        **best_alternating({"apply": run_apply, "bare": run_bare}, n, 3 * repeat, min_time / 3),
        "step": timed(run_step, n, repeat, min_time),
    }
    evolve_total = 0.0
    for kind, fn in copy_cost.items():
        cost = timed(fn, 1, repeat, min_time / 4)
        out[f"copies:{kind}"] = copies[kind] / n
        out[f"cost:{kind}"] = cost
        evolve_total += copies[kind] * cost
    out["evolve"] = evolve_total / n

    # ---- context: the same Situation copy made positionally (Situation has no keyword-only
    # fields, converters or validators, so this is equivalent; it passes no keyword arguments)
    names = tuple(f.name for f in attrs.fields(Situation))
    index = {name: i for i, name in enumerate(names)}
    values_of = operator.attrgetter(*names)

    def positional_copy(inst: Situation, **changes: Any) -> Situation:
        values = list(values_of(inst))
        for name, value in changes.items():
            values[index[name]] = value
        return Situation(*values)

    def run_positional() -> Situation:
        return positional_copy(situation, states=situation.states, last_at=base.last_at)

    assert run_positional() == copy_cost["Situation"]()
    out["positional"] = timed(run_positional, 1, repeat, min_time / 4)
    out["copies"] = sum(copies.values()) / n
    assert set(copies) <= set(copy_cost), f"unexpected copies {copies}"
    return out


# --------------------------------------------------------------------- 2. obligations


def bench_obligations(repeat: int, min_time: float) -> dict[str, Any]:
    delay = scenario("DELAY-1")
    c = open_complaint(delay)
    for event in delay.events[:OPEN_EVENTS]:
        c = c.apply(event)
    assert c.state == "procedure:investigation"
    assert not c.finished
    after = c.last_at + timedelta(days=1)
    before = c.last_at - timedelta(minutes=1)
    prefix = c.history[:-1]
    assert c.obligations(after)
    assert c.obligations(before)
    policies = {c.policy.id: c.policy}

    def replay_prefix() -> Complaint:
        return Complaint.replay(prefix, policies=policies, calendar=c.calendar)

    return {
        "after": timed(lambda: c.obligations(after), 1, repeat, min_time),
        "before": timed(lambda: c.obligations(before), 1, repeat, min_time),
        "replay": timed(replay_prefix, 1, repeat, min_time),
        "events": len(c.history),
        "prefix": len(prefix),
        "owed": len(c.obligations(after)),
    }


# --------------------------------------------------------------------- 5. linear cost


def _long_open(n: int) -> tuple[Complaint, list[ev.Event]]:
    """A complaint in the procedure, and ``n`` hearing moves back and forth to apply to it."""
    from complaint_workflow import LONDON

    at = datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)
    c = Complaint.open(
        complaint_id="LONG", complainant="adult", received_at=at, hearing=date(2024, 9, 2)
    )
    c = c.apply(ev.ForwardedToCST(at=at)).apply(ev.ContactMade(at=at))
    days = (date(2024, 9, 3), date(2024, 9, 2))
    moves: list[ev.Event] = [ev.HearingMoved(at=at, hearing=days[i % 2]) for i in range(n)]
    return c, moves


def _replay_per_event(n: int, repeat: int) -> tuple[float, float]:
    """Per event: ``Complaint.replay`` of the history, and ``Complaint.from_json`` of it."""
    base, moves = _long_open(n)
    built = base
    for m in moves:
        built = built.apply(m)
    history = list(built.history)
    text = built.to_json()
    best = best_json = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        Complaint.replay(history)
        best = min(best, time.perf_counter() - start)
        start = time.perf_counter()
        Complaint.from_json(text)
        best_json = min(best_json, time.perf_counter() - start)
    return best / len(history), best_json / len(history)


def _delays_per_event(n: int, repeat: int) -> float:
    from complaint_workflow import LONDON

    at = datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)
    base = Complaint.open(
        complaint_id="DELAYS", complainant="adult", received_at=at, policy="cafcass-2012"
    )
    base = base.apply(ev.ForwardedToCST(at=at)).apply(ev.ContactMade(at=at))
    updates = [
        ev.DelayUpdateSent(at=at, new_expected=date(2024, 7, 3) + timedelta(days=i + 1))
        for i in range(n)
    ]
    best = float("inf")
    for _ in range(repeat):
        c = base
        start = time.perf_counter()
        for u in updates:
            c = c.apply(u)
        best = min(best, time.perf_counter() - start)
    return best / n


def bench_linear(quick: bool, repeat: int, min_time: float) -> dict[str, float]:
    small, large = (200, 4_000) if quick else (2_000, 40_000)
    d_small, d_large = (100, 1_000) if quick else (200, 2_000)
    replay_small = _replay_per_event(small, repeat)
    replay_large = _replay_per_event(large, max(1, repeat // 2))
    out = {
        "small": small,
        "large": large,
        **dict(zip(("replay_small", "json_small"), replay_small, strict=True)),
        **dict(zip(("replay_large", "json_large"), replay_large, strict=True)),
        "d_small": d_small,
        "d_large": d_large,
        "delay_small": _delays_per_event(d_small, repeat),
        "delay_large": _delays_per_event(d_large, max(1, repeat // 2)),
    }
    c, moves = _long_open(small)
    for m in moves:
        c = c.apply(m)
    # Every event at one instant; the half-way instant must fall between two events.
    history = list(c.history)
    from complaint_workflow import LONDON

    t0 = datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)
    spread = [attrs.evolve(e, at=t0 + timedelta(seconds=i)) for i, e in enumerate(history)]
    c = Complaint.replay(spread)
    middle = t0 + timedelta(seconds=len(spread) // 2, milliseconds=500)
    after = c.last_at + timedelta(days=1)
    assert c.obligations(middle) == Complaint.replay(
        [e for e in spread if e.at <= middle]
    ).obligations(middle)
    out["earlier"] = timed(lambda: c.obligations(middle), 1, repeat, min_time)
    out["latest"] = timed(lambda: c.obligations(after), 1, repeat, min_time)
    out["history"] = len(spread)
    return out


# --------------------------------------------------------------------- 3. memory


def traced(build: Callable[[], object]) -> tuple[object, int]:
    """``build()`` and the bytes it leaves allocated (``tracemalloc``, after ``gc.collect``)."""
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        made = build()
        gc.collect()
        return made, tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()


_SHARED = (type, type(sys), Policy, WorkingDayCalendar)


def owned(root: object) -> dict[int, object]:
    """Every object reachable from ``root``, not descending into classes, modules, the policy
    or the calendar (shared by every complaint)."""
    seen: dict[int, object] = {}
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, _SHARED):
            continue
        seen[id(obj)] = obj
        todo.extend(gc.get_referents(obj))
    return seen


def breakdown(one: Complaint, other: Complaint) -> list[tuple[str, int, int]]:
    """``(type, count, bytes)`` of the objects ``one`` holds that ``other`` does not share."""
    theirs = owned(other)
    sizes: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for key, obj in owned(one).items():
        if key not in theirs:
            sizes[type(obj).__name__] += sys.getsizeof(obj)
            counts[type(obj).__name__] += 1
    return [(name, counts[name], size) for name, size in sizes.most_common()]


def bench_memory(count: int) -> dict[str, Any]:
    delay = scenario("DELAY-1")
    events = delay.events[:OPEN_EVENTS]
    ids = [f"DELAY-{i:06d}" for i in range(count)]
    open_complaint(delay, "warm-up").apply(events[0])  # first-use caches outside the tracing

    def build_ours() -> list[Complaint]:
        made = []
        for complaint_id in ids:
            c = open_complaint(delay, complaint_id)
            for event in events:
                c = c.apply(event)
            made.append(c)
        return made

    made, ours_bytes = traced(build_ours)
    assert isinstance(made, list)
    histories = [c.history for c in made]
    shape = [(type(e).name, [f.name for f in attrs.fields(type(e))]) for e in histories[0]]

    def build_reference() -> list[list[tuple[object, ...]]]:
        return [
            [
                (name, *[getattr(e, f) for f in fields])
                for (name, fields), e in zip(shape, h, strict=True)
            ]
            for h in histories
        ]

    reference, ref_bytes = traced(build_reference)
    assert isinstance(reference, list)
    id_at = 1 + shape[0][1].index("complaint_id")
    assert len({r[0][id_at] for r in reference}) == count, "complaint ids are not distinct"
    return {
        "count": count,
        "events": len(histories[0]),
        "ours": ours_bytes / count,
        "reference": ref_bytes / count,
        "breakdown": breakdown(made[0], made[1]),
    }


# --------------------------------------------------------------------- 4. a machine each


def bench_machine_each(repeat: int, min_time: float, count: int) -> dict[str, float]:
    def build() -> transitions.Machine:
        return bare_machine(Holder())

    _, size = traced(lambda: [build() for _ in range(count)])
    return {"build": timed(build, 1, repeat, min_time), "bytes": size / count}


# --------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args(argv)

    repeat, min_time = (3, 0.02) if args.quick else (7, 0.2)
    count, machines = (1_000, 100) if args.quick else (10_000, 1_000)

    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"transitions {transitions.__version__}, attrs {attrs.__version__}; policy {POLICY}; "
        f"best of {repeat} repeats{' (--quick)' if args.quick else ''}"
    )

    # ---- 1. per event
    a = bench_apply(repeat, min_time)
    r_bare = a["apply"] / a["bare"]
    print("\n1. Per event: Complaint.apply against a bare transitions trigger (min over repeats)")
    print(
        "   walk checked identical: awaiting-contact -> contacted -> assessed -> "
        "early-resolution -> responded -> closed"
    )
    print(f"   Complaint.apply(event)                      {us(a['apply'])} per event")
    print(f"   bare trigger (guard + after callback)       {us(a['bare'])} per trigger")
    print(f"   apply / bare = {r_bare:.2f}x")
    print("   context:")
    print(f"     PROCEDURE.step (compiled table + guards)  {us(a['step'])} per step")
    print(
        f"     attrs.evolve copies per event: {a['copies']:.1f} "
        f"(Situation {a['copies:Situation']:.1f} x {a['cost:Situation'] * 1e6:.2f} us, "
        f"event {a['copies:event']:.1f} x {a['cost:event'] * 1e6:.2f} us, "
        f"Complaint {a['copies:Complaint']:.1f} x {a['cost:Complaint'] * 1e6:.2f} us) "
        f"= {a['evolve'] * 1e6:.2f} us, {a['evolve'] / a['apply']:.0%} of apply"
    )
    print(
        f"     one Situation copy made positionally, Situation(*values) "
        f"{a['positional'] * 1e6:.2f} us (vs {a['cost:Situation'] * 1e6:.2f} us by attrs.evolve)"
    )
    print(
        "     (ContactMade also accepts the complaint at the intake gate and ComplaintClosed "
        "also finishes the court track: 7 route steps for 5 events)"
    )

    # ---- 2. obligations
    o = bench_obligations(repeat, min_time)
    print(
        f"\n2. complaint.obligations(at), DELAY-1 after {o['events']} events "
        f"(procedure:investigation, {o['owed']} obligations), per call"
    )
    print(f"   at >= last event (stored situation)         {us(o['after'])}")
    print(
        f"   just before the last event (replays {o['prefix']})    {us(o['before'])}"
        f"   = {o['before'] / o['after']:.1f}x"
    )
    print(f"   context: Complaint.replay of that prefix     {us(o['replay'])}")

    # ---- 3. memory
    m = bench_memory(count)
    r_mem = m["ours"] / m["reference"]
    print(
        f"\n3. Memory per open complaint, {m['count']:,} complaints of {m['events']} events "
        "(tracemalloc)"
    )
    print(f"   Complaint (frozen, event-sourced)           {m['ours']:8.0f} B")
    print(f"   reference: list of small tuples             {m['reference']:8.0f} B")
    print(f"   ours / reference = {r_mem:.2f}x")
    print("   one complaint's own objects (sys.getsizeof, not shared with another complaint):")
    total = sum(size for _, _, size in m["breakdown"])
    for name, n, size in m["breakdown"]:
        print(f"     {name:24s} {n:3d}  {size:6d} B")
    print(f"     {'total':24s}      {total:6d} B")
    print(
        "     (the str is the complaint id, made before the tracing on both sides; the tuples are "
        "the history, the done-acts and their pairs, the delays)"
    )

    # ---- 5. linear cost
    lin = bench_linear(args.quick, repeat, min_time)
    r_replay = lin["replay_large"] / lin["replay_small"]
    r_delay = lin["delay_large"] / lin["delay_small"]
    r_json = lin["json_large"] / lin["json_small"]
    r_earlier = lin["earlier"] / lin["latest"]
    print("\n5. Linear cost")
    print(
        f"   Complaint.replay per event, {lin['small']:,} events   "
        f"{us(lin['replay_small'])}; {lin['large']:,} events {us(lin['replay_large'])}"
        f"   = {r_replay:.2f}x (target <= 1.5x)"
    )
    print(
        f"   Complaint.from_json per event, {lin['small']:,} events "
        f"{us(lin['json_small'])}; {lin['large']:,} events {us(lin['json_large'])}"
        f"   = {r_json:.2f}x (target <= 1.5x)"
    )
    print(
        f"   delay updates per event, {lin['d_small']:,}            "
        f"{us(lin['delay_small'])}; {lin['d_large']:,} {us(lin['delay_large'])}"
        f"   = {r_delay:.2f}x (target <= 1.5x)"
    )
    print(
        f"   obligations half-way through {lin['history']:,} events  {us(lin['earlier'])}; "
        f"after the last {us(lin['latest'])}   = {r_earlier:.2f}x (target <= 3x)"
    )

    # ---- 4. a machine per complaint
    k = bench_machine_each(repeat, min_time, machines)
    print("\n6. Context: one transitions.Machine of the procedure route per complaint")
    print(
        f"   build one Machine (with its model)          {us(k['build'])}"
        f"   = {k['build'] / a['apply']:.1f}x one apply"
    )
    print(
        f"   memory per Machine + model ({machines:,} built)   {k['bytes']:8.0f} B"
        f"   = {k['bytes'] / m['ours']:.1f}x a whole complaint"
    )

    print("\nSummary (see docs/performance.md):")
    verdict = "MET" if r_bare <= APPLY_TARGET else "NOT MET"
    print(
        f"  {verdict:7s} apply / bare trigger = {r_bare:.2f}x "
        f"({a['apply'] * 1e6:.1f} vs {a['bare'] * 1e6:.1f} us per event; "
        f"target <= {APPLY_TARGET}x)"
    )
    print(
        f"  REPORT  obligations: {o['after'] * 1e6:.1f} us now, "
        f"{o['before'] * 1e6:.1f} us before the last event"
    )
    print(f"  REPORT  memory: {m['ours']:.0f} B per complaint, {r_mem:.2f}x a list of tuples")
    for label, ratio, limit in (
        ("replay per event, long / short history", r_replay, 1.5),
        ("from_json per event, long / short history", r_json, 1.5),
        ("delay update per event, many / few", r_delay, 1.5),
        ("obligations at an earlier instant / after the last", r_earlier, 3.0),
    ):
        verdict = "MET" if ratio <= limit else "NOT MET"
        print(f"  {verdict:7s} {label} = {ratio:.2f}x (target <= {limit}x)")
    print(
        f"  REPORT  a Machine per complaint: {k['build'] / a['apply']:.1f}x one apply, "
        f"{k['bytes']:.0f} B"
    )
    if args.quick:
        print("  (--quick: small sizes, figures are indicative only)")
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
