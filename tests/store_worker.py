"""A writer process for the store's concurrency and fault tests (test_store_processes.py).

``append URL ID WORKER M START`` makes M appends, retrying conflicts; ``add URL ID START``
makes one add and prints the outcome; ``hang URL ID`` stops inside a write transaction.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime

from complaint_workflow import LONDON, Complaint, ContactRestricted
from complaint_workflow.store import ComplaintStore, ConcurrencyError, DuplicateComplaintError

AT = datetime(2024, 6, 12, 11, tzinfo=LONDON)


def opened(complaint_id: str) -> Complaint:
    """The complaint every worker adds or appends to."""
    return Complaint.open(
        complaint_id=complaint_id,
        complainant="adult",
        received_at=datetime(2024, 6, 12, 10, tzinfo=LONDON),
    )


def event(event_id: str) -> ContactRestricted:
    """An event the procedure allows any number of times (contact limited)."""
    return ContactRestricted(at=AT, restriction="limited", because="abusive", event_id=event_id)


def _wait(start: float) -> None:
    time.sleep(max(0.0, start - time.time()))


def main(argv: list[str]) -> int:
    """Run one worker command; see the module docstring."""
    command, url, complaint_id = argv[:3]
    with ComplaintStore.open(url) as store:
        if command == "append":
            worker, count, start = argv[3], int(argv[4]), float(argv[5])
            _wait(start)
            conflicts = 0
            for j in range(count):
                while True:
                    version = store.get(complaint_id).version
                    try:
                        store.append(complaint_id, event(f"{worker}-{j}"), expected_version=version)
                        break
                    except ConcurrencyError:
                        conflicts += 1
            print(f"done {conflicts}")
        elif command == "add":
            _wait(float(argv[3]))
            try:
                store.add(opened(complaint_id))
                print("added")
            except DuplicateComplaintError:
                print("duplicate")
        elif command == "hang":

            def stop(what: str) -> None:
                print(f"in-transaction {what}", flush=True)
                time.sleep(120)

            store._before_commit = stop
            version = store.get(complaint_id).version
            store.append(complaint_id, event("hung"), expected_version=version)
        else:
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
