"""Benchmark: the store (complaint_workflow.store) on SQLite and, when available, PostgreSQL.

Run from the repository root (one command; ``--quick`` uses 400 complaints for a smoke run)::

    python benchmarks/store.py
    python benchmarks/store.py --quick
    CW_TEST_POSTGRES_URL=postgresql://user@127.0.0.1:5432/db python benchmarks/store.py
    python benchmarks/store.py --store /tmp/cw-store-100k.db --no-repair  # re-measure quickly

What it measures, on N seeded-random complaints (default 100,000) received over two years, each
forwarded, contacted, assessed, triaged and (most) answered, as a service would record them
(``add_many`` in batches of 2,000: the bulk path):

* append throughput, events per second: ``store.append`` of one event to each of 300 complaints
  (each append reads the complaint, applies the event and writes event, version and projection
  in one transaction), on a SQLite file and on PostgreSQL when ``CW_TEST_POSTGRES_URL`` is set;
* ``worklist(at=now, since=today, until=today + 7 days)`` (the week's window) over the N stored
  complaints, best of 20 (wall-clock; process CPU time beside it), against the reference a
  store without a projection must do: load every complaint's events in one query,
  replay each and scan ``obligations(at)``. The reference is timed on a sample (10,000
  complaints, or all in ``--quick``) and scaled linearly to N; both answers are checked equal on
  that sample. Targets: at least 100x faster than the scan, and under 20 ms. The worklist
  without ``since`` (everything not met due by the end of the week, every past breach
  included) is timed as context, with its row count;
* ``repair`` after a new bank holiday (``calendar.with_closures``), run in a fresh process that
  reports its peak resident memory before and during the repair (memory must not grow with N:
  the repair is streamed in batches of 500 complaints);
* the size on disk per stored complaint (the SQLite file after a WAL checkpoint).

``--store PATH`` keeps the filled store in a SQLite file between runs (filling 100,000
complaints took 4 to 15 minutes on the shared 2-core machine; checking a kept file about a
minute, most of it hashing its 1.4 million projection rows). The first run fills it and writes
``PATH.seed.json`` beside it: the seed, N, a SHA-256 of the stored histories, one of the
stored projection rows and one of the source of the code that built them. A later run reuses
the file only when all of these still hold: the histories in the file are the ones the seed
generates now, the projection rows are the ones written then, and the projection's code is
unchanged (otherwise it stops and says which; delete the file to fill again). The kept file is
never written to again: every run works on a fresh copy of it (SQLite's backup), since the
appends and the repair change a store. ``--no-repair`` leaves the repair out (it takes longer
than everything else at N = 100,000).

The load average (1 minute) is printed before the fill and when the worklist is timed; the
worklist is timed as wall-clock and as process CPU time (SQLite runs in this process), best
of 20 each.

The script prints the figures, the ratios and a PASS/MISS verdict per target, and always exits
0: it is a report, not a test (a ``--store`` file that does not match its seed stops it with
exit status 2).
"""

# ruff: noqa: E402  (imports must follow the sys.path fix below)

import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, _HERE)
from _timing import best_per_call, fmt, verdict

sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != _HERE]

import argparse
import contextlib
import hashlib
import inspect
import json
import random
import resource
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NoReturn

from complaint_workflow import (
    LONDON,
    Assessed,
    Complaint,
    ComplaintWorkflowError,
    ContactMade,
    ContactRestricted,
    ForwardedToCST,
    Responded,
    Triaged,
    WorkingDayCalendar,
)
from complaint_workflow.history import event_to_dict
from complaint_workflow.store import ComplaintStore
from complaint_workflow.store import _projection as projection_code

START = datetime(2023, 1, 2, 9, tzinfo=LONDON)
NOW = datetime(2024, 12, 2, 12, tzinfo=LONDON)
SPAN_MINUTES = 700 * 24 * 60
HOLIDAY = date(2024, 12, 4)  # a new bank holiday inside the open complaints' windows
SEED = 2024


def make(rng: random.Random, i: int) -> Complaint:
    """One complaint as a service would have recorded it by NOW."""
    received = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    complaint = Complaint.open(complaint_id=f"C-{i:06d}", complainant="adult", received_at=received)
    t = received + timedelta(hours=rng.choice([1, 2, 3, 30]))
    events: list[object] = [ForwardedToCST(at=t)]
    t += timedelta(days=rng.choice([1, 1, 1, 2, 2, 5]))
    events.append(ContactMade(at=t))
    t += timedelta(hours=2)
    events.append(Assessed(at=t, aspects=("case-management",)))
    t += timedelta(hours=1)
    events.append(Triaged(at=t, route=rng.choice(["early-resolution", "investigation"])))
    t += timedelta(days=rng.randrange(5, 40))
    events.append(Responded(at=t, method="written", phso_signposted=True))
    for event in events:
        if event.at > NOW:  # type: ignore[attr-defined]
            break
        complaint = complaint.apply(event)  # type: ignore[arg-type]
    return complaint


def fill(store: ComplaintStore, n: int, seed: int = SEED) -> float:
    """Add n complaints in batches; returns the seconds it took."""
    rng = random.Random(seed)
    began = time.perf_counter()
    batch: list[Complaint] = []
    for i in range(n):
        batch.append(make(rng, i))
        if len(batch) == 2000:
            store.add_many(batch)
            batch = []
    if batch:
        store.add_many(batch)
    return time.perf_counter() - began


def _event_line(complaint_id: str, version: object, body: str) -> bytes:
    return f"{complaint_id}\t{version}\t{body}\n".encode()


def seeded_histories_digest(n: int, seed: int = SEED) -> str:
    """SHA-256 of the histories ``fill`` stores for (n, seed), as the store writes them."""
    rng = random.Random(seed)
    digest = hashlib.sha256()
    for i in range(n):
        complaint = make(rng, i)
        for event in complaint.history:
            body = json.dumps(event_to_dict(event), ensure_ascii=False, separators=(",", ":"))
            digest.update(_event_line(complaint.id, event.version, body))
    return digest.hexdigest()


def file_digests(path: Path) -> dict[str, object]:
    """What a kept store file holds: its complaint count, and SHA-256 digests of its stored
    histories and of its projection rows (read-only)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        count = conn.execute("SELECT count(*) FROM cw_complaints").fetchone()[0]
        histories = hashlib.sha256()
        for complaint_id, version, body in conn.execute(
            "SELECT complaint_id, version, body FROM cw_events ORDER BY complaint_id, version"
        ):
            histories.update(_event_line(complaint_id, version, body))
        rows = hashlib.sha256()
        for row in conn.execute("SELECT * FROM cw_rows ORDER BY complaint_id, start_us, pos"):
            rows.update(repr(row).encode())
        meta = dict(conn.execute("SELECT key, value FROM cw_meta"))
    finally:
        conn.close()
    return {
        "complaints": count,
        "histories": histories.hexdigest(),
        "rows": rows.hexdigest(),
        "meta": meta,
    }


def projection_source_digest() -> str:
    """SHA-256 of the code that builds projection rows (a change may change the rows)."""
    return hashlib.sha256(inspect.getsource(projection_code).encode()).hexdigest()


def kept_store(path: Path, n: int) -> float | None:
    """Fill ``path`` (when missing) or check it holds the seeded store; the fill's seconds or
    None when reused. Exits with status 2 when the file does not match its seed."""
    note = path.with_name(path.name + ".seed.json")
    if path.exists():
        began = time.perf_counter()
        if not note.exists():
            _refuse(f"store.py: {path} exists but {note.name} does not; delete it to refill")
        kept = json.loads(note.read_text())
        found = file_digests(path)
        problems = []
        if kept.get("seed") != SEED or kept.get("n") != n or found["complaints"] != n:
            problems.append(
                f"it holds {found['complaints']:,} complaints of seed {kept.get('seed')} "
                f"(this run: {n:,} of seed {SEED})"
            )
        if found["histories"] != seeded_histories_digest(n):
            problems.append("its histories are not those the seed generates now")
        if found["rows"] != kept.get("rows"):
            problems.append("its projection rows changed since it was filled")
        if kept.get("projection_code") != projection_source_digest():
            problems.append("the projection's code changed since it was filled")
        if found["meta"] != kept.get("meta"):
            problems.append("its schema or calendar changed since it was filled")
        if problems:
            _refuse(f"store.py: not reusing {path}: {'; '.join(problems)}; delete it to refill")
        print(
            f"  reused {path} ({n:,} complaints; histories, projection rows and projection code "
            f"checked against {note.name} in {time.perf_counter() - began:.1f} s)"
        )
        return None
    filling = path.with_name(path.name + ".filling")
    for leftover in path.parent.glob(filling.name + "*"):
        leftover.unlink()
    with ComplaintStore.open(f"sqlite:///{filling}") as store:
        seconds = fill(store, n)
    conn = sqlite3.connect(filling)
    conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    conn.close()
    found = file_digests(filling)
    if found["histories"] != seeded_histories_digest(n):  # pragma: no cover - a store bug
        _refuse("store.py: the filled store does not hold the seeded histories")
    note.write_text(
        json.dumps(
            {
                "seed": SEED,
                "n": n,
                "histories": found["histories"],
                "rows": found["rows"],
                "meta": found["meta"],
                "projection_code": projection_source_digest(),
            },
            indent=1,
        )
    )
    filling.rename(path)
    return seconds


def _refuse(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    sys.exit(2)


def copy_store(source: Path, target: Path) -> None:
    """A fresh working copy of a kept store (SQLite's online backup; the source is only read)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def load() -> str:
    """The 1-minute load average, as printed with each figure."""
    return f"{os.getloadavg()[0]:.2f}"


def append_rate(store: ComplaintStore, count: int = 300) -> float:
    """Events per second for single appends, one per open complaint."""
    ids = store.complaint_ids()[:count]
    versions = {i: store.get(i).version for i in ids}
    began = time.perf_counter()
    for i in ids:
        event = ContactRestricted(at=NOW, restriction="limited", because="abusive")
        with contextlib.suppress(ComplaintWorkflowError):  # a finished complaint refuses it
            store.append(i, event, expected_version=versions[i])
    return len(ids) / (time.perf_counter() - began)


def scan(
    url: str, ids: list[str], at: datetime, since: date, until: date
) -> list[tuple[object, ...]]:
    """The reference: every complaint's events in one query, replayed, obligations scanned."""
    import sqlalchemy as sa

    from complaint_workflow.history import event_from_dict

    engine = sa.create_engine(url)
    histories: dict[str, list[object]] = {}
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT complaint_id, body FROM cw_events WHERE complaint_id <= :last "
                "ORDER BY complaint_id, version"
            ),
            {"last": ids[-1]},
        )
        for complaint_id, body in rows:
            histories.setdefault(complaint_id, []).append(event_from_dict(json.loads(body)))
    engine.dispose()
    out = []
    for complaint_id in ids:
        complaint = Complaint.replay(histories[complaint_id])  # type: ignore[arg-type]
        for o in complaint.obligations(at):
            if o.status not in ("met", "met-late") and since <= o.due <= until:
                out.append((o.due, complaint_id, o.id, o.status))
    return sorted(out)


def repair_child(url: str) -> None:
    """In a fresh process: repair after a new bank holiday; print JSON figures."""
    store = ComplaintStore.open(url)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    calendar = WorkingDayCalendar.england_and_wales().with_closures([HOLIDAY])
    began = time.perf_counter()
    moved = store.repair(calendar=calendar)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    store.close()
    print(json.dumps({"seconds": seconds, "moved": len(moved), "rss_before": before, "peak": peak}))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="400 complaints (a smoke run)")
    parser.add_argument("--n", type=int, help="how many complaints (default 100,000)")
    parser.add_argument(
        "--store",
        metavar="PATH",
        type=Path,
        help="keep the filled store in this SQLite file and reuse it (checked) on later runs",
    )
    parser.add_argument("--no-repair", action="store_true", help="leave out the repair")
    parser.add_argument("--repair-child", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repair_child:
        repair_child(args.repair_child)
        return 0
    n = args.n or (400 if args.quick else 100_000)
    sample = n if args.quick else min(n, 10_000)
    print(f"store benchmark: {n:,} complaints (SQLite file; PostgreSQL when configured)")
    print(f"  load average at the start: {load()} (2 cores shared with other work)")
    with tempfile.TemporaryDirectory(prefix="cw-store-bench-") as tmp:
        db = Path(tmp) / "bench.db"
        url = f"sqlite:///{db}"
        seconds: float | None
        if args.store is not None:
            seconds = kept_store(args.store.resolve(), n)
            copy_store(args.store.resolve(), db)
        with ComplaintStore.open(url) as store:
            if args.store is None:
                seconds = fill(store, n)
            if seconds is not None:
                print(
                    f"  filled with add_many in {seconds:.1f} s ({n / seconds:,.0f} complaints/s)"
                )
            rate = append_rate(store)
            print(f"  append, SQLite file: {rate:,.0f} events/s")
            today, until = NOW.date(), (NOW + timedelta(days=7)).date()
            week = store.worklist(at=NOW, since=today, until=until)
            measured_at = load()
            per = best_per_call(lambda: store.worklist(at=NOW, since=today, until=until), 1, 20)
            per_cpu = min(
                _cpu(lambda: store.worklist(at=NOW, since=today, until=until)) for _ in range(20)
            )
            rows = store.worklist(at=NOW, until=until)
            per_all = best_per_call(lambda: store.worklist(at=NOW, until=until), 1, 5)
            ids = store.complaint_ids()[:sample]
            got = sorted(
                (w.due, w.complaint_id, w.id, w.status) for w in week if w.complaint_id <= ids[-1]
            )
        began = time.perf_counter()
        expected = scan(url, ids, NOW, today, until)
        scan_seconds = (time.perf_counter() - began) * n / sample
        assert got == expected, "the worklist differs from the scan on the sample"
        ratio = scan_seconds / per
        print(
            f"  worklist, 7-day window (since=today, until=+7 days): {fmt(per)} wall, "
            f"{fmt(per_cpu).strip()} process CPU (best of 20 each), {len(week):,} rows; "
            f"load average {measured_at}"
        )
        print(
            f"  worklist, everything not met due by +7 days (no since): {fmt(per_all)}, "
            f"{len(rows):,} rows (every past breach stays listed)"
        )
        print(
            f"  reference scan (load + replay + obligations): {fmt(scan_seconds)}"
            + (f" (timed on {sample:,}, scaled to {n:,})" if sample != n else "")
        )
        print(f"  ratio scan/worklist: {ratio:,.0f}x")
        checkpoint = subprocess.run(
            [sys.executable, "-c", _CHECKPOINT, url], check=True, capture_output=True, text=True
        )
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
        print(f"  size on disk: {size / n / 1024:.2f} KiB per complaint ({size / 2**20:.1f} MiB)")
        assert checkpoint.returncode == 0
        growth: float | None = None
        if args.no_repair:
            print("  repair after a new bank holiday: not measured (--no-repair)")
        else:
            child = subprocess.run(
                [sys.executable, __file__, "--repair-child", url],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(child.stdout)
            growth = (figures["peak"] - figures["rss_before"]) / 1024
            print(
                f"  repair after a new bank holiday: {figures['seconds']:.1f} s, "
                f"{figures['moved']:,} due dates moved, peak RSS "
                f"{figures['peak'] / 1024:.0f} MiB ({growth:+.0f} MiB over the open store)"
            )
        postgres = os.environ.get("CW_TEST_POSTGRES_URL")
        if postgres:
            import psycopg

            name = f"cw_bench_{os.getpid()}"
            with psycopg.connect(postgres, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {name}")
            try:
                with ComplaintStore.open(postgres.rsplit("/", 1)[0] + "/" + name) as pg:
                    fill(pg, 400 if args.quick else 2000)
                    print(f"  append, PostgreSQL: {append_rate(pg):,.0f} events/s")
            finally:
                with psycopg.connect(postgres, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        else:
            print("  append, PostgreSQL: not measured (CW_TEST_POSTGRES_URL is not set)")
    print(verdict("worklist at least 100x faster than the scan", ratio >= 100, f"{ratio:,.0f}x"))
    print(verdict("worklist under 20 ms on SQLite", per < 0.020, fmt(per).strip()))
    if growth is None:
        print("  ----  repair memory bounded (growth under 200 MiB): not measured (--no-repair)")
    else:
        print(
            verdict(
                "repair memory bounded (growth under 200 MiB)",
                growth < 200,
                f"{growth:+.0f} MiB for {n:,} complaints",
            )
        )
    return 0


def _cpu(fn: Callable[[], object]) -> float:
    """Process CPU seconds of one call of ``fn``."""
    began = time.process_time()
    fn()
    return time.process_time() - began


_CHECKPOINT = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1].removeprefix('sqlite:///')); "
    "c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()"
)

if __name__ == "__main__":
    sys.exit(main())
