"""A registry of named kinds of bad input, by area, for tests/test_hostile.py.

Each kind is a :class:`Kind`: an area, a name and a thunk that feeds the bad input to a public
function. ``run`` must raise a ``ComplaintWorkflowError`` (or return a valid result, for the
kinds marked ``may_succeed``). The counts by area are printed in docs/guarantees.md and
checked by a test, so the registry cannot shrink silently.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import attrs

from complaint_workflow import (
    LONDON,
    Complaint,
    Policy,
    WorkingDayCalendar,
    WorkingDays,
    feedback,
)
from complaint_workflow import events as ev
from complaint_workflow.demo import SCENARIOS
from complaint_workflow.feedback import TakeForwardAnswered
from complaint_workflow.vocabulary import ASPECTS


@attrs.frozen
class Kind:
    """One kind of bad input: where, what, and how to feed it."""

    area: str
    name: str
    run: Callable[[], object]
    may_succeed: bool = False


AT = datetime(2024, 6, 12, 10, tzinfo=LONDON)
_DEEP = "<50,000 nested arrays>"
HUGE = "x" * 1_000_000
DEEP_LIST: list[Any] = []
_cursor = DEEP_LIST
for _ in range(50_000):
    _cursor.append([])
    _cursor = _cursor[0]

# --------------------------------------------------------------------- values by field kind

BAD_INSTANTS: dict[str, object] = {
    "naive": datetime(2024, 6, 12, 10),
    "a date": date(2024, 6, 12),
    "a string": "2024-06-12T10:00:00+01:00",
    "an int": 1718182800,
    "None": None,
    "year 1": datetime(1, 1, 1, tzinfo=UTC),
    "year 1 east of UTC": datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=5))),
    "year 9999": datetime(9999, 12, 31, 23, tzinfo=UTC),
    "year 9999 west of UTC": datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
    "year 1899": datetime(1899, 12, 31, tzinfo=UTC),
    "year 2200": datetime(2200, 1, 1, tzinfo=UTC),
    "a bool": True,
}
BAD_BOOLS: dict[str, object] = {
    "'no'": "no",
    "'false'": "false",
    "0": 0,
    "1": 1,
    "None": None,
    "2.7": 2.7,
}
BAD_CHOICES: dict[str, object] = {
    "'bogus'": "bogus",
    "None": None,
    "an int": 5,
    "empty": "",
    "1 MB": HUGE,
    "upper case": "ADULT",
    "a list": ["adult"],
}
BAD_IDS: dict[str, object] = {
    "empty": "",
    "None": None,
    "an int": 5,
    "1 MB": HUGE,
    "a newline": "C-1\nC-2",
    "bytes": b"C-1",
    "a NUL": "C\x001",
}
BAD_DATES: dict[str, object] = {
    "a datetime": datetime(2024, 7, 1, tzinfo=LONDON),
    "a string": "2024-07-01",
    "an int": 20240701,
    "year 1": date(1, 1, 1),
    "year 9999": date(9999, 12, 31),
    "year 2200": date(2200, 1, 1),
}
BAD_VERSIONS: dict[str, object] = {
    "0": 0,
    "-1": -1,
    "True": True,
    "1.5": 1.5,
    "'1'": "1",
    "10**20": 10**20,
}
BAD_EVENT_IDS: dict[str, object] = {
    "empty": "",
    "an int": 5,
    "201 characters": "e" * 201,
    "1 MB": HUGE,
    "a control character": "id\x07",
}
BAD_ASPECTS: dict[str, object] = {
    "a str": "abc",
    "an aspect as a str": "conduct",
    "empty": [],
    "unknown": ["bogus"],
    "repeated": ["conduct", "conduct"],
    "None": None,
    "a mapping": {"conduct": 1},
    "an int inside": [5],
    "a set": {"conduct"},
    "1 MB inside": [HUGE],
}
BAD_COUNTS: dict[str, object] = {
    "-1": -1,
    "2.7": 2.7,
    "True": True,
    "'2'": "2",
    "10**9": 10**9,
}
BAD_POLICY_IDS: dict[str, object] = {
    "a path": "../x/secret.toml",
    "upper case": "Cafcass-Web",
    "empty": "",
    "None": None,
    "1 MB": HUGE,
}

# Each event type with valid values for its required fields, and the kind of every field.
VALID: dict[type[ev.Event], dict[str, object]] = {
    ev.ComplaintOpened: {"complaint_id": "C-1", "complainant": "adult"},
    ev.ContactRestricted: {"restriction": "limited", "because": "abusive"},
    ev.RepeatedComplaintLinked: {"earlier_complaint_id": "C-0"},
    ev.ExceptionalCircumstancesDecided: {"accepted": True},
    ev.Assessed: {"aspects": ("conduct",)},
    ev.Triaged: {"route": "investigation"},
    ev.ConductReferred: {"to": "manager"},
    ev.ProviderResponseAgreed: {"joint": True},
    ev.DelayUpdateSent: {"new_expected": date(2024, 7, 19)},
    ev.HearingListed: {"hearing": date(2024, 7, 1)},
    ev.HearingMoved: {"hearing": date(2024, 7, 1)},
    ev.PolicyChanged: {"policy_id": "cafcass-2012"},
    TakeForwardAnswered: {"yes": True},
    feedback.FeedbackRecorded: {"feedback_id": "F-1"},
    feedback.ComplaintOpenedFromFeedback: {"complaint_id": "C-1"},
    feedback.ComplimentRecorded: {"compliment_id": "K-1", "source": "professional"},
}
FIELD_KINDS: dict[str, dict[str, object]] = {
    "complaint_id": BAD_IDS,
    "earlier_complaint_id": BAD_IDS,
    "linked_to": {k: v for k, v in BAD_IDS.items() if v is not None},
    "complainant": BAD_CHOICES,
    "channel": BAD_CHOICES,
    "restriction": BAD_CHOICES,
    "because": BAD_CHOICES,
    "method": BAD_CHOICES,
    "route": BAD_CHOICES,
    "to": {**BAD_CHOICES, "'police'": "police"},
    "case_ongoing": BAD_BOOLS,
    "told_not_reinvestigated": BAD_BOOLS,
    "reachable": BAD_BOOLS,
    "dissatisfied": BAD_BOOLS,
    "complimentary": BAD_BOOLS,
    "via_feedback_form": BAD_BOOLS,
    "feedback_id": BAD_IDS,
    "compliment_id": BAD_IDS,
    "form": BAD_CHOICES,
    "source": BAD_CHOICES,
    "complainant_told": BAD_BOOLS,
    "told_why_and_options": BAD_BOOLS,
    "accepted": BAD_BOOLS,
    "serious_conduct": BAD_BOOLS,
    "joint": BAD_BOOLS,
    "phso_signposted": BAD_BOOLS,
    "supporter_is_a_party": BAD_BOOLS,
    "yes": BAD_BOOLS,
    "involvement_ended": BAD_DATES,
    "hearing": BAD_DATES,
    "new_expected": {**BAD_DATES, "None": None},
    "staff_named": BAD_COUNTS,
    "policy_id": BAD_POLICY_IDS,
    "obligation": {k: v for k, v in BAD_POLICY_IDS.items() if v is not None},
    "aspects": BAD_ASPECTS,
    "at": BAD_INSTANTS,
    "version": BAD_VERSIONS,
    "event_id": BAD_EVENT_IDS,
}


def event_types() -> list[type[ev.Event]]:
    """Every event type: the complaint's and the feedback route's."""

    extra = [
        feedback.FeedbackRecorded,
        feedback.AskedToTakeForward,
        feedback.TakeForwardAnswered,
        feedback.ComplaintOpenedFromFeedback,
        feedback.FeedbackFiled,
        feedback.ComplimentRecorded,
        feedback.ComplimentPassedOn,
    ]
    return [*ev.EVENT_TYPES.values(), *extra]


def valid_kwargs(cls: type[ev.Event]) -> dict[str, object]:
    """Keyword arguments that make a valid ``cls``."""
    return {"at": AT, **VALID.get(cls, {})}


def _event_kinds() -> Iterator[Kind]:
    for cls in event_types():
        for field in attrs.fields(cls):
            bad = FIELD_KINDS[field.name]
            # Base fields are shared: feed their full list to one event type only, and one
            # value to each other type (they all run the same check).
            if field.name in ("at", "version", "event_id") and cls is not ev.ForwardedToCST:
                bad = dict(list(bad.items())[:1])
            for label, value in bad.items():
                kwargs = {**valid_kwargs(cls), field.name: value}
                yield Kind(
                    "events",
                    f"{cls.__name__}.{field.name} = {label}",
                    lambda cls=cls, kwargs=kwargs: cls(**kwargs),
                )


# --------------------------------------------------------------------- Complaint.open and friends


def _open(**changes: object) -> Complaint:
    facts: dict[str, Any] = {"complaint_id": "C-1", "complainant": "adult", "received_at": AT}
    facts.update(changes)
    return Complaint.open(**facts)


_WEB = Policy.builtin("cafcass-web")


def _deadlines(**changes: object) -> object:
    from complaint_workflow.deadlines import deadlines

    facts: dict[str, Any] = {"policy": "cafcass-web", "received_at": AT, "complainant": "adult"}
    return deadlines(**{**facts, **changes})


def _feedback(**changes: object) -> object:
    from complaint_workflow import Feedback

    return Feedback.record(**{"feedback_id": "F-1", "received_at": AT, **changes})  # type: ignore[arg-type]


def _compliment(**changes: object) -> object:
    from complaint_workflow import Compliment

    facts = {"compliment_id": "K-1", "received_at": AT, "source": "professional"}
    return Compliment.record(**{**facts, **changes})  # type: ignore[arg-type]


def _load_govuk(source: Any, division: Any) -> object:
    from complaint_workflow import load_govuk_bank_holidays

    return load_govuk_bank_holidays(source, division=division)


def _api_kinds() -> Iterator[Kind]:
    cal = WorkingDayCalendar.england_and_wales()
    c = _open()
    opened: dict[str, dict[str, object]] = {
        "complaint_id": BAD_IDS,
        "complainant": BAD_CHOICES,
        "channel": BAD_CHOICES,
        "case_ongoing": {k: v for k, v in BAD_BOOLS.items() if v is not None},
        "involvement_ended": BAD_DATES,
        "hearing": {**BAD_DATES, "beyond the calendar": date(2150, 1, 1)},
        "staff_named": BAD_COUNTS,
        "received_at": {**BAD_INSTANTS, "beyond the calendar": datetime(2150, 1, 1, tzinfo=UTC)},
        "policy": {"None": None, "an int": 5, "unknown id": "bogus", "a dict": {}},
        "calendar": {"a str": "x", "an int": 3},
        "personal": {"a str": "name", "a dict": {"name": "A"}},
        "linked_to": {"an int": 5, "1 MB": HUGE},
    }
    for field, bad in opened.items():
        for label, value in bad.items():
            yield Kind(
                "api",
                f"Complaint.open({field} = {label})",
                lambda f=field, v=value: _open(**{f: v}),
            )
    at_values = {**BAD_INSTANTS, "year 1 aware": datetime(1, 1, 1, tzinfo=UTC)}
    for label, value in at_values.items():
        # Any aware instant Python can convert to London has an answer (nothing owed before
        # the complaint, everything settled long after); the rest are typed errors.
        answerable = label in ("year 9999", "year 1899", "year 2200")
        yield Kind(
            "api",
            f"complaint.obligations(at = {label})",
            lambda v=value: c.obligations(v),
            may_succeed=answerable,
        )
    for label, value in {"None": None, "an int": 5, "a list": [], "a dict": {}}.items():
        yield Kind("api", f"Complaint.from_json({label})", lambda v=value: Complaint.from_json(v))  # type: ignore[arg-type]
        yield Kind("api", f"complaint.apply({label})", lambda v=value: c.apply(v))  # type: ignore[arg-type]
    yield Kind(
        "api", "from_json(retime = 'yes')", lambda: Complaint.from_json(c.to_json(), retime="yes")
    )  # type: ignore[arg-type]
    yield Kind(
        "api", "from_json(policies = a list)", lambda: Complaint.from_json(c.to_json(), policies=[])
    )  # type: ignore[arg-type]
    calendars: dict[str, Callable[[], object]] = {
        "WorkingDayCalendar(None, ...)": lambda: WorkingDayCalendar(
            None, first_year=2000, last_year=2001
        ),  # type: ignore[arg-type]
        "WorkingDayCalendar(first_year = '2000')": lambda: WorkingDayCalendar(
            {}, first_year="2000", last_year=2001
        ),  # type: ignore[arg-type]
        "WorkingDayCalendar(span reversed)": lambda: WorkingDayCalendar(
            {}, first_year=2001, last_year=2000
        ),
        "WorkingDayCalendar(year 0)": lambda: WorkingDayCalendar({}, first_year=0, last_year=2000),
        "WorkingDayCalendar(a str holiday)": lambda: WorkingDayCalendar(
            {"2024-01-01": "x"}, first_year=2024, last_year=2024
        ),  # type: ignore[dict-item]
        "holiday_name(before the span)": lambda: cal.holiday_name(date(1500, 1, 1)),
        "holiday_name(a str)": lambda: cal.holiday_name("2024-01-01"),  # type: ignore[arg-type]
        "is_working_day(year 9999)": lambda: cal.is_working_day(date(9999, 12, 31)),
        "add_working_days(n = 10**20)": lambda: cal.add_working_days(date(2024, 1, 1), 10**20),
        "add_working_days(n = -10**20)": lambda: cal.add_working_days(date(2024, 1, 1), -(10**20)),
        "add_working_days(n = 1.5)": lambda: cal.add_working_days(date(2024, 1, 1), 1.5),  # type: ignore[arg-type]
        "working_days_before(n = 0)": lambda: cal.working_days_before(date(2024, 1, 1), 0),
        "working_days_between(a str)": lambda: cal.working_days_between("a", date(2024, 1, 1)),  # type: ignore[arg-type]
        "deemed_receipt(year 9999 west)": lambda: cal.deemed_receipt(
            BAD_INSTANTS["year 9999 west of UTC"]
        ),  # type: ignore[arg-type]
        "deemed_receipt(year 1 east)": lambda: cal.deemed_receipt(
            BAD_INSTANTS["year 1 east of UTC"]
        ),  # type: ignore[arg-type]
        "deemed_receipt(cutoff aware)": lambda: cal.deemed_receipt(AT, time(17, tzinfo=UTC)),
        "with_closures(a str)": lambda: cal.with_closures("2024-01-01"),  # type: ignore[arg-type]
        "with_closures(None)": lambda: cal.with_closures(None),  # type: ignore[arg-type]
        "with_working_days([a datetime])": lambda: cal.with_working_days([AT]),
        "Policy.load(None)": lambda: Policy.load(None),  # type: ignore[arg-type]
        "Policy.builtin(5)": lambda: Policy.builtin(5),  # type: ignore[arg-type]
        "Policy.from_toml_text(None)": lambda: Policy.from_toml_text(None),  # type: ignore[arg-type]
        "Policy.from_toml(5)": lambda: Policy.from_toml(5),  # type: ignore[arg-type]
        "Policy.from_toml(a NUL in the path)": lambda: Policy.from_toml("a\x00b.toml"),
        "Policy.evolve(targets = 5)": lambda: _WEB.evolve(targets=5),  # type: ignore[arg-type]
        "Policy.evolve(parameters = 5)": lambda: _WEB.evolve(parameters=5),  # type: ignore[arg-type]
        "Policy.evolve(parameters cutoff 5)": lambda: _WEB.evolve(parameters={"cutoff": 5}),
        "Policy.evolve(id = 5)": lambda: _WEB.evolve(id=5),  # type: ignore[arg-type]
        "Policy.diff(None)": lambda: _WEB.diff(None),  # type: ignore[arg-type]
        "Policy.target(None)": lambda: _WEB.target(None),  # type: ignore[arg-type]
        "Policy(parameters = 5)": lambda: Policy(id="x", parameters=5),  # type: ignore[arg-type]
        "Policy(targets = 5)": lambda: Policy(id="x", targets=5),  # type: ignore[arg-type]
        "deadlines(aspects = 5)": lambda: _deadlines(aspects=5),
        "deadlines(aspects = 'conduct')": lambda: _deadlines(aspects="conduct"),
        "deadlines(at = 'x')": lambda: _deadlines(at="x"),
        "deadlines(policy = None)": lambda: _deadlines(policy=None),
        "deadlines(route = 'court')": lambda: _deadlines(route="court"),
        "to_json(include_personal = 'no')": lambda: c.to_json(include_personal="no"),  # type: ignore[arg-type]
        "Feedback.record(feedback_id = None)": lambda: _feedback(feedback_id=None),
        "Feedback.record(dissatisfied = 'no')": lambda: _feedback(dissatisfied="no"),
        "Feedback.record(form = 'bogus')": lambda: _feedback(form="bogus"),
        "Compliment.record(via_feedback_form = 1)": lambda: _compliment(via_feedback_form=1),
        "Compliment.record(compliment_id = 1 MB)": lambda: _compliment(compliment_id=HUGE),
        "from_holidays_package('x', 1)": lambda: WorkingDayCalendar.from_holidays_package("x", 1),  # type: ignore[arg-type]
        "load_govuk_bank_holidays(division = 5)": lambda: _load_govuk({"events": []}, division=5),  # type: ignore[arg-type]
        "WorkingDays(0)": lambda: WorkingDays(0),
        "WorkingDays(True)": lambda: WorkingDays(True),
        "WorkingDays(10**20)": lambda: WorkingDays(10**20),
    }
    for name, thunk in calendars.items():
        yield Kind("api", name, thunk)


# --------------------------------------------------------------------- histories (JSON)


def base_complaint() -> Complaint:
    """A history with many event types, a custom policy and personal details."""
    from complaint_workflow import PersonalDetails

    scenario = next(s for s in SCENARIOS if len(s.events) >= 6 and "hearing" in s.facts)
    variant = Policy.builtin("cafcass-web").evolve(
        id="web-15", targets={"investigation": WorkingDays(15)}
    )
    c = Complaint.open(
        **scenario.facts,
        policy=variant,
        personal=PersonalDetails(
            name="A. Person", contact="a@example.org", text="ZQX-complaint-words"
        ),
    )
    for e in scenario.events:
        c = c.apply(e)
    return c


def _json_values() -> dict[str, object]:
    return {
        "null": None,
        "true": True,
        "0": 0,
        "2.7": 2.7,
        "'false'": "false",
        "[]": [],
        "{}": {},
        "1 MB string": HUGE,
        "deep array": _DEEP,
    }


def _mutated(document: dict[str, Any], path: tuple[Any, ...], value: object) -> str:
    doc = json.loads(json.dumps(document))
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    text = json.dumps(doc)
    return text.replace(f'"{_DEEP}"', "[" * 50_000 + "]" * 50_000)  # written by hand


_DELETE = object()


def _history_kinds() -> Iterator[Kind]:
    c = base_complaint()
    text = c.to_json()
    document = json.loads(text)

    def read(t: str | bytes) -> Callable[[], object]:
        return lambda: Complaint.from_json(t)

    for key in document:
        yield Kind(
            "histories", f"top-level {key} deleted", read(_mutated(document, (key,), _DELETE))
        )
        for label, value in _json_values().items():
            yield Kind(
                "histories",
                f"top-level {key} = {label}",
                read(_mutated(document, (key,), value)),
                may_succeed=key == "personal" and value is None,  # null: no personal details
            )
    yield Kind("histories", "an extra top-level key", read(_mutated(document, ("extra",), 1)))
    for label, value in {"'2'": "2", "3": 3, "0": 0, "1.0": 1.0}.items():
        yield Kind(
            "histories",
            f"schema_version = {label}",
            read(_mutated(document, ("schema_version",), value)),
        )
    yield Kind(
        "histories",
        "complaint_id differs from the opening event",
        read(_mutated(document, ("complaint_id",), "OTHER")),
    )
    # events, field by field
    for i, event in enumerate(document["events"]):
        kind = event["type"]
        for field in event:
            if field != "type" and i > 2 and field in ("at", "version"):
                continue  # the shared fields: checked on the first three events
            yield Kind(
                "histories",
                f"events[{i}] ({kind}).{field} deleted",
                read(_mutated(document, ("events", i, field), _DELETE)),
                may_succeed=field in _OPTIONAL_JSON_FIELDS,
            )
            for label, value in _json_values().items():
                same = event[field] == value and type(event[field]) is type(value)
                yield Kind(
                    "histories",
                    f"events[{i}] ({kind}).{field} = {label}",
                    read(_mutated(document, ("events", i, field), value)),
                    may_succeed=same
                    or (value is None and field in _OPTIONAL_JSON_FIELDS)
                    or (field in _FREE_IDS and isinstance(value, str) and 0 < len(value) < 200),
                )
        yield Kind(
            "histories",
            f"events[{i}] ({kind}) extra key",
            read(_mutated(document, ("events", i, "extra"), 1)),
        )
    yield Kind(
        "histories", "an event that is an array", read(_mutated(document, ("events", 1), [1]))
    )
    yield Kind(
        "histories", "type unknown", read(_mutated(document, ("events", 1, "type"), "bogus"))
    )
    yield Kind(
        "histories",
        "a second opening",
        read(_mutated(document, ("events", 1), document["events"][0])),
    )
    yield Kind(
        "histories",
        "events reversed",
        read(json.dumps({**document, "events": document["events"][::-1]})),
    )
    # policies
    web15 = document["policies"]["web-15"]
    policies = {
        "toml altered, digest kept": {**web15, "toml": web15["toml"].replace("15", "300")},
        "digest not hex": {**web15, "sha256": "z" * 64},
        "an extra key": {**web15, "x": 1},
        "toml not text": {**web15, "toml": 5},
        "v1 shape (text)": web15["toml"],
    }
    for label, entry in policies.items():
        yield Kind(
            "histories",
            f"policies.web-15 {label}",
            read(_mutated(document, ("policies", "web-15"), entry)),
        )
    for label, toml in _hostile_embedded_policies().items():
        yield Kind("histories", f"embedded policy: {label}", read(_with_policy(document, toml)))
    yield Kind(
        "histories",
        "a policy pinned under another id",
        read(_mutated(document, ("policies", "cafcass-web"), web15)),
    )
    yield Kind(
        "histories",
        "the opening's policy not pinned",
        read(_mutated(document, ("policies", "web-15"), _DELETE)),
    )
    # personal
    for label, value in {
        "name = 5": {"name": 5, "contact": "", "text": ""},
        "extra key": {"name": "", "contact": "", "text": "", "x": ""},
        "missing text": {"name": "", "contact": ""},
    }.items():
        yield Kind("histories", f"personal {label}", read(_mutated(document, ("personal",), value)))
    # the text itself
    raw = {
        "not JSON": "{",
        "empty": "",
        "a JSON array": "[]",
        "a JSON string": '"x"',
        "invalid UTF-8": b"\xff\xfe" + text.encode(),
        "NaN in a field": text.replace('"staff_named": 0', '"staff_named": NaN'),
        "Infinity in a field": text.replace('"staff_named": 0', '"staff_named": Infinity'),
        "a 400-digit number": text.replace('"staff_named": 0', '"staff_named": ' + "9" * 400),
        "deep objects": '{"a":' * 100_000 + "1" + "}" * 100_000,
        "deep arrays": "[" * 100_000 + "]" * 100_000,
        "a lone surrogate": text.replace('"C', '"\\ud800C', 1),
    }
    for label, t in raw.items():
        yield Kind("histories", f"document {label}", read(t))


_OPTIONAL_JSON_FIELDS = frozenset(
    {
        "version",
        "event_id",
        "linked_to",
        "hearing",
        "involvement_ended",
        "obligation",
        "channel",
        "case_ongoing",
        "staff_named",
        "method",
        "phso_signposted",
        "serious_conduct",
        "complainant_told",
        "told_why_and_options",
        "supporter_is_a_party",
        "policy_id",
    }
)
"""JSON fields whose absence (or null, where the type allows it) still reads a valid history."""


_FREE_IDS = frozenset({"linked_to", "event_id", "earlier_complaint_id"})
"""Identifier fields any short printable string is valid for."""


def _with_policy(document: dict[str, Any], toml: str) -> str:
    import hashlib

    doc = json.loads(json.dumps(document))
    digest = hashlib.sha256(toml.encode("utf-8", "surrogatepass")).hexdigest()
    doc["policies"]["web-15"] = {"toml": toml, "sha256": digest}
    return json.dumps(doc)


def _hostile_embedded_policies() -> dict[str, str]:
    web300 = Policy.builtin("cafcass-web").evolve(targets={"investigation": WorkingDays(300)})
    return {
        "extends a relative path": 'id = "web-15"\nextends = "../x/secret.toml"\n',
        "extends an absolute path": 'id = "web-15"\nextends = "/etc/passwd.toml"\n',
        "extends a FIFO-like device": 'id = "web-15"\nextends = "/dev/zero.toml"\n',
        "extends an unknown id": 'id = "web-15"\nextends = "nope"\n',
        "extends itself": 'id = "web-15"\nextends = "web-15"\n',
        "id differs from its key": 'id = "other"\n',
        "not TOML": "id = ",
        "deeply nested TOML": 'id = "web-15"\nx = ' + "[" * 100_000 + "]" * 100_000 + "\n",
        "cafcass-web shadowed (300 days) under its own id": web300.to_toml(),
    }


def _feedback_history_kinds() -> Iterator[Kind]:
    from complaint_workflow import Feedback, PersonalDetails

    form = Feedback.record(
        feedback_id="F-1",
        received_at=AT,
        dissatisfied=True,
        personal=PersonalDetails(contact="a@example.org"),
    )
    form = form.apply(feedback.AskedToTakeForward(at=AT))
    form = form.apply(TakeForwardAnswered(at=AT, yes=True))
    document = json.loads(form.to_json())
    for i, event in enumerate(document["events"]):
        for field in event:
            if field in ("type", "version") or (field == "at" and i):
                continue
            for label, value in _json_values().items():
                same = event[field] == value and type(event[field]) is type(value)
                yield Kind(
                    "histories",
                    f"feedback events[{i}] ({event['type']}).{field} = {label}",
                    lambda d=document, p=("events", i, field), v=value: Feedback.from_json(
                        _mutated(d, p, v)
                    ),
                    may_succeed=same
                    or (field.endswith("_id") and isinstance(value, str) and 0 < len(value) < 200)
                    or (isinstance(event[field], bool) and isinstance(value, bool)),
                )
    for label, text in {
        "deep arrays": "[" * 100_000 + "]" * 100_000,
        "not JSON": "{",
        "a complaint's schema": json.dumps({**document, "schema": "complaint-workflow/history"}),
    }.items():
        yield Kind("histories", f"feedback document {label}", lambda t=text: Feedback.from_json(t))


# --------------------------------------------------------------------- policy files


def policy_file_kinds() -> dict[str, str]:
    """TOML texts of bad policy files, by name."""
    good = Policy.builtin("cafcass-web").to_toml()
    top: dict[str, str] = {
        "no id": good.replace('id = "cafcass-web"\n', "", 1),
        "id an int": good.replace('id = "cafcass-web"', "id = 5", 1),
        "id upper case": good.replace('id = "cafcass-web"', 'id = "Web"', 1),
        "id 1 MB": good.replace('id = "cafcass-web"', f'id = "{"a" * 1_000_000}"', 1),
        "unknown top key": good + "\nbogus = 1\n",
        "title a table": good.replace("title = ", "title_x = ", 1) + "\n[title]\n",
        "extends a path": 'id = "x"\nextends = "../../etc/secret.toml"\n',
        "extends an unknown id": 'id = "x"\nextends = "nope"\n',
        "drop without extends": 'id = "x"\ndrop = ["contact"]\n',
        "drop unknown": 'id = "x"\nextends = "cafcass-web"\ndrop = ["nope"]\n',
        "drop a string": 'id = "x"\nextends = "cafcass-web"\ndrop = "contact"\n',
        "targets a table": 'id = "x"\n[targets]\nid = "a"\n',
        "not UTF-8": "\udcff",
        "not TOML": "id = = 1",
        "deep arrays": 'id = "x"\nz = ' + "[" * 100_000 + "]" * 100_000,
        "deep inline tables": 'id = "x"\nz = ' + "{a = " * 10_000 + "1" + "}" * 10_000,
        "2 MB": 'id = "x"\ntitle = "' + "t" * 2_000_000 + '"\n',
        "parameters a list": 'id = "x"\nparameters = [1]\n',
        "parameter unknown": 'id = "x"\n[parameters]\nbogus = 1\n',
        "week_length bogus": 'id = "x"\n[parameters]\nweek_length = "fortnight"\n',
        "cutoff a number": 'id = "x"\n[parameters]\ncutoff = 17\n',
        "cutoff bad time": 'id = "x"\n[parameters]\ncutoff = "25:00"\n',
        "cutoff with offset": 'id = "x"\n[parameters]\ncutoff = 17:00:00Z\n',
        "at_risk_working_days -1": 'id = "x"\n[parameters]\nat_risk_working_days = -1\n',
        "at_risk_working_days true": 'id = "x"\n[parameters]\nat_risk_working_days = true\n',
        "delay_extends 'yes'": 'id = "x"\n[parameters]\ndelay_extends = "yes"\n',
        "delay_extends 1": 'id = "x"\n[parameters]\ndelay_extends = 1\n',
    }
    target_values: dict[str, str] = {
        "working_days 0": "working_days = 0",
        "working_days -5": "working_days = -5",
        "working_days 2.5": "working_days = 2.5",
        "working_days true": "working_days = true",
        "working_days '5'": 'working_days = "5"',
        "working_days 10**20": "working_days = 100000000000000000000",
        "two durations": "working_days = 5\ncalendar_days = 5",
        "no duration": "",
        "anchor bogus": 'working_days = 5\nanchor = "bogus"',
        "anchor an int": "working_days = 5\nanchor = 1",
        "strength bogus": 'working_days = 5\nstrength = "soft"',
        "routes a string": 'working_days = 5\nroutes = "procedure"',
        "routes unknown": 'working_days = 5\nroutes = ["court"]',
        "triggers unknown": 'working_days = 5\ntriggers = ["adult"]',
        "triggers nested": 'working_days = 5\ntriggers = [["child"]]',
        "owed_by bogus": 'working_days = 5\nowed_by = "nobody"',
        "clause an int": "working_days = 5\nclause = 3",
        "unknown key": "working_days = 5\nbogus = 1",
        "months a date": "months = 2024-01-01",
        "restarts 1": "working_days = 5\nrestarts = 1",
        "kept_when_met 'yes'": 'working_days = 5\nkept_when_met = "yes"',
        "weighed_against numbers": "working_days = 5\nweighed_against = [1, 2]",
        "a duration key": "working_days = 5\nduration = 5",
    }
    for label, body in target_values.items():
        top[f"target {label}"] = f'id = "x"\n\n[[targets]]\nid = "t"\n{body}\n'
    top["target id missing"] = 'id = "x"\n\n[[targets]]\nworking_days = 5\n'
    top["target id bad"] = 'id = "x"\n\n[[targets]]\nid = "T 1"\nworking_days = 5\n'
    top["target ids repeated"] = 'id = "x"\n' + '\n[[targets]]\nid = "t"\nworking_days = 5\n' * 2
    top["title an int"] = 'id = "x"\ntitle = 5\n'
    top["id with a newline"] = 'id = "x\\n"\n'
    web = 'id = "x"\nextends = "cafcass-web"\n'
    top["an inherited target changed badly"] = (
        web + '[[targets]]\nid = "contact"\nanchor = "lunch"\n'
    )
    top["an inherited target changed twice"] = (
        web + '\n[[targets]]\nid = "contact"\nweeks = 1\n' * 2
    )
    return top


def _policy_kinds() -> Iterator[Kind]:
    for label, text in policy_file_kinds().items():
        yield Kind("policy files", label, lambda t=text: Policy.from_toml_text(t))


# --------------------------------------------------------------------- GOV.UK files


def govuk_kinds() -> dict[str, object]:
    """Bad GOV.UK bank-holiday documents (parsed), by name."""

    def division(events: object) -> dict[str, object]:
        return {"england-and-wales": {"division": "england-and-wales", "events": events}}

    good = {"title": "Christmas Day", "date": "2031-12-25"}
    return {
        "no division": {"scotland": {"events": []}},
        "division a list": {"england-and-wales": []},
        "events missing": {"england-and-wales": {"division": "x"}},
        "events an object": division({}),
        "events a string": division("2031-12-25"),
        "an event a string": division(["2031-12-25"]),
        "an event null": division([None]),
        "date missing": division([{"title": "x"}]),
        "date an int": division([{"title": "x", "date": 20311225}]),
        "date compact": division([{"title": "x", "date": "20311225"}]),
        "date week form": division([{"title": "x", "date": "2031-W52-4"}]),
        "date impossible": division([{"title": "x", "date": "2031-02-30"}]),
        "date with time": division([{"title": "x", "date": "2031-12-25T00:00"}]),
        "date 1 MB": division([{"title": "x", "date": HUGE}]),
        "title an int": division([{**good, "title": 5}]),
        "title 1 MB": division([{**good, "title": HUGE}]),
        "title deep": division([{**good, "title": DEEP_LIST}]),
        "a list at the top": [good],
        "None": None,
        "a string": "bank-holidays.json-that-does-not-exist",
    }


def _govuk_kinds() -> Iterator[Kind]:
    cal = WorkingDayCalendar.england_and_wales()
    for label, doc in govuk_kinds().items():
        yield Kind(
            "GOV.UK files",
            f"with_govuk_bank_holidays: {label}",
            lambda d=doc: cal.with_govuk_bank_holidays(d),
        )  # type: ignore[arg-type]
        yield Kind(
            "GOV.UK files",
            f"from_govuk_json: {label}",
            lambda d=doc: WorkingDayCalendar.from_govuk_json(d),
        )  # type: ignore[arg-type]
    partial = {"england-and-wales": {"events": [{"title": "One-off", "date": "2031-06-02"}]}}
    yield Kind(
        "GOV.UK files",
        "from_govuk_json: a partial year",
        lambda: WorkingDayCalendar.from_govuk_json(partial),
    )


# --------------------------------------------------------------------- the registry


def all_kinds() -> list[Kind]:
    """Every registered kind of bad input, in a stable order, with unique names."""
    kinds = [
        *_event_kinds(),
        *_api_kinds(),
        *_history_kinds(),
        *_feedback_history_kinds(),
        *_policy_kinds(),
        *_govuk_kinds(),
    ]
    names = [f"{k.area}: {k.name}" for k in kinds]
    assert len(set(names)) == len(names), "kind names must be unique"
    return kinds


def counts_by_area(kinds: list[Kind], cli_kinds: int) -> dict[str, int]:
    """How many kinds each area has (the CLI's are counted by its own test)."""
    counts: dict[str, int] = {}
    for k in kinds:
        counts[k.area] = counts.get(k.area, 0) + 1
    counts["CLI arguments"] = cli_kinds
    return counts


__all__ = ["ASPECTS", "Kind", "all_kinds", "counts_by_area"]
