"""A store for services: complaints kept in SQLite (default) or PostgreSQL.

>>> from complaint_workflow.store import ComplaintStore
>>> with ComplaintStore.open("sqlite://") as store:
...     store.complaint_ids()
[]

SQLAlchemy (and, for PostgreSQL, psycopg) are imported only here, never by
``import complaint_workflow``. See ``docs/store.md``.
"""

from __future__ import annotations

from ..errors import (
    ComplaintNotFound,
    ConcurrencyError,
    DuplicateComplaintError,
    StoreError,
)
from ._store import (
    Change,
    ChangeList,
    ComplaintStore,
    FeedCursor,
    Moved,
    MoveList,
    WorkItem,
)

__all__ = [
    "Change",
    "ChangeList",
    "ComplaintNotFound",
    "ComplaintStore",
    "ConcurrencyError",
    "DuplicateComplaintError",
    "FeedCursor",
    "MoveList",
    "Moved",
    "StoreError",
    "WorkItem",
]
