"""Docs are part of the work: generated sections current, examples executed, names documented."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import complaint_workflow
from complaint_workflow.docgen import replace_sections

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MODULES = sorted(
    m.name for m in pkgutil.walk_packages(complaint_workflow.__path__, "complaint_workflow.")
)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_generated_sections_are_current(page: Path) -> None:
    """Every generated table and diagram equals what the library renders now."""
    text = page.read_text("utf-8")
    assert replace_sections(text) == text, (
        f"{page.name} is stale: run python scripts/generate_docs.py"
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_markdown_examples_run(page: Path) -> None:
    """Every >>> example in README.md and docs/ runs and prints what the page says."""
    result = doctest.testfile(
        str(page), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests_run(name: str) -> None:
    """Every >>> example in a docstring runs."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0


def test_every_public_name_is_documented() -> None:
    """Each name in ``__all__``, and each public method of an exported class, has a docstring."""
    missing = []
    for name in complaint_workflow.__all__:
        obj = getattr(complaint_workflow, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            if not inspect.getdoc(obj):
                missing.append(name)
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not callable(member):
                        continue
                    if not inspect.getdoc(member):
                        missing.append(f"{name}.{attr}")
    assert missing == []


def test_all_is_sorted_and_complete() -> None:
    """``__all__`` is alphabetised and every entry exists."""
    names = complaint_workflow.__all__
    assert list(names) == sorted(names, key=lambda n: (not n.isupper(), n))
    assert all(hasattr(complaint_workflow, n) for n in names)


def test_import_stays_light() -> None:
    """Importing the library pulls in no numpy, pandas, matplotlib or database driver."""
    heavy = [
        "numpy",
        "pandas",
        "matplotlib",
        "sqlite3",
        "psycopg",
        "psycopg2",
        "sqlalchemy",
        "cattrs",
    ]
    code = f"import sys, complaint_workflow; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_readme_opens_with_two_commands() -> None:
    """The README's first shell block holds exactly the main job and the test command."""
    text = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```(?:sh|bash|shell|console)?\n(.*?)```", text, re.S)
    assert block is not None
    lines = [ln for ln in block.group(1).splitlines() if ln.strip()]
    assert len(lines) == 2
    assert lines[0].endswith("complaint-workflow demo")
    assert "pytest" in lines[1]
