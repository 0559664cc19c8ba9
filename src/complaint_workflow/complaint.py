"""The complaint: an immutable value folded from its events.

``Complaint.open(...)`` records the facts it is opened with; ``complaint.apply(event)``
returns a new complaint or raises :class:`~complaint_workflow.errors.EventRejected` and
changes nothing. Deadlines are never stored: :meth:`Complaint.obligations` derives them from
the history, the policy and the calendar at the instant the caller passes in.

Each event is planned as a list of ``(route, trigger)`` steps. Every step is looked up in its
route's machine (:mod:`complaint_workflow.routes`) and its guards evaluated before anything is
built; only when all are allowed is the new complaint made. So a refused guard, or one that
raises, can never leave a route half-moved.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Final

import attrs

from . import events as ev
from .calendar import LONDON, WorkingDayCalendar, as_london
from .errors import ComplaintWorkflowError, EventRejected
from .obligations import (
    RESPONSE_TARGETS,
    Obligation,
    derive_obligations,
    eligibility_of,
    six_month_limit_of,
)
from .personal import PersonalDetails
from .policy import Policy
from .routes import ROUTES
from .situation import Context, Delay, Eligibility, RouteStates, Situation

__all__ = ["Complaint"]

log = logging.getLogger("complaint_workflow")

_NEW: Final = "(new)"

Step = tuple[str, str]
Changes = dict[str, Any]


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


@attrs.frozen(repr=False)
class Complaint:
    """One complaint: its facts, its history, where each route stands, and its policy.

    >>> from datetime import datetime
    >>> from complaint_workflow import LONDON, Complaint, ForwardedToCST
    >>> c = Complaint.open(complaint_id="C-1", complainant="adult",
    ...                    received_at=datetime(2024, 6, 12, 10, 0, tzinfo=LONDON),
    ...                    policy="cafcass-2012")
    >>> c = c.apply(ForwardedToCST(at=datetime(2024, 6, 12, 11, 0, tzinfo=LONDON)))
    >>> c
    Complaint('C-1', version=2, state='intake:with-cst', policy='cafcass-2012')
    >>> [(o.id, o.due.isoformat(), o.status) for o in c.obligations(c.last_at)]
    [('forward-to-cst', '2024-06-13', 'met'), ('response', '2024-07-03', 'pending')]
    """

    situation: Situation
    policy: Policy
    history: tuple[ev.Event, ...]
    personal: PersonalDetails | None = attrs.field(default=None)
    calendar: WorkingDayCalendar = attrs.field(
        factory=WorkingDayCalendar.england_and_wales, eq=False
    )
    earlier_policies: tuple[Policy, ...] = attrs.field(default=(), eq=False)
    """Policies the complaint was under before a :class:`PolicyChanged` (for its JSON)."""

    def __repr__(self) -> str:
        return (
            f"Complaint({self.id!r}, version={self.version}, state={self.state!r}, "
            f"policy={self.policy.id!r})"
        )

    __str__ = __repr__

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        *,
        complaint_id: str,
        received_at: datetime,
        complainant: ev.ComplainantKind,
        channel: str = "email",
        case_ongoing: bool | None = None,
        involvement_ended: date | None = None,
        hearing: date | None = None,
        staff_named: int = 0,
        personal: PersonalDetails | None = None,
        policy: Policy | str = "cafcass-web",
        calendar: WorkingDayCalendar | None = None,
        linked_to: str | None = None,
    ) -> Complaint:
        """Open a complaint from the facts known on receipt.

        ``case_ongoing`` defaults to "no ``involvement_ended`` given". ``staff_named`` counts
        the members of staff the complaint names (a count, never who: for the pre-July-2014
        counting rule). Raises :class:`EventRejected` for bad facts (a naive time, an unknown
        complainant kind, a hearing before receipt …).
        """
        chosen = Policy.load(policy) if isinstance(policy, str) else policy
        if personal is not None and not isinstance(personal, PersonalDetails):
            raise EventRejected(_NEW, "complaint-opened", "personal must be PersonalDetails")
        opened = ev.ComplaintOpened(
            at=received_at,
            version=1,
            complaint_id=complaint_id,
            complainant=complainant,
            channel=channel,  # type: ignore[arg-type]
            case_ongoing=(involvement_ended is None) if case_ongoing is None else case_ongoing,
            involvement_ended=involvement_ended,
            hearing=hearing,
            staff_named=staff_named,
            policy_id=chosen.id,
            linked_to=linked_to,
        )
        return cls._start(
            opened, chosen, calendar or WorkingDayCalendar.england_and_wales(), personal
        )

    @classmethod
    def _start(
        cls,
        opened: ev.ComplaintOpened,
        policy: Policy,
        calendar: WorkingDayCalendar,
        personal: PersonalDetails | None,
    ) -> Complaint:
        reason = _check_opening(opened, calendar)
        if reason:
            raise EventRejected(_NEW, opened.name, reason)
        opened = attrs.evolve(opened, at=_fixed_offset(opened.at))
        at = opened.at
        situation = Situation(
            complaint_id=opened.complaint_id,
            complainant=opened.complainant,
            channel=opened.channel,
            case_ongoing=opened.case_ongoing,
            involvement_ended=opened.involvement_ended,
            staff_named=opened.staff_named,
            policy_id=opened.policy_id,
            received_at=at,
            receipt_at=at,
            hearing=opened.hearing,
            hearing_known_at=at,
            linked_to=opened.linked_to,
            states=RouteStates(child="not-offered" if opened.complainant == "child" else None),
            last_at=at,
        )
        if opened.version not in (None, 1):
            raise EventRejected(_NEW, opened.name, "the opening event must be version 1")
        complaint = cls(
            situation=situation,
            policy=policy,
            history=(attrs.evolve(opened, version=1),),
            personal=personal,
            calendar=calendar,
        )
        log.debug("opened complaint %s under %s", opened.complaint_id, policy.id)
        return complaint

    @classmethod
    def replay(
        cls,
        events: Iterable[ev.Event],
        *,
        policies: Mapping[str, Policy] | None = None,
        calendar: WorkingDayCalendar | None = None,
        personal: PersonalDetails | None = None,
    ) -> Complaint:
        """Rebuild a complaint from its history; equal to the one that made the history.

        Built-in policies are found by id; pass any other in ``policies``.
        """
        iterator = iter(events)
        opened = next(iterator, None)
        if not isinstance(opened, ev.ComplaintOpened):
            raise EventRejected(
                _NEW,
                "(no event)" if opened is None else _name(opened),
                "a history starts with complaint-opened",
            )
        known = dict(policies or {})
        complaint = cls._start(
            opened,
            _resolve(opened.policy_id, known, _NEW, opened.name),
            calendar or WorkingDayCalendar.england_and_wales(),
            personal,
        )
        for event in iterator:
            complaint = complaint.apply(event, policies=known)
        return complaint

    # ----------------------------------------------------------------- reading

    @property
    def id(self) -> str:
        """The complaint's identifier."""
        return self.situation.complaint_id

    @property
    def version(self) -> int:
        """How many events the history holds (1 after opening)."""
        return len(self.history)

    @property
    def last_at(self) -> datetime:
        """When the latest event happened."""
        return self.history[-1].at

    @property
    def states(self) -> dict[str, str]:
        """Every started route and its state, e.g. ``{'intake': 'procedure', ...}``."""
        return self.situation.states.active()

    @property
    def state(self) -> str:
        """The main route's state as ``route:state`` (the procedure once it has started)."""
        s = self.situation.states
        for route in ("procedure", "outside", "quick_fix"):
            value = getattr(s, route)
            if value is not None:
                return f"{route}:{value}"
        return f"intake:{s.intake}"

    @property
    def eligibility(self) -> Eligibility:
        """``in-time``, ``exceptional-circumstances`` or ``outside-procedure`` (§3.1, §2)."""
        return eligibility_of(self.situation, self.policy, self.calendar)

    @property
    def six_month_limit(self) -> date | None:
        """The last day this complaint is in time, or ``None`` while the case is ongoing."""
        return six_month_limit_of(self.situation, self.policy, self.calendar)

    @property
    def deemed_receipt(self) -> date:
        """Day 0: the working day the complaint counts as received."""
        return self.calendar.deemed_receipt(
            self.situation.receipt_at, self.policy.parameters.cutoff
        )

    @property
    def owner(self) -> str:
        """Who is responsible: a child's complaint is owned by a Head of Practice / Assistant
        Director (§5.1); a complaint about an employee outside a case by their line manager
        (§2.3); anything else by the Customer Service Team."""
        match self.situation.complainant:
            case "child":
                return "head-of-practice"
            case "employee-matter":
                return "line-manager"
        return "customer-service-team"

    @property
    def finished(self) -> bool:
        """Whether the complaint has reached an end: closed, answered, resolved or refused."""
        return _finished(self.situation)

    def obligations(self, at: datetime) -> tuple[Obligation, ...]:
        """Every obligation and its status at the aware instant ``at``.

        Only what had happened by ``at`` counts, so asking about an earlier instant shows the
        complaint as it stood then.
        """
        instant = as_london(at, "at")
        if instant >= self.situation.last_at:  # type: ignore[operator]
            situation, policy = self.situation, self.policy
        else:
            prefix = [e for e in self.history if e.at <= instant]
            if not prefix:
                return ()
            earlier = Complaint.replay(
                prefix, policies={self.policy.id: self.policy}, calendar=self.calendar
            )
            situation, policy = earlier.situation, earlier.policy
        return derive_obligations(situation, policy, self.calendar, instant)

    # ----------------------------------------------------------------- applying

    def apply(self, event: ev.Event, *, policies: Mapping[str, Policy] | None = None) -> Complaint:
        """The complaint after ``event``; raises :class:`EventRejected` and changes nothing.

        Rejected: anything not an event, a second opening, a naive timestamp, a time earlier
        than the previous event, a version that is not the next one, and any event the routes
        do not allow in their current states.
        """
        if isinstance(event, ev.ComplaintOpened) or not isinstance(event, tuple(_PLANS)):
            raise EventRejected(self.state, _name(event), "not an event for a complaint")
        expected = check_next_event(self.state, self.history, event)
        event = attrs.evolve(event, version=expected, at=_fixed_offset(event.at))
        name = event.name
        at = event.at
        policy = self.policy
        if isinstance(event, ev.PolicyChanged):
            policy = _resolve(event.policy_id, dict(policies or {}), self.state, name)
        context = self._context(event, policy)
        try:
            steps = _PLANS[type(event)](context)
            states = self._run(steps, context)
            changes = _UPDATES.get(type(event), _no_update)(context)
        except _Refused as refused:
            raise EventRejected(self.state, name, refused.reason) from None
        except ComplaintWorkflowError as exc:  # e.g. a date outside the calendar
            raise EventRejected(self.state, name, str(exc)) from None
        situation = attrs.evolve(self.situation, states=states, last_at=at, **changes)
        log.debug("complaint %s: %s applied (version %d)", self.id, name, expected)
        return attrs.evolve(
            self,
            situation=situation,
            policy=policy,
            history=(*self.history, event),
            earlier_policies=self.earlier_policies
            if policy is self.policy
            else (*self.earlier_policies, self.policy),
        )

    def change_policy(self, policy: Policy, at: datetime) -> Complaint:
        """Move the complaint to another policy version, as an explicit, recorded event."""
        return self.apply(
            ev.PolicyChanged(at=at, policy_id=policy.id), policies={policy.id: policy}
        )

    def _context(self, event: ev.Event, policy: Policy | None = None) -> _Ctx:
        return _Ctx(self.situation, event, policy or self.policy, self.calendar)

    def _run(self, steps: list[Step], context: _Ctx) -> RouteStates:
        states = attrs.asdict(self.situation.states)
        for route, trigger in steps:
            current = states[route]
            if current is None:
                raise _Refused(f"the {route.replace('_', ' ')} route has not started")
            result = ROUTES[route].step(current, trigger, context)
            if not isinstance(result, str):
                raise _Refused(result.reason)
            states[route] = result
            if route == "intake" and result != current:
                states.update(_activate(result, context))
        return RouteStates(**states)

    # ----------------------------------------------------------------- JSON

    def to_json(self, *, include_personal: bool = True) -> str:
        """The history as a JSON document with a schema version (see ``docs/json.md``)."""
        from .serialize import complaint_to_json

        return complaint_to_json(self, include_personal=include_personal)

    @classmethod
    def from_json(
        cls,
        text: str | bytes,
        *,
        policies: Mapping[str, Policy] | None = None,
        calendar: WorkingDayCalendar | None = None,
    ) -> Complaint:
        """Read a JSON history and replay it: equal to the complaint that wrote it."""
        from .serialize import complaint_from_json

        return complaint_from_json(text, policies=policies, calendar=calendar)


_Ctx = Context


def _fixed_offset(at: datetime) -> datetime:
    """The same instant on London's wall clock, with a fixed UTC offset.

    Stored events carry fixed offsets so that equality is always by instant: PEP 495 makes a
    zoneinfo time the clocks repeat or skip unequal to every time in another zone, which would
    break "JSON round trip gives an equal complaint" at 01:30 on a clock-change night.
    """
    local = as_london(at).astimezone(UTC).astimezone(LONDON)  # canonical even in a gap
    return local.replace(tzinfo=_offset_zone(local.utcoffset() or timedelta(0)))


@functools.cache
def _offset_zone(offset: timedelta) -> timezone:
    # One shared tzinfo per offset (GMT and BST): a new one per event costs 56 bytes each.
    return timezone(offset)


def _name(event: object) -> str:
    return str(getattr(type(event), "name", type(event).__name__))


def check_next_event(state: str, history: tuple[ev.Event, ...], event: ev.Event) -> int:
    """The version ``event`` takes after ``history``; :class:`EventRejected` if it cannot.

    Shared by every event-sourced value: an aware time, not earlier than the previous event,
    and (when given) the next version.
    """
    name = _name(event)
    at = event.at
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise EventRejected(state, name, "its time must be an aware datetime")
    last = history[-1].at
    if at < last:
        raise EventRejected(
            state,
            name,
            f"its time {at.isoformat()} is earlier than the previous event's {last.isoformat()}",
        )
    expected = len(history) + 1
    if event.version is not None and event.version != expected:
        raise EventRejected(
            state, name, f"out of order: version {event.version}, expected {expected}"
        )
    return expected


def _resolve(policy_id: str, known: dict[str, Policy], state: str, name: str) -> Policy:
    if policy_id in known:
        return known[policy_id]
    if policy_id in Policy.builtin_ids():
        return Policy.builtin(policy_id)
    raise EventRejected(
        state, name, f"policy {policy_id!r} is not built in; pass it in policies= to replay"
    )


def _check_opening(opened: ev.ComplaintOpened, calendar: WorkingDayCalendar) -> str:
    at = opened.at
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        return "received_at must be an aware datetime"
    if not isinstance(opened.complaint_id, str) or not opened.complaint_id:
        return "complaint_id must be a non-empty string"
    if opened.complainant not in ("adult", "child", "other", "employee-matter"):
        return "complainant must be one of adult, child, other, employee-matter"
    channels = ("in-person", "phone", "letter", "email", "web-form", "feedback-form")
    if opened.channel not in channels:
        return f"channel must be one of {', '.join(channels)}"
    if type(opened.staff_named) is not int or opened.staff_named < 0:
        return "staff_named must be a whole number >= 0"
    received = as_london(at).date()
    for field in ("hearing", "involvement_ended"):
        value = getattr(opened, field)
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            return f"{field} must be a date"
    if opened.hearing is not None and opened.hearing < received:
        return "the next hearing must not be before the complaint was received"
    if opened.involvement_ended is not None and opened.involvement_ended > received:
        return "involvement_ended must not be after the complaint was received"
    if opened.involvement_ended is not None and opened.case_ongoing:
        return "a case whose involvement has ended is not ongoing"
    try:
        calendar.deemed_receipt(at)
    except ComplaintWorkflowError as exc:
        return str(exc)
    return ""


def _activate(intake: str, context: _Ctx) -> dict[str, str]:
    """Routes that start when the intake gate hands the complaint over."""
    s = context.situation
    if intake == "procedure":
        court_needed = s.case_ongoing and (
            s.complainant == "child"
            or (
                s.hearing is not None
                and bool({"professional-judgement", "factual-error"} & set(s.aspects))
            )
        )
        return {"procedure": "awaiting-contact", "court": "due" if court_needed else "not-needed"}
    if intake == "outside-procedure":
        return {"outside": "awaiting-response"}
    if intake == "quick-fix":
        return {"quick_fix": "offered"}
    return {}


# --------------------------------------------------------------------- plans


def _refuse(reason: str) -> _Refused:
    return _Refused(reason)


def _intake_then(ctx: _Ctx, handoff: str, then: list[Step]) -> list[Step]:
    """Steps that first hand the complaint over at the gate when it is still there."""
    if ctx.situation.states.intake == "with-cst":
        return [("intake", handoff), *then]
    return then


def _plan_contact(ctx: _Ctx) -> list[Step]:
    if ctx.situation.states.intake == "received":
        raise _refuse("the complaint must reach the Customer Service Team first (§4.2)")
    return _intake_then(ctx, "accept", [("procedure", "contact")])


def _plan_exceptional(ctx: _Ctx) -> list[Step]:
    event = ctx.event
    assert isinstance(event, ev.ExceptionalCircumstancesDecided)
    decision = "accept_exceptional" if event.accepted else "decline_exceptional"
    return _intake_then(ctx, "review_exceptional", [("intake", decision)])


def _plan_respond(ctx: _Ctx) -> list[Step]:
    s = ctx.situation
    if s.states.procedure is not None:
        return [("procedure", "respond")]
    if s.states.outside is not None:
        return [("outside", "respond")]
    if s.states.intake in ("received", "with-cst"):
        return [("intake", "route_outside"), ("outside", "respond")]
    raise _refuse(f"no response is owed while intake is '{s.states.intake}'")


def _plan_assess(ctx: _Ctx) -> list[Step]:
    event = ctx.event
    assert isinstance(event, ev.Assessed)
    steps: list[Step] = [("procedure", "assess")]
    s = ctx.situation
    court_aspect = {"professional-judgement", "factual-error"} & set(event.aspects)
    if court_aspect and s.case_ongoing and s.states.court == "not-needed":
        steps.append(("court", "require"))
    return steps


def _plan_triage(ctx: _Ctx) -> list[Step]:
    event = ctx.event
    assert isinstance(event, ev.Triaged)
    trigger = "triage_early" if event.route == "early-resolution" else "triage_investigation"
    if ctx.situation.states.procedure == "early-resolution" and event.route == "investigation":
        trigger = "escalate"
    return [("procedure", trigger)]


def _plan_correction(ctx: _Ctx) -> list[Step]:
    steps: list[Step] = [("procedure", "correct_factual_error")]
    if ctx.situation.states.court == "due" and "factual-error" in ctx.situation.aspects:
        steps.append(("court", "correct_error"))
    return steps


def _plan_close(ctx: _Ctx) -> list[Step]:
    if ctx.situation.states.court == "due":
        raise _refuse("the court must be notified before the complaint closes (§4.6, §5.4)")
    return [("procedure", "close"), ("court", "finish")]


def _plan_restrict(ctx: _Ctx) -> list[Step]:
    event = ctx.event
    assert isinstance(event, ev.ContactRestricted)
    if not event.complainant_told:
        raise _refuse("the complainant must be told of a decision to limit contact (§3.4)")
    if event.restriction == "refused":
        return [("intake", "refuse")]
    if _finished(ctx.situation):
        raise _refuse("the complaint has ended")
    return []


def _plan_delay(ctx: _Ctx) -> list[Step]:
    s = ctx.situation
    if s.states.procedure is not None:
        return [("procedure", "send_delay_update")]
    if s.states.outside is not None:
        return [("outside", "send_delay_update")]
    if s.states.intake in ("received", "with-cst"):
        return []
    raise _refuse("no response is owed to delay")


def _plan_hearing(ctx: _Ctx) -> list[Step]:
    event = ctx.event
    s = ctx.situation
    if isinstance(event, ev.HearingListed) and s.hearing is not None:
        raise _refuse("a hearing is already listed; move or vacate it")
    if isinstance(event, ev.HearingMoved | ev.HearingVacated) and s.hearing is None:
        raise _refuse("no hearing is listed; list one first")
    if isinstance(event, ev.HearingMoved) and event.hearing == s.hearing:
        raise _refuse("the hearing is already listed on that date")
    if isinstance(event, ev.HearingListed | ev.HearingMoved):
        if not isinstance(event.hearing, date) or isinstance(event.hearing, datetime):
            raise _refuse("hearing must be a date")
        if event.hearing < as_london(event.at).date():
            raise _refuse("the next hearing must not be in the past")
        court_reason = s.complainant == "child" or bool(
            {"professional-judgement", "factual-error"} & set(s.aspects)
        )
        if court_reason and s.states.court == "not-needed":
            return [("court", "require")]
    return []


def _plan_policy(ctx: _Ctx) -> list[Step]:
    if _finished(ctx.situation):
        raise _refuse("the complaint has ended; its policy can no longer change")
    return []


def _fixed(*steps: Step) -> Callable[[_Ctx], list[Step]]:
    def plan(ctx: _Ctx) -> list[Step]:
        return list(steps)

    return plan


def _finished(s: Situation) -> bool:
    st = s.states
    if st.procedure is not None:
        return st.procedure == "closed"
    if st.outside is not None:
        return st.outside == "responded"
    return st.intake in ("resolved-quickly", "repeated", "not-taken-forward", "refused")


_PLANS: dict[type[ev.Event], Callable[[_Ctx], list[Step]]] = {
    ev.ForwardedToCST: _fixed(("intake", "forward")),
    ev.ResubmissionRequested: _fixed(("intake", "request_resubmission")),
    ev.Resubmitted: _fixed(("intake", "resubmit")),
    ev.ContactRestricted: _plan_restrict,
    ev.RepeatedComplaintLinked: _fixed(("intake", "link_repeated")),
    ev.ChallengeNotTakenForward: _fixed(("intake", "decline_challenge")),
    ev.ExceptionalCircumstancesDecided: _plan_exceptional,
    ev.QuickFixOffered: _fixed(("intake", "offer_quick_fix")),
    ev.QuickFixResponded: _fixed(("quick_fix", "respond")),
    ev.QuickFixAccepted: _fixed(("quick_fix", "accept"), ("intake", "resolve_quick_fix")),
    ev.QuickFixEscalated: _fixed(("quick_fix", "escalate"), ("intake", "escalate_quick_fix")),
    ev.ContactMade: _plan_contact,
    ev.Assessed: _plan_assess,
    ev.Triaged: _plan_triage,
    ev.ConductReferred: _fixed(("procedure", "refer_conduct")),
    ev.ProviderResponseAgreed: _fixed(("procedure", "agree_provider_response")),
    ev.FactualErrorCorrected: _plan_correction,
    ev.CourtNotified: _fixed(("court", "notify")),
    ev.CourtUpdated: _fixed(("court", "update")),
    ev.DelayUpdateSent: _plan_delay,
    ev.Responded: _plan_respond,
    ev.ComplaintClosed: _plan_close,
    ev.HearingListed: _plan_hearing,
    ev.HearingMoved: _plan_hearing,
    ev.HearingVacated: _plan_hearing,
    ev.MeetingOffered: _fixed(("child", "offer")),
    ev.MeetingHeld: _fixed(("child", "hold")),
    ev.MeetingDeclined: _fixed(("child", "decline")),
    ev.PolicyChanged: _plan_policy,
}

# --------------------------------------------------------------------- situation updates


def _no_update(ctx: _Ctx) -> Changes:
    return {}


def _with_done(s: Situation, *acts: str, at: datetime) -> Changes:
    """The ``done`` field with each act recorded at ``at`` (the first time only)."""
    done = s.done
    for name in acts:
        if not any(existing == name for existing, _ in done):
            done = (*done, (name, at))
    return {"done": done}


def _done(act: str) -> Callable[[_Ctx], Changes]:
    def update(ctx: _Ctx) -> Changes:
        return _with_done(ctx.situation, act, at=ctx.event.at)

    return update


def _update_corrected(ctx: _Ctx) -> Changes:
    s = ctx.situation
    acts = ["factual-error-corrected"]
    only_errors = s.complainant != "child" and "professional-judgement" not in s.aspects
    if s.states.court == "due" and only_errors:
        acts.append("court-notification")  # §4.7: corrected stands for told
    return _with_done(s, *acts, at=ctx.event.at)


def _update_resubmitted(ctx: _Ctx) -> Changes:
    at = ctx.event.at  # a re-submission is a new receipt, made to the CST itself
    return {"receipt_at": at, **_with_done(ctx.situation, "forward-to-cst", at=at)}


def _update_assessed(ctx: _Ctx) -> Changes:
    event = ctx.event
    assert isinstance(event, ev.Assessed)
    return {"aspects": event.aspects, "serious_conduct": event.serious_conduct}


def _update_triaged(ctx: _Ctx) -> Changes:
    event = ctx.event
    assert isinstance(event, ev.Triaged)
    return {"triage": event.route, **_with_done(ctx.situation, "triage", at=event.at)}


def _update_referred(ctx: _Ctx) -> Changes:
    event = ctx.event
    assert isinstance(event, ev.ConductReferred)
    return {"conduct_referred_to": event.to}


def _update_provider(ctx: _Ctx) -> Changes:
    event = ctx.event
    assert isinstance(event, ev.ProviderResponseAgreed)
    return {"provider_response": "joint" if event.joint else "separate"}


def _update_restricted(ctx: _Ctx) -> Changes:
    event = ctx.event
    assert isinstance(event, ev.ContactRestricted)
    return {"contact_restriction": event.restriction}


def _update_repeated(ctx: _Ctx) -> Changes:
    event = ctx.event
    assert isinstance(event, ev.RepeatedComplaintLinked)
    return {"linked_to": event.earlier_complaint_id}


def _update_hearing(ctx: _Ctx) -> Changes:
    event = ctx.event
    hearing: date | None = getattr(event, "hearing", None)  # None: the hearing was vacated
    ongoing = ctx.situation.case_ongoing or hearing is not None
    return {"hearing": hearing, "hearing_known_at": event.at, "case_ongoing": ongoing}


def _update_delay(ctx: _Ctx) -> Changes:
    event = ctx.event
    assert isinstance(event, ev.DelayUpdateSent)
    if not isinstance(event.new_expected, date) or isinstance(event.new_expected, datetime):
        raise _refuse("new_expected must be a date")
    owed = {o.id: o for o in derive_obligations(ctx.situation, ctx.policy, ctx.calendar, event.at)}
    target = event.obligation or next((t for t in RESPONSE_TARGETS if t in owed), None)
    if target is None or target not in owed:
        raise _refuse(f"no obligation {target or 'to respond'!r} is owed now")
    if owed[target].met_at is not None:
        raise _refuse(f"obligation {target!r} has already been met")
    if event.new_expected <= owed[target].due:
        raise _refuse(
            f"the new expected date must be after the due date {owed[target].due.isoformat()}"
        )
    delay = Delay(obligation=target, sent_at=event.at, until=event.new_expected)
    return {"delays": (*ctx.situation.delays, delay)}


def _update_meeting_held(ctx: _Ctx) -> Changes:
    """A child's meeting after the hearing then listed owes the court an update (§5.4)."""
    s = ctx.situation
    held_on = as_london(ctx.event.at).date()
    changes = _with_done(s, "meeting", at=ctx.event.at)
    if s.hearing is not None and held_on > s.hearing and s.meeting_after_hearing is None:
        changes["meeting_after_hearing"] = held_on
    return changes


def _update_policy(ctx: _Ctx) -> Changes:
    return {"policy_id": ctx.policy.id}


_UPDATES: dict[type[ev.Event], Callable[[_Ctx], Changes]] = {
    ev.ForwardedToCST: _done("forward-to-cst"),
    ev.Resubmitted: _update_resubmitted,
    ev.ContactRestricted: _update_restricted,
    ev.RepeatedComplaintLinked: _update_repeated,
    ev.ExceptionalCircumstancesDecided: _done("exceptional-decision"),
    ev.QuickFixEscalated: _done("quick-fix-escalation"),
    ev.ContactMade: _done("contact"),
    ev.Assessed: _update_assessed,
    ev.Triaged: _update_triaged,
    ev.ConductReferred: _update_referred,
    ev.ProviderResponseAgreed: _update_provider,
    ev.FactualErrorCorrected: _update_corrected,
    ev.CourtNotified: _done("court-notification"),
    ev.CourtUpdated: _done("court-update"),
    ev.DelayUpdateSent: _update_delay,
    ev.Responded: _done("response"),
    ev.ComplaintClosed: _done("closed"),
    ev.HearingListed: _update_hearing,
    ev.HearingMoved: _update_hearing,
    ev.HearingVacated: _update_hearing,
    ev.MeetingOffered: _done("meeting-offered"),
    ev.MeetingHeld: _update_meeting_held,
    ev.MeetingDeclined: _done("meeting-declined"),
    ev.PolicyChanged: _update_policy,
}

assert set(_PLANS) == set(ev.EVENT_TYPES.values()) - {ev.ComplaintOpened}
