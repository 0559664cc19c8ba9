"""``import complaint_workflow`` stays light and still offers every public name."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("numpy", "pandas", "matplotlib", "sqlalchemy", "psycopg", "psycopg2", "fastapi")

_CHILD = """
import json, sys
import complaint_workflow
after_import = sorted(sys.modules)
from complaint_workflow import *
import complaint_workflow.deadlines
print(json.dumps({"import": after_import, "all": sorted(sys.modules),
                  "deadlines": type(complaint_workflow.deadlines).__name__}))
"""


def _child(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _roots(modules: object) -> set[str]:
    assert isinstance(modules, list)
    return {str(m).split(".")[0] for m in modules}


def test_import_loads_no_heavy_module() -> None:
    """Neither importing the package nor every public name loads numpy, pandas or a driver."""
    seen = _child(_CHILD)
    assert not _roots(seen["import"]) & set(HEAVY)
    assert not _roots(seen["all"]) & set(HEAVY)
    assert not {"complaint_workflow.store", "complaint_workflow.service"} & set(
        map(str, seen["all"])  # type: ignore[call-overload]
    )


def test_import_defers_the_machinery() -> None:
    """The bare import loads only the errors; the machines come with the first public name."""
    seen = _child(_CHILD)
    ours = {str(m) for m in seen["import"] if str(m).startswith("complaint_workflow")}  # type: ignore[attr-defined]
    assert ours == {"complaint_workflow", "complaint_workflow.errors"}
    assert "transitions" in _roots(seen["all"])


def test_a_submodule_never_hides_its_public_name() -> None:
    """``complaint_workflow.deadlines`` stays the function after its submodule is imported."""
    assert _child(_CHILD)["deadlines"] == "function"


def test_every_public_name_is_there() -> None:
    """Each name in ``__all__`` resolves, and an unknown one is an AttributeError."""
    import complaint_workflow

    for name in complaint_workflow.__all__:
        assert getattr(complaint_workflow, name) is not None
    assert set(complaint_workflow.__all__) <= set(dir(complaint_workflow))
    with pytest.raises(AttributeError, match="no_such_name"):
        complaint_workflow.no_such_name  # noqa: B018


def test_the_check_catches_a_seeded_heavy_import() -> None:
    """A package root that imported numpy would fail the check above."""
    seen = _child("import json, sys, numpy\nimport complaint_workflow\n" + _CHILD.split("\n", 3)[3])
    assert _roots(seen["import"]) & set(HEAVY)
