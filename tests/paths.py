"""Drive real complaints (and feedback, compliments) along a route's path of triggers.

For each route: the facts a path needs, a prelude of events that starts the route, and for
each trigger the events that fire it. ``replay_path`` returns the route's observed states, so a
test can check that the path was really taken.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import complaint_workflow as cw
from complaint_workflow.feedback import (
    AskedToTakeForward,
    ComplaintOpenedFromFeedback,
    Compliment,
    ComplimentPassedOn,
    Feedback,
    FeedbackFiled,
    TakeForwardAnswered,
)

LONDON = cw.LONDON
START = datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)

Path = Sequence[tuple[str, str]]


class Clock:
    """Hands out strictly increasing instants, an hour apart."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(hours=1)
        return self.now


def _facts(route: str, triggers: list[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {"complaint_id": "P", "complainant": "adult", "received_at": START}
    if route == "intake":
        if "review_exceptional" in triggers:
            facts["involvement_ended"] = date(2023, 1, 31)
        if "route_outside" in triggers:
            facts["complainant"] = "other"
    elif route in ("procedure", "outside"):
        facts["involvement_ended"] = date(2023, 1, 31)  # accepted or declined late
    elif route == "court":
        if "update" in triggers or "owe_update" in triggers:  # after a child's meeting
            facts["complainant"] = "child"
            facts["involvement_ended"] = date(2024, 5, 31)  # in time, not ongoing
    elif route == "child":
        facts["complainant"] = "child"
    return facts


def _prelude(route: str, triggers: list[str], clock: Clock) -> list[cw.Event]:
    forward = cw.ForwardedToCST(at=clock())
    if route == "procedure":
        return [forward, cw.ExceptionalCircumstancesDecided(at=clock(), accepted=True)]
    if route == "outside":
        return [forward, cw.ExceptionalCircumstancesDecided(at=clock(), accepted=False)]
    if route == "quick_fix":
        return [forward, cw.QuickFixOffered(at=clock())]
    if route == "court":
        return [forward, cw.ContactMade(at=clock())]
    return []


def _court_events(
    trigger: str, nxt: str | None, clock: Clock, complaint: cw.Complaint
) -> list[cw.Event]:
    complainant = complaint.situation.complainant
    match trigger:
        case "require":
            if complainant == "child":
                return [
                    cw.HearingListed(at=clock(), hearing=date(2024, 9, 2)),
                    cw.Assessed(at=clock(), aspects=("case-management",)),
                ]
            aspect = "factual-error" if nxt == "correct_error" else "professional-judgement"
            return [cw.Assessed(at=clock(), aspects=(aspect,))]  # type: ignore[arg-type]
        case "notify":
            return [cw.CourtNotified(at=clock())]
        case "correct_error":
            return [cw.FactualErrorCorrected(at=clock())]
        case "owe_update":  # the child's meeting is held after the hearing (§5.4)
            listed: list[cw.Event] = []
            if complaint.situation.hearing is None:  # a hearing makes the case ongoing
                listed = [cw.HearingListed(at=clock(), hearing=date(2024, 9, 2))]
            offered = cw.MeetingOffered(at=clock())
            clock.now = max(clock.now, datetime(2024, 9, 3, 10, 0, tzinfo=LONDON))
            return [*listed, offered, cw.MeetingHeld(at=clock())]
        case "update":
            if complaint.states["court"] == "update-due":
                return [cw.CourtUpdated(at=clock())]
            return [
                cw.MeetingOffered(at=clock()),
                cw.MeetingHeld(at=clock()),
                cw.CourtUpdated(at=clock()),
            ]
        case "finish":
            return [cw.Responded(at=clock(), phso_signposted=True), cw.ComplaintClosed(at=clock())]
    raise KeyError(trigger)


def _events(
    route: str, trigger: str, nxt: str | None, clock: Clock, complaint: cw.Complaint
) -> list[cw.Event]:
    """The events that fire ``trigger`` on ``route`` from where ``complaint`` stands."""
    if route == "court":
        before: list[cw.Event] = []
        if complaint.states.get("procedure") == "contacted" and trigger != "require":
            before = [cw.Assessed(at=clock(), aspects=("case-management",))]
        return before + _court_events(trigger, nxt, clock, complaint)
    table: dict[str, Callable[[], list[cw.Event]]] = {
        # intake
        "forward": lambda: [cw.ForwardedToCST(at=clock())],
        "request_resubmission": lambda: [cw.ResubmissionRequested(at=clock())],
        "resubmit": lambda: [cw.Resubmitted(at=clock())],
        "refuse": lambda: [
            cw.ContactRestricted(at=clock(), restriction="refused", because="abusive")
        ],
        "accept": lambda: [cw.ContactMade(at=clock())],
        "review_exceptional": lambda: [
            cw.ExceptionalCircumstancesDecided(at=clock(), accepted=nxt == "accept_exceptional")
        ],
        "accept_exceptional": list,
        "decline_exceptional": list,
        "route_outside": lambda: [cw.Responded(at=clock())],
        "offer_quick_fix": lambda: [cw.QuickFixOffered(at=clock())],
        "escalate_quick_fix": lambda: [cw.QuickFixEscalated(at=clock())],
        "resolve_quick_fix": lambda: [
            cw.QuickFixResponded(at=clock()),
            cw.QuickFixAccepted(at=clock()),
        ],
        "link_repeated": lambda: [
            cw.RepeatedComplaintLinked(at=clock(), earlier_complaint_id="P-0")
        ],
        "decline_challenge": lambda: [cw.ChallengeNotTakenForward(at=clock())],
        # procedure
        "contact": lambda: [cw.ContactMade(at=clock())],
        "assess": lambda: [cw.Assessed(at=clock(), aspects=("case-management",))],
        "triage_early": lambda: [cw.Triaged(at=clock(), route="early-resolution")],
        "triage_investigation": lambda: [cw.Triaged(at=clock(), route="investigation")],
        "escalate": lambda: [
            cw.QuickFixEscalated(at=clock())
            if route == "quick_fix"
            else cw.Triaged(at=clock(), route="investigation")
        ],
        "respond": lambda: [
            cw.QuickFixResponded(at=clock())
            if route == "quick_fix"
            else cw.Responded(at=clock(), phso_signposted=route == "procedure")
        ],
        "close": lambda: [cw.ComplaintClosed(at=clock())],
        # child
        "offer": lambda: [cw.MeetingOffered(at=clock())],
        "hold": lambda: [cw.MeetingHeld(at=clock())],
        "decline": lambda: [cw.MeetingDeclined(at=clock())],
        # quick fix
        "accept_qf": lambda: [cw.QuickFixAccepted(at=clock())],
    }
    if route == "quick_fix" and trigger == "accept":
        trigger = "accept_qf"
    return table[trigger]()


def replay_path(route: str, path: Path) -> list[str]:
    """Drive a fresh value along ``path`` on ``route``; return the route's states seen."""
    triggers = [trigger for trigger, _ in path]
    clock = Clock()
    if route == "feedback":
        return _replay_feedback(triggers, clock)
    if route == "compliment":
        compliment = Compliment.record(compliment_id="K", received_at=START, source="professional")
        return [compliment.state, compliment.apply(ComplimentPassedOn(at=clock())).state]
    # cafcass-web answers only a triaged complaint; a path without triage runs under the
    # written procedure, which has none.
    untriaged = route in ("procedure", "court") and not {
        "triage_early",
        "triage_investigation",
    } & set(triggers)
    policy = "cafcass-2012" if untriaged else "cafcass-web"
    complaint = cw.Complaint.open(policy=policy, **_facts(route, triggers))
    for event in _prelude(route, triggers, clock):
        complaint = complaint.apply(event)
    seen = [complaint.states[route]]
    for i, trigger in enumerate(triggers):
        nxt = triggers[i + 1] if i + 1 < len(triggers) else None
        for event in _events(route, trigger, nxt, clock, complaint):
            complaint = complaint.apply(event)
            if complaint.states[route] != seen[-1]:
                seen.append(complaint.states[route])
    return seen


def _replay_feedback(triggers: list[str], clock: Clock) -> list[str]:
    form = Feedback.record(
        feedback_id="F",
        received_at=START,
        dissatisfied=True,
        personal=cw.PersonalDetails(contact="reachable"),
    )
    seen = [form.state]
    events: dict[str, Callable[[], cw.Event]] = {
        "ask": lambda: AskedToTakeForward(at=clock()),
        "answer_yes": lambda: TakeForwardAnswered(at=clock(), yes=True),
        "answer_no": lambda: TakeForwardAnswered(at=clock(), yes=False),
        "file": lambda: FeedbackFiled(at=clock()),
        "open_complaint": lambda: ComplaintOpenedFromFeedback(at=clock(), complaint_id="C-F"),
    }
    for trigger in triggers:
        form = form.apply(events[trigger]())
        seen.append(form.state)
    return seen


def internal_events(route: str, state: str, trigger: str) -> tuple[cw.Complaint, cw.Event]:
    """A complaint standing in ``state`` on ``route`` and the event firing internal ``trigger``."""
    clock = Clock()
    aspects: tuple[cw.Aspect, ...] = {
        "refer_conduct": ("conduct",),
        "agree_provider_response": ("commissioned-provider",),
        "correct_factual_error": ("factual-error",),
    }.get(trigger, ("case-management",))
    complaint = cw.Complaint.open(
        policy="cafcass-2012",
        complaint_id="I",
        complainant="adult",
        received_at=START,
        involvement_ended=date(2023, 1, 31),
    )
    path = {
        "awaiting-contact": [],
        "contacted": ["contact"],
        "assessed": ["contact", "assess"],
        "early-resolution": ["contact", "assess", "triage_early"],
        "investigation": ["contact", "assess", "triage_investigation"],
        "awaiting-response": [],
    }[state]
    accepted = route == "procedure"
    for event in [
        cw.ForwardedToCST(at=clock()),
        cw.ExceptionalCircumstancesDecided(at=clock(), accepted=accepted),
    ]:
        complaint = complaint.apply(event)
    for step in path:
        event = (
            cw.Assessed(at=clock(), aspects=aspects)
            if step == "assess"
            else _events(route, step, None, clock, complaint)[0]
        )
        complaint = complaint.apply(event)
    fire: cw.Event
    match trigger:
        case "send_delay_update":
            due = {o.id: o.due for o in complaint.obligations(clock.now)}
            current = due.get("response") or due["outside-response"]
            fire = cw.DelayUpdateSent(at=clock(), new_expected=current + timedelta(days=10))
        case "refer_conduct":
            fire = cw.ConductReferred(at=clock(), to="manager")
        case "agree_provider_response":
            fire = cw.ProviderResponseAgreed(at=clock(), joint=True)
        case "correct_factual_error":
            fire = cw.FactualErrorCorrected(at=clock())
        case _:
            raise KeyError(trigger)
    return complaint, fire
