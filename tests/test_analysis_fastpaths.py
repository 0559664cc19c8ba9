"""The vectorised shortcuts give the answers of the general paths they stand in for."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("numpy")
from complaint_workflow.analysis import deadlines as dl
from complaint_workflow.analysis import vectorised
from complaint_workflow.errors import InvalidInputError

CHOICES = ("early-resolution", "investigation")


def _distinct(text: str | None) -> str | None:
    """An equal string that is a different object."""
    return None if text is None else "".join(list(text))


def test_object_codes_read_values_not_identities() -> None:
    """Equal strings held as different objects get the same code, missing ones -1."""
    rng = np.random.default_rng(3)
    values = [(*CHOICES, None, float("nan"))[i] for i in rng.integers(0, 4, 5000)]
    array = np.array([_distinct(v) if isinstance(v, str) else v for v in values], dtype=object)
    expected = dl._value_codes(array, CHOICES)
    np.testing.assert_array_equal(dl._object_codes(array, CHOICES), expected)
    assert set(expected.tolist()) == {-1, 0, 1}


def test_object_codes_with_many_distinct_objects() -> None:
    """Past the few-objects limit the values are factorized, with the same answer."""
    array = np.array([_distinct(CHOICES[i % 2]) for i in range(3000)], dtype=object)
    np.testing.assert_array_equal(dl._object_codes(array, CHOICES), np.arange(3000) % 2)


def test_an_unknown_object_is_named() -> None:
    """An unknown value among a few objects is reported by position."""
    array = np.array(["investigation", None, "typo"] * 10, dtype=object)
    with pytest.raises(InvalidInputError, match=r"route\[2\]"):
        dl._codes(array, CHOICES, 30, "route", optional=True)


@pytest.mark.parametrize(
    ("first", "last"),
    [("1940-01-01", "1948-12-31"), ("2013-01-01", "2027-06-30"), ("1700-01-01", "2100-01-01")],
)
def test_london_wall_clock_equals_pandas(first: str, last: str) -> None:
    """The hour-table conversion equals pandas' own, around every change of offset."""
    lo = np.datetime64(first, "s").astype(np.int64)
    hi = np.datetime64(last, "s").astype(np.int64)
    rng = np.random.default_rng(5)
    seconds = rng.integers(lo, hi, 20_000)
    index = pd.DatetimeIndex(seconds.astype("datetime64[s]")).tz_localize("UTC")
    changes = index.tz_convert("Europe/London").tz_localize(None).asi8 - index.asi8
    edges = seconds[np.flatnonzero(np.diff(changes[np.argsort(seconds)]))]
    near = np.concatenate([seconds, edges - 1, edges, edges + 1])
    instants = pd.DatetimeIndex(near.astype("datetime64[s]")).tz_localize("UTC")
    wall, per_second = vectorised._london_wall(instants)
    expected = instants.tz_convert("Europe/London").tz_localize(None).asi8
    assert per_second == 1
    np.testing.assert_array_equal(wall, expected)


def test_the_london_check_catches_a_seeded_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the offsets read one hour late the equality above fails."""
    original = vectorised._pandas_wall

    def late(values: np.ndarray, unit: str) -> np.ndarray:  # type: ignore[type-arg]
        return original(values - 3600 * vectorised._UNITS_PER_SECOND[unit], unit) + (
            3600 * vectorised._UNITS_PER_SECOND[unit]
        )

    monkeypatch.setattr(vectorised, "_pandas_wall", late)
    vectorised._year_offsets.cache_clear()  # hour tables are kept per span of years
    instants = pd.DatetimeIndex(
        np.array(["2024-03-31T01:30", "2024-10-27T01:30"], dtype="datetime64[s]")
    ).tz_localize("UTC")
    try:
        wall, _ = vectorised._london_wall(instants)
    finally:
        vectorised._year_offsets.cache_clear()  # drop the broken tables
    expected = instants.tz_convert("Europe/London").tz_localize(None).asi8
    assert not np.array_equal(wall, expected)
