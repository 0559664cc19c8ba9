"""What is owed, by when, and in what state: derived, never stored.

An obligation is a policy :class:`~complaint_workflow.policy.Target` that applies to a
complaint's :class:`~complaint_workflow.situation.Situation`, with its due date on the
calendar and its status at an instant:

============  ==============================================================================
``pending``   not done, not yet near its due date
``at-risk``   not done, and no more than ``at_risk_working_days`` working days remain,
              counting the due date (default 1: on the due date itself) — or a *target*
              already past its date (``overdue`` is then true; a target is never a breach)
``met``       done before the end of its due date (Europe/London)
``met-late``  a *target* done after its date
``breached``  a *hard* obligation not done by the end of its due date; it stays breached
``impossible`` could never be met: due before the day it became known (a hearing too close)
``extended``  a delay update sent before the due date moved it (§4.12), not yet done
============  ==============================================================================

A hard obligation is breached from the first instant after the end of its due date in
Europe/London, :func:`~complaint_workflow.calendar.end_of_day`, and not one instant before.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final, Literal, TypeAlias

import attrs

from .calendar import LONDON, WorkingDayCalendar, as_london, end_of_day
from .policy import Policy, Strength, Target
from .situation import Eligibility, Situation, eligibility, six_month_limit

__all__ = [
    "Obligation",
    "ObligationStatus",
    "derive_obligations",
    "eligibility_of",
    "policy_routes",
]

ObligationStatus: TypeAlias = Literal[
    "pending", "at-risk", "met", "met-late", "breached", "impossible", "extended"
]
STATUSES: Final = ("pending", "at-risk", "met", "met-late", "breached", "impossible", "extended")

ACTS: Final[dict[str, str]] = {
    "forward-to-cst": "forward-to-cst",
    "contact": "contact",
    "response": "response",
    "early-resolution": "response",
    "investigation": "response",
    "response-before-hearing": "response",
    "outside-response": "response",
    "court-notification": "court-notification",
}
"""Which recorded act meets each target; a target an analyst adds is met by the response."""

RECEIPT_ONLY: Final = frozenset({"forward-to-cst"})
"""Targets that always count from the complaint's receipt, never from a later clock start."""

KEPT_WHEN_MET: Final = frozenset({"forward-to-cst", "contact", "court-notification"})
"""Obligations still listed, as met, after the complaint leaves their route (e.g. a complaint
forwarded to the CST, then found to be a repeat)."""

RESPONSE_TARGETS: Final = ("response", "early-resolution", "investigation", "outside-response")


@attrs.frozen
class Obligation:
    """One obligation at one instant: what, due when, how firmly, from which clause, status."""

    id: str
    due: date
    strength: Strength
    clause: str
    status: ObligationStatus
    description: str = ""
    met_at: datetime | None = None
    extended_from: date | None = None
    """The due date before a delay update extended it, or ``None``."""
    overdue: bool = False
    """True for a target past its date and not yet done (its status is ``at-risk``)."""

    def to_dict(self) -> dict[str, object]:
        """The JSON shape used by the ``deadlines`` and ``replay`` commands."""
        from .history import unstructure  # the library's one JSON codec

        data: dict[str, object] = unstructure(self)
        return data


def eligibility_of(
    situation: Situation, policy: Policy, calendar: WorkingDayCalendar
) -> Eligibility:
    """The gate a complaint meets (see :func:`complaint_workflow.situation.eligibility`)."""
    received = as_london(situation.received_at, "received_at")
    return eligibility(
        situation.complainant,
        situation.involvement_ended,
        received.date(),
        calendar.deemed_receipt(situation.received_at, policy.parameters.cutoff),
        policy,
        calendar,
    )


def policy_routes(
    situation: Situation, policy: Policy, calendar: WorkingDayCalendar
) -> frozenset[str]:
    """The policy routes (``Target.routes``) a complaint is on now.

    Before the gate has decided, an in-time service user's complaint is expected in the
    procedure and another's outside it, so their obligations run from receipt; a late one
    waits for the exceptional-circumstances decision and owes nothing yet.
    """
    intake = situation.states.intake
    if intake in ("received", "with-cst"):
        gate = eligibility_of(situation, policy, calendar)
        if gate == "in-time":
            return frozenset(
                {"procedure", *(() if situation.triage is None else [situation.triage])}
            )
        return frozenset({"outside-procedure"}) if gate == "outside-procedure" else frozenset()
    if intake == "procedure":
        return frozenset({"procedure", *(() if situation.triage is None else [situation.triage])})
    if intake == "outside-procedure":
        return frozenset({"outside-procedure"})
    return frozenset()


def _anchor(
    target: Target, situation: Situation, policy: Policy, calendar: WorkingDayCalendar
) -> date | None:
    cutoff = policy.parameters.cutoff
    match target.anchor:
        case "receipt":
            # Passing a complaint to the CST counts from its actual receipt; the procedure's
            # own clock may start later (a quick-fix escalation, an exceptional decision).
            start = (
                situation.receipt_at if target.id in RECEIPT_ONLY else situation.clock_start(policy)
            )
            return calendar.deemed_receipt(start, cutoff)
        case "contact" | "triage":
            done = situation.done_at(target.anchor)
            return None if done is None else calendar.deemed_receipt(done, cutoff)
        case "hearing":
            return situation.hearing
        case "involvement-ended":
            return situation.involvement_ended
    return None  # pragma: no cover - the anchor is validated


_DAY: Final = timedelta(days=1)


def _response_limit(policy: Policy, situation: Situation) -> Target | None:
    """The response target the hearing rule is weighed against: the written procedure's single
    ``response``, or the web page's target for the route the complaint was triaged to."""
    for target_id in ("response", situation.triage):
        target = None if target_id is None else policy.get(target_id)
        if target is not None and target.anchor == "receipt":
            return target
    return None


def _start_of(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=LONDON)


def derive_obligations(
    situation: Situation,
    policy: Policy,
    calendar: WorkingDayCalendar,
    at: datetime,
) -> tuple[Obligation, ...]:
    """Every obligation of a situation, with its status at the aware instant ``at``.

    ``situation`` must hold only what had happened by ``at``.
    """
    at = as_london(at, "at")
    routes = policy_routes(situation, policy, calendar)
    triggers = set(situation.aspects) | ({"child"} if situation.complainant == "child" else set())
    day0 = calendar.deemed_receipt(situation.receipt_at, policy.parameters.cutoff)
    params = policy.parameters
    out: list[Obligation] = []
    for target in policy.targets:
        if target.owed_by != "cafcass":
            continue
        met_at = situation.done_at(ACTS.get(target.id, "response"))
        if target.triggers and not triggers.intersection(target.triggers):
            continue  # e.g. telling the court of a complaint that needs no telling is no duty
        if not routes.intersection(target.routes) and (
            met_at is None or target.id not in KEPT_WHEN_MET
        ):
            continue
        anchor = _anchor(target, situation, policy, calendar)
        if anchor is None:
            continue
        due = target.due(anchor, calendar, params)
        if (
            target.id == "response-before-hearing"
            and params.response_before_hearing == "only-if-before-limit"
            and (limit := _response_limit(policy, situation)) is not None
            and due
            >= limit.due(
                calendar.deemed_receipt(situation.clock_start(policy), params.cutoff),
                calendar,
                params,
            )
        ):
            continue
        impossible = False
        if target.backward:
            known = max(day0, as_london(situation.hearing_known_at).date())
            impossible = due < known
        original = due
        if params.delay_extends:
            for delay in situation.delays:
                if delay.obligation == target.id and delay.sent_at < end_of_day(due):
                    due = max(due, delay.until)
        out.append(
            Obligation(
                id=target.id,
                due=due,
                strength=target.strength,
                clause=target.clause,
                status=_status(
                    target.strength,
                    due,
                    met_at,
                    impossible,
                    due != original,
                    at,
                    calendar,
                    params.at_risk_working_days,
                ),
                description=target.description,
                met_at=met_at,
                extended_from=original if due != original else None,
                overdue=met_at is None
                and not impossible
                and target.strength == "target"
                and at >= end_of_day(due),
            )
        )
    return tuple(out)


def _status(
    strength: Strength,
    due: date,
    met_at: datetime | None,
    impossible: bool,
    extended: bool,
    at: datetime,
    calendar: WorkingDayCalendar,
    warn_days: int,
) -> ObligationStatus:
    end = end_of_day(due)
    if met_at is not None and met_at < end:
        return "met"
    if impossible:
        return "impossible"
    if met_at is not None:
        return "met-late" if strength == "target" else "breached"
    if at >= end:
        return "breached" if strength == "hard" else "at-risk"
    if warn_days and at >= _start_of(calendar.working_days_before(due + _DAY, warn_days)):
        return "at-risk"
    return "extended" if extended else "pending"


def six_month_limit_of(
    situation: Situation, policy: Policy, calendar: WorkingDayCalendar
) -> date | None:
    """The six-month limit for this complaint, or ``None`` while the case is ongoing."""
    return six_month_limit(situation.involvement_ended, policy, calendar)
