"""JSON of a complaint's history: one strict codec (the library's one cattrs converter).

The document (``docs/json.md`` describes every key)::

    {
      "schema": "complaint-workflow/history",
      "schema_version": 2,
      "complaint_id": "C-1",
      "policies": {"cafcass-web": {"toml": "<TOML text>", "sha256": "<hex digest>"}},
      "personal": {"name": ..., "contact": ..., "text": ...} | null,
      "events": [{"type": "complaint-opened", "version": 1,
                  "at": "2024-06-12T10:00:00+01:00", ...}, ...]
    }

:func:`write_history` writes it from a complaint's parts; :func:`read_history` checks it
(shape, types, sizes, the pinned policies) and returns a :class:`History`: the events, the
policies and the personal details, never a ``Complaint`` (this module does not import it).
Nothing is coerced: ``"false"`` is not a bool and ``2.7`` is not a count. Every problem is a
typed error naming its place in the document (``events[3].at``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from . import events as ev
from ._converter import converter as _converter
from ._converter import json_type as _json_type
from .errors import (
    ComplaintWorkflowError,
    HistoryError,
    InvalidInputError,
    InvalidValueError,
    PinnedPolicyError,
    PolicyError,
    bounded_repr,
)
from .personal import PersonalDetails
from .policy import BUILTIN_IDS, Policy

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "READABLE_VERSIONS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "History",
    "decode_document",
    "event_from_dict",
    "event_to_dict",
    "pin",
    "read_history",
    "unstructure",
    "write_history",
]

SCHEMA: Final = "complaint-workflow/history"
SCHEMA_VERSION: Final = 2
"""Version 2 pins every policy (its TOML and a sha256 digest); version 1 named built-ins by id."""
READABLE_VERSIONS: Final = (1, 2)
MAX_DOCUMENT_BYTES: Final = 256 * 1024 * 1024
"""The largest history read (a 100,000-event history is about 15 MB)."""
MAX_DEPTH: Final = 8
"""The deepest nesting of arrays and objects read (a valid history nests 4 deep)."""
MAX_POLICIES: Final = 64

_TOP_KEYS: Final = frozenset(
    {"schema", "schema_version", "complaint_id", "policies", "personal", "events"}
)
_PERSONAL_KEYS: Final = ("name", "contact", "text")
_POLICY_KEYS: Final = frozenset({"toml", "sha256"})
_SHA256: Final = re.compile(r"[0-9a-f]{64}")

# --------------------------------------------------------------------- the converter


def unstructure(value: Any) -> Any:
    """Any value of the library (an event, an obligation, a report) as JSON-ready data."""
    return _converter().unstructure(value)


# --------------------------------------------------------------------- events


def event_to_dict(event: ev.Event) -> dict[str, Any]:
    """One event as a JSON-ready dict with its ``type`` (``event_id`` only when given)."""
    body: dict[str, Any] = _converter().unstructure(event)
    if body.get("event_id", "") is None:
        del body["event_id"]
    return {"type": event.name, **body}


def event_from_dict(
    data: Any, where: str = "event", *, types: Mapping[str, type[ev.Event]] | None = None
) -> ev.Event:
    """One event from its JSON dict; :class:`HistoryError` names the field and the problem.

    ``types`` maps type names to event classes (default: a complaint's, ``EVENT_TYPES``).
    """
    import cattrs

    if not isinstance(data, dict):
        raise HistoryError(f"{where}: must be an object (got {_json_type(data)})")
    kind = data.get("type")
    known = ev.EVENT_TYPES if types is None else types
    cls = known.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise HistoryError(
            f"{where}.type: must be one of the event types in docs/json.md "
            f"(got {bounded_repr(kind)})"
        )
    body = {k: v for k, v in data.items() if k != "type"}
    try:
        event: ev.Event = _converter().structure(body, cls)
    except ComplaintWorkflowError as exc:  # an event's own validator
        raise HistoryError(f"{where}: {exc}") from None
    except cattrs.ClassValidationError as exc:
        raise HistoryError(f"{where}{_explain(exc)}") from None
    except Exception as exc:  # pragma: no cover - a failure cattrs did not group
        raise HistoryError(f"{where}: malformed ({type(exc).__name__})") from None
    return event


def _explain(group: BaseException) -> str:
    """The first failure in a cattrs error group, as ``.field: what was wrong``."""
    import cattrs

    sub = getattr(group, "exceptions", ())
    for exc in sub:
        notes = [n for n in getattr(exc, "__notes__", ()) if hasattr(n, "name")]
        field = f".{notes[0].name}" if notes else ""
        if isinstance(exc, cattrs.ForbiddenExtraKeysError):
            extra = sorted(map(str, exc.extra_fields))
            return f": unknown key {bounded_repr(extra[0])} (see docs/json.md for the keys)"
        if isinstance(exc, KeyError):
            return f"{field}: missing (every field without a default is required)"
        if isinstance(exc, ComplaintWorkflowError):
            return f"{field}: {exc}"
        if hasattr(exc, "exceptions"):
            return field + _explain(exc)
        return f"{field}: has the wrong type or value"
    return ": malformed"  # pragma: no cover


# --------------------------------------------------------------------- policies


def pin(policy: Policy) -> dict[str, str]:
    """A policy as pinned in a history: its TOML text and that text's sha256 digest."""
    toml = policy.to_toml()
    return {"toml": toml, "sha256": _digest(toml)}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _embedded_policies(texts: Mapping[str, str]) -> dict[str, Policy]:
    """Parse the TOML of a document's policies; ``extends`` stays inside the document."""
    done: dict[str, Policy] = {}

    def resolve(policy_id: str, chain: tuple[str, ...]) -> Policy:
        if policy_id in done:
            return done[policy_id]
        if policy_id in chain:
            raise HistoryError(
                f"policies: {' -> '.join((*chain, policy_id))} extend each other in a cycle"
            )

        def parent(name: str) -> Policy:
            if name in texts:
                return resolve(name, (*chain, policy_id))
            if name in BUILTIN_IDS:
                return Policy.builtin(name)
            raise PolicyError(
                f"policies[{bounded_repr(policy_id)}]: extends must name a built-in policy "
                f"({', '.join(BUILTIN_IDS)}) or another policy of this document, never a "
                f"file (got {bounded_repr(name)})"
            )

        policy = Policy.from_embedded_toml(
            texts[policy_id], name=f"policies[{bounded_repr(policy_id)}]", parent=parent
        )
        if policy.id != policy_id:
            raise HistoryError(
                f"policies[{bounded_repr(policy_id)}]: its TOML has id {bounded_repr(policy.id)}; "
                "the key and the id must agree"
            )
        done[policy_id] = policy
        return policy

    for policy_id in texts:
        resolve(policy_id, ())
    return done


def _read_policies(raw: Any, version: int) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise HistoryError(f"policies: must be an object (got {_json_type(raw)})")
    if len(raw) > MAX_POLICIES:
        raise HistoryError(f"policies: at most {MAX_POLICIES} (got {len(raw)})")
    texts: dict[str, str] = {}
    for policy_id, entry in raw.items():
        where = f"policies[{bounded_repr(policy_id)}]"
        if version == 1:
            if not isinstance(entry, str):
                raise HistoryError(f"{where}: must be TOML text (got {_json_type(entry)})")
            texts[policy_id] = entry
            continue
        if not isinstance(entry, dict):
            raise HistoryError(
                f'{where}: must be an object {{"toml": ..., "sha256": ...}} '
                f"(got {_json_type(entry)})"
            )
        if set(entry) != _POLICY_KEYS:
            raise HistoryError(f"{where}: must have exactly the keys toml and sha256")
        toml, digest = entry["toml"], entry["sha256"]
        if not isinstance(toml, str):
            raise HistoryError(f"{where}.toml: must be TOML text (got {_json_type(toml)})")
        if not isinstance(digest, str) or _SHA256.fullmatch(digest) is None:
            raise HistoryError(f"{where}.sha256: must be 64 lowercase hex digits")
        try:
            actual = _digest(toml)
        except UnicodeEncodeError:
            raise HistoryError(f"{where}.toml: must be valid Unicode") from None
        if actual != digest:
            raise HistoryError(
                f"{where}: the TOML does not match its sha256 digest; the history was altered"
            )
        texts[policy_id] = toml
    return texts


# --------------------------------------------------------------------- the document


@attrs.frozen(repr=False, eq=True)
class History:
    """What a JSON history holds, read and checked: what a complaint is replayed from.

    ``policies`` maps every policy id the events name to the policy they replay under
    (pinned content, or the current built-in where ``retime`` was asked for and it differs:
    those ids are in ``retimed``). ``personal`` is ``None`` when the section was empty.
    """

    complaint_id: str
    events: tuple[ev.Event, ...]
    policies: Mapping[str, Policy] = attrs.field(hash=False)
    personal: PersonalDetails | None
    schema_version: int
    retimed: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"History({self.complaint_id!r}, {len(self.events)} events, "
            f"policies={sorted(self.policies)}, schema_version={self.schema_version})"
        )


def write_history(
    *,
    complaint_id: str,
    events: Iterable[ev.Event],
    policies: Iterable[Policy],
    personal: PersonalDetails | None,
) -> str:
    """The JSON document for a complaint's parts, pinning every policy given.

    Raises :class:`InvalidValueError` when two different policies share an id (a history
    can pin one content per id: give a changed policy a new id).
    """
    pinned: dict[str, dict[str, str]] = {}
    seen: dict[str, Policy] = {}
    for policy in policies:
        if policy.id in seen:
            if seen[policy.id] != policy:
                raise InvalidValueError(
                    f"two different policies share the id {policy.id!r} in this history; "
                    "give each version its own id"
                )
            continue
        seen[policy.id] = policy
        pinned[policy.id] = pin(policy)
    document = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "complaint_id": complaint_id,
        "policies": pinned,
        "personal": None
        if personal is None
        else {"name": personal.name, "contact": personal.contact, "text": personal.text},
        "events": [event_to_dict(e) for e in events],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def _depth_ok(text: str) -> bool:
    """Whether arrays and objects nest at most :data:`MAX_DEPTH` deep (strings ignored)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    for ch in brackets:
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        else:
            depth -= 1
    return True


_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # unrolled: linear
_NOT_BRACKET: Final = re.compile(r"[^\[\]{}]+")


def decode_document(text: Any, schema: str = SCHEMA) -> dict[str, Any]:
    """The JSON object of a history document, checked for size, depth and its ``schema``.

    Shared by complaint, feedback and compliment histories; every failure is typed.
    """
    if isinstance(text, bytes | bytearray | memoryview):
        if len(text) > MAX_DOCUMENT_BYTES:
            raise HistoryError(f"the history is larger than {MAX_DOCUMENT_BYTES} bytes")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise HistoryError("the history must be UTF-8 text") from None
    if not isinstance(text, str):
        raise InvalidInputError(
            f"a history must be JSON text as str or bytes (got {type(text).__name__})"
        )
    if len(text) > MAX_DOCUMENT_BYTES:
        raise HistoryError(f"the history is larger than {MAX_DOCUMENT_BYTES} characters")
    if not _depth_ok(text):
        raise HistoryError(f"the history nests arrays and objects deeper than {MAX_DEPTH} levels")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise HistoryError("the history is not valid JSON") from None
    if not isinstance(document, dict) or document.get("schema") != schema:
        raise HistoryError(f'not a history of this kind: expected "schema": {schema!r}')
    return document


def read_history(
    text: str | bytes,
    *,
    retime: bool = False,
    policies: Mapping[str, Policy] | None = None,
) -> History:
    """Check a JSON history and return its parts; never coerces, never reads a file.

    Version 2 replays under exactly the policies it pins. A pinned built-in that differs
    from the one shipped now raises :class:`PinnedPolicyError` unless ``retime`` is true,
    when the current built-in is used instead (and its id listed in ``History.retimed``).
    ``policies`` may add policies a version-1 document names but does not embed; for a
    version-2 document, a given policy must equal the pinned one of its id (or, with
    ``retime``, replaces it).
    """
    if type(retime) is not bool:
        raise InvalidInputError(f"retime must be a bool (got {type(retime).__name__})")
    given = _given_policies(policies)
    document = decode_document(text)
    unknown = sorted(set(document) - _TOP_KEYS)
    if unknown:
        raise HistoryError(
            f"unknown key {bounded_repr(unknown[0])} at the top level; expected "
            f"{', '.join(sorted(_TOP_KEYS))}"
        )
    version = document.get("schema_version")
    if version.__class__ is not int or version not in READABLE_VERSIONS:
        raise HistoryError(
            f"unsupported schema_version {bounded_repr(version)}; this library reads "
            f"{', '.join(map(str, READABLE_VERSIONS))} (docs/json.md: upgrading)"
        )
    if version == 2:
        missing = [k for k in ("policies", "personal") if k not in document]
        if missing:
            raise HistoryError(f"missing key {missing[0]!r} (docs/json.md lists the keys)")
    texts = _read_policies(document.get("policies", {}), version)
    personal = _read_personal(document.get("personal"))
    raw_events = document.get("events")
    if not isinstance(raw_events, list) or not raw_events:
        raise HistoryError(
            "events: must be a non-empty array; a history starts with complaint-opened "
            f"(got {'an empty array' if raw_events == [] else _json_type(raw_events)})"
        )
    complaint_id = document.get("complaint_id")
    if complaint_id.__class__ is not str:
        raise HistoryError(f"complaint_id: must be a string (got {_json_type(complaint_id)})")
    events = _read_events(raw_events, complaint_id)
    embedded = _embedded_policies(texts)
    chosen, retimed = _choose(embedded, given, version, retime)
    if version == 2:
        for i, event in enumerate(events):
            policy_id = getattr(event, "policy_id", None)
            if policy_id is not None and policy_id not in chosen:
                raise HistoryError(
                    f"events[{i}].policy_id: {policy_id!r} is not pinned in policies"
                )
    return History(
        complaint_id=complaint_id,
        events=events,
        policies=chosen,
        personal=personal,
        schema_version=version,
        retimed=retimed,
    )


def _given_policies(policies: Any) -> dict[str, Policy]:
    if policies is None:
        return {}
    if not isinstance(policies, Mapping) or not all(
        isinstance(k, str) and isinstance(v, Policy) and v.id == k for k, v in policies.items()
    ):
        raise InvalidInputError("policies must map each policy's id to the Policy")
    return dict(policies)


def _choose(
    embedded: dict[str, Policy], given: dict[str, Policy], version: int, retime: bool
) -> tuple[dict[str, Policy], tuple[str, ...]]:
    """The policies to replay under, and the ids re-timed under current content."""
    chosen: dict[str, Policy] = {}
    retimed: list[str] = []
    for policy_id, policy in embedded.items():
        current = given.get(policy_id)
        if current is None and policy_id in BUILTIN_IDS:
            current = Policy.builtin(policy_id)
        if current is None or current == policy:
            chosen[policy_id] = policy
            continue
        if not retime:
            what = "the built-in shipped now" if policy_id in BUILTIN_IDS else "the one given"
            raise PinnedPolicyError(
                f"policy {policy_id!r} as stored in this history differs from {what}; read "
                "with retime=True to re-time the complaint under the current content"
            )
        chosen[policy_id] = current
        retimed.append(policy_id)
    if version == 1:  # built-ins by id as shipped now, and whatever the caller adds
        for policy_id, policy in given.items():
            chosen.setdefault(policy_id, policy)
    return chosen, tuple(retimed)


def _read_personal(raw: Any) -> PersonalDetails | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise HistoryError(f"personal: must be an object or null (got {_json_type(raw)})")
    if set(raw) != set(_PERSONAL_KEYS):
        raise HistoryError("personal: must have exactly the keys name, contact and text")
    for key in _PERSONAL_KEYS:
        if not isinstance(raw[key], str):  # never quote the value: it is personal
            raise HistoryError(f"personal.{key}: must be a string (got {_json_type(raw[key])})")
    return PersonalDetails(name=raw["name"], contact=raw["contact"], text=raw["text"])


def _read_events(raw: list[Any], complaint_id: str) -> tuple[ev.Event, ...]:
    events = tuple(event_from_dict(item, f"events[{i}]") for i, item in enumerate(raw))
    first = events[0]
    if not isinstance(first, ev.ComplaintOpened):
        raise HistoryError(f"events[0]: a history starts with complaint-opened (got {first.name})")
    if first.complaint_id != complaint_id:
        raise HistoryError(
            f"complaint_id {bounded_repr(complaint_id)} differs from the opening event's "
            f"{bounded_repr(first.complaint_id)}"
        )
    return events
