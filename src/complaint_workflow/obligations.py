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

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Final

import attrs

from .calendar import LONDON, WorkingDayCalendar, as_london, end_of_day
from .gate import eligibility_of
from .policy import Policy
from .rules import Facts, compile_policy
from .situation import Delay, Situation, six_month_limit
from .vocabulary import (
    ACTS,
    ASPECTS,
    OBLIGATION_STATUSES,
    TARGET_ROUTES,
    ObligationStatus,
    Strength,
)

__all__ = [
    "Obligation",
    "ObligationStatus",
    "derive_forward_only",
    "derive_obligations",
    "eligibility_of",
    "extended",
    "first_obligation",
    "policy_routes",
]

STATUSES: Final = OBLIGATION_STATUSES

RESPONSE_TARGETS: Final = ("response", "early-resolution", "investigation", "outside-response")
"""The targets a delay update extends when it names none: the response owed now."""


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


_DAY: Final = timedelta(days=1)


def _start_of(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=LONDON)


def situation_facts(
    situation: Situation, policy: Policy, calendar: WorkingDayCalendar
) -> Facts[bool, date]:
    """What the rules read of one complaint's situation (see :class:`~.rules.Facts`)."""
    s = situation
    cutoff = policy.parameters.cutoff
    deemed = calendar.deemed_receipt
    routes = policy_routes(s, policy, calendar)
    receipt = deemed(s.receipt_at, cutoff)
    aspects = s.aspects
    triggered: dict[str, bool] = {a: a in aspects for a in ASPECTS}
    triggered["child"] = s.complainant == "child"
    done = dict(s.done)
    start = s.clock_start(policy)  # the receipt itself unless the clock started later
    contacted, triaged = done.get("contact"), done.get("triage")
    hearing, ended, meeting = s.hearing, s.involvement_ended, s.meeting_after_hearing
    return Facts(
        on_route={r: r in routes for r in TARGET_ROUTES},
        triggered=triggered,
        done={act: act in done for act in ACTS},
        receipt=receipt,
        clock=receipt if start is s.receipt_at else deemed(start, cutoff),
        hearing_known=as_london(s.hearing_known_at).date(),
        anchors={
            "contact": (receipt, False) if contacted is None else (deemed(contacted, cutoff), True),
            "triage": (receipt, False) if triaged is None else (deemed(triaged, cutoff), True),
            "hearing": (receipt, False) if hearing is None else (hearing, True),
            "involvement-ended": (receipt, False) if ended is None else (ended, True),
            "meeting-after-hearing": (receipt, False) if meeting is None else (meeting, True),
        },
    )


def derive_obligations(
    situation: Situation,
    policy: Policy,
    calendar: WorkingDayCalendar,
    at: datetime,
) -> tuple[Obligation, ...]:
    """Every obligation of a situation, with its status at the aware instant ``at``.

    ``situation`` must hold only what had happened by ``at``. Which targets are owed, and
    their due dates, come from :mod:`complaint_workflow.rules`; the status is decided here.
    """
    return _derive(situation, policy, calendar, as_london(at, "at"), None)


def _derive(
    situation: Situation,
    policy: Policy,
    calendar: WorkingDayCalendar,
    at: datetime,
    only: frozenset[str] | None,
) -> tuple[Obligation, ...]:
    """:func:`derive_obligations` at a London ``at``; with ``only``, just those targets'."""
    params = policy.parameters
    rules = compile_policy(policy)
    answers = rules.answers(situation_facts(situation, policy, calendar), calendar, only)
    first_done = dict(reversed(situation.done))  # each act's first instant, as done_at
    delays = situation.delays if params.delay_extends else ()
    extensions = situation.extensions
    warn_days = params.at_risk_working_days
    out: list[Obligation] = []
    for rule in rules.rules:
        target = rule.target
        answer = answers.get(target.id)
        if answer is None or not answer.owed:
            continue
        original, impossible = answer.due, answer.impossible
        due = original
        if delays:
            cached = extensions.get(target.id)
            if cached is not None and cached[0] == original:
                due = cached[1]
            elif cached is not None or not extensions:
                # The due date moved since (a hearing moved), or the situation was made by
                # hand: fold every delay again. No entry in a kept cache: no delay for it.
                for delay in delays:
                    if delay.obligation == target.id:
                        due = extended(due, delay)
        met_at = first_done.get(target.met_by)
        strength = target.strength
        moved = due != original
        out.append(
            Obligation(
                id=target.id,
                due=due,
                strength=strength,
                clause=target.clause,
                status=_status(strength, due, met_at, impossible, moved, at, calendar, warn_days),
                description=target.description,
                met_at=met_at,
                extended_from=original if moved else None,
                overdue=met_at is None
                and not impossible
                and strength == "target"
                and at >= end_of_day(due),
            )
        )
    return tuple(out)


def first_obligation(
    situation: Situation,
    eras: Sequence[tuple[Policy, datetime]],
    calendar: WorkingDayCalendar,
    at: datetime,
    ids: Sequence[str],
) -> Obligation | None:
    """The first of ``ids`` (in that order) among the obligations at ``at``, or ``None``.

    Equal to ``next((o for i in ids for o in derive_forward_only(situation, eras, calendar,
    at) if o.id == i), None)`` (``tests/test_properties_scalar.py``), for less work: under one
    policy only those targets, and what they are weighed against, are worked out. For
    example ``first_obligation(..., RESPONSE_TARGETS)`` is the response owed now.
    """
    if len(eras) == 1:
        owed = _derive(situation, eras[0][0], calendar, as_london(at, "at"), frozenset(ids))
    else:
        owed = derive_forward_only(situation, eras, calendar, at)
    by_id = {o.id: o for o in owed}
    return next((by_id[i] for i in ids if i in by_id), None)


def extended(due: date, delay: Delay) -> date:
    """``due`` after one delay update (§4.12): moved to its new date when it was sent before
    the end of ``due``, else unchanged (a late update extends nothing)."""
    return max(due, delay.until) if delay.sent_at < end_of_day(due) else due


def derive_forward_only(
    situation: Situation,
    eras: Sequence[tuple[Policy, datetime]],
    calendar: WorkingDayCalendar,
    at: datetime,
) -> tuple[Obligation, ...]:
    """Every obligation at ``at`` for a complaint that has changed policy.

    ``eras`` lists each policy with the instant it came into force, oldest first (the first
    from the opening). A change looks forward only: an obligation whose due date ended
    before a change is judged under the policy in force when it fell due, and one that a
    later policy would have made due before its change is not owed. With one era this is
    :func:`derive_obligations`.
    """
    if len(eras) == 1:
        return derive_obligations(situation, eras[0][0], calendar, at)
    at = as_london(at, "at")
    out: dict[str, Obligation] = {}
    for index, (policy, start) in enumerate(eras):
        end = eras[index + 1][1] if index + 1 < len(eras) else None
        for o in derive_obligations(situation, policy, calendar, at):
            fell_due = end_of_day(o.due)
            if index and fell_due <= start:
                continue  # due before this policy came into force: not owed under it
            if end is not None and fell_due > end:
                continue  # still open when the policy changed: the next policy judges it
            out[o.id] = o
    return tuple(out.values())


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
