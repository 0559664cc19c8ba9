"""The store's tables: one SQLAlchemy Core schema for SQLite and PostgreSQL.

The *log* (complaints, events, personal details, policies) is the record; the *projection*
(obligation rows and changes) is derived from it and can always be rebuilt. ``cw_meta`` holds
``schema_version`` (the log's shape) and ``projection_version`` (the projection's): a store
opened by a newer library upgrades itself; one written by a newer library is refused. Indexes
are not versioned: opening a store creates any index it lacks and drops those in
:data:`OBSOLETE_INDEXES`.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

__all__ = ["OBSOLETE_INDEXES", "PROJECTION_VERSION", "SCHEMA_VERSION", "metadata"]

SCHEMA_VERSION: Final = 1
PROJECTION_VERSION: Final = 1

metadata = sa.MetaData()

_ID = sa.String(200)
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: a rowid alias
_ONE: sa.ColumnElement[int] = sa.literal_column("1")

meta = sa.Table(
    "cw_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

sequence = sa.Table(
    "cw_sequence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("value", sa.BigInteger, nullable=False),
)
"""One row: the number of the last committed write that changed the projection."""

complaints = sa.Table(
    "cw_complaints",
    metadata,
    sa.Column("complaint_id", _ID, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("policy_id", sa.String(100), nullable=False),
    sa.Column("finished", sa.Integer, nullable=False),
    sa.Column("received_us", sa.BigInteger, nullable=False),
    sa.Column("last_us", sa.BigInteger, nullable=False),
    sa.Index("ix_cw_complaints_policy", "policy_id", "finished"),
)

events = sa.Table(
    "cw_events",
    metadata,
    sa.Column("seq", _SEQ, primary_key=True, autoincrement=True),
    sa.Column(
        "complaint_id",
        _ID,
        sa.ForeignKey("cw_complaints.complaint_id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("event_id", sa.String(200), nullable=True),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("at_us", sa.BigInteger, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.UniqueConstraint("complaint_id", "version", name="uq_cw_events_version"),
    sa.UniqueConstraint("complaint_id", "event_id", name="uq_cw_events_event_id"),
)

personal = sa.Table(
    "cw_personal",
    metadata,
    sa.Column(
        "complaint_id",
        _ID,
        sa.ForeignKey("cw_complaints.complaint_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("contact", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)

policies = sa.Table(
    "cw_policies",
    metadata,
    sa.Column("policy_id", sa.String(100), primary_key=True),
    sa.Column("toml", sa.Text, nullable=False),
)

rows = sa.Table(
    "cw_rows",
    metadata,
    sa.Column("complaint_id", _ID, primary_key=True),
    sa.Column("start_us", sa.BigInteger, primary_key=True),
    sa.Column("pos", sa.Integer, primary_key=True),
    sa.Column("end_us", sa.BigInteger, nullable=True),
    sa.Column("obligation_id", sa.String(100), nullable=False),
    sa.Column("due", sa.Date, nullable=False),
    sa.Column("strength", sa.String(16), nullable=False),
    sa.Column("clause", sa.String(100), nullable=False),
    sa.Column("fixed", sa.String(16), nullable=True),
    sa.Column("met_us", sa.BigInteger, nullable=True),
    sa.Column("extended_from", sa.Date, nullable=True),
    sa.Column("risk_us", sa.BigInteger, nullable=True),
    sa.Column("due_end_us", sa.BigInteger, nullable=False),
    sa.Column("policy_id", sa.String(100), nullable=False),
    sa.Column("live", sa.Integer, nullable=False),
)
"""One obligation of one complaint over one history interval ``[start_us, end_us)``."""

_current = sa.and_(rows.c.end_us.is_(None), rows.c.live == _ONE)
_history = sa.and_(rows.c.end_us.is_not(None), rows.c.live == _ONE)
CURRENT_LIVE: Final = _current
HISTORY_LIVE: Final = _history

WORKLIST_INDEX_COLUMNS: Final = (
    "due",
    "complaint_id",
    "pos",
    "obligation_id",
    "strength",
    "clause",
    "fixed",
    "due_end_us",
    "risk_us",
    "met_us",
    "extended_from",
    "policy_id",
    "start_us",
    "end_us",
    "live",
)
"""The worklist's index on the open intervals' live rows: keyed in the worklist's order (due
date, complaint, position) and holding every column the worklist reads or filters on, so the
database answers from the index alone (no table lookup, no sort). Partial: only the current
live rows (a small share of all rows) are in it."""

sa.Index(
    "ix_cw_rows_current_worklist",
    *(rows.c[name] for name in WORKLIST_INDEX_COLUMNS),
    sqlite_where=_current,
    postgresql_where=_current,
)
sa.Index(
    "ix_cw_rows_history_end",
    rows.c.end_us,
    sqlite_where=_history,
    postgresql_where=_history,
)

OBSOLETE_INDEXES: Final = {"cw_rows": ("ix_cw_rows_current_due",)}
"""Indexes of earlier versions, dropped when a store is opened (their work is done by others)."""

changes = sa.Table(
    "cw_changes",
    metadata,
    sa.Column("complaint_id", _ID, primary_key=True),
    sa.Column("obligation_id", sa.String(100), primary_key=True),
    sa.Column("at_us", sa.BigInteger, primary_key=True),
    sa.Column("pos", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("due", sa.Date, nullable=False),
    sa.Column("strength", sa.String(16), nullable=False),
    sa.Column("clause", sa.String(100), nullable=False),
    sa.Column("recorded", sa.BigInteger, nullable=False),
    sa.Index("ix_cw_changes_at", "at_us"),
    sa.Index("ix_cw_changes_recorded", "recorded"),
)
"""Each predicted change of an obligation to a feed status; ``recorded`` is the write that
made it (see ``docs/store.md``, the change feed)."""
