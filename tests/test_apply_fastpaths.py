"""The shortcuts ``Complaint.apply`` takes are equal to the plain ways they replace.

Three shortcuts: frozen values built by :func:`complaint_workflow._frozen.builder`, London's
offset looked up by UTC day for an event's stored time, and route states shared by value.
Each is compared with the plain way on real and generated inputs, and each comparison is
shown to catch a seeded bug.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_workflow import LONDON, Complaint, Policy, WorkingDayCalendar, plans
from complaint_workflow import complaint as complaint_module
from complaint_workflow._frozen import builder, evolver
from complaint_workflow.calendar import as_london
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.events import FIRST_YEAR, LAST_YEAR
from complaint_workflow.gate import eligibility_of
from complaint_workflow.rules import ScalarOps, compile_policy
from complaint_workflow.situation import Context, RouteStates, Situation, eligibility
from complaint_workflow.vocabulary import COMPLAINANTS

from .strategies import instants, policies

# --------------------------------------------------------------------- frozen builders


def _agrees(build: Callable[..., Any], cls: type[Any], values: tuple[Any, ...]) -> bool:
    """Whether ``build(*values)`` is what ``cls(*values)`` makes: same class, same fields."""
    made, plain = build(*values), cls(*values)
    names = [f.name for f in attrs.fields(cls)]
    return type(made) is cls and all(getattr(made, n) is getattr(plain, n) for n in names)


def _complaints() -> list[Complaint]:
    out = []
    for s in SCENARIOS:
        c = Complaint.open(**s.facts)
        for event in s.events:
            c = c.apply(event)
            out.append(c)
    return out


def test_the_builders_make_what_the_classes_make_on_every_scenario_step() -> None:
    """Situation, Complaint and Context built unchecked equal the class's own on real values."""
    situations = builder(Situation)
    for c in _complaints():
        situation = c.situation
        assert _agrees(situations, Situation, attrs.astuple(situation, recurse=False))
        assert _agrees(complaint_module._COMPLAINT, Complaint, attrs.astuple(c, recurse=False))
        context = (situation, c.history[-1], c.policy, c.calendar)
        assert _agrees(complaint_module._CONTEXT, Context, context)
        assert situations(*attrs.astuple(situation, recurse=False)) == situation


def _evolve_checked(
    monkeypatch: pytest.MonkeyPatch, evolve: Callable[..., Situation]
) -> list[bool]:
    """Apply every scenario with ``evolve`` as next_situation; whether each step agreed with
    ``attrs.evolve`` (field by field, the situation's own ``eq=False`` field included)."""
    agreed: list[bool] = []

    def checked(s: Situation, states: RouteStates, at: datetime, changes: Any) -> Situation:
        made = evolve(s, states, at, changes)
        plain = attrs.evolve(s, states=states, last_at=at, **changes)
        agreed.append(
            type(made) is Situation
            and attrs.astuple(made, recurse=False) == attrs.astuple(plain, recurse=False)
        )
        return plain

    monkeypatch.setattr(complaint_module, "next_situation", checked)
    _complaints()
    return agreed


def test_the_next_situation_is_what_attrs_evolve_makes_on_every_scenario_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every situation change of every demo scenario, made unchecked, equals attrs.evolve."""
    agreed = _evolve_checked(monkeypatch, plans.next_situation)
    assert len(agreed) > 50
    assert all(agreed)


def test_the_evolve_check_catches_a_copy_that_drops_the_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seeded bug: a copy that forgets the event's own changes fails the check."""

    def forgetful(s: Situation, states: RouteStates, at: datetime, changes: Any) -> Situation:
        return plans.next_situation(s, states, at, {})

    assert not all(_evolve_checked(monkeypatch, forgetful))


def test_an_evolver_refuses_a_name_that_is_not_a_field() -> None:
    """A change naming no field raises, and an unknown always-field is refused up front."""
    c = _complaints()[0]
    with pytest.raises(AttributeError):
        plans.next_situation(c.situation, c.situation.states, c.last_at, {"no_such": 1})
    with pytest.raises(TypeError, match="no fields"):
        evolver(Situation, always=("no_such",))


@given(st.lists(st.integers() | st.text(max_size=3) | st.none(), min_size=4, max_size=4))
def test_a_built_value_is_as_frozen_and_comparable_as_a_plain_one(values: list[Any]) -> None:
    """A built value refuses attribute stores and compares and hashes like the plain one."""
    made = complaint_module._CONTEXT(*values)
    plain = Context(*values)
    assert made == plain
    assert hash(made) == hash(plain)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.policy = None  # type: ignore[misc, assignment]


def test_the_agreement_check_catches_a_builder_that_swaps_two_fields() -> None:
    """Seeded bug: a builder storing two fields the wrong way round fails the check."""
    values = (object(), object(), object(), object())
    good = complaint_module._CONTEXT

    def swapped(a: Any, b: Any, c: Any, d: Any) -> Any:
        return good(a, c, b, d)

    assert _agrees(good, Context, values)
    assert not _agrees(swapped, Context, values)


@attrs.frozen
class _WithWeakref:
    a: int


@attrs.define(weakref_slot=False)
class _Mutable:
    a: int


@attrs.frozen(weakref_slot=False)
class _Validated:
    a: int = attrs.field(validator=attrs.validators.instance_of(int))


@attrs.frozen(weakref_slot=False)
class _PostInit:
    a: int

    def __attrs_post_init__(self) -> None:
        pass


@attrs.frozen(weakref_slot=False)
class _PreInit:
    a: int

    def __attrs_pre_init__(self) -> None:
        pass


@attrs.frozen(weakref_slot=False)
class _InitFalse:
    a: int
    b: list[int] = attrs.field(init=False, factory=list)


@attrs.frozen(weakref_slot=False, cache_hash=True)
class _CachedHash:
    a: int


@attrs.frozen(weakref_slot=False)
class _Aliased:
    _a: int


@attrs.frozen(weakref_slot=False)
class _Base:
    a: int


@attrs.frozen(weakref_slot=False)
class _Derived(_Base):
    b: int


@pytest.mark.parametrize(
    ("cls", "why"),
    [
        (_WithWeakref, "weak-reference slot"),
        (_Mutable, "not frozen"),
        (_Validated, "validator"),
        (_PostInit, "__attrs_post_init__"),
        (_PreInit, "__attrs_pre_init__"),
        (_InitFalse, "init=False"),
        (_CachedHash, "cached hash"),
        (_Derived, "base class"),
    ],
)
def test_a_class_that_would_lose_a_check_gets_no_builder(cls: type[Any], why: str) -> None:
    """builder and evolver refuse a class whose own constructor does more than store its
    fields."""
    with pytest.raises(TypeError, match=why):
        builder(cls)
    with pytest.raises(TypeError, match=why):
        evolver(cls)


def test_an_evolver_refuses_fields_given_to_init_by_another_name() -> None:
    """A private field is given to attrs.evolve by its alias: no evolver for such a class,
    while a positional builder (which names no field) is fine."""
    with pytest.raises(TypeError, match="another name"):
        evolver(_Aliased)
    assert builder(_Aliased)(1) == _Aliased(1)


# --------------------------------------------------------------------- stored times


def _plain_fixed_offset(at: datetime) -> datetime:
    """The stored time the long way: through UTC, London's offset at that instant."""
    utc = at.astimezone(UTC)
    return utc.astimezone(timezone(utc.astimezone(LONDON).utcoffset() or timedelta(0)))


def _same(a: datetime, b: datetime) -> bool:
    return (
        a == b
        and a.utcoffset() == b.utcoffset()
        and a.replace(tzinfo=None) == b.replace(tzinfo=None)
    )


def _change_instants() -> list[datetime]:
    """Every instant London's offset changed in the years events may use, found day by day."""
    out = []
    day = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    offset = day.astimezone(LONDON).utcoffset()
    while day.year <= LAST_YEAR:
        nxt = day + timedelta(days=1)
        if nxt.astimezone(LONDON).utcoffset() != offset:
            lo, hi = day, nxt  # bisect to the microsecond
            while hi - lo > timedelta(microseconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(LONDON).utcoffset() == offset:
                    lo = mid
                else:
                    hi = mid
            out.append(hi)
            offset = nxt.astimezone(LONDON).utcoffset()
        day = nxt
    return out


CHANGES = _change_instants()


def _near_changes() -> list[datetime]:
    near = []
    for change in CHANGES:
        for delta in (-1, 0, 1):
            near.append(change + timedelta(microseconds=delta))
        for hours in range(-26, 27, 3):
            near.append(change + timedelta(hours=hours, minutes=30))
    return near


def test_the_day_table_agrees_with_the_zone_data_around_every_clock_change() -> None:
    """Around each change 1900-2199, to the microsecond, the stored time is the long way's."""
    assert len(CHANGES) > 2 * (LAST_YEAR - 2000)  # two a year at least since then
    for instant in _near_changes():
        for at in (instant, instant.astimezone(LONDON), instant.astimezone(UTC)):
            assert _same(complaint_module._fixed_offset(at), _plain_fixed_offset(at)), at


@given(
    st.datetimes(min_value=datetime(FIRST_YEAR, 1, 2), max_value=datetime(LAST_YEAR, 12, 30)),
    st.sampled_from([LONDON, UTC, timezone(timedelta(hours=5, minutes=45))]),
    st.integers(0, 1),
)
def test_the_day_table_agrees_with_the_zone_data_anywhere(
    wall: datetime, zone: Any, fold: int
) -> None:
    """Any aware time 1900-2199, in London (skipped or repeated included) or elsewhere."""
    at = wall.replace(tzinfo=zone, fold=fold)
    assert _same(complaint_module._fixed_offset(at), _plain_fixed_offset(at))


def test_the_check_catches_a_table_that_ignores_a_change_during_the_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seeded bug: a day table that keeps the offset of the day's start fails the check."""

    def start_of_day(day: int) -> timezone:
        start = datetime.combine(date.fromordinal(day), datetime.min.time(), UTC)
        return timezone(start.astimezone(LONDON).utcoffset() or timedelta(0))

    table: dict[int, timezone | None] = {}
    monkeypatch.setattr(complaint_module, "_ZONE_ON", table)
    monkeypatch.setattr(complaint_module, "_london_zone_on", start_of_day)
    wrong = [
        at
        for at in _near_changes()
        if not _same(complaint_module._fixed_offset(at), _plain_fixed_offset(at))
    ]
    assert wrong


# --------------------------------------------------------------------- route states


def test_route_states_are_shared_by_value_and_equal_to_new_ones() -> None:
    """The same states give the one shared value, equal to a freshly made one."""
    states = {
        "intake": "with-cst",
        "procedure": "awaiting-contact",
        "court": "not-needed",
        "child": None,
        "quick_fix": None,
        "outside": None,
    }
    first, second = plans.route_states(dict(states)), plans.route_states(dict(states))
    assert first is second
    assert first == RouteStates(**states)  # type: ignore[arg-type]
    assert plans.states_dict(first) == states


def test_the_shared_route_states_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the bound, new combinations are made but not kept."""
    monkeypatch.setattr(plans, "_ROUTE_STATES", {})
    monkeypatch.setattr(plans, "_ROUTE_STATES_KEPT", 2)
    made = [
        plans.route_states(
            {
                "intake": f"s{i}",
                "procedure": None,
                "court": None,
                "child": None,
                "quick_fix": None,
                "outside": None,
            }
        )
        for i in range(5)
    ]
    assert [m.intake for m in made] == [f"s{i}" for i in range(5)]
    assert len(plans._ROUTE_STATES) == 2


# --------------------------------------------------------------------- the gate, case ongoing

BUILT_IN = [Policy.builtin(i) for i in Policy.builtin_ids()]


@given(
    policy=st.one_of(
        st.sampled_from([Policy.builtin(i) for i in Policy.builtin_ids()]), policies()
    ),
    received=instants(),
    complainant=st.sampled_from(COMPLAINANTS),
)
def test_the_gate_of_an_ongoing_case_is_what_the_full_rule_gives(
    policy: Policy, received: datetime, complainant: Any
) -> None:
    """With no end of involvement the shortcut gives the gate the whole six-month rule gives."""
    calendar = WorkingDayCalendar.england_and_wales()
    c = Complaint.open(
        complaint_id="c", complainant=complainant, received_at=received, policy=policy
    )
    assert c.situation.involvement_ended is None
    day = as_london(received).date()
    deemed = calendar.deemed_receipt(received, policy.parameters.cutoff)
    # has_ended=0: falsy, but not the False the scalar shortcut looks for, so every step runs
    late, _, _ = compile_policy(policy).late(  # type: ignore[misc]
        service_user=True,
        ended=day,
        has_ended=0,
        received=day,
        deemed=deemed,
        ops=ScalarOps(calendar, policy.parameters),
    )
    whole = eligibility(complainant, None, day, deemed, policy, calendar)
    assert not late
    assert eligibility_of(c.situation, policy, calendar) == whole == c.eligibility


def test_the_gate_check_catches_a_shortcut_that_calls_every_ongoing_case_late(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seeded bug: a shortcut answering "exceptional-circumstances" differs from the rule."""
    from complaint_workflow import gate

    c = Complaint.open(
        complaint_id="c", complainant="adult", received_at=datetime(2024, 6, 3, 10, tzinfo=LONDON)
    )
    before = gate.eligibility_of(c.situation, c.policy, c.calendar)
    monkeypatch.setattr(gate, "eligibility", lambda *a: "exceptional-circumstances")
    assert gate.eligibility_of(c.situation, c.policy, c.calendar) != before
