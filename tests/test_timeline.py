"""The timeline picture: parsed back with xml.etree and checked against the complaint."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from complaint_workflow import LONDON, Complaint, NaiveDatetimeError, PersonalDetails, timeline
from complaint_workflow import events as ev
from complaint_workflow.cli import main
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.obligations import STATUSES
from complaint_workflow.policy import Policy

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent


def _groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]


def check_picture(complaint: Complaint, at: datetime, picture: str) -> None:
    """Assert that ``picture`` shows exactly the complaint's events, obligations and days."""
    root = ET.fromstring(picture)
    assert root.tag == f"{SVG}svg"
    calendar = complaint.calendar
    at_london = at.astimezone(LONDON)

    # Events: every event up to ``at``, in order, with its type name as a label.
    shown = [(g.get("data-type"), g.get("data-version")) for g in _groups(root, "event")]
    expected = [(e.name, str(e.version)) for e in complaint.history if e.at <= at]
    assert shown == expected
    for g in _groups(root, "event"):
        assert g.findtext(f"{SVG}text") == g.get("data-type")

    # Obligations: one bar each, same id, status, due date, strength and clause.
    owed = complaint.obligations(at)
    bars = _groups(root, "obligation")
    assert [(b.get("data-id"), b.get("data-status"), b.get("data-due")) for b in bars] == [
        (o.id, o.status, o.due.isoformat()) for o in owed
    ]
    prefix = [e for e in complaint.history if e.at <= at]
    then = (
        Complaint.replay(
            prefix,
            policies={p.id: p for p in (*complaint.earlier_policies, complaint.policy)},
            calendar=calendar,
        )
        if prefix
        else complaint
    )
    for bar, o in zip(bars, owed, strict=True):
        assert bar.get("data-strength") == o.strength
        assert bar.get("data-clause") == o.clause
        start = date.fromisoformat(bar.get("data-start", ""))
        target = then.policy.get(o.id)
        assert target is not None
        if target.backward:
            known = then.situation.hearing_known_at.astimezone(LONDON).date()
            assert start == max(then.deemed_receipt, known)
        else:
            # Counting the target's duration on from the bar's start gives its due date.
            original = o.extended_from or o.due
            assert target.due(start, calendar, then.policy.parameters) == original
        # Not by colour alone: the status is written beside the bar.
        label = next(t for t in bar.iter(f"{SVG}text") if t.get("class") == "status-label")
        assert (label.text or "").startswith(o.status)
        assert (bar.get("data-met-at") is None) == (o.met_at is None)

    # Shaded days: exactly the non-working days of the axis, bank holidays named.
    first = date.fromisoformat(root.get("data-first", ""))
    last = date.fromisoformat(root.get("data-last", ""))
    days = _groups(root, "days")[0]
    shaded = {r.get("data-date"): r.get("class") for r in days.iter(f"{SVG}rect")}
    want: dict[str | None, str | None] = {}
    d = first
    while d <= last:
        if not calendar.is_working_day(d):
            kind = "bank-holiday" if calendar.holiday_name(d) else "weekend"
            want[d.isoformat()] = kind if kind == "bank-holiday" or d.weekday() >= 5 else "closure"
        d += timedelta(days=1)
    assert shaded == want
    for rect in days.iter(f"{SVG}rect"):
        name = calendar.holiday_name(date.fromisoformat(rect.get("data-date", "")))
        if name:
            assert name in (rect.findtext(f"{SVG}title") or "")

    # Every obligation's span, every event and the instant lie on the axis.
    for o in owed:
        assert first <= o.due <= last
    assert first <= at_london.date() <= last

    # The hearing, when one is known at ``at``, and the instant line.
    hearing = [g.get("data-date") for g in _groups(root, "hearing")]
    known_hearing = then.situation.hearing if prefix else None
    assert hearing == ([] if known_hearing is None else [known_hearing.isoformat()])
    assert [g.get("data-at") for g in _groups(root, "at")] == [at_london.isoformat()]


def _instants(c: Complaint) -> list[datetime]:
    mid = c.history[len(c.history) // 2].at
    return [c.history[0].at, mid, c.last_at, c.last_at + timedelta(days=40)]


@pytest.mark.parametrize("policy", Policy.builtin_ids())
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: str(s.facts["complaint_id"]))
def test_picture_matches_the_complaint(scenario: object, policy: str) -> None:
    """Every demo scenario, under each policy, at four instants: the picture shows what is owed."""
    complaint = scenario.run(policy)  # type: ignore[attr-defined]
    for at in _instants(complaint):
        check_picture(complaint, at, timeline.svg(complaint, at))


def _hearing_complaint() -> Complaint:
    c = Complaint.open(
        complaint_id="H-1",
        complainant="child",
        received_at=datetime(2024, 12, 20, 10, 0, tzinfo=LONDON),
        hearing=date(2025, 1, 10),
        policy="cafcass-web",
    )
    return c.apply(ev.ForwardedToCST(at=datetime(2024, 12, 23, 9, 0, tzinfo=LONDON)))


def test_bank_holidays_and_the_hearing_are_drawn() -> None:
    """Christmas and Boxing Day are shaded as bank holidays and the hearing is marked."""
    c = _hearing_complaint()
    at = datetime(2024, 12, 30, 12, 0, tzinfo=LONDON)
    picture = timeline.svg(c, at)
    check_picture(c, at, picture)
    root = ET.fromstring(picture)
    kinds = {r.get("data-date"): r.get("class") for r in root.iter(f"{SVG}rect")}
    assert kinds["2024-12-25"] == "bank-holiday"
    assert kinds["2024-12-26"] == "bank-holiday"
    assert kinds["2024-12-28"] == "weekend"
    assert "2024-12-27" not in kinds
    assert [g.get("data-date") for g in _groups(root, "hearing")] == ["2025-01-10"]


def test_the_picture_is_deterministic() -> None:
    """The same complaint and instant give the same text, byte for byte."""
    c = _hearing_complaint()
    at = datetime(2025, 1, 2, 9, 0, tzinfo=LONDON)
    assert timeline.svg(c, at) == timeline.svg(Complaint.replay(c.history), at)


def test_text_is_escaped_and_personal_details_never_drawn() -> None:
    """An id full of markup stays text; the name, contact and complaint words never appear."""
    secret = PersonalDetails(name="Zebedee Quux", contact="zq@example.org", text="my <story>")
    c = Complaint.open(
        complaint_id='C-<script>&"x"',
        complainant="adult",
        received_at=datetime(2024, 6, 12, 10, 0, tzinfo=LONDON),
        personal=secret,
    )
    picture = timeline.svg(c, datetime(2024, 6, 14, 10, 0, tzinfo=LONDON))
    root = ET.fromstring(picture)
    assert root.get("data-complaint") == 'C-<script>&"x"'
    assert "<script>" not in picture
    for value in (secret.name, secret.contact, "story"):
        assert value not in picture


def test_legend_names_every_status() -> None:
    """The legend writes every status in words beside its swatch."""
    root = ET.fromstring(timeline.svg(_hearing_complaint(), datetime(2025, 1, 2, tzinfo=LONDON)))
    items = {g.get("data-status"): g.findtext(f"{SVG}text") for g in _groups(root, "legend-item")}
    for status in STATUSES:
        assert items[status] == status


def test_naive_instant_is_refused() -> None:
    """A naive ``at`` raises NaiveDatetimeError."""
    with pytest.raises(NaiveDatetimeError):
        timeline.svg(_hearing_complaint(), datetime(2025, 1, 2))


def test_seeded_bug_in_anchor_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bar drawn from the wrong anchor fails the check."""
    c = SCENARIOS[0].run("cafcass-web")
    at = c.last_at
    real = timeline._bar_start

    def shifted(*args: Any) -> date:
        return real(*args) + timedelta(days=1)

    monkeypatch.setattr(timeline, "_bar_start", shifted)
    with pytest.raises(AssertionError):
        check_picture(c, at, timeline.svg(c, at))


def test_seeded_bug_in_shading_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A picture that forgets bank holidays fails the check."""
    c = _hearing_complaint()
    at = datetime(2024, 12, 30, 12, 0, tzinfo=LONDON)
    good = timeline.svg(c, at)
    bad = good.replace(
        'class="bank-holiday" data-date="2024-12-25"', 'class="weekend" data-date="2024-12-25"'
    )
    assert bad != good
    with pytest.raises(AssertionError):
        check_picture(c, at, bad)


def test_replay_writes_the_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``replay FILE --svg out.svg`` writes the timeline at the chosen instant."""
    c = _hearing_complaint()
    history = tmp_path / "h.json"
    history.write_text(c.to_json(), encoding="utf-8")
    out = tmp_path / "out.svg"
    at = "2024-12-30T12:00:00+00:00"
    assert main(["replay", str(history), "--at", at, "--svg", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    picture = out.read_text("utf-8")
    assert picture == timeline.svg(c, datetime.fromisoformat(at))


def test_replay_svg_to_a_missing_directory_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An --svg path that cannot be written exits 2 with one line on stderr."""
    history = tmp_path / "h.json"
    history.write_text(_hearing_complaint().to_json(), encoding="utf-8")
    assert main(["replay", str(history), "--svg", str(tmp_path / "no" / "x.svg")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot write" in err


def test_docs_example_svg_is_current() -> None:
    """docs/timeline-example.svg is what the library draws now for the documented complaint."""
    from complaint_workflow.docgen import timeline_example

    path = ROOT / "docs" / "timeline-example.svg"
    assert path.read_text("utf-8") == timeline_example(), (
        "docs/timeline-example.svg is stale: run python scripts/generate_docs.py"
    )
