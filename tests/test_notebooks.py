"""The notebooks in ``examples/notebooks/``: built by their script, committed stripped, and run."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "notebooks"
KERNEL = "python3"
PROBE = "import json, sys\nprint(json.dumps([sys.executable, sys.prefix]))"


def _load_builder() -> ModuleType:
    path = FOLDER / "build_notebooks.py"
    spec = importlib.util.spec_from_file_location("examples_build_notebooks", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


builder = _load_builder()
NAMES = sorted(builder.NOTEBOOKS)


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


def test_every_notebook_is_built_by_the_script() -> None:
    """Each ``.ipynb`` in the folder is one the builder makes, and each one it makes is there."""
    assert sorted(p.stem for p in FOLDER.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_builder_renders_the_committed_notebook(name: str) -> None:
    """``build_notebooks.py`` renders exactly the committed file, so the two cannot drift."""
    committed = (FOLDER / f"{name}.ipynb").read_bytes().decode("utf-8")
    assert builder.render(name) == committed, f"{name}.ipynb is stale: run build_notebooks.py"


def test_builder_check_and_write(tmp_path: Path) -> None:
    """``--check`` passes on the committed files, fails on an edited copy; ``--out`` copies."""
    assert builder.main(["--check"]) == 0
    assert builder.main(["--out", str(tmp_path)]) == 0
    for name in NAMES:
        assert (tmp_path / f"{name}.ipynb").read_bytes() == (FOLDER / f"{name}.ipynb").read_bytes()
    assert builder.main(["--check", "--out", str(tmp_path)]) == 0
    edited = tmp_path / f"{NAMES[0]}.ipynb"
    edited.write_bytes(edited.read_bytes().replace(b'"outputs": []', b'"outputs": [{}]', 1))
    assert builder.main(["--check", "--out", str(tmp_path)]) == 1


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_stripped(name: str) -> None:
    """No outputs, no execution counts, no cell metadata, and the ipykernel ``python3`` kernel."""
    raw = json.loads((FOLDER / f"{name}.ipynb").read_text("utf-8"))
    nb = _read(name)
    nbformat.validate(nb)
    assert raw["metadata"]["kernelspec"]["name"] == KERNEL
    assert set(raw["metadata"]) == {"kernelspec", "language_info"}
    for cell in raw["cells"]:
        assert cell["metadata"] == {}
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
