"""The ``complaint-workflow`` command: output, and one clear line for every error."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from complaint_workflow.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out = io.StringIO()
    err = io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        status = main(list(argv), out=out)
    finally:
        sys.stderr = old
    return status, out.getvalue(), err.getvalue()


def test_policy_show_lists_every_target() -> None:
    """``policy show`` prints each target with its timescale, strength and clause."""
    status, out, _ = run("policy", "show", "cafcass-web")
    assert status == 0
    for target_id in ("forward-to-cst", "contact", "early-resolution", "investigation"):
        assert target_id in out
    assert "1 week (7 calendar days) after receipt" in out
    assert "week_length" in out


def test_policy_diff_lists_the_differences() -> None:
    """``policy diff`` names what the web page changed."""
    status, out, _ = run("policy", "diff", "cafcass-2012", "cafcass-web")
    assert status == 0
    assert "targets.response" in out
    assert "targets.investigation" in out
    status, out, _ = run("policy", "diff", "cafcass-web", "cafcass-web")
    assert "the same" in out


def test_policy_show_reads_a_file(tmp_path: Path) -> None:
    """A .toml path works wherever an id does."""
    path = tmp_path / "p.toml"
    path.write_text('id = "mine"\nextends = "cafcass-2012"\n')
    status, out, _ = run("policy", "show", str(path))
    assert status == 0
    assert out.startswith("mine")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["policy", "show", "cafcass-1999"], "unknown policy"),
        (["policy", "diff", "cafcass-2012"], "required"),
        (["bogus"], "invalid choice"),
        ([], "required"),
        (["policy", "show", "/no/such/file.toml"], "cannot read"),
    ],
)
def test_errors_are_one_line_and_non_zero(argv: list[str], message: str) -> None:
    """Bad input exits 2 with one line on stderr and no traceback."""
    status, _, err = run(*argv)
    assert status == 2
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_demo_runs() -> None:
    """The README's main job runs and shows both policies."""
    status, out, _ = run("demo")
    assert status == 0
    assert "cafcass-2012" in out
    assert "cafcass-web" in out


def test_console_script_is_installed() -> None:
    """``python -m complaint_workflow.cli`` and the console script agree on errors."""
    proc = subprocess.run(
        [sys.executable, "-m", "complaint_workflow.cli", "policy", "show", "nope"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("complaint-workflow: error:")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (
            b'{"schema": "complaint-workflow/history", "schema_version": 1, "policies": 3}',
            "policies",
        ),
        (
            b'{"schema": "complaint-workflow/history", "schema_version": 1, "policies": {"x": 5}}',
            "policies",
        ),
        (
            b'{"schema": "complaint-workflow/history", "schema_version": 1, "events": []}',
            "starts with complaint-opened",
        ),
        (b'{"schema": "complaint-workflow/history", "schema_version": 3}', "schema_version"),
        (b"not json", "not valid JSON"),
    ],
)
def test_replay_bad_files_are_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    """A history that cannot be read is one clear line and exit 2, never a traceback."""
    path = tmp_path / "history.json"
    path.write_bytes(content)
    status, _, err = run("replay", str(path))
    assert status == 2
    assert err.count("\n") == 1
    assert message in err
