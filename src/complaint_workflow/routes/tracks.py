"""The tracks beside the main procedure: the court, and a child's meeting (§4.6, §4.7, §5).

The court track runs for every complaint in the procedure; it becomes ``due`` when the court
must hear of the complaint (:func:`complaint_workflow.gate.court_must_hear`), ``notified``
when told (or ``corrected`` when correcting factual errors is all §4.7 asks), ``update-due``
when a child's meeting is then held on or after the hearing date (§5.4: the court gets an
update after the meeting), ``updated`` once it has, and ends ``done`` when the complaint
closes (never from ``due`` or ``update-due``). The child's meeting
track runs for every complaint by a child, inside the procedure or not (§5.2: "in any event").
"""

from __future__ import annotations

from ..events import MeetingHeld
from ..situation import Context
from .machine import Route, guard

__all__ = ["CHILD_MEETING", "COURT"]


@guard("the court is updated only after the child's meeting has taken place (§5.4)")
def meeting_held(ctx: Context) -> bool:
    return ctx.situation.states.child == "held"


@guard(
    "correcting the error stands for telling the court only when factual errors are all the"
    " court must hear of (§4.7); a child's complaint or professional judgement needs the "
    "court told"
)
def only_factual_errors(ctx: Context) -> bool:
    s = ctx.situation
    return s.complainant != "child" and "professional-judgement" not in s.aspects


@guard("the child's supporter at the meeting must not be a party to the proceedings (§5.3)")
def supporter_not_a_party(ctx: Context) -> bool:
    event = ctx.event
    return isinstance(event, MeetingHeld) and not event.supporter_is_a_party


COURT = Route[Context](
    "court",
    title="Court notification track",
    states=["not-needed", "due", "notified", "corrected", "update-due", "updated", "done"],
    initial="not-needed",
    final=["done"],
    transitions=[
        {"trigger": "require", "source": "not-needed", "dest": "due"},
        {"trigger": "notify", "source": ["not-needed", "due"], "dest": "notified"},
        {
            "trigger": "correct_error",
            "source": "due",
            "dest": "corrected",
            "conditions": ["only_factual_errors"],
        },
        {"trigger": "owe_update", "source": "notified", "dest": "update-due"},
        {
            "trigger": "update",
            "source": "notified",
            "dest": "updated",
            "conditions": ["meeting_held"],
        },
        {"trigger": "update", "source": "update-due", "dest": "updated"},
        {
            "trigger": "finish",
            "source": ["not-needed", "notified", "corrected", "updated"],
            "dest": "done",
        },
    ],
    guards=[meeting_held, only_factual_errors],
)

CHILD_MEETING = Route[Context](
    "child",
    title="A child's meeting",
    states=["not-offered", "offered", "held", "declined"],
    initial="not-offered",
    final=["held", "declined"],
    transitions=[
        {"trigger": "offer", "source": "not-offered", "dest": "offered"},
        {
            "trigger": "hold",
            "source": "offered",
            "dest": "held",
            "conditions": ["supporter_not_a_party"],
        },
        {"trigger": "decline", "source": "offered", "dest": "declined"},
    ],
    guards=[supporter_not_a_party],
)
