"""A tiny complaints service: events in, complaints kept in a ``ComplaintStore``.

What it shows
-------------
- ``ComplaintStore.open(url)`` keeps every complaint's history in SQLite (or PostgreSQL):
  ``store.add`` for a new complaint, ``store.append(id, event, expected_version=...)`` for
  the next event. Each append is one transaction; two writers racing on one complaint get a
  ``ConcurrencyError`` rather than a lost update.
- ``handle(store, complaint_id, event)`` is the whole service. An event the procedure does not
  allow raises ``EventRejected`` *before* anything is written, so the stored history stays as
  it was.
- The script feeds an inbox of events for three complaints taken from ``demo.SCENARIOS``
  (interleaved in the order they happened, and only those that had happened by ``--now``),
  including one event that is rejected, then prints each complaint's state and obligations at
  ``--now``, the store's worklist for the week ahead, and checks that reading each complaint
  back gives an equal one.
- Personal details (``PersonalDetails``) are stored in their own table, beside the history,
  but never printed: the output shows only whether a complaint has any.

Nothing reads the wall clock: "now" is ``--now`` (default 2024-07-01T12:00+01:00).

Run it::

    python examples/complaint_service.py
    python examples/complaint_service.py --db sqlite:////tmp/complaints.db \\
        --now 2024-06-14T17:00+01:00 --policy cafcass-2012

``--db`` must name an empty (or new) store; without it a temporary SQLite file is used and
removed at the end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, timedelta
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
from complaint_workflow.store import ComplaintStore
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


def handle(
    store: ComplaintStore,
    complaint_id: str,
    event: Event,
    *,
    personal: PersonalDetails | None = None,
) -> Complaint:
    """Apply one incoming event to a stored complaint, recording it; returns the complaint.

    A ``ComplaintOpened`` for an id not yet stored starts a new complaint (with ``personal``,
    if given); any other event is appended to the stored one at its current version.
    ``EventRejected`` (including a second opening) propagates and nothing is written;
    ``ComplaintNotFound`` (a ``KeyError``) for an event to an id never opened.
    """
    if isinstance(event, ComplaintOpened) and complaint_id not in store:
        if event.complaint_id != complaint_id:
            raise EventRejected(
                "(new)", event.name, f"the event opens {event.complaint_id!r}, not {complaint_id!r}"
            )
        return store.add(Complaint.replay([event], personal=personal))
    current = store.get(complaint_id)
    return store.append(complaint_id, event, expected_version=current.version)


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


def run(store: ComplaintStore, policy_id: str, now: datetime) -> int:
    """Feed the inbox to the store and report; 0 if every check held."""
    if store.complaint_ids():
        print(f"the store {store!r} is not empty; use a new one", file=sys.stderr)
        return 2
    latest: dict[str, Complaint] = {}
    rejected = 0
    for complaint_id, event in inbox(policy_id, now):
        when = event.at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
        before = store.get(complaint_id).history if complaint_id in store else None
        try:
            complaint = handle(store, complaint_id, event, personal=PERSONAL.get(complaint_id))
        except EventRejected as refused:
            rejected += 1
            after = store.get(complaint_id).history if complaint_id in store else None
            untouched = "stored history untouched" if before == after else "HISTORY CHANGED"
            version = "none" if before is None else len(before)
            print(f"{when}  {complaint_id:8} {event.name:26} REJECTED: {refused.reason}")
            print(f"{'':16}  {'':8} version {version}: {untouched}")
            if before != after:
                return 1
            continue
        latest[complaint_id] = complaint
        print(f"{when}  {complaint_id:8} {event.name:26} -> {complaint.state}")

    print(f"\n{len(latest)} complaints stored; {rejected} event(s) rejected")
    print(f"obligations at {now.isoformat()} (Europe/London)")
    all_equal = True
    for complaint_id in store.complaint_ids():
        complaint = latest[complaint_id]
        reloaded = store.get(complaint_id)
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
        print(f"   reloaded from the store: {verdict}")
    week = now.astimezone(LONDON).date() + timedelta(days=7)
    work = store.worklist(at=now, until=week)
    print(f"\nworklist: {len(work)} obligation(s) not met and due by {week.isoformat()}")
    rows = [[w.due.strftime("%a %Y-%m-%d"), w.complaint_id, w.id, w.status] for w in work]
    print(text_table(["due", "complaint", "obligation", "status"], rows))
    return 0 if all_equal else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the service script; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", metavar="URL", help="the store (default: a temporary SQLite file)")
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
    if args.db is not None:
        with ComplaintStore.open(args.db) as store:
            return run(store, args.policy, args.now)
    with tempfile.TemporaryDirectory(prefix="complaints-") as directory:
        url = f"sqlite:///{Path(directory) / 'complaints.db'}"
        with ComplaintStore.open(url) as store:
            return run(store, args.policy, args.now)


if __name__ == "__main__":
    raise SystemExit(main())
