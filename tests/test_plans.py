"""Plans, guards as data, the import graph, route definition errors and the plan-side duties."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

import complaint_workflow as cw
from complaint_workflow import events as ev
from complaint_workflow import plans
from complaint_workflow.errors import ComplaintWorkflowError, RouteDefinitionError
from complaint_workflow.gate import court_must_hear, court_must_hear_of, triage_before_response
from complaint_workflow.routes import COMPLAINT_ROUTES, Route
from complaint_workflow.routes import machine as routes_machine

LONDON = cw.LONDON
SRC = Path(__file__).resolve().parent.parent / "src" / "complaint_workflow"


def t(m: int, d: int, hh: int = 10, mm: int = 0, y: int = 2024) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def opened(policy: str = "cafcass-2012", **facts: Any) -> cw.Complaint:
    base: dict[str, Any] = {"complaint_id": "C-1", "complainant": "adult", "received_at": t(6, 12)}
    base.update(facts)
    return cw.Complaint.open(policy=policy, **base)


def in_procedure(policy: str = "cafcass-2012", **facts: Any) -> cw.Complaint:
    c = opened(policy, **facts)
    return c.apply(cw.ForwardedToCST(at=t(6, 12, 11))).apply(cw.ContactMade(at=t(6, 13)))


# ------------------------------------------------------------------ the plans


def test_every_complaint_event_has_exactly_one_plan() -> None:
    """Each event type but the opening has one plan, keyed by its own class."""
    expected = set(ev.EVENT_TYPES.values()) - {ev.ComplaintOpened}
    assert set(plans.PLANS) == expected
    assert all(p.event is cls for cls, p in plans.PLANS.items())


def test_every_declared_move_is_a_trigger_of_its_route() -> None:
    """A plan only declares (route, trigger) pairs that the route's machine has."""
    for plan in plans.PLANS.values():
        for route, trigger in plan.moves:
            assert trigger in COMPLAINT_ROUTES[route].triggers, (plan.event.__name__, trigger)


def test_every_route_trigger_is_moved_by_some_plan() -> None:
    """No trigger of a complaint route is unreachable from events or the follow-ups."""
    moved = {m for p in plans.PLANS.values() for m in p.moves}
    moved |= {step for step, _ in plans.FOLLOW_UPS}
    for name, route in COMPLAINT_ROUTES.items():
        for trigger in route.triggers:
            assert (name, trigger) in moved, (name, trigger)


def test_a_step_a_plan_did_not_declare_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A seeded bug: a plan that takes an undeclared step fails the apply-time assertion."""
    plan = plans.PLANS[ev.ForwardedToCST]
    broken = plans.Plan(
        ev.ForwardedToCST, lambda ctx, e: [("intake", "request_resubmission")], plan.moves
    )
    monkeypatch.setitem(plans.PLANS, ev.ForwardedToCST, broken)  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="not among"):
        opened().apply(cw.ForwardedToCST(at=t(6, 12, 11)))


def test_complaint_py_holds_no_isinstance_assertions() -> None:
    """The plans are typed on their events: complaint.py asserts no event's type."""
    text = (SRC / "complaint.py").read_text("utf-8")
    assert "assert isinstance" not in text
    assert "_PLANS" not in text
    assert "_UPDATES" not in text


def test_court_must_hear_is_written_once() -> None:
    """Only gate.py spells out which aspects make the court hear of a complaint."""
    for path in SRC.rglob("*.py"):
        if path.name in ("gate.py", "vocabulary.py") or "analysis" in path.parts:
            continue
        text = path.read_text("utf-8")
        assert '{"professional-judgement", "factual-error"}' not in text, path


@pytest.mark.parametrize(
    ("complainant", "ongoing", "aspects", "expected"),
    [
        ("child", True, (), True),
        ("child", False, (), False),
        ("adult", True, ("case-management",), False),
        ("adult", True, ("professional-judgement",), True),
        ("adult", True, ("factual-error", "conduct"), True),
        ("adult", False, ("factual-error",), False),
    ],
)
def test_court_must_hear_of(complainant: Any, ongoing: bool, aspects: Any, expected: bool) -> None:
    """The court hears of a child's complaint or a court aspect, in an ongoing case only."""
    assert court_must_hear_of(complainant, ongoing, aspects) is expected


def test_the_court_track_follows_the_facts() -> None:
    """An assessment or a hearing that makes the court need telling moves the track to due."""
    c = in_procedure(involvement_ended=date(2024, 5, 31))  # not ongoing
    c = c.apply(cw.Assessed(at=t(6, 14), aspects=("professional-judgement",)))
    assert c.states["court"] == "not-needed"
    assert not court_must_hear(c.situation)
    c = c.apply(cw.HearingListed(at=t(6, 15), hearing=date(2024, 7, 10)))
    assert court_must_hear(c.situation)
    assert c.states["court"] == "due"
    child = in_procedure(complainant="child")
    assert child.states["court"] == "due"


# ------------------------------------------------------------------ guards as data


def test_guards_are_values_with_names_and_reasons() -> None:
    """Every guard of every route is a Guard with its own name and a reason in words."""
    from complaint_workflow.docgen import all_routes

    for route in all_routes().values():
        for name, g in route.guards.items():
            assert isinstance(g, routes_machine.Guard)
            assert g.name == name
            assert len(g.reason) > 20


def test_a_refusal_keeps_its_reason_under_python_oo() -> None:
    """Under ``python -OO`` (docstrings stripped) a guard's refusal still says why."""
    code = textwrap.dedent(
        """
        from datetime import datetime
        from complaint_workflow import LONDON, Complaint, ChallengeNotTakenForward
        from complaint_workflow import EventRejected, ForwardedToCST
        assert Complaint.__doc__ is None
        at = datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)
        c = Complaint.open(complaint_id="C-1", complainant="adult", received_at=at)
        c = c.apply(ForwardedToCST(at=at))
        try:
            c.apply(ChallengeNotTakenForward(at=at, told_why_and_options=False))
        except EventRejected as exc:
            print(exc.reason)
        """
    )
    done = subprocess.run(
        [sys.executable, "-OO", "-c", code], capture_output=True, text=True, check=True
    )
    assert (
        done.stdout.strip()
        == "intake: the complainant must be told why, and what options they have"
    )


# ------------------------------------------------------------------ route definition errors


def test_route_definition_error_is_a_library_error() -> None:
    """RouteDefinitionError derives from the root and ValueError, importable from both places."""
    assert issubclass(RouteDefinitionError, ComplaintWorkflowError)
    assert issubclass(RouteDefinitionError, ValueError)
    assert routes_machine.RouteDefinitionError is RouteDefinitionError
    assert cw.RouteDefinitionError is RouteDefinitionError


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {
                "initial": "z",
                "final": ["b"],
                "transitions": [{"trigger": "go", "source": "a", "dest": "b"}],
            },
            "initial state 'z' is not a declared state",
        ),
        (
            {
                "initial": "a",
                "final": ["b"],
                "transitions": [{"trigger": "go", "source": "a", "dest": "c"}],
            },
            r"destinations \['c'\] are not declared states",
        ),
        (
            {
                "initial": "a",
                "final": ["b"],
                "transitions": [{"trigger": "go", "source": "x", "dest": "b"}],
            },
            r"sources \['x'\] are not declared states",
        ),
        (
            {
                "initial": "a",
                "final": ["q"],
                "transitions": [{"trigger": "go", "source": "a", "dest": "b"}],
            },
            r"final states \['q'\] are not declared states",
        ),
        (
            {
                "initial": "a",
                "final": ["b"],
                "transitions": [{"trigger": "go", "source": "a", "dest": "b", "when": 1}],
            },
            r"transition 0 has unknown keys \['when'\]",
        ),
        (
            {"initial": "a", "final": ["b"], "transitions": [{"source": "a", "dest": "b"}]},
            "transition 0 has no trigger",
        ),
    ],
)
def test_undeclared_names_raise_route_definition_error(
    kwargs: dict[str, Any], message: str
) -> None:
    """A state named but not declared is refused at definition, naming it (no bare KeyError)."""
    with pytest.raises(RouteDefinitionError, match=message):
        Route("bad", title="Bad", states=["a", "b"], **kwargs)


def test_guards_must_be_guard_values_declared_once() -> None:
    """A bare function, or a guard declared twice, is a RouteDefinitionError."""
    spec: dict[str, Any] = {
        "states": ["a", "b"],
        "initial": "a",
        "final": ["b"],
        "transitions": [{"trigger": "go", "source": "a", "dest": "b", "conditions": ["ok"]}],
    }
    ok = routes_machine.guard("it must be ok")(lambda ctx: True)
    with pytest.raises(RouteDefinitionError, match="must be Guard values"):
        Route("bad", title="Bad", guards=[lambda ctx: True], **spec)  # type: ignore[list-item]
    with pytest.raises(RouteDefinitionError, match="declared twice"):
        Route("bad", title="Bad", guards=[ok, ok], **spec)


# ------------------------------------------------------------------ the import graph


def _imports() -> dict[str, set[str]]:
    """Module name -> the package modules it imports (at any depth of the file)."""
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join(parts)
        package = parts if is_package else parts[:-1]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    target = ".".join([*base, *(node.module.split(".") if node.module else [])])
                else:
                    target = node.module or ""
                if target.startswith("complaint_workflow"):
                    found.add(target)
                    for alias in node.names:
                        found.add(f"{target}.{alias.name}")
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("complaint_workflow")}
        graph[name] = found
    return {m: {i for i in deps if i in graph and i != m} for m, deps in graph.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among modules (packages' ``__init__`` left out), or ``None``."""
    modules = {m for m in graph if not any(o.startswith(m + ".") for o in graph)}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m] & modules):
            if state.get(n) == 1:
                return [*stack[stack.index(n) :], n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(modules):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_cycle_in_src() -> None:
    """No module of the package imports, directly or not, one that imports it back."""
    assert _cycle(_imports()) is None


def test_routes_never_import_obligations_or_the_complaint() -> None:
    """routes/ reads the situation and the gate, never obligations.py or complaint.py."""
    for module, deps in _imports().items():
        if module.startswith("complaint_workflow.routes"):
            bad = {
                d
                for d in deps
                if d.startswith(("complaint_workflow.obligations", "complaint_workflow.complaint"))
            }
            assert not bad, (module, bad)


def test_the_cycle_finder_finds_a_seeded_cycle() -> None:
    """A seeded cycle (situation importing complaint) is reported by the checker."""
    graph = _imports()
    graph["complaint_workflow.situation"] = {
        *graph["complaint_workflow.situation"],
        "complaint_workflow.complaint",
    }
    assert _cycle(graph) is not None


# ------------------------------------------------------------------ Part 2: plan-side duties


def test_a_correction_needs_a_factual_error_aspect() -> None:
    """FactualErrorCorrected is refused unless the assessment named a factual error (§4.7)."""
    c = in_procedure().apply(cw.Assessed(at=t(6, 14), aspects=("case-management",)))
    with pytest.raises(cw.EventRejected, match="factual-error aspect") as refused:
        c.apply(cw.FactualErrorCorrected(at=t(6, 15)))
    assert refused.value.state == "procedure:assessed"
    ok = in_procedure().apply(cw.Assessed(at=t(6, 14), aspects=("factual-error",)))
    assert ok.apply(cw.FactualErrorCorrected(at=t(6, 15))).situation.done_at(
        "factual-error-corrected"
    ) == t(6, 15)


def test_a_repeat_records_that_the_complainant_was_told() -> None:
    """RepeatedComplaintLinked carries told_not_reinvestigated; false is refused (§4.1)."""
    c = opened().apply(cw.ForwardedToCST(at=t(6, 12, 11)))
    with pytest.raises(cw.EventRejected, match="will not be reinvestigated"):
        c.apply(
            cw.RepeatedComplaintLinked(
                at=t(6, 13), earlier_complaint_id="C-0", told_not_reinvestigated=False
            )
        )
    linked = c.apply(cw.RepeatedComplaintLinked(at=t(6, 13), earlier_complaint_id="C-0"))
    assert linked.history[-1].told_not_reinvestigated is True  # type: ignore[attr-defined]
    assert linked.state == "intake:repeated"
    assert cw.Complaint.from_json(linked.to_json()) == linked


def _child_notified(hearing: date) -> cw.Complaint:
    """A child's complaint in an ongoing case, assessed, the court notified (2012 policy)."""
    c = in_procedure(complainant="child", hearing=hearing)
    c = c.apply(cw.MeetingOffered(at=t(6, 13, 12)))
    c = c.apply(cw.Assessed(at=t(6, 14), aspects=("case-management",)))
    return c.apply(cw.CourtNotified(at=t(6, 14, 12)))


def test_a_meeting_after_the_hearing_owes_the_court_an_update() -> None:
    """Hearing Fri 21 June 2024; meeting Mon 24 June: the court track owes an update (§5.4)."""
    c = _child_notified(date(2024, 6, 21))
    c = c.apply(cw.MeetingHeld(at=t(6, 24, 15)))
    assert c.states["court"] == "update-due"
    assert c.situation.meeting_after_hearing == date(2024, 6, 24)
    c = c.apply(cw.Responded(at=t(6, 25), phso_signposted=True))
    with pytest.raises(cw.EventRejected, match="court must be updated") as refused:
        c.apply(cw.ComplaintClosed(at=t(6, 25, 12)))
    assert "§5.4" in refused.value.reason
    c = c.apply(cw.CourtUpdated(at=t(6, 26)))
    assert c.states["court"] == "updated"
    assert c.situation.done_at("court-update") == t(6, 26)
    closed = c.apply(cw.ComplaintClosed(at=t(6, 26, 12)))
    assert closed.states["court"] == "done"
    assert cw.Complaint.from_json(closed.to_json()) == closed


def test_a_meeting_on_the_hearing_day_owes_an_update_one_before_does_not() -> None:
    """On the hearing date the update is owed; the working day before, it is not."""
    on_the_day = _child_notified(date(2024, 6, 21)).apply(cw.MeetingHeld(at=t(6, 21, 9)))
    assert on_the_day.states["court"] == "update-due"
    before = _child_notified(date(2024, 6, 21)).apply(cw.MeetingHeld(at=t(6, 20, 16)))
    assert before.states["court"] == "notified"
    assert before.situation.meeting_after_hearing is None
    closed = before.apply(cw.Responded(at=t(6, 24), phso_signposted=True)).apply(
        cw.ComplaintClosed(at=t(6, 24, 12))
    )
    assert closed.finished


def test_a_notification_after_the_late_meeting_covers_the_update() -> None:
    """Told of the complaint only after a meeting held after the hearing, the court is updated."""
    c = in_procedure(complainant="child", hearing=date(2024, 6, 21))
    c = c.apply(cw.MeetingOffered(at=t(6, 13, 12))).apply(cw.MeetingHeld(at=t(6, 24)))
    assert c.states["court"] == "due"
    c = c.apply(cw.CourtNotified(at=t(6, 25)))
    assert c.situation.done_at("court-update") == t(6, 25)
    assert c.states["court"] == "notified"


def test_a_meeting_after_the_close_still_owes_the_update() -> None:
    """After the complaint closed, a late meeting still owes the update; CourtUpdated records it."""
    c = _child_notified(date(2024, 6, 21))
    c = c.apply(cw.Responded(at=t(6, 20), phso_signposted=True))
    c = c.apply(cw.ComplaintClosed(at=t(6, 20, 12)))
    c = c.apply(cw.MeetingHeld(at=t(6, 24)))
    assert c.situation.meeting_after_hearing == date(2024, 6, 24)
    updated = c.apply(cw.CourtUpdated(at=t(6, 25)))
    assert updated.situation.done_at("court-update") == t(6, 25)
    assert updated.states["court"] == "done"
    with pytest.raises(cw.EventRejected):
        updated.apply(cw.CourtUpdated(at=t(6, 26)))


def _late_child(accepted: bool | None) -> cw.Complaint:
    c = opened("cafcass-web", complainant="child", involvement_ended=date(2023, 10, 31))
    c = c.apply(cw.ForwardedToCST(at=t(6, 12, 11)))
    if accepted is not None:
        c = c.apply(cw.ExceptionalCircumstancesDecided(at=t(6, 17), accepted=accepted))
    return c


@pytest.mark.parametrize("accepted", [None, True, False])
def test_a_late_childs_complaint_is_offered_a_meeting_on_every_path(accepted: bool | None) -> None:
    """Accepted, declined (outside the procedure) or undecided: the meeting offer is recorded."""
    c = _late_child(accepted)
    if accepted is False:
        assert c.state == "outside:awaiting-response"
    offered = c.apply(cw.MeetingOffered(at=t(6, 18)))
    assert offered.states["child"] == "offered"
    assert offered.situation.done_at("meeting-offered") == t(6, 18)


@pytest.mark.parametrize(
    "ending",
    [
        [cw.QuickFixOffered(at=t(6, 13)), cw.QuickFixResponded(at=t(6, 14))],
        [cw.RepeatedComplaintLinked(at=t(6, 13), earlier_complaint_id="C-0")],
        [cw.ChallengeNotTakenForward(at=t(6, 13))],
    ],
)
def test_a_childs_meeting_can_be_offered_beside_any_gate(ending: list[cw.Event]) -> None:
    """A child's meeting offer is accepted whatever the gate decided."""
    c = opened(complainant="child").apply(cw.ForwardedToCST(at=t(6, 12, 11)))
    for e in ending:
        c = c.apply(e)
    assert c.apply(cw.MeetingOffered(at=t(6, 17))).situation.done_at("meeting-offered")


def test_triage_comes_before_a_response_under_the_web_policy() -> None:
    """Under cafcass-web an assessed, untriaged complaint is not answered; under 2012 it is."""
    web = in_procedure("cafcass-web").apply(cw.Assessed(at=t(6, 14), aspects=("case-management",)))
    with pytest.raises(cw.EventRejected, match=r"triaged .* before it is answered"):
        web.apply(cw.Responded(at=t(10, 14), phso_signposted=True))
    triaged = web.apply(cw.Triaged(at=t(6, 14, 11), route="investigation"))
    assert triaged.apply(cw.Responded(at=t(7, 1), phso_signposted=True)).state == (
        "procedure:responded"
    )
    written = in_procedure().apply(cw.Assessed(at=t(6, 14), aspects=("case-management",)))
    assert written.apply(cw.Responded(at=t(7, 1), phso_signposted=True))


def test_triage_before_response_is_decided_by_targets_not_by_id() -> None:
    """A web variant under another id still triages first; a written one with triage targets too."""
    web = cw.Policy.builtin("cafcass-web")
    written = cw.Policy.builtin("cafcass-2012")
    assert triage_before_response(web)
    assert not triage_before_response(written)
    assert triage_before_response(web.evolve(id="my-web"))
    assert triage_before_response(
        written.evolve(id="with-triage", targets={"investigation": web.get("investigation")})
    )


# ------------------------------------------------------------------ feedback and compliments


def _yes() -> cw.Feedback:
    form = cw.Feedback.record(
        feedback_id="F-2",
        received_at=t(6, 3),
        dissatisfied=True,
        personal=cw.PersonalDetails(contact="reachable"),
    )
    form = form.apply(cw.AskedToTakeForward(at=t(6, 4)))
    return form.apply(cw.TakeForwardAnswered(at=t(6, 5), yes=True))


def test_a_form_opens_one_complaint_never_before_the_yes() -> None:
    """Opening is refused before the "yes" and a second time; the form records the complaint."""
    yes = _yes()
    with pytest.raises(cw.EventRejected, match="before the person said yes"):
        yes.open_complaint(complaint_id="C-F", complainant="adult", at=t(6, 5, 9))
    form, complaint = yes.open_complaint(complaint_id="C-F", complainant="adult", at=t(6, 5, 10))
    assert form.state == "complaint-opened"
    assert form.complaint_id == "C-F"
    assert complaint.situation.linked_to == "F-2"
    assert complaint.situation.received_at == t(6, 5, 10)
    with pytest.raises(cw.EventRejected, match="already opened complaint 'C-F'"):
        form.open_complaint(complaint_id="C-G", complainant="adult", at=t(6, 6))
    with pytest.raises(cw.EventRejected, match="already opened"):
        form.apply(cw.ComplaintOpenedFromFeedback(at=t(6, 6), complaint_id="C-G"))
    with pytest.raises(cw.EventRejected, match="taken forward"):
        cw.Feedback.record(feedback_id="F-3", received_at=t(6, 3)).open_complaint(
            complaint_id="C-H", complainant="adult", at=t(6, 6)
        )


def test_feedback_json_round_trips_with_the_complaints_event_codec() -> None:
    """A form's history reads back equal, each event written as a complaint's would be."""
    from complaint_workflow.history import event_to_dict

    form, _ = _yes().open_complaint(complaint_id="C-F", complainant="adult", at=t(6, 5, 10))
    text = form.to_json()
    again = cw.Feedback.from_json(text)
    assert again == form
    assert again.personal == form.personal
    document = __import__("json").loads(text)
    assert document["schema"] == "complaint-workflow/feedback"
    assert document["events"] == [event_to_dict(e) for e in form.history]
    assert [e["type"] for e in document["events"]] == [
        "feedback-recorded",
        "asked-to-take-forward",
        "take-forward-answered",
        "complaint-opened-from-feedback",
    ]
    anonymous = cw.Feedback.from_json(form.to_json(include_personal=False))
    assert anonymous.personal is None
    assert anonymous.history == form.history


def test_compliment_json_round_trips() -> None:
    """A compliment's history reads back equal; a feedback history is not a compliment's."""
    k = cw.Compliment.record(compliment_id="K-1", received_at=t(6, 3), source="service-user")
    k = k.apply(cw.ComplimentPassedOn(at=t(6, 4)))
    assert cw.Compliment.from_json(k.to_json()) == k
    with pytest.raises(cw.ComplaintWorkflowError, match="complaint-workflow/compliment"):
        cw.Compliment.from_json(_yes().to_json())


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"schema": "complaint-workflow/feedback", "schema_version": 9, "events": []}',
        '{"schema": "complaint-workflow/feedback", "schema_version": 1, "events": {}}',
        '{"schema": "complaint-workflow/feedback", "schema_version": 1, "personal": null,'
        ' "events": [{"type": "assessed", "at": "2024-06-03T10:00:00+01:00"}]}',
        '{"schema": "complaint-workflow/feedback", "schema_version": 1, "personal": null,'
        ' "events": [{"type": "feedback-filed", "at": "2024-06-03T10:00:00+01:00"}]}',
    ],
)
def test_a_bad_feedback_history_is_a_typed_error(text: str) -> None:
    """Malformed JSON, schema, section, event type or order raise a library error."""
    with pytest.raises(ComplaintWorkflowError):
        cw.Feedback.from_json(text)


# ------------------------------------------------------------------ the demo


def test_the_demo_names_the_phso_and_shows_an_extension() -> None:
    """Every procedure response in the demo says PHSO; a delayed one is shown as extended."""
    import io

    from complaint_workflow.demo import run_demo

    out = io.StringIO()
    run_demo(out)
    text = out.getvalue()
    responses = [ln for ln in text.splitlines() if " responded" in ln and "procedure:" in ln]
    assert responses
    assert all("PHSO" in ln for ln in responses)
    # DELAY-1: 2012's response due Mon 23 Sep, the web's investigation Mon 30 Sep; the update
    # on Fri 20 Sep moves both to Fri 11 Oct, and on Tue 24 Sep both are extended.
    assert "response        Fri 11 Oct 2024 extended (was 23 Sep)" in text
    assert "Fri 11 Oct 2024 extended (was 30 Sep)" in text


def test_next_situation_equals_attrs_evolve_for_every_field() -> None:
    """The positional copy gives the value attrs.evolve gives, whichever field changes."""
    import attrs

    from complaint_workflow.demo import SCENARIOS

    ends = [s.run("cafcass-web").situation for s in SCENARIOS]
    start = opened("cafcass-web").situation
    for end in ends:
        for field in attrs.fields(type(start)):
            if field.name in ("states", "last_at"):
                continue
            change = {field.name: getattr(end, field.name)}
            got = plans.next_situation(start, end.states, end.last_at, change)  # type: ignore[arg-type]
            assert got == attrs.evolve(start, states=end.states, last_at=end.last_at, **change)
        every = {f.name: getattr(end, f.name) for f in attrs.fields(type(start))}
        every.pop("states")
        every.pop("last_at")
        assert plans.next_situation(start, end.states, end.last_at, every) == end  # type: ignore[arg-type]


_WEB = cw.Policy.builtin("cafcass-web")
_WRITTEN = cw.Policy.builtin("cafcass-2012")
_POLICIES = [
    _WEB,
    _WRITTEN,
    _WEB.evolve(id="web-quicker", targets={"investigation": cw.WorkingDays(12)}),
    _WRITTEN.evolve(id="written-triaged", targets={"investigation": _WEB.get("investigation")}),
]


@pytest.mark.parametrize("policy", _POLICIES, ids=[p.id for p in _POLICIES])
@pytest.mark.parametrize("triage", [None, "early-resolution", "investigation"])
@pytest.mark.parametrize("hearing", [None, date(2024, 9, 2)])
def test_no_procedure_response_is_left_without_a_deadline(
    policy: cw.Policy, triage: Any, hearing: date | None
) -> None:
    """Every response the procedure accepts meets an obligation owed by a date; else refused.

    (A variant that drops a triage route's target leaves that route without one: the
    analyst's choice, so the policies here keep a target per route.)
    """
    c = in_procedure(policy, hearing=hearing)  # type: ignore[arg-type]
    c = c.apply(cw.Assessed(at=t(6, 14), aspects=("case-management",)))
    if triage is not None:
        c = c.apply(cw.Triaged(at=t(6, 14, 12), route=triage))
    answer = cw.Responded(at=t(10, 14), phso_signposted=True)
    if triage is None and triage_before_response(policy):
        with pytest.raises(cw.EventRejected, match="triaged"):
            c.apply(answer)
        return
    c = c.apply(answer)
    met = [
        o
        for o in c.obligations(t(10, 14, 12))
        if o.met_at == answer.at and o.id != "response-before-hearing"
    ]
    assert met, "the response is measured against a deadline of its own route"
    assert all(o.status in ("met-late", "breached") for o in met)  # four months: late


def test_the_deadline_check_catches_an_untriaged_web_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A seeded bug (the web policy answering before triage) fails the check above."""
    from complaint_workflow.routes.procedure import PROCEDURE

    name = "triaged_if_the_policy_triages"
    always = routes_machine.Guard(name, PROCEDURE.guards[name].reason, lambda ctx: True)
    monkeypatch.setitem(PROCEDURE.guards, name, always)  # type: ignore[index]
    monkeypatch.setattr(sys.modules[__name__], "triage_before_response", lambda p: False)
    with pytest.raises(AssertionError, match="deadline of its own route"):
        test_no_procedure_response_is_left_without_a_deadline(_WEB, None, None)
