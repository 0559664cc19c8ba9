"""``complaint-workflow serve``: its errors are one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from complaint_workflow.cli import main


def _one_line(err: str) -> None:
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert err.startswith("complaint-workflow: error: ")


def test_serve_needs_a_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --db or COMPLAINT_WORKFLOW_DB, serve exits 2 naming what is needed."""
    monkeypatch.delenv("COMPLAINT_WORKFLOW_DB", raising=False)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    _one_line(err)
    assert "--db" in err


def test_serve_refuses_a_bad_port(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A port outside 0-65535 exits 2."""
    assert main(["serve", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--port", "70000"]) == 2
    _one_line(capsys.readouterr().err)


def test_serve_on_a_port_in_use(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A port already taken exits 2 with one line, before anything is opened."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    _one_line(err)
    assert "cannot serve" in err
    assert not (tmp_path / "x.db").exists()


def test_serve_with_a_bad_database_url(capsys: pytest.CaptureFixture[str]) -> None:
    """A database URL the store cannot open exits non-zero with one line."""
    assert main(["serve", "--db", "nosuchdb://x", "--port", "0"]) != 0
    _one_line(capsys.readouterr().err)
