"""Reports over simulated (or real) frames: quarterly counts under both counting rules, figures.

Complaints and compliments are reported quarterly to senior managers (§8). Before July 2014
a complaint was counted once per member of staff it named; from July 2014 once per complaint.
:func:`quarterly_table` counts either way from the ``staff_named`` column, as the
core :func:`complaint_workflow.reports.quarterly_counts` does for complaint objects.

The figures are :class:`matplotlib.figure.Figure` objects drawn on the Agg canvas: nothing
opens a window and ``pyplot`` is never used; save them with ``fig.savefig(path)``, or leave one
as a notebook cell's last value to see it (it shows as a PNG with no backend set up). Each
takes ``ax=`` to draw into the caller's axes and returns the figure. matplotlib is imported
only when a figure is drawn. Titles say the figures are simulated; shares are in per cent;
policies keep the order of the frame (``compare``'s order); an obligation a policy does not owe
is labelled "not owed", never drawn as 0%.

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

import functools
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import InvalidInputError
from ..obligations import RESPONSE_TARGETS
from ..reports import CountingRule
from .simulate import Simulation

if TYPE_CHECKING:  # matplotlib is imported when a figure is drawn, never before
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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


def _policies(df: pd.DataFrame) -> list[str]:
    """The policies in the order the frame holds them (the order ``compare`` was given)."""
    column = df["policy"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        present = set(column.dropna())
        return [str(p) for p in column.cat.categories if p in present]
    return [str(p) for p in dict.fromkeys(column.dropna())]


@functools.cache
def _figure_class() -> type[Figure]:
    """A matplotlib ``Figure`` that shows itself as a PNG in Jupyter with no backend set up.

    Imported on first use: ``complaint_workflow.analysis`` never imports matplotlib until a
    figure is asked for. ``pyplot`` is never used, so nothing keeps a figure alive.
    """
    from matplotlib.figure import Figure

    class SimulatedFigure(Figure):
        """A figure of simulated data; rich display in Jupyter as a PNG."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png")
            return buffer.getvalue()

    return SimulatedFigure


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _percent(axis: Any) -> None:
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))


def _grid(ax: Any, rows: int, columns: int) -> list[list[Axes]]:
    """The caller's axes as a ``rows`` x ``columns`` grid; raise if they do not fit."""
    from matplotlib.axes import Axes

    if isinstance(ax, Axes):
        flat: list[Any] = [ax]
    else:
        try:
            flat = list(np.asarray(ax, dtype=object).reshape(-1))
        except (TypeError, ValueError):
            flat = []
    if len(flat) != rows * columns or not all(isinstance(a, Axes) for a in flat):
        raise InvalidInputError(
            f"ax must be {rows * columns} matplotlib Axes ({rows} rows: other weeks, the week "
            f"before Christmas; {columns} column{'s' if columns > 1 else ''}: one a policy)"
        )
    return [flat[r * columns : (r + 1) * columns] for r in range(rows)]


def _owner(ax: Axes) -> Figure:
    """The root figure an Axes is drawn in (through any subfigures; matplotlib 3.8 has no
    ``get_figure(root=True)``)."""
    from matplotlib.figure import Figure

    fig: Any = getattr(ax, "figure", None)
    for _ in range(16):  # a subfigure's ``figure`` is its parent; a Figure's is itself
        parent = getattr(fig, "figure", None)
        if parent is None or parent is fig:
            break
        fig = parent
    if not isinstance(fig, Figure):
        raise InvalidInputError("ax must belong to a figure")
    return fig


def plot_due_dates(
    data: Simulation | pd.DataFrame,
    *,
    obligations: Sequence[str] | None = None,
    ax: Any = None,
) -> Figure:
    """Calendar days from day 0 to each obligation's due date: one column a policy (in the
    frame's order), the complaints received in the week before Christmas (18-24 December) in
    the lower row; the share of obligations, in per cent.

    Working-day deadlines stretch over weekends and bank holidays, calendar-day ones do not;
    each histogram is normalised so the two rows compare. ``obligations`` limits the
    obligation ids shown (default: the responses and ``contact``); one a policy does not owe
    is named "not owed" in its panel. ``ax``: draw into these axes instead of a new figure,
    two rows by one column a policy (what ``subplots(2, n)`` returns); the figure they belong
    to is returned.
    """
    df = _obligations(data)
    _need(
        df,
        ["policy", "obligation_id", "due", "deemed_receipt", "christmas_week"],
        "plot_due_dates",
    )
    wanted = list(obligations) if obligations is not None else ["contact", *RESPONSE_TARGETS]
    policies = _policies(df) or ["(none)"]
    ids = df["obligation_id"].astype(object)
    df = df[ids.isin(wanted)]
    ids = ids[ids.isin(wanted)]
    owed = {p: set(ids[df["policy"] == p]) for p in policies}
    present = [o for o in wanted if any(o in mine for mine in owed.values())]
    colours = {o: f"C{k % 10}" for k, o in enumerate(present)}
    if ax is None:
        fig = _new_figure(5.0 * len(policies), 6.0)
        grid = fig.subplots(2, len(policies), squeeze=False, sharex=True, sharey="row")
        axes: list[list[Axes]] = [list(row) for row in grid]
    else:
        axes = _grid(ax, 2, len(policies))
        fig = _owner(axes[0][0])
    days = (df["due"] - df["deemed_receipt"]).dt.days
    low, top = (int(days.min()), int(days.max())) if len(days) else (0, 10)
    bins = np.arange(min(low, 0) - 0.5, top + 1.5, 1.0)
    for column, policy in enumerate(policies):
        mine = df["policy"] == policy
        for row, (xmas, label) in enumerate(
            ((False, "other weeks"), (True, "received 18-24 December"))
        ):
            panel = axes[row][column]
            chosen = mine & (df["christmas_week"] == xmas)
            for obligation in present:
                span = days[chosen & (ids == obligation)]
                if len(span):
                    panel.hist(
                        span,
                        bins=bins.tolist(),
                        density=True,
                        alpha=0.6,
                        color=colours[obligation],
                        label=obligation,
                    )
            not_owed = [o for o in wanted if o not in owed.get(policy, set())]
            if not_owed:
                panel.text(
                    0.98,
                    0.02,
                    "not owed: " + ", ".join(not_owed),
                    transform=panel.transAxes,
                    ha="right",
                    va="bottom",
                    fontsize="x-small",
                    color="0.4",
                    style="italic",
                )
            panel.set_title(f"{policy}: {label}", fontsize="medium")
            _percent(panel.yaxis)
            if row == 1:
                panel.set_xlabel("calendar days from day 0 to the due date")
            if column == 0:
                panel.set_ylabel("share of obligations")
            if panel.has_data():
                panel.legend(fontsize="small")
    fig.suptitle("Simulated caseload: when obligations fall due")
    return fig


def plot_breach_rates(compare_df: pd.DataFrame, *, ax: Any = None) -> Figure:
    """Grouped bars: the share of each obligation that was late (breached, met late or
    overdue), in per cent, one bar per policy in the frame's order (the order ``compare`` was
    given). Each bar is labelled with its share, so 0% late shows; an obligation a policy does
    not owe has no bar and says "not owed". ``compare_df`` is ``whatif.compare``'s frame.
    ``ax``: draw into this Axes instead of a new figure; its figure is returned.
    """
    from matplotlib.axes import Axes

    _need(compare_df, ["policy", "obligation_id", "late"], "plot_breach_rates")
    policies = _policies(compare_df)
    ids = compare_df["obligation_id"].astype(object)
    order = list(dict.fromkeys(ids))
    if isinstance(compare_df["obligation_id"].dtype, pd.CategoricalDtype):
        order = [o for o in compare_df["obligation_id"].cat.categories if o in set(order)]
    late = compare_df["late"].astype(bool)
    rates = late.groupby([ids, compare_df["policy"].astype(object)]).mean().unstack()
    rates = rates.reindex(index=order, columns=policies)
    if ax is None:
        fig = _new_figure(max(6.0, 1.2 * len(order) + 2), 4.5)
        panel = fig.subplots()
    elif isinstance(ax, Axes):
        panel = ax
        fig = _owner(ax)
    else:
        raise InvalidInputError("ax must be one matplotlib Axes")
    width = 0.8 / max(1, len(policies))
    x = np.arange(len(order))
    top = float(np.nanmax(rates.to_numpy(dtype=float))) if rates.notna().any().any() else 0.0
    ceiling = max(0.05, top * 1.25)
    for k, policy in enumerate(policies):
        values = rates[policy].to_numpy(dtype=float, na_value=np.nan)
        where = x + (k - (len(policies) - 1) / 2) * width
        bars = panel.bar(where, np.nan_to_num(values), width, label=str(policy), color=f"C{k % 10}")
        for bar, value, at in zip(bars, values, where, strict=True):
            if np.isnan(value):
                bar.set_visible(False)
                panel.text(
                    at,
                    ceiling * 0.01,
                    "not owed",
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize="x-small",
                    color="0.4",
                    style="italic",
                )
            else:
                panel.text(
                    at,
                    value + ceiling * 0.01,
                    f"{value:.0%}",
                    ha="center",
                    va="bottom",
                    fontsize="x-small",
                )
    panel.set_xticks(x, [str(i) for i in order], rotation=30, ha="right")
    panel.set_ylabel("share late")
    _percent(panel.yaxis)
    panel.set_ylim(0, ceiling)
    panel.set_title("Simulated: share late or breached, by obligation and policy")
    panel.legend()
    return fig
