"""The ``deadlines`` command: a contract that scripts and checks rely on exactly.

Expected dates are worked out here by hand from GOV.UK's bank holidays and the procedure
texts (the defaults in docs/policies.md), not from the library.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest

from complaint_workflow.cli import main


def deadlines(*argv: str) -> tuple[int, Any, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        status = main(["deadlines", "--json", *argv], out=out)
    finally:
        sys.stderr = old
    text = out.getvalue()
    return status, json.loads(text) if status == 0 else None, err.getvalue()


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in report["obligations"]}


def test_written_procedure_in_time_adult() -> None:
    """cafcass-2012: forward-to-cst in 1 WD and a hard response in 15 WD, both pending."""
    status, report, _ = deadlines(
        "--policy",
        "cafcass-2012",
        "--received",
        "2024-06-12T10:00:00+01:00",
        "--complainant",
        "adult",
    )
    assert status == 0
    assert report["deemed_receipt"] == "2024-06-12"
    assert report["eligibility"] == "in-time"
    assert report["six_month_limit"] is None
    got = by_id(report)
    assert set(got) == {"forward-to-cst", "response"}
    assert got["forward-to-cst"] | {} == got["forward-to-cst"]
    assert (got["forward-to-cst"]["due"], got["forward-to-cst"]["strength"]) == (
        "2024-06-13",
        "hard",
    )
    assert (got["response"]["due"], got["response"]["clause"]) == ("2024-07-03", "§4.10")
    assert {o["status"] for o in report["obligations"]} == {"pending"}


def test_web_over_christmas() -> None:
    """cafcass-web, Christmas Eve 2024: contact 2 WD, ER 7 calendar days, investigation 20 WD."""
    received = [
        "--policy",
        "cafcass-web",
        "--received",
        "2024-12-24T18:30:00Z",
        "--complainant",
        "adult",
    ]
    _, er, _ = deadlines(*received, "--route", "early-resolution")
    _, inv, _ = deadlines(*received, "--route", "investigation")
    assert er["deemed_receipt"] == "2024-12-24"
    assert {k: v["due"] for k, v in by_id(er).items()} == {
        "forward-to-cst": "2024-12-27",  # 25, 26 are bank holidays
        "contact": "2024-12-30",
        "early-resolution": "2024-12-31",  # seven calendar days from day 0
    }
    assert by_id(inv)["investigation"]["due"] == "2025-01-24"
    assert by_id(inv)["investigation"]["strength"] == "target"


def test_weekend_receipt_counts_from_monday() -> None:
    """Received on a Saturday (London): day 0 is the Monday; a UTC time late on Friday too."""
    _, report, _ = deadlines(
        "--policy",
        "cafcass-2012",
        "--received",
        "2024-06-14T23:30:00+00:00",
        "--complainant",
        "adult",
    )
    assert report["deemed_receipt"] == "2024-06-17"
    assert by_id(report)["response"]["due"] == "2024-07-08"


def test_other_complainant_only_outside_response() -> None:
    """A relative or professional: only the outside response, a 15 WD target."""
    _, report, _ = deadlines(
        "--policy",
        "cafcass-web",
        "--received",
        "2024-06-12T10:00+01:00",
        "--complainant",
        "other",
        "--hearing",
        "2024-06-20",
    )
    assert report["eligibility"] == "outside-procedure"
    assert [(o["id"], o["due"], o["strength"]) for o in report["obligations"]] == [
        ("outside-response", "2024-07-03", "target")
    ]


def test_out_of_time_has_no_obligations_yet() -> None:
    """After six months: exceptional circumstances, and nothing owed until the decision."""
    _, report, _ = deadlines(
        "--policy",
        "cafcass-2012",
        "--received",
        "2024-06-12T10:00+01:00",
        "--complainant",
        "adult",
        "--involvement-ended",
        "2023-11-30",
    )
    assert report["eligibility"] == "exceptional-circumstances"
    assert report["six_month_limit"] == "2024-05-30"
    assert report["obligations"] == []


def test_six_month_limit_does_not_roll() -> None:
    """31 August + 6 months is 29 February (2024); received that day is in time."""
    _, report, _ = deadlines(
        "--policy",
        "cafcass-2012",
        "--received",
        "2024-02-29T16:00Z",
        "--complainant",
        "child",
        "--involvement-ended",
        "2023-08-31",
    )
    assert report["six_month_limit"] == "2024-02-29"
    assert report["eligibility"] == "in-time"


def test_hearing_rules_and_impossible() -> None:
    """A hearing two days away: response-before-hearing impossible, court notification due."""
    _, report, _ = deadlines(
        "--policy",
        "cafcass-2012",
        "--received",
        "2024-06-12T10:00+01:00",
        "--complainant",
        "child",
        "--hearing",
        "2024-06-14",
    )
    got = by_id(report)
    assert (got["response-before-hearing"]["due"], got["response-before-hearing"]["status"]) == (
        "2024-06-07",
        "impossible",
    )
    assert (got["court-notification"]["due"], got["court-notification"]["status"]) == (
        "2024-06-13",
        "pending",
    )
    assert got["court-notification"]["strength"] == "hard"


def test_court_notification_needs_a_child_or_an_aspect() -> None:
    """An adult's complaint tells the court only for professional judgement or factual error."""
    base = [
        "--policy",
        "cafcass-web",
        "--received",
        "2024-03-26T10:00Z",
        "--complainant",
        "adult",
        "--hearing",
        "2024-04-05",
    ]
    _, plain, _ = deadlines(*base, "--aspect", "conduct")
    assert "court-notification" not in by_id(plain)
    assert by_id(plain)["response-before-hearing"]["due"] == "2024-03-27"  # back over Easter
    _, judged, _ = deadlines(*base, "--aspect", "professional-judgement")
    assert by_id(judged)["court-notification"]["due"] == "2024-04-04"


def test_status_at_an_instant() -> None:
    """With --at after the end of a due date, an unmet hard obligation is breached."""
    base = [
        "--policy",
        "cafcass-web",
        "--received",
        "2024-06-12T10:00+01:00",
        "--complainant",
        "adult",
    ]
    _, before, _ = deadlines(*base, "--at", "2024-06-13T23:59:59+01:00")
    _, after, _ = deadlines(*base, "--at", "2024-06-13T23:00:00Z")
    assert by_id(before)["forward-to-cst"]["status"] == "at-risk"
    assert by_id(after)["forward-to-cst"]["status"] == "breached"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            [
                "--policy",
                "cafcass-1999",
                "--received",
                "2024-06-12T10:00Z",
                "--complainant",
                "adult",
            ],
            "unknown policy",
        ),
        (
            ["--policy", "cafcass-web", "--received", "2024-06-12T10:00", "--complainant", "adult"],
            "UTC offset",
        ),
        (
            [
                "--policy",
                "cafcass-web",
                "--received",
                "2024-06-12T10:00Z",
                "--complainant",
                "adult",
                "--aspect",
                "rudeness",
            ],
            "invalid choice",
        ),
        (
            [
                "--policy",
                "cafcass-web",
                "--received",
                "2024-06-12T10:00Z",
                "--complainant",
                "adult",
                "--hearing",
                "2024-06-01",
            ],
            "hearing must not be before",
        ),
        (
            ["--policy", "cafcass-web", "--received", "yesterday", "--complainant", "adult"],
            "ISO date-time",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr(argv: list[str], message: str) -> None:
    """Bad input exits non-zero with one clear line and no traceback."""
    status, _, err = deadlines(*argv)
    assert status != 0
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_table_output() -> None:
    """Without --json the same obligations print as a table."""
    out = io.StringIO()
    assert (
        main(
            [
                "deadlines",
                "--policy",
                "cafcass-2012",
                "--received",
                "2024-06-12T10:00Z",
                "--complainant",
                "adult",
            ],
            out=out,
        )
        == 0
    )
    assert "response" in out.getvalue()
    assert "Wed 03 Jul 2024" in out.getvalue()
