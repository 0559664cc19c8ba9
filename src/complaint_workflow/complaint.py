"""The complaint: an immutable value folded from its events.

``Complaint.open(...)`` records the facts it is opened with; ``complaint.apply(event)``
returns a new complaint or raises :class:`~complaint_workflow.errors.EventRejected` and
changes nothing. Deadlines are never stored: :meth:`Complaint.obligations` derives them from
the history, the policy and the calendar at the instant the caller passes in.

Each event type has a plan (:mod:`complaint_workflow.plans`): a list of ``(route, trigger)``
steps and the situation changes it makes. Every step is looked up in its route's machine
(:mod:`complaint_workflow.routes`) and its guards evaluated before anything is built; only when
all are allowed is the new complaint made. So a refused guard, or one that raises, can never
leave a route half-moved.
"""

from __future__ import annotations

import bisect
import functools
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Final, Protocol

import attrs

from . import events as ev
from ._frozen import builder
from .calendar import LONDON, WorkingDayCalendar, as_london
from .errors import ComplaintWorkflowError, EventRejected, InvalidInputError
from .gate import eligibility_of, finished
from .obligations import Obligation, derive_forward_only, six_month_limit_of
from .personal import PersonalDetails
from .plans import (
    PLANS,
    STARTS,
    Plan,
    Refused,
    Step,
    follow_ups,
    next_situation,
    route_states,
    states_dict,
)
from .policy import Policy
from .routes import ROUTES
from .sequence import Timeline
from .situation import Context, Eligibility, RouteStates, Situation

__all__ = ["Complaint"]

log = logging.getLogger("complaint_workflow")

_NEW: Final = "(new)"


@attrs.frozen(repr=False, weakref_slot=False)  # no weak-reference slot: see _frozen.builder
class Complaint:
    """One complaint: its facts, its history, where each route stands, and its policy.

    >>> from datetime import datetime
    >>> from complaint_workflow import LONDON, Complaint, ForwardedToCST
    >>> c = Complaint.open(complaint_id="C-1", complainant="adult",
    ...                    received_at=datetime(2024, 6, 12, 10, 0, tzinfo=LONDON),
    ...                    policy="cafcass-2012")
    >>> c = c.apply(ForwardedToCST(at=datetime(2024, 6, 12, 11, 0, tzinfo=LONDON)))
    >>> c
    Complaint('C-1', version=2, state='intake:with-cst', policy='cafcass-2012')
    >>> [(o.id, o.due.isoformat(), o.status) for o in c.obligations(c.last_at)]
    [('forward-to-cst', '2024-06-13', 'met'), ('response', '2024-07-03', 'pending')]
    """

    situation: Situation
    policy: Policy
    history: Sequence[ev.Event]
    """Every event, oldest first: an immutable sequence (appending to it is O(1))."""
    personal: PersonalDetails | None = attrs.field(default=None)
    calendar: WorkingDayCalendar = attrs.field(
        factory=WorkingDayCalendar.england_and_wales, eq=False
    )
    eras: tuple[tuple[Policy, datetime], ...] = attrs.field(default=(), eq=False)
    """Each policy the complaint has been under, with the instant it came into force."""
    _event_ids: dict[str, int] = attrs.field(factory=dict, eq=False)
    # event_id -> version, shared by every later version of this complaint (append-only;
    # each lookup is checked against this version's own history).
    _snapshots: Timeline[tuple[int, Situation, int]] = attrs.field(factory=Timeline, eq=False)
    # (version, situation, how many eras) every SNAPSHOT_EVERY events: obligations at an earlier
    # instant replay at most that many events instead of the whole prefix.

    @property
    def earlier_policies(self) -> tuple[Policy, ...]:
        """Policies the complaint was under before a :class:`PolicyChanged` (for its JSON)."""
        return tuple(p for p, _ in self.eras[:-1])

    def __repr__(self) -> str:
        return (
            f"Complaint({self.id!r}, version={self.version}, state={self.state!r}, "
            f"policy={self.policy.id!r})"
        )

    __str__ = __repr__

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        *,
        complaint_id: str,
        received_at: datetime,
        complainant: ev.ComplainantKind,
        channel: str = "email",
        case_ongoing: bool | None = None,
        involvement_ended: date | None = None,
        hearing: date | None = None,
        staff_named: int = 0,
        personal: PersonalDetails | None = None,
        policy: Policy | str = "cafcass-web",
        calendar: WorkingDayCalendar | None = None,
        linked_to: str | None = None,
    ) -> Complaint:
        """Open a complaint from the facts known on receipt.

        ``case_ongoing`` defaults to "no ``involvement_ended`` given". ``staff_named`` counts
        the members of staff the complaint names (a count, never who: for the pre-July-2014
        counting rule). Raises :class:`EventRejected` for bad facts (a naive time, an unknown
        complainant kind, a hearing before receipt, a date outside the calendar's span …) and
        :class:`InvalidInputError` for a ``policy`` or ``calendar`` of the wrong type.
        """
        if isinstance(policy, str):
            chosen = Policy.load(policy)
        elif isinstance(policy, Policy):
            chosen = policy
        else:
            raise InvalidInputError(
                f"policy must be a Policy or a built-in id (got {type(policy).__name__})"
            )
        if calendar is not None and not isinstance(calendar, WorkingDayCalendar):
            raise InvalidInputError(
                f"calendar must be a WorkingDayCalendar or None (got {type(calendar).__name__})"
            )
        if personal is not None and not isinstance(personal, PersonalDetails):
            raise EventRejected(_NEW, "complaint-opened", "personal must be PersonalDetails")
        if case_ongoing is not None and type(case_ongoing) is not bool:
            raise EventRejected(
                _NEW, "complaint-opened", "case_ongoing must be a bool (True or False) or None"
            )
        if not isinstance(received_at, datetime) or received_at.tzinfo is None:
            raise EventRejected(_NEW, "complaint-opened", "received_at must be an aware datetime")
        try:
            opened = ev.ComplaintOpened(
                at=received_at,
                version=1,
                complaint_id=complaint_id,
                complainant=complainant,
                channel=channel,  # type: ignore[arg-type]
                case_ongoing=(involvement_ended is None) if case_ongoing is None else case_ongoing,
                involvement_ended=involvement_ended,
                hearing=hearing,
                staff_named=staff_named,
                policy_id=chosen.id,
                linked_to=linked_to,
            )
        except ComplaintWorkflowError as exc:  # a field's own check names the field
            raise EventRejected(_NEW, "complaint-opened", str(exc)) from None
        return cls._start(
            opened, chosen, calendar or WorkingDayCalendar.england_and_wales(), personal
        )

    @classmethod
    def _start(
        cls,
        opened: ev.ComplaintOpened,
        policy: Policy,
        calendar: WorkingDayCalendar,
        personal: PersonalDetails | None,
    ) -> Complaint:
        if not isinstance(calendar, WorkingDayCalendar):
            raise InvalidInputError(
                f"calendar must be a WorkingDayCalendar or None (got {type(calendar).__name__})"
            )
        if not isinstance(policy, Policy):
            raise InvalidInputError(f"policy must be a Policy (got {type(policy).__name__})")
        reason = _check_opening(opened, calendar)
        if reason:
            raise EventRejected(_NEW, opened.name, reason)
        if opened.version not in (None, 1):
            raise EventRejected(_NEW, opened.name, "the opening event must be version 1")
        opened = ev.restamped(opened, _fixed_offset(opened.at), 1)  # both checked: no evolve
        at = opened.at
        situation = Situation(
            complaint_id=opened.complaint_id,
            complainant=opened.complainant,
            channel=opened.channel,
            case_ongoing=opened.case_ongoing,
            involvement_ended=opened.involvement_ended,
            staff_named=opened.staff_named,
            policy_id=opened.policy_id,
            received_at=at,
            receipt_at=at,
            hearing=opened.hearing,
            hearing_known_at=at,
            linked_to=opened.linked_to,
            states=RouteStates(child="not-offered" if opened.complainant == "child" else None),
            last_at=at,
        )
        complaint = cls(
            situation=situation,
            policy=policy,
            history=Timeline((opened,)),
            personal=personal,
            calendar=calendar,
            eras=((policy, at),),
            event_ids={} if opened.event_id is None else {opened.event_id: 1},
            snapshots=Timeline(((1, situation, 1),)),
        )
        log.debug("opened complaint %s under %s", opened.complaint_id, policy.id)
        return complaint

    @classmethod
    def replay(
        cls,
        events: Iterable[ev.Event],
        *,
        policies: Mapping[str, Policy] | None = None,
        calendar: WorkingDayCalendar | None = None,
        personal: PersonalDetails | None = None,
    ) -> Complaint:
        """Rebuild a complaint from its history; equal to the one that made the history.

        Built-in policies are found by id; pass any other in ``policies``.
        """
        if isinstance(events, str | bytes) or not isinstance(events, Iterable):
            raise InvalidInputError(
                f"events must be an iterable of events (got {type(events).__name__})"
            )
        _check_policies(policies)
        if calendar is not None and not isinstance(calendar, WorkingDayCalendar):
            raise InvalidInputError(
                f"calendar must be a WorkingDayCalendar (got {type(calendar).__name__})"
            )
        iterator = iter(events)
        opened = next(iterator, None)
        if not isinstance(opened, ev.ComplaintOpened):
            raise EventRejected(
                _NEW,
                "(no event)" if opened is None else _name(opened),
                "a history starts with complaint-opened",
            )
        known = dict(policies or {})
        complaint = cls._start(
            opened,
            _resolve(opened.policy_id, known, _NEW, opened.name),
            calendar or WorkingDayCalendar.england_and_wales(),
            personal,
        )
        for event in iterator:
            complaint = complaint.apply(event, policies=known)
        return complaint

    # ----------------------------------------------------------------- reading

    @property
    def id(self) -> str:
        """The complaint's identifier."""
        return self.situation.complaint_id

    @property
    def version(self) -> int:
        """How many events the history holds (1 after opening)."""
        return len(self.history)

    @property
    def last_at(self) -> datetime:
        """When the latest event happened."""
        return self.history[-1].at

    @property
    def states(self) -> dict[str, str]:
        """Every started route and its state, e.g. ``{'intake': 'procedure', ...}``."""
        return self.situation.states.active()

    @property
    def state(self) -> str:
        """The main route's state as ``route:state`` (the procedure once it has started)."""
        s = self.situation.states
        for route in ("procedure", "outside", "quick_fix"):
            value = getattr(s, route)
            if value is not None:
                return f"{route}:{value}"
        return f"intake:{s.intake}"

    @property
    def eligibility(self) -> Eligibility:
        """``in-time``, ``exceptional-circumstances`` or ``outside-procedure`` (§3.1, §2)."""
        return eligibility_of(self.situation, self.policy, self.calendar)

    @property
    def six_month_limit(self) -> date | None:
        """The last day this complaint is in time, or ``None`` while the case is ongoing."""
        return six_month_limit_of(self.situation, self.policy, self.calendar)

    @property
    def deemed_receipt(self) -> date:
        """Day 0 of the receipt: the working day the complaint counts as received.

        The procedure's own targets may count from later (:attr:`clock_starts_at`).
        """
        return self.calendar.deemed_receipt(
            self.situation.receipt_at, self.policy.parameters.cutoff
        )

    @property
    def clock_starts_at(self) -> datetime:
        """The instant the procedure's receipt-counted targets count from: the receipt, or
        later when a quick fix was escalated or a late complaint decided (and the policy's
        ``quick_fix_counts_from`` / ``exceptional_counts_from`` say so)."""
        return self.situation.clock_start(self.policy)

    @property
    def clock_day0(self) -> date:
        """Day 0 of :attr:`clock_starts_at`: what the procedure's own targets count from
        (equal to :attr:`deemed_receipt` unless the clock started later)."""
        return self.calendar.deemed_receipt(self.clock_starts_at, self.policy.parameters.cutoff)

    @property
    def owner(self) -> str:
        """Who is responsible: a child's complaint is owned by a Head of Practice / Assistant
        Director (§5.1); a complaint about an employee outside a case by their line manager
        (§2.3); anything else by the Customer Service Team."""
        match self.situation.complainant:
            case "child":
                return "head-of-practice"
            case "employee-matter":
                return "line-manager"
        return "customer-service-team"

    @property
    def finished(self) -> bool:
        """Whether the complaint has reached an end: closed, answered, resolved or refused."""
        return finished(self.situation)

    def obligations(self, at: datetime) -> tuple[Obligation, ...]:
        """Every obligation and its status at the aware instant ``at``.

        Only what had happened by ``at`` counts, so asking about an earlier instant shows the
        complaint as it stood then.
        """
        instant = as_london(at, "at")
        if instant >= self.situation.last_at:  # type: ignore[operator]
            return derive_forward_only(self.situation, self.eras, self.calendar, instant)
        earlier = self.as_of(instant)
        if earlier is None:
            return ()
        return derive_forward_only(earlier.situation, earlier.eras, self.calendar, instant)

    def as_of(self, at: datetime) -> Complaint | None:
        """The complaint as it stood at the aware instant ``at`` (``None`` before it opened).

        Replays at most a few events from the nearest kept snapshot, never the whole prefix.
        """
        instant = as_london(at, "at")
        history = self.history
        lo = bisect.bisect_right(history, instant, key=_at)  # events by then (times rise)
        if lo == 0:
            return None
        if lo == len(history):
            return self
        version, situation, in_force = _latest_snapshot(self._snapshots, lo)
        eras = self.eras[:in_force]  # the policies the complaint had been under by then
        earlier = Complaint(
            situation=situation,
            policy=eras[-1][0],
            history=_prefix(history, version),
            personal=self.personal,
            calendar=self.calendar,
            eras=eras,
            event_ids={},
            snapshots=Timeline(),
        )
        known = {p.id: p for p, _ in self.eras}
        for index in range(version, lo):
            event = history[index]
            earlier = earlier._applied(PLANS[type(event)], event, known)
        return earlier

    # ----------------------------------------------------------------- applying

    def apply(self, event: ev.Event, *, policies: Mapping[str, Policy] | None = None) -> Complaint:
        """The complaint after ``event``; raises :class:`EventRejected` and changes nothing.

        Rejected: anything not an event, a second opening, a naive timestamp, a time earlier
        than the previous event, a version that is not the next one, and any event the routes
        do not allow in their current states.
        """
        plan: Plan[Any] | None = PLANS.get(type(event))
        if plan is None:
            raise EventRejected(self.state, _name(event), "not an event for a complaint")
        if event.event_id is not None:
            seen = self._seen(event.event_id)
            if seen is not None:
                if _same_content(seen, event):
                    return self  # a re-delivered event: applied once already
                raise EventRejected(
                    self.state,
                    event.name,
                    f"event_id {_short(event.event_id)} is already in the history "
                    f"(version {seen.version}) with other content",
                )
        return self._applied(plan, event, policies)

    def _seen(self, event_id: str) -> ev.Event | None:
        """The event with this id in this complaint's history, or ``None``."""
        history = self.history
        version = self._event_ids.get(event_id)
        if version is not None and version <= len(history):
            found = history[version - 1]
            if found.event_id == event_id:
                return found
        if version is None:
            return None
        # Another version of this complaint (a branch) used the id: look in this one's own.
        return next((e for e in history if e.event_id == event_id), None)

    def _applied(
        self, plan: Plan[Any], event: ev.Event, policies: Mapping[str, Policy] | None
    ) -> Complaint:
        """:meth:`apply` once the event is known to be new; ``plan`` is its type's plan."""
        before = self.situation
        expected = check_next_event(self, event, before.last_at)
        calendar = self.calendar
        outside = ev.check_dates(event, calendar)
        if outside is not None:
            raise EventRejected(self.state, event.name, outside)
        event = ev.restamped(event, _fixed_offset(event.at), expected)
        at = event.at
        policy = self.policy
        if isinstance(event, ev.PolicyChanged):
            policy = self._next_policy(event, policies)
        context = _CONTEXT(before, event, policy, calendar)
        try:
            states = self._run(plan, plan.steps(context, event), context)
            changes = plan.changes(context, event)
            more = follow_ups(states, before, changes)
            if more:
                states = self._run(None, more, context, states)
        except Refused as refused:
            raise EventRejected(self.state, event.name, refused.reason) from None
        except ComplaintWorkflowError as exc:  # e.g. a date outside the calendar
            raise EventRejected(self.state, event.name, str(exc)) from None
        situation = next_situation(before, route_states(states), at, changes)
        log.debug(
            "complaint %s: %s applied (version %d)", before.complaint_id, event.name, expected
        )
        ids = self._event_ids
        if event.event_id is not None:
            ids[event.event_id] = expected
        eras = self.eras if policy is self.policy else (*self.eras, (policy, at))
        snapshots = self._snapshots
        if expected % SNAPSHOT_EVERY == 0:
            snapshots = snapshots.appended((expected, situation, len(eras)))
        return _COMPLAINT(  # every field, in order: equal to Complaint(...), made unchecked
            situation,
            policy,
            _appended(self.history, event),
            self.personal,
            calendar,
            eras,
            ids,
            snapshots,
        )

    def _next_policy(
        self, event: ev.PolicyChanged, policies: Mapping[str, Policy] | None
    ) -> Policy:
        """The policy a :class:`PolicyChanged` moves to; refused if its id is reused."""
        _check_policies(policies)
        policy = _resolve(event.policy_id, dict(policies or {}), self.state, event.name)
        earlier = next((p for p, _ in self.eras if p.id == policy.id), None)
        if earlier is not None and earlier != policy:
            raise EventRejected(
                self.state,
                event.name,
                f"policy id {policy.id!r} was already used by this complaint with other "
                "content; give the new version its own id",
            )
        return policy

    def change_policy(self, policy: Policy, at: datetime) -> Complaint:
        """Move the complaint to another policy version, as an explicit, recorded event."""
        if not isinstance(policy, Policy):
            raise InvalidInputError(f"policy must be a Policy (got {type(policy).__name__})")
        return self.apply(
            ev.PolicyChanged(at=at, policy_id=policy.id), policies={policy.id: policy}
        )

    def _context(self, event: ev.Event, policy: Policy | None = None) -> Context:
        return Context(self.situation, event, policy or self.policy, self.calendar)

    def _run(
        self,
        plan: Plan[Any] | None,
        steps: list[Step],
        context: Context,
        states: dict[str, str | None] | None = None,
    ) -> dict[str, str | None]:
        """The routes' states after ``steps``, each looked up and guarded; refuses, changes
        nothing. ``plan`` (when given) must have declared every step it takes."""
        states = states_dict(self.situation.states) if states is None else states
        for step in steps:
            assert plan is None or step in plan.moves, (
                f"{step} is not among {plan.event.name}'s moves"
            )
            route, trigger = step
            current = states[route]
            if current is None:
                raise Refused(f"the {route.replace('_', ' ')} route has not started")
            result = ROUTES[route].step(current, trigger, context)
            if not isinstance(result, str):
                raise Refused(result.reason)
            states[route] = result
            if route == "intake" and result != current:
                states.update(STARTS.get(result, {}))
        return states

    # ----------------------------------------------------------------- JSON

    def to_json(self, *, include_personal: bool = True) -> str:
        """The history as a JSON document (schema version 2, see ``docs/json.md``).

        It pins every policy the complaint was ever under (TOML and sha256), built-ins
        included, so a later release cannot silently re-time it.
        """
        from .history import write_history

        if type(include_personal) is not bool:
            raise InvalidInputError("include_personal must be a bool (True or False)")
        return write_history(
            complaint_id=self.id,
            events=self.history,
            policies=(*self.earlier_policies, self.policy),
            personal=self.personal if include_personal else None,
        )

    @classmethod
    def from_json(
        cls,
        text: str | bytes,
        *,
        policies: Mapping[str, Policy] | None = None,
        calendar: WorkingDayCalendar | None = None,
        retime: bool = False,
    ) -> Complaint:
        """Read a JSON history and replay it: equal to the complaint that wrote it.

        It replays under exactly the policies the history pins. When a pinned built-in
        differs from the one shipped now, :class:`~complaint_workflow.errors.PinnedPolicyError`
        is raised, unless ``retime=True``: then the complaint is re-timed under the current
        content (what a store's repair does). ``policies`` adds policies a version-1 history
        names without embedding. Every problem is a typed error (``docs/json.md``).
        """
        from .history import read_history

        history = read_history(text, retime=retime, policies=policies)
        return cls.replay(
            history.events,
            policies=history.policies,
            calendar=calendar,
            personal=history.personal,
        )


_COMPLAINT: Final = builder(Complaint)
_CONTEXT: Final = builder(Context)


def _fixed_offset(at: datetime) -> datetime:
    """The same instant on London's wall clock, with a fixed UTC offset.

    Stored events carry fixed offsets so that equality is always by instant: PEP 495 makes a
    zoneinfo time the clocks repeat or skip unequal to every time in another zone, which would
    break "JSON round trip gives an equal complaint" at 01:30 on a clock-change night.
    ``at`` is an event's time, so already checked aware and in range (``ZoneInfo`` or
    ``timezone``). London's offset is looked up by the UTC day (:func:`_london_zone_on`),
    except on the days it changes.
    """
    utc = at.astimezone(UTC)  # from LONDON itself, astimezone would keep a skipped time
    day = utc.toordinal()
    try:
        zone = _ZONE_ON[day]
    except KeyError:
        zone = _london_zone_on(day)
    if zone is None:  # London's offset changes during this UTC day
        zone = _offset_zone(utc.astimezone(LONDON).utcoffset() or _NO_OFFSET)
    return utc.astimezone(zone)


_ZONE_ON: Final[dict[int, timezone | None]] = {}
"""London's fixed-offset zone all through each UTC day (by ordinal) looked up so far, or
``None`` for a day its offset changes during; filled a year at a time."""


def _london_zone_on(day: int) -> timezone | None:
    """Fill :data:`_ZONE_ON` for the UTC year of ``day`` and answer for ``day``.

    A day's zone is London's offset at its first and its last microsecond when the two agree
    (London's offset has never changed and changed back within a day), else ``None``.
    """
    year = date.fromordinal(day).year
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    zones: dict[int, timezone | None] = {}
    for ordinal in range(first, last + 1):
        start = datetime.combine(date.fromordinal(ordinal), _MIDNIGHT, UTC)
        offsets = {
            (t.astimezone(LONDON).utcoffset() or _NO_OFFSET) for t in (start, start + _LAST_US)
        }
        zones[ordinal] = _offset_zone(offsets.pop()) if len(offsets) == 1 else None
    _ZONE_ON.update(zones)
    return zones[day]


@functools.cache
def _offset_zone(offset: timedelta) -> timezone:
    # One shared tzinfo per offset (GMT and BST): a new one per event costs 56 bytes each.
    return timezone(offset)


_NO_OFFSET: Final = timedelta(0)
_MIDNIGHT: Final = time(0)
_LAST_US: Final = timedelta(days=1, microseconds=-1)


def _name(event: object) -> str:
    return str(getattr(type(event), "name", type(event).__name__))


SNAPSHOT_EVERY: Final = 2
"""Keep the situation every this many events (see :meth:`Complaint.as_of`)."""


def _check_policies(policies: object) -> None:
    if policies is None:
        return
    if not isinstance(policies, Mapping) or not all(
        isinstance(k, str) and isinstance(v, Policy) for k, v in policies.items()
    ):
        raise InvalidInputError("policies must map policy ids to Policy values")


def _latest_snapshot(
    snapshots: Sequence[tuple[int, Situation, int]], before: int
) -> tuple[int, Situation, int]:
    """The last snapshot taken at or before version ``before``."""
    return snapshots[bisect.bisect_right(snapshots, before, key=_version) - 1]


def _at(event: ev.Event) -> datetime:
    return event.at


def _version(snapshot: tuple[int, Situation, int]) -> int:
    return snapshot[0]


def _appended(history: Sequence[ev.Event], event: ev.Event) -> Timeline[ev.Event]:
    if isinstance(history, Timeline):
        return history.appended(event)
    return Timeline((*history, event))


def _prefix(history: Sequence[ev.Event], n: int) -> Timeline[ev.Event]:
    if isinstance(history, Timeline):
        return history.prefix(n)
    return Timeline(history[:n])


def _same_content(stored: ev.Event, incoming: ev.Event) -> bool:
    """Whether a re-delivered event says what the stored one said (its version and the
    zone its time is written in aside)."""
    if type(stored) is not type(incoming) or stored.at != incoming.at:
        return False
    if incoming.version is not None and incoming.version != stored.version:
        return False
    return attrs.evolve(incoming, version=stored.version, at=stored.at) == stored


def _short(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")


class _EventSourced(Protocol):
    @property
    def state(self) -> str: ...

    @property
    def history(self) -> Sequence[ev.Event]: ...


def check_next_event(owner: _EventSourced, event: ev.Event, last_at: datetime | None = None) -> int:
    """The version ``event`` takes after ``owner``'s history; :class:`EventRejected` if it
    cannot.

    Shared by every event-sourced value: an aware time (checked when the event was made),
    not earlier than the previous event (``last_at``, when the caller knows it, else the
    history's last), and (when given) the next version.
    """
    at = event.at
    if at.tzinfo is None:  # pragma: no cover - the event's own check refuses it first
        raise EventRejected(owner.state, _name(event), "its time must be an aware datetime")
    history = owner.history
    last = history[-1].at if last_at is None else last_at
    if at < last:
        raise EventRejected(
            owner.state,
            _name(event),
            f"its time {at.isoformat()} is earlier than the previous event's {last.isoformat()}",
        )
    expected = len(history) + 1
    if event.version is not None and event.version != expected:
        raise EventRejected(
            owner.state, _name(event), f"out of order: version {event.version}, expected {expected}"
        )
    return expected


def _resolve(policy_id: str, known: dict[str, Policy], state: str, name: str) -> Policy:
    if policy_id in known:
        return known[policy_id]
    if policy_id in Policy.builtin_ids():
        return Policy.builtin(policy_id)
    raise EventRejected(
        state, name, f"policy {policy_id!r} is not built in; pass it in policies= to replay"
    )


def _check_opening(opened: ev.ComplaintOpened, calendar: WorkingDayCalendar) -> str:
    # Each field was checked when the event was made (types, words, lengths, years); what is
    # left needs several fields at once, or the calendar.
    at = opened.at
    received = as_london(at).date()
    if opened.hearing is not None and opened.hearing < received:
        return "the next hearing must not be before the complaint was received"
    if opened.involvement_ended is not None and opened.involvement_ended > received:
        return "involvement_ended must not be after the complaint was received"
    if opened.involvement_ended is not None and opened.case_ongoing:
        return "a case whose involvement has ended is not ongoing"
    outside = ev.check_dates(opened, calendar)
    if outside:
        return outside
    try:
        calendar.deemed_receipt(at)
    except ComplaintWorkflowError as exc:
        return str(exc)
    return ""
