"""Load: concurrent clients appending events over HTTP to the real server, on loopback.

Run from the repository root (one command; ``--quick`` runs 3 s)::

    python benchmarks/service_load.py                # 8 clients, 50 complaints, 20 s
    python benchmarks/service_load.py --seconds 60 --clients 16

It starts ``complaint-workflow serve`` on a free 127.0.0.1 port over a fresh SQLite file (WAL),
opens the complaints through the API, then runs the clients (threads, one keep-alive HTTP
connection each) until the time is up. Each step of a client picks a complaint at random,
reads it (``GET /api/complaints/{id}``) and appends a ``hearing-moved`` event with the version
it read (``expected_version``): a 409 means another client got there first, and the client
simply moves on. At the end every complaint's version is checked against the number of
appends the clients saw succeed: a lost update (a 200 whose event is not stored) or a
duplicated one shows as a difference. Printed: requests per second, latency percentiles
(p50, p99) of every request, the counts of 200/409/other answers and of 5xx, and, as the
reference measured in the same run, the same appends made directly on a ``ComplaintStore``
in this process (no HTTP), with the ratio. All traffic stays on 127.0.0.1; the loop is
bounded by ``--seconds``.
"""

# ruff: noqa: E402  (imports must follow the sys.path fix below)
from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, _HERE)
from _timing import verdict

sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]

import argparse
import json
import random
import tempfile
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from complaint_workflow import LONDON, Complaint, HearingMoved
from complaint_workflow.service.testing import running_server
from complaint_workflow.store import ComplaintStore, ConcurrencyError

BASE = datetime(2024, 1, 8, 10, 0, tzinfo=LONDON)
HEARING = date(2025, 1, 6)


def _hearing(version: int) -> date:
    """The hearing a move appended at ``version`` sets: alternates, so it always changes."""
    return HEARING + timedelta(days=version % 2)


def _event(version: int) -> dict[str, Any]:
    return {
        "type": "hearing-moved",
        "at": (BASE + timedelta(minutes=version)).isoformat(),
        "hearing": _hearing(version).isoformat(),
        "expected_version": version,
    }


def _opening(i: int) -> dict[str, Any]:
    return {
        "complaint_id": f"LOAD-{i:03d}",
        "complainant": "adult",
        "received_at": BASE.isoformat(),
        "policy": "cafcass-web",
        "hearing": HEARING.isoformat(),
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def run_load(
    base: str, token: str, *, clients: int, complaints: int, seconds: float
) -> dict[str, Any]:
    """Drive the server at ``base``; returns the counts and timings (see the module text)."""
    auth = {"Authorization": f"Bearer {token}"}
    ids = [f"LOAD-{i:03d}" for i in range(complaints)]
    with httpx.Client(base_url=base, headers=auth, timeout=30) as c:
        for i in range(complaints):
            r = c.post("/api/complaints", json=_opening(i))
            if r.status_code != 201:
                raise RuntimeError(f"opening failed: {r.status_code} {r.text[:200]}")
    successes: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    uncertain: Counter[str] = Counter()

    def client(number: int) -> None:
        rng = random.Random(number)
        mine: Counter[str] = Counter()
        unsure: Counter[str] = Counter()
        seen: Counter[int] = Counter()
        times: list[float] = []
        try:
            with httpx.Client(base_url=base, headers=auth, timeout=30) as http:
                while time.monotonic() < stop:
                    complaint_id = rng.choice(ids)
                    t0 = time.perf_counter()
                    try:
                        r = http.get(f"/api/complaints/{complaint_id}")
                    except httpx.HTTPError:
                        seen[0] += 1  # no answer: counted apart, as status 0
                        continue
                    times.append(time.perf_counter() - t0)
                    seen[r.status_code] += 1
                    if r.status_code != 200:
                        continue
                    version = r.json()["version"]
                    t0 = time.perf_counter()
                    try:
                        r = http.post(
                            f"/api/complaints/{complaint_id}/events", json=_event(version)
                        )
                    except httpx.HTTPError:
                        seen[0] += 1
                        unsure[complaint_id] += 1  # it may or may not have been stored
                        continue
                    times.append(time.perf_counter() - t0)
                    seen[r.status_code] += 1
                    if r.status_code == 200:
                        mine[complaint_id] += 1
        finally:
            with lock:
                successes.update(mine)
                uncertain.update(unsure)
                statuses.update(seen)
                latencies.extend(times)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    lost = duplicated = 0
    with httpx.Client(base_url=base, headers=auth, timeout=30) as c:
        for complaint_id in ids:
            stored = c.get(f"/api/complaints/{complaint_id}").json()["version"]
            expected = 1 + successes[complaint_id]
            lost += max(0, expected - stored)
            duplicated += max(0, stored - expected - uncertain[complaint_id])
    requests = sum(statuses.values())
    return {
        "clients": clients,
        "complaints": complaints,
        "seconds": elapsed,
        "requests": requests,
        "requests_per_second": requests / elapsed,
        "appends": sum(successes.values()),
        "appends_per_second": sum(successes.values()) / elapsed,
        "conflicts": statuses[409],
        "server_errors": sum(n for code, n in statuses.items() if code >= 500),
        "other": sum(n for code, n in statuses.items() if code not in (0, 200, 409) and code < 500),
        "no_answer": statuses[0],
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "p50_ms": 1000 * _percentile(latencies, 0.50),
        "p99_ms": 1000 * _percentile(latencies, 0.99),
        "lost": lost,
        "duplicated": duplicated,
    }


def direct_appends(folder: Path, seconds: float) -> float:
    """Reference: the same appends on a ComplaintStore in this process, one writer; per second."""
    with ComplaintStore.open(f"sqlite:///{folder / 'direct.db'}") as store:
        complaint = Complaint.open(
            complaint_id="DIRECT-1",
            complainant="adult",
            received_at=BASE,
            policy="cafcass-web",
            hearing=HEARING,
        )
        store.add(complaint)
        version, done = 1, 0
        stop = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < stop:
            event = HearingMoved(at=BASE + timedelta(minutes=version), hearing=_hearing(version))
            try:
                store.append("DIRECT-1", event, expected_version=version)
            except ConcurrencyError:  # pragma: no cover - one writer
                continue
            version += 1
            done += 1
        return done / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the clients run")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--complaints", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="3 s, for a smoke run")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")
    args = parser.parse_args()
    seconds = 3.0 if args.quick else args.seconds
    if not 0 < seconds <= 600 or not 1 <= args.clients <= 64 or not 1 <= args.complaints <= 10_000:
        parser.error("--seconds must be in (0, 600], --clients 1-64, --complaints 1-10000")
    with tempfile.TemporaryDirectory(prefix="cw-load-") as folder:
        with running_server(Path(folder) / "load.db", token="load-test-token-0123456789") as server:
            figures = run_load(
                server.base,
                server.token,
                clients=args.clients,
                complaints=args.complaints,
                seconds=seconds,
            )
        direct = direct_appends(Path(folder), min(seconds, 5.0))
    figures["direct_appends_per_second"] = direct
    figures["http_over_direct"] = figures["appends_per_second"] / direct
    print(
        f"service load: {args.clients} clients, {args.complaints} complaints, "
        f"{figures['seconds']:.1f} s on 127.0.0.1 (SQLite file, WAL)"
    )
    print(
        f"  REPORT requests/s: {figures['requests_per_second']:.0f} "
        f"({figures['requests']} requests: {figures['statuses']}; 0 = no answer)"
    )
    print(f"  REPORT latency: p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms")
    print(
        f"  REPORT appends/s over HTTP: {figures['appends_per_second']:.0f} "
        f"({figures['appends']} appends, {figures['conflicts']} conflicts answered 409)"
    )
    print(
        f"  REPORT appends/s direct on the store (reference, one writer): {direct:.0f}; "
        f"HTTP / direct = {figures['http_over_direct']:.2f}"
    )
    print(
        verdict(
            "no lost update",
            figures["lost"] == 0 and figures["duplicated"] == 0,
            f"{figures['lost']} lost, {figures['duplicated']} duplicated",
        )
    )
    print(verdict("no 5xx", figures["server_errors"] == 0, f"{figures['server_errors']} answers"))
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
