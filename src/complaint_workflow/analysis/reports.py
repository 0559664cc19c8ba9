"""Reports over simulated (or real) frames: quarterly counts under both counting rules, figures.

Complaints and compliments are reported quarterly to senior managers (§8). Before July 2014
a complaint was counted once per member of staff it named; from July 2014 once per complaint
(FOI 2015). :func:`quarterly_table` counts either way from the ``staff_named`` column, as the
core :func:`complaint_workflow.reports.quarterly_counts` does for complaint objects.

The figures are plain :class:`matplotlib.figure.Figure` objects drawn on the Agg canvas:
nothing opens a window and ``pyplot`` is never used; save them with ``fig.savefig(path)``.

>>> from complaint_workflow.analysis.simulate import simulate
>>> sim = simulate(years=1, seed=2)
>>> per_complaint = quarterly_table(sim)
>>> per_staff = quarterly_table(sim, rule="per-staff-member")
>>> list(per_complaint.index)
['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']
>>> bool((per_staff["complaints"] >= per_complaint["complaints"]).all())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..errors import InvalidInputError
from ..obligations import RESPONSE_TARGETS
from ..reports import CountingRule
from .simulate import Simulation

__all__ = ["plot_breach_rates", "plot_due_dates", "quarterly_table"]


def _need(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InvalidInputError(f"{what} needs the columns {', '.join(missing)}")


def quarterly_table(
    simulation_or_complaints_df: Simulation | pd.DataFrame,
    compliments_df: pd.DataFrame | None = None,
    rule: CountingRule = "per-complaint",
) -> pd.DataFrame:
    """Complaints and compliments received per calendar quarter, under a counting rule.

    ``per-complaint`` counts each complaint once (from July 2014); ``per-staff-member``
    counts it once for each member of staff it names, at least once (before July 2014).
    Given a :class:`Simulation`, its compliments are used unless ``compliments_df`` is given.
    Quarters run in order; a quarter with nothing received in it is absent.
    """
    if rule not in ("per-complaint", "per-staff-member"):
        raise InvalidInputError("rule must be per-complaint or per-staff-member")
    if isinstance(simulation_or_complaints_df, Simulation):
        complaints = simulation_or_complaints_df.complaints
        if compliments_df is None:
            compliments_df = simulation_or_complaints_df.compliments
    elif isinstance(simulation_or_complaints_df, pd.DataFrame):
        complaints = simulation_or_complaints_df
    else:
        raise InvalidInputError("quarterly_table needs a Simulation or a complaints DataFrame")
    _need(complaints, ["quarter", "staff_named"], "quarterly_table's complaints frame")
    if rule == "per-complaint":
        weights = pd.Series(1, index=complaints.index)
    else:
        weights = complaints["staff_named"].clip(lower=1)
    counted = weights.groupby(complaints["quarter"]).sum().rename("complaints")
    if compliments_df is not None:
        _need(compliments_df, ["quarter"], "quarterly_table's compliments frame")
        praised = compliments_df.groupby("quarter").size().rename("compliments")
    else:
        praised = pd.Series(dtype="int64", name="compliments")
    table = pd.concat([counted, praised], axis=1).fillna(0).astype("int64").sort_index()
    table.index.name = "quarter"
    return table


def _obligations(data: Simulation | pd.DataFrame) -> pd.DataFrame:
    if isinstance(data, Simulation):
        return data.obligations
    if isinstance(data, pd.DataFrame):
        return data
    raise InvalidInputError("a figure needs a Simulation or an obligations DataFrame")


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def plot_due_dates(
    data: Simulation | pd.DataFrame,
    *,
    obligations: Sequence[str] | None = None,
) -> Figure:
    """Calendar days from day 0 to each obligation's due date: one column a policy, the
    complaints received in the week before Christmas (18-24 December) in the lower row.

    Working-day deadlines stretch over weekends and bank holidays, calendar-day ones do not;
    each histogram is normalised so the two rows compare. ``obligations`` limits the
    obligation ids shown (default: the responses and ``contact``).
    """
    df = _obligations(data)
    _need(
        df,
        ["policy", "obligation_id", "due", "deemed_receipt", "christmas_week"],
        "plot_due_dates",
    )
    wanted = list(obligations) if obligations is not None else ["contact", *RESPONSE_TARGETS]
    df = df[df["obligation_id"].isin(wanted)]
    present = [o for o in wanted if o in set(df["obligation_id"])]
    colours = {o: f"C{k % 10}" for k, o in enumerate(present)}
    policies = sorted(df["policy"].unique()) or ["(none)"]
    fig = _figure(5.0 * len(policies), 6.0)
    axes = fig.subplots(2, len(policies), squeeze=False, sharex=True, sharey="row")
    days = (df["due"] - df["deemed_receipt"]).dt.days
    low, top = (int(days.min()), int(days.max())) if len(days) else (0, 10)
    bins = np.arange(min(low, 0) - 0.5, top + 1.5, 1.0)
    for column, policy in enumerate(policies):
        mine = df["policy"] == policy
        for row, (xmas, label) in enumerate(
            ((False, "other weeks"), (True, "received 18-24 December"))
        ):
            ax = axes[row][column]
            chosen = mine & (df["christmas_week"] == xmas)
            for obligation in present:
                span = days[chosen & (df["obligation_id"] == obligation)]
                if len(span):
                    ax.hist(
                        span,
                        bins=bins,
                        density=True,
                        alpha=0.6,
                        color=colours[obligation],
                        label=obligation,
                    )
            ax.set_title(f"{policy}: {label}", fontsize="medium")
            if row == 1:
                ax.set_xlabel("calendar days from day 0 to the due date")
            if column == 0:
                ax.set_ylabel("share of obligations")
            if ax.has_data():
                ax.legend(fontsize="small")
    fig.suptitle("When obligations fall due")
    return fig


def plot_breach_rates(compare_df: pd.DataFrame) -> Figure:
    """Grouped bars: the share of each obligation that was late (breached, met late or
    overdue), one bar per policy. ``compare_df`` is ``whatif.compare``'s frame."""
    _need(compare_df, ["policy", "obligation_id", "late"], "plot_breach_rates")
    rates = compare_df.groupby(["obligation_id", "policy"])["late"].mean().unstack("policy")
    fig = _figure(max(6.0, 1.2 * len(rates.index) + 2), 4.5)
    ax = fig.subplots()
    policies: list[Any] = list(rates.columns)
    width = 0.8 / max(1, len(policies))
    x = np.arange(len(rates.index))
    for k, policy in enumerate(policies):
        values = rates[policy].to_numpy(dtype=float, na_value=np.nan)
        ax.bar(x + (k - (len(policies) - 1) / 2) * width, values, width, label=str(policy))
    ax.set_xticks(x, [str(i) for i in rates.index], rotation=30, ha="right")
    ax.set_ylabel("share late")
    ax.set_ylim(
        0, max(0.05, float(np.nanmax(rates.to_numpy(dtype=float))) * 1.15) if rates.size else 1
    )
    ax.set_title("Late or breached, by obligation and policy")
    ax.legend()
    return fig
