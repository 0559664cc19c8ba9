"""The ``complaint-workflow`` command: a thin shell over the library.

Exit status: 0 on success; 1 for bad data or a refused operation (an unreadable or
non-regular file, a rejected event, an unknown policy, a date outside the calendar's span,
a missing optional extra); 2 for a usage error (argparse's own: an unknown option, a
missing or malformed argument); 130 when interrupted (Ctrl-C). Every failure prints exactly
one line on stderr (``complaint-workflow: error: ...``) and never a traceback. Nothing here
reads the wall clock: instants come from the arguments.

Subcommands register in one table, :data:`COMMANDS`, with :func:`command` (and
:func:`group` for a word such as ``policy`` that only holds subcommands), so a new
subcommand is one decorated function and its arguments, wherever it sits in this file.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

import attrs

from .errors import ComplaintWorkflowError
from .policy import ASPECTS, PARAMETER_NAMES, Policy
from .text import text_table

__all__ = [
    "COMMANDS",
    "EXTENSIONS",
    "SCHEMA_PREFIX",
    "Command",
    "UsageError",
    "command",
    "group",
    "main",
]

PROG = "complaint-workflow"
SCHEMA_PREFIX = "complaint-workflow/"
"""Every ``--json`` document carries ``"schema": "complaint-workflow/<command>"``."""

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

Handler = Callable[[argparse.Namespace, TextIO], int]
Arguments = Callable[[argparse.ArgumentParser], None]


class UsageError(ComplaintWorkflowError):
    """The command line itself was wrong (an unknown option, a missing argument): exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


class _Formatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows every option's default; keeps the paragraphs of a description apart."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None or action.default is False:  # nothing worth showing
            return action.help
        return super()._get_help_string(action)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        parts = []
        for part in text.split("\n\n"):  # a loop, not a comprehension: super() needs self
            parts.append(super()._fill_text(part, width, indent))
        return "\n\n".join(parts)


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """A subcommand that takes no arguments."""


@attrs.frozen
class Command:
    """One subcommand: its words (``"policy show"``), a one-line summary for the parent's
    list, a paragraph for its own ``--help``, how to add its arguments, and what it runs
    (``None`` for a group that only holds subcommands)."""

    name: str
    summary: str
    description: str
    arguments: Arguments = _no_arguments
    run: Handler | None = None


COMMANDS: dict[str, Command] = {}
"""Every subcommand and group by its words, in the order ``--help`` lists them."""


def command(
    name: str, summary: str, description: str, arguments: Arguments = _no_arguments
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the subcommand ``name`` (words separated by spaces;
    the group of a two-word name must be registered first with :func:`group`)."""

    def register(run: Handler) -> Handler:
        COMMANDS[name] = Command(name, summary, description, arguments, run)
        return run

    return register


def group(name: str, summary: str, description: str) -> None:
    """Register ``name`` as a word that holds subcommands (``policy`` holds ``show``, ...)."""
    COMMANDS[name] = Command(name, summary, description)


EXTENSIONS: list[Callable[[Any], None]] = []
"""Functions that add their own subcommands to the top-level ``add_subparsers()`` action
when the parser is built (for a module that declares its parsers itself); each parser they
add must ``set_defaults(func=handler)`` with ``handler(args, out) -> int``."""


# --------------------------------------------------------------------- shared helpers


def _instant(text: str) -> datetime:
    """An argparse ``type``: an ISO 8601 date-time with a UTC offset."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO date-time such as 2024-06-12T10:00+01:00 (got {text[:40]!r})"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text[:40]!r} has no UTC offset; write e.g. 2024-06-12T10:00+01:00 or ...Z"
        )
    return value


def _date(text: str) -> date:
    """An argparse ``type``: an ISO 8601 date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO date such as 2024-06-12 (got {text[:40]!r})"
        ) from None


def _bounded(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: an integer from ``low`` (to ``high``)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number (got {text[:20]!r})"
            ) from None
        if value < low or (high is not None and value > high):
            span = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"must be {span} (got {value})")
        return value

    return parse


def _regular_file(path: str, what: str) -> Path:
    """``path`` if it names a regular file; refuses a FIFO, a device or a folder before
    anything reads it (a FIFO would block, a device would never end)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ComplaintWorkflowError(f"cannot read {what} {path} ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise ComplaintWorkflowError(f"cannot read {what} {path}: {kind}; expected a file")
    return Path(path)


def _policy(id_or_path: str) -> Policy:
    """A built-in policy by id, or a ``.toml`` file (checked to be a regular file first)."""
    if id_or_path.endswith(".toml"):
        _regular_file(id_or_path, "policy file")
    return Policy.load(id_or_path)


def _write_json(out: TextIO, kind: str, body: Mapping[str, Any]) -> None:
    document = {"schema": SCHEMA_PREFIX + kind, "schema_version": 1, **body}
    out.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")


def _obligation_json(obligation: Any) -> dict[str, Any]:
    """An obligation as JSON; ``overdue`` is true for every obligation past its due date and
    not met in time, so a breached hard obligation always says ``"overdue": true``."""
    body: dict[str, Any] = obligation.to_dict()
    body["overdue"] = bool(obligation.overdue) or obligation.status == "breached"
    return body


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print one JSON document (with a 'schema' key)"
    )


POLICY_HELP = "a built-in id (cafcass-2012, cafcass-web) or a path to a .toml file"


# --------------------------------------------------------------------- demo


def _demo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--save",
        metavar="DIR",
        help="also write each example's JSON history to DIR (created if missing), "
        "one file per example and policy, for 'replay'",
    )


@command(
    "demo",
    "walk example complaints through the procedure",
    "Walk every example complaint (one per route and special case) through the procedure "
    "under both built-in policies, printing each timeline and the obligations owed. With "
    "--save DIR, also write each example's history as JSON (DIR/<id>-<policy>.json, without "
    "personal details) for the replay command.",
    _demo_arguments,
)
def _demo(args: argparse.Namespace, out: TextIO) -> int:
    from .demo import SCENARIOS, run_demo

    if args.save is not None:
        folder = Path(args.save)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            written = 0
            for scenario in SCENARIOS:
                for policy in Policy.builtin_ids():
                    complaint = scenario.run(policy)
                    path = folder / f"{complaint.id}-{policy}.json"
                    path.write_text(complaint.to_json(include_personal=False), encoding="utf-8")
                    written += 1
        except OSError as exc:
            raise ComplaintWorkflowError(
                f"cannot write to {folder} ({exc.strerror or type(exc).__name__})"
            ) from None
    run_demo(out)
    if args.save is not None:
        out.write(f"\nwrote {written} histories to {folder}\n")
    return 0


# --------------------------------------------------------------------- deadlines


def _deadlines_arguments(p: argparse.ArgumentParser) -> None:
    _json_flag(p)
    p.add_argument("--policy", default="cafcass-web", help=POLICY_HELP)
    p.add_argument(
        "--received", required=True, type=_instant, metavar="ISO-DATETIME", help="when received"
    )
    p.add_argument(
        "--complainant", required=True, choices=["adult", "child", "other", "employee-matter"]
    )
    p.add_argument("--route", choices=["early-resolution", "investigation"], help="the triage")
    p.add_argument("--hearing", type=_date, metavar="DATE", help="the next hearing, if known")
    p.add_argument(
        "--involvement-ended", type=_date, metavar="DATE", help="when Cafcass' involvement ended"
    )
    p.add_argument(
        "--aspect", action="append", choices=list(ASPECTS), help="an assessed aspect; repeatable"
    )
    p.add_argument(
        "--at", type=_instant, metavar="ISO-DATETIME", help="the instant (omitted: receipt)"
    )


@command(
    "deadlines",
    "the obligations owed for given facts",
    "Print the obligations owed for a complaint with the given facts, without a history: "
    "day 0 (deemed receipt), the gate it meets, the six-month limit, and each obligation's "
    "due date, strength, status and clause at --at (default: the receipt instant). The "
    "triage route and the assessed aspects are assumed as given.",
    _deadlines_arguments,
)
def _deadlines(args: argparse.Namespace, out: TextIO) -> int:
    from .deadlines import deadlines

    report = deadlines(
        policy=_policy(args.policy),
        received_at=args.received,
        complainant=args.complainant,
        route=args.route,
        hearing=args.hearing,
        involvement_ended=args.involvement_ended,
        aspects=tuple(args.aspect or ()),
        at=args.at,
    )
    if args.json:
        body = report.to_dict()
        body["obligations"] = [_obligation_json(o) for o in report.obligations]
        _write_json(out, "deadlines", body)
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


# --------------------------------------------------------------------- replay


def _replay_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a JSON history (see docs/json.md)")
    p.add_argument(
        "--at", type=_instant, metavar="ISO-DATETIME", help="the instant (omitted: last event)"
    )
    p.add_argument(
        "--svg", metavar="FILE", help="also write the timeline picture at --at (SVG) to FILE"
    )
    _json_flag(p)


@command(
    "replay",
    "a JSON history's timeline and obligations",
    "Read a JSON history (as written by Complaint.to_json or 'demo --save'), replay its "
    "events through the route machines, and print its timeline and its obligations at --at "
    "(default: the last event). The personal section is never printed.",
    _replay_arguments,
)
def _replay(args: argparse.Namespace, out: TextIO) -> int:
    from .complaint import Complaint

    path = _regular_file(args.file, "history")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ComplaintWorkflowError(f"cannot read history {path} ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ComplaintWorkflowError(f"{path} is not UTF-8 text; expected a JSON history") from None
    complaint = Complaint.from_json(text)
    look = complaint.last_at if args.at is None else args.at
    if look < complaint.history[0].at:
        raise ComplaintWorkflowError("--at must not be before the complaint was received")
    owed = complaint.obligations(look)
    if args.svg is not None:
        from .timeline import svg

        try:
            Path(args.svg).write_text(svg(complaint, look), encoding="utf-8")
        except OSError as exc:
            raise ComplaintWorkflowError(f"cannot write {args.svg} ({exc.strerror})") from None
    if args.json:
        body = {
            "complaint_id": complaint.id,
            "state": complaint.state,
            "policy": complaint.policy.id,
            "at": look.isoformat(),
            "events": [
                {"at": e.at.isoformat(), "version": e.version, "type": e.name}
                for e in complaint.history
            ],
            "obligations": [_obligation_json(o) for o in owed],
        }
        _write_json(out, "replay", body)
        return 0
    out.write(f"{complaint.id}: {complaint.state} under {complaint.policy.id}\n\n")
    rows = [[e.at.isoformat(), str(e.version), e.name] for e in complaint.history]
    out.write(text_table(["when", "version", "event"], rows) + "\n\n")
    out.write(f"obligations at {look.isoformat()}:\n")
    rows = [[o.id, o.due.isoformat(), o.strength, o.status, o.clause] for o in owed]
    out.write(text_table(["obligation", "due", "strength", "status", "clause"], rows) + "\n")
    if args.svg is not None:
        out.write(f"\nwrote the timeline at {look.isoformat()} to {args.svg}\n")
    return 0


# --------------------------------------------------------------------- diagram


def _route_names() -> list[str]:
    from .docgen import all_routes

    return list(all_routes())


def _diagram_arguments(p: argparse.ArgumentParser) -> None:
    names = _route_names()
    p.add_argument("route", metavar="ROUTE", choices=names, help="one of: " + ", ".join(names))
    p.epilog = "routes: " + ", ".join(names)


@command(
    "diagram",
    "a route's Mermaid state diagram",
    "Print one route's state diagram in Mermaid syntax, generated from its transitions "
    "machine (the same diagrams as docs/routes.md).",
    _diagram_arguments,
)
def _diagram(args: argparse.Namespace, out: TextIO) -> int:
    from .docgen import all_routes

    out.write(all_routes()[args.route].mermaid() + "\n")
    return 0


# --------------------------------------------------------------------- simulate

_OUT_FORMATS = (".parquet", ".csv")


def _simulate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--policy", default="cafcass-web", help=POLICY_HELP)
    p.add_argument("--years", type=_bounded(1, 100), default=1, metavar="N", help="years (1-100)")
    p.add_argument("--seed", type=_bounded(0), default=0, metavar="S", help="the random seed")
    p.add_argument("--start", type=_date, default="2024-01-01", metavar="DATE", help="first day")
    p.add_argument(
        "--out",
        metavar="FILE",
        help="write the obligations frame: .parquet (dates kept as dates), .csv (UTF-8 with a "
        "BOM, for Excel), or '-' for CSV on stdout (no BOM, no summary)",
    )
    _json_flag(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")


@command(
    "simulate",
    "simulate a national caseload through the real route machines",
    "Simulate a national caseload of complaints and compliments for --years from --start "
    "under a policy (seeded: the same arguments give the same figures), driving every "
    "complaint through the real route machines, and print a summary of lateness by "
    "obligation. Needs the analysis extra. A progress bar is shown on stderr only when "
    "stderr is a terminal and --quiet is not given.",
    _simulate_arguments,
)
def _simulate(args: argparse.Namespace, out: TextIO) -> int:
    to_stdout = args.out == "-"
    target = None if args.out is None or to_stdout else Path(args.out)
    if target is not None and target.suffix.lower() not in _OUT_FORMATS:
        raise UsageError(
            f"--out must end in .parquet or .csv, or be '-' "
            f"(got {target.suffix or 'no extension'!r})"
        )
    if target is not None and not target.parent.is_dir():
        raise ComplaintWorkflowError(f"cannot write {target}: no such directory {target.parent}")
    try:
        from .analysis.simulate import simulate
        from .analysis.whatif import summary
    except ImportError as exc:
        raise ComplaintWorkflowError(
            f"simulate needs the analysis extra ({exc.name} is missing): "
            "pip install 'complaint-workflow[analysis]'"
        ) from None
    policy = _policy(args.policy)
    stages = ["simulating", "summarising"] + ([] if args.out is None else ["writing"])
    with _progress(stages, show=not args.quiet and sys.stderr.isatty()) as step:
        step("simulating")
        sim = simulate(policy, years=args.years, seed=args.seed, start=args.start, progress=False)
        step("summarising")
        obligations = sim.obligations
        table = summary(obligations).iloc[0] if len(obligations) else None
        counts: dict[str, dict[str, int]] = {}
        for ob, status in zip(obligations["obligation_id"], obligations["status"], strict=True):
            row = counts.setdefault(str(ob), {})
            row[str(status)] = row.get(str(status), 0) + 1
        if args.out is not None:
            step("writing")
            _write_frame(obligations, out if to_stdout else target)
    if to_stdout:
        return 0
    late = 0 if table is None else int(table["late_responses"])
    answered = 0 if table is None else int(table["responses"])
    totals = {
        "complaints": len(sim.complaints),
        "compliments": len(sim.compliments),
        "events": sim.events,
        "obligations": len(obligations),
        "responses": answered,
        "late_responses": late,
        "complaints_with_a_breach": int(sim.complaints["any_breach"].sum()),
    }
    by_obligation = {ob: dict(sorted(row.items())) for ob, row in sorted(counts.items())}
    if args.json:
        _write_json(
            out,
            "simulate",
            {
                "policy": policy.id,
                "years": args.years,
                "seed": args.seed,
                "start": args.start.isoformat(),
                **totals,
                "statuses": by_obligation,
                "out": None if target is None else str(target),
            },
        )
        return 0
    out.write(
        f"simulated {args.years} year{'s' if args.years > 1 else ''} from "
        f"{args.start.isoformat()} under {policy.id}, seed {args.seed}\n\n"
    )
    rows = [
        ["complaints", f"{totals['complaints']:,}"],
        ["compliments", f"{totals['compliments']:,}"],
        ["events applied", f"{totals['events']:,}"],
        ["obligations", f"{totals['obligations']:,}"],
        [
            "late responses",
            f"{late:,} of {answered:,}" + (f" ({late / answered:.1%})" if answered else ""),
        ],
        ["complaints with a breach", f"{totals['complaints_with_a_breach']:,}"],
    ]
    out.write(text_table(["measure", "value"], rows) + "\n\n")
    order = ["met", "met-late", "breached", "impossible", "pending", "at-risk", "extended"]
    shown = [s for s in order if any(s in row for row in by_obligation.values())]
    table_rows = [[ob, *(f"{row.get(s, 0):,}" for s in shown)] for ob, row in by_obligation.items()]
    out.write(text_table(["obligation", *shown], table_rows) + "\n")
    if target is not None:
        out.write(f"\nwrote {len(obligations):,} obligations to {target}\n")
    return 0


@contextmanager
def _progress(stages: Sequence[str], *, show: bool) -> Iterator[Callable[[str], None]]:
    """One bar on stderr over every stage of the run (``show`` false: nothing is written)."""
    if not show:
        yield lambda stage: None
        return
    from tqdm import tqdm

    bar = tqdm(total=len(stages), desc=stages[0], unit=" stage", file=sys.stderr, leave=False)
    started: list[str] = []

    def step(stage: str) -> None:
        if started:
            bar.update(1)
        started.append(stage)
        bar.set_description(stage)

    try:
        yield step
        bar.update(len(stages) - bar.n)
    finally:
        bar.close()


def _write_frame(frame: Any, target: Path | TextIO | None) -> None:
    """The obligations frame as CSV (UTF-8 with a BOM in a file, so Excel keeps "§"; plain
    UTF-8 on stdout) or Parquet (naive date-only columns written as Arrow ``date32``)."""
    if target is None:
        return
    if not isinstance(target, Path):
        frame.to_csv(target, index=False)
        return
    try:
        if target.suffix.lower() == ".csv":
            frame.to_csv(target, index=False, encoding="utf-8-sig")
        else:
            import pyarrow as pa  # type: ignore[import-untyped]
            import pyarrow.parquet as pq  # type: ignore[import-untyped]

            table = pa.Table.from_pandas(frame, preserve_index=False)
            for name in _date_only_columns(frame):
                position = table.schema.get_field_index(name)
                column = table.column(name).cast(pa.date32())
                table = table.set_column(position, pa.field(name, pa.date32()), column)
            pq.write_table(table, target)
    except ImportError:
        raise ComplaintWorkflowError("writing parquet needs pyarrow: pip install pyarrow") from None
    except OSError as exc:
        raise ComplaintWorkflowError(f"cannot write {target} ({exc.strerror or exc})") from None


def _date_only_columns(frame: Any) -> list[str]:
    """Columns of naive ``datetime64`` whose every value is a midnight: calendar dates."""
    import pandas as pd

    names = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_dtype(column.dtype) and not isinstance(
            column.dtype, pd.DatetimeTZDtype
        ):
            present = column.dropna()
            if (present == present.dt.normalize()).all():
                names.append(str(name))
    return names


# --------------------------------------------------------------------- policy

group(
    "policy",
    "show or compare policy versions",
    "Show a policy version's targets and parameters, or compare two versions. A policy is a "
    "built-in id (cafcass-2012, the written procedure; cafcass-web, the current web page) or "
    "a path to a .toml file (see docs/policies.md).",
)


def _policy_show_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("policy", metavar="ID", help=POLICY_HELP)
    _json_flag(p)


@command(
    "policy show",
    "a policy's targets and parameters",
    "Print a policy's targets (due rule, strength, clause, the routes it applies to) and the "
    "value of every named parameter.",
    _policy_show_arguments,
)
def _policy_show(args: argparse.Namespace, out: TextIO) -> int:
    policy = _policy(args.policy)
    if args.json:
        targets = [
            {
                "id": t.id,
                "due": t.describe(policy.parameters),
                "strength": t.strength,
                "clause": t.clause,
                "routes": list(t.routes),
                "triggers": list(t.triggers),
            }
            for t in policy.targets
        ]
        parameters = {name: _plain(getattr(policy.parameters, name)) for name in PARAMETER_NAMES}
        _write_json(
            out,
            "policy-show",
            {
                "id": policy.id,
                "title": policy.title,
                "source": policy.source,
                "targets": targets,
                "parameters": parameters,
            },
        )
        return 0
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


def _plain(value: object) -> object:
    """A parameter value as JSON: None, bool, numbers and strings as they are, else text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _policy_diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A", help=POLICY_HELP)
    p.add_argument("b", metavar="B", help=POLICY_HELP)
    _json_flag(p)


@command(
    "policy diff",
    "what differs between two policies",
    "Print every target and parameter that differs between policy A and policy B, with its "
    "value in each (none when a target is only in one).",
    _policy_diff_arguments,
)
def _policy_diff(args: argparse.Namespace, out: TextIO) -> int:
    a, b = _policy(args.a), _policy(args.b)
    changes = a.diff(b)
    if args.json:
        _write_json(
            out,
            "policy-diff",
            {
                "a": a.id,
                "b": b.id,
                "changes": [
                    {"what": c.path, "a": c.before or None, "b": c.after or None} for c in changes
                ],
            },
        )
        return 0
    if not changes:
        out.write(f"{a.id} and {b.id} are the same\n")
        return 0
    rows = [[c.path, c.before or "(none)", c.after or "(none)"] for c in changes]
    out.write(text_table(["what", a.id, b.id], rows) + "\n")
    return 0


# --------------------------------------------------------------------- main


def _version() -> str:
    from . import __version__

    return __version__


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="The Cafcass complaints procedure as explicit state machines, with "
        "deadlines on an England-and-Wales working-day calendar.\n\nExit status: 0 done; 1 bad "
        "data or a refused operation; 2 a usage error; 130 interrupted.",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    subparsers: dict[str, Any] = {
        "": parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    }
    for name, spec in COMMANDS.items():
        parent, _, word = name.rpartition(" ")
        if parent not in subparsers:
            raise RuntimeError(f"register the group {parent!r} before {name!r}")
        sub = subparsers[parent].add_parser(
            word,
            help=spec.summary,
            description=spec.description,
            formatter_class=_Formatter,
        )
        if spec.run is None:
            subparsers[name] = sub.add_subparsers(
                dest=f"{name.replace(' ', '_')}_command", required=True, metavar="ACTION"
            )
        else:
            spec.arguments(sub)
            sub.set_defaults(func=spec.run)
    for extend in EXTENSIONS:
        extend(subparsers[""])
    return parser


# --------------------------------------------------------------------- serve and store


def _serve_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="the store (default: $COMPLAINT_WORKFLOW_DB)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (loopback by default)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on")


@command(
    "serve",
    "run the reference service over a store (the service extra)",
    "Serve the JSON API and the caseworker pages over the store at --db (sqlite:///file.db, "
    "sqlite:// or postgresql://...). It binds to loopback unless --host says otherwise. "
    "Access needs the token in COMPLAINT_WORKFLOW_TOKEN; when it is unset the server makes "
    "one and prints a login URL carrying it. Stop it with Ctrl-C.",
    _serve_arguments,
)
def _serve(args: argparse.Namespace, out: TextIO) -> int:
    db = args.db or os.environ.get("COMPLAINT_WORKFLOW_DB")
    if not db:
        raise UsageError("serve needs --db URL (or COMPLAINT_WORKFLOW_DB), e.g. sqlite:///cw.db")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535 (got {args.port})")
    try:
        from .service import serve
    except ImportError as exc:
        raise ComplaintWorkflowError(
            f"serve needs the service extra ({exc.name} is missing): "
            "pip install 'complaint-workflow[service]'"
        ) from None
    try:
        serve(db, host=args.host, port=args.port, out=out)
    except OSError as exc:
        raise ComplaintWorkflowError(
            f"cannot serve on {args.host}:{args.port} ({exc.strerror or exc})"
        ) from None
    return 0


def _store_commands(subparsers: Any) -> None:
    from .store_cli import add_store_commands  # store errors exit 1 (see store_cli)

    add_store_commands(subparsers)


EXTENSIONS.append(_store_commands)


def _fail(message: str, status: int) -> int:
    first = message.strip().splitlines()[0] if message.strip() else "failed"
    sys.stderr.write(f"{PROG}: error: {first}\n")
    return status


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0, 1, 2 or 130: see the module doc)."""
    stream = sys.stdout if out is None else out
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as done:  # --help and --version
            return done.code if isinstance(done.code, int) else EXIT_OK
        status: int = args.func(args, stream)
        stream.flush()
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except ComplaintWorkflowError as exc:
        return _fail(str(exc), EXIT_REFUSED)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:  # e.g. piped into head: stop quietly, as other tools do
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:
        return _fail(f"{type(exc).__name__}: {exc.strerror or 'input/output failed'}", 1)
    except Exception as exc:  # the last resort: one line, the class only, never the message
        return _fail(
            f"unexpected {type(exc).__name__} (a bug in {PROG}; the message is withheld as it "
            "may hold personal data)",
            EXIT_REFUSED,
        )
    return status


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests): nothing to silence
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
