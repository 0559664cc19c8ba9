"""What-if: the same complaints, the same events, under other policies, side by side.

:func:`compare` replays each simulated history with its opening event's ``policy_id``
swapped for each policy's (``Complaint.replay`` with ``policies={...}``), so only the rules
change: every act happens at the same instant under every policy. The result is one tidy
frame, one row per (policy, complaint, obligation), with the columns of
:attr:`Simulation.obligations <complaint_workflow.analysis.simulate.Simulation.obligations>`
plus ``delays_dropped``. :func:`summary` turns it into one row per policy.

A delay update (§4.12) is a decision staff make against *their* due date. Under a policy
whose due date is already later than the update's new date, the update is not needed and
the complaint would refuse it; it is then left out (and counted in ``delays_dropped``).
Any other refusal means the histories do not fit the policy (a different six-month rule,
say): ``on_rejected="raise"`` (the default) says so, ``"drop"`` leaves that complaint out of
that policy's rows and counts it in ``frame.attrs["dropped"]``.

>>> from complaint_workflow.analysis.simulate import simulate
>>> sim = simulate("cafcass-web", years=1, seed=3)
>>> df = compare(sim, ["cafcass-2012", "cafcass-web"])
>>> sorted(df["policy"].unique())
['cafcass-2012', 'cafcass-web']
>>> bool((df[df["policy"] == "cafcass-web"]["obligation_id"] == "response").any())
False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from .. import events as ev
from ..calendar import WorkingDayCalendar, as_london, end_of_day
from ..complaint import Complaint
from ..errors import EventRejected, InvalidInputError
from ..obligations import RESPONSE_TARGETS
from ..policy import Policy
from .frames import OBLIGATION_ROW_COLUMNS, new_columns, obligation_rows, obligations_frame
from .simulate import Simulation

__all__ = ["compare", "replay_under", "summary"]


def replay_under(
    history: Sequence[ev.Event],
    policy: Policy,
    *,
    calendar: WorkingDayCalendar | None = None,
    policies: Mapping[str, Policy] | None = None,
) -> tuple[Complaint, int]:
    """The complaint ``history`` makes under ``policy``, and how many delay updates it refused.

    Raises :class:`~complaint_workflow.errors.EventRejected` if any other event is refused.
    """
    opened = history[0]
    if not isinstance(opened, ev.ComplaintOpened):
        raise InvalidInputError("a history must start with its ComplaintOpened event")
    known = {**(policies or {}), policy.id: policy}
    complaint = Complaint.replay(
        [attrs.evolve(opened, policy_id=policy.id)], policies=known, calendar=calendar
    )
    dropped = 0
    for event in history[1:]:
        if dropped:
            event = attrs.evolve(event, version=None)  # renumbered after a left-out update
        try:
            complaint = complaint.apply(event, policies=known)
        except EventRejected:
            if not isinstance(event, ev.DelayUpdateSent):
                raise
            dropped += 1
    return complaint, dropped


def _histories(
    source: Simulation | Iterable[Sequence[ev.Event]],
) -> tuple[tuple[Sequence[ev.Event], ...], WorkingDayCalendar | None, datetime | None]:
    if isinstance(source, Simulation):
        return source.histories, source.calendar, source.observed_at
    if isinstance(source, pd.DataFrame):
        raise InvalidInputError("compare needs a Simulation or event histories, not a DataFrame")
    histories = tuple(source)
    if any(not h for h in histories):
        raise InvalidInputError("every history must hold at least its opening event")
    return histories, None, None


def compare(
    simulation_or_histories: Simulation | Iterable[Sequence[ev.Event]],
    policies: Sequence[Policy | str],
    *,
    at: datetime | None = None,
    calendar: WorkingDayCalendar | None = None,
    extra_policies: Mapping[str, Policy] | None = None,
    on_rejected: Literal["raise", "drop"] = "raise",
) -> pd.DataFrame:
    """One row per (policy, complaint, obligation): the same histories under each policy.

    ``at`` is the instant the obligations are read at (default: the simulation's
    ``observed_at``, or the end of the day of the latest event). ``extra_policies`` resolves
    any :class:`~complaint_workflow.PolicyChanged` in the histories.
    """
    histories, sim_calendar, observed = _histories(simulation_or_histories)
    cal = calendar or sim_calendar or WorkingDayCalendar.england_and_wales()
    if on_rejected not in ("raise", "drop"):
        raise InvalidInputError("on_rejected must be raise or drop")
    if isinstance(policies, str | Policy):
        policies = [policies]
    resolved = [Policy.load(p) if isinstance(p, str) else p for p in policies]
    if not resolved or any(not isinstance(p, Policy) for p in resolved):
        raise InvalidInputError("policies must be a non-empty list of Policy objects or ids")
    ids = [p.id for p in resolved]
    if len(set(ids)) != len(ids):
        raise InvalidInputError(f"policy ids must differ to be compared (got {', '.join(ids)})")
    if at is None:
        if observed is None:
            latest = max((as_london(h[-1].at) for h in histories), default=None)
            observed = None if latest is None else end_of_day(latest.date())
        at = observed
    rows = new_columns((*OBLIGATION_ROW_COLUMNS, "delays_dropped"))
    dropped: dict[str, int] = {}
    for policy in resolved:
        dropped[policy.id] = 0
        for history in histories:
            try:
                complaint, delays = replay_under(
                    history, policy, calendar=cal, policies=extra_policies
                )
            except EventRejected as exc:
                if on_rejected == "raise":
                    opened = history[0]
                    name = getattr(opened, "complaint_id", "?")
                    raise InvalidInputError(
                        f"complaint {name}'s history does not fit policy {policy.id!r} "
                        f"({exc}); pass on_rejected='drop' to leave such complaints out"
                    ) from None
                dropped[policy.id] += 1
                continue
            assert at is not None
            before = len(rows["obligation_id"])
            obligation_rows(rows, complaint, at)
            rows["delays_dropped"].extend([delays] * (len(rows["obligation_id"]) - before))
    frame = obligations_frame(rows, cal, resolved)
    frame.attrs["dropped"] = dropped
    return frame


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per policy: late responses, breaches by obligation, working days to respond,
    and the week before Christmas against the rest of the year.

    ``df`` is :func:`compare`'s frame or a :class:`Simulation` 's ``obligations``. Responses
    are the obligations ``response``, ``early-resolution``, ``investigation`` and
    ``outside-response``; a late one is breached, met late, or overdue. Policies keep the
    frame's order (the order ``compare`` was given). There is a ``breached: <id>`` and a
    ``late: <id>`` column for every obligation id the frame knows (each category of a
    categorical ``obligation_id``): a count, ``0`` when owed and never late, and missing
    (``<NA>``) where the policy owed none, so "not owed" never reads as "never late".
    """
    missing = {"policy", "complaint_id", "obligation_id", "late", "breached"} - set(df.columns)
    if missing:
        raise InvalidInputError(
            f"summary needs an obligations frame; missing columns {', '.join(sorted(missing))}"
        )
    ids = df["obligation_id"]
    if isinstance(ids.dtype, pd.CategoricalDtype):
        known = [str(o) for o in ids.cat.categories]
    else:
        known = sorted(str(o) for o in ids.dropna().unique())
    ids = ids.astype(object)
    responses = df[ids.isin(RESPONSE_TARGETS)]
    policy_column = df["policy"]
    if isinstance(policy_column.dtype, pd.CategoricalDtype):
        present = set(policy_column.dropna())
        order = [p for p in policy_column.cat.categories if p in present]
    else:
        order = list(dict.fromkeys(policy_column.dropna()))
    out: dict[str, dict[str, Any]] = {}
    for policy in order:
        mine = policy_column == policy
        group = df[mine]
        resp = responses[responses["policy"] == policy]
        late_ids = set(resp.loc[resp["late"], "complaint_id"])
        answered = resp["complaint_id"].nunique()
        xmas = resp[resp["christmas_week"]]
        rest = resp[~resp["christmas_week"]]
        row: dict[str, Any] = {
            "complaints": group["complaint_id"].nunique(),
            "obligations": len(group),
            "responses": answered,
            "late_responses": len(late_ids),
            "late_response_rate": len(late_ids) / answered if answered else np.nan,
            "median_working_days_to_response": _median(resp["working_days_to_met"]),
            "breaches": int(group["breached"].sum()),
            "late": int(group["late"].sum()),
            "christmas_week_responses": xmas["complaint_id"].nunique(),
            "late_response_rate_christmas_week": _rate(xmas),
            "late_response_rate_other_weeks": _rate(rest),
            "mean_calendar_days_to_response_due_christmas_week": _calendar_days(xmas),
            "mean_calendar_days_to_response_due_other_weeks": _calendar_days(rest),
        }
        counted = group[["breached", "late"]].groupby(ids[mine], sort=False).sum()
        for obligation in known:
            owed = obligation in counted.index
            for what in ("breached", "late"):
                row[f"{what}: {obligation}"] = int(counted.at[obligation, what]) if owed else pd.NA
        out[str(policy)] = row
    table = pd.DataFrame.from_dict(out, orient="index")
    table.index.name = "policy"
    for column in table.columns:
        if column.startswith(("breached: ", "late: ")):
            table[column] = table[column].astype("Int64")
    return table


def _median(values: pd.Series[Any]) -> float:
    present = values.dropna()
    return float(present.median()) if len(present) else float("nan")


def _rate(responses: pd.DataFrame) -> float:
    answered = responses["complaint_id"].nunique()
    if not answered:
        return float("nan")
    return float(responses.loc[responses["late"], "complaint_id"].nunique() / answered)


def _calendar_days(responses: pd.DataFrame) -> float:
    if not len(responses):
        return float("nan")
    days = (responses["due"] - responses["deemed_receipt"]).dt.days
    return float(days.mean())
