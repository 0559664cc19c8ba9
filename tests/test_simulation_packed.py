"""A simulation keeps its histories packed; reading them gives back the very events."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from complaint_workflow import LONDON, Complaint
from complaint_workflow import events as ev
from complaint_workflow.analysis.simulate import PackedHistories
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.errors import InvalidInputError

# the module itself (the package exports a function of the same name)
simulate_module = importlib.import_module("complaint_workflow.analysis.simulate")


def _demo_histories() -> list[tuple[ev.Event, ...]]:
    out = []
    for s in SCENARIOS:
        c = Complaint.open(**s.facts)
        for e in s.events:
            c = c.apply(e)
        out.append(tuple(c.history))
    return out


def _across_the_clock_change() -> tuple[ev.Event, ...]:
    """A hand-made history with times in the repeated hour of October's clock change (both
    folds, in Europe/London and in a fixed offset), versions in place."""
    bst = timezone(timedelta(hours=1))
    return (
        ev.ComplaintOpened(
            at=datetime(2024, 10, 26, 16, 0, tzinfo=LONDON),
            version=1,
            complaint_id="C-FOLD",
            complainant="adult",
        ),
        ev.ForwardedToCST(at=datetime(2024, 10, 27, 1, 30, tzinfo=LONDON), version=2),
        ev.ContactMade(at=datetime(2024, 10, 27, 1, 30, fold=1, tzinfo=LONDON), version=3),
        ev.Assessed(
            at=datetime(2024, 10, 27, 1, 40, fold=1, tzinfo=bst),
            version=4,
            aspects=("conduct",),
        ),
    )


def _same(a: tuple[tuple[ev.Event, ...], ...], b: tuple[tuple[ev.Event, ...], ...]) -> bool:
    """Equal events, and each instant written the same way (zone object, offset, fold)."""
    return a == b and all(
        x.at.tzinfo is y.at.tzinfo
        and x.at.fold == y.at.fold
        and x.at.isoformat() == y.at.isoformat()
        for hx, hy in zip(a, b, strict=True)
        for x, y in zip(hx, hy, strict=True)
    )


def test_packed_histories_unpack_to_the_same_events() -> None:
    """Packing the demo's histories and one across a clock change gives back equal events, each
    time in the same zone object with the same fold."""
    histories = (*_demo_histories(), _across_the_clock_change(), ())
    packed = PackedHistories.of(histories)
    assert len(packed) == len(histories)
    assert _same(packed.unpack(), histories)
    assert [e.at.fold for e in packed.unpack()[-2]] == [0, 0, 1, 1]


def test_a_simulation_reads_back_the_histories_it_was_given() -> None:
    """A Simulation made with plain histories returns equal ones (the packing is invisible)."""
    sim = simulate_module.simulate(years=1, seed=2, parameters=_small())
    histories = sim.histories
    assert isinstance(histories, tuple)
    assert all(isinstance(h, tuple) for h in histories)
    assert len(histories) == len(sim.complaints)
    again = simulate_module.Simulation(
        complaints=sim.complaints,
        obligations=sim.obligations,
        compliments=sim.compliments,
        events=sim.events,
        histories=histories,
        policy=sim.policy,
        parameters=sim.parameters,
    )
    assert _same(again.histories, histories)
    assert [Complaint.replay(h).history[-1] for h in histories[:50]] == [
        h[-1] for h in histories[:50]
    ]


def test_a_history_with_versions_out_of_place_is_refused() -> None:
    """Events whose versions are not their places cannot be packed (the version is not kept)."""
    history = _demo_histories()[0]
    with pytest.raises(InvalidInputError, match="version"):
        PackedHistories.of([history[1:]])


@pytest.mark.parametrize("bug", ["zone", "fold"])
def test_the_round_trip_check_catches_a_lost_zone_or_fold(
    monkeypatch: pytest.MonkeyPatch, bug: str
) -> None:
    """Seeded bugs (instants read back in UTC, or the fold dropped) make the round trip fail."""
    original = simulate_module._instant

    def buggy(micros: int, zone: Any, fold: int) -> datetime:
        if bug == "zone":
            return original(micros, timezone(timedelta(0)), fold)
        return original(micros, zone, 0)

    monkeypatch.setattr(simulate_module, "_instant", buggy)
    histories = (*_demo_histories(), _across_the_clock_change())
    assert not _same(PackedHistories.of(histories).unpack(), histories)


def _small() -> simulate_module.SimulationParameters:
    return simulate_module.SimulationParameters(complaints_per_year=200, compliments_per_year=50)
