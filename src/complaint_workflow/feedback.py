"""Beside the procedure: feedback forms (which may become complaints) and compliments.

**Feedback** (web page; FOI answer, 2015) may be anonymous: it is recorded and learned from, and
nobody is contacted. Where a form expresses dissatisfaction with the handling of a case and
the person can be reached, the Customer Feedback Team asks whether they want it taken forward
as a complaint; yes opens a complaint linked to the form.

**Compliments** (§6) come from a service user (recorded on the case management system and
brought to the relevant service manager) or a professional (recorded by the local manager),
including complimentary comments written on a feedback form. They are reported quarterly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

import attrs

from .calendar import WorkingDayCalendar, as_london
from .complaint import Complaint, check_next_event
from .errors import EventRejected
from .events import ComplainantKind, Event
from .personal import PersonalDetails
from .policy import Policy
from .routes.machine import Route

__all__ = [
    "AskedToTakeForward",
    "Compliment",
    "ComplimentPassedOn",
    "Feedback",
    "FeedbackFiled",
    "TakeForwardAnswered",
]


# --------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class AskedToTakeForward(Event):
    """The Customer Feedback Team asked whether the person wants a complaint taken forward."""

    name: ClassVar[str] = "asked-to-take-forward"


@attrs.frozen(kw_only=True)
class TakeForwardAnswered(Event):
    """The answer: ``yes`` opens a linked complaint; ``no`` (or no answer) keeps it feedback."""

    name: ClassVar[str] = "take-forward-answered"
    yes: bool


@attrs.frozen(kw_only=True)
class FeedbackFiled(Event):
    """The feedback was recorded and learned from; nobody is contacted."""

    name: ClassVar[str] = "feedback-filed"


@attrs.frozen(kw_only=True)
class ComplimentPassedOn(Event):
    """The compliment reached the right manager (§6.1-§6.3)."""

    name: ClassVar[str] = "compliment-passed-on"


@attrs.frozen(kw_only=True)
class _Received(Event):
    name: ClassVar[str] = "received"


# --------------------------------------------------------------------- machines


@attrs.frozen
class _FeedbackContext:
    feedback: Feedback


def _reachable_and_dissatisfied(ctx: _FeedbackContext) -> bool:
    """only a form that expresses dissatisfaction, from someone who can be reached, is followed
    up (anonymous feedback is never followed up)"""
    return ctx.feedback.dissatisfied and not ctx.feedback.anonymous


FEEDBACK = Route[_FeedbackContext](
    "feedback",
    title="Feedback form",
    states=["recorded", "asked", "taken-forward", "kept-as-feedback"],
    initial="recorded",
    final=["taken-forward", "kept-as-feedback"],
    transitions=[
        {
            "trigger": "ask",
            "source": "recorded",
            "dest": "asked",
            "conditions": ["reachable_and_dissatisfied"],
        },
        {"trigger": "answer_yes", "source": "asked", "dest": "taken-forward"},
        {"trigger": "answer_no", "source": "asked", "dest": "kept-as-feedback"},
        {"trigger": "file", "source": "recorded", "dest": "kept-as-feedback"},
    ],
    guards={"reachable_and_dissatisfied": _reachable_and_dissatisfied},
)

COMPLIMENT = Route[Any](
    "compliment",
    title="Compliment",
    states=["received", "passed-to-manager"],
    initial="received",
    final=["passed-to-manager"],
    transitions=[{"trigger": "pass_on", "source": "received", "dest": "passed-to-manager"}],
)


def _move(route: Route[Any], state: str, trigger: str, context: object, name: str) -> str:
    result = route.step(state, trigger, context)
    if not isinstance(result, str):
        raise EventRejected(state, name, result.reason)
    return result


# --------------------------------------------------------------------- feedback


@attrs.frozen(repr=False)
class Feedback:
    """A feedback form: recorded, maybe followed up, maybe taken forward as a complaint.

    >>> from datetime import datetime
    >>> from complaint_workflow import LONDON, PersonalDetails
    >>> at = datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)
    >>> form = Feedback.record(feedback_id="F-1", received_at=at, dissatisfied=True,
    ...                        personal=PersonalDetails(contact="someone@example.org"))
    >>> form = form.apply(AskedToTakeForward(at=at)).apply(TakeForwardAnswered(at=at, yes=True))
    >>> form.open_complaint(complaint_id="C-9", complainant="adult", at=at)
    Complaint('C-9', version=1, state='intake:received', policy='cafcass-web')
    """

    id: str
    received_at: datetime
    form: Literal["adult", "older-child", "younger-child"]
    dissatisfied: bool
    complimentary: bool
    state: str
    history: tuple[Event, ...]
    personal: PersonalDetails | None = None

    def __repr__(self) -> str:
        return f"Feedback({self.id!r}, state={self.state!r}, anonymous={self.anonymous})"

    @classmethod
    def record(
        cls,
        *,
        feedback_id: str,
        received_at: datetime,
        form: Literal["adult", "older-child", "younger-child"] = "adult",
        dissatisfied: bool = False,
        complimentary: bool = False,
        personal: PersonalDetails | None = None,
    ) -> Feedback:
        """Record a feedback form (it may be anonymous: leave ``personal`` out)."""
        as_london(received_at, "received_at")
        return cls(
            id=feedback_id,
            received_at=received_at,
            form=form,
            dissatisfied=dissatisfied,
            complimentary=complimentary,
            state=FEEDBACK.initial,
            history=(_Received(at=received_at, version=1),),
            personal=personal,
        )

    @property
    def anonymous(self) -> bool:
        """Whether the person cannot be reached."""
        return self.personal is None or self.personal.anonymous

    def apply(self, event: Event) -> Feedback:
        """The feedback after ``event``; raises :class:`EventRejected` and changes nothing."""
        triggers = {
            AskedToTakeForward: "ask",
            FeedbackFiled: "file",
        }
        if isinstance(event, TakeForwardAnswered):
            trigger = "answer_yes" if event.yes else "answer_no"
        elif type(event) in triggers:
            trigger = triggers[type(event)]
        else:
            raise EventRejected(self.state, type(event).__name__, "not an event for feedback")
        version = check_next_event(self.state, self.history, event)
        state = _move(FEEDBACK, self.state, trigger, _FeedbackContext(self), event.name)
        return attrs.evolve(
            self, state=state, history=(*self.history, attrs.evolve(event, version=version))
        )

    def open_complaint(
        self,
        *,
        complaint_id: str,
        complainant: ComplainantKind,
        at: datetime,
        policy: Policy | str = "cafcass-web",
        calendar: WorkingDayCalendar | None = None,
        **facts: Any,
    ) -> Complaint:
        """Open the complaint the person asked for, linked to this form, received at ``at``."""
        if self.state != "taken-forward":
            raise EventRejected(
                self.state, "complaint-opened", "only feedback taken forward becomes a complaint"
            )
        return Complaint.open(
            complaint_id=complaint_id,
            received_at=at,
            complainant=complainant,
            channel="feedback-form",
            personal=self.personal,
            policy=policy,
            calendar=calendar,
            linked_to=self.id,
            **facts,
        )

    def compliment(self, *, compliment_id: str) -> Compliment:
        """The compliment recorded from complimentary comments on this form (§7 of procedure.md)."""
        if not self.complimentary:
            raise EventRejected(self.state, "compliment", "the form holds no complimentary comment")
        return Compliment.record(
            compliment_id=compliment_id,
            received_at=self.received_at,
            source="service-user",
            via_feedback_form=True,
        )


# --------------------------------------------------------------------- compliments


@attrs.frozen
class Compliment:
    """A compliment, from a service user or a professional; counted per quarter (§6.4).

    >>> from datetime import datetime
    >>> from complaint_workflow import LONDON
    >>> c = Compliment.record(compliment_id="K-1", source="professional",
    ...                       received_at=datetime(2024, 6, 12, 10, 0, tzinfo=LONDON))
    >>> c.manager, c.recorded_on
    ('local-manager', 'performance-management-system')
    """

    id: str
    received_at: datetime
    source: Literal["service-user", "professional"]
    via_feedback_form: bool
    state: str
    history: tuple[Event, ...]

    @classmethod
    def record(
        cls,
        *,
        compliment_id: str,
        received_at: datetime,
        source: Literal["service-user", "professional"],
        via_feedback_form: bool = False,
    ) -> Compliment:
        """Record a compliment as received (§6.1)."""
        as_london(received_at, "received_at")
        if source not in ("service-user", "professional"):
            raise EventRejected("(new)", "received", "source must be service-user or professional")
        return cls(
            id=compliment_id,
            received_at=received_at,
            source=source,
            via_feedback_form=via_feedback_form,
            state=COMPLIMENT.initial,
            history=(_Received(at=received_at, version=1),),
        )

    @property
    def manager(self) -> str:
        """Whom it goes to: the relevant service manager, or the local manager (§6.2, §6.3)."""
        return "service-manager" if self.source == "service-user" else "local-manager"

    @property
    def recorded_on(self) -> str:
        """Where it is recorded: the case management system, or the performance system."""
        return "ecms" if self.source == "service-user" else "performance-management-system"

    def apply(self, event: Event) -> Compliment:
        """The compliment after ``event``; raises :class:`EventRejected` and changes nothing."""
        if not isinstance(event, ComplimentPassedOn):
            raise EventRejected(self.state, type(event).__name__, "not an event for a compliment")
        version = check_next_event(self.state, self.history, event)
        state = _move(COMPLIMENT, self.state, "pass_on", self, event.name)
        return attrs.evolve(
            self, state=state, history=(*self.history, attrs.evolve(event, version=version))
        )
