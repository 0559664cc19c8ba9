"""complaint_workflow: the Cafcass complaints procedure as explicit state machines.

The public API is re-exported here; implementation lives in plainly named modules.
"""

from .calendar import LONDON, WorkingDayCalendar, load_govuk_bank_holidays
from .durations import CalendarDays, Duration, Months, Weeks, WorkingDays
from .errors import (
    CalendarDataError,
    CalendarRangeError,
    ComplaintWorkflowError,
    EventRejected,
    InvalidInputError,
    NaiveDatetimeError,
    PolicyError,
)
from .policy import Parameters, Policy, PolicyChange, Target

__all__ = [
    "LONDON",
    "CalendarDataError",
    "CalendarDays",
    "CalendarRangeError",
    "ComplaintWorkflowError",
    "Duration",
    "EventRejected",
    "InvalidInputError",
    "Months",
    "NaiveDatetimeError",
    "Parameters",
    "Policy",
    "PolicyChange",
    "PolicyError",
    "Target",
    "Weeks",
    "WorkingDayCalendar",
    "WorkingDays",
    "load_govuk_bank_holidays",
]

__version__ = "0.1.0"
