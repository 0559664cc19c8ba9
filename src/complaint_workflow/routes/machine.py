"""One explicit ``transitions`` machine per route, built once, checked at definition.

A route is declared as data: its states, its initial state, its final states and a list of
transition dicts in ``transitions``' own format, with guards named by string. :class:`Route`
builds the :class:`transitions.Machine` from that declaration once (never one per complaint,
never with each complaint attached as a model), checks its structure the way
python-statemachine does, and compiles its transition table into a dict. A complaint then
moves by looking up ``(trigger, state)`` in that table and evaluating the guards, which are
pure functions: nothing is mutated until every step of an event has been found allowed, so a
guard that refuses (or raises) can never leave a route half-moved. A test drives the real
machine beside the compiled table on every transition to prove the two agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Generic, TypeVar

import attrs
from transitions import Machine

__all__ = ["Guard", "Route", "RouteDefinitionError", "TransitionSpec"]

C = TypeVar("C")

Guard = Callable[[C], bool]
"""A guard is a pure function of a context (the complaint and the event); its docstring's
first line says, in words, what must hold, and becomes the rejection reason."""

TransitionSpec = Mapping[str, Any]


class RouteDefinitionError(Exception):
    """A route's declaration is structurally wrong (raised at import, never at run time)."""


@attrs.frozen
class _Edge:
    dest: str
    guards: tuple[str, ...]


class Route(Generic[C]):
    """A route of the procedure: a ``transitions`` machine declared as data.

    ``states`` in order; ``initial``; ``final`` (nothing may leave them); ``transitions`` as
    ``transitions`` dicts (``trigger``, ``source`` (a state or a list), ``dest``,
    ``conditions``); ``guards`` maps each condition name to a function of the context.
    """

    def __init__(
        self,
        name: str,
        *,
        title: str,
        states: Sequence[str],
        initial: str,
        final: Iterable[str],
        transitions: Sequence[TransitionSpec],
        guards: Mapping[str, Guard[C]] | None = None,
    ) -> None:
        self.name: Final = name
        self.title: Final = title
        self.states: Final = tuple(states)
        self.initial: Final = initial
        self.final: Final = frozenset(final)
        self.transitions: Final = tuple(dict(t) for t in transitions)
        self.guards: Final[Mapping[str, Guard[C]]] = dict(guards or {})
        self.machine: Final = Machine(
            model=None,
            states=list(self.states),
            transitions=[dict(t) for t in self.transitions],
            initial=initial,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )
        self._table = self._compile()
        self._check()

    def __repr__(self) -> str:
        return f"Route({self.name!r}, {len(self.states)} states, {len(self.edges())} transitions)"

    # ----------------------------------------------------------------- table

    def _compile(self) -> dict[tuple[str, str], tuple[_Edge, ...]]:
        table: dict[tuple[str, str], list[_Edge]] = {}
        for trigger, event in self.machine.events.items():
            for source, transitions in event.transitions.items():
                for t in transitions:
                    names = tuple(str(c.func) for c in t.conditions)
                    dest = source if t.dest is None else t.dest
                    table.setdefault((trigger, source), []).append(_Edge(dest, names))
        return {key: tuple(edges) for key, edges in table.items()}

    @property
    def triggers(self) -> tuple[str, ...]:
        """Every trigger of this route, in declaration order."""
        return tuple(self.machine.events)

    def edges(self) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
        """Every transition as ``(source, trigger, dest, guards)``, from the machine itself."""
        return tuple(
            (source, trigger, edge.dest, edge.guards)
            for (trigger, source), edges in self._table.items()
            for edge in edges
        )

    def allowed(self, state: str) -> tuple[str, ...]:
        """The triggers declared from ``state`` (guards not evaluated)."""
        return tuple(trigger for (trigger, source) in self._table if source == state)

    def step(self, state: str, trigger: str, context: C) -> str | _Refusal:
        """The state after ``trigger`` from ``state``, or a refusal saying why not.

        Pure: evaluates the guards on ``context`` and changes nothing.
        """
        edges = self._table.get((trigger, state))
        if edges is None:
            return _Refusal(f"{self.name}: no '{trigger}' from '{state}'")
        failed = ""
        for edge in edges:
            for guard_name in edge.guards:
                guard = self.guards[guard_name]
                if not guard(context):
                    failed = " ".join((guard.__doc__ or guard_name).split())
                    break
            else:
                return edge.dest
        return _Refusal(f"{self.name}: {failed}")

    # ----------------------------------------------------------------- structure

    def _check(self) -> None:
        problems: list[str] = []
        states = set(self.states)
        if self.initial not in states:
            problems.append(f"initial state {self.initial!r} is not a state")
        if not self.final:
            problems.append("no final state")
        if self.final - states:
            problems.append(f"final states {sorted(self.final - states)} are not states")
        leaving = sorted({s for s, _, _, _ in self.edges() if s in self.final})
        if leaving:
            problems.append(f"transitions leave final states {leaving}")
        missing = sorted({g for *_, gs in self.edges() for g in gs} - set(self.guards))
        if missing:
            problems.append(f"guards {missing} are not defined")
        forward: dict[str, set[str]] = {s: set() for s in states}
        for source, _, dest, _ in self.edges():
            forward[source].add(dest)
        reachable = _closure({self.initial}, forward)
        if states - reachable:
            problems.append(f"unreachable states {sorted(states - reachable)}")
        backward: dict[str, set[str]] = {s: set() for s in states}
        for source, _, dest, _ in self.edges():
            backward[dest].add(source)
        reach_final = _closure(set(self.final), backward)
        if states - reach_final:
            problems.append(f"trap states (no way to a final state) {sorted(states - reach_final)}")
        if problems:
            raise RouteDefinitionError(f"route {self.name!r}: " + "; ".join(problems))

    def simple_paths(self) -> list[tuple[tuple[str, str], ...]]:
        """Every path from the initial state to a final state, each cycle taken at most once.

        A path is a tuple of ``(trigger, dest)`` steps. "Each cycle at most once": a path may
        revisit a state, but never take the same transition twice. Internal transitions (a
        state to itself: a delay update, a referral) are left out, since any order of them is
        another "path"; :meth:`internal_edges` lists them for coverage at their states.
        """
        out: list[tuple[tuple[str, str], ...]] = []

        def walk(state: str, path: tuple[tuple[str, str, str], ...]) -> None:
            if state in self.final:
                out.append(tuple((trigger, dest) for _, trigger, dest in path))
                return
            for source, trigger, dest, _ in self.edges():
                if source == state != dest and (source, trigger, dest) not in path:
                    walk(dest, (*path, (source, trigger, dest)))

        walk(self.initial, ())
        return out

    def internal_edges(self) -> tuple[tuple[str, str], ...]:
        """Every internal transition (state to itself) as ``(state, trigger)``."""
        return tuple((s, t) for s, t, d, _ in self.edges() if s == d)

    def mermaid(self) -> str:
        """A Mermaid state diagram rendered by ``transitions``' own GraphMachine."""
        from transitions.extensions.diagrams import GraphMachine  # lazy: pulls in asyncio

        class _DocOnly:  # a fresh, doc-only model: GraphMachine styles the current state
            pass

        model = _DocOnly()
        GraphMachine(
            model=model,
            states=list(self.states),
            transitions=[dict(t) for t in self.transitions],
            initial=self.initial,
            auto_transitions=False,
            graph_engine="mermaid",
            show_conditions=True,
            title=self.title,
        )
        text: str = model.get_graph().draw(None)  # type: ignore[attr-defined]
        lines = [ln.rstrip() for ln in text.strip().splitlines()]
        lines += [f"  {state} --> [*]" for state in self.states if state in self.final]
        return "\n".join(lines)


@attrs.frozen
class _Refusal:
    reason: str


def _closure(start: set[str], graph: Mapping[str, set[str]]) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def is_refusal(value: object) -> bool:
    """Whether a :meth:`Route.step` result is a refusal."""
    return isinstance(value, _Refusal)
