"""Seeded simulations give exactly the frames and histories they gave before the speed work.

The pinned digests and figures were computed from the code as it stood before the simulator
was made faster (same seeds, same parameters); any change to what a seed draws, to the
planner's choices or to a frame's values changes them.
"""

from __future__ import annotations

import hashlib
import math
from datetime import date, datetime
from typing import Any

import attrs
import pandas as pd
import pytest

from complaint_workflow.analysis.simulate import Simulation, SimulationParameters, simulate

SMALL = SimulationParameters(complaints_per_year=250, compliments_per_year=120)


def _canonical(value: Any) -> str:
    """One cell as text that does not depend on the pandas or numpy version."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "NA"
    if isinstance(value, float) and math.isnan(value):
        return "NA"
    if isinstance(value, pd.Timestamp):
        return f"T{value.value // 1000}{value.tzname() or ''}"
    if isinstance(value, datetime | date):
        return f"D{value.isoformat()}"
    if hasattr(value, "item"):  # a numpy scalar
        return _canonical(value.item())
    return f"{type(value).__name__}:{value}"


def frame_digest(frame: pd.DataFrame) -> str:
    """A sha256 of the frame's column names, dtypes' kinds and every value, column by column."""
    h = hashlib.sha256()
    for name in frame.columns:
        column = frame[name]
        h.update(f"|{name}:{_kind(column)}|".encode())
        for value in column.astype(object).tolist():
            h.update(_canonical(value).encode())
            h.update(b",")
    return h.hexdigest()[:16]


def _kind(column: pd.Series[Any]) -> str:
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "category:" + ",".join(map(str, dtype.categories))
    if isinstance(dtype, pd.DatetimeTZDtype):
        return f"datetime:{dtype.tz}"
    return dtype.kind


def history_digest(sim: Simulation) -> str:
    """A sha256 of every event of every history: its type, instant, version and fields."""
    h = hashlib.sha256()
    for history in sim.histories:
        for event in history:
            fields = attrs.asdict(event, recurse=False)
            h.update(type(event).__name__.encode())
            h.update(repr(sorted((k, _canonical(v)) for k, v in fields.items())).encode())
        h.update(b";")
    return h.hexdigest()[:16]


def fingerprint(sim: Simulation) -> dict[str, Any]:
    """The figures a seeded run is pinned by."""
    ob = sim.obligations
    return {
        "complaints": len(sim.complaints),
        "obligations": len(ob),
        "compliments": len(sim.compliments),
        "events": sim.events,
        "breached": int(ob["breached"].sum()),
        "late_responses": int(sim.complaints["late_response"].sum()),
        "observed_at": sim.observed_at.isoformat(),
        "complaints_digest": frame_digest(sim.complaints),
        "obligations_digest": frame_digest(ob),
        "compliments_digest": frame_digest(sim.compliments),
        "histories_digest": history_digest(sim),
    }


RUNS: dict[str, tuple[str, dict[str, Any]]] = {
    "web-year-seed-1": ("cafcass-web", {"years": 1, "seed": 1}),
    "2012-two-years-small-capacity": (
        "cafcass-2012",
        {"years": 2, "seed": 3, "parameters": attrs.evolve(SMALL, staff_capacity=3)},
    ),
    "web-small-delays-2031": (
        "cafcass-web",
        {
            "years": 1,
            "seed": 7,
            "start": date(2031, 3, 1),
            "parameters": attrs.evolve(SMALL, delay_update_share=1.0),
        },
    ),
}

PINNED: dict[str, dict[str, Any]] = {
    "2012-two-years-small-capacity": {
        "complaints": 531,
        "obligations": 1400,
        "compliments": 246,
        "events": 4527,
        "breached": 236,
        "late_responses": 225,
        "observed_at": "2028-01-27T00:00:00+00:00",
        "complaints_digest": "410df0212f2b9831",
        "obligations_digest": "584222b31ea8b106",
        "compliments_digest": "fed6b1ff140d5584",
        "histories_digest": "d081b4e5ec41dfc4",
    },
    "web-small-delays-2031": {
        "complaints": 266,
        "obligations": 911,
        "compliments": 114,
        "events": 2169,
        "breached": 20,
        "late_responses": 3,
        "observed_at": "2032-04-13T00:00:00+01:00",
        "complaints_digest": "2d6d818d62b7e30b",
        "obligations_digest": "5a962cb57d69e5e4",
        "compliments_digest": "3cc783267e77c0d7",
        "histories_digest": "88946708bde97b6c",
    },
    "web-year-seed-1": {
        "complaints": 1412,
        "obligations": 4770,
        "compliments": 780,
        "events": 11767,
        "breached": 108,
        "late_responses": 91,
        "observed_at": "2025-01-28T00:00:00+00:00",
        "complaints_digest": "9ea0f2130f57c1cc",
        "obligations_digest": "8005017fdc87f671",
        "compliments_digest": "a5c0f119b80dd7eb",
        "histories_digest": "4af049cac607431d",
    },
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_a_seeded_run_gives_the_pinned_frames_and_histories(name: str) -> None:
    """A seeded simulation's frames, histories and counts equal those the earlier code gave."""
    policy, kwargs = RUNS[name]
    assert fingerprint(simulate(policy, **kwargs)) == PINNED[name]
