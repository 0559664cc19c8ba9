"""Intake and gates (§3, §4.1, §4.2, §1.5, web page): who complains, in time, accepted how.

Every complaint starts here. The gate hands the complaint to one route: the full procedure,
a quick fix, a response outside the procedure; or it ends here (refused, a repeat, a
challenge not taken forward).
"""

from __future__ import annotations

from ..events import ChallengeNotTakenForward, ContactRestricted, RepeatedComplaintLinked
from ..gate import eligibility_of
from ..situation import Context
from .machine import Route, guard

__all__ = ["INTAKE"]


@guard("only a service user's complaint made in time (or accepted as exceptional) enters here")
def in_time_service_user(ctx: Context) -> bool:
    return ctx.situation.complainant in ("adult", "child") and not _out_of_time(ctx)


@guard("only a service user's complaint made after the six-month limit needs this decision")
def out_of_time_service_user(ctx: Context) -> bool:
    return ctx.situation.complainant in ("adult", "child") and _out_of_time(ctx)


@guard("only a complaint by someone else, or about an employee outside a case, goes outside")
def not_a_service_users_case_complaint(ctx: Context) -> bool:
    return ctx.situation.complainant in ("other", "employee-matter")


@guard("the complainant must be told of a decision to limit contact or refuse the complaint")
def complainant_told(ctx: Context) -> bool:
    event = ctx.event
    return isinstance(event, ContactRestricted) and event.complainant_told


@guard("the complainant must be told why, and what options they have")
def told_why_and_options(ctx: Context) -> bool:
    event = ctx.event
    return isinstance(event, ChallengeNotTakenForward) and event.told_why_and_options


@guard(
    "a repeated complaint is linked only once the complainant is told it will not be "
    "reinvestigated (§4.1)"
)
def told_not_reinvestigated(ctx: Context) -> bool:
    event = ctx.event
    return isinstance(event, RepeatedComplaintLinked) and event.told_not_reinvestigated


def _out_of_time(ctx: Context) -> bool:
    return eligibility_of(ctx.situation, ctx.policy, ctx.calendar) == "exceptional-circumstances"


INTAKE = Route[Context](
    "intake",
    title="Intake and gates",
    states=[
        "received",
        "with-cst",
        "resubmission-requested",
        "exceptional-review",
        "quick-fix",
        "procedure",
        "outside-procedure",
        "resolved-quickly",
        "repeated",
        "not-taken-forward",
        "refused",
    ],
    initial="received",
    final=[
        "procedure",
        "outside-procedure",
        "resolved-quickly",
        "repeated",
        "not-taken-forward",
        "refused",
    ],
    transitions=[
        {"trigger": "forward", "source": "received", "dest": "with-cst"},
        {
            "trigger": "request_resubmission",
            "source": ["received", "with-cst"],
            "dest": "resubmission-requested",
        },
        {"trigger": "resubmit", "source": "resubmission-requested", "dest": "with-cst"},
        {
            "trigger": "refuse",
            "source": ["received", "with-cst", "resubmission-requested"],
            "dest": "refused",
            "conditions": ["complainant_told"],
        },
        {
            "trigger": "accept",
            "source": "with-cst",
            "dest": "procedure",
            "conditions": ["in_time_service_user"],
        },
        {
            "trigger": "review_exceptional",
            "source": "with-cst",
            "dest": "exceptional-review",
            "conditions": ["out_of_time_service_user"],
        },
        {"trigger": "accept_exceptional", "source": "exceptional-review", "dest": "procedure"},
        {
            "trigger": "decline_exceptional",
            "source": "exceptional-review",
            "dest": "outside-procedure",
        },
        {
            "trigger": "route_outside",
            "source": ["received", "with-cst"],
            "dest": "outside-procedure",
            "conditions": ["not_a_service_users_case_complaint"],
        },
        {
            "trigger": "offer_quick_fix",
            "source": "with-cst",
            "dest": "quick-fix",
            "conditions": ["in_time_service_user"],
        },
        {"trigger": "escalate_quick_fix", "source": "quick-fix", "dest": "procedure"},
        {"trigger": "resolve_quick_fix", "source": "quick-fix", "dest": "resolved-quickly"},
        {
            "trigger": "link_repeated",
            "source": "with-cst",
            "dest": "repeated",
            "conditions": ["told_not_reinvestigated"],
        },
        {
            "trigger": "decline_challenge",
            "source": "with-cst",
            "dest": "not-taken-forward",
            "conditions": ["told_why_and_options"],
        },
    ],
    guards=[
        in_time_service_user,
        out_of_time_service_user,
        not_a_service_users_case_complaint,
        complainant_told,
        told_why_and_options,
        told_not_reinvestigated,
    ],
)
