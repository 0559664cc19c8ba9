"""Route machines: checked structurally, and the compiled table agrees with ``transitions``."""

from __future__ import annotations

from typing import Any

import pytest
from transitions import Machine

from complaint_workflow.docgen import all_routes
from complaint_workflow.routes import Route, RouteDefinitionError
from complaint_workflow.routes.machine import Guard

ROUTES = all_routes()


@pytest.mark.parametrize("name", list(ROUTES))
def test_route_is_structurally_sound(name: str) -> None:
    """One initial state, finals left by nothing, every state reachable and able to finish."""
    route = ROUTES[name]
    assert route.initial in route.states
    assert route.final
    assert not [e for e in route.edges() if e[0] in route.final]
    assert not route.machine.auto_transitions
    paths = route.simple_paths()
    assert paths, "at least one way from the initial state to a final one"
    assert all(path[-1][1] in route.final for path in paths)


class _Holder:
    """A throwaway model whose guards answer from a fixed table (tests only)."""

    def __init__(self, answers: dict[str, bool]) -> None:
        self._answers = answers

    def __getattr__(self, name: str) -> Any:
        if name in self._answers:
            return lambda *args, **kwargs: self._answers[name]
        raise AttributeError(name)


@pytest.mark.parametrize("name", list(ROUTES))
def test_compiled_table_agrees_with_the_machine(name: str) -> None:
    """For every (state, trigger) and every guard outcome, the table moves as transitions does."""
    route = ROUTES[name]
    guard_names = sorted(route.guards)
    outcomes = [dict.fromkeys(guard_names, True), dict.fromkeys(guard_names, False)]
    for answers in outcomes:
        holder = _Holder(answers)
        machine = Machine(
            model=holder,
            states=list(route.states),
            transitions=[dict(t) for t in route.transitions],
            initial=route.initial,
            auto_transitions=False,
            ignore_invalid_triggers=True,
        )
        for state in route.states:
            for trigger in route.triggers:
                machine.set_state(state, model=holder)
                machine.events[trigger].trigger(holder)
                expected = holder.state  # type: ignore[attr-defined]
                context = _Context(answers)
                result = _step(route, state, trigger, context)
                assert result == expected, (name, state, trigger, answers)


class _Context:
    def __init__(self, answers: dict[str, bool]) -> None:
        self.answers = answers


def _step(route: Route[Any], state: str, trigger: str, context: _Context) -> str:
    patched = {
        n: Guard(n, g.reason, lambda ctx, n=n: ctx.answers[n]) for n, g in route.guards.items()
    }
    original = dict(route.guards)
    route.guards.clear()  # type: ignore[attr-defined]
    route.guards.update(patched)  # type: ignore[attr-defined]
    try:
        result = route.step(state, trigger, context)
    finally:
        route.guards.clear()  # type: ignore[attr-defined]
        route.guards.update(original)  # type: ignore[attr-defined]
    return result if isinstance(result, str) else state


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {
                "states": ["a", "b"],
                "initial": "a",
                "final": ["b"],
                "transitions": [
                    {"trigger": "go", "source": "a", "dest": "b"},
                    {"trigger": "back", "source": "b", "dest": "a"},
                ],
            },
            "transitions leave final states",
        ),
        (
            {
                "states": ["a", "b", "c"],
                "initial": "a",
                "final": ["b"],
                "transitions": [{"trigger": "go", "source": "a", "dest": "b"}],
            },
            "unreachable states \\['c'\\]",
        ),
        (
            {
                "states": ["a", "b", "c"],
                "initial": "a",
                "final": ["b"],
                "transitions": [
                    {"trigger": "go", "source": "a", "dest": "b"},
                    {"trigger": "stuck", "source": "a", "dest": "c"},
                ],
            },
            "trap states",
        ),
        (
            {
                "states": ["a", "b"],
                "initial": "a",
                "final": [],
                "transitions": [{"trigger": "go", "source": "a", "dest": "b"}],
            },
            "no final state",
        ),
        (
            {
                "states": ["a", "b"],
                "initial": "a",
                "final": ["b"],
                "transitions": [
                    {"trigger": "go", "source": "a", "dest": "b", "conditions": ["nowhere"]}
                ],
            },
            "guards \\['nowhere'\\] are not defined",
        ),
    ],
)
def test_bad_routes_are_refused_at_definition(kwargs: dict[str, Any], message: str) -> None:
    """A machine with a structural fault is rejected when it is declared, naming the states."""
    with pytest.raises(RouteDefinitionError, match=message):
        Route("bad", title="Bad", **kwargs)


def test_every_transition_lies_on_some_simple_path() -> None:
    """Enumerated simple paths cover every transition of every route."""
    for route in ROUTES.values():
        paths = route.simple_paths()
        covered = {(trigger, dest) for path in paths for trigger, dest in path}
        edges = {(trigger, dest) for source, trigger, dest, _ in route.edges() if source != dest}
        assert edges <= covered, route.name
        visited = {route.initial} | {dest for path in paths for _, dest in path}
        assert {state for state, _ in route.internal_edges()} <= visited, route.name


def test_mermaid_diagram_matches_the_machine() -> None:
    """Each route's Mermaid diagram has one edge line per transition of the machine."""
    for route in ROUTES.values():
        lines = route.mermaid().splitlines()
        for source, trigger, dest, _ in route.edges():
            edge = [ln for ln in lines if ln.strip().startswith(f"{source} --> {dest}: ")]
            assert len(edge) == 1, (route.name, source, dest, lines)
            assert f" {trigger}" in edge[0].split(":", 1)[1].replace("|", " ")
        for final in route.final:
            assert f"  {final} --> [*]" in lines
