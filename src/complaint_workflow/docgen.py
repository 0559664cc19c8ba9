"""Generated sections of ``docs/``: tables rendered from the policies, the routes and the plans.

A generated section sits between ``<!-- BEGIN GENERATED: name -->`` and
``<!-- END GENERATED: name -->`` in a Markdown page; the prose around it is written by hand.
``python scripts/generate_docs.py`` rewrites every section; a test fails while one is stale.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .policy import PARAMETER_NAMES, Policy
from .text import markdown_table

if TYPE_CHECKING:
    from .routes.machine import Route

__all__ = [
    "SECTIONS",
    "all_routes",
    "policies_parameters",
    "policies_rules",
    "policies_side_by_side",
    "replace_sections",
    "route_section",
]


def _cell(policy: Policy, target_id: str) -> str:
    t = policy.get(target_id)
    if t is None:
        return "—"
    text = f"{t.describe(policy.parameters)}, **{t.strength}**"
    if t.triggers:
        text += f"; only for {', '.join(t.triggers)}"
    if t.owed_by != "cafcass":
        text += f"; a limit on the {t.owed_by}"
    return text


def policies_side_by_side(ids: tuple[str, ...] = Policy.builtin_ids()) -> str:
    """Every target of the built-ins, one row each, one column per policy."""
    policies = [Policy.builtin(i) for i in ids]
    target_ids: list[str] = []
    for p in policies:
        target_ids += [t.id for t in p.targets if t.id not in target_ids]
    rows = []
    for target_id in target_ids:
        found = [t for p in policies if (t := p.get(target_id)) is not None]
        clause = found[0].clause
        routes = ", ".join(found[0].routes)
        rows.append([f"`{target_id}`", clause, routes, *(_cell(p, target_id) for p in policies)])
    return markdown_table(["target", "clause", "applies to", *(f"`{i}`" for i in ids)], rows)


def policies_rules(ids: tuple[str, ...] = Policy.builtin_ids()) -> str:
    """How each target of the built-ins is decided: what meets it, what it counts from, when
    it stays listed and what it is weighed against (the rules layer reads exactly these)."""
    policies = [Policy.builtin(i) for i in ids]
    rows = []
    seen: set[str] = set()
    for p in policies:
        for t in p.targets:
            if t.id in seen:
                continue
            seen.add(t.id)
            in_policies = ", ".join(f"`{q.id}`" for q in policies if q.get(t.id) == t)
            counts = t.anchor + ("" if t.anchor != "receipt" or t.restarts else " (actual)")
            rows.append(
                [
                    f"`{t.id}`",
                    "—" if t.owed_by != "cafcass" else f"`{t.met_by}`",
                    counts,
                    ", ".join(t.triggers) or "—",
                    "yes" if t.kept_when_met else "no",
                    ", ".join(f"`{w}`" for w in t.weighed_against) or "—",
                    in_policies or "(differs)",
                ]
            )
    return markdown_table(
        [
            "target",
            "met by",
            "counts from",
            "only for",
            "kept when met",
            "weighed against",
            "as in",
        ],
        rows,
    )


def policies_parameters(ids: tuple[str, ...] = Policy.builtin_ids()) -> str:
    """Every parameter with its value in each built-in."""
    policies = [Policy.builtin(i) for i in ids]
    rows = []
    for name in PARAMETER_NAMES:
        values = [getattr(p.parameters, name) for p in policies]
        rows.append([f"`{name}`", *(f"`{v}`" if v is not None else "none" for v in values)])
    return markdown_table(["parameter", *(f"`{i}`" for i in ids)], rows)


def all_routes() -> dict[str, Route[Any]]:
    """Every route machine: the complaint's, then feedback and compliments."""
    from .feedback import COMPLIMENT, FEEDBACK
    from .routes import COMPLAINT_ROUTES

    return {**COMPLAINT_ROUTES, FEEDBACK.name: FEEDBACK, COMPLIMENT.name: COMPLIMENT}


def route_section(name: str) -> str:
    """One route's transition table and Mermaid diagram, rendered from its machine."""
    route = all_routes()[name]
    rows = [
        [
            f"`{source}`",
            f"`{trigger}`",
            f"`{dest}`" + (" (final)" if dest in route.final else ""),
            ", ".join(f"`{g}`" for g in guards) or "—",
        ]
        for source, trigger, dest, guards in route.edges()
    ]
    table = markdown_table(["from", "trigger", "to", "guards"], rows)
    return (
        f"Initial state `{route.initial}`; final states "
        f"{', '.join(f'`{s}`' for s in route.states if s in route.final)}.\n\n"
        f"{table}\n\n```mermaid\n{route.mermaid()}\n```"
    )


def _route_sections() -> dict[str, Callable[[], str]]:
    names = (
        "intake",
        "procedure",
        "court",
        "child",
        "quick_fix",
        "outside",
        "feedback",
        "compliment",
    )
    return {f"route-{n.replace('_', '-')}": functools.partial(route_section, n) for n in names}


def guards_table() -> str:
    """Every guard of every route, with the rule it enforces in words."""
    rows = []
    for route in all_routes().values():
        for name, guard in route.guards.items():
            rows.append([f"`{route.name}`", f"`{name}`", guard.reason])
    return markdown_table(["route", "guard", "rule (also the rejection reason)"], rows)


def plans_table() -> str:
    """Every complaint event type and the route steps its plan may take, from ``plans.py``."""
    from .plans import FOLLOW_UPS, PLANS, STARTS

    rows = []
    for plan in PLANS.values():
        steps = "; ".join(f"`{route}.{trigger}`" for route, trigger in plan.listed_moves())
        rows.append([f"`{plan.event.__name__}`", steps or "no move", plan.when or "—"])
    for (route, trigger), when in FOLLOW_UPS:
        rows.append(["(any event)", f"`{route}.{trigger}`", when])
    for state, started in STARTS.items():
        routes = ", ".join(f"`{r}` at `{s}`" for r, s in started.items())
        rows.append([f"(intake reaches `{state}`)", f"starts {routes}", "—"])
    return markdown_table(["event", "steps it may take", "when"], rows)


def coverage_counts() -> str:
    """Per route: transitions and simple paths, all of which ``tests/test_paths.py`` replays."""
    rows = []
    totals = [0, 0, 0]
    for route in all_routes().values():
        edges = len(route.edges())
        internal = len(route.internal_edges())
        paths = len(route.simple_paths())
        totals = [totals[0] + edges, totals[1] + internal, totals[2] + paths]
        rows.append([f"`{route.name}`", f"{edges}/{edges}", str(internal), f"{paths}/{paths}"])
    rows.append(
        [
            "**all**",
            f"**{totals[0]}/{totals[0]}**",
            f"**{totals[1]}**",
            f"**{totals[2]}/{totals[2]}**",
        ]
    )
    return markdown_table(
        ["route", "transitions covered / total", "of which internal", "paths replayed / total"],
        rows,
    )


SECTIONS: dict[str, Callable[[], str]] = {
    "coverage-counts": coverage_counts,
    "policies-side-by-side": policies_side_by_side,
    "policies-parameters": policies_parameters,
    "policies-rules": policies_rules,
    "route-guards": guards_table,
    "route-plans": plans_table,
    **_route_sections(),
}
"""Every generated section by name."""

_SECTION = re.compile(
    r"(<!-- BEGIN GENERATED: (?P<name>[a-z0-9-]+) -->\n)"
    r"(?P<body>.*?)"
    r"(<!-- END GENERATED: (?P=name) -->)",
    re.S,
)


def replace_sections(page: str) -> str:
    """``page`` with every generated section rendered afresh."""

    def render(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in SECTIONS:
            raise KeyError(f"unknown generated section {name!r}")
        return f"{match[1]}{SECTIONS[name]()}\n{match[4]}"

    return _SECTION.sub(render, page)


def timeline_example() -> str:
    """The timeline drawn in docs/timeline.md (``docs/timeline-example.svg``).

    A child's complaint received just before Christmas 2024 with a hearing in January: the
    bank holidays, a target counted back from the hearing and the court notification show.
    """
    from datetime import date, datetime

    from . import events as ev
    from .calendar import LONDON
    from .complaint import Complaint
    from .timeline import svg

    def at(m: int, d: int, hh: int, yy: int = 2024) -> datetime:
        return datetime(yy, m, d, hh, 0, tzinfo=LONDON)

    c = Complaint.open(
        complaint_id="EXAMPLE-1",
        complainant="child",
        received_at=at(12, 20, 15),
        hearing=date(2025, 1, 17),
        policy="cafcass-web",
    )
    for event in (
        ev.ForwardedToCST(at=at(12, 23, 9)),
        ev.ContactMade(at=at(12, 27, 11)),
        ev.Assessed(at=at(12, 30, 10), aspects=("professional-judgement",)),
        ev.Triaged(at=at(12, 30, 11), route="investigation"),
    ):
        c = c.apply(event)
    return svg(c, at(1, 6, 12, 2025))
