"""The pandas dtypes of every frame the analysis tools return, declared once.

Status, obligation id, route, strength, eligibility, complainant and channel columns are
categoricals carrying every category the procedure knows, in the procedure's order, so a count
shows the zeros (``df["status"].value_counts()`` lists ``breached 0``) and frames from
different runs concatenate without turning into ``object``. Every producer
(:func:`~complaint_workflow.analysis.simulate`, :func:`~complaint_workflow.analysis.compare`,
:func:`~complaint_workflow.analysis.summary`, :func:`~complaint_workflow.analysis.due_dates`)
uses these, and the word lists come from :mod:`complaint_workflow.vocabulary` or the route
machines, never retyped here.

Obligation ids are the targets a policy can owe, so their categories are every Cafcass target
of the built-in policies (in their order), then any other target of the policies a frame was
made under: :func:`obligation_dtype`. Under the built-ins alone every producer gives the same
dtype.

>>> STATUS_DTYPE.categories.tolist()[:3]
['pending', 'at-risk', 'met']
>>> obligation_dtype().categories.tolist()[:3]
['forward-to-cst', 'response', 'response-before-hearing']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, Final

import pandas as pd

from ..errors import InvalidInputError
from ..policy import Policy
from ..routes import ROUTES
from ..vocabulary import (
    CHANNELS,
    COMPLAINANTS,
    ELIGIBILITIES,
    OBLIGATION_STATUSES,
    STRENGTHS,
    TRIAGE_ROUTES,
)

__all__ = [
    "CATEGORICAL_COLUMNS",
    "CHANNEL_DTYPE",
    "COMPLAINANT_DTYPE",
    "COMPLAINT_ROUTES",
    "ELIGIBILITY_DTYPE",
    "ROUTE_DTYPE",
    "STATUS_DTYPE",
    "STRENGTH_DTYPE",
    "as_categoricals",
    "categorical",
    "concat",
    "obligation_dtype",
]


def _complaint_routes() -> tuple[str, ...]:
    """Where a complaint is: its triage route, the procedure before triage, or the intake
    gate's state (a quick fix accepted shows as ``quick-fix``), in the gate's order."""
    intake = [s for s in ROUTES["intake"].states if s != "procedure"]
    named = ["quick-fix" if s == "resolved-quickly" else s for s in intake]
    out = [*TRIAGE_ROUTES, "procedure"]
    for name in named:
        if name not in out:
            out.append(name)
    return tuple(out)


COMPLAINT_ROUTES: Final = _complaint_routes()
"""The values of every ``route`` column."""

STATUS_DTYPE: Final = pd.CategoricalDtype(list(OBLIGATION_STATUSES))
"""``status``: an obligation's status (``vocabulary.OBLIGATION_STATUSES``)."""
STRENGTH_DTYPE: Final = pd.CategoricalDtype(list(STRENGTHS))
"""``strength``: ``hard`` or ``target``."""
ELIGIBILITY_DTYPE: Final = pd.CategoricalDtype(list(ELIGIBILITIES))
"""``eligibility``: how the intake gate sees a complaint."""
ROUTE_DTYPE: Final = pd.CategoricalDtype(list(COMPLAINT_ROUTES))
"""``route``: where a complaint went (:data:`COMPLAINT_ROUTES`)."""
COMPLAINANT_DTYPE: Final = pd.CategoricalDtype(list(COMPLAINANTS))
"""``complainant``: who complained."""
CHANNEL_DTYPE: Final = pd.CategoricalDtype(list(CHANNELS))
"""``channel``: how a complaint arrived."""


@functools.cache
def _builtin_obligations() -> tuple[str, ...]:
    out: list[str] = []
    for policy_id in Policy.builtin_ids():
        for target in Policy.builtin(policy_id).targets:
            if target.owed_by == "cafcass" and target.id not in out:
                out.append(target.id)
    return tuple(out)


def obligation_dtype(policies: Iterable[Policy] = ()) -> pd.CategoricalDtype:
    """``obligation_id``: every Cafcass target of the built-in policies, then the other
    targets of ``policies`` in their order."""
    ids = list(_builtin_obligations())
    for policy in policies:
        for target in policy.targets:
            if target.owed_by == "cafcass" and target.id not in ids:
                ids.append(target.id)
    return pd.CategoricalDtype(ids)


CATEGORICAL_COLUMNS: Final = {
    "status": STATUS_DTYPE,
    "strength": STRENGTH_DTYPE,
    "eligibility": ELIGIBILITY_DTYPE,
    "route": ROUTE_DTYPE,
    "complainant": COMPLAINANT_DTYPE,
    "channel": CHANNEL_DTYPE,
}
"""The fixed categorical columns by name (``obligation_id`` depends on the policies)."""


def as_categoricals(frame: pd.DataFrame, policies: Iterable[Policy] = ()) -> pd.DataFrame:
    """``frame`` with each of its categorical columns (above, and ``obligation_id`` under
    ``policies``) given its dtype, in place; returns the frame."""
    wanted: dict[str, pd.CategoricalDtype] = dict(CATEGORICAL_COLUMNS)
    if "obligation_id" in frame.columns:
        wanted["obligation_id"] = obligation_dtype(policies)
    for name, dtype in wanted.items():
        if name in frame.columns:
            frame[name] = categorical(frame[name], dtype, name)
    return frame


def categorical(values: Any, dtype: pd.CategoricalDtype, name: str) -> pd.Series[Any]:
    """``values`` as a categorical Series of ``dtype``; a value outside it is an error (a
    plain ``astype`` would silently make it missing)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if not (isinstance(series.dtype, pd.CategoricalDtype) and series.dtype == dtype):
        lost = series.notna() & ~series.isin(dtype.categories)
        if lost.any():
            raise InvalidInputError(
                f"{name} holds {series[lost].iloc[0]!r}, which is none of "
                f"{', '.join(map(str, dtype.categories))}"
            )
    return series.astype(dtype)


def concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """``pandas.concat`` that keeps categorical columns categorical: where the frames' categories
    differ (a custom policy's targets, say) they are joined, in order of first appearance."""
    frames = list(frames)
    if len(frames) > 1:
        for name in frames[0].columns:
            dtypes = [f[name].dtype for f in frames if name in f.columns]
            kinds = [d for d in dtypes if isinstance(d, pd.CategoricalDtype)]
            if len(kinds) == len(dtypes) and len(set(kinds)) > 1:
                joined: list[Any] = []
                for d in kinds:
                    joined.extend(c for c in d.categories if c not in joined)
                union = pd.CategoricalDtype(joined)
                frames = [
                    f.assign(**{name: f[name].astype(union)}) if name in f.columns else f
                    for f in frames
                ]
    return pd.concat(frames, ignore_index=True)
