"""Where a complaint stands: the facts folded from its history, as one frozen value.

A :class:`Situation` is what the route guards read and what the obligations are derived
from. It holds no personal data and no deadline: deadlines are computed from it, at an
instant, by :mod:`complaint_workflow.obligations`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Literal

import attrs

from .calendar import WorkingDayCalendar
from .events import Aspect, ComplainantKind, Event
from .policy import Policy
from .rules import ScalarOps, compile_policy
from .vocabulary import PROCEDURE_COMPLAINANTS, Eligibility

__all__ = ["Context", "Delay", "Eligibility", "RouteStates", "Situation", "eligibility"]


@attrs.frozen
class RouteStates:
    """The state of each route; ``None`` where a route has not started for this complaint."""

    intake: str = "received"
    procedure: str | None = None
    court: str | None = None
    child: str | None = None
    quick_fix: str | None = None
    outside: str | None = None

    def active(self) -> dict[str, str]:
        """The routes that have started, with their states."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


@attrs.frozen
class Delay:
    """A delay update: sent at ``sent_at`` for obligation ``obligation``, new date ``until``."""

    obligation: str
    sent_at: datetime
    until: date


@attrs.frozen(weakref_slot=False)  # no weak-reference slot: see _frozen.builder
class Situation:
    """The facts of one complaint at one point of its history."""

    complaint_id: str
    complainant: ComplainantKind
    channel: str
    case_ongoing: bool
    involvement_ended: date | None
    staff_named: int
    policy_id: str
    received_at: datetime
    """When the complaint was first received (aware, as given)."""
    receipt_at: datetime
    """The receipt the procedure counts from: ``received_at`` or the latest re-submission."""
    hearing: date | None
    hearing_known_at: datetime
    linked_to: str | None = None
    states: RouteStates = RouteStates()
    aspects: tuple[Aspect, ...] = ()
    serious_conduct: bool = False
    triage: Literal["early-resolution", "investigation"] | None = None
    conduct_referred_to: str | None = None
    provider_response: Literal["joint", "separate"] | None = None
    contact_restriction: str | None = None
    done: tuple[tuple[str, datetime], ...] = ()
    """First instant each act was done: ``forward-to-cst``, ``contact``, ``triage``,
    ``response``, ``court-notification``, ``court-update``, ``meeting`` …"""
    delays: Sequence[Delay] = ()
    """Every delay update, in order (an immutable :class:`~.sequence.Timeline` once one is
    sent, so that each update costs O(1))."""
    last_at: datetime | None = None
    meeting_after_hearing: date | None = None
    """The London date of a child's meeting held after the hearing then listed (§5.4)."""
    extensions: Mapping[str, tuple[date, date]] = attrs.field(factory=dict, eq=False)
    """:attr:`delays` folded, per obligation delayed: ``(due date before any delay, due date
    after them)``. The folded date is used while the first still holds; when it does not (a
    moved hearing moved it) every delay for that obligation is folded again. An obligation
    with no entry has no delay. Kept by each delay update, so one costs O(1)."""

    def clock_start(self, policy: Policy) -> datetime:
        """Where the procedure's receipt-anchored targets count from, under ``policy``.

        The receipt, unless the procedure began later: a quick fix escalated, or a late
        complaint accepted, counts from that moment when the policy says so (§1.5, §3.1).
        """
        params = policy.parameters
        escalated = self.done_at("quick-fix-escalation")
        if escalated is not None and params.quick_fix_counts_from == "escalation":
            return escalated
        decided = self.done_at("exceptional-decision")
        if decided is not None and params.exceptional_counts_from == "decision":
            return decided
        return self.receipt_at

    def done_at(self, act: str) -> datetime | None:
        """When ``act`` was first done, or ``None``."""
        return next((at for name, at in self.done if name == act), None)


@attrs.frozen(weakref_slot=False)  # no weak-reference slot: see _frozen.builder
class Context:
    """What a guard sees: the situation before the event, the event, the policy, the calendar."""

    situation: Situation
    event: Event
    policy: Policy
    calendar: WorkingDayCalendar


def eligibility(
    complainant: ComplainantKind,
    involvement_ended: date | None,
    received_on: date,
    deemed_on: date,
    policy: Policy,
    calendar: WorkingDayCalendar,
) -> Eligibility:
    """Which gate a complaint meets, from who complains and the six-month rule (§3.1, §5.2).

    ``received_on`` is the London date actually received, ``deemed_on`` day 0; the policy's
    ``six_month_compares`` says which is held against the limit (received on the limit is
    in time). The decision itself is :meth:`complaint_workflow.rules.RuleSet.late`.
    """
    if complainant not in PROCEDURE_COMPLAINANTS:
        return "outside-procedure"
    late, _, _ = compile_policy(policy).late(
        service_user=True,
        ended=received_on if involvement_ended is None else involvement_ended,
        has_ended=involvement_ended is not None,
        received=received_on,
        deemed=deemed_on,
        ops=ScalarOps(calendar, policy.parameters),
    )
    return "exceptional-circumstances" if late else "in-time"


def six_month_limit(
    involvement_ended: date | None, policy: Policy, calendar: WorkingDayCalendar
) -> date | None:
    """The last day a complaint is in time, or ``None`` (case ongoing, or no such limit)."""
    limit = compile_policy(policy).limit
    if involvement_ended is None or limit is None:
        return None
    return limit.target.due(involvement_ended, calendar, policy.parameters)
