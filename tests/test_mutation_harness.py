"""``scripts/mutation.py``: which mutants it makes, what it never touches, and how it restores."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cw_mutation", ROOT / "scripts" / "mutation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


harness = _load()

SAMPLE = '''"""A module docstring < never mutated."""

__all__ = ["f"]


def f(a: int, b: int, flag: bool = True) -> int:
    """A docstring with a < b inside."""
    if a < b and flag:
        return a + 1
    if a == 0 or not flag:
        raise ValueError(f"a must not be {a} < {b}", a < b)
    keep = a <= b  # pragma: no mutate
    return max(a, b) - keep
'''


def test_operators_make_the_expected_mutants() -> None:
    """Comparisons, boolean operators, arithmetic, constants, returns, ``not`` and ``max``
    each give a mutant, and every mutant compiles and differs from the original."""
    mutants = harness.find_mutants("sample.py", SAMPLE)
    texts = [m.apply(SAMPLE) for m in mutants]
    for expected in (
        "if a <= b and flag:",
        "if a < b or flag:",
        "return a - 1",
        "return a + 0",
        "if a == 1 or not flag:",
        "return None",
        "if a != 0 or not flag:",
        "if a == 0 and not flag:",
        "if a == 0 or flag:",
        "return min(a, b) - keep",
        "return max(a, b) + keep",
        "flag: bool = False",
    ):
        assert any(expected in t for t in texts), expected
    assert len(set(texts)) == len(texts)
    for text in texts:
        assert text != SAMPLE
        compile(text, "sample.py", "exec")
    assert [m.index for m in mutants] == list(range(len(mutants)))


def test_docstrings_messages_all_and_pragma_lines_are_never_mutated() -> None:
    """Docstrings, ``__all__``, a ``raise`` and its f-string, and a ``# pragma: no mutate``
    line are left exactly as written in every mutant."""
    untouched = (
        '"""A module docstring < never mutated."""',
        '__all__ = ["f"]',
        '    """A docstring with a < b inside."""',
        '        raise ValueError(f"a must not be {a} < {b}", a < b)',
        "    keep = a <= b  # pragma: no mutate",
    )
    for text in (m.apply(SAMPLE) for m in harness.find_mutants("sample.py", SAMPLE)):
        for line in untouched:
            assert line in text.splitlines(), line


def test_the_real_targets_list_deterministically(capsys: pytest.CaptureFixture[str]) -> None:
    """``--list --module durations`` lists the same mutants twice, without running tests."""
    assert harness.main(["--list", "--module", "durations"]) == 0
    first = capsys.readouterr().out
    assert harness.main(["--list", "--module", "durations"]) == 0
    assert capsys.readouterr().out == first
    assert first.startswith("== src/complaint_workflow/durations.py: ")
    count = int(first.split(": ", 1)[1].split()[0])
    assert count == first.count("durations#") > 10


def test_limit_samples_deterministically(capsys: pytest.CaptureFixture[str]) -> None:
    """``--limit 5`` keeps the same five mutants for the same seed."""
    harness.main(["--list", "--module", "durations", "--limit", "5"])
    first = capsys.readouterr().out
    harness.main(["--list", "--module", "durations", "--limit", "5"])
    assert capsys.readouterr().out == first
    assert first.count("durations#") == 5


def test_restore_puts_back_only_our_own_mutant(tmp_path: Path) -> None:
    """The original goes back over our mutant; a file someone else edited meanwhile is left
    as they wrote it and the run stops."""
    path = tmp_path / "m.py"
    original, mutated = "x = 1\n", "x = 2\n"
    path.write_text(mutated)
    harness._restore(path, original, mutated, 1_000_000_000)
    assert path.read_text() == original
    path.write_text("x = 3  # someone's edit\n")
    with pytest.raises(SystemExit, match="edited by someone else"):
        harness._restore(path, original, mutated, 1_000_000_000)
    assert path.read_text() == "x = 3  # someone's edit\n"


def test_unknown_module_is_refused() -> None:
    """Asking for a module the harness does not target stops with a clear message."""
    with pytest.raises(SystemExit, match="unknown module 'nope'"):
        harness.main(["--list", "--module", "nope"])


def test_the_untouched_check_catches_a_harness_that_mutates_raise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seeded bug: a finder that walks into ``raise`` statements mutates the message line,
    which the test above would report."""
    monkeypatch.setattr(harness.MutantFinder, "visit_Raise", harness.MutantFinder.generic_visit)
    line = '        raise ValueError(f"a must not be {a} < {b}", a < b)'
    texts = [m.apply(SAMPLE) for m in harness.find_mutants("sample.py", SAMPLE)]
    assert any(line not in t.splitlines() for t in texts)


def test_only_selects_the_named_mutants(capsys: pytest.CaptureFixture[str]) -> None:
    """``--only`` lists exactly the mutants named, and an unknown id is a usage error."""
    assert harness.main(["--module", "rules", "--only", "rules#21,rules#6", "--list"]) == 0
    out = capsys.readouterr().out
    assert "rules#21 " in out
    assert "rules#6 " in out
    assert out.count("rules#") == 2
    with pytest.raises(SystemExit) as usage:
        harness.main(["--module", "rules", "--only", "rules#99999", "--list"])
    assert usage.value.code == 2
