"""The procedure's vocabulary, declared once: every kind, channel, aspect, route and status.

Each word list is a ``Literal`` type for the type checker and a tuple of its values (taken
from the type, never retyped) for validation, CLI choices, tables and pandas categoricals.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias, get_args

__all__ = [
    "ACTS",
    "ANCHORS",
    "ASPECTS",
    "CHANNELS",
    "COMPLAINANTS",
    "CONDUCT_REFERRALS",
    "CONTACT_METHODS",
    "COURT_ASPECTS",
    "ELIGIBILITIES",
    "OBLIGATION_STATUSES",
    "PROCEDURE_COMPLAINANTS",
    "RESPONSE_METHODS",
    "STRENGTHS",
    "TARGET_ROUTES",
    "TRIAGE_ROUTES",
    "TRIGGERS",
    "Act",
    "Anchor",
    "Aspect",
    "Channel",
    "ComplainantKind",
    "ConductReferral",
    "ContactMethod",
    "Eligibility",
    "ObligationStatus",
    "ResponseMethod",
    "Strength",
    "TargetRoute",
    "TriageRoute",
    "Trigger",
]

ComplainantKind: TypeAlias = Literal["adult", "child", "other", "employee-matter"]
"""Who complains: an adult party; the child the case is about; a relative, friend or other
professional (``other``, §2.2); a service user about an employee, not about a case
(``employee-matter``, §2.3)."""
COMPLAINANTS: Final[tuple[ComplainantKind, ...]] = get_args(ComplainantKind)
PROCEDURE_COMPLAINANTS: Final[tuple[ComplainantKind, ...]] = ("adult", "child")
"""The service users whose complaints the procedure takes (the others are answered outside)."""

Channel: TypeAlias = Literal["in-person", "phone", "letter", "email", "web-form", "feedback-form"]
"""How a complaint arrived (§4.2), or from a feedback form taken forward."""
CHANNELS: Final[tuple[Channel, ...]] = get_args(Channel)

Aspect: TypeAlias = Literal[
    "professional-judgement",
    "factual-error",
    "case-management",
    "conduct",
    "commissioned-provider",
]
"""The five categories of the assessment (§4.4)."""
ASPECTS: Final[tuple[Aspect, ...]] = get_args(Aspect)
COURT_ASPECTS: Final[frozenset[Aspect]] = frozenset({"professional-judgement", "factual-error"})
"""The aspects the court is told of (§4.6, §4.7)."""

Trigger: TypeAlias = Literal[
    "child",
    "professional-judgement",
    "factual-error",
    "case-management",
    "conduct",
    "commissioned-provider",
]
"""What can make a target apply: a child complainant, or an aspect of the complaint."""
TRIGGERS: Final[tuple[Trigger, ...]] = get_args(Trigger)

TriageRoute: TypeAlias = Literal["early-resolution", "investigation"]
"""Where triage sends a complaint (web page)."""
TRIAGE_ROUTES: Final[tuple[TriageRoute, ...]] = get_args(TriageRoute)

TargetRoute: TypeAlias = Literal[
    "procedure", "early-resolution", "investigation", "outside-procedure"
]
"""Where a target applies: the full procedure (any triage), one triage route, or outside it."""
TARGET_ROUTES: Final[tuple[TargetRoute, ...]] = get_args(TargetRoute)

Anchor: TypeAlias = Literal[
    "receipt", "contact", "triage", "hearing", "involvement-ended", "meeting-after-hearing"
]
"""What a target counts from. ``hearing`` counts backward, to a date before the hearing;
``meeting-after-hearing`` is the day of a child's meeting held after the hearing then listed
(and there is no such anchor otherwise)."""
ANCHORS: Final[tuple[Anchor, ...]] = get_args(Anchor)

Strength: TypeAlias = Literal["hard", "target"]
"""``hard``: missing it is a breach. ``target``: "where possible"; missed is ``met-late``."""
STRENGTHS: Final[tuple[Strength, ...]] = get_args(Strength)

ObligationStatus: TypeAlias = Literal[
    "pending", "at-risk", "met", "met-late", "breached", "impossible", "extended"
]
"""An obligation's status at an instant (see :mod:`complaint_workflow.obligations`)."""
OBLIGATION_STATUSES: Final[tuple[ObligationStatus, ...]] = get_args(ObligationStatus)

Eligibility: TypeAlias = Literal["in-time", "exceptional-circumstances", "outside-procedure"]
"""How the intake gate sees a complaint: in time for the procedure, out of time (a decision on
exceptional circumstances is needed), or not for the procedure at all."""
ELIGIBILITIES: Final[tuple[Eligibility, ...]] = get_args(Eligibility)

Act: TypeAlias = Literal[
    "forward-to-cst",
    "contact",
    "triage",
    "response",
    "court-notification",
    "court-update",
    "meeting-offered",
    "meeting",
    "closed",
]
"""A recorded act that can meet a target (the first instant it was done counts)."""
ACTS: Final[tuple[Act, ...]] = get_args(Act)

ContactMethod: TypeAlias = Literal["discussion", "email-assessment"]
"""How the first contact went: a discussion offered, or the assessment sent by email."""
CONTACT_METHODS: Final[tuple[ContactMethod, ...]] = get_args(ContactMethod)

ResponseMethod: TypeAlias = Literal["written", "phone"]
"""How a response went: in writing, or (early resolution only) by phone."""
RESPONSE_METHODS: Final[tuple[ResponseMethod, ...]] = get_args(ResponseMethod)

ConductReferral: TypeAlias = Literal["manager", "head-of-practice"]
"""Who a conduct aspect goes to (§4.8): the officer's manager, or if serious the Head of
Practice / Assistant Director."""
CONDUCT_REFERRALS: Final[tuple[ConductReferral, ...]] = get_args(ConductReferral)
