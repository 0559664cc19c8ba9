"""The ``complaint-workflow`` command: a thin shell over the library.

Every failure prints one line on stderr (``complaint-workflow: error: ...``) and exits 2;
never a traceback. Nothing here reads the wall clock: instants come from the arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import NoReturn, TextIO

from .calendar import LONDON, WorkingDayCalendar
from .errors import ComplaintWorkflowError
from .policy import PARAMETER_NAMES, Policy
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

_DEMO_RECEIPTS = (
    ("an ordinary Wednesday morning", datetime(2024, 6, 12, 10, 0, tzinfo=LONDON)),
    ("Christmas Day", datetime(2024, 12, 25, 11, 0, tzinfo=LONDON)),
    ("Friday 23:30 UTC, already Saturday in London", datetime(2024, 6, 14, 23, 30, tzinfo=UTC)),
    ("Good Friday", datetime(2024, 3, 29, 9, 0, tzinfo=LONDON)),
    ("the Friday before the Coronation bank holiday", datetime(2023, 5, 5, 16, 0, tzinfo=LONDON)),
)


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    calendar = WorkingDayCalendar.england_and_wales()
    policies = [Policy.builtin(i) for i in Policy.builtin_ids()]
    out.write("Working days: England and Wales (weekends and bank holidays are not).\n")
    out.write("Timescales from each policy, counted from deemed receipt (day 0):\n\n")
    for label, received in _DEMO_RECEIPTS:
        day0 = calendar.deemed_receipt(received)
        out.write(f"Received {received.isoformat()} ({label}); day 0 = {day0:%a %d %b %Y}\n")
        rows = []
        target_ids: list[str] = []
        for p in policies:
            target_ids += [
                t.id for t in p.targets if t.anchor == "receipt" and t.id not in target_ids
            ]
        for target_id in target_ids:
            cells = []
            for p in policies:
                t = p.get(target_id)
                cells.append("—" if t is None else _due_text(t.due(day0, calendar, p.parameters)))
            rows.append([target_id, *cells])
        out.write(text_table(["target", *(p.id for p in policies)], rows) + "\n\n")
    out.write("What changed from cafcass-2012 to cafcass-web:\n")
    for change in policies[0].diff(policies[1]):
        if change.path.startswith("targets."):
            out.write(f"  {change}\n")
    return 0


def _due_text(d: date) -> str:
    return f"{d:%a %d %b %Y}"


# --------------------------------------------------------------------- main


def _parser() -> _Parser:
    parser = _Parser(prog=PROG, description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="walk example complaints through the procedure")
    demo.set_defaults(func=_demo)

    policy = commands.add_parser("policy", help="show or compare policy versions")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    show = policy_commands.add_parser("show", help="a policy's targets and parameters")
    show.add_argument("policy", metavar="ID", help="a built-in id or a .toml path")
    show.set_defaults(func=_policy_show)
    diff = policy_commands.add_parser("diff", help="what differs between two policies")
    diff.add_argument("a", metavar="A", help="a built-in id or a .toml path")
    diff.add_argument("b", metavar="B", help="a built-in id or a .toml path")
    diff.set_defaults(func=_policy_diff)
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
