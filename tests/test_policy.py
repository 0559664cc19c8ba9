"""Policies as data: the built-ins, the TOML loader and its errors, evolve and diff."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from complaint_workflow import (
    CalendarDays,
    ComplaintWorkflowError,
    Months,
    Policy,
    PolicyError,
    Target,
    Weeks,
    WorkingDayCalendar,
    WorkingDays,
)
from complaint_workflow.policy import TARGET_IDS

from .strategies import policies

CAL = WorkingDayCalendar.england_and_wales()
WRITTEN = Policy.builtin("cafcass-2012")
WEB = Policy.builtin("cafcass-web")


def test_builtins_use_the_pinned_target_ids() -> None:
    """Every target id is one of the pinned ids, and together they cover all of them."""
    ids = {t.id for t in WRITTEN.targets} | {t.id for t in WEB.targets}
    assert ids == set(TARGET_IDS)


def test_written_procedure_timescales() -> None:
    """cafcass-2012: 1 WD to the CST, a hard 15 WD response, the hearing rules, six months."""
    assert WRITTEN.target("forward-to-cst").duration == WorkingDays(1)
    response = WRITTEN.target("response")
    assert (response.duration, response.strength, response.clause) == (
        WorkingDays(15),
        "hard",
        "§4.10",
    )
    assert WRITTEN.target("response-before-hearing").strength == "target"
    assert WRITTEN.target("response-before-hearing").anchor == "hearing"
    assert WRITTEN.target("court-notification").strength == "hard"
    assert WRITTEN.target("outside-response").strength == "target"
    assert WRITTEN.target("six-month-limit").duration == Months(6)
    assert WRITTEN.get("contact") is None


def test_web_is_the_written_procedure_evolved() -> None:
    """cafcass-web drops the 15 WD response, adds contact and the triage routes, keeps the rest."""
    assert WEB.get("response") is None
    assert WEB.target("contact").duration == WorkingDays(2)
    assert WEB.target("contact").strength == "hard"
    assert WEB.target("early-resolution").strength == "target"
    assert WEB.target("investigation").duration == WorkingDays(20)
    for kept in (
        "forward-to-cst",
        "response-before-hearing",
        "court-notification",
        "outside-response",
        "six-month-limit",
    ):
        assert WEB.target(kept) == WRITTEN.target(kept)
    assert WEB.parameters == WRITTEN.parameters


def test_one_week_is_seven_calendar_days_from_deemed_receipt() -> None:
    """Early resolution is due 7 calendar days after day 0, even on a non-working day."""
    day0 = date(2024, 6, 12)
    due = WEB.target("early-resolution").due(day0, CAL, WEB.parameters)
    assert due == date(2024, 6, 19)
    friday = WEB.target("early-resolution").due(date(2024, 6, 14), CAL, WEB.parameters)
    assert friday == date(2024, 6, 21)
    working = WEB.evolve(parameters={"week_length": "working"})
    assert working.target("early-resolution").due(day0, CAL, working.parameters) == date(
        2024, 6, 19
    )
    assert working.target("early-resolution").due(
        date(2024, 3, 26), CAL, working.parameters
    ) == date(2024, 4, 4)


def test_hearing_targets_count_back_in_working_days() -> None:
    """Five working days before, and the last working day before, a hearing after Easter."""
    hearing = date(2024, 4, 3)
    assert WRITTEN.target("response-before-hearing").due(hearing, CAL, WRITTEN.parameters) == (
        date(2024, 3, 25)
    )
    assert WRITTEN.target("court-notification").due(hearing, CAL, WRITTEN.parameters) == date(
        2024, 4, 2
    )


def test_six_months_does_not_roll() -> None:
    """31 August plus six months is the end of February."""
    limit = WRITTEN.target("six-month-limit")
    assert limit.due(date(2023, 8, 31), CAL, WRITTEN.parameters) == date(2024, 2, 29)
    assert limit.due(date(2022, 8, 31), CAL, WRITTEN.parameters) == date(2023, 2, 28)


def test_load_by_id_or_path(tmp_path: Path) -> None:
    """``Policy.load`` takes a built-in id or a file; unknown ids say what exists."""
    path = tmp_path / "mine.toml"
    path.write_text(WEB.evolve(id="mine").to_toml())
    assert Policy.load(path).id == "mine"
    assert Policy.load(str(path)).id == "mine"
    with pytest.raises(PolicyError, match="cafcass-2012, cafcass-web"):
        Policy.load("cafcass-2099")


def test_a_file_can_extend_a_builtin(tmp_path: Path) -> None:
    """A variant file names its parent and changes one duration; the rest is inherited."""
    path = tmp_path / "web15.toml"
    path.write_text(
        'id = "web-15"\nextends = "cafcass-web"\n\n[[targets]]\nid = "investigation"\n'
        "working_days = 15\n"
    )
    variant = Policy.from_toml(path)
    assert variant.target("investigation").duration == WorkingDays(15)
    assert variant.target("investigation").strength == "target"
    assert [str(c) for c in WEB.diff(variant)] == [
        "id: cafcass-web -> web-15",
        "title: Cafcass web page: what to expect if you raise a complaint -> (none)",
        "source: cafcass.gov.uk complaints page (2 working days, one week, 20 working days)"
        " -> (none)",
        "targets.investigation.duration: 20 working days -> 15 working days",
    ]


def test_a_file_can_extend_another_file(tmp_path: Path) -> None:
    """``extends`` also takes a path relative to the file."""
    (tmp_path / "base.toml").write_text(WRITTEN.evolve(id="base").to_toml())
    (tmp_path / "child.toml").write_text(
        'id = "child"\nextends = "base.toml"\n[parameters]\ncutoff = "17:00"\n'
    )
    child = Policy.from_toml(tmp_path / "child.toml")
    assert child.parameters.cutoff == time(17, 0)
    assert child.targets == WRITTEN.targets


def test_evolve_and_diff() -> None:
    """``evolve`` changes durations, adds, drops and re-parameterises; ``diff`` lists it all."""
    variant = WEB.evolve(
        id="variant",
        targets={
            "investigation": WorkingDays(15),
            "contact": None,
            "extra": Target(id="extra", duration=CalendarDays(3), strength="target"),
        },
        parameters={"week_length": "working", "at_risk_working_days": 2},
    )
    paths = [c.path for c in WEB.diff(variant)]
    assert paths == [
        "id",
        "parameters.week_length",
        "parameters.at_risk_working_days",
        "targets.contact",
        "targets.investigation.duration",
        "targets.extra",
    ]
    assert WEB.diff(WEB) == ()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"targets": {"nope": WorkingDays(3)}}, "targets\\['nope'\\]"),
        ({"targets": {"nope": None}}, "existing target id"),
        ({"targets": {"contact": 3}}, "a Target, a duration or None"),
        ({"parameters": {"colour": "red"}}, "parameters.colour"),
        ({"parameters": {"week_length": "fortnight"}}, "week_length"),
        ({"id": "Bad Id"}, "lowercase"),
    ],
)
def test_evolve_validates(changes: dict[str, object], message: str) -> None:
    """A bad ``evolve`` raises PolicyError naming the key."""
    with pytest.raises(PolicyError, match=message):
        WEB.evolve(**changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [0, -1, True, 1.5])
def test_durations_must_be_positive_whole_numbers(n: object) -> None:
    """Zero, negative, boolean or fractional durations are PolicyErrors."""
    for kind in (WorkingDays, CalendarDays, Weeks, Months):
        with pytest.raises(PolicyError, match="whole number"):
            kind(n)  # type: ignore[arg-type]


# ------------------------------------------------------------------ bad files


GOOD = 'id = "p"\n\n[[targets]]\nid = "t"\nworking_days = 3\n'


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('id = "p"\ncolour = "red"\n', "colour", "unknown key"),
        (GOOD + 'colour = "red"\n', "targets\\[0\\] \\(t\\).colour", "unknown key"),
        ("id = 3\n", "id", "a string"),
        ('id = "p"\n[[targets]]\nid = "t"\nworking_days = "3"\n', "working_days", "whole number"),
        ('id = "p"\n[[targets]]\nid = "t"\nworking_days = 0\n', "working_days", "whole number"),
        ('id = "p"\n[[targets]]\nid = "t"\nworking_days = -5\n', "working_days", "whole number"),
        (GOOD + 'anchor = "lunch"\n', "anchor", "one of receipt, contact"),
        (GOOD + 'strength = "firm"\n', "strength", "one of hard, target"),
        (GOOD + 'routes = ["somewhere"]\n', "routes", "a list drawn from"),
        (GOOD + "calendar_days = 3\n", "calendar_days", "give only one of"),
        (GOOD + '\n[[targets]]\nid = "t"\nworking_days = 4\n', "targets\\[1\\].id", "unique"),
        ('id = "p"\n[[targets]]\nworking_days = 4\n', "targets\\[0\\].id", "present"),
        ('id = "p"\n[[targets]]\nid = "t"\n', "targets\\[0\\] \\(t\\)", "a duration"),
        (
            'id = "p"\n[parameters]\nweek_length = "fortnight"\n',
            "parameters.week_length",
            "one of calendar, working",
        ),
        ('id = "p"\n[parameters]\ncutoff = "teatime"\n', "parameters.cutoff", "a time"),
        ('id = "p"\n[parameters]\nspeed = 1\n', "parameters.speed", "unknown key"),
        ('id = "p"\ntargets = 3\n', "targets", "array of tables"),
        ('id = "p"\nextends = "cafcass-1999"\n', "extends", "cafcass-2012"),
        ('id = "p"\ndrop = ["response"]\n', "drop", "only with extends"),
        ('id = "p"\nextends = "cafcass-2012"\ndrop = ["nope"]\n', "drop", "a list drawn from"),
        ("this is not toml", "not valid TOML", ""),
    ],
)
def test_bad_files_name_the_file_the_key_and_what_was_expected(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    """Each kind of bad policy file raises PolicyError naming the file, the key, the expectation."""
    path = tmp_path / "bad-policy.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=f"bad-policy.toml.*{key}.*{expected}"):
        Policy.from_toml(path)


def test_a_missing_file_is_a_policy_error(tmp_path: Path) -> None:
    """A path that does not exist is a PolicyError, not an OSError."""
    with pytest.raises(PolicyError, match="cannot read"):
        Policy.from_toml(tmp_path / "absent.toml")


def test_binary_is_not_a_policy() -> None:
    """Bytes that are not UTF-8 are refused with a PolicyError."""
    with pytest.raises(PolicyError, match="UTF-8"):
        Policy.from_toml_text(b"\xff\xfe\x00id", name="blob.toml")


VALID_TEXTS = [WRITTEN.to_toml(), WEB.to_toml(), GOOD]

_toml_scalars = st.one_of(
    st.integers(-5, 100),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["receipt", "hearing", "hard", "target", "17:00", "calendar", "procedure"]),
)
_toml_values = st.recursive(
    _toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def mangled_texts(draw: st.DrawFn) -> bytes:
    """A valid policy file with lines deleted, duplicated, cut or overwritten with noise."""
    lines = draw(st.sampled_from(VALID_TEXTS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "cut", "noise", "swap-value"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif action == "noise":
            lines[i] = draw(st.text(max_size=20)) + "\n"
        elif "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = f"{key}= {draw(_toml_literal)}\n"
    return "".join(lines).encode("utf-8", "surrogatepass")


_toml_literal = st.sampled_from(
    [
        '"x"',
        "0",
        "-3",
        "3.5",
        "true",
        "[]",
        '["receipt"]',
        "{}",
        '"17:00"',
        "17:00:00",
        "1979-05-27",
        '"cafcass-2012"',
        '"base.toml"',
    ]
)


def _documents(draw: st.DrawFn) -> dict[str, object]:
    return draw(
        st.dictionaries(
            st.sampled_from(
                ["id", "title", "source", "extends", "drop", "parameters", "targets", "other"]
            ),
            _toml_values,
            max_size=6,
        )
    )


@given(st.one_of(mangled_texts(), st.binary(max_size=200)))
@example(b'id = "p"\nextends = "cafcass-2012"\ndrop = 3\n')
@example(b'id = "p"\n[[targets]]\nid = "t"\nworking_days = 99999999999\n')
@example(b'id = "p"\n[parameters]\ncutoff = 17:00:00+01:00\n')
def test_fuzzed_files_raise_only_policy_errors(raw: bytes) -> None:
    """Whatever the bytes, the loader returns a Policy or raises PolicyError, nothing else."""
    assert_loads_or_names_the_file(raw, "fuzz.toml")


@given(st.data())
def test_fuzzed_documents_raise_only_policy_errors(data: st.DataObject) -> None:
    """Structurally random TOML documents are accepted or refused with a PolicyError."""
    document = _documents(data.draw)
    text = _dump(document)
    if text is None:
        return
    assert_loads_or_names_the_file(text.encode(), "doc.toml")


def assert_loads_or_names_the_file(raw: bytes, name: str) -> None:
    """Loading gives a Policy, or a PolicyError whose message names the file."""
    outcome: Policy | PolicyError
    try:
        outcome = Policy.from_toml_text(raw, name=name)
    except PolicyError as exc:
        outcome = exc
    if isinstance(outcome, PolicyError):
        assert str(outcome).startswith(f"{name}: ")
    else:
        assert isinstance(outcome, Policy)


def _dump(document: dict[str, object]) -> str | None:
    lines = []
    for key, value in document.items():
        try:
            lines.append(f"{key} = {_inline(value)}")
        except TypeError:
            return None
    return "\n".join(lines) + "\n"


def _inline(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_inline(v)}' for k, v in value.items()) + "}"
    raise TypeError


@given(policies())
def test_to_toml_round_trips(policy: Policy) -> None:
    """Any valid policy written as TOML reads back equal."""
    assert Policy.from_toml_text(policy.to_toml()) == policy
    assert policy.diff(Policy.from_toml_text(policy.to_toml())) == ()


def test_policy_error_is_a_library_error() -> None:
    """PolicyError is caught by the library root and by ValueError."""
    assert issubclass(PolicyError, ComplaintWorkflowError)
    assert issubclass(PolicyError, ValueError)
