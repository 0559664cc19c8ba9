"""The same complaints under three policies: what changes when the timescales change.

What it shows
-------------
- A set of complaints generated deterministically from ``--seed`` with ``random.Random``:
  receipt instants across 2024, half of them around Easter (27 March to 2 April: Good Friday
  29 March, Easter Monday 1 April) or Christmas (20 to 31 December), each contacted, assessed,
  triaged (early resolution or investigation) and answered either within the 2012
  procedure's 15 working days or a few working days after it. ``--demo`` uses the
  library's ``demo.SCENARIOS`` instead.
- Each complaint run under ``cafcass-2012``, ``cafcass-web`` and a variant made with
  ``Policy.evolve`` (the web page with investigations in 15 working days), printed with
  ``Policy.diff``.
- A table of how many obligations each policy gives each status at ``--now``, and, side by
  side for the first ``--show`` complaints, the due date and status of the obligation to
  respond (``response`` under 2012; ``early-resolution`` or ``investigation`` under the web
  rules, by triage route; ``outside-response`` outside the procedure).

Only the standard library and ``complaint_workflow``; nothing reads the wall clock.

Run it::

    python examples/compare_policies.py
    python examples/compare_policies.py --seed 7 --count 40 --show 10
    python examples/compare_policies.py --demo --now 2024-07-01T12:00+01:00
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Final, Literal, TypeAlias

from complaint_workflow import (
    LONDON,
    Assessed,
    Complaint,
    ComplaintClosed,
    ConductReferred,
    ContactMade,
    Event,
    EventRejected,
    ForwardedToCST,
    Obligation,
    Policy,
    Responded,
    Triaged,
    WorkingDayCalendar,
    WorkingDays,
)
from complaint_workflow.demo import SCENARIOS, Scenario
from complaint_workflow.events import Aspect
from complaint_workflow.obligations import RESPONSE_TARGETS, STATUSES
from complaint_workflow.text import text_table

Route: TypeAlias = Literal["early-resolution", "investigation"]

DEFAULT_NOW: Final = "2025-06-30T12:00+01:00"
"""The obligations to respond, in the order to look for them (one applies at a time)."""

EASTER_2024: Final = (date(2024, 3, 27), date(2024, 4, 2))
CHRISTMAS_2024: Final = (date(2024, 12, 20), date(2024, 12, 31))
YEAR_2024: Final = (date(2024, 1, 1), date(2024, 12, 31))
ASPECTS: Final[tuple[tuple[Aspect, ...], ...]] = (
    ("case-management",),
    ("conduct",),
    ("case-management", "conduct"),
)
ROUTES: Final[tuple[Route, ...]] = ("early-resolution", "investigation", "investigation")
"""Triage routes to draw from: investigations twice as likely as early resolution."""


def policies() -> list[Policy]:
    """The two built-in policies and a variant of the web page."""
    web = Policy.builtin("cafcass-web")
    variant = web.evolve(
        id="web-investigation-15",
        title="Web page, investigations within 15 working days",
        targets={"investigation": WorkingDays(15)},
    )
    return [Policy.builtin("cafcass-2012"), web, variant]


def _at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=LONDON)


def _day_in(rng: random.Random, window: tuple[date, date]) -> date:
    first, last = window
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def generate(seed: int, count: int, calendar: WorkingDayCalendar) -> list[Scenario]:
    """``count`` complaints received in 2024, the same for the same seed."""
    rng = random.Random(seed)
    response = Policy.builtin("cafcass-2012").target("response")
    parameters = Policy.builtin("cafcass-2012").parameters
    scenarios = []
    for number in range(1, count + 1):
        window = (EASTER_2024, CHRISTMAS_2024, YEAR_2024, YEAR_2024)[(number - 1) % 4]
        received = _at(_day_in(rng, window), rng.randrange(7, 23), rng.choice((0, 15, 30, 45)))
        day0 = calendar.deemed_receipt(received)
        forwarded = received + timedelta(hours=1) if received.date() == day0 else _at(day0, 9, 30)
        contacted = calendar.add_working_days(day0, rng.choice((1, 1, 2, 2, 3)))
        route = rng.choice(ROUTES)
        due_2012 = response.due(day0, calendar, parameters)
        on_time = rng.random() < 0.7
        if on_time:
            earliest = calendar.working_days_between(day0, contacted) + 1
            answered = calendar.add_working_days(day0, rng.randint(earliest, 15))
        else:
            answered = calendar.add_working_days(due_2012, rng.randint(1, 5))
        aspects = rng.choice(ASPECTS)
        events: list[Event] = [
            ForwardedToCST(at=forwarded),
            ContactMade(at=_at(contacted, 10)),
            Assessed(at=_at(contacted, 14), aspects=aspects),
        ]
        if "conduct" in aspects:  # §4.8: a conduct aspect is referred before the response
            events.append(ConductReferred(at=_at(contacted, 14, 15), to="manager"))
        events += [
            Triaged(at=_at(contacted, 14, 30), route=route),
            Responded(at=_at(answered, 15), method="written", phso_signposted=True),
            ComplaintClosed(at=_at(answered, 16)),
        ]
        facts = {"complaint_id": f"G{number:02d}", "complainant": "adult", "received_at": received}
        title = f"{'on time' if on_time else 'late'} for 2012; {route}"
        scenarios.append(Scenario(title, facts, tuple(events)))
    return scenarios


def response_obligation(obligations: Sequence[Obligation]) -> Obligation | None:
    """The obligation to respond, if one is owed."""
    owed = {o.id: o for o in obligations}
    return next((owed[i] for i in RESPONSE_TARGETS if i in owed), None)


def parse_instant(text: str) -> datetime:
    """An aware ISO 8601 instant, as a London time (for ``--now``)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {text!r}") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise argparse.ArgumentTypeError(f"give a UTC offset, e.g. {DEFAULT_NOW}")
    return value.astimezone(LONDON)


def _cell(obligation: Obligation | None) -> str:
    if obligation is None:
        return "—"
    return f"{obligation.due:%a %d %b %y} {obligation.status}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison; see the module docstring."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    parser.add_argument("--count", type=int, default=24, help="complaints to generate")
    parser.add_argument("--demo", action="store_true", help="use demo.SCENARIOS instead")
    parser.add_argument("--show", type=int, default=8, help="complaints shown side by side")
    parser.add_argument(
        "--now",
        type=parse_instant,
        default=parse_instant(DEFAULT_NOW),
        metavar="ISO-DATETIME",
        help=f"the instant statuses are taken at (default {DEFAULT_NOW})",
    )
    args = parser.parse_args(argv)
    if args.count < 1 or args.show < 0:
        parser.error("--count must be at least 1 and --show at least 0")

    calendar = WorkingDayCalendar.england_and_wales()
    scenarios = list(SCENARIOS) if args.demo else generate(args.seed, args.count, calendar)
    chosen = policies()
    ids = [p.id for p in chosen]
    source = "demo.SCENARIOS" if args.demo else f"generated with seed {args.seed}"
    print(f"{len(scenarios)} complaints ({source}) under {', '.join(ids)}")
    print(f"statuses at {args.now.isoformat()} (Europe/London)\n")
    print(f"{chosen[2].id} is {chosen[1].id} with:")
    for change in chosen[1].diff(chosen[2]):
        print(f"  {change}")

    runs: dict[str, dict[str, Complaint]] = {}
    for policy in chosen:
        runs[policy.id] = {}
        for scenario in scenarios:
            try:
                complaint = scenario.run(policy)
            except EventRejected as refused:
                print(f"{scenario.facts['complaint_id']} under {policy.id}: {refused}")
                return 1
            runs[policy.id][complaint.id] = complaint

    owed = {
        p: {cid: c.obligations(args.now) for cid, c in complaints.items()}
        for p, complaints in runs.items()
    }
    counts = {p: Counter(o.status for obs in owed[p].values() for o in obs) for p in ids}
    print("\nobligations by status")
    rows = [[p, *(str(counts[p][s]) for s in STATUSES), str(counts[p].total())] for p in ids]
    print(text_table(["policy", *STATUSES, "total"], rows))

    shown = scenarios[: args.show]
    if not shown:
        return 0
    print(f"\nthe obligation to respond, first {len(shown)} complaints (due date and status)")
    rows = []
    for scenario in shown:
        first = runs[ids[0]][scenario.facts["complaint_id"]]
        answered = next((e.at for e in first.history if isinstance(e, Responded)), None)
        route = first.situation.triage or first.state.split(":")[0]
        rows.append(
            [
                first.id,
                f"{first.situation.received_at:%a %d %b %y %H:%M}",
                f"{first.deemed_receipt:%a %d %b}",
                route,
                "—" if answered is None else f"{answered:%a %d %b %y}",
                *(_cell(response_obligation(owed[p][first.id])) for p in ids),
            ]
        )
    print(text_table(["complaint", "received", "day 0", "route", "answered", *ids], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
