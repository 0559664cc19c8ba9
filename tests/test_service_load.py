"""Load on loopback: concurrent clients appending over HTTP lose no update and see no 5xx.

``CW_LOAD_SECONDS`` sets how long the clients run (default 20, as in CI).
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import uvicorn

from complaint_workflow.service import create_app
from complaint_workflow.service.testing import free_port
from complaint_workflow.store import ComplaintStore

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "service_load.py"
SECONDS = float(os.environ.get("CW_LOAD_SECONDS", "20"))


def test_eight_clients_fifty_complaints_lose_nothing() -> None:
    """8 clients appending to 50 complaints through the real server: 0 lost, 0 5xx."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--seconds", str(SECONDS), "--json"],
        capture_output=True,
        text=True,
        timeout=SECONDS + 300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["clients"] == 8
    assert figures["complaints"] == 50
    assert figures["appends"] > 0
    assert figures["lost"] == 0
    assert figures["duplicated"] == 0
    assert figures["server_errors"] == 0
    assert figures["other"] == 0
    assert "PASS  no lost update" in done.stdout


def _load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("service_load", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _DroppingStore:
    """A seeded bug: now and then an append answers success but writes nothing."""

    def __init__(self, store: ComplaintStore) -> None:
        self._store = store
        self._rng = random.Random(7)

    def append(self, complaint_id: str, event: Any, *, expected_version: int) -> Any:
        if self._rng.random() < 0.2:
            return self._store.get(complaint_id).apply(event)
        return self._store.append(complaint_id, event, expected_version=expected_version)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@contextmanager
def _serving(app: Any) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def test_a_store_that_drops_writes_is_caught(tmp_path: Path) -> None:
    """The load check reports lost updates when the store drops some writes."""
    load = _load_module()
    with ComplaintStore.open(f"sqlite:///{tmp_path / 'drop.db'}") as store:
        app = create_app(_DroppingStore(store), token="seeded-bug-token-0123")
        with _serving(app) as base:
            figures = load.run_load(
                base, "seeded-bug-token-0123", clients=4, complaints=10, seconds=2.0
            )
    assert figures["appends"] > 0
    assert figures["lost"] > 0
