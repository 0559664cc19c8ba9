"""Hostile input: each kind of bad input gets a typed error (or a valid result), changes nothing.

The named kinds live in tests/hostile.py; Hypothesis mutates valid events, histories, policy
files and GOV.UK files beside them. Counts by area are in docs/guarantees.md.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable
from contextlib import redirect_stderr
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint_workflow import (
    LONDON,
    Complaint,
    ComplaintWorkflowError,
    EventRejected,
    HistoryError,
    InvalidInputError,
    InvalidValueError,
    NaiveDatetimeError,
    PinnedPolicyError,
    Policy,
    PolicyError,
    WorkingDayCalendar,
    cli,
)
from complaint_workflow import events as ev
from complaint_workflow.calendar import CalendarDataError, CalendarRangeError
from complaint_workflow.history import read_history

from . import hostile
from .hostile import AT, Kind, all_kinds, base_complaint, counts_by_area

ROOT = Path(__file__).resolve().parent.parent
KINDS = all_kinds()
PERSONAL = ("A. Person", "a@example.org", "ZQX-complaint-words")
MAX_MESSAGE = 400


def _check_message(exc: BaseException) -> None:
    message = str(exc)
    assert len(message) <= MAX_MESSAGE
    assert not any(p in message for p in PERSONAL)


def outcome(kind: Kind) -> str:
    """``typed``, ``valid`` or a description of what went wrong."""
    try:
        result = kind.run()
    except ComplaintWorkflowError as exc:
        message = str(exc)
        if len(message) > MAX_MESSAGE:
            return f"message of {len(message)} characters"
        if any(p in message for p in PERSONAL):
            return "personal data in the message"
        return "typed"
    except Exception as exc:  # the failure this suite exists to catch
        return f"escaped {type(exc).__name__}"
    if not kind.may_succeed:
        return "accepted"
    if isinstance(result, Complaint):
        again = Complaint.from_json(result.to_json())
        assert again == result
        result.obligations(result.last_at)
    return "valid"


@pytest.mark.parametrize("kind", KINDS, ids=[f"{k.area}: {k.name}" for k in KINDS])
def test_every_kind_of_bad_input_is_a_typed_error(kind: Kind) -> None:
    """Each registered bad input raises a bounded, impersonal typed error (or is valid)."""
    assert outcome(kind) in ("typed", "valid")


def test_the_checker_catches_a_seeded_bug() -> None:
    """With the event validators switched off, the checker reports bad events as accepted."""
    kind = next(k for k in KINDS if k.name == "ExceptionalCircumstancesDecided.accepted = 'no'")
    assert outcome(kind) == "typed"
    with attrs.validators.disabled():
        assert outcome(kind) == "accepted"


# --------------------------------------------------------------------- counts


CLI_KINDS: dict[str, list[str]] = {
    "no command": [],
    "unknown command": ["bogus"],
    "deadlines without --received": ["deadlines", "--complainant", "adult"],
    "deadlines naive --received": [
        "deadlines",
        "--complainant",
        "adult",
        "--received",
        "2024-06-12T10:00",
    ],
    "deadlines --received not a time": [
        "deadlines",
        "--complainant",
        "adult",
        "--received",
        "soon",
    ],
    "deadlines --received year 9999": [
        "deadlines",
        "--complainant",
        "adult",
        "--received",
        "9999-12-31T23:00-05:00",
    ],
    "deadlines --received year 1": [
        "deadlines",
        "--complainant",
        "adult",
        "--received",
        "0001-01-01T00:30+05:00",
    ],
    "deadlines --received beyond the calendar": [
        "deadlines",
        "--complainant",
        "adult",
        "--received",
        "2150-01-01T10:00+00:00",
    ],
    "deadlines --complainant bogus": [
        "deadlines",
        "--complainant",
        "cousin",
        "--received",
        "2024-06-12T10:00+01:00",
    ],
    "deadlines --hearing not a date": [
        "deadlines",
        "--complainant",
        "adult",
        "--received",
        "2024-06-12T10:00+01:00",
        "--hearing",
        "x",
    ],
    "deadlines --hearing year 9999": [
        "deadlines",
        "--complainant",
        "adult",
        "--received",
        "2024-06-12T10:00+01:00",
        "--hearing",
        "9999-12-31",
    ],
    "deadlines --policy unknown": [
        "deadlines",
        "--policy",
        "bogus",
        "--complainant",
        "adult",
        "--received",
        "2024-06-12T10:00+01:00",
    ],
    "deadlines --policy missing file": [
        "deadlines",
        "--policy",
        "/nonexistent/p.toml",
        "--complainant",
        "adult",
        "--received",
        "2024-06-12T10:00+01:00",
    ],
    "deadlines --policy a directory": [
        "deadlines",
        "--policy",
        "/tmp.toml/..",
        "--complainant",
        "adult",
        "--received",
        "2024-06-12T10:00+01:00",
    ],
    "deadlines --at naive": [
        "deadlines",
        "--complainant",
        "adult",
        "--received",
        "2024-06-12T10:00+01:00",
        "--at",
        "2024-06-13T10:00",
    ],
    "replay a missing file": ["replay", "/nonexistent/history.json"],
    "replay a directory": ["replay", "/"],
    "policy show unknown": ["policy", "show", "bogus"],
    "policy show a 1 kB id": ["policy", "show", "x" * 1000],
    "policy diff unknown": ["policy", "diff", "cafcass-web", "bogus"],
    "diagram unknown route": ["diagram", "bogus"],
}


@pytest.mark.parametrize("argv", CLI_KINDS.values(), ids=list(CLI_KINDS))
def test_cli_arguments_never_traceback(argv: list[str]) -> None:
    """Bad command-line arguments end in one line on stderr, never an exception or traceback."""
    err = io.StringIO()
    with redirect_stderr(err):
        try:
            status = cli.main(argv, out=io.StringIO())
        except SystemExit as exit_:  # argparse's usage errors
            status = exit_.code
    assert status not in (0, None)
    assert "Traceback" not in err.getvalue()
    assert err.getvalue().strip(), "a refusal says why"


def test_there_are_at_least_300_kinds_and_the_docs_count_them() -> None:
    """The registry holds 300+ kinds and docs/guarantees.md states the counts by area."""
    counts = counts_by_area(KINDS, len(CLI_KINDS))
    assert sum(counts.values()) >= 300
    table = "\n".join(
        ["| area | kinds |", "| --- | --- |"]
        + [f"| {area} | {n} |" for area, n in counts.items()]
        + [f"| **all** | **{sum(counts.values())}** |"]
    )
    docs = (ROOT / "docs/guarantees.md").read_text()
    block = re.search(
        r"<!-- hostile-counts \(checked by tests/test_hostile\.py\) -->\n(.*?)\n"
        r"<!-- end hostile-counts -->",
        docs,
        re.DOTALL,
    )
    assert block is not None
    assert block.group(1) == table, f"update docs/guarantees.md:\n{table}"


# --------------------------------------------------------------------- Hypothesis: mutations

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
python_values = st.one_of(
    json_values,
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.dates(),
    st.sampled_from([b"x", {"conduct"}, ("conduct",), object()]),
)
EVENT_TYPES = hostile.event_types()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(cls=st.sampled_from(EVENT_TYPES), data=st.data())
def test_a_mutated_event_is_refused_or_valid(cls: type[ev.Event], data: st.DataObject) -> None:
    """Any value in any field of any event: a typed error, or an event that round-trips JSON."""
    from complaint_workflow.history import event_from_dict, event_to_dict

    field = data.draw(st.sampled_from([f.name for f in attrs.fields(cls)]))
    value = data.draw(python_values)
    try:
        event = cls(**{**hostile.valid_kwargs(cls), field: value})
    except ComplaintWorkflowError as exc:
        _check_message(exc)
        return
    if cls in ev.EVENT_TYPES.values():
        # Compared as JSON: PEP 495 makes a zoneinfo time in a repeated hour unequal to the
        # same instant at a fixed offset (the library stores fixed offsets for that reason).
        written = event_to_dict(event)
        assert event_to_dict(event_from_dict(json.loads(json.dumps(written)))) == written


BASE = base_complaint()
BASE_JSON = BASE.to_json()
BASE_DOC = json.loads(BASE_JSON)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


PATHS = [p for p in _paths(BASE_DOC) if p[0] != "policies" or len(p) <= 2]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(path=st.sampled_from(PATHS), value=json_values, delete=st.booleans())
def test_a_mutated_history_is_refused_or_reads_valid(
    path: tuple[Any, ...], value: object, delete: bool
) -> None:
    """Any field of a history replaced or deleted: a typed error, or a valid complaint."""
    doc = json.loads(BASE_JSON)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if delete and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = value
    try:
        c = Complaint.from_json(json.dumps(doc))
    except ComplaintWorkflowError as exc:
        _check_message(exc)
        return
    assert Complaint.from_json(c.to_json()) == c
    c.obligations(c.last_at)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    target=st.integers(0, 8),
    key=st.sampled_from(
        ["working_days", "anchor", "strength", "routes", "triggers", "clause", "owed_by", "bogus"]
    ),
    value=st.one_of(
        st.integers(-5, 10**6),
        st.booleans(),
        st.text(max_size=10),
        st.lists(st.text(max_size=10), max_size=3),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
)
def test_a_mutated_policy_file_is_refused_or_valid(target: int, key: str, value: object) -> None:
    """Any key of any target of a policy file set to any value: PolicyError, or a valid policy."""
    import tomllib

    text = Policy.builtin("cafcass-web").to_toml()
    document = tomllib.loads(text)
    document["targets"][target % len(document["targets"])][key] = value
    try:
        policy = Policy.from_toml_text(_to_toml(document))
    except PolicyError as exc:
        _check_message(exc)
        return
    assert Policy.from_toml_text(policy.to_toml()) == policy


def _to_toml(document: dict[str, Any]) -> str:
    def value(v: object) -> str:
        return json.dumps(v, ensure_ascii=False) if not isinstance(v, bool) else str(v).lower()

    lines = [f"{k} = {value(v)}" for k, v in document.items() if k not in ("parameters", "targets")]
    lines.append("[parameters]")
    lines += [f"{k} = {value(v)}" for k, v in document["parameters"].items()]
    for t in document["targets"]:
        lines.append("[[targets]]")
        lines += [f"{k} = {value(v)}" for k, v in t.items()]
    return "\n".join(lines) + "\n"


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    events=st.lists(
        st.dictionaries(
            st.sampled_from(["date", "title", "x"]), json_values | st.dates().map(date.isoformat)
        ),
        max_size=5,
    )
)
def test_a_mutated_govuk_file_is_refused_or_keeps_other_holidays(
    events: list[dict[str, Any]],
) -> None:
    """A GOV.UK list of under 8 days: CalendarDataError, or a calendar that loses no holiday."""
    cal = WorkingDayCalendar.england_and_wales()
    try:
        updated = cal.with_govuk_bank_holidays({"england-and-wales": {"events": events}})
    except CalendarDataError as exc:
        _check_message(exc)
        return
    for d in cal.holidays:
        assert d in updated.holidays  # fewer than 8 days a year never wipes a year


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    cls=st.sampled_from([c for c in ev.EVENT_TYPES.values() if c is not ev.ComplaintOpened]),
    days=st.integers(-3, 40),
    data=st.data(),
)
def test_a_rejected_event_leaves_the_json_byte_identical(
    cls: type[ev.Event], days: int, data: st.DataObject
) -> None:
    """A valid event the complaint refuses raises EventRejected and leaves its JSON unchanged."""
    from datetime import timedelta

    kwargs = hostile.valid_kwargs(cls)
    kwargs["at"] = BASE.last_at + timedelta(days=days)
    if "hearing" in kwargs:
        kwargs["hearing"] = data.draw(st.dates(date(2000, 1, 1), date(2060, 12, 31)))
    event = cls(**kwargs)
    try:
        after = BASE.apply(event)
    except EventRejected:
        assert BASE.to_json() == BASE_JSON
        return
    assert after.version == BASE.version + 1
    assert BASE.to_json() == BASE_JSON


# --------------------------------------------------------------------- the reproducers


def _raises(error: type[BaseException], thunk: Callable[[], object]) -> str:
    with pytest.raises(error) as info:
        thunk()
    return str(info.value)


def test_reproducers_events_validate_their_fields() -> None:
    """The issue's accepted events are now refused when made, naming the field."""
    cases: list[tuple[type[BaseException], Callable[[], object], str]] = [
        (
            InvalidInputError,
            lambda: ev.ExceptionalCircumstancesDecided(at=AT, accepted="no"),
            "accepted",
        ),  # type: ignore[arg-type]
        (InvalidInputError, lambda: ev.Responded(at=AT, phso_signposted="no"), "phso_signposted"),  # type: ignore[arg-type]
        (InvalidValueError, lambda: ev.Assessed(at=AT, aspects=["bogus"]), "aspects"),  # type: ignore[list-item]
        (InvalidInputError, lambda: ev.Assessed(at=AT, aspects="abc"), "aspects"),  # type: ignore[arg-type]
        (InvalidInputError, lambda: ev.Triaged(at=AT, route=None), "route"),  # type: ignore[arg-type]
        (InvalidValueError, lambda: ev.ContactMade(at=AT, method="bogus"), "method"),  # type: ignore[arg-type]
        (InvalidValueError, lambda: ev.ConductReferred(at=AT, to="police"), "to"),  # type: ignore[arg-type]
    ]
    for error, thunk, field in cases:
        assert f".{field} must be" in _raises(error, thunk)


def _doc(**changes: Any) -> str:
    doc = json.loads(BASE_JSON)
    doc.update(changes)
    return json.dumps(doc)


def _opening(**changes: Any) -> str:
    doc = json.loads(BASE_JSON)
    doc["events"][0].update(changes)
    return json.dumps(doc)


def test_reproducers_the_reader_never_coerces() -> None:
    """'false' is not a bool, 2.7 is not a count, null is not an id, and the ids must agree."""
    assert "case_ongoing" in _raises(
        HistoryError, lambda: Complaint.from_json(_opening(case_ongoing="false"))
    )
    assert "staff_named" in _raises(
        HistoryError, lambda: Complaint.from_json(_opening(staff_named=2.7))
    )
    assert "complaint_id" in _raises(
        HistoryError, lambda: Complaint.from_json(_doc(complaint_id=None))
    )
    assert "differs" in _raises(
        HistoryError, lambda: Complaint.from_json(_doc(complaint_id="OTHER"))
    )


def test_reproducers_embedded_policies_are_not_trusted(tmp_path: Path) -> None:
    """A redefined cafcass-web is refused; an embedded extends never reads a file, even a FIFO."""
    web300 = Policy.builtin("cafcass-web").evolve(
        targets={"investigation": hostile.WorkingDays(300)}
    )
    c = Complaint.open(complaint_id="C", complainant="adult", received_at=AT, policy=web300)
    message = _raises(PinnedPolicyError, lambda: Complaint.from_json(c.to_json()))
    assert "retime=True" in message
    secret = tmp_path / "x" / "secret.toml"
    secret.parent.mkdir()
    os.mkfifo(secret)
    os.chdir(tmp_path)  # the path would resolve here
    for extends in ("x/secret.toml", str(secret), "../x/secret.toml"):
        doc = json.loads(hostile._with_policy(BASE_DOC, f'id = "web-15"\nextends = "{extends}"\n'))
        assert "never a file" in _raises(
            PolicyError, lambda d=doc: Complaint.from_json(json.dumps(d))
        )


def test_reproducers_policy_files_refuse_fifos(tmp_path: Path) -> None:
    """Policy.from_toml and the GOV.UK loader refuse a FIFO before reading it (no hang)."""
    fifo = tmp_path / "p.toml"
    os.mkfifo(fifo)
    assert "not a regular file" in _raises(PolicyError, lambda: Policy.from_toml(fifo))
    assert "not a regular file" in _raises(
        CalendarDataError, lambda: WorkingDayCalendar.from_govuk_json(fifo)
    )
    parent = tmp_path / "child.toml"
    parent.write_text(f'id = "child"\nextends = "{fifo.name}"\n')
    assert "readable .toml" in _raises(PolicyError, lambda: Policy.from_toml(parent))


def test_reproducers_ranges_depths_and_sizes() -> None:
    """Year 1 and 9999 instants, deep JSON/TOML and a 1 MB id are typed, bounded errors."""
    west = datetime(9999, 12, 31, 23, tzinfo=hostile.timezone(hostile.timedelta(hours=-5)))
    assert "years 1900-2199" in _raises(InvalidValueError, lambda: ev.ForwardedToCST(at=west))
    assert "years 1900-2199" in _raises(
        InvalidValueError, lambda: ev.ForwardedToCST(at=datetime(1, 1, 1, tzinfo=UTC))
    )
    _raises(ComplaintWorkflowError, lambda: BASE.obligations(west))
    _raises(HistoryError, lambda: Complaint.from_json("[" * 100_000 + "]" * 100_000))
    _raises(
        PolicyError, lambda: Policy.from_toml_text('id = "x"\nz = ' + "[" * 100_000 + "]" * 100_000)
    )
    message = _raises(
        ComplaintWorkflowError,
        lambda: Complaint.open(complaint_id="x" * 1_000_000, complainant="adult", received_at=AT),
    )
    assert len(message) < MAX_MESSAGE
    assert CalendarRangeError is type(
        _raises_error(lambda: WorkingDayCalendar.england_and_wales().holiday_name(date(1500, 1, 1)))
    )


def _raises_error(thunk: Callable[[], object]) -> BaseException:
    try:
        thunk()
    except Exception as exc:
        return exc
    raise AssertionError("did not raise")


def test_reproducers_wrong_argument_types_are_typed() -> None:
    """Wrong argument types raise InvalidInputError, not a bare TypeError or AttributeError."""
    _raises(
        InvalidInputError,
        lambda: Complaint.open(complaint_id="C", complainant="adult", received_at=AT, policy=None),
    )  # type: ignore[arg-type]
    _raises(InvalidInputError, lambda: Complaint.from_json(None))  # type: ignore[arg-type]
    _raises(InvalidInputError, lambda: WorkingDayCalendar(None, first_year=2000, last_year=2001))  # type: ignore[arg-type]
    _raises(NaiveDatetimeError, lambda: ev.ForwardedToCST(at=datetime(2024, 6, 12)))


def test_reproducers_analysis_arguments() -> None:
    """simulate(calendar='x') and Distribution.lognormal(inf, 1) are InvalidInputErrors."""
    pytest.importorskip("numpy")
    from complaint_workflow.analysis import Distribution, simulate

    _raises(InvalidInputError, lambda: simulate(calendar="x"))  # type: ignore[arg-type]
    _raises(InvalidInputError, lambda: Distribution.lognormal(float("inf"), 1))


def test_reproducers_a_partial_govuk_year_keeps_its_other_holidays() -> None:
    """A file with only a new one-off day adds it and keeps that year's Christmas."""
    cal = WorkingDayCalendar.england_and_wales()
    updated = cal.with_govuk_bank_holidays({"events": [{"title": "One-off", "date": "2031-06-02"}]})
    assert not updated.is_working_day(date(2031, 6, 2))
    assert updated.holiday_name(date(2031, 12, 25)) == "Christmas Day"
    assert updated.holiday_name(date(2031, 8, 25)) == cal.holiday_name(date(2031, 8, 25))
    assert "with_closures" in _raises(
        CalendarDataError,
        lambda: WorkingDayCalendar.from_govuk_json(
            {"events": [{"title": "One-off", "date": "2031-06-02"}]}
        ),
    )


# --------------------------------------------------------------------- pinning


def test_a_history_pins_every_policy_with_a_digest() -> None:
    """Version 2 records each policy's TOML and sha256, built-ins included, and replays under it."""
    variant = Policy.builtin("cafcass-web").evolve(id="web-15")
    c = Complaint.open(complaint_id="C", complainant="adult", received_at=AT, policy=variant)
    c = c.change_policy(Policy.builtin("cafcass-2012"), AT)
    doc = json.loads(c.to_json())
    assert doc["schema_version"] == 2
    assert set(doc["policies"]) == {"web-15", "cafcass-2012"}
    import hashlib

    for entry in doc["policies"].values():
        assert hashlib.sha256(entry["toml"].encode()).hexdigest() == entry["sha256"]
    assert Complaint.from_json(c.to_json()) == c


def test_a_changed_builtin_is_refused_by_default_and_retimed_on_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the shipped built-in differs from the pinned one, reading refuses unless retime=True."""
    from complaint_workflow import policy as policy_module

    c = Complaint.open(complaint_id="C", complainant="adult", received_at=AT, policy="cafcass-web")
    text = c.to_json()
    shipped = Policy.builtin("cafcass-web")
    edited = shipped.evolve(targets={"investigation": hostile.WorkingDays(25)})
    monkeypatch.setattr(
        policy_module, "_builtin", lambda pid: edited if pid == "cafcass-web" else shipped
    )
    assert "retime=True" in _raises(PinnedPolicyError, lambda: Complaint.from_json(text))
    retimed = Complaint.from_json(text, retime=True)
    assert retimed.policy == edited
    assert read_history(text, retime=True).retimed == ("cafcass-web",)
    monkeypatch.undo()
    assert Complaint.from_json(text).policy == shipped


def test_version_1_histories_still_read() -> None:
    """A version-1 document (built-ins by id, custom policies as TOML text) reads as before."""
    doc = json.loads(BASE_JSON)
    doc["schema_version"] = 1
    doc["policies"] = {pid: entry["toml"] for pid, entry in doc["policies"].items()}
    assert Complaint.from_json(json.dumps(doc)) == BASE


def test_event_ids_round_trip_and_are_omitted_when_absent() -> None:
    """An event_id is written and read back; an event without one writes no event_id key."""
    c = Complaint.open(complaint_id="C", complainant="adult", received_at=AT)
    c = c.apply(ev.ForwardedToCST(at=datetime(2024, 6, 12, 11, tzinfo=LONDON), event_id="msg-1"))
    doc = json.loads(c.to_json())
    assert "event_id" not in doc["events"][0]
    assert doc["events"][1]["event_id"] == "msg-1"
    assert Complaint.from_json(c.to_json()).history[1].event_id == "msg-1"


def test_check_dates_names_the_calendar_span() -> None:
    """check_dates says when a hearing, a delay's date or an event's time lies outside the span."""
    cal = WorkingDayCalendar.england_and_wales()
    assert ev.check_dates(ev.HearingListed(at=AT, hearing=date(2024, 7, 1)), cal) is None
    reason = ev.check_dates(ev.HearingListed(at=AT, hearing=date(2150, 1, 1)), cal)
    assert reason is not None
    assert "2000-2060" in reason
    assert ev.check_dates(ev.DelayUpdateSent(at=AT, new_expected=date(2199, 1, 1)), cal)
    assert ev.check_dates(ev.ForwardedToCST(at=datetime(2150, 1, 1, tzinfo=UTC)), cal)


def test_a_hearing_beyond_the_calendar_is_rejected_on_apply() -> None:
    """A hearing beyond the calendar's span is EventRejected, so obligations() keeps working."""
    c = Complaint.open(complaint_id="C", complainant="adult", received_at=AT)
    with pytest.raises(EventRejected, match="span"):
        c.apply(ev.HearingListed(at=AT, hearing=date(2150, 1, 1)))
