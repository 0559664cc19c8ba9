"""Run ``complaint-workflow serve`` as a real process on a free loopback port, for tests.

Use it as ``with running_server(tmp_path / "cw.db") as server: ...``, then send requests to
``server.base`` with the header ``Authorization: Bearer {server.token}``.

The project's own end-to-end, browser and load tests use it; so can a service's.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs

__all__ = ["Server", "command", "free_port", "running_server"]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def command() -> list[str]:
    """The installed ``complaint-workflow`` script beside this Python, else ``python -m``."""
    script = Path(sys.executable).with_name("complaint-workflow")
    if script.exists():
        return [str(script)]
    found = shutil.which("complaint-workflow")
    if found:
        return [found]
    return [sys.executable, "-m", "complaint_workflow.cli"]


@attrs.frozen
class Server:
    """A running server: its base URL, its token, the login URL it printed, its process."""

    base: str
    token: str
    login_url: str
    process: subprocess.Popen[str]


@contextmanager
def running_server(db: Path, *, token: str | None = None, timeout: float = 60) -> Iterator[Server]:
    """Run the server on a free port until the block ends; with ``token`` set in the
    environment, or without it (then the token is read from the printed login URL)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "COMPLAINT_WORKFLOW_TOKEN"}
    if token is not None:
        env["COMPLAINT_WORKFLOW_TOKEN"] = token
    log = db.with_suffix(".log").open("w")
    process = subprocess.Popen(
        [
            *command(),
            "serve",
            "--db",
            f"sqlite:///{db}",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        printed = ""
        deadline = time.monotonic() + timeout
        while "serving on" not in printed or (token is None and "token=" not in printed):
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"the server stopped: {db.with_suffix('.log').read_text()}")
            printed += line
            if time.monotonic() > deadline:
                raise TimeoutError("the server printed no login URL")
        urls = re.findall(r"http://\S+", printed)
        assert urls, printed
        url = urls[-1]
        secret = token if token is not None else url.split("token=", 1)[1]
        base = f"http://127.0.0.1:{port}"
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise TimeoutError("the server did not answer /api/health")
            time.sleep(0.1)
        yield Server(base=base, token=secret, login_url=url, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
