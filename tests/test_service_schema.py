"""Property-based requests generated from /api/openapi.json (schemathesis): never a 500,
never a personal detail in an answer."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from complaint_workflow.service import create_app
from complaint_workflow.store import ComplaintStore

from .service_helpers import AUTH, NOW, TOKEN, no_secret, opening

EXAMPLES = int(os.environ.get("CW_SCHEMA_EXAMPLES", "30"))

_STORE = ComplaintStore.open("sqlite://")
_APP = create_app(_STORE, token=TOKEN, clock=lambda: NOW)


def _seed() -> None:
    from fastapi.testclient import TestClient

    with TestClient(_APP) as c:
        for complaint_id in ("C-1", "C-2"):
            c.post("/api/complaints", json=opening(complaint_id), headers=AUTH)
        c.post(
            "/api/complaints/C-1/events",
            json={
                "type": "forwarded-to-cst",
                "at": "2024-06-12T11:00:00+01:00",
                "expected_version": 1,
            },
            headers=AUTH,
        )


_seed()
schema = schemathesis.openapi.from_asgi("/api/openapi.json", _APP, headers=AUTH)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_500_and_no_personal_detail(case: Any) -> None:
    """Any request the schema allows (and many it does not) answers below 500, leaks nothing."""
    _check(case)


def _check(case: Any) -> None:
    response = case.call(headers=AUTH)
    assert response.status_code < 500, response.text[:500]
    assert no_secret(response.text)
    sent = case.body if isinstance(case.body, dict) else {}
    personal = sent.get("personal") if isinstance(sent.get("personal"), dict) else None
    if response.status_code == 201 and personal:
        stored = _STORE.get(sent["complaint_id"])
        assert stored.personal is not None
        for value in (personal.get("name"), personal.get("text"), personal.get("contact")):
            if isinstance(value, str) and len(value) >= 12:
                assert f'"{value}"' not in response.text


def test_seeded_bugs_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property fails on a service that leaks a personal detail, or that answers 500."""
    from complaint_workflow.service import app as app_module

    operation = schema["/api/complaints/{complaint_id}"]["GET"]
    case = operation.Case(path_parameters={"complaint_id": "C-1"})
    _check(case)  # the real service passes
    real = app_module.complaint_out

    def leaky(complaint: Any, at: Any) -> dict[str, Any]:
        return {**real(complaint, at), "name": complaint.personal.name}

    monkeypatch.setattr(app_module, "complaint_out", leaky)
    with pytest.raises(AssertionError):
        _check(case)

    def crash(complaint: Any, at: Any) -> dict[str, Any]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app_module, "complaint_out", crash)
    with pytest.raises(AssertionError):
        _check(case)


@schema.parametrize()
@settings(
    max_examples=max(10, EXAMPLES // 2), deadline=None, suppress_health_check=list(HealthCheck)
)
def test_answers_conform_to_the_schema(case: Any) -> None:
    """Every answer's status code and body are those the OpenAPI description documents."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    case.call_and_validate(
        headers=AUTH,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


def test_personal_details_of_generated_openings_never_come_back() -> None:
    """Whatever personal details an opening carries, no endpoint returns them."""
    from fastapi.testclient import TestClient
    from hypothesis import given

    marker = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=12)

    @given(name=marker, contact=marker, text=marker, n=st.integers(0, 10_000))
    @settings(max_examples=max(10, EXAMPLES // 2), deadline=None)
    def check(name: str, contact: str, text: str, n: int) -> None:
        secret = {"name": f"PII{name}Q", "contact": f"PII{contact}Q", "text": f"PII{text}Q"}
        complaint_id = f"P-{n}-{name}"
        with TestClient(_APP) as c:
            r = c.post(
                "/api/complaints",
                json=opening(complaint_id, personal=secret),
                headers=AUTH,
            )
            answers = [r]
            answers.append(c.get(f"/api/complaints/{complaint_id}", headers=AUTH))
            answers.append(
                c.get(
                    "/api/worklist",
                    params={"at": (NOW - timedelta(days=8)).isoformat()},
                    headers=AUTH,
                )
            )
            answers.append(c.get(f"/complaints/{complaint_id}", headers=AUTH))
            answers.append(c.get("/", headers=AUTH))
        for answer in answers:
            assert answer.status_code < 500
            assert "PII" not in answer.text

    check()
