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

from ..errors import RouteDefinitionError

__all__ = ["Guard", "Route", "RouteDefinitionError", "TransitionSpec", "guard"]

C = TypeVar("C")

TransitionSpec = Mapping[str, Any]

_KEYS: Final = frozenset({"trigger", "source", "dest", "conditions"})


@attrs.frozen
class Guard(Generic[C]):
    """A named condition on a transition: a pure function of a context, and its reason in words.

    ``reason`` says what must hold; it is the rejection reason when ``check`` answers false.
    It is data, not a docstring, so it survives ``python -OO``.
    """

    name: str
    reason: str
    check: Callable[[C], bool] = attrs.field(repr=False)

    def __call__(self, context: C) -> bool:
        """Whether the condition holds in ``context``."""
        return self.check(context)


def guard(reason: str) -> Callable[[Callable[[C], bool]], Guard[C]]:
    """Declare a guard from a function: its name is the function's, its reason ``reason``.

    >>> @guard("the answer must be yes")
    ... def said_yes(ctx: dict[str, bool]) -> bool:
    ...     return ctx["yes"]
    >>> said_yes.name, said_yes.reason, said_yes({"yes": False})
    ('said_yes', 'the answer must be yes', False)
    """

    def declare(check: Callable[[C], bool]) -> Guard[C]:
        return Guard(check.__name__, " ".join(reason.split()), check)

    return declare


@attrs.frozen
class _Edge:
    dest: str
    guards: tuple[str, ...]


class Route(Generic[C]):
    """A route of the procedure: a ``transitions`` machine declared as data.

    ``states`` in order; ``initial``; ``final`` (nothing may leave them); ``transitions`` as
    ``transitions`` dicts (``trigger``, ``source`` (a state or a list), ``dest``,
    ``conditions``); ``guards`` the :class:`Guard` values the conditions name. A declaration
    that names a state it does not declare, or is otherwise unsound, raises
    :class:`~complaint_workflow.errors.RouteDefinitionError` naming the offenders.
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
        guards: Iterable[Guard[C]] = (),
    ) -> None:
        self.name: Final = name
        self.title: Final = title
        self.states: Final = tuple(states)
        self.initial: Final = initial
        self.final: Final = frozenset(final)
        self.transitions: Final = tuple(dict(t) for t in transitions)
        self.guards: Final[Mapping[str, Guard[C]]] = _by_name(name, guards)
        _check_declaration(name, self.states, initial, self.final, self.transitions)
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
                check = self.guards[guard_name]
                if not check.check(context):
                    failed = check.reason
                    break
            else:
                return edge.dest
        return _Refusal(f"{self.name}: {failed}")

    # ----------------------------------------------------------------- structure

    def _check(self) -> None:
        problems: list[str] = []
        states = set(self.states)
        if not self.final:
            problems.append("no final state")
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


def _by_name(route: str, guards: Iterable[Guard[C]]) -> dict[str, Guard[C]]:
    out: dict[str, Guard[C]] = {}
    for g in guards:
        if not isinstance(g, Guard):
            raise RouteDefinitionError(
                f"route {route!r}: guards must be Guard values (got {type(g).__name__})"
            )
        if g.name in out:
            raise RouteDefinitionError(f"route {route!r}: guard {g.name!r} is declared twice")
        out[g.name] = g
    return out


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _check_declaration(
    route: str,
    states: tuple[str, ...],
    initial: str,
    final: frozenset[str],
    transitions: tuple[dict[str, Any], ...],
) -> None:
    """Refuse a declaration naming what it does not declare, before ``transitions`` sees it
    (it would add an unknown initial state silently, and keep an unknown destination)."""
    problems: list[str] = []
    declared = set(states)
    if len(declared) != len(states):
        problems.append(
            f"states declared twice {sorted({s for s in states if states.count(s) > 1})}"
        )
    if initial not in declared:
        problems.append(f"initial state {initial!r} is not a declared state")
    if final - declared:
        problems.append(f"final states {sorted(final - declared)} are not declared states")
    sources: set[str] = set()
    dests: set[str] = set()
    for i, t in enumerate(transitions):
        unknown = sorted(set(t) - _KEYS)
        if unknown:
            problems.append(f"transition {i} has unknown keys {unknown}")
        if not isinstance(t.get("trigger"), str):
            problems.append(f"transition {i} has no trigger")
        sources.update(_listed(t.get("source")))
        if t.get("dest") is not None:
            dests.add(t["dest"])
    if sources - declared:
        problems.append(f"sources {sorted(map(str, sources - declared))} are not declared states")
    if dests - declared:
        problems.append(
            f"destinations {sorted(map(str, dests - declared))} are not declared states"
        )
    if problems:
        raise RouteDefinitionError(f"route {route!r}: " + "; ".join(problems))


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
