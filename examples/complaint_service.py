"""A tiny complaints service: events in, one JSON history file per complaint on disk.

What it shows
-------------
- ``JsonFileStore`` keeps each complaint's history as ``<complaint id>.json`` in a directory
  (``Complaint.to_json``), writing a temporary file and ``os.replace``-ing it into place so a
  reader never sees half a file.
- ``handle(store, complaint_id, event)`` is the whole service: load, apply, save. An event the
  procedure does not allow raises ``EventRejected`` *before* anything is saved, so the stored
  file stays byte-for-byte as it was.
- The script feeds an inbox of events for three complaints taken from ``demo.SCENARIOS``
  (interleaved in the order they happened, and only those that had happened by ``--now``),
  including one event that is rejected, then prints each complaint's state and obligations at
  ``--now`` and checks that reading every file back gives an equal complaint.
- Personal details (``PersonalDetails``) are stored in the JSON, beside the history, but are
  never printed: the output shows only whether a complaint has any.

Nothing reads the wall clock: "now" is ``--now`` (default 2024-07-01T12:00+01:00).

Run it::

    python examples/complaint_service.py
    python examples/complaint_service.py --store /tmp/complaints \\
        --now 2024-06-14T17:00+01:00 --policy cafcass-2012

``--store`` must be an empty (or new) directory; without it a temporary directory is used
and removed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from complaint_workflow import (
    LONDON,
    Complaint,
    ComplaintClosed,
    ComplaintOpened,
    Event,
    EventRejected,
    Obligation,
    PersonalDetails,
    Policy,
)
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.text import text_table

DEFAULT_NOW: Final = "2024-07-01T12:00+01:00"

SERVICE_SCENARIOS: Final = ("CHILD-1", "LATE-1", "QUICK-1")
"""The demo scenarios whose events make up the inbox."""

PERSONAL: Final[dict[str, PersonalDetails]] = {
    "CHILD-1": PersonalDetails(
        name="Personal-Marker Child Name",
        contact="personal-marker@example.org",
        text="Personal-marker: the words of the complaint itself.",
    ),
    "LATE-1": PersonalDetails(name="Personal-Marker Adult Name", contact="07700 900000"),
}
"""Personal details sent with the opening of some complaints: stored, never printed."""

REJECTED: Final = (
    "CHILD-1",
    ComplaintClosed(at=datetime(2024, 6, 13, 14, 0, tzinfo=LONDON)),
)
"""An event the procedure refuses: closing a child's complaint before the court is told."""

_SAFE_ID: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


class JsonFileStore:
    """Each complaint's history as ``<id>.json`` in one directory (one writer at a time).

    ``policies`` are handed to ``Complaint.from_json`` for histories that name a policy that
    is neither built in nor embedded in the file.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        policies: Mapping[str, Policy] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.policies = dict(policies or {})

    def path(self, complaint_id: str) -> Path:
        """The file holding ``complaint_id``; refuses ids that are not safe file names."""
        if not _SAFE_ID.match(complaint_id):
            raise ValueError(f"complaint id {complaint_id!r} is not a safe file name")
        return self.directory / f"{complaint_id}.json"

    def __contains__(self, complaint_id: object) -> bool:
        return isinstance(complaint_id, str) and self.path(complaint_id).exists()

    def save(self, complaint: Complaint) -> None:
        """Write the complaint's history (with its personal details) atomically."""
        target = self.path(complaint.id)
        data = complaint.to_json().encode("utf-8")
        fd, tmp_name = tempfile.mkstemp(
            dir=self.directory, prefix=f".{complaint.id}.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def load(self, complaint_id: str) -> Complaint:
        """Read and replay a stored complaint; ``KeyError`` if there is none."""
        path = self.path(complaint_id)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise KeyError(complaint_id) from None
        return Complaint.from_json(data, policies=self.policies)

    def ids(self) -> list[str]:
        """The ids of every stored complaint, sorted."""
        return sorted(p.stem for p in self.directory.glob("*.json") if _SAFE_ID.match(p.stem))


def handle(
    store: JsonFileStore,
    complaint_id: str,
    event: Event,
    *,
    personal: PersonalDetails | None = None,
) -> Complaint:
    """Apply one incoming event to a stored complaint and save the result.

    A ``ComplaintOpened`` for an id not yet stored starts a new complaint (with ``personal``,
    if given); any other event is applied to the stored one. ``EventRejected`` (including a
    second opening) propagates and nothing is written.
    """
    if isinstance(event, ComplaintOpened) and complaint_id not in store:
        if event.complaint_id != complaint_id:
            raise EventRejected(
                "(new)", event.name, f"the event opens {event.complaint_id!r}, not {complaint_id!r}"
            )
        complaint = Complaint.replay([event], personal=personal)
    else:
        complaint = store.load(complaint_id).apply(event)
    store.save(complaint)
    return complaint


# --------------------------------------------------------------------- the script


def opening_event(facts: dict[str, Any], policy_id: str) -> ComplaintOpened:
    """The opening event for the facts ``Complaint.open`` takes (as a sender would build it)."""
    involvement_ended: date | None = facts.get("involvement_ended")
    return ComplaintOpened(
        at=facts["received_at"],
        complaint_id=facts["complaint_id"],
        complainant=facts["complainant"],
        channel=facts.get("channel", "email"),
        case_ongoing=facts.get("case_ongoing", involvement_ended is None),
        involvement_ended=involvement_ended,
        hearing=facts.get("hearing"),
        staff_named=facts.get("staff_named", 0),
        policy_id=policy_id,
    )


def inbox(policy_id: str, now: datetime) -> list[tuple[str, Event]]:
    """The incoming events up to ``now``, in the order they happened, with one bad one."""
    chosen = [s for s in SCENARIOS if s.facts["complaint_id"] in SERVICE_SCENARIOS]
    messages: list[tuple[str, Event]] = [REJECTED]
    for scenario in chosen:
        complaint_id = scenario.facts["complaint_id"]
        messages.append((complaint_id, opening_event(scenario.facts, policy_id)))
        messages.extend((complaint_id, event) for event in scenario.events)
    messages.sort(key=lambda m: m[1].at)  # stable: each complaint's own order is kept
    return [m for m in messages if m[1].at <= now]


def parse_instant(text: str) -> datetime:
    """An aware ISO 8601 instant, as a London time (for ``--now``)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {text!r}") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise argparse.ArgumentTypeError(f"give a UTC offset, e.g. {DEFAULT_NOW}")
    return value.astimezone(LONDON)


def _obligation_row(o: Obligation) -> list[str]:
    note = "" if o.extended_from is None else f"extended from {o.extended_from.isoformat()}"
    met = "" if o.met_at is None else o.met_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
    return [o.id, o.due.strftime("%a %Y-%m-%d"), o.strength, o.status, met, note]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def run(store: JsonFileStore, policy_id: str, now: datetime) -> int:
    """Feed the inbox to the store and report; 0 if every check held."""
    if store.ids():
        print(f"the store {store.directory} is not empty; use a new directory", file=sys.stderr)
        return 2
    latest: dict[str, Complaint] = {}
    rejected = 0
    for complaint_id, event in inbox(policy_id, now):
        when = event.at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
        before = _digest(store.path(complaint_id)) if complaint_id in store else None
        try:
            complaint = handle(store, complaint_id, event, personal=PERSONAL.get(complaint_id))
        except EventRejected as refused:
            rejected += 1
            after = None if before is None else _digest(store.path(complaint_id))
            untouched = "file untouched" if before == after else "FILE CHANGED"
            print(f"{when}  {complaint_id:8} {event.name:26} REJECTED: {refused.reason}")
            print(f"{'':16}  {'':8} stored file sha256 {before} -> {after}: {untouched}")
            if before != after:
                return 1
            continue
        latest[complaint_id] = complaint
        print(f"{when}  {complaint_id:8} {event.name:26} -> {complaint.state}")

    print(f"\n{len(latest)} complaints stored in {store.directory}; {rejected} event(s) rejected")
    print(f"obligations at {now.isoformat()} (Europe/London)")
    all_equal = True
    for complaint_id in store.ids():
        complaint = latest[complaint_id]
        reloaded = store.load(complaint_id)
        equal = reloaded == complaint
        all_equal = all_equal and equal
        personal = "held apart, not shown" if complaint.personal is not None else "none"
        print(
            f"\n== {complaint_id}: {complaint.situation.complainant} complainant under "
            f"{complaint.policy.id}, version {complaint.version}, state {complaint.state}"
        )
        print(f"   day 0 {complaint.deemed_receipt.isoformat()}; personal details: {personal}")
        rows = [_obligation_row(o) for o in complaint.obligations(now)]
        table = text_table(["obligation", "due", "strength", "status", "met at", "note"], rows)
        print("\n".join("   " + line for line in table.splitlines()))
        verdict = "equal" if equal else "DIFFERENT"
        print(f"   reloaded from {store.path(complaint_id).name}: {verdict}")
    return 0 if all_equal else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the service script; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", metavar="DIR", help="directory for the JSON files")
    parser.add_argument(
        "--now",
        type=parse_instant,
        default=parse_instant(DEFAULT_NOW),
        metavar="ISO-DATETIME",
        help=f"the instant to report at; events after it have not arrived (default {DEFAULT_NOW})",
    )
    parser.add_argument(
        "--policy",
        choices=Policy.builtin_ids(),
        default="cafcass-web",
        help="the policy new complaints open under (default cafcass-web)",
    )
    args = parser.parse_args(argv)
    if args.store is not None:
        return run(JsonFileStore(args.store), args.policy, args.now)
    with tempfile.TemporaryDirectory(prefix="complaints-") as directory:
        return run(JsonFileStore(directory), args.policy, args.now)


if __name__ == "__main__":
    raise SystemExit(main())
