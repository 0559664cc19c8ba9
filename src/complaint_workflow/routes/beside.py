"""Routes beside the full procedure: a quick fix (§1.5) and a response outside it (§2.2, §2.3)."""

from __future__ import annotations

from ..events import Responded
from ..situation import Context
from .machine import Route, guard

__all__ = ["OUTSIDE", "QUICK_FIX"]


@guard("a response outside the procedure is written (§2.2, §2.3)")
def written(ctx: Context) -> bool:
    event = ctx.event
    return isinstance(event, Responded) and event.method == "written"


QUICK_FIX = Route[Context](
    "quick_fix",
    title="Quick fix by a local manager",
    states=["offered", "responded", "resolved", "escalated"],
    initial="offered",
    final=["resolved", "escalated"],
    transitions=[
        {"trigger": "respond", "source": "offered", "dest": "responded"},
        {"trigger": "accept", "source": "responded", "dest": "resolved"},
        {"trigger": "escalate", "source": ["offered", "responded"], "dest": "escalated"},
    ],
)

OUTSIDE = Route[Context](
    "outside",
    title="Outside the procedure",
    states=["awaiting-response", "responded"],
    initial="awaiting-response",
    final=["responded"],
    transitions=[
        {"trigger": "send_delay_update", "source": "awaiting-response", "dest": None},
        {
            "trigger": "respond",
            "source": "awaiting-response",
            "dest": "responded",
            "conditions": ["written"],
        },
    ],
    guards=[written],
)
