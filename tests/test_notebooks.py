"""The notebooks in ``examples/notebooks/``: percent-format ``.py`` sources, paired ``.ipynb``
committed without outputs, and executed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "notebooks"
KERNEL = "python3"
PROBE = "import json, sys\nprint(json.dumps([sys.executable, sys.prefix]))"


def _source(name: str) -> nbformat.NotebookNode:
    """The notebook as its percent-format ``.py`` source reads."""
    return jupytext.read(FOLDER / f"{name}.py", fmt="py:percent")


NAMES = sorted(p.stem for p in FOLDER.glob("*.py"))


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)


@pytest.fixture
def quiet_jupyter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder for the kernel's connection file and IPython's history, not ``~``."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    work = tmp_path / "work"
    work.mkdir()
    return work


def test_every_notebook_has_its_source() -> None:
    """Each ``.ipynb`` in the folder has its ``.py`` source beside it, and each source its
    ``.ipynb``; there are notebooks to check."""
    assert sorted(p.stem for p in FOLDER.glob("*.ipynb")) == NAMES
    assert len(NAMES) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_ipynb_is_paired_with_its_source(name: str) -> None:
    """The committed ``.ipynb`` holds exactly the cells of its ``.py`` source (kind and text),
    so the two cannot drift: ``jupytext --sync examples/notebooks/*.py`` refreshes it."""
    source = [(c.cell_type, c.source) for c in _source(name).cells]
    committed = [(c.cell_type, c.source) for c in _read(name).cells]
    assert committed == source, f"{name}.ipynb is stale: run jupytext --sync on {name}.py"


def test_pairing_check_catches_an_edit(tmp_path: Path) -> None:
    """Seeded drift: a source whose cell was edited no longer matches the committed notebook."""
    name = NAMES[0]
    text = (FOLDER / f"{name}.py").read_text("utf-8")
    edited = text.replace("# %%\n", "# %%\nx_edited = 1\n", 1)
    assert edited != text
    changed = jupytext.reads(edited, fmt="py:percent")
    assert [c.source for c in changed.cells] != [c.source for c in _read(name).cells]


def test_sources_type_check() -> None:
    """``mypy --strict`` (pandas and matplotlib as Any, see ``mypy.ini``) passes on the sources."""
    pytest.importorskip("mypy", reason="mypy comes with the dev extra")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(FOLDER / "mypy.ini"),
            *(str(FOLDER / f"{n}.py") for n in NAMES),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_stripped(name: str) -> None:
    """No outputs, no execution counts, no cell metadata but jupytext's, the ``python3`` kernel."""
    raw = json.loads((FOLDER / f"{name}.ipynb").read_text("utf-8"))
    nb = _read(name)
    nbformat.validate(nb)
    assert raw["metadata"]["kernelspec"]["name"] == KERNEL
    assert set(raw["metadata"]) <= {"kernelspec", "language_info", "jupytext"}
    for cell in raw["cells"]:
        assert set(cell["metadata"]) <= {"lines_to_next_cell"}  # jupytext's layout hint
        if cell["cell_type"] == "code":
            assert cell["outputs"] == []
            assert cell["execution_count"] is None


@pytest.mark.parametrize("name", NAMES)
def test_notebook_reads_no_wall_clock(name: str) -> None:
    """No code cell asks for the current date or time; the notebooks are seeded and dated."""
    clock = re.compile(r"\b(now|today|utcnow)\(|time\.time\(|perf_counter\(")
    for cell in _read(name).cells:
        if cell.cell_type == "code":
            assert not clock.search(cell.source), cell.source


def test_python3_kernelspec_is_found() -> None:
    """jupyter_client finds a ``python3`` kernel (ipykernel's own, which runs this interpreter)."""
    specs = KernelSpecManager().find_kernel_specs()
    assert KERNEL in specs, f"no {KERNEL!r} kernel; install ipykernel (the notebooks extra)"
    argv = KernelSpecManager().get_kernel_spec(KERNEL).argv
    assert argv[0] in {"python", "python3", sys.executable}, argv


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name: str, quiet_jupyter: Path) -> None:
    """The notebook executes without an error, shows its figures, in this very interpreter."""
    nb = _read(name)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE, id="interpreter-probe"))
    client = NotebookClient(
        nb, timeout=300, kernel_name=KERNEL, resources={"metadata": {"path": str(quiet_jupyter)}}
    )
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure was displayed"
    probe = nb.cells[-1].outputs
    assert [o.output_type for o in probe] == ["stream"]
    executable, prefix = json.loads(probe[0].text)
    assert (executable, prefix) == (sys.executable, sys.prefix)
