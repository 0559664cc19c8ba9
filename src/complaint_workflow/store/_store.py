"""``ComplaintStore``: complaints kept in SQLite or PostgreSQL through SQLAlchemy Core."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, ParamSpec, TypeVar

import attrs

from .. import events as ev
from ..calendar import WorkingDayCalendar, as_london
from ..complaint import Complaint
from ..errors import (
    ComplaintNotFound,
    ComplaintWorkflowError,
    ConcurrencyError,
    DuplicateComplaintError,
    EventRejected,
    InvalidInputError,
    PolicyError,
    StoreError,
)
from ..obligations import STATUSES
from ..personal import PersonalDetails
from ..policy import Policy
from . import _projection as proj
from . import _schema as schema

if TYPE_CHECKING:
    import sqlalchemy as sa

__all__ = ["Change", "ChangeList", "ComplaintStore", "FeedCursor", "MoveList", "Moved", "WorkItem"]

log = logging.getLogger("complaint_workflow.store")

P = ParamSpec("P")
R = TypeVar("R")

_BATCH: Final = 500
_CACHE: Final = 4096
_SAFE_FILE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


# --------------------------------------------------------------------- rows returned


@attrs.frozen
class WorkItem:
    """One obligation on the worklist: not met (nor met-late) at the instant asked."""

    complaint_id: str
    id: str
    due: date
    status: str
    strength: str
    clause: str
    overdue: bool
    met_at: datetime | None
    extended_from: date | None
    policy_id: str

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``complaint-workflow store worklist --json``."""
        return {
            "complaint_id": self.complaint_id,
            "id": self.id,
            "due": self.due.isoformat(),
            "status": self.status,
            "strength": self.strength,
            "clause": self.clause,
            "overdue": self.overdue,
            "met_at": None if self.met_at is None else self.met_at.isoformat(),
            "extended_from": None if self.extended_from is None else self.extended_from.isoformat(),
            "policy_id": self.policy_id,
        }


@attrs.frozen
class Change:
    """One change of an obligation's status to ``at-risk``, ``breached``, ``impossible`` or
    ``extended``, at the instant ``at``; ``recorded`` is the store write that predicted it."""

    complaint_id: str
    id: str
    due: date
    status: str
    strength: str
    clause: str
    at: datetime
    recorded: int

    @property
    def instant(self) -> datetime:
        """The instant of the change (the same as ``at``)."""
        return self.at

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``complaint-workflow store changes --json``."""
        return {
            "complaint_id": self.complaint_id,
            "id": self.id,
            "due": self.due.isoformat(),
            "status": self.status,
            "strength": self.strength,
            "clause": self.clause,
            "at": self.at.isoformat(),
            "recorded": self.recorded,
        }


@attrs.frozen
class FeedCursor:
    """Where a scheduler is in the change feed: the last ``until`` and the last write seen.

    Pass it back as ``changes(after=cursor, until=...)``: every change is then delivered
    exactly once, including changes predicted by an event recorded after its instant had
    passed. ``str(cursor)`` and :meth:`parse` keep it in a file or a database column.
    """

    until: datetime
    seq: int

    def __str__(self) -> str:
        return f"{self.until.isoformat()}@{self.seq}"

    @classmethod
    def parse(cls, text: str) -> FeedCursor:
        """Read ``str(cursor)`` back; :class:`InvalidInputError` if it is not one."""
        instant, sep, seq = text.rpartition("@")
        try:
            until = datetime.fromisoformat(instant)
            number = int(seq)
        except ValueError:
            until, number = None, -1
        if not sep or until is None or until.tzinfo is None or number < 0:
            raise InvalidInputError(
                f"not a feed cursor: expected ISO-DATETIME@SEQUENCE such as "
                f"2024-06-14T00:00:00+01:00@42 (got {text[:60]!r})"
            )
        return cls(until=until, seq=number)


class ChangeList(list[Change]):
    """The changes of one ``changes`` call (a list), with ``cursor`` for the next call."""

    cursor: FeedCursor

    def __init__(self, items: Iterable[Change], cursor: FeedCursor) -> None:
        super().__init__(items)
        self.cursor = cursor


@attrs.frozen
class Moved:
    """An obligation whose due date a repair or migration moved (``None``: not owed)."""

    complaint_id: str
    id: str
    old_due: date | None
    new_due: date | None

    def to_dict(self) -> dict[str, object]:
        """The JSON shape used by the ``store repair`` and ``store migrate`` commands."""
        return {
            "complaint_id": self.complaint_id,
            "id": self.id,
            "old_due": None if self.old_due is None else self.old_due.isoformat(),
            "new_due": None if self.new_due is None else self.new_due.isoformat(),
        }


class MoveList(list[Moved]):
    """What moved (a list); ``skipped`` names complaints left alone, with the reason."""

    skipped: list[tuple[str, str]]

    def __init__(self, items: Iterable[Moved] = (), skipped: Iterable[tuple[str, str]] = ()):
        super().__init__(items)
        self.skipped = list(skipped)


# --------------------------------------------------------------------- helpers


def _guard(method: Callable[P, R]) -> Callable[P, R]:
    """Turn a database failure into a one-line :class:`StoreError` (never SQL or values)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        import sqlalchemy as sa

        try:
            return method(*args, **kwargs)
        except sa.exc.SQLAlchemyError as exc:
            orig = getattr(exc, "orig", None)
            kind = type(orig if orig is not None else exc).__name__
            first = str(orig if orig is not None else exc).strip().splitlines()
            hint = first[0][:120] if first and kind == "OperationalError" else ""
            raise StoreError(
                f"the database failed ({kind}{': ' + hint if hint else ''}); "
                "check the --db URL and that the server is running"
            ) from None

    return wrapper


def _instant(value: object, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidInputError(f"{name} must be an aware datetime (got {type(value).__name__})")
    return as_london(value, name)


def _event_json(event: ev.Event) -> str:
    from ..history import event_to_dict

    return json.dumps(event_to_dict(event), ensure_ascii=False, separators=(",", ":"))


def _event_from_json(text: str) -> ev.Event:
    from ..history import event_from_dict

    return event_from_dict(json.loads(text), "stored event")


def _same_event(stored: ev.Event, incoming: ev.Event) -> bool:
    """Whether a re-delivered event is the one stored (its version may be left out)."""
    if type(stored) is not type(incoming):
        return False
    if incoming.version is not None and incoming.version != stored.version:
        return False
    return attrs.evolve(incoming, version=stored.version) == stored


def _policy_mapping(policies: Mapping[str, Policy] | Iterable[Policy] | None) -> dict[str, Policy]:
    if policies is None:
        return {}
    items = list(policies.values()) if isinstance(policies, Mapping) else list(policies)
    for policy in items:
        if not isinstance(policy, Policy):
            raise InvalidInputError(f"policies must be Policy values (got {type(policy).__name__})")
    return {p.id: p for p in items}


def _sqlalchemy() -> Any:
    try:
        import sqlalchemy
    except ImportError:  # pragma: no cover - a core dependency
        raise StoreError("the store needs SQLAlchemy: pip install 'complaint-workflow'") from None
    return sqlalchemy


# --------------------------------------------------------------------- the store


class ComplaintStore:
    """Complaints kept durably: histories, personal details apart, a worklist and a change feed.

    Open with :meth:`open`; use as a context manager or call :meth:`close`. One store object
    may be shared by threads; several processes may open the same database.

    >>> from datetime import datetime
    >>> from complaint_workflow import LONDON, Complaint, ForwardedToCST
    >>> from complaint_workflow.store import ComplaintStore
    >>> with ComplaintStore.open("sqlite://") as store:
    ...     c = store.add(Complaint.open(complaint_id="C-1", complainant="adult",
    ...                   received_at=datetime(2024, 6, 12, 10, tzinfo=LONDON)))
    ...     c = store.append("C-1", ForwardedToCST(at=datetime(2024, 6, 12, 11, tzinfo=LONDON)),
    ...                      expected_version=1)
    ...     [(w.id, str(w.due), w.status) for w in store.worklist(
    ...         at=datetime(2024, 6, 20, 9, tzinfo=LONDON), until=datetime(2024, 7, 31).date())]
    [('contact', '2024-06-14', 'breached')]
    """

    _calendar_given: WorkingDayCalendar | None = None
    _before_commit: Callable[[str], None] | None = None
    """Test hook: called inside every write transaction just before it commits."""

    def __init__(
        self,
        engine: sa.engine.Engine,
        *,
        url: str,
        calendar: WorkingDayCalendar,
        policies: Mapping[str, Policy],
    ) -> None:
        self._engine = engine
        self.url = url
        self._calendar = calendar
        self._policies: dict[str, Policy] = dict(policies)
        self._lock = threading.RLock()
        self._cache: OrderedDict[str, tuple[int, Complaint, list[proj.Row]]] = OrderedDict()
        self._closed = False
        self._postgres = engine.dialect.name == "postgresql"
        self._worklist_queries: dict[tuple[object, ...], sa.Select[Any]] = {}
        self._file: Path | None = None
        if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            self._file = Path(str(engine.url.database))

    def __repr__(self) -> str:
        shown = self._engine.url.render_as_string(hide_password=True)
        return f"ComplaintStore({shown!r})"

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        url: str,
        *,
        calendar: WorkingDayCalendar | None = None,
        policies: Mapping[str, Policy] | Iterable[Policy] | None = None,
    ) -> ComplaintStore:
        """Open (and create or upgrade) the store at ``url``.

        ``sqlite:///path/file.db`` (a file; WAL mode), ``sqlite://`` (in memory, gone on
        close), or ``postgresql://user@host:port/db`` (psycopg 3: ``pip install
        'complaint-workflow[postgres]'``). ``calendar`` is the working-day calendar every
        complaint is read with (default: England and Wales); ``policies`` any policies that
        are not built in (they are also kept in the store once a complaint uses them).
        """
        if not isinstance(url, str):
            raise InvalidInputError(f"url must be a str (got {type(url).__name__})")
        if calendar is not None and not isinstance(calendar, WorkingDayCalendar):
            raise InvalidInputError(
                f"calendar must be a WorkingDayCalendar (got {type(calendar).__name__})"
            )
        known = _policy_mapping(policies)
        engine = _engine(url)
        store = cls(
            engine,
            url=url,
            calendar=calendar or WorkingDayCalendar.england_and_wales(),
            policies=known,
        )
        store._calendar_given = calendar
        try:
            store._initialise()
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        """Release the database connections; the store cannot be used afterwards."""
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __enter__(self) -> ComplaintStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def calendar(self) -> WorkingDayCalendar:
        """The calendar complaints are read with (changed, and kept, by :meth:`repair`)."""
        return self._calendar

    @_guard
    def _initialise(self) -> None:
        sa = _sqlalchemy()
        rebuild = False
        with self._writing() as conn:
            if self._postgres:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(872346001)"))
            schema.metadata.create_all(conn, checkfirst=True)
            found = dict(conn.execute(sa.select(schema.meta.c.key, schema.meta.c.value)).all())
            if not found:
                conn.execute(
                    schema.meta.insert(),
                    [
                        {"key": "schema_version", "value": str(schema.SCHEMA_VERSION)},
                        {"key": "projection_version", "value": str(schema.PROJECTION_VERSION)},
                    ],
                )
                conn.execute(schema.sequence.insert().values(id=1, value=0))
            else:
                version = int(found.get("schema_version", "0"))
                if version > schema.SCHEMA_VERSION:
                    raise StoreError(
                        f"the store was written by a newer complaint_workflow (schema "
                        f"{version}; this one reads up to {schema.SCHEMA_VERSION}); upgrade it"
                    )
                projection = int(found.get("projection_version", "0"))
                if projection > schema.PROJECTION_VERSION:
                    raise StoreError(
                        f"the store's projection is from a newer complaint_workflow "
                        f"({projection} > {schema.PROJECTION_VERSION}); upgrade it"
                    )
                rebuild = projection < schema.PROJECTION_VERSION
                _sync_indexes(conn)  # a store this version may write (a new one has them all)
            saved = found.get("calendar")
            if saved is not None and self._calendar_given is None:
                self._calendar = _calendar_from_json(saved)
            stored = conn.execute(sa.select(schema.policies.c.policy_id, schema.policies.c.toml))
            for policy_id, toml in stored:
                if policy_id not in self._policies:
                    self._policies[policy_id] = Policy.from_toml_text(
                        toml, name=f"stored policy {policy_id!r}"
                    )
        if rebuild:
            log.info("store projection is out of date: rebuilding it from the histories")
            self.repair()
            with self._writing() as conn:
                conn.execute(
                    schema.meta.update()
                    .where(schema.meta.c.key == "projection_version")
                    .values(value=str(schema.PROJECTION_VERSION))
                )

    # ----------------------------------------------------------------- transactions

    @contextlib.contextmanager
    def _writing(self, what: str = "write") -> Iterator[sa.engine.Connection]:
        if self._closed:
            raise StoreError("the store is closed")
        with self._lock, self._engine.connect() as conn:
            conn.execution_options(cw_write=True)
            with conn.begin():
                yield conn
                if self._before_commit is not None:
                    self._before_commit(what)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sa.engine.Connection]:
        if self._closed:
            raise StoreError("the store is closed")
        with self._lock, self._engine.connect() as conn:
            if self._postgres:
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def _next_seq(self, conn: sa.engine.Connection) -> int:
        """Take the next write number; the row lock orders commits by number (PostgreSQL)."""
        sa = _sqlalchemy()
        table = schema.sequence
        conn.execute(table.update().where(table.c.id == 1).values(value=table.c.value + 1))
        value: int = conn.execute(sa.select(table.c.value).where(table.c.id == 1)).scalar_one()
        return value

    # ----------------------------------------------------------------- reading

    @_guard
    def get(self, complaint_id: str, *, at: datetime | None = None) -> Complaint:
        """The stored complaint (with its personal details), or as it stood at ``at``.

        Raises :class:`ComplaintNotFound` (a ``KeyError``) for an id not stored, or one not yet
        received at ``at``.
        """
        instant = None if at is None else _instant(at, "at")
        with self._reading() as conn:
            complaint, _ = self._load(conn, complaint_id, upto=instant)
        return complaint

    def __contains__(self, complaint_id: object) -> bool:
        if not isinstance(complaint_id, str):
            return False
        try:
            self.get(complaint_id)
        except ComplaintNotFound:
            return False
        return True

    @_guard
    def complaint_ids(self) -> list[str]:
        """Every stored complaint's id, sorted."""
        sa = _sqlalchemy()
        with self._reading() as conn:
            table = schema.complaints
            return list(
                conn.execute(sa.select(table.c.complaint_id).order_by(table.c.complaint_id))
                .scalars()
                .all()
            )

    def _check_id(self, complaint_id: object) -> str:
        if not isinstance(complaint_id, str) or not complaint_id:
            raise InvalidInputError(
                f"complaint_id must be a non-empty str (got {type(complaint_id).__name__})"
            )
        return complaint_id

    def _load(
        self,
        conn: sa.engine.Connection,
        complaint_id: str,
        *,
        upto: datetime | None = None,
    ) -> tuple[Complaint, list[proj.Row]]:
        sa = _sqlalchemy()
        self._check_id(complaint_id)
        version = conn.execute(
            sa.select(schema.complaints.c.version).where(
                schema.complaints.c.complaint_id == complaint_id
            )
        ).scalar_one_or_none()
        if version is None:
            raise ComplaintNotFound(complaint_id)
        hit = self._cache.get(complaint_id) if upto is None else None
        if hit is not None and hit[0] == version:
            self._cache.move_to_end(complaint_id)
            return attrs.evolve(hit[1], personal=self._personal(conn, complaint_id)), hit[2]
        query = sa.select(schema.events.c.body).where(schema.events.c.complaint_id == complaint_id)
        if upto is not None:
            query = query.where(schema.events.c.at_us <= proj.to_us(upto))
        bodies = conn.execute(query.order_by(schema.events.c.version)).scalars().all()
        if upto is None and len(bodies) != version:
            raise StoreError(
                f"complaint {complaint_id!r} is inconsistent: version {version}, "
                f"{len(bodies)} events stored"
            )
        if not bodies:
            raise ComplaintNotFound(complaint_id, f"had not been received by {upto}")
        details = self._personal(conn, complaint_id)
        complaint, rows = self._build([_event_from_json(b) for b in bodies], details)
        if upto is None:
            self._remember(complaint, rows)
        return complaint, rows

    def _personal(self, conn: sa.engine.Connection, complaint_id: str) -> PersonalDetails | None:
        sa = _sqlalchemy()
        table = schema.personal
        person = conn.execute(
            sa.select(table.c.name, table.c.contact, table.c.text).where(
                table.c.complaint_id == complaint_id
            )
        ).one_or_none()
        return None if person is None else PersonalDetails(*person)

    def _remember(self, complaint: Complaint, rows: list[proj.Row]) -> None:
        """Keep a committed version's complaint (without personal details) and rows.

        A version's events never change once committed, so an entry is valid as long as the
        stored version equals its own; personal details are always read afresh (erasure).
        """
        self._cache[complaint.id] = (
            complaint.version,
            attrs.evolve(complaint, personal=None),
            rows,
        )
        self._cache.move_to_end(complaint.id)
        while len(self._cache) > _CACHE:
            self._cache.popitem(last=False)

    def _build(
        self, history: Sequence[ev.Event], details: PersonalDetails | None
    ) -> tuple[Complaint, list[proj.Row]]:
        return proj.build(
            history, policies=self._policies, calendar=self._calendar, personal=details
        )

    # ----------------------------------------------------------------- adding

    @_guard
    def add(self, complaint: Complaint) -> Complaint:
        """Store a new complaint with its history and personal details; returns it as stored.

        Raises :class:`DuplicateComplaintError` when the id is already stored (of several
        concurrent adds of one id exactly one succeeds) and writes nothing.
        """
        return self.add_many([complaint])[0]

    @_guard
    def add_many(self, complaints: Iterable[Complaint]) -> list[Complaint]:
        """Store several new complaints in one transaction (all or none); returns them."""
        sa = _sqlalchemy()
        built: list[tuple[Complaint, list[proj.Row]]] = []
        seen: set[str] = set()
        for complaint in complaints:
            if not isinstance(complaint, Complaint):
                raise InvalidInputError(f"add takes a Complaint (got {type(complaint).__name__})")
            if complaint.id in seen:
                raise DuplicateComplaintError(complaint.id)
            seen.add(complaint.id)
            self._remember_policies(complaint)
            built.append(self._build(complaint.history, complaint.personal))
        if not built:
            return []
        try:
            with self._writing("add") as conn:
                self._store_policies(conn, [c for c, _ in built])
                conn.execute(schema.complaints.insert(), [self._complaint_row(c) for c, _ in built])
                conn.execute(
                    schema.events.insert(),
                    [self._event_row(c.id, e) for c, _ in built for e in c.history],
                )
                people = [
                    {
                        "complaint_id": c.id,
                        "name": c.personal.name,
                        "contact": c.personal.contact,
                        "text": c.personal.text,
                    }
                    for c, _ in built
                    if c.personal is not None
                ]
                if people:
                    conn.execute(schema.personal.insert(), people)
                all_rows = [_row_dict(r) for _, rows in built for r in rows]
                if all_rows:
                    conn.execute(schema.rows.insert(), all_rows)
                keys = [k for _, rows in built for k in proj.changes_of(rows)]
                if keys:
                    seq = self._next_seq(conn)
                    conn.execute(schema.changes.insert(), [_change_dict(k, seq) for k in keys])
        except sa.exc.IntegrityError:
            with self._reading() as conn:
                table = schema.complaints
                found = (
                    conn.execute(
                        sa.select(table.c.complaint_id).where(table.c.complaint_id.in_(seen))
                    )
                    .scalars()
                    .first()
                )
            if found is None:
                raise StoreError(
                    "the database refused the write (a constraint of the projection)"
                ) from None
            raise DuplicateComplaintError(found) from None
        return [c for c, _ in built]

    def _remember_policies(self, complaint: Complaint) -> None:
        for policy in (*complaint.earlier_policies, complaint.policy):
            known = self._policies.get(policy.id)
            if known is not None and known != policy:
                raise PolicyError(
                    f"policy {policy.id!r} is stored with other content; give the policy a new "
                    "id, or change it for every complaint with repair(policies=...)"
                )
            self._policies[policy.id] = policy

    def _store_policies(self, conn: sa.engine.Connection, complaints: Iterable[Complaint]) -> None:
        sa = _sqlalchemy()
        wanted = {p.id: p for c in complaints for p in (*c.earlier_policies, c.policy)}
        if not wanted:
            return
        table = schema.policies
        stored = set(
            conn.execute(sa.select(table.c.policy_id).where(table.c.policy_id.in_(wanted)))
            .scalars()
            .all()
        )
        new = [{"policy_id": i, "toml": p.to_toml()} for i, p in wanted.items() if i not in stored]
        if new:
            conn.execute(table.insert(), new)

    @staticmethod
    def _complaint_row(c: Complaint) -> dict[str, object]:
        return {
            "complaint_id": c.id,
            "version": c.version,
            "policy_id": c.policy.id,
            "finished": int(c.finished),
            "received_us": proj.to_us(c.history[0].at),
            "last_us": proj.to_us(c.last_at),
        }

    @staticmethod
    def _event_row(complaint_id: str, event: ev.Event) -> dict[str, object]:
        return {
            "complaint_id": complaint_id,
            "version": event.version,
            "event_id": event.event_id,
            "type": event.name,
            "at_us": proj.to_us(event.at),
            "body": _event_json(event),
        }

    # ----------------------------------------------------------------- appending

    @_guard
    def append(self, complaint_id: str, event: ev.Event, *, expected_version: int) -> Complaint:
        """Apply ``event`` to the stored complaint and record it; returns the new complaint.

        The event goes through :meth:`Complaint.apply` (the same rejections; nothing written
        on one). The event, the new version and the projection are written in one
        transaction. :class:`ConcurrencyError` if the stored version is not
        ``expected_version`` (nothing written). An event whose ``event_id`` is already stored
        with equal content returns the stored complaint: a retry is harmless.
        """
        sa = _sqlalchemy()
        self._check_id(complaint_id)
        if not isinstance(event, ev.Event):
            raise InvalidInputError(f"append takes an Event (got {type(event).__name__})")
        if type(expected_version) is not int or expected_version < 1:
            raise InvalidInputError(
                f"expected_version must be a whole number >= 1 (got {expected_version!r})"
            )
        try:
            with self._writing("append") as conn:
                self._lock_complaint(conn, complaint_id)
                repeat = self._repeated(conn, complaint_id, event)
                if repeat is not None:
                    return repeat
                after, rows = self._append(conn, complaint_id, event, expected_version)
            self._remember(after, rows)
            return after
        except sa.exc.IntegrityError:
            pass  # another writer committed first: find out which case this is
        with self._reading() as conn:
            repeat = self._repeated(conn, complaint_id, event)
            if repeat is not None:
                return repeat
        raise ConcurrencyError(complaint_id, expected_version, None)

    def _lock_complaint(self, conn: sa.engine.Connection, complaint_id: str) -> int | None:
        """The stored version, with the complaint's row locked until the transaction ends
        (PostgreSQL; SQLite's write transactions are exclusive already)."""
        sa = _sqlalchemy()
        table = schema.complaints
        version: int | None = conn.execute(
            sa.select(table.c.version).where(table.c.complaint_id == complaint_id).with_for_update()
        ).scalar_one_or_none()
        return version

    def _repeated(
        self, conn: sa.engine.Connection, complaint_id: str, event: ev.Event
    ) -> Complaint | None:
        """The stored complaint when ``event`` is a re-delivery of a stored one, else None."""
        if event.event_id is None:
            return None
        sa = _sqlalchemy()
        table = schema.events
        body = conn.execute(
            sa.select(table.c.body).where(
                table.c.complaint_id == complaint_id, table.c.event_id == event.event_id
            )
        ).scalar_one_or_none()
        if body is None:
            return None
        stored = _event_from_json(body)
        complaint, _ = self._load(conn, complaint_id)
        if not _same_event(stored, event):
            raise EventRejected(
                complaint.state,
                event.name,
                f"event_id {event.event_id!r} is already stored for another event "
                f"(version {stored.version}, {stored.name})",
            )
        return complaint

    def _append(
        self,
        conn: sa.engine.Connection,
        complaint_id: str,
        event: ev.Event,
        expected_version: int,
        *,
        policies: Mapping[str, Policy] | None = None,
    ) -> tuple[Complaint, list[proj.Row]]:
        table = schema.complaints
        version = self._lock_complaint(conn, complaint_id)
        if version is None:
            raise ComplaintNotFound(complaint_id)
        if version != expected_version:
            raise ConcurrencyError(complaint_id, expected_version, version)
        before, rows = self._load(conn, complaint_id)
        known = {**self._policies, **(policies or {})}
        after = before.apply(event, policies=known)
        self._remember_policies(after)
        self._store_policies(conn, [after])
        updated = conn.execute(
            table.update()
            .where(table.c.complaint_id == complaint_id, table.c.version == expected_version)
            .values(
                version=after.version,
                policy_id=after.policy.id,
                finished=int(after.finished),
                last_us=proj.to_us(after.last_at),
            )
        )
        if updated.rowcount != 1:
            raise ConcurrencyError(complaint_id, expected_version, None)
        conn.execute(schema.events.insert(), [self._event_row(complaint_id, after.history[-1])])
        new_rows = proj.appended(after, rows)
        self._write_projection(conn, complaint_id, rows, new_rows, since=proj.to_us(after.last_at))
        return after, new_rows

    def _write_projection(
        self,
        conn: sa.engine.Connection,
        complaint_id: str,
        old: Sequence[proj.Row],
        new: Sequence[proj.Row],
        *,
        since: int | None = None,
    ) -> None:
        """Replace one complaint's rows and bring its changes up to date (by difference)."""
        rows = schema.rows
        if since is None:
            conn.execute(rows.delete().where(rows.c.complaint_id == complaint_id))
            if new:
                conn.execute(rows.insert(), [_row_dict(r) for r in new])
        else:
            conn.execute(
                rows.delete().where(rows.c.complaint_id == complaint_id, rows.c.start_us >= since)
            )
            conn.execute(
                rows.update()
                .where(rows.c.complaint_id == complaint_id, rows.c.end_us.is_(None))
                .values(end_us=since)
            )
            fresh = [_row_dict(r) for r in new if r.start >= since]
            if fresh:
                conn.execute(rows.insert(), fresh)
        self._write_changes(conn, {complaint_id: proj.changes_of(new)})

    def _write_changes(
        self, conn: sa.engine.Connection, wanted: Mapping[str, Sequence[proj.ChangeKey]]
    ) -> None:
        sa = _sqlalchemy()
        table = schema.changes
        stored = conn.execute(
            sa.select(
                table.c.complaint_id,
                table.c.obligation_id,
                table.c.at_us,
                table.c.status,
                table.c.pos,
                table.c.due,
                table.c.strength,
                table.c.clause,
            ).where(table.c.complaint_id.in_(list(wanted)))
        ).all()
        have = {(r[0], r[1], r[2]): tuple(r[3:]) for r in stored}
        target = {k.identity: k for keys in wanted.values() for k in keys}
        gone = [
            key
            for key, content in have.items()
            if key not in target or _content(target[key]) != content
        ]
        add = [k for ident, k in target.items() if ident not in have or have[ident] != _content(k)]
        for complaint_id, obligation_id, at_us in gone:
            conn.execute(
                table.delete().where(
                    table.c.complaint_id == complaint_id,
                    table.c.obligation_id == obligation_id,
                    table.c.at_us == at_us,
                )
            )
        if add:
            seq = self._next_seq(conn)
            conn.execute(table.insert(), [_change_dict(k, seq) for k in add])

    # ----------------------------------------------------------------- worklist and feed

    @_guard
    def worklist(
        self,
        *,
        at: datetime,
        until: date | datetime,
        statuses: Iterable[str] | None = None,
        policy: str | Policy | None = None,
        limit: int | None = None,
        since: date | datetime | None = None,
    ) -> list[WorkItem]:
        """Every stored obligation not met (nor met-late) at ``at`` and due on or before
        ``until``, ordered by due date (then complaint id, then the policy's order).

        Statuses are exactly those of ``complaint.obligations(at)``. ``statuses`` keeps only
        those; ``policy`` only complaints under that policy (at ``at``); ``limit`` the first
        rows; ``since`` (a date) only obligations due on or after it, so ``since=today,
        until=today + 7 days`` is the week's window. Answered from the projection (an index on
        the due date that holds every column read), never by loading complaints.
        """
        instant = proj.to_us(_instant(at, "at"))
        last = _until_date(until)
        first = None if since is None else _until_date(since, "since")
        wanted = _statuses(statuses)
        policy_id = _policy_id(policy)
        if limit is not None and (type(limit) is not int or limit < 0):
            raise InvalidInputError(f"limit must be a whole number >= 0 (got {limit!r})")
        shape = (since is not None, policy_id is not None, wanted, limit is not None)
        query = self._worklist_queries.get(shape)
        if query is None:
            query = _worklist_query(*shape)
            self._worklist_queries[shape] = query
        parameters: dict[str, object] = {"instant": instant, "last": last}
        if first is not None:
            parameters["since"] = first
        if policy_id is not None:
            parameters["policy_id"] = policy_id
        if limit is not None:
            parameters["limit"] = limit
        with self._reading() as conn:
            found = conn.execute(query, parameters).all()
        from_us = proj.from_us
        return [
            WorkItem(
                complaint_id=cid,
                id=oid,
                due=due,
                status=status,
                strength=strength,
                clause=clause,
                overdue=fixed is None and strength == "target" and instant >= due_end,
                met_at=None if met_us is None else from_us(met_us),
                extended_from=extended_from,
                policy_id=policy_id,
            )
            for (
                cid,
                oid,
                due,
                status,
                strength,
                clause,
                fixed,
                due_end,
                met_us,
                extended_from,
                policy_id,
                _pos,
            ) in found
        ]

    @_guard
    def changes(self, *, after: datetime | FeedCursor, until: datetime) -> ChangeList:
        """Every change of an obligation to ``at-risk``, ``breached``, ``impossible`` or
        ``extended`` whose instant falls in ``(after, until]``, ordered by instant.

        ``after`` may be the :class:`FeedCursor` of the previous call (``result.cursor``):
        then the changes an event recorded since that call placed at or before its ``until``
        come too, so a scheduler that keeps only the cursor sees every change exactly once
        (see ``docs/store.md``).
        """
        sa = _sqlalchemy()
        end = _instant(until, "until")
        cursor = after if isinstance(after, FeedCursor) else None
        start = _instant(after if cursor is None else cursor.until, "after")
        if end < start:
            raise InvalidInputError(
                f"until ({end.isoformat()}) must not be before after ({start.isoformat()})"
            )
        lo, hi = proj.to_us(start), proj.to_us(end)
        t = schema.changes
        with self._reading() as conn:
            seq = conn.execute(
                sa.select(schema.sequence.c.value).where(schema.sequence.c.id == 1)
            ).scalar_one()
            window = sa.and_(t.c.at_us > lo, t.c.at_us <= hi)
            if cursor is not None:
                late = sa.and_(t.c.at_us <= lo, t.c.recorded > cursor.seq)
                window = sa.or_(window, late)
            found = conn.execute(
                sa.select(t)
                .where(window, t.c.recorded <= seq)
                .order_by(t.c.at_us, t.c.complaint_id, t.c.pos)
            ).all()
        items = [
            Change(
                complaint_id=row.complaint_id,
                id=row.obligation_id,
                due=row.due,
                status=row.status,
                strength=row.strength,
                clause=row.clause,
                at=proj.from_us(row.at_us),
                recorded=row.recorded,
            )
            for row in found
        ]
        return ChangeList(items, FeedCursor(until=end, seq=seq))

    # ----------------------------------------------------------------- repair and migration

    @_guard
    def repair(
        self,
        *,
        calendar: WorkingDayCalendar | None = None,
        policies: Mapping[str, Policy] | Iterable[Policy] | None = None,
    ) -> MoveList:
        """Recompute every projection row after a calendar change or a policy's new content.

        Histories are untouched. ``calendar`` replaces the store's calendar; ``policies``
        replace (or add) stored policy content by id. Returns every current obligation whose
        due date moved. Streamed in batches of complaints, each batch one transaction: memory
        does not grow with the number of complaints, and a repair that stops half-way is
        finished by running it again.
        """
        if calendar is not None and not isinstance(calendar, WorkingDayCalendar):
            raise InvalidInputError(
                f"calendar must be a WorkingDayCalendar (got {type(calendar).__name__})"
            )
        replaced = _policy_mapping(policies)
        old_calendar, old_policies = self._calendar, dict(self._policies)
        try:
            return self._repair(calendar, replaced)
        except BaseException:
            self._calendar, self._policies = old_calendar, old_policies
            self._cache.clear()
            raise

    def _repair(
        self, calendar: WorkingDayCalendar | None, replaced: Mapping[str, Policy]
    ) -> MoveList:
        sa = _sqlalchemy()
        self._cache.clear()
        if calendar is not None:
            self._calendar = calendar
        if replaced:
            self._policies.update(replaced)
            with self._writing("repair") as conn:
                table = schema.policies
                conn.execute(table.delete().where(table.c.policy_id.in_(list(replaced))))
                conn.execute(
                    table.insert(),
                    [{"policy_id": i, "toml": p.to_toml()} for i, p in replaced.items()],
                )
        moved = MoveList()
        last = ""
        while True:
            with self._writing("repair") as conn:
                ids = list(
                    conn.execute(
                        sa.select(schema.complaints.c.complaint_id)
                        .where(schema.complaints.c.complaint_id > last)
                        .order_by(schema.complaints.c.complaint_id)
                        .limit(_BATCH)
                    )
                    .scalars()
                    .all()
                )
                if not ids:
                    break
                last = ids[-1]
                moved.extend(self._repair_batch(conn, ids))
        if calendar is not None:
            with self._writing("repair") as conn:
                _save_calendar(conn, calendar)
        return moved

    def _repair_batch(self, conn: sa.engine.Connection, ids: list[str]) -> list[Moved]:
        sa = _sqlalchemy()
        e, r = schema.events, schema.rows
        histories: dict[str, list[ev.Event]] = {i: [] for i in ids}
        for complaint_id, body in conn.execute(
            sa.select(e.c.complaint_id, e.c.body)
            .where(e.c.complaint_id.in_(ids))
            .order_by(e.c.complaint_id, e.c.version)
        ):
            histories[complaint_id].append(_event_from_json(body))
        old_due: dict[str, dict[str, date]] = {i: {} for i in ids}
        for complaint_id, obligation_id, due in conn.execute(
            sa.select(r.c.complaint_id, r.c.obligation_id, r.c.due).where(
                r.c.complaint_id.in_(ids), r.c.end_us.is_(None)
            )
        ):
            old_due[complaint_id][obligation_id] = due
        moved: list[Moved] = []
        fresh: list[dict[str, object]] = []
        wanted: dict[str, list[proj.ChangeKey]] = {}
        for complaint_id in ids:
            try:
                complaint, rows = self._build(histories[complaint_id], None)
            except ComplaintWorkflowError as exc:
                raise StoreError(
                    f"complaint {complaint_id!r} does not replay under the new calendar or "
                    f"policies ({exc}); nothing in its batch was changed"
                ) from None
            fresh.extend(_row_dict(x) for x in rows)
            wanted[complaint_id] = proj.changes_of(rows)
            new_due = {x.id: x.due for x in rows if x.end is None}
            before = old_due[complaint_id]
            for obligation_id in sorted(set(before) | set(new_due)):
                if before.get(obligation_id) != new_due.get(obligation_id):
                    moved.append(
                        Moved(
                            complaint_id,
                            obligation_id,
                            before.get(obligation_id),
                            new_due.get(obligation_id),
                        )
                    )
            conn.execute(
                schema.complaints.update()
                .where(schema.complaints.c.complaint_id == complaint_id)
                .values(policy_id=complaint.policy.id, finished=int(complaint.finished))
            )
        conn.execute(r.delete().where(r.c.complaint_id.in_(ids)))
        if fresh:
            conn.execute(r.insert(), fresh)
        self._write_changes(conn, wanted)
        return moved

    @_guard
    def migrate(
        self,
        from_policy: str | Policy,
        to_policy: str | Policy,
        *,
        at: datetime,
        dry_run: bool = True,
    ) -> MoveList:
        """Move every open complaint under ``from_policy`` to ``to_policy`` at ``at``.

        Each move is a :class:`~complaint_workflow.PolicyChanged` event appended at ``at``
        (the library's rule for a policy change applies). Returns each moved complaint's
        change of due dates (an obligation no longer owed has ``new_due`` None); complaints
        the event is refused for are in ``result.skipped`` with the reason. A dry run (the
        default) writes nothing.
        """
        sa = _sqlalchemy()
        instant = _instant(at, "at")
        source = _policy_id(from_policy)
        target = to_policy if isinstance(to_policy, Policy) else None
        target_id = _policy_id(to_policy)
        assert source is not None
        assert target_id is not None
        extra: dict[str, Policy] = {} if target is None else {target.id: target}
        if target is None and target_id not in self._policies:
            Policy.builtin(target_id)  # a clear PolicyError for an unknown id
        result = MoveList()
        last = ""
        table = schema.complaints
        while True:
            with self._reading() as conn:
                ids = list(
                    conn.execute(
                        sa.select(table.c.complaint_id)
                        .where(
                            table.c.policy_id == source,
                            table.c.finished == 0,
                            table.c.complaint_id > last,
                        )
                        .order_by(table.c.complaint_id)
                        .limit(_BATCH)
                    )
                    .scalars()
                    .all()
                )
            if not ids:
                break
            last = ids[-1]
            for complaint_id in ids:
                moved, reason = self._migrate_one(
                    complaint_id, target_id, instant, extra, dry_run=dry_run
                )
                if reason is not None:
                    result.skipped.append((complaint_id, reason))
                result.extend(moved)
        return result

    def _migrate_one(
        self,
        complaint_id: str,
        target_id: str,
        at: datetime,
        extra: Mapping[str, Policy],
        *,
        dry_run: bool,
    ) -> tuple[list[Moved], str | None]:
        event = ev.PolicyChanged(at=at, policy_id=target_id)
        for _attempt in range(5):
            with self._reading() as conn:
                before, _ = self._load(conn, complaint_id)
            try:
                after = before.apply(event, policies={**self._policies, **extra})
            except EventRejected as refused:
                return [], refused.reason
            if not dry_run:
                try:
                    with self._writing("migrate") as conn:
                        after, rows = self._append(
                            conn, complaint_id, event, before.version, policies=extra
                        )
                    self._remember(after, rows)
                except ConcurrencyError:
                    continue
            old = {o.id: o.due for o in before.obligations(at)}
            new = {o.id: o.due for o in after.obligations(at)}
            return [
                Moved(complaint_id, i, old.get(i), new.get(i))
                for i in sorted(set(old) | set(new))
                if old.get(i) != new.get(i)
            ], None
        return [], "other writers kept changing it; run the migration again"

    # ----------------------------------------------------------------- erasure

    @_guard
    def erase_personal(self, complaint_id: str) -> bool:
        """Remove the complaint's personal details and text for good; history stays.

        The name, contact details and the complaint's own words are deleted (on SQLite with
        ``secure_delete`` on, so the bytes are overwritten, and the write-ahead log is
        checkpointed); events, obligations and counts are kept. Returns whether there was
        anything to erase; :class:`ComplaintNotFound` for an id not stored.
        """
        sa = _sqlalchemy()
        self._check_id(complaint_id)
        with self._writing("erase") as conn:
            exists = conn.execute(
                sa.select(schema.complaints.c.complaint_id).where(
                    schema.complaints.c.complaint_id == complaint_id
                )
            ).first()
            if exists is None:
                raise ComplaintNotFound(complaint_id)
            deleted = conn.execute(
                schema.personal.delete().where(schema.personal.c.complaint_id == complaint_id)
            )
            erased = deleted.rowcount > 0
        if erased and self._file is not None:
            with self._lock, self._engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("personal details erased for a complaint (%d removed)", int(erased))
        return erased

    # ----------------------------------------------------------------- JSON in and out

    @_guard
    def import_json(
        self, paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
    ) -> list[str]:
        """Add the complaints of JSON history files (or of every ``*.json`` in a directory).

        Every file is read first; then all are added in one transaction, so a bad file or an
        id already stored adds nothing. Returns the ids added.
        """
        files = _json_files(paths)
        complaints = []
        for path in files:
            try:
                text = path.read_bytes()
            except OSError as exc:
                raise InvalidInputError(f"cannot read {path} ({exc.strerror})") from None
            try:
                complaints.append(
                    Complaint.from_json(text, policies=self._policies, calendar=self._calendar)
                )
            except ComplaintWorkflowError as exc:
                raise InvalidInputError(f"{path}: {exc}") from None
        return [c.id for c in self.add_many(complaints)]

    @_guard
    def export(
        self,
        directory: str | os.PathLike[str],
        *,
        complaint_ids: Iterable[str] | None = None,
        include_personal: bool = True,
    ) -> list[Path]:
        """Write each complaint's JSON history as ``<id>.json`` in ``directory``.

        ``complaint_ids`` chooses which (default all); ``include_personal=False`` leaves the
        personal details out of the files. Returns the paths written.
        """
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        ids = self.complaint_ids() if complaint_ids is None else list(complaint_ids)
        written = []
        for complaint_id in ids:
            if not _SAFE_FILE.match(complaint_id):
                raise InvalidInputError(
                    f"complaint id {complaint_id!r} is not a safe file name; export it with "
                    "store.get(...).to_json() instead"
                )
            path = target / f"{complaint_id}.json"
            text = self.get(complaint_id).to_json(include_personal=include_personal)
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written


# --------------------------------------------------------------------- module helpers


def _worklist_query(
    since: bool, policy: bool, wanted: frozenset[str] | None, limit: bool
) -> sa.Select[Any]:
    """The worklist's statement for one shape of call; the values are bound parameters
    (``instant``, ``last`` and, when asked, ``since``, ``policy_id``, ``limit``), so a store
    builds each shape once.

    The open intervals' half reads only :data:`~._schema.WORKLIST_INDEX_COLUMNS`, so the
    database answers it from that index, already in the worklist's order.
    """
    sa = _sqlalchemy()
    instant = sa.bindparam("instant", type_=sa.BigInteger)
    r = schema.rows
    status = sa.case(
        (r.c.fixed.is_not(None), r.c.fixed),
        (
            r.c.due_end_us <= instant,
            sa.case((r.c.strength == "hard", "breached"), else_="at-risk"),
        ),
        (sa.and_(r.c.risk_us.is_not(None), r.c.risk_us <= instant), "at-risk"),
        (r.c.extended_from.is_not(None), "extended"),
        else_="pending",
    ).label("status")
    columns = [
        r.c.complaint_id,
        r.c.obligation_id,
        r.c.due,
        status,
        r.c.strength,
        r.c.clause,
        r.c.fixed,
        r.c.due_end_us,
        r.c.met_us,
        r.c.extended_from,
        r.c.policy_id,
        r.c.pos,
    ]
    common = [r.c.due <= sa.bindparam("last", type_=sa.Date), r.c.start_us <= instant]
    if since:
        common.append(r.c.due >= sa.bindparam("since", type_=sa.Date))
    if policy:
        common.append(r.c.policy_id == sa.bindparam("policy_id", type_=sa.String))
    current = sa.select(*columns).where(schema.CURRENT_LIVE, *common)
    history = sa.select(*columns).where(schema.HISTORY_LIVE, r.c.end_us > instant, *common)
    both = sa.union_all(current, history).subquery()
    query = sa.select(both)
    if wanted is not None:
        query = query.where(both.c.status.in_(sorted(wanted)))
    query = query.order_by(both.c.due, both.c.complaint_id, both.c.pos)
    if limit:
        query = query.limit(sa.bindparam("limit", type_=sa.Integer))
    return query  # type: ignore[no-any-return]


def _sync_indexes(conn: sa.engine.Connection) -> None:
    """Create the indexes a store made by an earlier version lacks; drop obsolete ones.

    ``create_all`` creates missing tables (with their indexes) but leaves existing tables as
    they are; an index is derived data, so adding or replacing one needs no version change.
    """
    sa = _sqlalchemy()
    inspector = sa.inspect(conn)
    for table in schema.metadata.sorted_tables:
        obsolete = schema.OBSOLETE_INDEXES.get(table.name, ())
        if not table.indexes and not obsolete:
            continue
        present = {ix["name"] for ix in inspector.get_indexes(table.name)}
        for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
            if index.name not in present:
                log.info("store: creating index %s", index.name)
                index.create(conn)
        for name in obsolete:
            if name in present:
                log.info("store: dropping obsolete index %s", name)
                conn.execute(sa.text(f"DROP INDEX {name}"))


def _save_calendar(conn: sa.engine.Connection, calendar: WorkingDayCalendar) -> None:
    """Keep the calendar a repair switched to, so the next open reads with it too."""
    meta = schema.meta
    conn.execute(meta.delete().where(meta.c.key == "calendar"))
    default = WorkingDayCalendar.england_and_wales()
    if calendar == default:
        return
    document: dict[str, object] = {
        "first_year": calendar.first_year,
        "last_year": calendar.last_year,
        "closures": sorted(d.isoformat() for d in calendar.closures),
        "extra_working_days": sorted(d.isoformat() for d in calendar.extra_working_days),
    }
    if dict(calendar.holidays) != dict(default.holidays):
        document["holidays"] = {d.isoformat(): n for d, n in calendar.holidays.items()}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    conn.execute(meta.insert().values(key="calendar", value=text))


def _calendar_from_json(text: str) -> WorkingDayCalendar:
    """The calendar :func:`_save_calendar` kept."""
    try:
        document = json.loads(text)
        default = WorkingDayCalendar.england_and_wales()
        holidays = document.get("holidays")
        return WorkingDayCalendar(
            holidays=default.holidays
            if holidays is None
            else {date.fromisoformat(d): n for d, n in holidays.items()},
            first_year=document["first_year"],
            last_year=document["last_year"],
            closures=[date.fromisoformat(d) for d in document["closures"]],
            extra_working_days=[date.fromisoformat(d) for d in document["extra_working_days"]],
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise StoreError(
            "the store's saved calendar cannot be read; run repair(calendar=...)"
        ) from None


def _content(k: proj.ChangeKey) -> tuple[object, ...]:
    return (k.status, k.pos, k.due, k.strength, k.clause)


def _row_dict(r: proj.Row) -> dict[str, object]:
    return {
        "complaint_id": r.complaint_id,
        "start_us": r.start,
        "end_us": r.end,
        "pos": r.pos,
        "obligation_id": r.id,
        "due": r.due,
        "strength": r.strength,
        "clause": r.clause,
        "fixed": r.fixed,
        "met_us": r.met_at,
        "extended_from": r.extended_from,
        "risk_us": r.risk,
        "due_end_us": r.due_end,
        "policy_id": r.policy_id,
        "live": int(r.live),
    }


def _change_dict(k: proj.ChangeKey, seq: int) -> dict[str, object]:
    return {
        "complaint_id": k.complaint_id,
        "obligation_id": k.id,
        "at_us": k.at,
        "pos": k.pos,
        "status": k.status,
        "due": k.due,
        "strength": k.strength,
        "clause": k.clause,
        "recorded": seq,
    }


def _until_date(until: object, name: str = "until") -> date:
    if isinstance(until, datetime):
        return as_london(until, name).date()
    if isinstance(until, date):
        return until
    raise InvalidInputError(
        f"{name} must be a date or an aware datetime (got {type(until).__name__})"
    )


def _statuses(statuses: Iterable[str] | None) -> frozenset[str] | None:
    if statuses is None:
        return None
    if isinstance(statuses, str):
        statuses = [statuses]
    chosen = frozenset(statuses)
    unknown = sorted(s for s in chosen if s not in STATUSES)
    if unknown:
        raise InvalidInputError(
            f"unknown status {unknown[0]!r}; expected some of {', '.join(STATUSES)}"
        )
    return chosen


def _policy_id(policy: str | Policy | None) -> str | None:
    if policy is None or isinstance(policy, str):
        return policy
    if isinstance(policy, Policy):
        return policy.id
    raise InvalidInputError(f"policy must be a policy id or a Policy (got {type(policy).__name__})")


def _json_files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    files: list[Path] = []
    for item in items:
        if not isinstance(item, str | os.PathLike):
            raise InvalidInputError(f"paths must be file names (got {type(item).__name__})")
        path = Path(item)
        if path.is_dir():
            files.extend(sorted(path.glob("*.json")))
        else:
            files.append(path)
    return files


def _engine(url: str) -> sa.engine.Engine:
    sa = _sqlalchemy()
    if url.startswith("sqlite:"):
        return _sqlite_engine(url)
    if url.startswith(("postgresql:", "postgres:", "postgresql+psycopg:")):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreError(
                "a postgresql:// store needs psycopg 3: pip install 'complaint-workflow[postgres]'"
            ) from None
        driver_url = re.sub(r"^(postgresql|postgres)(\+psycopg)?:", "postgresql+psycopg:", url)
        try:
            return sa.create_engine(driver_url, pool_size=2, max_overflow=4, pool_pre_ping=False)  # type: ignore[no-any-return]
        except sa.exc.ArgumentError:
            raise InvalidInputError("not a valid postgresql:// URL") from None
    raise InvalidInputError(
        "the store URL must start with sqlite:/// (a file), be sqlite:// (in memory), or "
        "be postgresql://user@host:port/db"
    )


def _sqlite_engine(url: str) -> sa.engine.Engine:
    sa = _sqlalchemy()
    from sqlalchemy.pool import StaticPool

    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise InvalidInputError(f"not a valid sqlite URL: {url[:80]!r}") from None
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite"):
        raise InvalidInputError("sqlite URLs use the standard library's driver: sqlite:///path")
    memory = parsed.database in (None, "", ":memory:")
    if memory:
        engine = sa.create_engine(
            "sqlite://",
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
    else:
        folder = Path(str(parsed.database)).parent
        if not folder.is_dir():
            raise InvalidInputError(f"cannot open {parsed.database}: no such directory {folder}")
        engine = sa.create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # we say BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("cw_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    sa.event.listen(engine, "connect", _connect)
    sa.event.listen(engine, "begin", _begin)

    return engine  # type: ignore[no-any-return]
