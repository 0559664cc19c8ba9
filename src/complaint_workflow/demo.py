"""Worked scenarios: every route walked through, under both built-in policies.

Each :class:`Scenario` is data (the facts a complaint opens with and its events in order), so
the ``demo`` command, the docs and the tests all use the same ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TextIO

import attrs

from . import events as ev
from .calendar import LONDON
from .complaint import Complaint
from .errors import EventRejected
from .feedback import AskedToTakeForward, Compliment, Feedback, TakeForwardAnswered
from .personal import PersonalDetails
from .policy import Policy
from .reports import quarterly_counts
from .text import text_table

__all__ = ["SCENARIOS", "Scenario", "run_demo"]


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    """A London wall-clock instant."""
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


@attrs.frozen
class Scenario:
    """A complaint's facts, its events in order, and the instant to look at its obligations."""

    title: str
    facts: dict[str, Any]
    events: tuple[ev.Event, ...]
    look_at: datetime | None = None
    meanwhile: datetime | None = None
    """An instant before the end worth a look too (e.g. while a delay update extends a date)."""

    def run(self, policy: Policy | str) -> Complaint:
        """The complaint after every event, under ``policy``."""
        complaint = Complaint.open(policy=policy, **self.facts)
        for event in self.events:
            complaint = complaint.apply(event)
        return complaint


def _written(when: datetime) -> ev.Responded:
    return ev.Responded(at=when, method="written", phso_signposted=True)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "Received on Christmas Eve evening: early resolution over the bank holidays",
        {"complaint_id": "XMAS-1", "complainant": "adult", "received_at": at(2024, 12, 24, 18, 30)},
        (
            ev.ForwardedToCST(at=at(2024, 12, 27, 9)),
            ev.ContactMade(at=at(2024, 12, 30, 11)),
            ev.Assessed(at=at(2024, 12, 30, 15), aspects=("case-management",)),
            ev.Triaged(at=at(2024, 12, 30, 15, 5), route="early-resolution"),
            ev.Responded(at=at(2024, 12, 31, 12), method="phone", phso_signposted=True),
            ev.ComplaintClosed(at=at(2024, 12, 31, 16)),
        ),
    ),
    Scenario(
        "A child's complaint with the hearing too close; meeting after the hearing",
        {
            "complaint_id": "CHILD-1",
            "complainant": "child",
            "received_at": at(2024, 6, 12, 10),
            "hearing": date(2024, 6, 14),
        },
        (
            ev.ForwardedToCST(at=at(2024, 6, 12, 11)),
            ev.MeetingOffered(at=at(2024, 6, 12, 12)),
            ev.ContactMade(at=at(2024, 6, 13, 9)),
            ev.Assessed(at=at(2024, 6, 13, 12), aspects=("professional-judgement",)),
            ev.CourtNotified(at=at(2024, 6, 13, 16)),
            ev.Triaged(at=at(2024, 6, 13, 16, 30), route="investigation"),
            ev.MeetingHeld(at=at(2024, 6, 20, 15)),
            ev.CourtUpdated(at=at(2024, 6, 21, 10)),
            _written(at(2024, 7, 1, 14)),
            ev.ComplaintClosed(at=at(2024, 7, 2, 9)),
        ),
    ),
    Scenario(
        "An investigation delayed for evidence (§4.12), with a conduct referral",
        {"complaint_id": "DELAY-1", "complainant": "adult", "received_at": at(2024, 9, 2, 9)},
        (
            ev.ForwardedToCST(at=at(2024, 9, 2, 10)),
            ev.ContactMade(at=at(2024, 9, 3, 10)),
            ev.Assessed(at=at(2024, 9, 4, 10), aspects=("conduct", "case-management")),
            ev.Triaged(at=at(2024, 9, 4, 10, 30), route="investigation"),
            ev.ConductReferred(at=at(2024, 9, 5, 10), to="manager"),
            ev.DelayUpdateSent(at=at(2024, 9, 20, 10), new_expected=date(2024, 10, 11)),
            _written(at(2024, 10, 10, 15)),
            ev.ComplaintClosed(at=at(2024, 10, 11, 9)),
        ),
        meanwhile=at(2024, 9, 24, 10),
    ),
    Scenario(
        "Passed on and contacted late: a breach",
        {"complaint_id": "LATE-1", "complainant": "adult", "received_at": at(2024, 6, 12, 10)},
        (
            ev.ForwardedToCST(at=at(2024, 6, 14, 9)),
            ev.ContactMade(at=at(2024, 6, 17, 10)),
        ),
        look_at=at(2024, 6, 17, 12),
    ),
    Scenario(
        "Raised eight months after the case ended: exceptional circumstances accepted",
        {
            "complaint_id": "LATE-CASE-1",
            "complainant": "adult",
            "received_at": at(2024, 6, 12, 10),
            "involvement_ended": date(2023, 10, 31),
        },
        (
            ev.ForwardedToCST(at=at(2024, 6, 12, 14)),
            ev.ExceptionalCircumstancesDecided(at=at(2024, 6, 17, 10), accepted=True),
            ev.ContactMade(at=at(2024, 6, 18, 10)),
            ev.Assessed(at=at(2024, 6, 19, 10), aspects=("case-management",)),
            ev.Triaged(at=at(2024, 6, 19, 11), route="investigation"),
            _written(at(2024, 7, 5, 10)),
            ev.ComplaintClosed(at=at(2024, 7, 5, 12)),
        ),
    ),
    Scenario(
        "Out of time and not accepted: a written response outside the procedure",
        {
            "complaint_id": "LATE-CASE-2",
            "complainant": "adult",
            "received_at": at(2024, 6, 12, 10),
            "involvement_ended": date(2023, 10, 31),
        },
        (
            ev.ForwardedToCST(at=at(2024, 6, 12, 14)),
            ev.ExceptionalCircumstancesDecided(at=at(2024, 6, 17, 10), accepted=False),
            ev.Responded(at=at(2024, 7, 1, 10), method="written"),
        ),
    ),
    Scenario(
        "A grandparent complains: outside the procedure (§2.2)",
        {"complaint_id": "OTHER-1", "complainant": "other", "received_at": at(2024, 3, 27, 16)},
        (
            ev.ForwardedToCST(at=at(2024, 3, 28, 9)),
            ev.Responded(at=at(2024, 4, 17, 15), method="written"),
        ),
    ),
    Scenario(
        "A quick fix the complainant is unhappy with enters the procedure (§1.5)",
        {"complaint_id": "QUICK-1", "complainant": "adult", "received_at": at(2024, 5, 7, 10)},
        (
            ev.ForwardedToCST(at=at(2024, 5, 7, 12)),
            ev.QuickFixOffered(at=at(2024, 5, 8, 10)),
            ev.QuickFixResponded(at=at(2024, 5, 10, 10)),
            ev.QuickFixEscalated(at=at(2024, 5, 20, 10)),
            ev.ContactMade(at=at(2024, 5, 21, 10)),
            ev.Assessed(at=at(2024, 5, 22, 10), aspects=("factual-error",)),
            ev.FactualErrorCorrected(at=at(2024, 5, 23, 10)),
            ev.Triaged(at=at(2024, 5, 23, 11), route="early-resolution"),
            _written(at(2024, 5, 28, 10)),
            ev.ComplaintClosed(at=at(2024, 5, 28, 12)),
        ),
    ),
    Scenario(
        "An abusive submission re-submitted, then contact limited (§3.3, §3.4)",
        {"complaint_id": "ABUSE-1", "complainant": "adult", "received_at": at(2024, 2, 5, 10)},
        (
            ev.ResubmissionRequested(at=at(2024, 2, 5, 15)),
            ev.Resubmitted(at=at(2024, 2, 12, 9)),
            ev.ContactMade(at=at(2024, 2, 13, 10)),
            ev.ContactRestricted(
                at=at(2024, 2, 20, 10), restriction="limited", because="unreasonably-persistent"
            ),
            ev.Assessed(at=at(2024, 2, 21, 10), aspects=("commissioned-provider",)),
            ev.ProviderResponseAgreed(at=at(2024, 2, 23, 10), joint=True),
            ev.Triaged(at=at(2024, 2, 23, 11), route="investigation"),
            _written(at(2024, 3, 4, 10)),
            ev.ComplaintClosed(at=at(2024, 3, 4, 12)),
        ),
    ),
    Scenario(
        "A repeated complaint: linked to the earlier one, not reinvestigated (§4.1)",
        {"complaint_id": "REPEAT-1", "complainant": "adult", "received_at": at(2024, 4, 2, 10)},
        (
            ev.ForwardedToCST(at=at(2024, 4, 2, 11)),
            ev.RepeatedComplaintLinked(at=at(2024, 4, 3, 10), earlier_complaint_id="XMAS-1"),
        ),
    ),
    Scenario(
        "A challenge to the officer's recommendation: not taken forward, options explained",
        {"complaint_id": "CHALLENGE-1", "complainant": "adult", "received_at": at(2024, 4, 2, 10)},
        (
            ev.ForwardedToCST(at=at(2024, 4, 2, 11)),
            ev.ChallengeNotTakenForward(at=at(2024, 4, 3, 10)),
        ),
    ),
)
"""The demo's complaints, one per route and special case."""


def _day(d: date) -> str:
    return f"{d:%a %d %b %Y}"


def _instant(t: datetime) -> str:
    return f"{t.astimezone(LONDON):%a %d %b %Y %H:%M %Z}"


def run_demo(out: TextIO, policies: Sequence[str] = Policy.builtin_ids()) -> None:
    """Print every scenario's timeline and its obligations under each policy."""
    write: Callable[[str], object] = out.write
    write("complaint_workflow demo: every route, under " + " and ".join(policies) + "\n")
    write(
        "Deadlines are dates in Europe/London; weekends and bank holidays are not working days.\n"
    )
    for number, scenario in enumerate(SCENARIOS, 1):
        runs = {p: scenario.run(p) for p in policies}
        first = runs[policies[0]]
        write(f"\n== {number}. {scenario.title}\n")
        write(
            f"   {first.situation.complainant} complainant, received "
            f"{_instant(first.situation.received_at)}; day 0 {_day(first.deemed_receipt)}; "
            f"{first.eligibility}"
            + (
                ""
                if first.situation.hearing is None
                else f"; hearing {_day(first.situation.hearing)}"
            )
            + "\n"
        )
        replayed = Complaint.open(policy=policies[0], **scenario.facts)
        rows = []
        for event in scenario.events:
            before = replayed
            replayed = replayed.apply(event)
            rows.append([_instant(event.at), _event_name(event, before), replayed.state])
        write(_indent(text_table(["when", "event", "then"], rows)) + "\n")
        if scenario.meanwhile is not None:
            _obligations_at(write, runs, policies, scenario.meanwhile)
        _obligations_at(write, runs, policies, scenario.look_at or first.last_at)
    _demo_beside(write)


def _event_name(event: ev.Event, before: Complaint) -> str:
    """The event's name; a response in the procedure says it signposts the PHSO (§4.11)."""
    if isinstance(event, ev.Responded) and before.situation.states.procedure is not None:
        return f"{event.name} ({event.method}; PHSO via an MP signposted)"
    return event.name


def _obligations_at(
    write: Callable[[str], object],
    runs: dict[str, Complaint],
    policies: Sequence[str],
    look: datetime,
) -> None:
    write(f"   obligations at {_instant(look)}:\n")
    ids: list[str] = []
    owed = {p: {o.id: o for o in c.obligations(look)} for p, c in runs.items()}
    for p in policies:
        ids += [i for i in owed[p] if i not in ids]
    table = [[i, *(_cell(owed[p].get(i)) for p in policies)] for i in ids]
    write(_indent(text_table(["obligation", *policies], table)) + "\n")


def _cell(obligation: Any) -> str:
    if obligation is None:
        return "—"
    text = f"{_day(obligation.due)} {obligation.status}"
    if obligation.extended_from is not None:
        text += f" (was {obligation.extended_from:%d %b})"
    return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _indent(text: str) -> str:
    return "\n".join("   " + line for line in text.splitlines())


def _demo_beside(write: Callable[[str], object]) -> None:
    write("\n== Beside the procedure: feedback and compliments\n")
    anonymous = Feedback.record(feedback_id="F-1", received_at=at(2024, 6, 3), dissatisfied=True)
    try:
        anonymous.apply(AskedToTakeForward(at=at(2024, 6, 4)))
    except EventRejected as refused:
        write(f"   anonymous feedback F-1 is recorded; nobody is contacted ({refused.reason})\n")
    form = Feedback.record(
        feedback_id="F-2",
        received_at=at(2024, 6, 3),
        dissatisfied=True,
        complimentary=True,
        personal=PersonalDetails(contact="(held apart)"),
    )
    form = form.apply(AskedToTakeForward(at=at(2024, 6, 4))).apply(
        TakeForwardAnswered(at=at(2024, 6, 5), yes=True)
    )
    form, linked = form.open_complaint(
        complaint_id="FROM-F-2", complainant="adult", at=at(2024, 6, 5)
    )
    write(
        f"   feedback F-2 {form.state}: opened {linked.id} linked to {linked.situation.linked_to};"
        f" first obligation {linked.obligations(linked.last_at)[0].id} due "
        f"{_day(linked.obligations(linked.last_at)[0].due)}\n"
    )
    compliments = [
        form.compliment(compliment_id="K-1"),
        Compliment.record(compliment_id="K-2", received_at=at(2024, 7, 1), source="professional"),
    ]
    for c in compliments:
        write(f"   compliment {c.id} from a {c.source}: to the {c.manager}, on {c.recorded_on}\n")
    complaints = [s.run("cafcass-web") for s in SCENARIOS]
    write("   quarterly counts (per complaint): ")
    write(
        "; ".join(
            f"{q} {_count(v['complaints'], 'complaint')}, {_count(v['compliments'], 'compliment')}"
            for q, v in quarterly_counts(complaints, compliments).items()
        )
        + "\n"
    )
