"""``complaint-workflow store ...``: the store's commands (wired into ``cli.py``).

``init | import | worklist | changes | repair | migrate | erase``, each with ``--db URL``
(default: the ``COMPLAINT_WORKFLOW_DB`` environment variable; a plain path means a SQLite file)
and ``--json`` on every read. A malformed command line exits 2; any other error prints one
line on stderr and exits 1.

This module imports the store (and so SQLAlchemy) only when a store command runs, so the
other commands start as fast as before.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from .calendar import LONDON
from .errors import ComplaintWorkflowError, InvalidInputError
from .text import text_table

if TYPE_CHECKING:
    from .store import ComplaintStore

__all__ = ["DB_ENV", "add_store_commands"]

DB_ENV = "COMPLAINT_WORKFLOW_DB"
PROG = "complaint-workflow"

Handler = Callable[[argparse.Namespace, TextIO], int]


def _url(args: argparse.Namespace) -> str:
    url: str | None = args.db or os.environ.get(DB_ENV)
    if not url:
        raise InvalidInputError(f"no store given: pass --db URL or set {DB_ENV}")
    if "://" not in url:
        url = f"sqlite:///{os.path.abspath(url)}"
    return url


def _open(args: argparse.Namespace, **kwargs: Any) -> ComplaintStore:
    from .store import ComplaintStore

    return ComplaintStore.open(_url(args), **kwargs)


def _instant(text: str | None, flag: str) -> datetime:
    if text is None:
        return datetime.now(LONDON)  # a shell may read the clock; the library never does
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            f"{flag} must be an ISO date-time such as 2024-06-12T10:00+01:00"
        ) from None
    if value.tzinfo is None:
        raise InvalidInputError(f"{flag} must include a UTC offset, e.g. 2024-06-12T10:00+01:00")
    return value


def _date(text: str, flag: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{flag} must be an ISO date such as 2024-06-12") from None


def _guarded(handler: Handler) -> Handler:
    def run(args: argparse.Namespace, out: TextIO) -> int:
        try:
            return handler(args, out)
        except ComplaintWorkflowError as exc:
            sys.stderr.write(f"{PROG}: error: {exc}\n")
            return 1

    return run


# --------------------------------------------------------------------- commands


def _init(args: argparse.Namespace, out: TextIO) -> int:
    with _open(args) as store:
        out.write(f"store ready: {len(store.complaint_ids())} complaints\n")
    return 0


def _import(args: argparse.Namespace, out: TextIO) -> int:
    with _open(args) as store:
        added = store.import_json(args.files)
    out.write(f"imported {len(added)} complaint{'s' if len(added) != 1 else ''}\n")
    return 0


def _worklist(args: argparse.Namespace, out: TextIO) -> int:
    at = _instant(args.at, "--at")
    if args.until is not None:
        until = _date(args.until, "--until")
    else:
        if args.days < 0:
            raise InvalidInputError(f"--days must be 0 or more (got {args.days})")
        until = at.astimezone(LONDON).date() + timedelta(days=args.days)
    with _open(args) as store:
        rows = store.worklist(
            at=at, until=until, statuses=args.status, policy=args.policy, limit=args.limit
        )
    if args.json:
        document = {
            "at": at.isoformat(),
            "until": until.isoformat(),
            "rows": [r.to_dict() for r in rows],
        }
        out.write(json.dumps(document, ensure_ascii=False) + "\n")
        return 0
    out.write(
        f"worklist at {at.isoformat()}: {len(rows)} obligation{'s' if len(rows) != 1 else ''} "
        f"not met, due by {until:%a %d %b %Y}\n"
    )
    day: date | None = None
    group: list[list[str]] = []
    headers = ["complaint", "obligation", "strength", "status", "clause"]

    def flush() -> None:
        if day is not None:
            out.write(f"\n{day:%a %d %b %Y}\n")
            table = text_table(headers, group)
            out.write("\n".join("  " + line for line in table.splitlines()) + "\n")

    for row in rows:
        if row.due != day:
            flush()
            day, group = row.due, []
        status = row.status + (" (overdue)" if row.overdue else "")
        group.append([row.complaint_id, row.id, row.strength, status, row.clause])
    flush()
    return 0


def _changes(args: argparse.Namespace, out: TextIO) -> int:
    from .store import FeedCursor

    after: datetime | FeedCursor
    after = FeedCursor.parse(args.after) if "@" in args.after else _instant(args.after, "--after")
    until = _instant(args.until, "--until")
    with _open(args) as store:
        found = store.changes(after=after, until=until)
    if args.json:
        document = {"changes": [c.to_dict() for c in found], "cursor": str(found.cursor)}
        out.write(json.dumps(document, ensure_ascii=False) + "\n")
        return 0
    rows = [
        [c.at.astimezone(LONDON).isoformat(), c.complaint_id, c.id, c.status, str(c.due)]
        for c in found
    ]
    out.write(text_table(["when", "complaint", "obligation", "becomes", "due"], rows) + "\n")
    out.write(f"cursor: {found.cursor}\n")
    return 0


def _moves(found: Any, out: TextIO, as_json: bool, what: str) -> None:
    if as_json:
        document = {
            "moved": [m.to_dict() for m in found],
            "skipped": [{"complaint_id": i, "reason": r} for i, r in found.skipped],
        }
        out.write(json.dumps(document, ensure_ascii=False) + "\n")
        return
    out.write(f"{what}: {len(found)} due date{'s' if len(found) != 1 else ''} moved\n")
    if found:
        rows = [
            [m.complaint_id, m.id, str(m.old_due or "(none)"), str(m.new_due or "(none)")]
            for m in found
        ]
        out.write(text_table(["complaint", "obligation", "was due", "now due"], rows) + "\n")
    for complaint_id, reason in found.skipped:
        out.write(f"skipped {complaint_id}: {reason}\n")


def _repair(args: argparse.Namespace, out: TextIO) -> int:
    from .policy import Policy

    policies = [Policy.from_toml(p) for p in args.policy or ()]
    with _open(args) as store:
        calendar = store.calendar
        if args.closure:
            calendar = calendar.with_closures(_date(d, "--closure") for d in args.closure)
        found = store.repair(calendar=calendar, policies=policies or None)
    _moves(found, out, args.json, "repaired")
    return 0


def _migrate(args: argparse.Namespace, out: TextIO) -> int:
    from .policy import Policy

    target: str | Policy = Policy.from_toml(args.to) if args.to.endswith(".toml") else args.to
    at = _instant(args.at, "--at")
    with _open(args) as store:
        found = store.migrate(args.source, target, at=at, dry_run=not args.apply)
    _moves(found, out, args.json, "migrated" if args.apply else "dry run (nothing written)")
    return 0


def _erase(args: argparse.Namespace, out: TextIO) -> int:
    with _open(args) as store:
        erased = store.erase_personal(args.complaint_id)
    out.write(
        f"erased the personal details of {args.complaint_id}\n"
        if erased
        else f"{args.complaint_id} holds no personal details\n"
    )
    return 0


# --------------------------------------------------------------------- the parser


def add_store_commands(commands: Any) -> None:
    """Add ``store`` and its actions to the ``complaint-workflow`` sub-command parsers."""
    store = commands.add_parser("store", help="keep complaints in SQLite or PostgreSQL")
    actions = store.add_subparsers(dest="store_command", required=True, metavar="ACTION")

    def action(name: str, handler: Handler, help_text: str, *, reads: bool) -> Any:
        parser = actions.add_parser(name, help=help_text)
        parser.add_argument(
            "--db", metavar="URL", help=f"sqlite:///file.db, postgresql://... (default ${DB_ENV})"
        )
        if reads:
            parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.set_defaults(func=_guarded(handler))
        return parser

    action("init", _init, "create (or upgrade) the store", reads=False)
    imp = action("import", _import, "add JSON histories (files or directories)", reads=False)
    imp.add_argument("files", nargs="+", metavar="FILE")

    work = action("worklist", _worklist, "obligations not met, due by a date", reads=True)
    work.add_argument("--at", metavar="ISO-DATETIME", help="the instant (default: now)")
    work.add_argument("--until", metavar="DATE", help="the last due date (default: --days)")
    work.add_argument("--days", type=int, default=7, metavar="N", help="days ahead (default 7)")
    work.add_argument("--status", action="append", help="only this status (repeatable)")
    work.add_argument("--policy", metavar="ID", help="only complaints under this policy")
    work.add_argument("--limit", type=int, metavar="N", help="at most N rows")

    feed = action("changes", _changes, "status changes in a window (the timer feed)", reads=True)
    feed.add_argument(
        "--after", required=True, metavar="ISO-DATETIME|CURSOR", help="an instant or a cursor"
    )
    feed.add_argument("--until", metavar="ISO-DATETIME", help="the end (default: now)")

    rep = action("repair", _repair, "recompute after a calendar or policy change", reads=True)
    rep.add_argument("--closure", action="append", metavar="DATE", help="a new non-working day")
    rep.add_argument("--policy", action="append", metavar="FILE.toml", help="new policy content")

    mig = action("migrate", _migrate, "move open complaints to another policy", reads=True)
    mig.add_argument("source", metavar="FROM", help="the policy id complaints are under")
    mig.add_argument("to", metavar="TO", help="a policy id or a .toml file")
    mig.add_argument("--at", metavar="ISO-DATETIME", help="when the change happens (default: now)")
    mig.add_argument("--apply", action="store_true", help="write (default: a dry run)")

    erase = action("erase", _erase, "remove a complaint's personal details for good", reads=False)
    erase.add_argument("complaint_id", metavar="ID")
