"""The ``complaint-workflow`` command: a thin shell over the library.

Every failure prints one line on stderr (``complaint-workflow: error: ...``) and exits 2;
never a traceback. Nothing here reads the wall clock: instants come from the arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import NoReturn, TextIO

from .errors import ComplaintWorkflowError
from .policy import ASPECTS, PARAMETER_NAMES, Policy
from .text import text_table

__all__ = ["main"]

PROG = "complaint-workflow"


class UsageError(ComplaintWorkflowError):
    """The command line itself was wrong (an unknown option, a missing argument)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


# --------------------------------------------------------------------- policy


def _policy_show(args: argparse.Namespace, out: TextIO) -> int:
    policy = Policy.load(args.policy)
    out.write(f"{policy.id}: {policy.title}\nsource: {policy.source}\n\n")
    rows = [
        [
            t.id,
            t.describe(policy.parameters),
            t.strength,
            t.clause,
            ", ".join(t.routes) + (f" (only {', '.join(t.triggers)})" if t.triggers else ""),
        ]
        for t in policy.targets
    ]
    out.write(text_table(["target", "due", "strength", "clause", "applies to"], rows) + "\n\n")
    params = [
        [name, "none" if (v := getattr(policy.parameters, name)) is None else str(v)]
        for name in PARAMETER_NAMES
    ]
    out.write(text_table(["parameter", "value"], params) + "\n")
    return 0


def _policy_diff(args: argparse.Namespace, out: TextIO) -> int:
    a, b = Policy.load(args.a), Policy.load(args.b)
    changes = a.diff(b)
    if not changes:
        out.write(f"{a.id} and {b.id} are the same\n")
        return 0
    rows = [[c.path, c.before or "(none)", c.after or "(none)"] for c in changes]
    out.write(text_table(["what", a.id, b.id], rows) + "\n")
    return 0


# --------------------------------------------------------------------- demo


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from .demo import run_demo

    run_demo(out)
    return 0


# --------------------------------------------------------------------- deadlines


def _instant(text: str, flag: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{flag} must be an ISO date-time such as 2024-06-12T10:00+01:00"
        ) from None
    if value.tzinfo is None:
        raise UsageError(f"{flag} must include a UTC offset, e.g. 2024-06-12T10:00+01:00 or ...Z")
    return value


def _date(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag} must be an ISO date such as 2024-06-12") from None


def _deadlines(args: argparse.Namespace, out: TextIO) -> int:
    from .deadlines import deadlines

    received = _instant(args.received, "--received")
    report = deadlines(
        policy=Policy.load(args.policy),
        received_at=received,
        complainant=args.complainant,
        route=args.route,
        hearing=None if args.hearing is None else _date(args.hearing, "--hearing"),
        involvement_ended=None
        if args.involvement_ended is None
        else _date(args.involvement_ended, "--involvement-ended"),
        aspects=tuple(args.aspect or ()),
        at=None if args.at is None else _instant(args.at, "--at"),
    )
    if args.json:
        out.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        return 0
    out.write(f"deemed receipt (day 0): {report.deemed_receipt:%a %d %b %Y}\n")
    out.write(f"eligibility: {report.eligibility}\n")
    if report.six_month_limit is not None:
        out.write(f"six-month limit: {report.six_month_limit:%a %d %b %Y}\n")
    rows = [
        [o.id, f"{o.due:%a %d %b %Y}", o.strength, o.status, o.clause] for o in report.obligations
    ]
    out.write(text_table(["obligation", "due", "strength", "status", "clause"], rows) + "\n")
    return 0


# --------------------------------------------------------------------- replay and diagram


def _replay(args: argparse.Namespace, out: TextIO) -> int:
    from .complaint import Complaint

    try:
        with open(args.file, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file} ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{args.file} is not UTF-8 text; expected a JSON history") from None
    complaint = Complaint.from_json(text)
    look = complaint.last_at if args.at is None else _instant(args.at, "--at")
    if look < complaint.history[0].at:
        raise UsageError("--at must not be before the complaint was received")
    out.write(f"{complaint.id}: {complaint.state} under {complaint.policy.id}\n\n")
    rows = [[e.at.isoformat(), str(e.version), e.name] for e in complaint.history]
    out.write(text_table(["when", "version", "event"], rows) + "\n\n")
    out.write(f"obligations at {look.isoformat()}:\n")
    rows = [
        [o.id, o.due.isoformat(), o.strength, o.status, o.clause]
        for o in complaint.obligations(look)
    ]
    out.write(text_table(["obligation", "due", "strength", "status", "clause"], rows) + "\n")
    if args.svg is not None:
        from .timeline import svg

        try:
            with open(args.svg, "w", encoding="utf-8") as fh:
                fh.write(svg(complaint, look))
        except OSError as exc:
            raise UsageError(f"cannot write {args.svg} ({exc.strerror})") from None
        out.write(f"\nwrote the timeline at {look.isoformat()} to {args.svg}\n")
    return 0


def _diagram(args: argparse.Namespace, out: TextIO) -> int:
    from .docgen import all_routes

    routes = all_routes()
    if args.route not in routes:
        raise UsageError(f"unknown route {args.route!r}; expected one of {', '.join(routes)}")
    out.write(routes[args.route].mermaid() + "\n")
    return 0


# --------------------------------------------------------------------- simulate

_OUT_FORMATS = (".parquet", ".csv")


def _simulate(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path

    target = None if args.out is None else Path(args.out)
    if target is not None and target.suffix.lower() not in _OUT_FORMATS:
        raise UsageError(
            f"--out must end in .parquet or .csv (got {target.suffix or 'no extension'!r})"
        )
    if target is not None and not target.parent.is_dir():
        raise UsageError(f"cannot write {target}: no such directory {target.parent}")
    if not 1 <= args.years <= 100:
        raise UsageError(f"--years must be from 1 to 100 (got {args.years})")
    if args.seed < 0:
        raise UsageError(f"--seed must be 0 or more (got {args.seed})")
    start = _date(args.start, "--start")
    try:
        from .analysis.simulate import simulate
        from .analysis.whatif import summary
    except ImportError as exc:
        raise UsageError(
            f"simulate needs the analysis extra ({exc.name} is missing): "
            "pip install 'complaint-workflow[analysis]'"
        ) from None
    policy = Policy.load(args.policy)
    progress = args.years > 1 or sys.stderr.isatty()
    sim = simulate(policy, years=args.years, seed=args.seed, start=start, progress=progress)
    if target is not None:
        _write_frame(sim.obligations, target)
    complaints, obligations = sim.complaints, sim.obligations
    out.write(
        f"simulated {args.years} year{'s' if args.years > 1 else ''} from {start.isoformat()} "
        f"under {policy.id}, seed {args.seed}\n\n"
    )
    table = summary(obligations).iloc[0] if len(obligations) else None
    late = 0 if table is None else int(table["late_responses"])
    answered = 0 if table is None else int(table["responses"])
    totals = [
        ["complaints", f"{len(complaints):,}"],
        ["compliments", f"{len(sim.compliments):,}"],
        ["events applied", f"{sim.events:,}"],
        ["obligations", f"{len(obligations):,}"],
        [
            "late responses",
            f"{late:,} of {answered:,}" + (f" ({late / answered:.1%})" if answered else ""),
        ],
        ["complaints with a breach", f"{int(complaints['any_breach'].sum()):,}"],
    ]
    out.write(text_table(["measure", "value"], totals) + "\n\n")
    statuses = ["met", "met-late", "breached", "impossible", "pending", "at-risk", "extended"]
    counts: dict[tuple[str, str], int] = {}
    for obligation, status in zip(obligations["obligation_id"], obligations["status"], strict=True):
        counts[obligation, status] = counts.get((obligation, status), 0) + 1
    shown = [s for s in statuses if any(status == s for _, status in counts)]
    rows = [
        [obligation, *(f"{counts.get((obligation, s), 0):,}" for s in shown)]
        for obligation in sorted({obligation for obligation, _ in counts})
    ]
    out.write(text_table(["obligation", *shown], rows) + "\n")
    if target is not None:
        out.write(f"\nwrote {len(obligations):,} obligations to {target}\n")
    return 0


def _write_frame(frame: object, target: object) -> None:
    from pathlib import Path

    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    assert isinstance(target, Path)
    try:
        if target.suffix.lower() == ".csv":
            frame.to_csv(target, index=False)
        else:
            frame.to_parquet(target, engine="pyarrow", index=False)
    except ImportError:
        raise UsageError("writing parquet needs pyarrow: pip install pyarrow") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target} ({exc.strerror or exc})") from None


# --------------------------------------------------------------------- serve


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    import os

    db = args.db or os.environ.get("COMPLAINT_WORKFLOW_DB")
    if not db:
        raise UsageError("serve needs --db URL (or COMPLAINT_WORKFLOW_DB), e.g. sqlite:///cw.db")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535 (got {args.port})")
    try:
        from .service import serve
    except ImportError as exc:
        raise UsageError(
            f"serve needs the service extra ({exc.name} is missing): "
            "pip install 'complaint-workflow[service]'"
        ) from None
    try:
        serve(db, host=args.host, port=args.port, out=out)
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        return 0
    except OSError as exc:
        raise UsageError(
            f"cannot serve on {args.host}:{args.port} ({exc.strerror or exc})"
        ) from None
    return 0


# --------------------------------------------------------------------- main


def _parser() -> _Parser:
    parser = _Parser(prog=PROG, description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="walk example complaints through the procedure")
    demo.set_defaults(func=_demo)

    dl = commands.add_parser("deadlines", help="the obligations owed for given facts")
    dl.add_argument("--json", action="store_true", help="print one JSON object")
    dl.add_argument("--policy", default="cafcass-web", help="a built-in id or a .toml path")
    dl.add_argument("--received", required=True, metavar="ISO-DATETIME", help="when received")
    dl.add_argument(
        "--complainant", required=True, choices=["adult", "child", "other", "employee-matter"]
    )
    dl.add_argument("--route", choices=["early-resolution", "investigation"])
    dl.add_argument("--hearing", metavar="DATE", help="the next hearing, if known")
    dl.add_argument("--involvement-ended", metavar="DATE", help="when Cafcass' involvement ended")
    dl.add_argument("--aspect", action="append", choices=list(ASPECTS), help="repeatable")
    dl.add_argument("--at", metavar="ISO-DATETIME", help="the instant (default: receipt)")
    dl.set_defaults(func=_deadlines)

    replay = commands.add_parser("replay", help="a JSON history's timeline and obligations")
    replay.add_argument("file", metavar="FILE")
    replay.add_argument("--at", metavar="ISO-DATETIME", help="the instant (default: last event)")
    replay.add_argument("--svg", metavar="FILE", help="also write the timeline picture (SVG)")
    replay.set_defaults(func=_replay)

    diagram = commands.add_parser("diagram", help="a route's Mermaid state diagram")
    diagram.add_argument("route", metavar="ROUTE")
    diagram.set_defaults(func=_diagram)

    sim = commands.add_parser(
        "simulate", help="simulate a national caseload through the real route machines"
    )
    sim.add_argument("--policy", default="cafcass-web", help="a built-in id or a .toml path")
    sim.add_argument("--years", type=int, default=1, metavar="N", help="years of complaints")
    sim.add_argument("--seed", type=int, default=0, metavar="S", help="the random seed")
    sim.add_argument("--start", default="2024-01-01", metavar="DATE", help="the first day")
    sim.add_argument("--out", metavar="FILE", help="write the obligations (.parquet or .csv)")
    sim.set_defaults(func=_simulate)

    serve = commands.add_parser("serve", help="run the reference service (the service extra)")
    serve.add_argument("--db", metavar="URL", help="the store (default: $COMPLAINT_WORKFLOW_DB)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.set_defaults(func=_serve)

    policy = commands.add_parser("policy", help="show or compare policy versions")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    show = policy_commands.add_parser("show", help="a policy's targets and parameters")
    show.add_argument("policy", metavar="ID", help="a built-in id or a .toml path")
    show.set_defaults(func=_policy_show)
    diff = policy_commands.add_parser("diff", help="what differs between two policies")
    diff.add_argument("a", metavar="A", help="a built-in id or a .toml path")
    diff.add_argument("b", metavar="B", help="a built-in id or a .toml path")
    diff.set_defaults(func=_policy_diff)

    from .store_cli import add_store_commands  # store errors exit 1 (see store_cli)

    add_store_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 on success, 2 on any error)."""
    stream = sys.stdout if out is None else out
    try:
        args = _parser().parse_args(argv)
        status: int = args.func(args, stream)
    except ComplaintWorkflowError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
