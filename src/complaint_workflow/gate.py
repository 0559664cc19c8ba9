"""What a complaint's situation decides on its own: the gate, the court, the end.

Each decision is written once, as a function of the :class:`~.situation.Situation` (and the
policy where the policy decides), and read by the routes' guards, the event plans
(:mod:`complaint_workflow.plans`), the obligations and the simulator alike. This module sits
below all of them: it imports neither the routes, the plans nor the obligations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from .calendar import WorkingDayCalendar, as_london
from .policy import Policy
from .situation import Situation, eligibility
from .vocabulary import COURT_ASPECTS, TRIAGE_ROUTES, Aspect, ComplainantKind, Eligibility

__all__ = [
    "court_must_hear",
    "court_must_hear_of",
    "eligibility_of",
    "finished",
    "triage_before_response",
]

_TRIAGE: Final = frozenset(TRIAGE_ROUTES)


def eligibility_of(
    situation: Situation, policy: Policy, calendar: WorkingDayCalendar
) -> Eligibility:
    """The gate a complaint meets (see :func:`complaint_workflow.situation.eligibility`)."""
    if situation.involvement_ended is None:
        # No end of involvement: RuleSet.late counts no limit and compares no day, so the
        # London date and day 0 of the receipt are not worked out (placeholders instead).
        day = situation.received_at.date()
        return eligibility(situation.complainant, None, day, day, policy, calendar)
    received = as_london(situation.received_at, "received_at")
    return eligibility(
        situation.complainant,
        situation.involvement_ended,
        received.date(),
        calendar.deemed_receipt(situation.received_at, policy.parameters.cutoff),
        policy,
        calendar,
    )


def court_must_hear_of(
    complainant: ComplainantKind, case_ongoing: bool, aspects: Iterable[Aspect]
) -> bool:
    """Whether the court must be told of a complaint (§4.6, §4.7, §5.4).

    In an ongoing case: every child's complaint, and any complaint with a
    professional-judgement or factual-error aspect. A case with no proceedings left to tell
    has no court to hear of it.

    >>> court_must_hear_of("adult", True, ("factual-error",))
    True
    >>> court_must_hear_of("child", False, ())
    False
    """
    return case_ongoing and (complainant == "child" or not COURT_ASPECTS.isdisjoint(aspects))


def court_must_hear(situation: Situation) -> bool:
    """:func:`court_must_hear_of` for a situation's complainant, case and aspects."""
    return court_must_hear_of(situation.complainant, situation.case_ongoing, situation.aspects)


def triage_before_response(policy: Policy) -> bool:
    """Whether ``policy`` measures a response inside the procedure per triage route.

    True when some target Cafcass owes applies only on triage routes (``early-resolution``,
    ``investigation``), as under ``cafcass-web``: a complaint answered before it is triaged
    would then be measured against none of them, so it must be triaged first.
    """
    return any(
        t.owed_by == "cafcass" and t.routes and _TRIAGE.issuperset(t.routes) for t in policy.targets
    )


def finished(situation: Situation) -> bool:
    """Whether the complaint has reached an end: closed, answered, resolved or refused."""
    st = situation.states
    if st.procedure is not None:
        return st.procedure == "closed"
    if st.outside is not None:
        return st.outside == "responded"
    return st.intake in ("resolved-quickly", "repeated", "not-taken-forward", "refused")
