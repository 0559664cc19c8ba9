"""The TOML reader: one validation (the attrs validators), cattrs for the shape, one typed error."""

from __future__ import annotations

import pickle
from datetime import time
from pathlib import Path

import attrs
import pytest

from complaint_workflow import (
    ComplaintWorkflowError,
    Policy,
    PolicyError,
    Target,
    WorkingDays,
    durations,
)
from complaint_workflow import policy as policy_module

from .hostile import policy_file_kinds

GOOD = 'id = "p"\n\n[[targets]]\nid = "t"\nworking_days = 3\n'

# The hostile policy files whose fault is a field's value: only an attrs validator refuses them.
FIELD_RULES = {
    "id an int",
    "id upper case",
    "targets a table",
    "parameters a list",
    "week_length bogus",
    "cutoff a number",
    "cutoff bad time",
    "at_risk_working_days -1",
    "at_risk_working_days true",
    "delay_extends 'yes'",
    "delay_extends 1",
    "target working_days 0",
    "target working_days -5",
    "target working_days 2.5",
    "target working_days true",
    "target working_days '5'",
    "target working_days 10**20",
    "target anchor bogus",
    "target anchor an int",
    "target strength bogus",
    "target routes a string",
    "target routes unknown",
    "target triggers unknown",
    "target triggers nested",
    "target owed_by bogus",
    "target clause an int",
    "target months a date",
    "target id bad",
    "target ids repeated",
    "target restarts 1",
    "target kept_when_met 'yes'",
    "target weighed_against numbers",
    "title an int",
    "id with a newline",
    "an inherited target changed badly",
    "an inherited target changed twice",
}


def _outcome(text: str) -> str:
    try:
        Policy.from_toml_text(text)
    except PolicyError:
        return "refused"
    return "accepted"


def test_the_attrs_validators_are_the_only_field_checks() -> None:
    """With the attrs validators off, every bad field value is read; only shape errors remain."""
    kinds = policy_file_kinds()
    assert set(kinds) >= FIELD_RULES
    assert {label for label, text in kinds.items() if _outcome(text) == "accepted"} == set()
    with attrs.validators.disabled():
        accepted = {label for label, text in kinds.items() if _outcome(text) == "accepted"}
    assert accepted == FIELD_RULES  # the rest: unknown keys, no id, not TOML, extends, drop...


def test_the_duration_count_rule_is_the_duration_class_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Raising the durations' own limit is enough for the reader to accept a larger count."""
    text = 'id = "p"\n\n[[targets]]\nid = "t"\nworking_days = 15000\n'
    with pytest.raises(PolicyError, match=r"targets\[0\] \(t\)\.working_days .*1 to 10000"):
        Policy.from_toml_text(text)
    monkeypatch.setattr(durations, "MAX_UNITS", 20_000)
    assert Policy.from_toml_text(text).target("t").duration == WorkingDays(15_000)


def test_the_id_rule_is_the_classes_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loosening the classes' id pattern is enough for the reader to accept an upper-case id."""
    import re

    text = 'id = "Mine"\n\n[[targets]]\nid = "T"\nworking_days = 3\n'
    with pytest.raises(PolicyError, match="id must be a string of lowercase"):
        Policy.from_toml_text(text)
    monkeypatch.setattr(policy_module, "_ID", re.compile(r"[A-Za-z]+"))
    policy = Policy.from_toml_text(text)
    assert (policy.id, policy.targets[0].id) == ("Mine", "T")


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        (GOOD + "restarts = 1\n", "targets[0].restarts", "true or false"),
        (GOOD + "kept_when_met = 0\n", "targets[0].kept_when_met", "true or false"),
        (
            'id = "p"\n[parameters]\ndelay_extends = 1\n',
            "parameters.delay_extends",
            "true or false",
        ),
        (
            'id = "p"\n[parameters]\nat_risk_working_days = true\n',
            "parameters.at_risk_working_days",
            "a whole number 0-60",
        ),
        (GOOD.replace("= 3", "= true"), "targets[0].working_days", "a whole number from 1"),
        (GOOD + "weighed_against = [1]\n", "targets[0].weighed_against", "a list of target ids"),
        (GOOD + "description = false\n", "targets[0].description", "a string"),
        ('id = "p"\ntitle = 5\n', "title", "a string"),
        ('id = "p"\nsource = ["x"]\n', "source", "a string"),
        ('id = "p"\n[parameters]\ncutoff = "5pm"\n', "parameters.cutoff", "a time such as 17:00"),
        ('id = "p"\ntargets = ["t"]\n', "targets[0]", "a table ([[targets]]"),
        (GOOD + "duration = 3\n", "targets[0].duration", "(unknown key)"),
        ('id = "p"\n\n[[targets]]\nid = "t"\n', "targets[0].duration", "given: one of"),
        ('id = "p\\n"\n', "id", "lowercase letters"),
    ],
)
def test_a_wrong_type_or_value_names_its_path(text: str, path: str, expected: str) -> None:
    """Booleans for numbers, numbers for booleans and strings, bad shapes: the path is named."""
    with pytest.raises(PolicyError) as refused:
        Policy.from_toml_text(text, name="mine.toml")
    assert refused.value.field == path
    assert refused.value.expected is not None
    assert expected in refused.value.expected
    assert str(refused.value).startswith("mine.toml: ")
    assert expected in str(refused.value)


def test_a_file_extending_another_is_named_by_its_own_tables() -> None:
    """With extends, an error names the table's index in the file and its id, not the merge's."""
    text = (
        'id = "mine"\nextends = "cafcass-web"\n\n[[targets]]\nid = "contact"\nworking_days = 3\n'
        '\n[[targets]]\nid = "extra"\ncalendar_days = 2\nstrength = "firm"\n'
    )
    with pytest.raises(PolicyError) as refused:
        Policy.from_toml_text(text, name="mine.toml")
    assert refused.value.field == "targets[1].strength"
    assert str(refused.value).startswith("mine.toml: targets[1] (extra).strength must be one of")


def test_an_inherited_target_changed_badly_is_named_by_its_table() -> None:
    """A bad key on an inherited target's table names that table (index and id)."""
    text = (
        'id = "mine"\nextends = "cafcass-web"\n\n[[targets]]\nid = "contact"\nworking_days = 3\n'
        '\n[[targets]]\nid = "investigation"\nanchor = "lunch"\n'
    )
    with pytest.raises(PolicyError, match=r"^mine.toml: targets\[1\] \(investigation\)\.anchor"):
        Policy.from_toml_text(text, name="mine.toml")


def test_an_inherited_id_given_twice_is_refused_at_its_second_table() -> None:
    """Changing one inherited target in two tables is refused, naming the second table."""
    twice = '\n[[targets]]\nid = "contact"\nworking_days = 3\n' * 2
    with pytest.raises(PolicyError) as refused:
        Policy.from_toml_text('id = "mine"\nextends = "cafcass-web"\n' + twice)
    assert refused.value.field == "targets[1].id"
    assert "unique" in str(refused.value)


def test_several_problems_make_one_error_that_counts_the_rest() -> None:
    """A table with a missing id and an unknown key gives one PolicyError naming the first."""
    with pytest.raises(PolicyError) as refused:
        Policy.from_toml_text('id = "p"\n\n[[targets]]\nworking_days = 3\ncolour = "red"\n')
    message = str(refused.value)
    assert message.startswith("<string>: targets[0].id must be present")
    assert message.endswith("(and 1 more)")


def test_direct_construction_meets_the_same_rules() -> None:
    """The rules a file meets hold in Python too: strings must be strings, ids must be ids."""
    with pytest.raises(PolicyError, match="clause must be a string"):
        Target(id="t", duration=WorkingDays(1), clause=3)  # type: ignore[arg-type]
    with pytest.raises(PolicyError, match="title must be a string"):
        Policy(id="p", title=5)  # type: ignore[arg-type]
    with pytest.raises(PolicyError, match="id must be a string of lowercase"):
        Policy(id="p\n")
    with pytest.raises(PolicyError, match=r"targets\[1\]\.id must be unique"):
        Policy(id="p", targets=(Target("t", WorkingDays(1)), Target("t", WorkingDays(2))))


def test_the_error_keeps_its_parts_and_pickles() -> None:
    """A reader's PolicyError carries field, expected and got, and survives pickling."""
    with pytest.raises(PolicyError) as refused:
        Policy.from_toml_text(GOOD + 'anchor = "lunch"\n')
    error = refused.value
    assert (error.field, error.got) == ("targets[0].anchor", "'lunch'")
    assert error.__context__ is None  # tblib (as dask installs it) pickles the context too
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.field, again.expected, again.got) == (
        str(error),
        error.field,
        error.expected,
        error.got,
    )
    assert isinstance(again, ComplaintWorkflowError)
    assert isinstance(again, ValueError)


def test_a_string_cutoff_reads_as_a_time_and_an_empty_one_as_none(tmp_path: Path) -> None:
    """``cutoff = "17:00"`` and a TOML time read the same; ``""`` clears an inherited cutoff."""
    base = Policy.from_toml_text('id = "b"\n[parameters]\ncutoff = "17:00"\n')
    assert base.parameters.cutoff == time(17, 0)
    assert Policy.from_toml_text('id = "b"\n[parameters]\ncutoff = 17:00:00\n') == base
    (tmp_path / "base.toml").write_text(base.to_toml())
    (tmp_path / "child.toml").write_text(
        'id = "c"\nextends = "base.toml"\n[parameters]\ncutoff = ""\n'
    )
    assert Policy.from_toml(tmp_path / "child.toml").parameters.cutoff is None


def test_the_builtins_write_the_same_toml_they_read() -> None:
    """Each built-in written by to_toml reads back equal, and the web policy still extends."""
    for policy_id in Policy.builtin_ids():
        policy = Policy.builtin(policy_id)
        assert Policy.from_toml_text(policy.to_toml()) == policy
    web, written = Policy.builtin("cafcass-web"), Policy.builtin("cafcass-2012")
    assert web.target("forward-to-cst") == written.target("forward-to-cst")
