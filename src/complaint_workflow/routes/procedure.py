"""The full procedure's main track (§4, web page): contact, assessment, triage, response.

received by the CST → contacted → assessed → (early resolution | investigation) →
responded → closed. The written procedure has no triage: respond straight from ``assessed``;
under a policy whose response targets are per triage route (``cafcass-web``) the complaint is
triaged before it is answered.
"""

from __future__ import annotations

from ..events import Assessed, ConductReferred, Responded
from ..gate import triage_before_response
from ..situation import Context
from .machine import Route, guard

__all__ = ["PROCEDURE"]


@guard(
    "only a complaint assessed with a factual-error aspect has a factual error to correct (§4.7)"
)
def factual_error_assessed(ctx: Context) -> bool:
    return "factual-error" in ctx.situation.aspects


@guard(
    "under a policy whose response targets are per triage route, the complaint must be "
    "triaged (early resolution or investigation) before it is answered"
)
def triaged_if_the_policy_triages(ctx: Context) -> bool:
    return ctx.situation.states.procedure != "assessed" or not triage_before_response(ctx.policy)


@guard(
    "an assessment must name at least one of the five categories (§4.4), each once, and "
    "serious conduct only with a conduct aspect (§4.8)"
)
def aspects_given(ctx: Context) -> bool:
    event = ctx.event
    return (
        isinstance(event, Assessed)
        and len(event.aspects) > 0
        and len(set(event.aspects)) == len(event.aspects)
        and (not event.serious_conduct or "conduct" in event.aspects)
    )


@guard(
    "a response inside the procedure must tell the complainant how to refer the complaint "
    "to the PHSO through an MP (§4.11)"
)
def phso_signposted(ctx: Context) -> bool:
    event = ctx.event
    return isinstance(event, Responded) and event.phso_signposted


@guard("only early resolution may answer by phone; every other response is written (§4.10)")
def phone_only_for_early_resolution(ctx: Context) -> bool:
    event = ctx.event
    return isinstance(event, Responded) and (
        event.method == "written" or ctx.situation.states.procedure == "early-resolution"
    )


@guard(
    "every assessed aspect's action must be done first: conduct referred (serious conduct "
    "to the Head of Practice), a commissioned provider's response agreed (§4.8, §4.9)"
)
def actions_done(ctx: Context) -> bool:
    s = ctx.situation
    if "conduct" in s.aspects and s.conduct_referred_to is None:
        return False
    if s.serious_conduct and s.conduct_referred_to != "head-of-practice":
        return False
    return "commissioned-provider" not in s.aspects or s.provider_response is not None


@guard(
    "only a complaint assessed as about conduct is referred; serious conduct goes to the "
    "Head of Practice / Assistant Director (§4.8)"
)
def conduct_assessed(ctx: Context) -> bool:
    event = ctx.event
    s = ctx.situation
    return (
        isinstance(event, ConductReferred)
        and "conduct" in s.aspects
        and (not s.serious_conduct or event.to == "head-of-practice")
    )


@guard("only a complaint assessed as about a commissioned provider needs a response agreed")
def provider_assessed(ctx: Context) -> bool:
    return "commissioned-provider" in ctx.situation.aspects


_WORKING = ["contacted", "assessed", "early-resolution", "investigation"]

PROCEDURE = Route[Context](
    "procedure",
    title="Full procedure",
    states=[
        "awaiting-contact",
        "contacted",
        "assessed",
        "early-resolution",
        "investigation",
        "responded",
        "closed",
    ],
    initial="awaiting-contact",
    final=["closed"],
    transitions=[
        {"trigger": "contact", "source": "awaiting-contact", "dest": "contacted"},
        {
            "trigger": "assess",
            "source": "contacted",
            "dest": "assessed",
            "conditions": ["aspects_given"],
        },
        {"trigger": "triage_early", "source": "assessed", "dest": "early-resolution"},
        {"trigger": "triage_investigation", "source": "assessed", "dest": "investigation"},
        {"trigger": "escalate", "source": "early-resolution", "dest": "investigation"},
        {
            "trigger": "refer_conduct",
            "source": ["assessed", "early-resolution", "investigation"],
            "dest": None,
            "conditions": ["conduct_assessed"],
        },
        {
            "trigger": "agree_provider_response",
            "source": ["assessed", "early-resolution", "investigation"],
            "dest": None,
            "conditions": ["provider_assessed"],
        },
        {
            "trigger": "correct_factual_error",
            "source": _WORKING[1:],
            "dest": None,
            "conditions": ["factual_error_assessed"],
        },
        {"trigger": "send_delay_update", "source": ["awaiting-contact", *_WORKING], "dest": None},
        {
            "trigger": "respond",
            "source": ["assessed", "early-resolution", "investigation"],
            "dest": "responded",
            "conditions": [
                "triaged_if_the_policy_triages",
                "phso_signposted",
                "phone_only_for_early_resolution",
                "actions_done",
            ],
        },
        {"trigger": "close", "source": "responded", "dest": "closed"},
    ],
    guards=[
        aspects_given,
        triaged_if_the_policy_triages,
        factual_error_assessed,
        phso_signposted,
        phone_only_for_early_resolution,
        actions_done,
        conduct_assessed,
        provider_assessed,
    ],
)
