"""Coverage of the machines: every simple path of every route replayed through the library.

Paths are enumerated from the machines themselves (``Route.simple_paths``: initial to final,
no transition taken twice, internal self-transitions apart), and each is driven through real
complaints, feedback forms or compliments by ``tests/paths.py``. Every internal transition is
fired at each of its states. ``docs/guarantees.md`` reports the counts.
"""

from __future__ import annotations

import pytest

from complaint_workflow.docgen import all_routes

from .paths import internal_events, replay_path

ROUTES = all_routes()
PATHS = [
    (name, i, path) for name, route in ROUTES.items() for i, path in enumerate(route.simple_paths())
]
INTERNAL = [
    (name, state, trigger)
    for name, route in ROUTES.items()
    for state, trigger in route.internal_edges()
]


@pytest.mark.parametrize(("route", "index", "path"), PATHS, ids=[f"{r}-{i}" for r, i, _ in PATHS])
def test_every_simple_path_is_replayed(route: str, index: int, path: list[tuple[str, str]]) -> None:
    """Driving the path's events moves the route through the path's states to its final one."""
    expected = [ROUTES[route].initial, *(dest for _, dest in path)]
    seen = replay_path(route, path)
    assert seen[-1] in ROUTES[route].final
    # The exceptional decision fires two triggers in one event, so it skips the review state;
    # nothing else may differ from the path.
    skipped = "exceptional-review"
    assert [s for s in seen if s != skipped] == [s for s in expected if s != skipped]


@pytest.mark.parametrize(("route", "state", "trigger"), INTERNAL)
def test_every_internal_transition_is_fired(route: str, state: str, trigger: str) -> None:
    """Each self-transition is allowed at each of its states, and leaves the state as it was."""
    complaint, event = internal_events(route, state, trigger)
    assert complaint.states[route] == state
    after = complaint.apply(event)
    assert after.states[route] == state
    assert after.version == complaint.version + 1


def test_coverage_counts() -> None:
    """Every transition lies on a replayed path or is an internal one fired above: 100%."""
    total = sum(len(r.edges()) for r in ROUTES.values())
    on_paths = set()
    for name, route in ROUTES.items():
        for path in route.simple_paths():
            source = route.initial
            for trigger, dest in path:
                on_paths.add((name, source, trigger, dest))
                source = dest
    changing = {(n, s, t, d) for n, r in ROUTES.items() for s, t, d, _ in r.edges() if s != d}
    assert changing <= on_paths
    assert len(changing) + len(INTERNAL) == total
