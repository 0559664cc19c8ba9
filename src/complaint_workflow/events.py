"""The events: one frozen type per thing that happens to a complaint, feedback or compliment.

Every event carries ``at`` (an aware datetime: when it happened) and ``version`` (its place in
the history: 1 for the opening event). Leave ``version`` as ``None`` and
:meth:`Complaint.apply <complaint_workflow.Complaint.apply>` stamps the next one; give it and
it must be the next one. Events hold identifiers, dates and choices, never personal data:
names, contact details and the complaint's text live in
:class:`~complaint_workflow.personal.PersonalDetails`, apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, TypeVar, get_args
from zoneinfo import ZoneInfo

import attrs

from .errors import InvalidInputError, InvalidValueError, NaiveDatetimeError, bounded_repr
from .vocabulary import (
    ASPECTS,
    CHANNELS,
    COMPLAINANTS,
    CONDUCT_REFERRALS,
    CONTACT_METHODS,
    RESPONSE_METHODS,
    TRIAGE_ROUTES,
    Aspect,
    Channel,
    ComplainantKind,
    ConductReferral,
    ContactMethod,
    ResponseMethod,
    TriageRoute,
)

if TYPE_CHECKING:
    from .calendar import WorkingDayCalendar

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_ID_LENGTH",
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
    "check_dates",
    "restamped",
]

# --------------------------------------------------------------------- field checks
#
# Plain functions, not composed validators: an event is built in a few microseconds and the
# checks must not change that. Each names the field, says what it must be and quotes at most
# 80 characters of what came. Events hold no personal data, so quoting an id is safe.

FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2199
"""Instants and dates of events lie in these years (local to their offset), so that any later
arithmetic (a six-month limit, a working-day count) can never overflow."""
MAX_ID_LENGTH: Final = 200
"""The longest identifier (complaint id, event id) an event accepts."""
MAX_VERSION: Final = 10**9
MAX_STAFF_NAMED: Final = 10_000
_POLICY_ID: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def _wrong_type(
    instance: object, attribute: attrs.Attribute[Any], expected: str, value: object
) -> InvalidInputError:
    return InvalidInputError(
        f"{_where(instance, attribute)} must be {expected} (got {type(value).__name__})"
    )


def _instant(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, datetime):
        raise _wrong_type(instance, attribute, "an aware datetime.datetime", value)
    try:
        offset = value.utcoffset()
    except Exception:  # a tzinfo that raises or answers nonsense
        offset = None
    if value.tzinfo is None or offset is None:
        raise NaiveDatetimeError(
            f"{_where(instance, attribute)} must be an aware datetime (got a naive one); "
            "pass tzinfo, e.g. ZoneInfo('Europe/London')"
        )
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidValueError(
            f"{_where(instance, attribute)} must be in the years {FIRST_YEAR}-{LAST_YEAR} "
            f"(got year {value.year})"
        )


def _a_date(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value.__class__ is not date and (not isinstance(value, date) or isinstance(value, datetime)):
        raise _wrong_type(instance, attribute, "a datetime.date (not a datetime)", value)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidValueError(
            f"{_where(instance, attribute)} must be in the years {FIRST_YEAR}-{LAST_YEAR} "
            f"(got {value.isoformat()})"
        )


def _optional_date(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _a_date(instance, attribute, value)


def _version(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if value.__class__ is not int:
        raise _wrong_type(instance, attribute, "an int or None", value)
    if not 1 <= value <= MAX_VERSION:
        raise InvalidValueError(
            f"{_where(instance, attribute)} must be from 1 to {MAX_VERSION} "
            f"(got {bounded_repr(value)})"
        )


def _identifier(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value.__class__ is not str:
        raise _wrong_type(instance, attribute, "a str", value)
    if not 1 <= len(value) <= MAX_ID_LENGTH or not value.isprintable():
        raise InvalidValueError(
            f"{_where(instance, attribute)} must be 1 to {MAX_ID_LENGTH} printable characters "
            f"(got {len(value)} characters: {bounded_repr(value)})"
        )


def _optional_identifier(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _identifier(instance, attribute, value)


def _policy_id(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value.__class__ is not str:
        raise _wrong_type(instance, attribute, "a str", value)
    if _POLICY_ID.fullmatch(value) is None:
        raise InvalidValueError(
            f"{_where(instance, attribute)} must be a policy id: lowercase letters, digits "
            f"and '-', at most 64 (got {bounded_repr(value)})"
        )


def _optional_target_id(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _policy_id(instance, attribute, value)  # target ids follow the same pattern


def _boolean(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value.__class__ is not bool:
        raise _wrong_type(instance, attribute, "a bool (True or False)", value)


def _count(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value.__class__ is not int:
        raise _wrong_type(instance, attribute, "an int", value)
    if not 0 <= value <= MAX_STAFF_NAMED:
        raise InvalidValueError(
            f"{_where(instance, attribute)} must be a whole number from 0 to "
            f"{MAX_STAFF_NAMED} (got {bounded_repr(value)})"
        )


def _one_of(choices: tuple[str, ...]) -> Validator:
    allowed = frozenset(choices)
    listed = ", ".join(choices)

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value.__class__ is not str:
            raise _wrong_type(instance, attribute, f"one of {listed}", value)
        if value not in allowed:
            raise InvalidValueError(
                f"{_where(instance, attribute)} must be one of {listed} (got {bounded_repr(value)})"
            )

    return check


def _aspects_tuple(value: Any) -> Any:
    # A list or tuple becomes a tuple; anything else (a str, a set, a mapping) is left for
    # the validator to refuse.
    return tuple(value) if isinstance(value, list | tuple) else value


def _aspects(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple):
        raise _wrong_type(instance, attribute, "a list or tuple of aspects", value)
    if not value:
        raise InvalidValueError(
            f"{_where(instance, attribute)} must name at least one aspect "
            f"(one or more of {', '.join(ASPECTS)})"
        )
    for v in value:
        if v.__class__ is not str:
            raise _wrong_type(instance, attribute, "a list of aspect names (str)", v)
        if v not in _ASPECT_SET:
            raise InvalidValueError(
                f"{_where(instance, attribute)} must be drawn from {', '.join(ASPECTS)} "
                f"(got {bounded_repr(v)})"
            )
    if len(set(value)) != len(value):
        raise InvalidValueError(
            f"{_where(instance, attribute)} must not repeat an aspect (got {bounded_repr(value)})"
        )


_ASPECT_SET: Final = frozenset(ASPECTS)


def check_dates(event: Event, calendar: WorkingDayCalendar) -> str | None:
    """Why ``event`` has a date or instant outside ``calendar``'s span, or ``None``.

    The fields were checked when the event was made; this is the check that needs the
    calendar: the event's time (its London date), a hearing and a delay's new expected date
    must lie in the years the calendar covers, or every later ``obligations()`` would fail.
    """
    first, last = calendar.first_day, calendar.last_day
    # A day either side absorbs any UTC offset; the deemed receipt itself is checked later.
    day = event.at.date()
    if not first - _DAY <= day <= last + _DAY:
        return (
            f"its time {event.at.isoformat()} is outside this calendar's span "
            f"{calendar.first_year}-{calendar.last_year}; build a calendar over a wider span"
        )
    for name in _DATE_FIELDS.get(type(event), ()):
        value = getattr(event, name)
        if value is not None and not first <= value <= last:
            return (
                f"{name} {value.isoformat()} is outside this calendar's span "
                f"{calendar.first_year}-{calendar.last_year}; build a calendar over a wider span"
            )
    return None


_DAY: Final = timedelta(days=1)

E = TypeVar("E", bound="Event")


def restamped(event: E, at: datetime, version: int) -> E:
    """``event`` with ``at`` and ``version`` replaced, the other fields shared, unvalidated.

    Equal to ``attrs.evolve(event, at=at, version=version)`` without re-running the
    validators: for :meth:`Complaint.apply <complaint_workflow.Complaint.apply>`, which has
    checked both values and whose event was checked when it was made (about four times
    faster than ``evolve``).
    """
    restamp = _RESTAMPS.get(type(event))
    if restamp is None:
        restamp = _RESTAMPS[type(event)] = _restamper(type(event))
    return restamp(event, at, version)  # type: ignore[return-value]


def _restamper(cls: type[Event]) -> Callable[[Event, datetime, int], Event]:
    names = tuple(f.name for f in attrs.fields(cls) if f.name not in ("at", "version"))
    slots = {s for c in cls.__mro__ for s in getattr(c, "__slots__", ())} - {"__weakref__"}
    spelled = all(name.isidentifier() for name in names)  # attrs.make_class allows others
    if slots != {f.name for f in attrs.fields(cls)} or not spelled:  # pragma: no cover
        return lambda e, at, version: attrs.evolve(e, at=at, version=version)
    # One store per field, written out (as attrs writes its own __init__): a loop over the
    # names with getattr costs about three times as much.
    source = (
        "def restamp(e, at, version):\n"
        "    out = new(cls)\n"
        "    put(out, 'at', at)\n"
        "    put(out, 'version', version)\n"
        + "".join(f"    put(out, {name!r}, e.{name})\n" for name in names)
        + "    return out\n"
    )
    namespace: dict[str, Any] = {"new": object.__new__, "put": object.__setattr__, "cls": cls}
    exec(compile(source, f"<restamp of {cls.__name__}>", "exec"), namespace)
    restamp: Callable[[Event, datetime, int], Event] = namespace["restamp"]
    return restamp


_RESTAMPS: Final[dict[type[Event], Callable[[Event, datetime, int], Event]]] = {}


@attrs.frozen(kw_only=True)
class Event:
    """What every event has: when it happened, its place in the history, an optional id."""

    name: ClassVar[str] = "event"
    at: datetime
    version: int | None = None
    event_id: str | None = None
    """An identity given by the sender (e.g. a message id): a re-delivered event with the same
    id and equal content is applied once; the same id with other content is refused."""

    def __attrs_post_init__(self) -> None:
        # The three fields every event has, checked in one call (the common case costs a
        # few attribute reads): an aware time in range, a version, an identifier.
        fields = _BASE_FIELDS
        at = self.at
        tz = getattr(at, "tzinfo", None)
        if (
            at.__class__ is not datetime
            or tz.__class__ not in _KNOWN_ZONES
            or not FIRST_YEAR <= at.year <= LAST_YEAR
        ):
            _instant(self, fields[0], at)
        if self.version is not None:
            _version(self, fields[1], self.version)
        if self.event_id is not None:
            _identifier(self, fields[2], self.event_id)


Restriction = Literal["limited", "refused"]
RESTRICTIONS: Final[tuple[Restriction, ...]] = get_args(Restriction)
RestrictionReason = Literal["abusive", "unreasonably-persistent"]
RESTRICTION_REASONS: Final[tuple[RestrictionReason, ...]] = get_args(RestrictionReason)

# --------------------------------------------------------------------- opening


@attrs.frozen(kw_only=True)
class ComplaintOpened(Event):
    """A complaint was received (§4.2): the facts it is opened with.

    Made by :meth:`Complaint.open <complaint_workflow.Complaint.open>`, not by hand.
    """

    name: ClassVar[str] = "complaint-opened"
    complaint_id: str = attrs.field(validator=_identifier)
    complainant: ComplainantKind = attrs.field(validator=_one_of(COMPLAINANTS))
    channel: Channel = attrs.field(default="email", validator=_one_of(CHANNELS))
    case_ongoing: bool = attrs.field(default=True, validator=_boolean)
    involvement_ended: date | None = attrs.field(default=None, validator=_optional_date)
    hearing: date | None = attrs.field(default=None, validator=_optional_date)
    staff_named: int = attrs.field(default=0, validator=_count)
    policy_id: str = attrs.field(default="cafcass-web", validator=_policy_id)
    linked_to: str | None = attrs.field(default=None, validator=_optional_identifier)


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
    restriction: Restriction = attrs.field(validator=_one_of(RESTRICTIONS))
    because: RestrictionReason = attrs.field(validator=_one_of(RESTRICTION_REASONS))
    complainant_told: bool = attrs.field(default=True, validator=_boolean)


@attrs.frozen(kw_only=True)
class RepeatedComplaintLinked(Event):
    """A repeated complaint about an issue already answered: linked, not reinvestigated (§4.1).

    The complainant must be told it will not be reinvestigated (``told_not_reinvestigated``).
    """

    name: ClassVar[str] = "repeated-complaint-linked"
    earlier_complaint_id: str = attrs.field(validator=_identifier)
    told_not_reinvestigated: bool = attrs.field(default=True, validator=_boolean)


@attrs.frozen(kw_only=True)
class ChallengeNotTakenForward(Event):
    """A challenge to an officer's assessment or recommendation is not a complaint (web page).

    The complainant must be told why and what options they have.
    """

    name: ClassVar[str] = "challenge-not-taken-forward"
    told_why_and_options: bool = attrs.field(default=True, validator=_boolean)


@attrs.frozen(kw_only=True)
class ExceptionalCircumstancesDecided(Event):
    """A Customer Service Manager decided a complaint raised after six months (§3.1, §5.2)."""

    name: ClassVar[str] = "exceptional-circumstances-decided"
    accepted: bool = attrs.field(validator=_boolean)


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
    method: ContactMethod = attrs.field(default="discussion", validator=_one_of(CONTACT_METHODS))


@attrs.frozen(kw_only=True)
class Assessed(Event):
    """Each aspect of the complaint was put in one or more of the five categories (§4.4)."""

    name: ClassVar[str] = "assessed"
    aspects: tuple[Aspect, ...] = attrs.field(converter=_aspects_tuple, validator=_aspects)
    serious_conduct: bool = attrs.field(default=False, validator=_boolean)


@attrs.frozen(kw_only=True)
class Triaged(Event):
    """The complaint was triaged to early resolution or investigation (web page)."""

    name: ClassVar[str] = "triaged"
    route: TriageRoute = attrs.field(validator=_one_of(TRIAGE_ROUTES))


@attrs.frozen(kw_only=True)
class ConductReferred(Event):
    """A conduct aspect was referred: to the officer's manager, or if serious to the Head of
    Practice / Assistant Director (§4.8)."""

    name: ClassVar[str] = "conduct-referred"
    to: ConductReferral = attrs.field(validator=_one_of(CONDUCT_REFERRALS))


@attrs.frozen(kw_only=True)
class ProviderResponseAgreed(Event):
    """With a commissioned provider, a single joint response or two separate ones (§4.9)."""

    name: ClassVar[str] = "provider-response-agreed"
    joint: bool = attrs.field(validator=_boolean)


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
    new_expected: date = attrs.field(validator=_a_date)
    obligation: str | None = attrs.field(default=None, validator=_optional_target_id)


@attrs.frozen(kw_only=True)
class Responded(Event):
    """The response went to the complainant.

    Inside the procedure it must signpost the PHSO through an MP (§4.11); early resolution may
    answer by phone, everything else in writing.
    """

    name: ClassVar[str] = "responded"
    method: ResponseMethod = attrs.field(default="written", validator=_one_of(RESPONSE_METHODS))
    phso_signposted: bool = attrs.field(default=False, validator=_boolean)


@attrs.frozen(kw_only=True)
class ComplaintClosed(Event):
    """The complaint was closed; complaint and response went to the practitioner's manager."""

    name: ClassVar[str] = "complaint-closed"


# --------------------------------------------------------------------- beside the procedure


@attrs.frozen(kw_only=True)
class HearingListed(Event):
    """A next hearing was listed (there was none known)."""

    name: ClassVar[str] = "hearing-listed"
    hearing: date = attrs.field(validator=_a_date)


@attrs.frozen(kw_only=True)
class HearingMoved(Event):
    """The next hearing moved to another date."""

    name: ClassVar[str] = "hearing-moved"
    hearing: date = attrs.field(validator=_a_date)


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
    supporter_is_a_party: bool = attrs.field(default=False, validator=_boolean)


@attrs.frozen(kw_only=True)
class MeetingDeclined(Event):
    """The child declined the meeting."""

    name: ClassVar[str] = "meeting-declined"


@attrs.frozen(kw_only=True)
class PolicyChanged(Event):
    """The complaint moved to another policy version: explicit and recorded."""

    name: ClassVar[str] = "policy-changed"
    policy_id: str = attrs.field(validator=_policy_id)


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

_DATE_FIELDS: Final[dict[type[Event], tuple[str, ...]]] = {
    ComplaintOpened: ("hearing",),
    HearingListed: ("hearing",),
    HearingMoved: ("hearing",),
    DelayUpdateSent: ("new_expected",),
}
"""The date fields :func:`check_dates` holds against the calendar's span (``involvement_ended``
lies in the past and is only compared, never counted on the calendar)."""

_BASE_FIELDS: Final = attrs.fields(Event)
_KNOWN_ZONES: Final = frozenset({ZoneInfo, timezone})
"""tzinfo classes whose ``utcoffset`` is never ``None``: the fast path skips asking."""
