"""The one-complaint fast paths give the answers of the general paths they stand in for.

:meth:`RuleSet.answers` asked for some targets (only their rules, and those they are weighed
against) against its answers for all; :func:`derive_obligations` against the derivation as it
was written before; :func:`first_obligation` (only the targets asked for) against picking from
every obligation. The histories are simulated caseloads and
the demo's scenarios; each property is shown to fail on a seeded bug.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from complaint_workflow import Complaint, Policy, WorkingDayCalendar
from complaint_workflow import obligations as obl
from complaint_workflow.calendar import as_london, end_of_day
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.obligations import (
    RESPONSE_TARGETS,
    Obligation,
    derive_forward_only,
    derive_obligations,
    situation_facts,
)
from complaint_workflow.rules import Facts, RuleSet, ScalarOps, compile_policy
from complaint_workflow.situation import Situation

from .strategies import rich_policies, scalar_facts

pytest.importorskip("numpy")

CALENDAR = WorkingDayCalendar.england_and_wales()
_US = timedelta(microseconds=1)


# ------------------------------------------------------------------ the general paths


def general_obligations(
    situation: Situation, policy: Policy, calendar: WorkingDayCalendar, at: datetime
) -> tuple[Obligation, ...]:
    """The derivation as written before the scalar path: every answer from ``evaluate`` over
    ``ScalarOps``, each act's instant from ``Situation.done_at``."""
    at = as_london(at, "at")
    params = policy.parameters
    rules = compile_policy(policy)
    answers = rules.evaluate(
        situation_facts(situation, policy, calendar), ScalarOps(calendar, params)
    )
    out = []
    for rule in rules.rules:
        answer = answers[rule.target.id]
        if not answer.owed:
            continue
        target = rule.target
        met_at = situation.done_at(target.met_by)
        due = original = answer.due
        if params.delay_extends and situation.delays:
            cached = situation.extensions.get(target.id)
            if cached is not None and cached[0] == original:
                due = cached[1]
            elif cached is not None or not situation.extensions:
                for delay in situation.delays:
                    if delay.obligation == target.id:
                        due = obl.extended(due, delay)
        out.append(
            Obligation(
                id=target.id,
                due=due,
                strength=target.strength,
                clause=target.clause,
                status=obl._status(
                    target.strength,
                    due,
                    met_at,
                    answer.impossible,
                    due != original,
                    at,
                    calendar,
                    params.at_risk_working_days,
                ),
                description=target.description,
                met_at=met_at,
                extended_from=original if due != original else None,
                overdue=met_at is None
                and not answer.impossible
                and target.strength == "target"
                and at >= end_of_day(due),
            )
        )
    return tuple(out)


# ------------------------------------------------------------------ the histories


@functools.cache
def complaints() -> tuple[Complaint, ...]:
    """Simulated caseloads under both built-ins (delays, moved hearings, quick fixes, late
    complaints ...) and the demo's scenarios, each complaint after its last event."""
    from complaint_workflow.analysis.simulate import SimulationParameters, simulate

    small = SimulationParameters(complaints_per_year=160, compliments_per_year=1)
    out: list[Complaint] = []
    for policy in Policy.builtin_ids():
        for seed in (1, 2):
            sim = simulate(policy, years=1, seed=seed, parameters=small)
            out.extend(Complaint.replay(h, calendar=sim.calendar) for h in sim.histories)
    for scenario in SCENARIOS:
        for policy in Policy.builtin_ids():
            c = Complaint.open(policy=policy, **scenario.facts)
            for event in scenario.events:
                c = c.apply(event)
            out.append(c)
    return tuple(out)


@st.composite
def moments(draw: st.DrawFn) -> tuple[Complaint, datetime]:
    """A complaint and an instant from its opening on: an event's, one either side of it,
    the last instant of a due date or the first after it, or days later."""
    pool = complaints()
    c = pool[draw(st.integers(0, len(pool) - 1))]  # an index: a short repr in reports
    times = [e.at for e in c.history]
    dues = [o.due for o in c.obligations(c.last_at)]
    kind = draw(st.sampled_from(["event", "due", "later"] if dues else ["event", "later"]))
    if kind == "event":
        at = draw(st.sampled_from(times)) + draw(st.sampled_from([-_US, timedelta(0), _US]))
    elif kind == "due":
        at = end_of_day(draw(st.sampled_from(dues))) + draw(st.sampled_from([-_US, timedelta(0)]))
    else:
        at = c.last_at + timedelta(days=draw(st.integers(0, 90)), hours=draw(st.integers(0, 23)))
    return c, max(at, times[0])


def _as_of(c: Complaint, at: datetime) -> Complaint:
    earlier = c.as_of(at)
    assert earlier is not None  # moments() never draws an instant before the opening
    return earlier


# ------------------------------------------------------------------ the properties

_AT_MOST = settings(max_examples=min(settings.default.max_examples, 200))
"""The profile's examples, at most 200: each builds a calendar or replays a history."""


@_AT_MOST
@given(rich_policies(), scalar_facts(), st.data())
def test_answers_for_some_targets_equal_those_of_all(
    policy: Policy, facts: Facts[bool, Any], data: st.DataObject
) -> None:
    """Asked for some targets (each alone, then a drawn few), ``answers`` gives each of them
    the answer it has among all: a weighed target is still weighed against its limits."""
    rules = compile_policy(policy)
    every = rules.answers(facts, CALENDAR)
    ids = [r.target.id for r in rules.rules]
    picks = [{i} for i in ids]
    picks.append(set(data.draw(st.lists(st.sampled_from([*ids, "not-a-target"]), max_size=4))))
    for only in picks:
        some = rules.answers(facts, CALENDAR, frozenset(only))
        assert set(some) >= (only & set(ids))
        assert all(some[i] == every[i] for i in some)


@_AT_MOST
@given(moments(), st.one_of(st.none(), rich_policies()))
def test_obligations_equal_the_general_derivation(
    moment: tuple[Complaint, datetime], other: Policy | None
) -> None:
    """``derive_obligations`` of any simulated or demo situation, under its own policy or
    another, at any instant, equals the derivation written over ``evaluate``."""
    c, at = moment
    earlier = _as_of(c, at)
    policy = earlier.policy if other is None else other
    expected = general_obligations(earlier.situation, policy, c.calendar, at)
    assert derive_obligations(earlier.situation, policy, c.calendar, at) == expected


@_AT_MOST
@given(moments(), st.data())
def test_first_obligation_equals_the_first_listed(
    moment: tuple[Complaint, datetime], data: st.DataObject
) -> None:
    """``first_obligation`` is the first of the ids asked for among every obligation at that
    instant, under one policy or (from a drawn event on) a second one."""
    c, at = moment
    earlier = _as_of(c, at)
    eras = earlier.eras
    if data.draw(st.booleans()):
        changed = data.draw(st.sampled_from([e.at for e in earlier.history]))
        eras = (*eras, (data.draw(rich_policies()), changed))
    ids = data.draw(
        st.one_of(
            st.just(RESPONSE_TARGETS),
            st.lists(st.sampled_from([*(o.id for o in c.obligations(c.last_at)), "nope"])),
        )
    )
    owed = derive_forward_only(earlier.situation, eras, c.calendar, at)
    expected = next((o for i in ids for o in owed if o.id == i), None)
    assert obl.first_obligation(earlier.situation, eras, c.calendar, at, ids) == expected


def test_the_planner_reads_what_the_complaint_lists() -> None:
    """On every simulated and demo complaint, at each of its events, the response the planner
    reads before a delay update, and the court update it checks, are what
    ``Complaint.obligations`` lists (the first of ``RESPONSE_TARGETS``; the ``court-update``)."""
    from complaint_workflow.analysis.planner import _first_owed

    checked = 0
    for c in complaints():
        for event in c.history:
            then = _as_of(c, event.at)  # as the planner holds it: the event is its latest
            owed = {o.id: o for o in then.obligations(event.at)}
            for ids in (RESPONSE_TARGETS, ("court-update",), ("contact", "response")):
                expected = next((owed[t] for t in ids if t in owed), None)
                assert _first_owed(then, event.at, ids) == expected
                checked += expected is not None
    assert checked > 1000


def test_answers_keeps_the_plans_of_a_few_dozen_sets_of_targets() -> None:
    """Asked for a hundred different sets of targets, ``answers`` stays equal to the whole
    evaluation and keeps the plain rules of at most 32 of them (memory stays bounded)."""
    c = complaints()[0]
    rules = compile_policy(c.policy)
    facts = situation_facts(c.situation, c.policy, c.calendar)
    every = rules.answers(facts, c.calendar)
    ids = sorted(every)
    for k in range(100):
        wanted = ids[k % len(ids)]
        some = rules.answers(facts, c.calendar, frozenset({wanted, f"other-{k}"}))
        assert some[wanted] == every[wanted]
    assert 1 <= len(rules._subsets) <= 32


# ------------------------------------------------------------------ the properties can fail


def _limits_left_out(subset: Callable[..., Any]) -> Callable[..., Any]:
    """A seeded bug: asked for some targets, the ones they are weighed against are left out."""

    def broken(self: RuleSet, only: frozenset[str]) -> RuleSet:
        rules = tuple(r for r in self.rules if r.target.id in only)
        return RuleSet(policy=self.policy, rules=rules, limit=self.limit)

    return broken


def _first_owed_dropped(answers: Callable[..., Any]) -> Callable[..., Any]:
    """A seeded bug: the first target owed is answered as not owed."""

    def broken(self: RuleSet, facts: Any, calendar: Any, only: Any = None) -> Any:
        out = dict(answers(self, facts, calendar, only))
        owed = [i for i, answer in out.items() if answer.owed]
        if owed:
            out[owed[0]] = attrs.evolve(out[owed[0]], owed=False)
        return out

    return broken


def _policy_order(
    situation: Situation, eras: Any, calendar: Any, at: datetime, ids: Sequence[str]
) -> Obligation | None:
    """A seeded bug: the first obligation in the policy's order, not in the order asked."""
    owed = derive_forward_only(situation, eras, calendar, at)
    return next((o for o in owed if o.id in ids), None)


def _run_quickly(prop: Any) -> None:
    """Run a property above afresh (its own strategies, a fixed seed, more examples)."""
    strategies = _STRATEGIES[prop.__name__]()
    _QUICK(given(*strategies)(prop.hypothesis.inner_test))()


_STRATEGIES: dict[str, Callable[[], tuple[st.SearchStrategy[Any], ...]]] = {
    "test_answers_for_some_targets_equal_those_of_all": lambda: (
        rich_policies(),
        scalar_facts(),
        st.data(),
    ),
    "test_obligations_equal_the_general_derivation": lambda: (
        moments(),
        st.one_of(st.none(), rich_policies()),
    ),
    "test_first_obligation_equals_the_first_listed": lambda: (moments(), st.data()),
}

_QUICK = settings(
    phases=[Phase.generate],
    report_multiple_bugs=False,
    max_examples=600,
    deadline=None,
    database=None,
    derandomize=True,
)


_QUIET = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
"""The failing examples' reports hold whole policies: long, and only read when debugging."""


@_QUIET
@pytest.mark.parametrize(
    ("name", "bug", "prop"),
    [
        ("_subset", _limits_left_out, test_answers_for_some_targets_equal_those_of_all),
        ("answers", _first_owed_dropped, test_obligations_equal_the_general_derivation),
    ],
)
def test_the_rules_properties_catch_seeded_bugs(
    monkeypatch: pytest.MonkeyPatch, name: str, bug: Callable[..., Any], prop: Any
) -> None:
    """Each property fails when the one-complaint path is broken in one way."""
    monkeypatch.setattr(RuleSet, name, bug(getattr(RuleSet, name)))
    with pytest.raises(AssertionError):
        _run_quickly(prop)


@_QUIET
def test_the_first_obligation_property_catches_a_seeded_bug(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The ``first_obligation`` property fails when it answers in the policy's order."""
    monkeypatch.setattr(obl, "first_obligation", _policy_order)
    with pytest.raises(AssertionError):
        _run_quickly(test_first_obligation_equals_the_first_listed)
