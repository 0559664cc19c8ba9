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

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Final, Literal, TypeAlias, get_args

import attrs

from .calendar import WorkingDayCalendar, as_london
from .complaint import Complaint, check_next_event
from .errors import ComplaintWorkflowError, EventRejected, InvalidInputError
from .events import ComplainantKind, Event, _boolean, _identifier, _one_of
from .personal import PersonalDetails
from .policy import Policy
from .routes.machine import Route, guard

FormKind: TypeAlias = Literal["adult", "older-child", "younger-child"]
"""Which feedback form: for adults, older children or younger children."""
ComplimentSource: TypeAlias = Literal["service-user", "professional"]
"""Who paid the compliment (§6.2, §6.3)."""

__all__ = [
    "COMPLIMENT_EVENT_TYPES",
    "FEEDBACK_EVENT_TYPES",
    "AskedToTakeForward",
    "ComplaintOpenedFromFeedback",
    "Compliment",
    "ComplimentPassedOn",
    "ComplimentRecorded",
    "Feedback",
    "FeedbackFiled",
    "FeedbackRecorded",
    "TakeForwardAnswered",
]


# --------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class FeedbackRecorded(Event):
    """A feedback form was received and recorded: the first event of its history."""

    name: ClassVar[str] = "feedback-recorded"
    feedback_id: str = attrs.field(validator=_identifier)
    form: FormKind = attrs.field(default="adult", validator=_one_of(get_args(FormKind)))
    dissatisfied: bool = attrs.field(default=False, validator=_boolean)
    complimentary: bool = attrs.field(default=False, validator=_boolean)
    reachable: bool = attrs.field(default=False, validator=_boolean)
    """Whether the person left a way to reach them (a fact of the form, kept in its history
    even when the personal details are left out or erased)."""


@attrs.frozen(kw_only=True)
class AskedToTakeForward(Event):
    """The Customer Feedback Team asked whether the person wants a complaint taken forward."""

    name: ClassVar[str] = "asked-to-take-forward"


@attrs.frozen(kw_only=True)
class TakeForwardAnswered(Event):
    """The answer: ``yes`` opens a linked complaint; ``no`` (or no answer) keeps it feedback."""

    name: ClassVar[str] = "take-forward-answered"
    yes: bool = attrs.field(validator=_boolean)


@attrs.frozen(kw_only=True)
class ComplaintOpenedFromFeedback(Event):
    """The complaint the person asked for was opened, linked to the form (once, never before
    the "yes")."""

    name: ClassVar[str] = "complaint-opened-from-feedback"
    complaint_id: str = attrs.field(validator=_identifier)


@attrs.frozen(kw_only=True)
class FeedbackFiled(Event):
    """The feedback was recorded and learned from; nobody is contacted."""

    name: ClassVar[str] = "feedback-filed"


@attrs.frozen(kw_only=True)
class ComplimentRecorded(Event):
    """A compliment was received and recorded (§6.1): the first event of its history."""

    name: ClassVar[str] = "compliment-recorded"
    compliment_id: str = attrs.field(validator=_identifier)
    source: ComplimentSource = attrs.field(validator=_one_of(get_args(ComplimentSource)))
    via_feedback_form: bool = attrs.field(default=False, validator=_boolean)


@attrs.frozen(kw_only=True)
class ComplimentPassedOn(Event):
    """The compliment reached the right manager (§6.1-§6.3)."""

    name: ClassVar[str] = "compliment-passed-on"


FEEDBACK_EVENT_TYPES: Final[dict[str, type[Event]]] = {
    cls.name: cls
    for cls in (
        FeedbackRecorded,
        AskedToTakeForward,
        TakeForwardAnswered,
        ComplaintOpenedFromFeedback,
        FeedbackFiled,
    )
}
"""Every feedback event type by its name (the ``type`` of its JSON)."""

COMPLIMENT_EVENT_TYPES: Final[dict[str, type[Event]]] = {
    cls.name: cls for cls in (ComplimentRecorded, ComplimentPassedOn)
}
"""Every compliment event type by its name."""

FEEDBACK_SCHEMA: Final = "complaint-workflow/feedback"
COMPLIMENT_SCHEMA: Final = "complaint-workflow/compliment"
SCHEMA_VERSION: Final = 1


# --------------------------------------------------------------------- machines


@attrs.frozen
class _FeedbackContext:
    feedback: Feedback


@guard(
    "only a form that expresses dissatisfaction, from someone who can be reached, is "
    "followed up (anonymous feedback is never followed up)"
)
def reachable_and_dissatisfied(ctx: _FeedbackContext) -> bool:
    return ctx.feedback.dissatisfied and not ctx.feedback.anonymous


FEEDBACK = Route[_FeedbackContext](
    "feedback",
    title="Feedback form",
    states=["recorded", "asked", "taken-forward", "complaint-opened", "kept-as-feedback"],
    initial="recorded",
    final=["complaint-opened", "kept-as-feedback"],
    transitions=[
        {
            "trigger": "ask",
            "source": "recorded",
            "dest": "asked",
            "conditions": ["reachable_and_dissatisfied"],
        },
        {"trigger": "answer_yes", "source": "asked", "dest": "taken-forward"},
        {"trigger": "answer_no", "source": "asked", "dest": "kept-as-feedback"},
        {"trigger": "open_complaint", "source": "taken-forward", "dest": "complaint-opened"},
        {"trigger": "file", "source": "recorded", "dest": "kept-as-feedback"},
    ],
    guards=[reachable_and_dissatisfied],
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

    One form opens at most one complaint, never dated before the "yes": the opening is an
    event of the form's own history (:class:`ComplaintOpenedFromFeedback`).

    >>> from datetime import datetime
    >>> from complaint_workflow import LONDON, PersonalDetails
    >>> at = datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)
    >>> form = Feedback.record(feedback_id="F-1", received_at=at, dissatisfied=True,
    ...                        personal=PersonalDetails(contact="someone@example.org"))
    >>> form = form.apply(AskedToTakeForward(at=at)).apply(TakeForwardAnswered(at=at, yes=True))
    >>> form, complaint = form.open_complaint(complaint_id="C-9", complainant="adult", at=at)
    >>> form
    Feedback('F-1', state='complaint-opened', anonymous=False)
    >>> complaint
    Complaint('C-9', version=1, state='intake:received', policy='cafcass-web')
    >>> Feedback.from_json(form.to_json()) == form
    True
    """

    id: str
    received_at: datetime
    form: FormKind
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
        form: FormKind = "adult",
        dissatisfied: bool = False,
        complimentary: bool = False,
        personal: PersonalDetails | None = None,
    ) -> Feedback:
        """Record a feedback form (it may be anonymous: leave ``personal`` out)."""
        return cls._start(
            FeedbackRecorded(
                at=received_at,
                version=1,
                feedback_id=feedback_id,
                form=form,
                dissatisfied=dissatisfied,
                complimentary=complimentary,
                reachable=personal is not None
                and isinstance(personal, PersonalDetails)
                and not personal.anonymous,
            ),
            personal,
        )

    @classmethod
    def _start(cls, recorded: FeedbackRecorded, personal: PersonalDetails | None) -> Feedback:
        as_london(recorded.at, "received_at")
        if not isinstance(recorded.feedback_id, str) or not recorded.feedback_id:
            raise EventRejected("(new)", recorded.name, "feedback_id must be a non-empty string")
        if recorded.form not in ("adult", "older-child", "younger-child"):
            raise EventRejected(
                "(new)", recorded.name, "form must be adult, older-child or younger-child"
            )
        if personal is not None and not isinstance(personal, PersonalDetails):
            raise EventRejected("(new)", recorded.name, "personal must be PersonalDetails")
        return cls(
            id=recorded.feedback_id,
            received_at=recorded.at,
            form=recorded.form,
            dissatisfied=recorded.dissatisfied,
            complimentary=recorded.complimentary,
            state=FEEDBACK.initial,
            history=(attrs.evolve(recorded, version=1),),
            personal=personal,
        )

    @classmethod
    def replay(
        cls, events: Iterable[Event], *, personal: PersonalDetails | None = None
    ) -> Feedback:
        """Rebuild a form from its history; equal to the one that made the history."""
        iterator = iter(events)
        first = next(iterator, None)
        if not isinstance(first, FeedbackRecorded):
            raise EventRejected(
                "(new)", _name(first), "a feedback history starts with feedback-recorded"
            )
        form = cls._start(first, personal)
        for event in iterator:
            form = form.apply(event)
        return form

    @property
    def anonymous(self) -> bool:
        """Whether the person cannot be reached (as recorded when the form came in)."""
        recorded = self.history[0]
        return not (isinstance(recorded, FeedbackRecorded) and recorded.reachable)

    @property
    def complaint_id(self) -> str | None:
        """The complaint this form opened, or ``None``."""
        return next(
            (e.complaint_id for e in self.history if isinstance(e, ComplaintOpenedFromFeedback)),
            None,
        )

    def apply(self, event: Event) -> Feedback:
        """The feedback after ``event``; raises :class:`EventRejected` and changes nothing."""
        if isinstance(event, TakeForwardAnswered):
            trigger = "answer_yes" if event.yes else "answer_no"
        elif type(event) in _FEEDBACK_TRIGGERS:
            trigger = _FEEDBACK_TRIGGERS[type(event)]
        else:
            raise EventRejected(self.state, _name(event), "not an event for feedback")
        if isinstance(event, ComplaintOpenedFromFeedback) and self.complaint_id is not None:
            raise EventRejected(
                self.state, event.name, f"this form already opened complaint {self.complaint_id!r}"
            )
        version = check_next_event(self, event)
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
    ) -> tuple[Feedback, Complaint]:
        """Open the complaint the person asked for, linked to this form, received at ``at``.

        Returns the form after (its history records the opening, so it opens no second
        complaint) and the complaint. Refused before the "yes", or a second time.
        """
        if self.complaint_id is not None:
            raise EventRejected(
                self.state,
                ComplaintOpenedFromFeedback.name,
                f"this form already opened complaint {self.complaint_id!r}",
            )
        if self.state != "taken-forward":
            raise EventRejected(
                self.state,
                ComplaintOpenedFromFeedback.name,
                "only feedback taken forward becomes a complaint",
            )
        answered = self.history[-1].at  # the "yes" is the latest event of a form taken forward
        if isinstance(at, datetime) and at.tzinfo is not None and at < answered:
            raise EventRejected(
                self.state,
                ComplaintOpenedFromFeedback.name,
                f"the complaint cannot be received at {at.isoformat()}, before the person said "
                f"yes at {answered.isoformat()}",
            )
        form = self.apply(ComplaintOpenedFromFeedback(at=at, complaint_id=complaint_id))
        complaint = Complaint.open(
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
        return form, complaint

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

    def to_json(self, *, include_personal: bool = True) -> str:
        """The form's history as a JSON document (``docs/json.md``), events as complaints'."""
        personal = self.personal if include_personal else None
        return _write(FEEDBACK_SCHEMA, self.id, self.history, personal)

    @classmethod
    def from_json(cls, text: str | bytes) -> Feedback:
        """Read a feedback JSON history and replay it: equal to the form that wrote it."""
        events, personal = _read(FEEDBACK_SCHEMA, text, FEEDBACK_EVENT_TYPES)
        return cls.replay(events, personal=personal)


_FEEDBACK_TRIGGERS: Final[dict[type[Event], str]] = {
    AskedToTakeForward: "ask",
    FeedbackFiled: "file",
    ComplaintOpenedFromFeedback: "open_complaint",
}


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
    >>> Compliment.from_json(c.to_json()) == c
    True
    """

    id: str
    received_at: datetime
    source: ComplimentSource
    via_feedback_form: bool
    state: str
    history: tuple[Event, ...]

    @classmethod
    def record(
        cls,
        *,
        compliment_id: str,
        received_at: datetime,
        source: ComplimentSource,
        via_feedback_form: bool = False,
    ) -> Compliment:
        """Record a compliment as received (§6.1)."""
        return cls._start(
            ComplimentRecorded(
                at=received_at,
                version=1,
                compliment_id=compliment_id,
                source=source,
                via_feedback_form=via_feedback_form,
            )
        )

    @classmethod
    def _start(cls, recorded: ComplimentRecorded) -> Compliment:
        as_london(recorded.at, "received_at")
        if recorded.source not in ("service-user", "professional"):
            raise EventRejected(
                "(new)", recorded.name, "source must be service-user or professional"
            )
        if not isinstance(recorded.compliment_id, str) or not recorded.compliment_id:
            raise EventRejected("(new)", recorded.name, "compliment_id must be a non-empty string")
        return cls(
            id=recorded.compliment_id,
            received_at=recorded.at,
            source=recorded.source,
            via_feedback_form=recorded.via_feedback_form,
            state=COMPLIMENT.initial,
            history=(attrs.evolve(recorded, version=1),),
        )

    @classmethod
    def replay(cls, events: Iterable[Event]) -> Compliment:
        """Rebuild a compliment from its history."""
        iterator = iter(events)
        first = next(iterator, None)
        if not isinstance(first, ComplimentRecorded):
            raise EventRejected(
                "(new)", _name(first), "a compliment history starts with compliment-recorded"
            )
        compliment = cls._start(first)
        for event in iterator:
            compliment = compliment.apply(event)
        return compliment

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
            raise EventRejected(self.state, _name(event), "not an event for a compliment")
        version = check_next_event(self, event)
        state = _move(COMPLIMENT, self.state, "pass_on", self, event.name)
        return attrs.evolve(
            self, state=state, history=(*self.history, attrs.evolve(event, version=version))
        )

    def to_json(self) -> str:
        """The compliment's history as a JSON document (``docs/json.md``)."""
        return _write(COMPLIMENT_SCHEMA, self.id, self.history, None)

    @classmethod
    def from_json(cls, text: str | bytes) -> Compliment:
        """Read a compliment JSON history and replay it."""
        events, _ = _read(COMPLIMENT_SCHEMA, text, COMPLIMENT_EVENT_TYPES)
        return cls.replay(events)


# --------------------------------------------------------------------- JSON


def _name(event: object) -> str:
    return str(getattr(type(event), "name", type(event).__name__))


def _write(
    schema: str, value_id: str, history: tuple[Event, ...], personal: PersonalDetails | None
) -> str:
    from .history import event_to_dict

    document = {
        "schema": schema,
        "schema_version": SCHEMA_VERSION,
        "id": value_id,
        "personal": None
        if personal is None
        else {"name": personal.name, "contact": personal.contact, "text": personal.text},
        "events": [event_to_dict(e) for e in history],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def _read(
    schema: str, text: str | bytes, types: Mapping[str, type[Event]]
) -> tuple[list[Event], PersonalDetails | None]:
    from .history import decode_document, event_from_dict

    document = decode_document(text, schema)  # size, depth, JSON, schema: typed errors
    if document.get("schema_version") != SCHEMA_VERSION:
        raise InvalidInputError(
            f"unsupported schema_version {document.get('schema_version')!r}; "
            f"this library reads {SCHEMA_VERSION}"
        )
    raw_events = document.get("events")
    raw_personal = document.get("personal")
    if not isinstance(raw_events, list) or not (
        raw_personal is None or isinstance(raw_personal, dict)
    ):
        raise InvalidInputError('"events" must be a list and "personal" an object or null')
    try:
        personal = None if raw_personal is None else PersonalDetails(**raw_personal)
        events = [event_from_dict(e, f"events[{i}]", types=types) for i, e in enumerate(raw_events)]
    except ComplaintWorkflowError:
        raise
    except Exception as exc:  # cattrs' ClassValidationError and friends
        raise InvalidInputError(
            f"the history holds a malformed event or section ({type(exc).__name__})"
        ) from None
    return events, personal
