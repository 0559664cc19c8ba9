"""Personal data never appears in a repr, a str, a log line, an error or the CLI's output."""

from __future__ import annotations

import io
import logging
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from complaint_workflow import (
    LONDON,
    Assessed,
    Complaint,
    ComplaintClosed,
    ComplaintWorkflowError,
    ContactMade,
    ForwardedToCST,
    PersonalDetails,
    Responded,
    Triaged,
)
from complaint_workflow.cli import main
from complaint_workflow.feedback import AskedToTakeForward, Feedback, TakeForwardAnswered

MARKER = "ZZ-PERSONAL-7f3a"


def t(day: int, hour: int = 10) -> datetime:
    return datetime(2024, 6, day, hour, tzinfo=LONDON)


def planted() -> PersonalDetails:
    return PersonalDetails(
        name=f"{MARKER}-name", contact=f"{MARKER}-contact", text=f"{MARKER}-complaint text"
    )


def test_marker_never_printed_raised_or_logged(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """Plant a marker in every personal field, then search everything the library emits."""
    caplog.set_level(logging.DEBUG, logger="complaint_workflow")
    seen: list[str] = []
    c = Complaint.open(
        complaint_id="C-P",
        complainant="adult",
        received_at=t(12),
        hearing=date(2024, 7, 1),
        personal=planted(),
    )
    steps = [
        ForwardedToCST(at=t(12, 11)),
        ContactMade(at=t(13)),
        Assessed(at=t(14), aspects=("conduct",)),
        Triaged(at=t(14, 11), route="investigation"),
        Responded(at=t(20), phso_signposted=True),  # rejected: conduct not referred
        ComplaintClosed(at=t(13)),  # rejected: earlier than the previous event
        Responded(at=t(20)),  # rejected: no PHSO
    ]
    for event in steps:
        try:
            c = c.apply(event)
        except ComplaintWorkflowError as exc:
            seen += [str(exc), repr(exc), repr(exc.args)]
        seen += [repr(c), str(c), repr(c.situation), repr(event)]
        seen += [repr(o) for o in c.obligations(c.last_at)]
    seen += [repr(c.personal), str(c.personal), c.to_json(include_personal=False)]
    seen += [repr(c.history), c.state, str(c.states)]
    form = Feedback.record(
        feedback_id="F-P", received_at=t(3), dissatisfied=True, personal=planted()
    )
    form = form.apply(AskedToTakeForward(at=t(4))).apply(TakeForwardAnswered(at=t(5), yes=True))
    form, linked = form.open_complaint(complaint_id="C-F", complainant="adult", at=t(5))
    seen += [form.to_json(include_personal=False)]
    seen += [repr(form), str(form), repr(linked)]
    path = tmp_path / "history.json"
    path.write_text(c.to_json())
    assert MARKER in path.read_text()  # stored, for the service that needs it ...
    out, err = io.StringIO(), io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        assert main(["replay", str(path)], out=out) == 0
        main(["replay", str(path), "--at", "2024-06-01T00:00"], out=out)
    finally:
        sys.stderr = old
    seen += [out.getvalue(), err.getvalue()]
    seen += [record.getMessage() for record in caplog.records]
    assert caplog.records, "the library logs what it applies"
    leaks = [text for text in seen if MARKER in text]
    assert leaks == []  # ... but never printed, raised or logged


def test_personal_details_type_errors_do_not_echo_values() -> None:
    """A wrong type in a personal field is named, and its value never shown."""
    with pytest.raises(ComplaintWorkflowError) as info:
        PersonalDetails(name=12345678)  # type: ignore[arg-type]
    assert "12345678" not in str(info.value)
    assert "name" in str(info.value)
