"""One entry per event type: the route steps it takes and the situation changes it makes.

A :class:`Plan` holds, for one event class, everything :meth:`Complaint.apply
<complaint_workflow.Complaint.apply>` needs to know about it:

- ``steps(ctx, event)``: the ``(route, trigger)`` steps, in order, each looked up in its
  route's machine (:mod:`complaint_workflow.routes`) with its guards;
- ``changes(ctx, event)``: the new values of :class:`~.situation.Situation` fields;
- ``moves``: every step it may ever take, and ``when``: in words, which one when (the
  generated table in ``docs/routes.md``; a step outside ``moves`` is a bug, caught by an
  assertion on every apply under test).

Both functions read only the situation *before* the event (``ctx``) and the event, and
either answer or raise :class:`Refused` with the reason; neither changes anything. Besides an
event's own steps, two things follow the facts for every event: the routes a gate hand-over
starts (:data:`STARTS`) and the court track (:func:`follow_ups`, from
:func:`~complaint_workflow.gate.court_must_hear_of`).

The data path runs one way: event → plan → routes → situation → rules → obligations.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, Final, Generic, TypeVar

import attrs

from . import events as ev
from ._frozen import evolver
from .calendar import as_london
from .gate import court_must_hear_of, finished
from .obligations import RESPONSE_TARGETS, derive_obligations, extended
from .sequence import Timeline
from .situation import Context, Delay, RouteStates, Situation

__all__ = [
    "PLANS",
    "STARTS",
    "Changes",
    "Plan",
    "Refused",
    "Step",
    "follow_ups",
    "next_situation",
    "plan_for",
    "route_states",
    "states_dict",
]

Step = tuple[str, str]
"""One move: ``(route, trigger)``."""
Changes = dict[str, Any]
"""New values of :class:`~.situation.Situation` fields."""

E = TypeVar("E", bound=ev.Event)


class Refused(Exception):
    """An event the plan refuses before any route is asked (``reason`` says why).

    Internal: :meth:`Complaint.apply <complaint_workflow.Complaint.apply>` turns it into
    :class:`~complaint_workflow.errors.EventRejected`.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _moves(value: Iterable[Step]) -> frozenset[Step]:
    return frozenset(value)


def _no_changes(ctx: Context, event: ev.Event) -> Changes:
    return {}


@attrs.frozen
class Plan(Generic[E]):
    """What one event type does: its steps, its situation changes, and their description."""

    event: type[E]
    steps: Callable[[Context, E], list[Step]] = attrs.field(repr=False)
    moves: frozenset[Step] = attrs.field(converter=_moves)
    """Every ``(route, trigger)`` step ``steps`` may return."""
    when: str = ""
    """In words: which of ``moves`` it takes when (empty: all of them, in order)."""
    changes: Callable[[Context, E], Changes] = attrs.field(default=_no_changes, repr=False)
    order: tuple[Step, ...] = ()
    """``moves`` in the order the docs list them (empty: sorted)."""

    def listed_moves(self) -> tuple[Step, ...]:
        """``moves`` in documentation order."""
        return self.order or tuple(sorted(self.moves))


def _fixed(
    event: type[E],
    *steps: Step,
    changes: Callable[[Context, E], Changes] | None = None,
    when: str = "",
) -> Plan[E]:
    fixed = list(steps)

    def plan(ctx: Context, e: E) -> list[Step]:
        return list(fixed)

    return Plan(event, plan, steps, when, changes or _no_changes, order=steps)


# --------------------------------------------------------------------- situation changes


def _with_done(s: Situation, *acts: str, at: datetime) -> Changes:
    """The ``done`` field with each act recorded at ``at`` (the first time only)."""
    done = s.done
    for name in acts:
        for existing, _ in done:
            if existing == name:
                break
        else:
            done = (*done, (name, at))
    return {"done": done}


def _done(act: str) -> Callable[[Context, ev.Event], Changes]:
    def update(ctx: Context, event: ev.Event) -> Changes:
        return _with_done(ctx.situation, act, at=event.at)

    return update


def _intake_then(ctx: Context, handoff: str, then: list[Step]) -> list[Step]:
    """Steps that first hand the complaint over at the gate when it is still there."""
    if ctx.situation.states.intake == "with-cst":
        return [("intake", handoff), *then]
    return then


# --------------------------------------------------------------------- intake and gates


def _resubmitted(ctx: Context, e: ev.Resubmitted) -> Changes:
    # A re-submission is a new receipt, made to the CST itself.
    return {"receipt_at": e.at, **_with_done(ctx.situation, "forward-to-cst", at=e.at)}


def _restrict(ctx: Context, e: ev.ContactRestricted) -> list[Step]:
    if not e.complainant_told:
        raise Refused("the complainant must be told of a decision to limit contact (§3.4)")
    if e.restriction == "refused":
        return [("intake", "refuse")]
    if finished(ctx.situation):
        raise Refused("the complaint has ended")
    return []


def _restricted(ctx: Context, e: ev.ContactRestricted) -> Changes:
    return {"contact_restriction": e.restriction}


def _repeated(ctx: Context, e: ev.RepeatedComplaintLinked) -> Changes:
    return {"linked_to": e.earlier_complaint_id}


def _exceptional(ctx: Context, e: ev.ExceptionalCircumstancesDecided) -> list[Step]:
    decision = "accept_exceptional" if e.accepted else "decline_exceptional"
    return _intake_then(ctx, "review_exceptional", [("intake", decision)])


# --------------------------------------------------------------------- the full procedure


def _contact(ctx: Context, e: ev.ContactMade) -> list[Step]:
    if ctx.situation.states.intake == "received":
        raise Refused("the complaint must reach the Customer Service Team first (§4.2)")
    return _intake_then(ctx, "accept", [("procedure", "contact")])


def _assessed(ctx: Context, e: ev.Assessed) -> Changes:
    return {"aspects": e.aspects, "serious_conduct": e.serious_conduct}


def _triage(ctx: Context, e: ev.Triaged) -> list[Step]:
    if e.route == "early-resolution":
        return [("procedure", "triage_early")]
    if ctx.situation.states.procedure == "early-resolution":
        return [("procedure", "escalate")]
    return [("procedure", "triage_investigation")]


def _triaged(ctx: Context, e: ev.Triaged) -> Changes:
    return {"triage": e.route, **_with_done(ctx.situation, "triage", at=e.at)}


def _referred(ctx: Context, e: ev.ConductReferred) -> Changes:
    return {"conduct_referred_to": e.to}


def _provider(ctx: Context, e: ev.ProviderResponseAgreed) -> Changes:
    return {"provider_response": "joint" if e.joint else "separate"}


def _correction(ctx: Context, e: ev.FactualErrorCorrected) -> list[Step]:
    steps: list[Step] = [("procedure", "correct_factual_error")]
    if ctx.situation.states.court == "due":
        steps.append(("court", "correct_error"))
    return steps


def _corrected(ctx: Context, e: ev.FactualErrorCorrected) -> Changes:
    s = ctx.situation
    acts = ["factual-error-corrected"]
    if s.states.court == "due":
        acts.append("court-notification")  # §4.7: corrected stands for told (guarded)
    return _with_done(s, *acts, at=e.at)


def _notified(ctx: Context, e: ev.CourtNotified) -> Changes:
    acts = ["court-notification"]
    if ctx.situation.meeting_after_hearing is not None:
        acts.append("court-update")  # told after the child's meeting: told of it too (§5.4)
    return _with_done(ctx.situation, *acts, at=e.at)


def _court_update(ctx: Context, e: ev.CourtUpdated) -> list[Step]:
    s = ctx.situation
    if (
        s.states.court == "done"
        and s.meeting_after_hearing is not None
        and s.done_at("court-update") is None
    ):
        return []  # owed after a meeting held once the complaint had closed: recorded only
    return [("court", "update")]


def _delay(ctx: Context, e: ev.DelayUpdateSent) -> list[Step]:
    s = ctx.situation
    if s.states.procedure is not None:
        return [("procedure", "send_delay_update")]
    if s.states.outside is not None:
        return [("outside", "send_delay_update")]
    if s.states.intake in ("received", "with-cst"):
        return []
    raise Refused("no response is owed to delay")


def _delayed(ctx: Context, e: ev.DelayUpdateSent) -> Changes:
    if not isinstance(e.new_expected, date) or isinstance(e.new_expected, datetime):
        raise Refused("new_expected must be a date")
    owed = {o.id: o for o in derive_obligations(ctx.situation, ctx.policy, ctx.calendar, e.at)}
    target = e.obligation or next((t for t in RESPONSE_TARGETS if t in owed), None)
    if target is None or target not in owed:
        raise Refused(f"no obligation {target or 'to respond'!r} is owed now")
    if owed[target].met_at is not None:
        raise Refused(f"obligation {target!r} has already been met")
    if e.new_expected <= owed[target].due:
        raise Refused(
            f"the new expected date must be after the due date {owed[target].due.isoformat()}"
        )
    delay = Delay(obligation=target, sent_at=e.at, until=e.new_expected)
    s = ctx.situation
    delays = s.delays if isinstance(s.delays, Timeline) else Timeline(s.delays)
    o = owed[target]
    before = o.due if o.extended_from is None else o.extended_from
    after = extended(o.due, delay)
    return {
        "delays": delays.appended(delay),
        "extensions": {**s.extensions, target: (before, after)},
    }


def _respond(ctx: Context, e: ev.Responded) -> list[Step]:
    s = ctx.situation
    if s.states.procedure is not None:
        return [("procedure", "respond")]
    if s.states.outside is not None:
        return [("outside", "respond")]
    if s.states.intake in ("received", "with-cst"):
        return [("intake", "route_outside"), ("outside", "respond")]
    raise Refused(f"no response is owed while intake is '{s.states.intake}'")


def _close(ctx: Context, e: ev.ComplaintClosed) -> list[Step]:
    court = ctx.situation.states.court
    if court == "due":
        raise Refused("the court must be notified before the complaint closes (§4.6, §5.4)")
    if court == "update-due":
        raise Refused(
            "the court must be updated after the child's meeting, held after the hearing, "
            "before the complaint closes (§5.4)"
        )
    return [("procedure", "close"), ("court", "finish")]


# --------------------------------------------------------------------- beside the procedure

_HearingEvent = ev.HearingListed | ev.HearingMoved | ev.HearingVacated


def _hearing(ctx: Context, e: _HearingEvent) -> list[Step]:
    s = ctx.situation
    if isinstance(e, ev.HearingListed) and s.hearing is not None:
        raise Refused("a hearing is already listed; move or vacate it")
    if isinstance(e, ev.HearingMoved | ev.HearingVacated) and s.hearing is None:
        raise Refused("no hearing is listed; list one first")
    if isinstance(e, ev.HearingMoved) and e.hearing == s.hearing:
        raise Refused("the hearing is already listed on that date")
    if isinstance(e, ev.HearingListed | ev.HearingMoved):
        if not isinstance(e.hearing, date) or isinstance(e.hearing, datetime):
            raise Refused("hearing must be a date")
        if e.hearing < as_london(e.at).date():
            raise Refused("the next hearing must not be in the past")
    return []  # the court track follows the new facts (follow_ups)


def _hearing_changes(ctx: Context, e: _HearingEvent) -> Changes:
    hearing = None if isinstance(e, ev.HearingVacated) else e.hearing
    ongoing = ctx.situation.case_ongoing or hearing is not None
    return {"hearing": hearing, "hearing_known_at": e.at, "case_ongoing": ongoing}


def _meeting(ctx: Context, e: ev.MeetingHeld) -> list[Step]:
    steps: list[Step] = [("child", "hold")]
    if ctx.situation.states.court == "notified" and _update_owed(ctx.situation, e) is not None:
        steps.append(("court", "owe_update"))
    return steps


def _update_owed(s: Situation, e: ev.MeetingHeld) -> date | None:
    """The meeting's London date when it owes the court an update (§5.4), else ``None``.

    Owed when the court must hear of the complaint and the meeting is held on or after the
    hearing then listed: by the hearing the court could not have heard of it.
    """
    day = as_london(e.at).date()
    if s.hearing is None or day < s.hearing:
        return None
    return day if court_must_hear_of(s.complainant, s.case_ongoing, s.aspects) else None


def _met(ctx: Context, e: ev.MeetingHeld) -> Changes:
    return {
        **_with_done(ctx.situation, "meeting", at=e.at),
        "meeting_after_hearing": _update_owed(ctx.situation, e),
    }


def _policy(ctx: Context, e: ev.PolicyChanged) -> list[Step]:
    if finished(ctx.situation):
        raise Refused("the complaint has ended; its policy can no longer change")
    return []


def _policy_changes(ctx: Context, e: ev.PolicyChanged) -> Changes:
    return {"policy_id": ctx.policy.id}


# --------------------------------------------------------------------- the table


def _hearing_plan(event: type[_HearingEvent]) -> Plan[Any]:
    return Plan(
        event,
        _hearing,
        (),
        "no move; obligations and the court track follow the new date at once",
        _hearing_changes,
    )


PLANS: Final[Mapping[type[ev.Event], Plan[Any]]] = {
    p.event: p
    for p in (
        _fixed(ev.ForwardedToCST, ("intake", "forward"), changes=_done("forward-to-cst")),
        _fixed(ev.ResubmissionRequested, ("intake", "request_resubmission")),
        _fixed(
            ev.Resubmitted,
            ("intake", "resubmit"),
            changes=_resubmitted,
            when="a new receipt: the procedure counts from it",
        ),
        Plan(
            ev.ContactRestricted,
            _restrict,
            [("intake", "refuse")],
            "`refused`: `intake.refuse`; `limited`: recorded, no move (refused once ended)",
            _restricted,
        ),
        _fixed(ev.RepeatedComplaintLinked, ("intake", "link_repeated"), changes=_repeated),
        _fixed(ev.ChallengeNotTakenForward, ("intake", "decline_challenge")),
        Plan(
            ev.ExceptionalCircumstancesDecided,
            _exceptional,
            [
                ("intake", "review_exceptional"),
                ("intake", "accept_exceptional"),
                ("intake", "decline_exceptional"),
            ],
            "`intake.review_exceptional` (at the gate), then `accept_exceptional` or "
            "`decline_exceptional`",
            _done("exceptional-decision"),
            order=(
                ("intake", "review_exceptional"),
                ("intake", "accept_exceptional"),
                ("intake", "decline_exceptional"),
            ),
        ),
        _fixed(ev.QuickFixOffered, ("intake", "offer_quick_fix")),
        _fixed(ev.QuickFixResponded, ("quick_fix", "respond")),
        _fixed(ev.QuickFixAccepted, ("quick_fix", "accept"), ("intake", "resolve_quick_fix")),
        _fixed(
            ev.QuickFixEscalated,
            ("quick_fix", "escalate"),
            ("intake", "escalate_quick_fix"),
            changes=_done("quick-fix-escalation"),
        ),
        Plan(
            ev.ContactMade,
            _contact,
            [("intake", "accept"), ("procedure", "contact")],
            "(`intake.accept` at the gate) then `procedure.contact`; refused before the CST",
            _done("contact"),
            order=(("intake", "accept"), ("procedure", "contact")),
        ),
        _fixed(ev.Assessed, ("procedure", "assess"), changes=_assessed),
        Plan(
            ev.Triaged,
            _triage,
            [
                ("procedure", "triage_early"),
                ("procedure", "triage_investigation"),
                ("procedure", "escalate"),
            ],
            "`triage_early` or `triage_investigation`; to investigation from early "
            "resolution: `escalate`",
            _triaged,
            order=(
                ("procedure", "triage_early"),
                ("procedure", "triage_investigation"),
                ("procedure", "escalate"),
            ),
        ),
        _fixed(ev.ConductReferred, ("procedure", "refer_conduct"), changes=_referred),
        _fixed(
            ev.ProviderResponseAgreed, ("procedure", "agree_provider_response"), changes=_provider
        ),
        Plan(
            ev.FactualErrorCorrected,
            _correction,
            [("procedure", "correct_factual_error"), ("court", "correct_error")],
            "`procedure.correct_factual_error`, and `court.correct_error` while the court is "
            "`due` (guarded: only when factual errors are all it must hear of)",
            _corrected,
            order=(("procedure", "correct_factual_error"), ("court", "correct_error")),
        ),
        _fixed(
            ev.CourtNotified,
            ("court", "notify"),
            changes=_notified,
            when="after a child's meeting held after the hearing it stands for the update too",
        ),
        Plan(
            ev.CourtUpdated,
            _court_update,
            [("court", "update")],
            "`court.update`; an update owed after a meeting held once the complaint closed is "
            "recorded with no move",
            _done("court-update"),
        ),
        Plan(
            ev.DelayUpdateSent,
            _delay,
            [("procedure", "send_delay_update"), ("outside", "send_delay_update")],
            "internal `procedure` / `outside` transition (no move before the gate); extends "
            "an obligation owed now",
            _delayed,
        ),
        Plan(
            ev.Responded,
            _respond,
            [("procedure", "respond"), ("intake", "route_outside"), ("outside", "respond")],
            "`procedure.respond`, or `outside.respond` (with `intake.route_outside` at the gate)",
            _done("response"),
            order=(("procedure", "respond"), ("intake", "route_outside"), ("outside", "respond")),
        ),
        Plan(
            ev.ComplaintClosed,
            _close,
            [("procedure", "close"), ("court", "finish")],
            "refused while the court track is `due` or `update-due`",
            _done("closed"),
            order=(("procedure", "close"), ("court", "finish")),
        ),
        _hearing_plan(ev.HearingListed),
        _hearing_plan(ev.HearingMoved),
        _hearing_plan(ev.HearingVacated),
        _fixed(
            ev.MeetingOffered,
            ("child", "offer"),
            changes=_done("meeting-offered"),
            when="on every path of a child's complaint, in the procedure or not (§5.2)",
        ),
        Plan(
            ev.MeetingHeld,
            _meeting,
            [("child", "hold"), ("court", "owe_update")],
            "`child.hold`, and `court.owe_update` when the court was notified and the meeting "
            "is on or after the hearing date (§5.4)",
            _met,
            order=(("child", "hold"), ("court", "owe_update")),
        ),
        _fixed(ev.MeetingDeclined, ("child", "decline"), changes=_done("meeting-declined")),
        Plan(
            ev.PolicyChanged,
            _policy,
            (),
            "no move; the complaint's policy changes, recorded (refused once ended)",
            _policy_changes,
        ),
    )
}
"""Every complaint event type (but the opening) and its plan."""

STARTS: Final[Mapping[str, Mapping[str, str]]] = {
    "procedure": {"procedure": "awaiting-contact", "court": "not-needed"},
    "outside-procedure": {"outside": "awaiting-response"},
    "quick-fix": {"quick_fix": "offered"},
}
"""The routes that start, in their initial states, when the intake gate hands over."""


def plan_for(event: ev.Event) -> Plan[Any] | None:
    """The plan of ``event``'s type, or ``None`` when it is no complaint event."""
    return PLANS.get(type(event))


def follow_ups(states: dict[str, str | None], situation: Situation, changes: Changes) -> list[Step]:
    """The steps that follow the facts after any event: the court is required once it must hear.

    ``states`` are the routes after the event's own steps, ``changes`` its situation changes.
    """
    if states["court"] != "not-needed":
        return []
    needed = court_must_hear_of(
        situation.complainant,
        changes.get("case_ongoing", situation.case_ongoing),
        changes.get("aspects", situation.aspects),
    )
    return [("court", "require")] if needed else []


FOLLOW_UPS: Final[tuple[tuple[Step, str], ...]] = (
    (
        ("court", "require"),
        "after any event, while the court track is `not-needed`, once the court must hear of "
        "the complaint (`gate.court_must_hear`)",
    ),
)
"""The steps :func:`follow_ups` may take, and when (for the docs)."""


_NEXT: Final = evolver(Situation, always=("states", "last_at"))


def next_situation(
    situation: Situation, states: RouteStates, last_at: datetime, changes: Changes
) -> Situation:
    """``situation`` with its route states, last instant and ``changes``: equal to
    ``attrs.evolve(situation, states=..., last_at=..., **changes)``, made by
    :func:`~complaint_workflow._frozen.evolver` (:class:`Situation` has no converters or
    validators, and every value here was made or checked by the library)."""
    return _NEXT(situation, states, last_at, changes)


_ROUTES_KEY: Final = operator.itemgetter(*(f.name for f in attrs.fields(RouteStates)))
_ROUTE_STATES: Final[dict[tuple[str | None, ...], RouteStates]] = {}
"""The :class:`RouteStates` made so far, by their values: frozen, so one is shared by every
situation with the same states (the routes' reachable combinations are a few dozen)."""
_ROUTE_STATES_KEPT: Final = 4096


def route_states(states: dict[str, str | None]) -> RouteStates:
    """The inverse of :func:`states_dict` (one shared frozen value per combination)."""
    key: tuple[str | None, ...] = _ROUTES_KEY(states)
    found = _ROUTE_STATES.get(key)
    if found is None:
        intake, *others = key
        found = RouteStates(str(intake), *others)
        if len(_ROUTE_STATES) < _ROUTE_STATES_KEPT:
            _ROUTE_STATES[key] = found
    return found


def states_dict(states: RouteStates) -> dict[str, str | None]:
    """The routes' states as a mutable dict (faster than ``attrs.asdict``)."""
    return {
        "intake": states.intake,
        "procedure": states.procedure,
        "court": states.court,
        "child": states.child,
        "quick_fix": states.quick_fix,
        "outside": states.outside,
    }


assert set(PLANS) == set(ev.EVENT_TYPES.values()) - {ev.ComplaintOpened}
