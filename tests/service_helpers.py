"""Shared pieces of the service tests: a fixed clock, a token, complaints to open."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from complaint_workflow import LONDON

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NOW = datetime(2024, 6, 20, 12, 0, tzinfo=LONDON)
SECRET_NAME = "Zebedee Quuxley-Personal"
SECRET_CONTACT = "zebedee.q@example.org"
SECRET_TEXT = "My very private account of events"
SECRETS = (SECRET_NAME, SECRET_CONTACT, SECRET_TEXT)


def opening(complaint_id: str = "C-1", **extra: Any) -> dict[str, Any]:
    """A POST /api/complaints body, with personal details."""
    body: dict[str, Any] = {
        "complaint_id": complaint_id,
        "complainant": "adult",
        "received_at": "2024-06-12T10:00:00+01:00",
        "policy": "cafcass-web",
        "personal": {"name": SECRET_NAME, "contact": SECRET_CONTACT, "text": SECRET_TEXT},
    }
    body.update(extra)
    return body


def no_secret(text: str) -> bool:
    """Whether none of the personal details above appears in ``text``."""
    return not any(s in text for s in SECRETS)
