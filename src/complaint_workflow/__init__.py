"""complaint_workflow: the Cafcass complaints procedure as explicit state machines.

The public API is re-exported here; implementation lives in plainly named modules. The errors
are imported with the package; every other public name is imported on first use (PEP 562
``__getattr__``), so ``import complaint_workflow`` stays light and loads only what a program
touches. ``from complaint_workflow import *`` and ``dir()`` see every name in ``__all__``.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from .errors import (
    CalendarDataError,
    CalendarRangeError,
    ComplaintNotFound,
    ComplaintWorkflowError,
    ConcurrencyError,
    DuplicateComplaintError,
    EventRejected,
    HistoryError,
    InvalidInputError,
    InvalidValueError,
    MissingDependencyError,
    NaiveDatetimeError,
    PinnedPolicyError,
    PolicyError,
    RouteDefinitionError,
    StoreError,
)

if TYPE_CHECKING:  # what the lazy names are, for type checkers and IDEs
    from .calendar import LONDON, WorkingDayCalendar, load_govuk_bank_holidays
    from .complaint import Complaint
    from .deadlines import DeadlineReport, deadlines
    from .durations import CalendarDays, Duration, Months, Weeks, WorkingDays
    from .events import (
        Aspect,
        Assessed,
        ChallengeNotTakenForward,
        ComplainantKind,
        ComplaintClosed,
        ComplaintOpened,
        ConductReferred,
        ContactMade,
        ContactRestricted,
        CourtNotified,
        CourtUpdated,
        DelayUpdateSent,
        Event,
        ExceptionalCircumstancesDecided,
        FactualErrorCorrected,
        ForwardedToCST,
        HearingListed,
        HearingMoved,
        HearingVacated,
        MeetingDeclined,
        MeetingHeld,
        MeetingOffered,
        PolicyChanged,
        ProviderResponseAgreed,
        QuickFixAccepted,
        QuickFixEscalated,
        QuickFixOffered,
        QuickFixResponded,
        RepeatedComplaintLinked,
        Responded,
        ResubmissionRequested,
        Resubmitted,
        Triaged,
    )
    from .feedback import (
        AskedToTakeForward,
        ComplaintOpenedFromFeedback,
        Compliment,
        ComplimentPassedOn,
        ComplimentRecorded,
        Feedback,
        FeedbackFiled,
        FeedbackRecorded,
        TakeForwardAnswered,
    )
    from .obligations import Obligation, ObligationStatus
    from .personal import PersonalDetails
    from .policy import Parameters, Policy, PolicyChange, Target
    from .reports import CountingRule, quarter_of, quarterly_counts
    from .situation import Eligibility

_LAZY: dict[str, str] = {
    "LONDON": "calendar",
    "WorkingDayCalendar": "calendar",
    "load_govuk_bank_holidays": "calendar",
    "Complaint": "complaint",
    "DeadlineReport": "deadlines",
    "deadlines": "deadlines",
    "CalendarDays": "durations",
    "Duration": "durations",
    "Months": "durations",
    "Weeks": "durations",
    "WorkingDays": "durations",
    "Aspect": "events",
    "Assessed": "events",
    "ChallengeNotTakenForward": "events",
    "ComplainantKind": "events",
    "ComplaintClosed": "events",
    "ComplaintOpened": "events",
    "ConductReferred": "events",
    "ContactMade": "events",
    "ContactRestricted": "events",
    "CourtNotified": "events",
    "CourtUpdated": "events",
    "DelayUpdateSent": "events",
    "Event": "events",
    "ExceptionalCircumstancesDecided": "events",
    "FactualErrorCorrected": "events",
    "ForwardedToCST": "events",
    "HearingListed": "events",
    "HearingMoved": "events",
    "HearingVacated": "events",
    "MeetingDeclined": "events",
    "MeetingHeld": "events",
    "MeetingOffered": "events",
    "PolicyChanged": "events",
    "ProviderResponseAgreed": "events",
    "QuickFixAccepted": "events",
    "QuickFixEscalated": "events",
    "QuickFixOffered": "events",
    "QuickFixResponded": "events",
    "RepeatedComplaintLinked": "events",
    "Responded": "events",
    "ResubmissionRequested": "events",
    "Resubmitted": "events",
    "Triaged": "events",
    "AskedToTakeForward": "feedback",
    "ComplaintOpenedFromFeedback": "feedback",
    "Compliment": "feedback",
    "ComplimentPassedOn": "feedback",
    "ComplimentRecorded": "feedback",
    "Feedback": "feedback",
    "FeedbackFiled": "feedback",
    "FeedbackRecorded": "feedback",
    "TakeForwardAnswered": "feedback",
    "Obligation": "obligations",
    "ObligationStatus": "obligations",
    "PersonalDetails": "personal",
    "Parameters": "policy",
    "Policy": "policy",
    "PolicyChange": "policy",
    "Target": "policy",
    "CountingRule": "reports",
    "quarter_of": "reports",
    "quarterly_counts": "reports",
    "Eligibility": "situation",
}
"""Each lazily imported public name and the submodule that defines it."""


def __getattr__(name: str) -> Any:
    """Import a public name's submodule on first use and keep the name here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package's module: a submodule named like the public name it defines
    (``deadlines``) never hides that name when something imports the submodule first."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "LONDON",
    "AskedToTakeForward",
    "Aspect",
    "Assessed",
    "CalendarDataError",
    "CalendarDays",
    "CalendarRangeError",
    "ChallengeNotTakenForward",
    "ComplainantKind",
    "Complaint",
    "ComplaintClosed",
    "ComplaintNotFound",
    "ComplaintOpened",
    "ComplaintOpenedFromFeedback",
    "ComplaintWorkflowError",
    "Compliment",
    "ComplimentPassedOn",
    "ComplimentRecorded",
    "ConcurrencyError",
    "ConductReferred",
    "ContactMade",
    "ContactRestricted",
    "CountingRule",
    "CourtNotified",
    "CourtUpdated",
    "DeadlineReport",
    "DelayUpdateSent",
    "DuplicateComplaintError",
    "Duration",
    "Eligibility",
    "Event",
    "EventRejected",
    "ExceptionalCircumstancesDecided",
    "FactualErrorCorrected",
    "Feedback",
    "FeedbackFiled",
    "FeedbackRecorded",
    "ForwardedToCST",
    "HearingListed",
    "HearingMoved",
    "HearingVacated",
    "HistoryError",
    "InvalidInputError",
    "InvalidValueError",
    "MeetingDeclined",
    "MeetingHeld",
    "MeetingOffered",
    "MissingDependencyError",
    "Months",
    "NaiveDatetimeError",
    "Obligation",
    "ObligationStatus",
    "Parameters",
    "PersonalDetails",
    "PinnedPolicyError",
    "Policy",
    "PolicyChange",
    "PolicyChanged",
    "PolicyError",
    "ProviderResponseAgreed",
    "QuickFixAccepted",
    "QuickFixEscalated",
    "QuickFixOffered",
    "QuickFixResponded",
    "RepeatedComplaintLinked",
    "Responded",
    "ResubmissionRequested",
    "Resubmitted",
    "RouteDefinitionError",
    "StoreError",
    "TakeForwardAnswered",
    "Target",
    "Triaged",
    "Weeks",
    "WorkingDayCalendar",
    "WorkingDays",
    "deadlines",
    "load_govuk_bank_holidays",
    "quarter_of",
    "quarterly_counts",
]

__version__ = "0.1.0"
