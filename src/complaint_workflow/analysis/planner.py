"""The planner: which event comes next for each simulated complaint, and when.

The planner plays the staff and the complainants. From the drawn numbers
(:class:`Draws`, one fixed-order set per complaint) it plans each complaint's acts on the
working-time axis (:mod:`~complaint_workflow.analysis.axis`), then :func:`drive` applies them
in time order with :meth:`Complaint.apply <complaint_workflow.Complaint.apply>`. It never
decides a procedure rule itself: the gate is ``complaint.eligibility``; whether the court still
needs telling is the complaint's court track (its route state ``court == "due"``); whether
correcting a factual error tells the court is what the complaint does with a trial
correction; an act the complaint refuses while the court must hear first waits until the
court has been told; a delay update goes out against the response ``complaint.obligations``
says is owed. A refusal the planner does not expect is raised, never hidden.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, Final

import attrs
import numpy as np
from dateutil.relativedelta import relativedelta

from .. import events as ev
from ..calendar import LONDON, WorkingDayCalendar, as_london, end_of_day
from ..complaint import Complaint
from ..errors import EventRejected
from ..obligations import RESPONSE_TARGETS, Obligation, first_obligation
from ..policy import Policy
from ..vocabulary import ASPECTS
from .axis import WorkingTime
from .parameters import OUT_OF_HOURS_CHANNELS, SimulationParameters

__all__ = ["Draws", "Plan", "Planner", "allocate", "drive", "finish", "side_events"]

_Item = tuple[float, int, type[ev.Event], dict[str, Any]]
"""A planned event: axis position, rank at that instant, event type, its fields."""


# Ranks order events planned for the same instant, so causes come before what they allow.
_R_RESUB_ASKED, _R_RESUBMITTED, _R_FORWARD, _R_OFFER_MEETING = 0, 1, 2, 3
_R_GATE, _R_QF_RESPONSE, _R_QF_ANSWER = 4, 5, 6
_R_CONTACT, _R_ASSESS, _R_TRIAGE, _R_HEARING = 7, 8, 9, 10
_R_CONDUCT, _R_PROVIDER, _R_COURT, _R_CORRECT, _R_ESCALATE = 11, 12, 13, 14, 15
_R_MEETING, _R_COURT_UPDATE, _R_RESPOND, _R_CLOSE = 16, 17, 19, 20


@attrs.define(slots=True)
class Plan:
    """One complaint's planned events; a procedure response waits for :func:`finish`."""

    complaint: Complaint
    items: list[_Item]
    end: float
    row: int
    gate: str = "in-time"
    procedure_from: float | None = None
    triage_at: float = 0.0
    assessed_at: float = 0.0
    work: float = 0.0
    escalate_after: float | None = None
    early: bool = False
    phone: bool = False
    aspects: tuple[str, ...] = ()
    serious: bool = False
    meeting: tuple[float, float, bool] | None = None


class Draws:
    """Every per-complaint random number, drawn up front in a fixed order."""

    def __init__(self, rng: np.random.Generator, n: int, p: SimulationParameters) -> None:
        self.u = rng.random((n, 24)).tolist()
        self.aspects = rng.random((n, len(ASPECTS))).tolist()
        self.staff = rng.choice(
            len(p.staff_named_distribution), size=n, p=list(p.staff_named_distribution)
        ).tolist()
        names = (
            "hearing_lead",
            "forward_time",
            "contact_time",
            "assessment_time",
            "triage_time",
            "early_resolution_time",
            "investigation_time",
            "outside_response_time",
            "action_time",
            "close_time",
            "quick_fix_time",
            "exceptional_decision_time",
            "resubmission_time",
            "meeting_time",
        )
        self.d: dict[str, list[float]] = {
            name: getattr(p, name).draw(rng, n).tolist() for name in names
        }
        # five independent action times (conduct, provider, correction, court, meeting offer)
        self.actions = p.action_time.draw(rng, n * 5).reshape(n, 5).tolist()
        self.more = {  # second draws of steps that happen twice
            "quick_fix_time": p.quick_fix_time.draw(rng, n).tolist(),
            "hearing_lead": p.hearing_lead.draw(rng, n).tolist(),
        }


# The columns of Draws.u: one uniform number per decision, per complaint.
(
    _U_WHO,
    _U_CASE,
    _U_ENDED,
    _U_HEARING,
    _U_HEARING_EVENT,
    _U_HEARING_WHEN,
    _U_CHANNEL,
    _U_RESUB,
    _U_GATE,
    _U_QF,
    _U_EXCEPTIONAL,
    _U_SERIOUS,
    _U_JOINT,
    _U_EARLY,
    _U_ESCALATE,
    _U_ESCALATE_WHEN,
    _U_PHONE,
    _U_EMAIL,
    _U_MEETING,
    _U_DELAY,
    _U_REPEAT_OF,
    _U_SPARE_1,  # reserved: a new draw takes a spare column and the others stay the same
    _U_SPARE_2,
    _U_SPARE_3,
) = range(24)


def _pick(u: float, pairs: Sequence[tuple[str, float]]) -> str:
    total = sum(v for _, v in pairs)
    acc = 0.0
    for name, share in pairs:
        acc += share / total if total else 0
        if u < acc:
            return name
    return pairs[-1][0]


class Planner:
    def __init__(
        self,
        p: SimulationParameters,
        policy: Policy,
        calendar: WorkingDayCalendar,
        axis: WorkingTime,
        draws: Draws,
    ) -> None:
        self.p, self.policy, self.calendar, self.axis, self.draws = p, policy, calendar, axis, draws
        self.ids: list[str] = []

    def delayed(self, i: int) -> bool:
        """Whether complaint ``i``'s staff send a delay update when its response will be late."""
        return bool(self.draws.u[i][_U_DELAY] < self.p.delay_update_share)

    # ---- opening
    def open(self, i: int, received: datetime, off_hours: bool) -> Plan:
        p, u, d = self.p, self.draws.u[i], self.draws.d
        who = u[_U_WHO]
        complainant: ev.ComplainantKind
        if who < p.child_share:
            complainant = "child"
        elif who < p.child_share + p.other_share:
            complainant = "other"
        elif who < p.child_share + p.other_share + p.employee_matter_share:
            complainant = "employee-matter"
        else:
            complainant = "adult"
        received_on = received.date()
        involvement_ended: date | None = None
        hearing: date | None = None
        ongoing = True
        if complainant in ("adult", "child"):
            case = u[_U_CASE]
            if case < p.out_of_time_share:
                months = relativedelta(months=6, days=1 + int(u[_U_ENDED] * 365))
                involvement_ended = received_on - months
            elif case < p.out_of_time_share + p.ended_in_time_share:
                involvement_ended = received_on - timedelta(days=1 + int(u[_U_ENDED] * 170))
        if involvement_ended is not None:
            ongoing = False
        elif complainant in ("adult", "child") and u[_U_HEARING] < p.hearing_share:
            lead = max(1, round(d["hearing_lead"][i]))
            hearing = self.calendar.roll_forward(received_on + timedelta(days=lead))
        if off_hours:
            channel = _pick(
                u[_U_CHANNEL], [(c, s) for c, s in p.channel_shares if c in OUT_OF_HOURS_CHANNELS]
            )
        else:
            channel = _pick(u[_U_CHANNEL], p.channel_shares)
        complaint_id = f"C-{i + 1:06d}"
        self.ids.append(complaint_id)
        complaint = Complaint.open(
            complaint_id=complaint_id,
            received_at=received,
            complainant=complainant,
            channel=channel,
            case_ongoing=ongoing,
            involvement_ended=involvement_ended,
            hearing=hearing,
            staff_named=int(self.draws.staff[i]),
            policy=self.policy,
            calendar=self.calendar,
        )
        return Plan(complaint=complaint, items=[], end=0.0, row=i)

    # ---- the whole path up to the procedure's response
    def plan(self, plan: Plan, received: datetime) -> None:
        p, i = self.p, plan.row
        u, d, acts = self.draws.u[i], self.draws.d, self.draws.actions[i]
        add = plan.items.append
        c = plan.complaint
        t0 = self.axis.at(received)
        if u[_U_RESUB] < p.resubmission_share:
            asked = t0 + d["forward_time"][i]
            add((asked, _R_RESUB_ASKED, ev.ResubmissionRequested, {}))
            t = asked + d["resubmission_time"][i]
            add((t, _R_RESUBMITTED, ev.Resubmitted, {}))
        else:
            t = t0 + d["forward_time"][i]
            add((t, _R_FORWARD, ev.ForwardedToCST, {}))
        if c.situation.states.child is not None:  # the complaint runs a child's meeting track
            offered = t + acts[4]
            plan.meeting = (
                offered,
                offered + d["meeting_time"][i],
                u[_U_MEETING] < p.child_meeting_held_share,
            )
        decide = t + d["assessment_time"][i]
        gate = plan.gate = c.eligibility  # fixed by the opening facts and the policy
        if gate == "outside-procedure":
            self._outside(plan, t)
        elif gate == "exceptional-circumstances":
            when = t + d["exceptional_decision_time"][i]
            accepted = u[_U_EXCEPTIONAL] < p.exceptional_accept_share
            add((when, _R_GATE, ev.ExceptionalCircumstancesDecided, {"accepted": accepted}))
            if accepted:
                self._procedure(plan, when)
            else:
                self._outside(plan, when)
        else:
            g = u[_U_GATE]
            cut = p.refused_share
            if g < cut:
                add(
                    (
                        decide,
                        _R_GATE,
                        ev.ContactRestricted,
                        {"restriction": "refused", "because": "abusive"},
                    )
                )
                plan.end = decide
            elif g < (cut := cut + p.repeat_share) and len(self.ids) > 1:
                earlier = self.ids[int(u[_U_REPEAT_OF] * (len(self.ids) - 1))]
                add(
                    (decide, _R_GATE, ev.RepeatedComplaintLinked, {"earlier_complaint_id": earlier})
                )
                plan.end = decide
            elif g < (cut := cut + p.challenge_share):
                add((decide, _R_GATE, ev.ChallengeNotTakenForward, {}))
                plan.end = decide
            elif g < cut + p.quick_fix_share:
                add((decide, _R_GATE, ev.QuickFixOffered, {}))
                responded = decide + d["quick_fix_time"][i]
                add((responded, _R_QF_RESPONSE, ev.QuickFixResponded, {}))
                answered = responded + self.draws.more["quick_fix_time"][i]
                if u[_U_QF] < p.quick_fix_escalation_share:
                    add((answered, _R_QF_ANSWER, ev.QuickFixEscalated, {}))
                    self._procedure(plan, answered)
                else:
                    add((answered, _R_QF_ANSWER, ev.QuickFixAccepted, {}))
                    plan.end = answered
            else:
                self._procedure(plan, t)

    def _outside(self, plan: Plan, t: float) -> None:
        i = plan.row
        when = t + self.draws.d["outside_response_time"][i]
        plan.items.append((when, _R_RESPOND, ev.Responded, {"method": "written"}))
        plan.end = when

    def _procedure(self, plan: Plan, t: float) -> None:
        p, i = self.p, plan.row
        u, d, flags = self.draws.u[i], self.draws.d, self.draws.aspects[i]
        add = plan.items.append
        method = "email-assessment" if u[_U_EMAIL] < p.email_assessment_share else "discussion"
        contact = t + d["contact_time"][i]
        add((contact, _R_CONTACT, ev.ContactMade, {"method": method}))
        shares = dict(p.aspect_shares)
        aspects = tuple(a for a, f in zip(ASPECTS, flags, strict=True) if f < shares.get(a, 0.0))
        aspects = aspects or ("case-management",)
        serious = "conduct" in aspects and u[_U_SERIOUS] < p.serious_conduct_share
        assessed = contact + d["assessment_time"][i]
        add((assessed, _R_ASSESS, ev.Assessed, {"aspects": aspects, "serious_conduct": serious}))
        triage = assessed + d["triage_time"][i]
        early = u[_U_EARLY] < p.early_resolution_share
        add(
            (
                triage,
                _R_TRIAGE,
                ev.Triaged,
                {"route": "early-resolution" if early else "investigation"},
            )
        )
        work = d["early_resolution_time"][i] if early else d["investigation_time"][i]
        escalate_after = None
        if early and u[_U_ESCALATE] < p.escalation_share:
            escalate_after = u[_U_ESCALATE_WHEN] * work
            work = escalate_after + d["investigation_time"][i]
        plan.procedure_from = t
        plan.assessed_at = assessed
        plan.triage_at = triage
        plan.work = work
        plan.escalate_after = escalate_after
        plan.early = early
        plan.phone = early and escalate_after is None and u[_U_PHONE] < p.phone_response_share
        plan.aspects = aspects
        plan.serious = serious


def finish(plan: Plan, start: float, draws: Draws, p: SimulationParameters) -> None:
    """The procedure's planned events from the moment work on the response starts."""
    i = plan.row
    d, acts, add = draws.d, draws.actions[i], plan.items.append
    respond = start + plan.work
    if plan.escalate_after is not None:
        add((start + plan.escalate_after, _R_ESCALATE, ev.Triaged, {"route": "investigation"}))
    after = plan.assessed_at
    if "conduct" in plan.aspects:
        to = "head-of-practice" if plan.serious else "manager"
        add((min(after + acts[0], respond), _R_CONDUCT, ev.ConductReferred, {"to": to}))
    if "commissioned-provider" in plan.aspects:
        joint = draws.u[i][_U_JOINT] < p.joint_provider_response_share
        add(
            (
                min(after + acts[1], respond),
                _R_PROVIDER,
                ev.ProviderResponseAgreed,
                {"joint": joint},
            )
        )
    # Telling the court is planned for every complaint; drive() asks the complaint whether the
    # court still needs telling when the time comes.
    add((min(after + acts[3], respond), _R_COURT, ev.CourtNotified, {}))
    if "factual-error" in plan.aspects:
        add((min(after + acts[2], respond), _R_CORRECT, ev.FactualErrorCorrected, {}))
    method = "phone" if plan.phone else "written"
    add((respond, _R_RESPOND, ev.Responded, {"method": method, "phso_signposted": True}))
    close = respond + d["close_time"][i]
    add((close, _R_CLOSE, ev.ComplaintClosed, {}))
    plan.end = respond


def side_events(
    plan: Plan,
    t0: float,
    draws: Draws,
    p: SimulationParameters,
    axis: WorkingTime,
    calendar: WorkingDayCalendar,
) -> None:
    """Hearing changes and a child's meeting, placed before the complaint's last step."""
    i, u, add = plan.row, draws.u[plan.row], plan.items.append
    s = plan.complaint.situation
    end = plan.end
    if plan.meeting is not None:
        offered, decided, held = plan.meeting
        offered = min(offered, end)
        decided = min(max(decided, offered), end)
        add((offered, _R_OFFER_MEETING, ev.MeetingOffered, {}))
        if held:
            add((decided, _R_MEETING, ev.MeetingHeld, {}))
            update = min(decided + draws.actions[i][4], end)
            add((update, _R_COURT_UPDATE, ev.CourtUpdated, {}))
        else:
            add((decided, _R_MEETING, ev.MeetingDeclined, {}))
    if not s.case_ongoing or s.complainant not in ("adult", "child"):
        return
    when = t0 + u[_U_HEARING_WHEN] * (end - t0)
    lead = max(1, round(draws.more["hearing_lead"][i]))
    on = axis.day(when)
    roll = u[_U_HEARING_EVENT]
    if s.hearing is None:
        if roll < p.hearing_listed_share:
            hearing = calendar.roll_forward(on + timedelta(days=lead))
            add((when, _R_HEARING, ev.HearingListed, {"hearing": hearing}))
    elif roll < p.hearing_moved_share:
        hearing = calendar.roll_forward(max(on, s.hearing) + timedelta(days=lead))
        add((when, _R_HEARING, ev.HearingMoved, {"hearing": hearing}))
    elif roll < p.hearing_moved_share + p.hearing_vacated_share:
        add((when, _R_HEARING, ev.HearingVacated, {}))


_AFTER_THE_COURT: Final = (ev.FactualErrorCorrected, ev.CourtUpdated)
"""Acts the complaint may refuse while the court has still to be told."""


_sort_key: Final = operator.itemgetter(0, 1)
"""Items in time order, causes first at the same instant (their ranks)."""

_ASKS_FIRST: Final = frozenset(
    {
        ev.CourtNotified,
        ev.CourtUpdated,
        ev.FactualErrorCorrected,
        ev.ComplaintClosed,
        ev.Responded,
    }
)
"""The acts :func:`drive` asks the complaint about before applying; every other planned
event is applied as it is."""


def _court_due(c: Complaint) -> bool:
    """Whether the court still needs telling, as the complaint's court track says (read from
    its route states directly: ``Complaint.states`` builds a dict, 250 times slower)."""
    return c.situation.states.court == "due"


def _correction_tells_the_court(c: Complaint, at: datetime) -> bool:
    """Whether correcting the factual error now would tell the court, as the complaint answers a
    trial correction (a value: nothing is kept)."""
    try:
        return not _court_due(c.apply(ev.FactualErrorCorrected(at=at)))
    except EventRejected:
        return False


def drive(plan: Plan, axis: WorkingTime, delay: bool) -> Complaint:
    """Apply the planned events in time order, as the staff would, asking the complaint.

    - Telling the court happens only while the court track is ``due``, and not when a factual
      error still to be corrected would tell the court itself (the complaint says which).
    - A correction (or a court update) the complaint refuses while the court must hear first
      waits until the planned telling (or, if none is left, the court is told first).
    - A court update goes out only when the complaint owes one.
    - Closing while the court is still ``due`` tells the court first.
    - A delay update (when drawn) goes out on the due date of the response owed.
    """
    c = plan.complaint
    items = sorted(plan.items, key=_sort_key)
    instant = axis.instant
    i, n = 0, len(items)
    while i < n:
        t, rank, kind, fields = items[i]
        i += 1
        if kind not in _ASKS_FIRST:
            c = c.apply(kind(at=instant(t), **fields))
            continue
        if kind is ev.CourtNotified and not _court_due(c):
            continue  # not needed, or already told (a correction stood for it)
        at = instant(t)
        if kind is ev.CourtNotified:
            later = any(k is ev.FactualErrorCorrected for _, _, k, _ in items[i:])
            if later and _correction_tells_the_court(c, at):
                continue  # the planned correction will tell the court (§4.7)
        elif kind is ev.CourtUpdated and not _update_owed(c, at):
            continue
        elif kind in _AFTER_THE_COURT and _court_due(c):
            try:
                c = c.apply(kind(at=at, **fields))
            except EventRejected:
                told = next(
                    (j for j in range(i, len(items)) if items[j][2] is ev.CourtNotified), None
                )
                if told is not None:  # the court hears first; this follows it
                    items.insert(told + 1, (max(t, items[told][0]), rank, kind, fields))
                    n += 1
                    continue
                c = c.apply(ev.CourtNotified(at=at))
            else:
                continue
        elif kind is ev.ComplaintClosed and _court_due(c):
            c = c.apply(ev.CourtNotified(at=at))  # the court must hear before the complaint closes
        if kind is ev.Responded and delay:
            c = _maybe_delay(c, at)
        c = c.apply(kind(at=at, **fields))
    return c


def _update_owed(c: Complaint, at: datetime) -> bool:
    """Whether the court is owed an update after a child's meeting (§5.4).

    Where the policy states the duty (a ``court-update`` target), the complaint's obligations
    say so. Otherwise staff follow §5.4 themselves: an update only after the court was told and
    the child's meeting was held after the hearing; the complaint accepts or refuses the rest.
    """
    if c.policy.get("court-update") is not None:
        update = _first_owed(c, at, _COURT_UPDATE)
        return update is not None and update.met_at is None
    s = c.situation
    return (
        s.states.court == "notified"
        and s.states.child == "held"
        and s.hearing is not None
        and at.date() > s.hearing
    )


def _maybe_delay(c: Complaint, respond_at: datetime) -> Complaint:
    """Send a delay update on the due date when the response will be late (§4.12)."""
    target = _first_owed(c, respond_at, RESPONSE_TARGETS)
    if target is None or target.met_at is not None or respond_at.date() <= target.due:
        return c
    sent = max(c.last_at, datetime.combine(target.due, time(12), tzinfo=LONDON))
    if sent >= end_of_day(target.due):
        return c  # too late for an update to count: none is sent
    return c.apply(ev.DelayUpdateSent(at=sent, new_expected=respond_at.date()))


def _first_owed(c: Complaint, at: datetime, ids: Sequence[str]) -> Obligation | None:
    """The first of ``ids`` (in that order) among ``c.obligations(at)``, or ``None``.

    From ``at`` on the latest event it is :func:`first_obligation`: only those targets are
    worked out, not every obligation.
    """
    if as_london(at, "at") >= c.last_at:
        return first_obligation(c.situation, c.eras, c.calendar, at, ids)
    owed = {o.id: o for o in c.obligations(at)}
    return next((owed[t] for t in ids if t in owed), None)


_COURT_UPDATE: Final = ("court-update",)


def allocate(plans: list[Plan], capacity: int | None) -> dict[int, float]:
    """When work on each procedure response starts: at triage, or when staff are free."""
    jobs = sorted(
        (plan.triage_at, plan.row, plan.work) for plan in plans if plan.procedure_from is not None
    )
    if capacity is None:
        return {row: at for at, row, _ in jobs}
    free: list[float] = [float("-inf")] * capacity
    start: dict[int, float] = {}
    for at, row, work in jobs:
        earliest = heapq.heappop(free)
        begin = max(at, earliest)
        start[row] = begin
        heapq.heappush(free, begin + work)
    return start
