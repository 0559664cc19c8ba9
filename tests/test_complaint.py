"""The complaint aggregate: opening, applying, rejecting, replaying, and what it owes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

from complaint_workflow import (
    LONDON,
    Assessed,
    ChallengeNotTakenForward,
    Complaint,
    ComplaintClosed,
    ComplaintWorkflowError,
    ConductReferred,
    ContactMade,
    ContactRestricted,
    CourtNotified,
    CourtUpdated,
    DelayUpdateSent,
    EventRejected,
    ExceptionalCircumstancesDecided,
    FactualErrorCorrected,
    ForwardedToCST,
    HearingListed,
    HearingMoved,
    HearingVacated,
    MeetingHeld,
    MeetingOffered,
    NaiveDatetimeError,
    Policy,
    PolicyChanged,
    ProviderResponseAgreed,
    QuickFixAccepted,
    QuickFixEscalated,
    QuickFixOffered,
    QuickFixResponded,
    RepeatedComplaintLinked,
    Responded,
    ResubmissionRequested,
    Resubmitted,
    Triaged,
    WorkingDays,
)
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.feedback import (
    AskedToTakeForward,
    Compliment,
    ComplimentPassedOn,
    Feedback,
    FeedbackFiled,
    TakeForwardAnswered,
)
from complaint_workflow.reports import quarterly_counts


def t(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def opened(policy: str = "cafcass-web", **facts: object) -> Complaint:
    base: dict[str, object] = {
        "complaint_id": "C-1",
        "complainant": "adult",
        "received_at": t(6, 12),
    }
    base.update(facts)
    return Complaint.open(policy=policy, **base)  # type: ignore[arg-type]


def assessed(
    policy: str = "cafcass-web", aspects: tuple[str, ...] = ("case-management",), **facts: object
) -> Complaint:
    c = opened(policy, **facts)
    c = c.apply(ForwardedToCST(at=t(6, 12, 11)))
    c = c.apply(ContactMade(at=t(6, 13)))
    return c.apply(Assessed(at=t(6, 14), aspects=aspects))  # type: ignore[arg-type]


def owed(c: Complaint, at: datetime) -> dict[str, tuple[str, str]]:
    return {o.id: (o.due.isoformat(), o.status) for o in c.obligations(at)}


# ------------------------------------------------------------------ the aggregate


def test_open_apply_history_version() -> None:
    """Each applied event is stamped with the next version; the old complaint is unchanged."""
    c0 = opened()
    c1 = c0.apply(ForwardedToCST(at=t(6, 12, 11)))
    assert (c0.version, c1.version) == (1, 2)
    assert [e.version for e in c1.history] == [1, 2]
    assert c0.state == "intake:received"
    assert c1.state == "intake:with-cst"


def test_replay_gives_an_equal_complaint() -> None:
    """Replaying the history of every demo scenario gives an equal complaint."""
    for scenario in SCENARIOS:
        for policy in Policy.builtin_ids():
            c = scenario.run(policy)
            assert Complaint.replay(c.history) == c


def test_json_round_trip_gives_an_equal_complaint() -> None:
    """Writing the history as JSON and reading it back gives an equal complaint."""
    for scenario in SCENARIOS:
        c = scenario.run("cafcass-web")
        again = Complaint.from_json(c.to_json())
        assert again == c
        assert again.to_json() == c.to_json()


def test_json_carries_a_custom_policy() -> None:
    """A complaint under an evolved policy reads back without being told the policy."""
    variant = Policy.builtin("cafcass-web").evolve(
        id="web-15", targets={"investigation": WorkingDays(15)}
    )
    c = Complaint.open(complaint_id="V", complainant="adult", received_at=t(6, 12), policy=variant)
    assert Complaint.from_json(c.to_json()) == c


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (ForwardedToCST(at=t(6, 12, 9)), "earlier than the previous"),
        (ForwardedToCST(at=t(6, 12, 11), version=5), "out of order"),
        (ContactMade(at=t(6, 13)), "no 'contact' from 'awaiting-contact'|no 'accept'"),
        (Responded(at=t(6, 13), phso_signposted=True), "route_outside|service user"),
        (ComplaintClosed(at=t(6, 13)), "procedure route has not started"),
    ],
)
def test_rejected_events_change_nothing(event: object, reason: str) -> None:
    """A bad event raises EventRejected (state, event, reason) and leaves the JSON identical."""
    c = opened()
    before = c.to_json()
    with pytest.raises(EventRejected) as info:
        c.apply(event)  # type: ignore[arg-type]
    assert info.value.state == c.state
    assert info.value.reason
    assert c.to_json() == before
    assert isinstance(info.value, ComplaintWorkflowError)


def test_a_naive_event_time_is_refused_when_the_event_is_made() -> None:
    """An event with a naive time cannot be made: NaiveDatetimeError names the field."""
    with pytest.raises(NaiveDatetimeError, match=r"ForwardedToCST\.at must be an aware"):
        ForwardedToCST(at=datetime(2024, 6, 12, 11))


def test_contact_before_forwarding_is_rejected() -> None:
    """Contact needs the complaint at the CST first."""
    with pytest.raises(EventRejected, match="reach the Customer Service Team first"):
        opened().apply(ContactMade(at=t(6, 13)))


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"received_at": datetime(2024, 6, 12, 10)}, "aware"),
        ({"complainant": "cousin"}, "complainant must be one of"),
        ({"hearing": date(2024, 6, 1)}, "hearing must not be before"),
        ({"involvement_ended": date(2024, 7, 1)}, "involvement_ended must not be after"),
        ({"staff_named": -1}, "staff_named"),
        ({"received_at": datetime(1990, 1, 1, tzinfo=UTC)}, "outside this calendar"),
    ],
)
def test_bad_facts_are_rejected_on_opening(facts: dict[str, object], reason: str) -> None:
    """Opening with bad facts raises EventRejected naming the fact."""
    with pytest.raises(EventRejected, match=reason):
        opened(**facts)


# ------------------------------------------------------------------ the procedure's rules


def test_response_must_signpost_the_phso() -> None:
    """A response inside the procedure without the PHSO through an MP is rejected (§4.11)."""
    c = assessed().apply(Triaged(at=t(6, 14, 11), route="investigation"))
    with pytest.raises(EventRejected, match="PHSO"):
        c.apply(Responded(at=t(6, 20)))
    assert c.apply(Responded(at=t(6, 20), phso_signposted=True)).state == "procedure:responded"


def test_phone_response_only_for_early_resolution() -> None:
    """Early resolution may answer by phone; an investigation may not."""
    c = assessed()
    er = c.apply(Triaged(at=t(6, 14, 11), route="early-resolution"))
    assert er.apply(Responded(at=t(6, 17), method="phone", phso_signposted=True))
    inv = c.apply(Triaged(at=t(6, 14, 11), route="investigation"))
    with pytest.raises(EventRejected, match="phone"):
        inv.apply(Responded(at=t(6, 17), method="phone", phso_signposted=True))


def test_conduct_must_be_referred_and_serious_conduct_to_head_of_practice() -> None:
    """Conduct aspects are referred before responding; serious conduct to the Head of Practice."""
    c = assessed("cafcass-2012", aspects=("conduct",))
    with pytest.raises(EventRejected, match="conduct referred"):
        c.apply(Responded(at=t(6, 20), phso_signposted=True))
    serious = opened("cafcass-2012").apply(ForwardedToCST(at=t(6, 12, 11)))
    serious = serious.apply(ContactMade(at=t(6, 13)))
    serious = serious.apply(Assessed(at=t(6, 14), aspects=("conduct",), serious_conduct=True))
    with pytest.raises(EventRejected, match="Head of Practice"):
        serious.apply(ConductReferred(at=t(6, 15), to="manager"))
    done = serious.apply(ConductReferred(at=t(6, 15), to="head-of-practice"))
    assert done.apply(Responded(at=t(6, 20), phso_signposted=True))
    with pytest.raises(EventRejected, match="conduct"):
        assessed().apply(ConductReferred(at=t(6, 15), to="manager"))


def test_commissioned_provider_needs_an_agreed_response() -> None:
    """With a commissioned provider, a joint or separate response is agreed first (§4.9)."""
    c = assessed("cafcass-2012", aspects=("commissioned-provider",))
    with pytest.raises(EventRejected, match="provider"):
        c.apply(Responded(at=t(6, 20), phso_signposted=True))
    agreed = c.apply(ProviderResponseAgreed(at=t(6, 17), joint=False))
    assert agreed.situation.provider_response == "separate"
    assert agreed.apply(Responded(at=t(6, 20), phso_signposted=True))


def test_court_must_hear_before_close() -> None:
    """A professional-judgement complaint in an ongoing case closes only once the court is told."""
    c = assessed("cafcass-2012", aspects=("professional-judgement",))
    assert c.states["court"] == "due"
    c = c.apply(Responded(at=t(6, 20), phso_signposted=True))
    with pytest.raises(EventRejected, match="court must be notified"):
        c.apply(ComplaintClosed(at=t(6, 21)))
    c = c.apply(CourtNotified(at=t(6, 21))).apply(ComplaintClosed(at=t(6, 21, 12)))
    assert c.states["court"] == "done"
    assert c.finished


def test_correcting_a_factual_error_stands_for_telling_the_court() -> None:
    """For factual errors alone, correcting them meets the court obligation (§4.7)."""
    c = assessed(aspects=("factual-error",), hearing=date(2024, 7, 1))
    c = c.apply(FactualErrorCorrected(at=t(6, 17)))
    assert c.states["court"] == "corrected"
    assert owed(c, t(6, 17))["court-notification"] == ("2024-06-28", "met")


def test_two_thousand_twelve_responds_without_triage() -> None:
    """Under the written procedure a response may follow the assessment directly."""
    c = assessed("cafcass-2012").apply(Responded(at=t(6, 20), phso_signposted=True))
    assert owed(c, t(6, 20))["response"] == ("2024-07-03", "met")


# ------------------------------------------------------------------ obligations


def test_hard_obligation_is_breached_the_first_instant_after_its_due_date() -> None:
    """forward-to-cst due Thursday: pending on Wednesday, at-risk Thursday, breached at midnight."""
    c = opened()
    assert owed(c, t(6, 12))["forward-to-cst"] == ("2024-06-13", "pending")
    assert owed(c, t(6, 13, 0))["forward-to-cst"][1] == "at-risk"
    last = datetime(2024, 6, 13, 23, 59, 59, 999999, tzinfo=LONDON)
    assert owed(c, last)["forward-to-cst"][1] == "at-risk"
    assert owed(c, last + timedelta(microseconds=1))["forward-to-cst"][1] == "breached"
    utc_midnight = datetime(2024, 6, 13, 23, 0, tzinfo=UTC)  # 00:00 BST on the 14th
    assert owed(c, utc_midnight)["forward-to-cst"][1] == "breached"


def test_late_act_keeps_hard_breach_and_target_met_late() -> None:
    """A hard obligation done late stays breached; a target done late is met-late."""
    c = opened().apply(ForwardedToCST(at=t(6, 14)))
    assert owed(c, t(6, 14))["forward-to-cst"][1] == "breached"
    c = c.apply(ContactMade(at=t(6, 14, 11))).apply(
        Assessed(at=t(6, 14, 12), aspects=("case-management",))
    )
    c = c.apply(Triaged(at=t(6, 14, 13), route="early-resolution"))
    assert owed(c, t(6, 20))["early-resolution"] == ("2024-06-19", "at-risk")
    assert c.obligations(t(6, 20))[-1].overdue
    c = c.apply(Responded(at=t(6, 20), phso_signposted=True))
    assert owed(c, t(6, 20))["early-resolution"] == ("2024-06-19", "met-late")


def test_hearing_too_close_is_impossible_from_the_moment_it_is_known() -> None:
    """A hearing listed too close makes the hearing targets impossible at once, not before."""
    c = assessed(aspects=("professional-judgement",))
    assert "response-before-hearing" not in owed(c, t(6, 17))
    c = c.apply(HearingListed(at=t(6, 17), hearing=date(2024, 6, 19)))
    assert owed(c, t(6, 17))["response-before-hearing"] == ("2024-06-12", "impossible")
    assert owed(c, t(6, 17))["court-notification"] == ("2024-06-18", "pending")
    assert "response-before-hearing" not in owed(c, t(6, 16, 23))
    moved = c.apply(HearingMoved(at=t(6, 18), hearing=date(2024, 7, 22)))
    assert owed(moved, t(6, 18))["response-before-hearing"] == ("2024-07-15", "pending")
    vacated = moved.apply(HearingVacated(at=t(6, 19)))
    assert "court-notification" not in owed(vacated, t(6, 19))


def test_hearing_events_are_checked() -> None:
    """A hearing cannot be listed twice, moved when none is listed, or put in the past."""
    c = opened(hearing=date(2024, 7, 1))
    with pytest.raises(EventRejected, match="already listed"):
        c.apply(HearingListed(at=t(6, 13), hearing=date(2024, 7, 2)))
    with pytest.raises(EventRejected, match="past"):
        c.apply(HearingMoved(at=t(6, 13), hearing=date(2024, 6, 1)))
    with pytest.raises(EventRejected, match="no hearing"):
        opened().apply(HearingVacated(at=t(6, 13)))


def test_delay_before_due_extends_and_after_due_does_not() -> None:
    """A delay update sent in time extends the due date; one sent late leaves the breach."""
    c = assessed("cafcass-2012")
    extended = c.apply(DelayUpdateSent(at=t(7, 1), new_expected=date(2024, 7, 19)))
    assert owed(extended, t(7, 4))["response"] == ("2024-07-19", "extended")
    assert extended.obligations(t(7, 4))[-1].extended_from == date(2024, 7, 3)
    late = c.apply(DelayUpdateSent(at=t(7, 4), new_expected=date(2024, 7, 19)))
    assert owed(late, t(7, 4))["response"] == ("2024-07-03", "breached")
    with pytest.raises(EventRejected, match="after the due date"):
        c.apply(DelayUpdateSent(at=t(7, 1), new_expected=date(2024, 7, 2)))


def test_out_of_time_waits_for_the_exceptional_decision() -> None:
    """After six months nothing is owed until a manager decides; accepted, the clock starts."""
    c = opened(involvement_ended=date(2023, 11, 30))
    assert c.eligibility == "exceptional-circumstances"
    assert c.six_month_limit == date(2024, 5, 30)
    assert owed(c, t(6, 12)) == {}
    c = c.apply(ForwardedToCST(at=t(6, 12, 11)))
    accepted = c.apply(ExceptionalCircumstancesDecided(at=t(6, 17), accepted=True))
    assert accepted.state == "procedure:awaiting-contact"
    assert owed(accepted, t(6, 17))["contact"] == ("2024-06-19", "pending")
    declined = c.apply(ExceptionalCircumstancesDecided(at=t(6, 17), accepted=False))
    assert declined.state == "outside:awaiting-response"
    assert owed(declined, t(6, 17))["outside-response"] == ("2024-07-08", "pending")


def test_six_months_counts_the_day_received_in_london() -> None:
    """Received on the limit date (London) is in time; a minute later in London is not."""
    ended = date(2023, 12, 12)
    assert opened(involvement_ended=ended).eligibility == "in-time"
    late = opened(involvement_ended=ended, received_at=datetime(2024, 6, 12, 23, 30, tzinfo=UTC))
    assert late.eligibility == "exceptional-circumstances"


def test_child_refused_is_still_offered_a_meeting() -> None:
    """A child's late complaint not accepted still gets a meeting offered (§5.2)."""
    c = opened(complainant="child", involvement_ended=date(2023, 1, 31))
    assert c.owner == "head-of-practice"
    c = c.apply(ForwardedToCST(at=t(6, 12, 11)))
    c = c.apply(ExceptionalCircumstancesDecided(at=t(6, 13), accepted=False))
    c = c.apply(MeetingOffered(at=t(6, 13, 11)))
    assert c.states["child"] == "offered"
    with pytest.raises(EventRejected, match="not be a party"):
        c.apply(MeetingHeld(at=t(6, 20), supporter_is_a_party=True))


def test_child_court_update_after_meeting() -> None:
    """The court is updated after the child's meeting, never before it (§5.4)."""
    c = assessed(complainant="child", hearing=date(2024, 6, 28))
    assert c.states["court"] == "due"
    c = c.apply(CourtNotified(at=t(6, 17)))
    with pytest.raises(EventRejected, match="meeting has taken place"):
        c.apply(CourtUpdated(at=t(6, 18)))
    c = c.apply(MeetingOffered(at=t(6, 18))).apply(MeetingHeld(at=t(7, 2)))
    assert c.apply(CourtUpdated(at=t(7, 3))).states["court"] == "updated"


def test_other_complainants_are_answered_outside_the_procedure() -> None:
    """A relative's complaint owes only the outside response, a target of 15 working days."""
    c = opened(complainant="other")
    assert owed(c, t(6, 12)) == {"outside-response": ("2024-07-03", "pending")}
    with pytest.raises(EventRejected, match="written"):
        c.apply(Responded(at=t(6, 20), method="phone"))
    assert c.apply(Responded(at=t(6, 20))).finished


def test_gates() -> None:
    """Abusive submissions, refusals, repeats and challenges each end or pause at the gate."""
    c = opened()
    asked = c.apply(ResubmissionRequested(at=t(6, 12, 11)))
    assert owed(asked, t(6, 12, 12)) == {}
    again = asked.apply(Resubmitted(at=t(6, 17)))
    assert again.deemed_receipt == date(2024, 6, 17)
    refused = asked.apply(ContactRestricted(at=t(6, 13), restriction="refused", because="abusive"))
    assert refused.finished
    with pytest.raises(EventRejected, match="told"):
        asked.apply(
            ContactRestricted(
                at=t(6, 13), restriction="refused", because="abusive", complainant_told=False
            )
        )
    forwarded = c.apply(ForwardedToCST(at=t(6, 12, 11)))
    repeat = forwarded.apply(RepeatedComplaintLinked(at=t(6, 13), earlier_complaint_id="C-0"))
    assert repeat.situation.linked_to == "C-0"
    assert owed(repeat, t(6, 13)) == {"forward-to-cst": ("2024-06-13", "met")}
    challenge = forwarded.apply(ChallengeNotTakenForward(at=t(6, 13)))
    assert challenge.state == "intake:not-taken-forward"


def test_quick_fix_accepted_or_escalated() -> None:
    """A quick fix ends the complaint, or the procedure starts counting from the escalation."""
    c = opened().apply(ForwardedToCST(at=t(6, 12, 11))).apply(QuickFixOffered(at=t(6, 13)))
    c = c.apply(QuickFixResponded(at=t(6, 14)))
    assert c.apply(QuickFixAccepted(at=t(6, 17))).finished
    escalated = c.apply(QuickFixEscalated(at=t(6, 24)))
    assert owed(escalated, t(6, 24))["contact"] == ("2024-06-26", "pending")
    original = Policy.builtin("cafcass-web").evolve(
        id="from-receipt", parameters={"quick_fix_counts_from": "original-receipt"}
    )
    # Counted from the original receipt the contact fell due on 14 June, before the change
    # of policy on 24 June: a change looks forward only, so it is not owed (and not breached).
    other = escalated.change_policy(original, t(6, 24))
    assert "contact" not in owed(other, t(6, 24))


def test_policy_change_is_recorded_and_recomputes() -> None:
    """Moving to another policy version is an event; the obligations follow at once."""
    c = opened("cafcass-2012").apply(PolicyChanged(at=t(6, 12, 12), policy_id="cafcass-web"))
    assert c.policy.id == "cafcass-web"
    assert "contact" in owed(c, t(6, 12, 12))
    assert "contact" not in owed(c, t(6, 12, 11))
    assert Complaint.replay(c.history) == c
    with pytest.raises(EventRejected, match="not built in"):
        c.apply(PolicyChanged(at=t(6, 13), policy_id="mine"))


def test_a_new_bank_holiday_moves_due_dates_when_recomputed() -> None:
    """Due dates are derived, so a corrected calendar moves them deterministically."""
    c = opened("cafcass-2012")
    closed = attrs.evolve(c, calendar=c.calendar.with_closures([date(2024, 6, 20)]))
    assert owed(c, t(6, 12))["response"][0] == "2024-07-03"
    assert owed(closed, t(6, 12))["response"][0] == "2024-07-04"


# ------------------------------------------------------------------ feedback and compliments


def test_feedback_becomes_a_linked_complaint_only_if_asked_and_yes() -> None:
    """Anonymous feedback is never followed up; a reachable unhappy one can become a complaint."""
    from complaint_workflow import PersonalDetails

    anonymous = Feedback.record(feedback_id="F-1", received_at=t(6, 3), dissatisfied=True)
    with pytest.raises(EventRejected, match="reached"):
        anonymous.apply(AskedToTakeForward(at=t(6, 4)))
    assert anonymous.apply(FeedbackFiled(at=t(6, 4))).state == "kept-as-feedback"
    form = Feedback.record(
        feedback_id="F-2",
        received_at=t(6, 3),
        dissatisfied=True,
        personal=PersonalDetails(contact="x"),
    )
    asked = form.apply(AskedToTakeForward(at=t(6, 4)))
    assert asked.apply(TakeForwardAnswered(at=t(6, 5), yes=False)).state == "kept-as-feedback"
    yes = asked.apply(TakeForwardAnswered(at=t(6, 5), yes=True))
    taken, c = yes.open_complaint(complaint_id="C-F", complainant="adult", at=t(6, 5))
    assert taken.complaint_id == "C-F"
    assert c.situation.linked_to == "F-2"
    assert c.situation.channel == "feedback-form"
    with pytest.raises(EventRejected):
        form.open_complaint(complaint_id="C-G", complainant="adult", at=t(6, 5))


def test_compliments_and_quarterly_counts() -> None:
    """Compliments go to the right manager and are counted per quarter, both counting rules."""
    k = Compliment.record(compliment_id="K", received_at=t(6, 3), source="service-user")
    assert k.apply(ComplimentPassedOn(at=t(6, 4))).state == "passed-to-manager"
    complaints = [opened(staff_named=3), opened(complaint_id="C-2", received_at=t(7, 1))]
    assert quarterly_counts(complaints, [k]) == {
        "2024-Q2": {"complaints": 1, "compliments": 1},
        "2024-Q3": {"complaints": 1, "compliments": 0},
    }
    per_staff = quarterly_counts(complaints, [k], rule="per-staff-member")
    assert per_staff["2024-Q2"]["complaints"] == 3


def test_json_carries_every_custom_policy_of_the_history() -> None:
    """A history that left a custom policy for a built-in one still reads back on its own."""
    variant = Policy.builtin("cafcass-web").evolve(id="web-15")
    c = Complaint.open(complaint_id="V", complainant="adult", received_at=t(6, 12), policy=variant)
    c = c.apply(PolicyChanged(at=t(6, 13), policy_id="cafcass-web"))
    assert Complaint.from_json(c.to_json()) == c
