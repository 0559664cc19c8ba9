"""The rules: every target of a policy compiled once, evaluated over scalars or arrays alike.

A policy's :class:`~complaint_workflow.policy.Target` s say, as data, when each obligation
applies (routes, triggers, a met act that keeps it listed), what it counts from (its anchor,
and whether a later start of the procedure's clock restarts it), how it is measured, when it
is not owed at all (weighed against a limit it would fall after) and when it can never be met
(counted back from a hearing already too close). :func:`compile_policy` turns those into one
:class:`RuleSet`, written once against :class:`Ops`: a small set of operations that both a
single complaint (Python bools and dates, :class:`ScalarOps`) and a million complaints
(numpy masks and day numbers, in :mod:`complaint_workflow.analysis.deadlines`) provide. So
:func:`~complaint_workflow.analysis.due_dates` and the scalar evaluation make every decision
in the same code, and cannot disagree; statuses (met, breached, extended ...) are the scalar
path's alone, since they need the history.

:func:`~complaint_workflow.obligations.derive_obligations` reads one complaint's answers from
:meth:`RuleSet.answers`, which is :meth:`RuleSet.evaluate` over :class:`ScalarOps` (over just
the rules asked for, when only some targets are wanted): one writing of the rules serves both.

The six-month rule is the policy's limit on the complainant (the target ``owed_by =
"complainant"``); :meth:`RuleSet.late` decides the intake gate from it, for both paths too.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Generic, Protocol, TypeVar

import attrs

from .calendar import WorkingDayCalendar
from .policy import Parameters, Policy, Target

__all__ = ["Due", "Facts", "Ops", "Rule", "RuleSet", "ScalarOps", "compile_policy"]

B = TypeVar("B")
"""A truth value: a ``bool`` for one complaint, a numpy bool mask for many."""
D = TypeVar("D")
"""A date: a ``datetime.date`` for one complaint, an array of day numbers for many."""


class Ops(Protocol[B, D]):
    """What the rules need of truth values and dates; each evaluator provides them."""

    def true(self) -> B:
        """True everywhere."""
        ...

    def false(self) -> B:
        """False everywhere."""
        ...

    def and_(self, a: B, b: B) -> B:
        """Both."""
        ...

    def or_(self, a: B, b: B) -> B:
        """Either."""
        ...

    def not_(self, a: B) -> B:
        """Not."""
        ...

    def lt(self, a: D, b: D) -> B:
        """``a`` is before ``b``."""
        ...

    def ge(self, a: D, b: D) -> B:
        """``a`` is on or after ``b``."""
        ...

    def where(self, cond: B, a: D, b: D) -> D:
        """``a`` where ``cond``, else ``b``."""
        ...

    def maximum(self, a: D, b: D) -> D:
        """The later of ``a`` and ``b``."""
        ...

    def some(self, a: B) -> bool:
        """Whether ``a`` holds anywhere (to skip work nothing needs)."""
        ...

    def due(self, target: Target, anchor: D, valid: B) -> D:
        """``target``'s due date from ``anchor`` (used only where ``valid``)."""
        ...


@attrs.frozen
class Facts(Generic[B, D]):
    """What the rules read of one complaint (or of many, element by element).

    ``anchors`` maps each anchor other than ``receipt`` to ``(day, present)``: where an anchor
    is absent its day is a placeholder (day 0) that no rule uses.
    """

    on_route: Mapping[str, B]
    """Each policy route (``Target.routes``) the complaint is on."""
    triggered: Mapping[str, B]
    """Each trigger (``child`` and the five aspects) that holds."""
    done: Mapping[str, B]
    """Each act (``Target.met_by``) that has been done."""
    receipt: D
    """Day 0 of the actual receipt (the latest re-submission)."""
    clock: D
    """Day 0 of the procedure's clock: later than ``receipt`` after a quick fix escalated or a
    late complaint accepted, when the parameters say so."""
    hearing_known: D
    """The London date the current hearing became known."""
    anchors: Mapping[str, tuple[D, B]]


@attrs.frozen
class Due(Generic[B, D]):
    """One target's answer: whether it is owed, its due date, whether it was impossible."""

    owed: B
    due: D
    impossible: B


@attrs.frozen
class Rule:
    """One target, compiled: the decisions that make it an obligation."""

    target: Target

    def applies(self, facts: Facts[B, D], ops: Ops[B, D]) -> B:
        """On one of its routes (or met and kept when met), and triggered where it has triggers."""
        t = self.target
        on = _any(ops, [facts.on_route[r] for r in t.routes])
        if t.kept_when_met:
            on = ops.or_(on, facts.done[t.met_by])
        if t.triggers:
            on = ops.and_(on, _any(ops, [facts.triggered[name] for name in t.triggers]))
        return on

    def anchor(self, facts: Facts[B, D], ops: Ops[B, D]) -> tuple[D, B]:
        """The day it counts from, and where there is one."""
        t = self.target
        if t.anchor == "receipt":
            return (facts.clock if t.restarts else facts.receipt), ops.true()
        return facts.anchors[t.anchor]

    def impossible(self, due: D, facts: Facts[B, D], ops: Ops[B, D]) -> B:
        """Counted back from the hearing, already past on the day the hearing became known."""
        if not self.target.backward:
            return ops.false()
        return ops.lt(due, ops.maximum(facts.receipt, facts.hearing_known))


_SUBSETS_KEPT = 32
"""How many sets of targets asked of :meth:`RuleSet.answers` it keeps the rules of, per
policy (the response targets, a court update ...); others are picked out each time."""


@attrs.frozen
class RuleSet:
    """A policy's rules: every target Cafcass owes, and the complainant's limit."""

    policy: Policy
    rules: tuple[Rule, ...]
    limit: Rule | None
    """The limit on the complainant (the six-month rule), or ``None``."""
    _subsets: dict[frozenset[str], RuleSet] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )
    # For answers(only=...): the rules those ids need, as a RuleSet of their own.

    @property
    def parameters(self) -> Parameters:
        """The policy's parameters."""
        return self.policy.parameters

    def evaluate(self, facts: Facts[B, D], ops: Ops[B, D]) -> dict[str, Due[B, D]]:
        """Every target's answer, by target id, in the policy's order."""
        out: dict[str, Due[B, D]] = {}
        for rule in self.rules:
            owed = rule.applies(facts, ops)
            day, present = rule.anchor(facts, ops)
            owed = ops.and_(owed, present)
            if not ops.some(owed):
                out[rule.target.id] = Due(owed, day, ops.false())
                continue
            due = ops.due(rule.target, day, owed)
            out[rule.target.id] = Due(owed, due, rule.impossible(due, facts, ops))
        if self.parameters.response_before_hearing == "only-if-before-limit":
            for rule in self.rules:
                if rule.target.weighed_against:
                    out[rule.target.id] = self._weighed(rule, out, ops)
        return out

    def answers(
        self,
        facts: Facts[bool, date],
        calendar: WorkingDayCalendar,
        only: frozenset[str] | None = None,
    ) -> dict[str, Due[bool, date]]:
        """:meth:`evaluate` for one complaint, over :class:`ScalarOps` on ``calendar``.

        With ``only``, just those targets' answers (and those of whatever they are weighed
        against) are worked out, by the same :meth:`evaluate` over just those rules; the
        others are left out. The rules are written once: this is a narrower question, not a
        second implementation.
        """
        rules = self if only is None else self._subset(only)
        return rules.evaluate(facts, ScalarOps(calendar, self.parameters))

    def _subset(self, only: frozenset[str]) -> RuleSet:
        """The rules for ``only``: the ids asked for and, when targets are weighed, every
        target they are weighed against (in the policy's order)."""
        found = self._subsets.get(only)
        if found is not None:
            return found
        wanted = set(only)
        if self.parameters.response_before_hearing == "only-if-before-limit":
            by_id = {r.target.id: r.target for r in self.rules}
            todo = [i for i in wanted if i in by_id]
            while todo:
                for other in by_id[todo.pop()].weighed_against:
                    if other in by_id and other not in wanted:
                        wanted.add(other)
                        todo.append(other)
        found = RuleSet(
            policy=self.policy,
            rules=tuple(r for r in self.rules if r.target.id in wanted),
            limit=self.limit,
        )
        if len(self._subsets) < _SUBSETS_KEPT:
            self._subsets[only] = found
        return found

    def _weighed(self, rule: Rule, out: Mapping[str, Due[B, D]], ops: Ops[B, D]) -> Due[B, D]:
        """Owed only where it falls before the first of its limits that applies."""
        mine = out[rule.target.id]
        limits = [out[i] for i in rule.target.weighed_against if i in out and i != rule.target.id]
        if not limits or not ops.some(mine.owed):
            return mine
        limit_due, has_limit = limits[-1].due, limits[-1].owed
        for limit in reversed(limits[:-1]):
            limit_due = ops.where(limit.owed, limit.due, limit_due)
            has_limit = ops.or_(limit.owed, has_limit)
        after = ops.and_(has_limit, ops.ge(mine.due, limit_due))
        return Due(ops.and_(mine.owed, ops.not_(after)), mine.due, mine.impossible)

    def late(
        self,
        *,
        service_user: B,
        ended: D,
        has_ended: B,
        received: D,
        deemed: D,
        ops: Ops[B, D],
    ) -> tuple[B, D, B]:
        """The six-month gate: ``(late, limit, has_limit)``.

        A service user's complaint is late when the day compared (the London date received, or
        day 0, as ``six_month_compares`` says) falls after the limit counted from the day
        involvement ended; received on the limit is in time.
        """
        if self.limit is None or has_ended is False:  # nothing to count from (one complaint)
            return ops.false(), received, ops.false()
        limit = ops.due(self.limit.target, ended, has_ended)
        compared = received if self.parameters.six_month_compares == "received-date" else deemed
        late = ops.and_(ops.and_(service_user, has_ended), ops.lt(limit, compared))
        return late, limit, has_ended


def _any(ops: Ops[B, D], values: Sequence[B]) -> B:
    result = ops.false()
    for value in values:
        result = ops.or_(result, value)
    return result


@functools.lru_cache(maxsize=64)
def compile_policy(policy: Policy) -> RuleSet:
    """A policy's :class:`RuleSet` (compiled once per policy value)."""
    rules = tuple(Rule(t) for t in policy.targets if t.owed_by == "cafcass")
    limit = next((Rule(t) for t in policy.targets if t.owed_by == "complainant"), None)
    return RuleSet(policy=policy, rules=rules, limit=limit)


class ScalarOps:
    """:class:`Ops` for one complaint: Python bools and ``datetime.date`` s."""

    __slots__ = ("calendar", "parameters")

    def __init__(self, calendar: WorkingDayCalendar, parameters: Parameters) -> None:
        self.calendar = calendar
        self.parameters = parameters

    def true(self) -> bool:
        """True."""
        return True

    def false(self) -> bool:
        """False."""
        return False

    def and_(self, a: bool, b: bool) -> bool:
        """Both."""
        return a and b

    def or_(self, a: bool, b: bool) -> bool:
        """Either."""
        return a or b

    def not_(self, a: bool) -> bool:
        """Not."""
        return not a

    def lt(self, a: date, b: date) -> bool:
        """``a`` is before ``b``."""
        return a < b

    def ge(self, a: date, b: date) -> bool:
        """``a`` is on or after ``b``."""
        return a >= b

    def where(self, cond: bool, a: date, b: date) -> date:
        """``a`` if ``cond`` else ``b``."""
        return a if cond else b

    def maximum(self, a: date, b: date) -> date:
        """The later date."""
        return max(a, b)

    def some(self, a: bool) -> bool:
        """``a`` itself."""
        return a

    def due(self, target: Target, anchor: date, valid: bool) -> date:
        """``Target.due`` on this calendar."""
        return target.due(anchor, self.calendar, self.parameters)
