"""The promise, as properties: on time is never breached; late is caught at the right moment.

Schedules are built step by step: before each step the test asks the complaint what is owed,
and draws the step's instant no later than the end of the due date of everything that step
(or a later one) must meet. The end of a due date is computed here from zoneinfo directly:
midnight starting the next day in Europe/London.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import hypothesis
import pytest
from hypothesis import Phase, assume, example, given, note, settings
from hypothesis import strategies as st

from complaint_workflow import (
    Assessed,
    CalendarDays,
    Complaint,
    ComplaintClosed,
    ConductReferred,
    ContactMade,
    CourtNotified,
    CourtUpdated,
    DelayUpdateSent,
    Event,
    ForwardedToCST,
    HearingListed,
    MeetingHeld,
    MeetingOffered,
    Policy,
    ProviderResponseAgreed,
    Responded,
    Triaged,
    WorkingDays,
    deadlines,
)

from .strategies import ZONES, calendars, durations, instants

LONDON = ZoneInfo("Europe/London")
MICRO = timedelta(microseconds=1)
ASPECTS = (
    "professional-judgement",
    "factual-error",
    "case-management",
    "conduct",
    "commissioned-provider",
)


def end_of(d: date) -> datetime:
    """The first instant after the end of ``d`` in London."""
    return datetime.combine(d + timedelta(days=1), time(0), tzinfo=LONDON)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """A built-in, or a valid variant: any durations, other anchors, either week length."""
    base = Policy.builtin(draw(st.sampled_from(Policy.builtin_ids())))
    if draw(st.booleans()):
        return base
    changes: dict[str, Any] = {}
    for target in base.targets:
        if target.owed_by != "cafcass":
            continue
        if target.anchor == "hearing":
            duration = draw(
                st.one_of(
                    st.builds(WorkingDays, st.integers(1, 20)),
                    st.builds(CalendarDays, st.integers(1, 30)),
                )
            )
            anchor = "hearing"
        else:
            duration = draw(durations)
            anchor = target.anchor
            if target.id in ("response", "early-resolution", "investigation"):
                anchor = draw(st.sampled_from(["receipt", "contact", "triage"]))
        changes[target.id] = attrs.evolve(target, duration=duration, anchor=anchor)
    week = draw(st.sampled_from(["calendar", "working"]))
    return base.evolve(id="variant", targets=changes, parameters={"week_length": week})


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """Facts and choices for one complaint in the full procedure."""
    received = draw(instants(date(2013, 1, 1), date(2027, 6, 30)))
    hearing = None
    if draw(st.booleans()):
        hearing = received.astimezone(LONDON).date() + timedelta(days=draw(st.integers(0, 70)))
    return {
        "policy": draw(policies()),
        "facts": {
            "complaint_id": "P",
            "complainant": draw(st.sampled_from(["adult", "child"])),
            "received_at": received,
            "hearing": hearing,
        },
        "aspects": tuple(
            draw(st.lists(st.sampled_from(ASPECTS), min_size=1, max_size=3, unique=True))
        ),
        "route": draw(st.sampled_from(["early-resolution", "investigation"])),
    }


def steps_for(case: dict[str, Any], complaint: Complaint) -> list[tuple[str, Any]]:
    """The procedure's steps in order, each with the event factory that takes an instant."""
    aspects = case["aspects"]
    steps: list[tuple[str, Any]] = [
        ("forward", lambda at: ForwardedToCST(at=at)),
        ("contact", lambda at: ContactMade(at=at)),
        *(
            [("offer", lambda at: MeetingOffered(at=at))]
            if case["facts"]["complainant"] == "child"
            else []
        ),
        ("assess", lambda at: Assessed(at=at, aspects=aspects)),
        ("notify", lambda at: CourtNotified(at=at)),
    ]
    if "conduct" in aspects:
        steps.append(("refer", lambda at: ConductReferred(at=at, to="manager")))
    if "commissioned-provider" in aspects:
        steps.append(("agree", lambda at: ProviderResponseAgreed(at=at, joint=True)))
    steps += [
        ("triage", lambda at: Triaged(at=at, route=case["route"])),
        ("respond", lambda at: Responded(at=at, phso_signposted=True)),
    ]
    if case["facts"]["complainant"] == "child":  # the meeting, maybe after the hearing (§5.4)
        steps += [
            ("hold", lambda at: MeetingHeld(at=at)),
            ("update", lambda at: CourtUpdated(at=at)),
        ]
    steps.append(("close", lambda at: ComplaintClosed(at=at)))
    return steps


MEETS = {
    "forward": "forward-to-cst",
    "contact": "contact",
    "respond": "response",
    "notify": "court-notification",
    "offer": "meeting-offered",
    "update": "court-update",
}


def _acts_after(steps: list[tuple[str, Any]], index: int) -> set[str]:
    return {MEETS[name] for name, _ in steps[index:] if name in MEETS}


def _ends(complaint: Complaint, now: datetime, acts: set[str]) -> list[datetime]:
    return [
        end_of(o.due) - MICRO
        for o in complaint.obligations(now)
        if o.met_at is None
        and o.status != "impossible"
        and complaint.policy.target(o.id).met_by in acts
    ]


def bound(complaint: Complaint, now: datetime, acts: set[str]) -> datetime | None:
    """The last instant at which every open obligation met by ``acts`` is still on time."""
    ends = _ends(complaint, now, acts)
    return min(ends) if ends else None


def run_schedule(
    data: st.DataObject, case: dict[str, Any], late: str | None = None
) -> tuple[Complaint, list[datetime], datetime | None]:
    """Apply every step on time (except ``late``, drawn past its due date)."""
    complaint = Complaint.open(policy=case["policy"], **case["facts"])
    now = complaint.last_at
    steps = steps_for(case, complaint)
    instants_seen = [now]
    late_at = None
    for index, (name, make) in enumerate(steps):
        limit = bound(complaint, now, _acts_after(steps, index))
        later_limit = bound(complaint, now, _acts_after(steps, index + 1))
        if name == late:
            ends = sorted(_ends(complaint, now, {MEETS[name]}))
            assume(bool(ends) and ends[0] >= now)
            lo = ends[0] + MICRO
            # Late for the earliest of this step's obligations only: on time for the next one
            # (if any), and for everything later steps meet.
            candidates = [e for e in ends if e > ends[0]] + ([later_limit] if later_limit else [])
            hi = min(candidates) if candidates else lo + timedelta(days=30)
            assume(hi >= lo)
            at = lo + (hi - lo) * data.draw(st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0, 1))
            late_at = at
        else:
            hi = limit or now + timedelta(days=30)
            assume(hi >= now)
            fraction = data.draw(st.sampled_from([0.0, 1.0]) | st.floats(0, 1))
            at = now + (hi - now) * fraction
        at = max(at, now)
        zone = data.draw(st.sampled_from(ZONES))
        event: Event = make(at.astimezone(zone))
        if name == "notify" and complaint.states.get("court") not in ("due", "not-needed"):
            continue
        if name == "update" and complaint.states.get("court") != "update-due":
            continue  # the meeting was before the hearing: no update is owed
        complaint = complaint.apply(event)
        now = at
        instants_seen.append(now)
    timeline = [(e.name, e.at.isoformat()) for e in complaint.history]
    note(f"policy={case['policy'].id} history={timeline}")
    return complaint, instants_seen, late_at


def probe_instants(complaint: Complaint, seen: list[datetime]) -> list[datetime]:
    """Every event instant, both sides of every due date's end, and a year later."""
    out = list(seen)
    for o in complaint.obligations(seen[-1]):
        out += [end_of(o.due) - MICRO, end_of(o.due)]
    out.append(seen[-1] + timedelta(days=400))
    return sorted(t for t in out if t >= seen[0])


@given(st.data(), cases())
def test_on_time_is_never_breached_and_ends_met(data: st.DataObject, case: dict[str, Any]) -> None:
    """Every step no later than its due date: no hard obligation is ever breached, all end met."""
    complaint, seen, _ = run_schedule(data, case)
    for instant in probe_instants(complaint, seen):
        for o in complaint.obligations(instant):
            assert o.status != "breached", (o, instant)
    final = complaint.obligations(seen[-1] + timedelta(days=400))
    assert {o.status for o in final} <= {"met", "impossible"}
    for o in final:
        hypothesis.event(f"owed {o.id}")
    assert all(
        o.status == "met"
        for o in final
        if o.id not in ("response-before-hearing", "court-notification")
    )


@given(st.data(), cases())
def test_one_late_step_is_caught_at_the_right_moment(
    data: st.DataObject, case: dict[str, Any]
) -> None:
    """Only the late step's obligation misses: breached (hard) from the first instant after the
    end of its due date and not one instant before; a target becomes met-late."""
    steps = ["forward", "contact", "respond", "notify"]
    if case["facts"]["complainant"] == "child":  # the child's meeting: offered, then updated
        steps += ["offer", "update"]
    late = data.draw(st.sampled_from(steps), label="late")
    complaint, seen, late_at = run_schedule(data, case, late=late)
    assert late_at is not None
    final = {o.id: o for o in complaint.obligations(seen[-1] + timedelta(days=400))}
    missed = {i for i, o in final.items() if o.status not in ("met", "impossible")}
    assert missed, "the late step made something late"
    for target_id in missed:
        o = final[target_id]
        assert complaint.policy.target(target_id).met_by == MEETS[late]
        assert o.met_at is not None
        assert o.met_at >= end_of(o.due)
        just_before = {x.id: x for x in complaint.obligations(end_of(o.due) - MICRO)}
        at_end = {x.id: x for x in complaint.obligations(end_of(o.due))}
        assert just_before[target_id].status != "breached"
        if o.strength == "hard":
            assert at_end[target_id].status == "breached"
            assert o.status == "breached"
        else:
            done_at_the_end = o.met_at == end_of(o.due)
            assert at_end[target_id].status == ("met-late" if done_at_the_end else "at-risk")
            assert at_end[target_id].overdue is not done_at_the_end
            assert o.status == "met-late"
        assert all(x.status != "breached" for x in just_before.values())
    assert len({final[i].due for i in missed}) == 1, "only the earliest obligation is late"


@given(
    instants(date(2013, 1, 1), date(2027, 6, 30)),
    st.integers(0, 40),
    st.integers(0, 30),
    st.sampled_from(Policy.builtin_ids()),
)
@example(datetime(2024, 6, 12, 10, tzinfo=LONDON), 0, 5, "cafcass-2012")
def test_impossible_from_the_instant_it_becomes_known(
    received: datetime, listed_after: int, days_ahead: int, policy: str
) -> None:
    """A hearing listed too close is impossible from the listing instant, never earlier."""
    c = Complaint.open(complaint_id="H", complainant="child", received_at=received, policy=policy)
    listed = received + timedelta(days=listed_after, hours=1)
    hearing = listed.astimezone(LONDON).date() + timedelta(days=days_ahead)
    c = c.apply(HearingListed(at=listed, hearing=hearing))
    before = {o.id for o in c.obligations(listed - MICRO)}
    assert not {"response-before-hearing", "court-notification"} & before
    known = max(c.deemed_receipt, listed.astimezone(LONDON).date())
    for o in c.obligations(listed):
        if o.id in ("response-before-hearing", "court-notification"):
            assert (o.status == "impossible") == (o.due < known), o


@given(instants(date(2013, 1, 1), date(2027, 6, 30)), st.integers(-3, 3), st.integers(1, 30))
def test_delay_before_due_extends_after_due_does_not(
    received: datetime, offset_days: int, extra: int
) -> None:
    """An update sent before the end of the due date extends it; one sent after leaves a breach."""
    c = Complaint.open(
        complaint_id="D", complainant="adult", received_at=received, policy="cafcass-2012"
    )
    for event in (
        ForwardedToCST(at=received),
        ContactMade(at=received),
        Assessed(at=received, aspects=("case-management",)),
    ):
        c = c.apply(event)
    due = next(o.due for o in c.obligations(received) if o.id == "response")
    sent = end_of(due) + timedelta(days=offset_days, minutes=-1 if offset_days <= 0 else 1)
    assume(sent >= received)
    new = due + timedelta(days=extra)
    c = c.apply(DelayUpdateSent(at=sent, new_expected=new))
    response = next(o for o in c.obligations(sent) if o.id == "response")
    if sent < end_of(due):
        assert response.due == new
        assert response.extended_from == due
        assert response.status in ("extended", "at-risk")
        done = c.apply(Responded(at=max(sent, end_of(new) - MICRO), phso_signposted=True))
        assert next(o for o in done.obligations(done.last_at) if o.id == "response").status == "met"
    else:
        assert response.due == due
        assert response.status == "breached"


# ------------------------------------------------------------------ monotonicity


@given(
    instants(date(2013, 1, 1), date(2027, 6, 30)),
    st.integers(0, 10_000),
    st.sampled_from(Policy.builtin_ids()),
    st.sampled_from(["early-resolution", "investigation"]),
)
def test_a_later_receipt_never_gives_an_earlier_due_date(
    received: datetime, minutes: int, policy: str, route: str
) -> None:
    """Receiving later can only move every due date later or leave it."""
    a = deadlines(policy=policy, complainant="adult", received_at=received, route=route)
    b = deadlines(
        policy=policy,
        complainant="adult",
        route=route,
        received_at=received + timedelta(minutes=minutes),
    )
    due_a = {o.id: o.due for o in a.obligations}
    for o in b.obligations:
        assert o.due >= due_a[o.id]


@given(instants(date(2013, 1, 1), date(2027, 6, 30)), durations, durations)
def test_more_time_never_gives_an_earlier_due_date(received: datetime, d1: Any, d2: Any) -> None:
    """A longer duration of the same kind never gives an earlier due date."""
    assume(type(d1) is type(d2))
    short, long_ = sorted([d1, d2], key=lambda d: d.n)
    web = Policy.builtin("cafcass-web")
    due = []
    for duration in (short, long_):
        p = web.evolve(id="v", targets={"investigation": duration})
        report = deadlines(
            policy=p, complainant="adult", received_at=received, route="investigation"
        )
        due.append(next(o.due for o in report.obligations if o.id == "investigation"))
    assert due[0] <= due[1]


@given(instants(date(2013, 1, 1), date(2027, 6, 30)), calendars())
def test_a_closure_day_never_makes_a_deadline_earlier(received: datetime, closed: Any) -> None:
    """Adding closure days to the calendar can only push due dates later."""
    for policy in Policy.builtin_ids():
        base = deadlines(
            policy=policy, complainant="adult", received_at=received, route="investigation"
        )
        more = deadlines(
            policy=policy,
            complainant="adult",
            received_at=received,
            route="investigation",
            calendar=closed,
        )
        due = {o.id: o.due for o in base.obligations}
        assert all(o.due >= due[o.id] for o in more.obligations)
        assert more.deemed_receipt >= base.deemed_receipt


# ------------------------------------------------------------------ the properties can fail


def _seeded(monkeypatch: Any, bug: str) -> None:
    import complaint_workflow.obligations as obligations

    if bug == "due date exclusive":  # breached from the start of the due date, a day early
        monkeypatch.setattr(
            obligations, "end_of_day", lambda d: datetime.combine(d, time(0), tzinfo=LONDON)
        )
    elif bug == "targets breach":  # a "where possible" target treated as hard
        original = obligations._status

        def status(strength: str, *args: Any) -> Any:
            return original("hard", *args)

        monkeypatch.setattr(obligations, "_status", status)


@pytest.mark.parametrize(
    ("bug", "prop"),
    [
        ("due date exclusive", test_on_time_is_never_breached_and_ends_met),
        ("due date exclusive", test_one_late_step_is_caught_at_the_right_moment),
        ("targets breach", test_one_late_step_is_caught_at_the_right_moment),
    ],
)
def test_properties_catch_seeded_bugs(monkeypatch: Any, bug: str, prop: Any) -> None:
    """Each property above fails on a deliberately broken obligations module."""
    _seeded(monkeypatch, bug)
    strategies = [st.data(), cases()]
    quick = settings(
        phases=[Phase.generate], report_multiple_bugs=False, max_examples=300, deadline=None
    )
    with pytest.raises(AssertionError):
        quick(given(*strategies)(prop.hypothesis.inner_test))()
