"""A stateful test: a real complaint driven beside a simple reference model written from the docs.

The model knows the procedure only as ``docs/routes.md`` and ``docs/obligations.md`` tell it:
the route states and allowed transitions as plain tables, and due dates counted day by day on
GOV.UK's own list of bank holidays (never the library's calendar). Random events are applied
whether allowed or not; the model says which must be rejected, and after every step the
complaint's obligations, replay and JSON must agree with it.

Scope: an adult's or a child's complaint, in time (the case ongoing), under ``cafcass-2012``,
``cafcass-web`` or a variant of either with other working-day durations. Besides the random
events, a ``progress`` rule sends a few events the model allows, so that runs reach the end. A
child's meeting, and the court update it owes when held on or after the hearing (§5.4), are in
scope; so is the web policy's refusal to answer a complaint before it is triaged.

Where the model follows the library on a point the docs leave open, a comment says so. The
bugs this model found (fixed in the library) are kept as regression tests at the end.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

import complaint_workflow.obligations
from complaint_workflow import (
    LONDON,
    Assessed,
    Complaint,
    ComplaintClosed,
    ConductReferred,
    ContactMade,
    CourtNotified,
    CourtUpdated,
    DelayUpdateSent,
    Event,
    EventRejected,
    ForwardedToCST,
    HearingListed,
    HearingMoved,
    HearingVacated,
    InvalidValueError,
    MeetingDeclined,
    MeetingHeld,
    MeetingOffered,
    NaiveDatetimeError,
    Obligation,
    Policy,
    ProviderResponseAgreed,
    Responded,
    Triaged,
    WorkingDays,
)

from .calendar_checks import GOVUK
from .strategies import GOVUK_FIRST, ZONES, instants

# ------------------------------------------------------------------ days, by walking

GOVUK_COVERS_TO = date(2028, 12, 31)
LATEST_DATE = date(2028, 11, 30)
"""Hearings and new expected dates are kept inside GOV.UK's list, with room to count back."""
DAY = timedelta(days=1)


def working(d: date) -> bool:
    """A weekday that GOV.UK does not list as an England-and-Wales bank holiday."""
    assert GOVUK_FIRST <= d <= GOVUK_COVERS_TO, f"{d} is outside GOV.UK's list"
    return d.weekday() < 5 and d not in GOVUK


def roll_forward(d: date) -> date:
    while not working(d):
        d += DAY
    return d


def working_days_after(day0: date, n: int) -> date:
    d = day0
    while n:
        d += DAY
        n -= working(d)
    return d


def working_days_before(d: date, n: int) -> date:
    while n:
        d -= DAY
        n -= working(d)
    return d


def calendar_days_after(d: date, n: int) -> date:
    return d + timedelta(days=n)


def last_working_day_by(d: date) -> date:
    while not working(d):
        d -= DAY
    return d


def london_date(instant: datetime) -> date:
    return instant.astimezone(LONDON).date()


def start_of(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=LONDON)


def end_of(d: date) -> datetime:
    """The first instant after the end of ``d`` in London: midnight starting the next day."""
    return start_of(d + DAY)


# ------------------------------------------------------------------ the policies, by hand


@dataclasses.dataclass(frozen=True)
class Spec:
    """One target as docs/policies.md states it."""

    n: int
    unit: str  # "wd" working days, "days" calendar days
    anchor: str  # "receipt" (forward from day 0) or "hearing" (back from the hearing)
    strength: str
    route: str = "procedure"  # "procedure", "early-resolution" or "investigation"
    court_triggers: bool = False  # only for a child, professional judgement or factual error
    child_only: bool = False  # only for a child's complaint


FORWARD = Spec(1, "wd", "receipt", "hard")
BEFORE_HEARING = Spec(5, "wd", "hearing", "target")
COURT = Spec(1, "wd", "hearing", "hard", court_triggers=True)
WRITTEN = {
    "forward-to-cst": FORWARD,
    "response": Spec(15, "wd", "receipt", "hard"),
    "response-before-hearing": BEFORE_HEARING,
    "court-notification": COURT,
    "meeting-offer": Spec(15, "wd", "receipt", "hard", child_only=True),
    "court-update": Spec(5, "wd", "meeting", "hard", child_only=True),
}
WEB = {
    "forward-to-cst": FORWARD,
    "response-before-hearing": BEFORE_HEARING,
    "court-notification": COURT,
    "meeting-offer": Spec(2, "wd", "receipt", "hard", child_only=True),
    "court-update": Spec(5, "wd", "meeting", "hard", child_only=True),
    "contact": Spec(2, "wd", "receipt", "hard"),
    "early-resolution": Spec(7, "days", "receipt", "target", route="early-resolution"),
    "investigation": Spec(20, "wd", "receipt", "target", route="investigation"),
}
WEB_VARIANT = Policy.builtin("cafcass-web").evolve(
    id="web-quicker", targets={"investigation": WorkingDays(12), "contact": WorkingDays(3)}
)
WRITTEN_VARIANT = Policy.builtin("cafcass-2012").evolve(
    id="written-stricter",
    targets={"response": WorkingDays(10), "response-before-hearing": WorkingDays(8)},
)
POLICIES: dict[str, tuple[Policy, dict[str, Spec]]] = {
    "cafcass-2012": (Policy.builtin("cafcass-2012"), WRITTEN),
    "cafcass-web": (Policy.builtin("cafcass-web"), WEB),
    "web-quicker": (
        WEB_VARIANT,
        WEB
        | {
            "contact": dataclasses.replace(WEB["contact"], n=3),
            "investigation": dataclasses.replace(WEB["investigation"], n=12),
        },
    ),
    "written-stricter": (
        WRITTEN_VARIANT,
        WRITTEN
        | {
            "response": dataclasses.replace(WRITTEN["response"], n=10),
            "response-before-hearing": dataclasses.replace(BEFORE_HEARING, n=8),
        },
    ),
}
ACT = {
    "forward-to-cst": "forward",
    "contact": "contact",
    "court-notification": "court",
    "meeting-offer": "meeting-offered",
    "court-update": "court-update",
}  # every other target is met by the response
RESPONSE_TARGETS = ("response", "early-resolution", "investigation")
COURT_ASPECTS = frozenset({"professional-judgement", "factual-error"})
ASPECTS = (
    "professional-judgement",
    "factual-error",
    "case-management",
    "conduct",
    "commissioned-provider",
)

# ------------------------------------------------------------------ the routes, by hand

INTAKE = {("received", "forward"): "with-cst", ("with-cst", "accept"): "procedure"}
WORKING_ON = ("assessed", "early-resolution", "investigation")
PROCEDURE = {
    ("awaiting-contact", "contact"): "contacted",
    ("contacted", "assess"): "assessed",
    ("assessed", "triage_early"): "early-resolution",
    ("assessed", "triage_investigation"): "investigation",
    ("early-resolution", "escalate"): "investigation",
    **{(s, "refer_conduct"): s for s in WORKING_ON},
    **{(s, "agree_provider_response"): s for s in WORKING_ON},
    **{(s, "respond"): "responded" for s in WORKING_ON},
    **{(s, "send_delay_update"): s for s in ("awaiting-contact", "contacted", *WORKING_ON)},
    ("responded", "close"): "closed",
}
COURT_TRACK = {
    ("not-needed", "require"): "due",
    ("not-needed", "notify"): "notified",
    ("due", "notify"): "notified",
    ("notified", "owe_update"): "update-due",
    ("update-due", "update"): "updated",
    ("not-needed", "finish"): "done",
    ("notified", "finish"): "done",
    ("updated", "finish"): "done",
}  # ("notified", "update") needs the meeting held: see after()
CHILD_TRACK = {
    ("not-offered", "offer"): "offered",
    ("offered", "hold"): "held",
    ("offered", "decline"): "declined",
}


class Rejected(Exception):
    """The model's word: this event must be rejected."""


def step(table: dict[tuple[str, str], str], state: str | None, trigger: str) -> str:
    if state is None or (state, trigger) not in table:
        raise Rejected(f"no {trigger!r} from {state!r}")
    return table[(state, trigger)]


def require(condition: bool, reason: str) -> None:
    if not condition:
        raise Rejected(reason)


Row = tuple[str, date, str, date | None, datetime | None]
"""An obligation as the model sees it: id, due, status, extended_from, met_at."""


@dataclasses.dataclass
class Model:
    """Where the complaint should stand, and what it should owe, from the docs alone."""

    complainant: str
    policy: str
    received: datetime
    hearing: date | None
    hearing_known: datetime
    last_at: datetime
    version: int = 1
    intake: str = "received"
    procedure: str | None = None
    court: str | None = None
    aspects: frozenset[str] = frozenset()
    serious: bool = False
    referred_to: str | None = None
    provider_agreed: bool = False
    triage: str | None = None
    child: str = "not-offered"
    meeting_after: date | None = None  # a child's meeting on or after the hearing (§5.4)
    done: dict[str, datetime] = dataclasses.field(default_factory=dict)
    delays: list[tuple[str, datetime, date]] = dataclasses.field(default_factory=list)

    # ----------------------------------------------------------------- states

    @property
    def states(self) -> dict[str, str]:
        out = {"intake": self.intake}
        if self.procedure is not None:
            out |= {"procedure": self.procedure, "court": str(self.court)}
        if self.complainant == "child":
            out["child"] = self.child
        return out

    @property
    def triages(self) -> bool:
        """docs/routes.md: a policy with targets per triage route answers only once triaged."""
        specs = POLICIES[self.policy][1].values()
        return any(spec.route in ("early-resolution", "investigation") for spec in specs)

    @property
    def court_reason(self) -> bool:
        return self.complainant == "child" or bool(self.aspects & COURT_ASPECTS)

    def after(self, event: Event) -> Model:
        """The model after ``event``; raises :class:`Rejected` when it must be rejected."""
        at = event.at
        require(at.tzinfo is not None and at.utcoffset() is not None, "naive")
        require(at >= self.last_at, "earlier than the previous event")
        require(event.version in (None, self.version + 1), "wrong version")
        m = copy.deepcopy(self)
        m.last_at, m.version = at, self.version + 1
        if isinstance(event, ForwardedToCST):
            m.intake = step(INTAKE, m.intake, "forward")
            m.did("forward", at)
        elif isinstance(event, ContactMade):
            require(m.intake != "received", "contact only after forwarding to the CST")
            if m.intake == "with-cst":
                m.intake = step(INTAKE, m.intake, "accept")
                m.procedure = "awaiting-contact"
                m.court = "due" if m.court_reason else "not-needed"
            m.procedure = step(PROCEDURE, m.procedure, "contact")
            m.did("contact", at)
        elif isinstance(event, Assessed):
            aspects = tuple(event.aspects)
            require(bool(aspects) and len(set(aspects)) == len(aspects), "aspects, each once")
            require(not event.serious_conduct or "conduct" in aspects, "serious means conduct")
            m.procedure = step(PROCEDURE, m.procedure, "assess")
            m.aspects, m.serious = frozenset(aspects), event.serious_conduct
            if m.aspects & COURT_ASPECTS and m.court == "not-needed":
                m.court = step(COURT_TRACK, m.court, "require")
        elif isinstance(event, Triaged):
            if event.route == "early-resolution":
                trigger = "triage_early"
            else:
                escalating = m.procedure == "early-resolution"
                trigger = "escalate" if escalating else "triage_investigation"
            m.procedure = step(PROCEDURE, m.procedure, trigger)
            m.triage = event.route
        elif isinstance(event, ConductReferred):
            m.procedure = step(PROCEDURE, m.procedure, "refer_conduct")
            require("conduct" in m.aspects, "only conduct is referred")
            require(not m.serious or event.to == "head-of-practice", "serious: Head of Practice")
            m.referred_to = event.to
        elif isinstance(event, ProviderResponseAgreed):
            m.procedure = step(PROCEDURE, m.procedure, "agree_provider_response")
            require("commissioned-provider" in m.aspects, "only with a provider")
            m.provider_agreed = True
        elif isinstance(event, Responded):
            phone_ok = event.method == "written" or m.procedure == "early-resolution"
            untriaged = m.procedure == "assessed"
            m.procedure = step(PROCEDURE, m.procedure, "respond")
            require(not (untriaged and m.triages), "triaged before the response (cafcass-web)")
            require(event.phso_signposted, "PHSO signposted")
            require(phone_ok, "phone only for early resolution")
            require("conduct" not in m.aspects or m.referred_to is not None, "conduct referred")
            require(not m.serious or m.referred_to == "head-of-practice", "to Head of Practice")
            require("commissioned-provider" not in m.aspects or m.provider_agreed, "provider")
            m.did("response", at)
        elif isinstance(event, CourtNotified):
            m.court = step(COURT_TRACK, m.court, "notify")
            m.did("court", at)
            if m.meeting_after is not None:  # told after the late meeting: told of it too
                m.did("court-update", at)
        elif isinstance(event, MeetingOffered):
            require(m.complainant == "child", "only a child is offered a meeting")
            m.child = step(CHILD_TRACK, m.child, "offer")
            m.did("meeting-offered", at)
        elif isinstance(event, MeetingDeclined):
            require(m.complainant == "child", "only a child is offered a meeting")
            m.child = step(CHILD_TRACK, m.child, "decline")
        elif isinstance(event, MeetingHeld):
            require(m.complainant == "child", "only a child is offered a meeting")
            m.child = step(CHILD_TRACK, m.child, "hold")
            require(not event.supporter_is_a_party, "the supporter is not a party")
            day = london_date(at)
            if m.hearing is not None and day >= m.hearing and m.court_reason:
                m.meeting_after = day  # the case is ongoing throughout this model
                if m.court == "notified":
                    m.court = step(COURT_TRACK, m.court, "owe_update")
        elif isinstance(event, CourtUpdated):
            if m.court == "done" and m.meeting_after is not None:
                require("court-update" not in m.done, "the update was already recorded")
            elif m.court == "notified":
                require(m.child == "held", "updated only after the meeting")
                m.court = "updated"
            else:
                m.court = step(COURT_TRACK, m.court, "update")
            m.did("court-update", at)
        elif isinstance(event, ComplaintClosed):
            require(m.court != "due", "the court must be notified before closing")
            require(m.court != "update-due", "the court must be updated before closing")
            m.procedure = step(PROCEDURE, m.procedure, "close")
            m.court = step(COURT_TRACK, m.court, "finish")
        elif isinstance(event, HearingListed | HearingMoved | HearingVacated):
            listing = isinstance(event, HearingListed)
            require((m.hearing is None) == listing, "list when none, move or vacate when one")
            new = None if isinstance(event, HearingVacated) else event.hearing
            require(new is None or new >= london_date(at), "a hearing not in the past")
            moved = isinstance(event, HearingMoved)
            require(not moved or new != m.hearing, "a move changes the date")
            if new is not None and m.court_reason and m.court == "not-needed":
                m.court = step(COURT_TRACK, m.court, "require")
            m.hearing, m.hearing_known = new, at
        elif isinstance(event, DelayUpdateSent):
            if m.procedure is not None:
                step(PROCEDURE, m.procedure, "send_delay_update")
            owed = {row[0]: row for row in self.obligations(at)}
            target = event.obligation or next((t for t in RESPONSE_TARGETS if t in owed), None)
            require(target in owed, "no such obligation owed now")
            assert target is not None
            _, due, _, _, met_at = owed[target]
            require(met_at is None, "already met")
            require(event.new_expected > due, "the new date must be after the due date")
            m.delays.append((target, at, event.new_expected))
        else:  # pragma: no cover - the rules send nothing else
            raise AssertionError(event)
        return m

    def did(self, act: str, at: datetime) -> None:
        # An instant, not a wall time: the library keeps fixed offsets (PEP 495 makes a
        # zoneinfo time that the clocks repeat unequal to any time in another zone).
        self.done.setdefault(act, at.astimezone(UTC))

    # ----------------------------------------------------------------- obligations

    @property
    def day0(self) -> date:
        return roll_forward(london_date(self.received))

    def obligations(self, now: datetime) -> set[Row]:
        """docs/obligations.md: which targets apply, their due dates and statuses at ``now``."""
        rows: set[Row] = set()
        for target, spec in POLICIES[self.policy][1].items():
            act = ACT.get(target, "response")
            applies = (
                spec.route in ("procedure", self.triage)
                and (not spec.court_triggers or self.court_reason)
                and (not spec.child_only or self.complainant == "child")
            )
            if not applies:
                continue
            if spec.anchor == "hearing":
                if self.hearing is None:
                    continue
                due = working_days_before(self.hearing, spec.n)
                impossible = due < max(self.day0, london_date(self.hearing_known))
            elif spec.anchor == "meeting":  # a child's meeting after the hearing (§5.4)
                if self.meeting_after is None:
                    continue
                due = working_days_after(roll_forward(self.meeting_after), spec.n)
                impossible = False
            else:
                add = working_days_after if spec.unit == "wd" else calendar_days_after
                due = add(self.day0, spec.n)
                impossible = False
            original = due
            for obligation, sent_at, until in self.delays:
                if obligation == target and sent_at < end_of(due):
                    due = max(due, until)
            met_at = self.done.get(act)
            status = _status(spec.strength, due, met_at, impossible, due != original, now)
            rows.add((target, due, status, original if due != original else None, met_at))
        return rows


def _status(
    strength: str,
    due: date,
    met_at: datetime | None,
    impossible: bool,
    extended: bool,
    now: datetime,
) -> str:
    """The statuses table of docs/obligations.md.

    The table gives no precedence; this one (done in time, impossible, done late, past due,
    at risk, extended, pending) is the library's, and each step reads plausibly from the docs.
    """
    if met_at is not None and met_at < end_of(due):
        return "met"
    if impossible:
        return "impossible"
    if met_at is not None:
        return "met-late" if strength == "target" else "breached"
    if now >= end_of(due):
        return "breached" if strength == "hard" else "at-risk"
    # "No more than 1 working day remains, counting the due date": read, as the docs' own
    # gloss says, as "from the due date itself, or the last working day before a due date that
    # is not a working day". On a weekend before a Monday due date it is still pending.
    if london_date(now) >= last_working_day_by(due):
        return "at-risk"
    return "extended" if extended else "pending"


# ------------------------------------------------------------------ the state machine


def rows(obligations: tuple[Obligation, ...]) -> set[Row]:
    return {(o.id, o.due, o.status, o.extended_from, o.met_at) for o in obligations}


receipts = instants(date(2013, 1, 1), date(2027, 12, 31))
hearing_offsets = st.one_of(st.integers(-2, 10), st.integers(0, 90))
versioned = st.booleans()
signposted = st.sampled_from([True, True, True, False])
aspect_lists = st.one_of(
    st.lists(st.sampled_from(ASPECTS), min_size=1, max_size=3, unique=True),
    st.lists(st.sampled_from(ASPECTS), max_size=3),
)


class ComplaintModel(RuleBasedStateMachine):
    """A real complaint and the model, side by side, under random events and random time."""

    def __init__(self) -> None:
        super().__init__()
        self.complaint: Complaint
        self.model: Model
        self.now: datetime  # in UTC, so adding a timedelta adds elapsed time
        self.zone: Any = LONDON
        self.past: list[tuple[datetime, Model]]  # the model after each event, for look_back

    # ----------------------------------------------------------------- opening and time

    @initialize(
        complainant=st.sampled_from(["adult", "child"]),
        policy=st.sampled_from(list(POLICIES)),
        received=receipts,
        hearing=st.none() | st.integers(0, 60),
    )
    def open(self, complainant: str, policy: str, received: datetime, hearing: int | None) -> None:
        listed = None if hearing is None else london_date(received) + timedelta(days=hearing)
        self.complaint = Complaint.open(
            complaint_id="M-1",
            complainant=complainant,  # type: ignore[arg-type]
            received_at=received,
            policy=POLICIES[policy][0],
            hearing=listed,
        )
        self.model = Model(complainant, policy, received, listed, received, received)
        self.now = received.astimezone(UTC)
        self.past = [(received, self.model)]

    @rule(minutes=st.integers(0, 10 * 24 * 60), zone=st.sampled_from(ZONES))
    def time_passes(self, minutes: int, zone: Any) -> None:
        self.now += timedelta(minutes=minutes)
        self.zone = zone

    @rule(days=st.integers(1, 10), just_before=st.booleans())
    def to_a_london_midnight(self, days: int, just_before: bool) -> None:
        midnight = start_of(london_date(self.now) + timedelta(days=days))
        self.now = (midnight - timedelta(microseconds=just_before)).astimezone(UTC)

    def at(self) -> datetime:
        return self.now.astimezone(self.zone)

    @property
    def today(self) -> date:
        return london_date(self.now)

    # ----------------------------------------------------------------- events

    def attempt(self, make: Callable[..., Event], explicit: bool, **fields: Any) -> None:
        """Apply an event; the model says whether the complaint must take it or reject it."""
        version = self.complaint.version + 1 if explicit else None
        event = make(at=self.at(), version=version, **fields)
        self.check(event)

    def check(self, event: Event) -> None:
        try:
            expected: Model | None = self.model.after(event)
        except Rejected:
            expected = None
        before = self.complaint.to_json()
        try:
            after: Complaint | None = self.complaint.apply(event)
        except EventRejected as exc:
            after, reason = None, exc.reason
        if after is None:
            assert expected is None, f"{event!r} was rejected ({reason}); the model allows it"
            assert self.complaint.to_json() == before
            return
        assert expected is not None, f"{event!r} was applied; the model rejects it"
        assert after.version == self.complaint.version + 1 == expected.version
        self.complaint, self.model = after, expected
        self.past.append((event.at, expected))

    @rule(explicit=versioned)
    def forward(self, explicit: bool) -> None:
        self.attempt(ForwardedToCST, explicit)

    @rule(explicit=versioned, method=st.sampled_from(["discussion", "email-assessment"]))
    def contact(self, explicit: bool, method: str) -> None:
        self.attempt(ContactMade, explicit, method=method)

    @rule(explicit=versioned, aspects=aspect_lists, serious=st.booleans())
    def assess(self, explicit: bool, aspects: list[str], serious: bool) -> None:
        if not aspects or len(set(aspects)) < len(aspects):  # refused when made
            with pytest.raises(InvalidValueError, match=r"Assessed\.aspects"):
                Assessed(at=self.at(), aspects=aspects, serious_conduct=serious)  # type: ignore[arg-type]
            return
        self.attempt(Assessed, explicit, aspects=aspects, serious_conduct=serious)

    @rule(explicit=versioned, route=st.sampled_from(["early-resolution", "investigation"]))
    def triage(self, explicit: bool, route: str) -> None:
        self.attempt(Triaged, explicit, route=route)

    @rule(explicit=versioned, to=st.sampled_from(["manager", "head-of-practice"]))
    def refer_conduct(self, explicit: bool, to: str) -> None:
        self.attempt(ConductReferred, explicit, to=to)

    @rule(explicit=versioned, joint=st.booleans())
    def agree_provider_response(self, explicit: bool, joint: bool) -> None:
        self.attempt(ProviderResponseAgreed, explicit, joint=joint)

    @rule(explicit=versioned)
    def notify_court(self, explicit: bool) -> None:
        self.attempt(CourtNotified, explicit)

    @rule(explicit=versioned, method=st.sampled_from(["written", "phone"]), phso=signposted)
    def respond(self, explicit: bool, method: str, phso: bool) -> None:
        self.attempt(Responded, explicit, method=method, phso_signposted=phso)

    @rule(explicit=versioned)
    def close(self, explicit: bool) -> None:
        self.attempt(ComplaintClosed, explicit)

    @rule(explicit=versioned)
    def offer_meeting(self, explicit: bool) -> None:
        self.attempt(MeetingOffered, explicit)

    @rule(explicit=versioned, party=st.sampled_from([False, False, False, True]))
    def hold_meeting(self, explicit: bool, party: bool) -> None:
        self.attempt(MeetingHeld, explicit, supporter_is_a_party=party)

    @rule(explicit=versioned)
    def decline_meeting(self, explicit: bool) -> None:
        self.attempt(MeetingDeclined, explicit)

    @rule(explicit=versioned)
    def update_court(self, explicit: bool) -> None:
        self.attempt(CourtUpdated, explicit)

    def hearing_on(self, offset: int) -> date:
        return min(self.today + timedelta(days=offset), LATEST_DATE)

    @rule(explicit=versioned, offset=hearing_offsets)
    def list_hearing(self, explicit: bool, offset: int) -> None:
        self.attempt(HearingListed, explicit, hearing=self.hearing_on(offset))

    @rule(explicit=versioned, offset=hearing_offsets)
    def move_hearing(self, explicit: bool, offset: int) -> None:
        self.attempt(HearingMoved, explicit, hearing=self.hearing_on(offset))

    @rule(explicit=versioned)
    def vacate_hearing(self, explicit: bool) -> None:
        self.attempt(HearingVacated, explicit)

    @rule(
        explicit=versioned,
        obligation=st.none()
        | st.sampled_from(
            ["forward-to-cst", "contact", "response-before-hearing", "court-notification"]
        ),
        offset=st.integers(-2, 30),
    )
    def send_delay_update(self, explicit: bool, obligation: str | None, offset: int) -> None:
        owed = {row[0]: row[1] for row in self.model.obligations(self.now)}
        chosen = obligation or next((t for t in RESPONSE_TARGETS if t in owed), None)
        base = owed.get(chosen or "", self.today)
        new = min(base + timedelta(days=offset), LATEST_DATE)
        self.attempt(DelayUpdateSent, explicit, new_expected=new, obligation=obligation)

    @rule(
        gaps=st.lists(st.integers(0, 3 * 24 * 60), min_size=1, max_size=4),
        pick=st.integers(0, 100),
        aspects=st.lists(st.sampled_from(ASPECTS), min_size=1, max_size=3, unique=True),
        serious=st.booleans(),
        route=st.sampled_from(["early-resolution", "investigation"]),
    )
    def progress(
        self, gaps: list[int], pick: int, aspects: list[str], serious: bool, route: str
    ) -> None:
        """A few events the model allows, minutes to days apart: so runs get to the end."""
        grave = serious and "conduct" in aspects  # serious conduct needs a conduct aspect
        for gap in gaps:
            self.now += timedelta(minutes=gap)
            at = self.at()
            candidates = [
                ForwardedToCST(at=at),
                ContactMade(at=at),
                Assessed(at=at, aspects=aspects, serious_conduct=grave),  # type: ignore[arg-type]
                Triaged(at=at, route=route),  # type: ignore[arg-type]
                ConductReferred(at=at, to="head-of-practice"),
                ProviderResponseAgreed(at=at, joint=serious),
                CourtNotified(at=at),
                MeetingOffered(at=at),
                MeetingHeld(at=at),
                CourtUpdated(at=at),
                Responded(at=at, phso_signposted=True),
                ComplaintClosed(at=at),
            ]
            repeats = (ConductReferred,) * bool(self.model.referred_to) + (
                ProviderResponseAgreed,
            ) * self.model.provider_agreed
            allowed = [e for e in candidates if not isinstance(e, repeats) and self._allows(e)]
            if allowed:
                self.check(allowed[pick % len(allowed)])

    @rule(
        flaw=st.sampled_from(["earlier", "naive", "version"]),
        which=st.integers(0, 7),
        amount=st.integers(1, 3 * 24 * 3600 * 10**6),
    )
    def malformed(self, flaw: str, which: int, amount: int) -> None:
        """An event the model would take, sent earlier, naive, or with a wrong version."""
        at = self.at()
        candidates: list[Event] = [
            ForwardedToCST(at=at),
            ContactMade(at=at),
            Assessed(at=at, aspects=("case-management",)),
            Triaged(at=at, route="investigation"),
            CourtNotified(at=at),
            Responded(at=at, phso_signposted=True),
            ComplaintClosed(at=at),
            HearingVacated(at=at),
        ]
        candidates = candidates[which:] + candidates[:which]
        event = next((e for e in candidates if self._allows(e)), candidates[0])
        if flaw == "earlier":
            broken = attrs.evolve(event, at=self.model.last_at - timedelta(microseconds=amount))
        elif flaw == "naive":  # refused when the event is made, before any complaint sees it
            with pytest.raises(NaiveDatetimeError, match="aware"):
                attrs.evolve(event, at=at.astimezone(LONDON).replace(tzinfo=None))
            return
        else:
            wrong = self.complaint.version + 1 + (amount % 7 - 3 or 4)
            broken = attrs.evolve(event, version=max(1, wrong))
        self.check(broken)

    @rule(back=st.integers(0, 5 * 24 * 3600 * 10**6))
    def look_back(self, back: int) -> None:
        """Asked about an earlier instant, the complaint answers as it stood then."""
        instant = self.now - timedelta(microseconds=back)
        then = [model for at, model in self.past if at <= instant]
        got = self.complaint.obligations(instant)
        assert rows(got) == (then[-1].obligations(instant) if then else set())

    def _allows(self, event: Event) -> bool:
        try:
            self.model.after(event)
        except Rejected:
            return False
        return True

    # ----------------------------------------------------------------- invariants

    @invariant()
    def obligations_agree(self) -> None:
        assert rows(self.complaint.obligations(self.now)) == self.model.obligations(self.now)

    @invariant()
    def routes_agree(self) -> None:
        assert self.complaint.states == self.model.states
        assert self.complaint.version == self.model.version

    @invariant()
    def replay_gives_the_same_complaint(self) -> None:
        policy = self.complaint.policy
        assert Complaint.replay(self.complaint.history, policies={policy.id: policy}) == (
            self.complaint
        )

    @invariant()
    def json_gives_the_same_complaint(self) -> None:
        text = self.complaint.to_json()
        again = Complaint.from_json(text)
        assert again.to_json() == text
        assert again == self.complaint

    @invariant()
    def no_due_date_before_its_anchor(self) -> None:
        day0 = self.model.day0
        for o in self.complaint.obligations(self.now):
            if o.id in ("response-before-hearing", "court-notification"):
                assert self.model.hearing is not None
                assert (o.extended_from or o.due) < self.model.hearing
            else:
                assert o.due >= day0, (o, day0)


ComplaintModel.TestCase.settings = settings(stateful_step_count=30, deadline=None)
TestComplaintModel = ComplaintModel.TestCase


# ------------------------------------------------------------------ the model catches bugs


def _due_date_exclusive(status: Callable[..., str]) -> Callable[..., str]:
    """A seeded bug: the due date itself is already too late."""

    def broken(strength: str, due: date, *rest: Any) -> str:
        return status(strength, due - DAY, *rest)

    return broken


def _at_risk_a_day_early(status: Callable[..., str]) -> Callable[..., str]:
    """A seeded bug: the at-risk warning starts one working day early."""

    def broken(*args: Any) -> str:
        *rest, warn_days = args
        return status(*rest, warn_days + 1)

    return broken


@pytest.mark.parametrize("seed", [_due_date_exclusive, _at_risk_a_day_early])
def test_model_catches_a_seeded_bug(
    monkeypatch: pytest.MonkeyPatch, seed: Callable[[Callable[..., str]], Callable[..., str]]
) -> None:
    """The state machine fails on a library whose statuses are off by a day."""
    monkeypatch.setattr(
        complaint_workflow.obligations, "_status", seed(complaint_workflow.obligations._status)
    )
    quick = settings(
        max_examples=200,
        stateful_step_count=30,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    with pytest.raises(AssertionError) as failure:
        run_state_machine_as_test(ComplaintModel, settings=quick)
    assert failure.traceback[-1].name in ("obligations_agree", "look_back")


def test_json_round_trip_at_a_clock_change() -> None:
    """A complaint received at 01:30 London the night the clocks go back reads back equal."""
    c = Complaint.open(
        complaint_id="C-1",
        complainant="adult",
        policy="cafcass-2012",
        received_at=datetime(2024, 10, 27, 1, 30, tzinfo=LONDON),
    )
    assert Complaint.from_json(c.to_json()) == c


def test_serious_conduct_without_a_conduct_aspect_is_not_a_dead_end() -> None:
    """Such an assessment is either refused or leaves the complaint able to be answered."""
    at = datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)
    c = Complaint.open(
        complaint_id="C-1", complainant="adult", policy="cafcass-2012", received_at=at
    )
    c = c.apply(ForwardedToCST(at=at)).apply(ContactMade(at=at))
    try:
        c = c.apply(Assessed(at=at, aspects=("case-management",), serious_conduct=True))
    except EventRejected:
        return
    assert c.apply(Responded(at=at, phso_signposted=True)).state == "procedure:responded"


def _no_update_owed(ctx: Any, e: Any) -> list[tuple[str, str]]:
    """A seeded bug: a child's meeting never owes the court an update."""
    return [("child", "hold")]


def _seed_no_update(monkeypatch: pytest.MonkeyPatch) -> None:
    from complaint_workflow import plans

    plan = attrs.evolve(plans.PLANS[MeetingHeld], steps=_no_update_owed)
    monkeypatch.setitem(plans.PLANS, MeetingHeld, plan)  # type: ignore[arg-type]


def _seed_untriaged_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    from complaint_workflow.routes.machine import Guard
    from complaint_workflow.routes.procedure import PROCEDURE

    name = "triaged_if_the_policy_triages"
    always = Guard(name, PROCEDURE.guards[name].reason, lambda ctx: True)
    monkeypatch.setitem(PROCEDURE.guards, name, always)  # type: ignore[index]


def test_model_catches_a_forgotten_court_update(monkeypatch: pytest.MonkeyPatch) -> None:
    """Driven through a late meeting, the model fails on a library that owes no update (§5.4)."""

    def run() -> None:
        machine = ComplaintModel()
        machine.open("child", "cafcass-2012", datetime(2024, 6, 12, 10, tzinfo=LONDON), 9)
        machine.forward(explicit=False)
        machine.contact(explicit=False, method="discussion")
        machine.notify_court(explicit=False)
        machine.offer_meeting(explicit=False)
        machine.time_passes(minutes=12 * 24 * 60, zone=LONDON)  # past the 21 June hearing
        machine.hold_meeting(explicit=False, party=False)
        machine.routes_agree()

    run()  # the library as it is agrees with the model
    _seed_no_update(monkeypatch)
    with pytest.raises(AssertionError):
        run()


def test_model_catches_an_untriaged_web_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Driven to a web response before triage, the model fails on a library that answers it."""

    def run() -> None:
        machine = ComplaintModel()
        machine.open("adult", "cafcass-web", datetime(2024, 6, 12, 10, tzinfo=LONDON), None)
        machine.forward(explicit=False)
        machine.contact(explicit=False, method="discussion")
        machine.assess(explicit=False, aspects=["case-management"], serious=False)
        machine.respond(explicit=False, method="written", phso=True)
        machine.routes_agree()

    run()
    _seed_untriaged_answer(monkeypatch)
    with pytest.raises(AssertionError, match="the model rejects it"):
        run()
