"""JSON of a complaint's history, with a schema version (cattrs, imported only here).

The document::

    {
      "schema": "complaint-workflow/history",
      "schema_version": 1,
      "complaint_id": "C-1",
      "policies": {"my-variant": "<TOML text>"},   # only policies that are not built in
      "personal": {"name": ..., "contact": ..., "text": ...} | null,
      "events": [{"type": "complaint-opened", "version": 1,
                  "at": "2024-06-12T10:00:00+01:00", ...}, ...]
    }

Reading it back replays the events, so the complaint read is equal to the one written.
Personal data sits in its own section, so a store can encrypt or drop it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

from . import events as ev
from .errors import ComplaintWorkflowError, InvalidInputError
from .personal import PersonalDetails
from .policy import Policy

if TYPE_CHECKING:
    import cattrs

    from .calendar import WorkingDayCalendar
    from .complaint import Complaint

__all__ = ["SCHEMA", "SCHEMA_VERSION", "complaint_from_json", "complaint_to_json"]

SCHEMA: Final = "complaint-workflow/history"
SCHEMA_VERSION: Final = 1

_CONVERTER: cattrs.Converter | None = None


def _converter() -> cattrs.Converter:
    global _CONVERTER
    if _CONVERTER is None:
        import cattrs

        converter = cattrs.Converter(forbid_extra_keys=True)
        converter.register_unstructure_hook(datetime, datetime.isoformat)
        converter.register_structure_hook(datetime, lambda v, _: _instant(v))
        converter.register_unstructure_hook(date, date.isoformat)
        converter.register_structure_hook(date, lambda v, _: date.fromisoformat(v))
        _CONVERTER = converter
    return _CONVERTER


def _instant(value: Any) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("a time without a UTC offset")
    return parsed


def event_to_dict(event: ev.Event) -> dict[str, Any]:
    """One event as a JSON-ready dict with its ``type``."""
    body: dict[str, Any] = _converter().unstructure(event)
    return {"type": event.name, **body}


def event_from_dict(
    data: Mapping[str, Any], *, types: Mapping[str, type[ev.Event]] | None = None
) -> ev.Event:
    """One event from its JSON dict; raises :class:`InvalidInputError` naming the problem.

    ``types`` maps type names to event classes (default: a complaint's, ``EVENT_TYPES``).
    """
    kind = data.get("type")
    known = ev.EVENT_TYPES if types is None else types
    cls = known.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise InvalidInputError(f"unknown event type {kind!r}")
    body = {k: v for k, v in data.items() if k != "type"}
    event: ev.Event = _converter().structure(body, cls)
    return event


def complaint_to_json(complaint: Complaint, *, include_personal: bool = True) -> str:
    """The complaint's history as a JSON document (see the module docstring)."""
    policies = {
        p.id: p.to_toml()
        for p in (*complaint.earlier_policies, complaint.policy)
        if not _is_builtin(p)
    }
    personal = complaint.personal
    document = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "complaint_id": complaint.id,
        "policies": policies,
        "personal": None
        if personal is None or not include_personal
        else {"name": personal.name, "contact": personal.contact, "text": personal.text},
        "events": [event_to_dict(e) for e in complaint.history],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def complaint_from_json(
    text: str | bytes,
    *,
    policies: Mapping[str, Policy] | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> Complaint:
    """Read a JSON history and replay it."""
    from .complaint import Complaint

    try:
        document = json.loads(text)
    except ValueError:
        raise InvalidInputError("the history is not valid JSON") from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise InvalidInputError(f'not a complaint history: expected "schema": {SCHEMA!r}')
    if document.get("schema_version") != SCHEMA_VERSION:
        raise InvalidInputError(
            f"unsupported schema_version {document.get('schema_version')!r}; "
            f"this library reads {SCHEMA_VERSION}"
        )
    known: dict[str, Policy] = {}
    embedded = document.get("policies") or {}
    if not isinstance(embedded, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in embedded.items()
    ):
        raise InvalidInputError('"policies" must map policy ids to TOML text')
    for policy_id, toml in embedded.items():
        known[policy_id] = Policy.from_toml_text(toml, name=f"policies[{policy_id!r}]")
    known.update(policies or {})
    personal_data = document.get("personal")
    try:
        personal = None if personal_data is None else PersonalDetails(**personal_data)
        events = [event_from_dict(e) for e in document.get("events", [])]
    except ComplaintWorkflowError:
        raise
    except Exception as exc:  # cattrs' ClassValidationError and friends
        raise InvalidInputError(
            f"the history holds a malformed event or section ({type(exc).__name__})"
        ) from None
    return Complaint.replay(events, policies=known, calendar=calendar, personal=personal)


def _is_builtin(policy: Policy) -> bool:
    return policy.id in Policy.builtin_ids() and Policy.builtin(policy.id) == policy
