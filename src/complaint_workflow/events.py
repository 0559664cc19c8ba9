"""The events: one frozen type per thing that happens to a complaint, feedback or compliment.

Every event carries ``at`` (an aware datetime: when it happened) and ``version`` (its place in
the history: 1 for the opening event). Leave ``version`` as ``None`` and
:meth:`Complaint.apply <complaint_workflow.Complaint.apply>` stamps the next one; give it and
it must be the next one. Events hold identifiers, dates and choices, never personal data:
names, contact details and the complaint's text live in
:class:`~complaint_workflow.personal.PersonalDetails`, apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import ClassVar, Literal

import attrs

from .vocabulary import (
    Aspect,
    Channel,
    ComplainantKind,
    ConductReferral,
    ContactMethod,
    ResponseMethod,
    TriageRoute,
)

__all__ = [
    "Aspect",
    "Assessed",
    "ChallengeNotTakenForward",
    "ComplainantKind",
    "ComplaintClosed",
    "ComplaintOpened",
    "ConductReferred",
    "ContactMade",
    "ContactRestricted",
    "CourtNotified",
    "CourtUpdated",
    "DelayUpdateSent",
    "Event",
    "ExceptionalCircumstancesDecided",
    "FactualErrorCorrected",
    "ForwardedToCST",
    "HearingListed",
    "HearingMoved",
    "HearingVacated",
    "MeetingDeclined",
    "MeetingHeld",
    "MeetingOffered",
    "PolicyChanged",
    "ProviderResponseAgreed",
    "QuickFixAccepted",
    "QuickFixEscalated",
    "QuickFixOffered",
    "QuickFixResponded",
    "RepeatedComplaintLinked",
    "Responded",
    "ResubmissionRequested",
    "Resubmitted",
    "Triaged",
]


def _aspects(value: Iterable[Aspect]) -> tuple[Aspect, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Event:
    """What every event has: when it happened, its place in the history, an optional id."""

    name: ClassVar[str] = "event"
    at: datetime
    version: int | None = None
    event_id: str | None = None
    """An identity given by the sender (e.g. a message id): a re-delivered event with the same
    id and equal content is applied once; the same id with other content is refused."""


# --------------------------------------------------------------------- opening


@attrs.frozen(kw_only=True)
class ComplaintOpened(Event):
    """A complaint was received (§4.2): the facts it is opened with.

    Made by :meth:`Complaint.open <complaint_workflow.Complaint.open>`, not by hand.
    """

    name: ClassVar[str] = "complaint-opened"
    complaint_id: str
    complainant: ComplainantKind
    channel: Channel = "email"
    case_ongoing: bool = True
    involvement_ended: date | None = None
    hearing: date | None = None
    staff_named: int = 0
    policy_id: str = "cafcass-web"
    linked_to: str | None = None


# --------------------------------------------------------------------- intake and gates


@attrs.frozen(kw_only=True)
class ForwardedToCST(Event):
    """The complaint reached the Customer Service Team (§4.2: within 1 working day)."""

    name: ClassVar[str] = "forwarded-to-cst"


@attrs.frozen(kw_only=True)
class ResubmissionRequested(Event):
    """An abusive or threatening submission was not accepted; re-submission asked (§3.3)."""

    name: ClassVar[str] = "resubmission-requested"


@attrs.frozen(kw_only=True)
class Resubmitted(Event):
    """The complainant re-submitted; the procedure counts from this new receipt."""

    name: ClassVar[str] = "resubmitted"


@attrs.frozen(kw_only=True)
class ContactRestricted(Event):
    """Contact was limited, or the complaint refused, and the complainant told (§3.3, §3.4)."""

    name: ClassVar[str] = "contact-restricted"
    restriction: Literal["limited", "refused"]
    because: Literal["abusive", "unreasonably-persistent"]
    complainant_told: bool = True


@attrs.frozen(kw_only=True)
class RepeatedComplaintLinked(Event):
    """A repeated complaint about an issue already answered: linked, not reinvestigated (§4.1).

    The complainant must be told it will not be reinvestigated (``told_not_reinvestigated``).
    """

    name: ClassVar[str] = "repeated-complaint-linked"
    earlier_complaint_id: str
    told_not_reinvestigated: bool = True


@attrs.frozen(kw_only=True)
class ChallengeNotTakenForward(Event):
    """A challenge to an officer's assessment or recommendation is not a complaint (web page).

    The complainant must be told why and what options they have.
    """

    name: ClassVar[str] = "challenge-not-taken-forward"
    told_why_and_options: bool = True


@attrs.frozen(kw_only=True)
class ExceptionalCircumstancesDecided(Event):
    """A Customer Service Manager decided a complaint raised after six months (§3.1, §5.2)."""

    name: ClassVar[str] = "exceptional-circumstances-decided"
    accepted: bool


# --------------------------------------------------------------------- quick fix


@attrs.frozen(kw_only=True)
class QuickFixOffered(Event):
    """The CST told the service user a local manager can put it right quickly (§1.5)."""

    name: ClassVar[str] = "quick-fix-offered"


@attrs.frozen(kw_only=True)
class QuickFixResponded(Event):
    """The local manager wrote to the complainant addressing the issues (§1.5)."""

    name: ClassVar[str] = "quick-fix-responded"


@attrs.frozen(kw_only=True)
class QuickFixAccepted(Event):
    """The complainant is content with the quick fix."""

    name: ClassVar[str] = "quick-fix-accepted"


@attrs.frozen(kw_only=True)
class QuickFixEscalated(Event):
    """The complainant is unhappy with the quick fix: it enters the full procedure (§1.5)."""

    name: ClassVar[str] = "quick-fix-escalated"


# --------------------------------------------------------------------- the full procedure


@attrs.frozen(kw_only=True)
class ContactMade(Event):
    """The CST contacted the complainant (§4.3, web page: within 2 working days).

    ``discussion``: a discussion was offered; ``email-assessment``: they could not or would
    not talk, so the initial assessment and next steps went by email.
    """

    name: ClassVar[str] = "contact-made"
    method: ContactMethod = "discussion"


@attrs.frozen(kw_only=True)
class Assessed(Event):
    """Each aspect of the complaint was put in one or more of the five categories (§4.4)."""

    name: ClassVar[str] = "assessed"
    aspects: tuple[Aspect, ...] = attrs.field(converter=_aspects)
    serious_conduct: bool = False


@attrs.frozen(kw_only=True)
class Triaged(Event):
    """The complaint was triaged to early resolution or investigation (web page)."""

    name: ClassVar[str] = "triaged"
    route: TriageRoute


@attrs.frozen(kw_only=True)
class ConductReferred(Event):
    """A conduct aspect was referred: to the officer's manager, or if serious to the Head of
    Practice / Assistant Director (§4.8)."""

    name: ClassVar[str] = "conduct-referred"
    to: ConductReferral


@attrs.frozen(kw_only=True)
class ProviderResponseAgreed(Event):
    """With a commissioned provider, a single joint response or two separate ones (§4.9)."""

    name: ClassVar[str] = "provider-response-agreed"
    joint: bool


@attrs.frozen(kw_only=True)
class FactualErrorCorrected(Event):
    """A factual error in a report to the court was corrected (§4.7)."""

    name: ClassVar[str] = "factual-error-corrected"


@attrs.frozen(kw_only=True)
class CourtNotified(Event):
    """The court was told of the concern and Cafcass' response (§4.6, §4.7, §5.4)."""

    name: ClassVar[str] = "court-notified"


@attrs.frozen(kw_only=True)
class CourtUpdated(Event):
    """The court received an update after a child's meeting held after the hearing (§5.4)."""

    name: ClassVar[str] = "court-updated"


@attrs.frozen(kw_only=True)
class DelayUpdateSent(Event):
    """An update telling the complainant of a delay and the new expected date (§4.12).

    ``obligation`` names the obligation it extends (default: the response owed now).
    """

    name: ClassVar[str] = "delay-update-sent"
    new_expected: date
    obligation: str | None = None


@attrs.frozen(kw_only=True)
class Responded(Event):
    """The response went to the complainant.

    Inside the procedure it must signpost the PHSO through an MP (§4.11); early resolution may
    answer by phone, everything else in writing.
    """

    name: ClassVar[str] = "responded"
    method: ResponseMethod = "written"
    phso_signposted: bool = False


@attrs.frozen(kw_only=True)
class ComplaintClosed(Event):
    """The complaint was closed; complaint and response went to the practitioner's manager."""

    name: ClassVar[str] = "complaint-closed"


# --------------------------------------------------------------------- beside the procedure


@attrs.frozen(kw_only=True)
class HearingListed(Event):
    """A next hearing was listed (there was none known)."""

    name: ClassVar[str] = "hearing-listed"
    hearing: date


@attrs.frozen(kw_only=True)
class HearingMoved(Event):
    """The next hearing moved to another date."""

    name: ClassVar[str] = "hearing-moved"
    hearing: date


@attrs.frozen(kw_only=True)
class HearingVacated(Event):
    """The next hearing was vacated: no hearing is known now."""

    name: ClassVar[str] = "hearing-vacated"


@attrs.frozen(kw_only=True)
class MeetingOffered(Event):
    """A face-to-face meeting with a local manager was offered to the child (§5.2, §5.3)."""

    name: ClassVar[str] = "meeting-offered"


@attrs.frozen(kw_only=True)
class MeetingHeld(Event):
    """The child's meeting took place, with a supporter of the child's choosing if wanted."""

    name: ClassVar[str] = "meeting-held"
    supporter_is_a_party: bool = False


@attrs.frozen(kw_only=True)
class MeetingDeclined(Event):
    """The child declined the meeting."""

    name: ClassVar[str] = "meeting-declined"


@attrs.frozen(kw_only=True)
class PolicyChanged(Event):
    """The complaint moved to another policy version: explicit and recorded."""

    name: ClassVar[str] = "policy-changed"
    policy_id: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.name: cls
    for cls in (
        ComplaintOpened,
        ForwardedToCST,
        ResubmissionRequested,
        Resubmitted,
        ContactRestricted,
        RepeatedComplaintLinked,
        ChallengeNotTakenForward,
        ExceptionalCircumstancesDecided,
        QuickFixOffered,
        QuickFixResponded,
        QuickFixAccepted,
        QuickFixEscalated,
        ContactMade,
        Assessed,
        Triaged,
        ConductReferred,
        ProviderResponseAgreed,
        FactualErrorCorrected,
        CourtNotified,
        CourtUpdated,
        DelayUpdateSent,
        Responded,
        ComplaintClosed,
        HearingListed,
        HearingMoved,
        HearingVacated,
        MeetingOffered,
        MeetingHeld,
        MeetingDeclined,
        PolicyChanged,
    )
}
"""Every complaint event type by its name (the ``type`` of its JSON)."""
