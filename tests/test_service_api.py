"""The service's JSON API and pages through an ASGI test client, on the real SQLite store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaint_workflow import LONDON, Complaint
from complaint_workflow.service import create_app
from complaint_workflow.service.auth import SESSION_COOKIE
from complaint_workflow.store import ComplaintStore

from .service_helpers import AUTH, NOW, SECRET_NAME, TOKEN, no_secret, opening


@pytest.fixture
def store() -> Iterator[ComplaintStore]:
    with ComplaintStore.open("sqlite://") as s:
        yield s


@pytest.fixture
def client(store: ComplaintStore) -> Iterator[TestClient]:
    app = create_app(store, token=TOKEN, clock=lambda: NOW)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _open(client: TestClient, complaint_id: str = "C-1", **extra: Any) -> dict[str, Any]:
    r = client.post("/api/complaints", json=opening(complaint_id, **extra), headers=AUTH)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _event(client: TestClient, complaint_id: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/complaints/{complaint_id}/events", json=body, headers=AUTH)


# --------------------------------------------------------------------- the token

API_CALLS = [
    ("GET", "/api/openapi.json"),
    ("GET", "/api/complaints/C-1"),
    ("POST", "/api/complaints"),
    ("POST", "/api/complaints/C-1/events"),
    ("GET", "/api/worklist"),
    ("GET", "/api/changes?after=2024-06-01T00:00:00Z"),
    ("GET", "/api/no-such-thing"),
    ("POST", "/api/health"),
]


@pytest.mark.parametrize(("method", "path"), API_CALLS)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": "Bearer"},
    ],
    ids=["none", "wrong", "basic", "longer", "empty"],
)
def test_api_needs_the_token(
    client: TestClient, method: str, path: str, headers: dict[str, str]
) -> None:
    """Every /api request but GET /api/health without the right bearer token is 401."""
    r = client.request(method, path, headers=headers, json={})
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"


def test_health_needs_no_token(client: TestClient) -> None:
    """GET /api/health answers 200 without a token."""
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    """/api/openapi.json lists each API path and method, with the bearer token scheme."""
    r = client.get("/api/openapi.json", headers=AUTH)
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert set(paths) == {
        "/api/health",
        "/api/complaints",
        "/api/complaints/{complaint_id}",
        "/api/complaints/{complaint_id}/events",
        "/api/worklist",
        "/api/changes",
    }
    assert "post" in paths["/api/complaints"]
    assert "post" in paths["/api/complaints/{complaint_id}/events"]
    assert "bearer" in str(r.json()["components"]["securitySchemes"]).lower()


def test_no_docs_page_pulls_a_cdn(client: TestClient) -> None:
    """FastAPI's Swagger and ReDoc pages (which load scripts from a CDN) are not served."""
    for path in ("/docs", "/redoc", "/api/docs"):
        assert client.get(path, headers=AUTH).status_code in (401, 404)


# --------------------------------------------------------------------- opening


def test_open_returns_the_complaint(client: TestClient) -> None:
    """POST /api/complaints answers 201 with id, version, state, policy and obligations."""
    body = _open(client)
    assert body["id"] == "C-1"
    assert body["version"] == 1
    assert body["state"] == "intake:received"
    assert body["policy"] == "cafcass-web"
    local = Complaint.open(
        complaint_id="C-1",
        complainant="adult",
        received_at=datetime(2024, 6, 12, 10, 0, tzinfo=LONDON),
        policy="cafcass-web",
    )
    assert body["at"] == NOW.isoformat()
    assert [(o["id"], o["due"], o["status"]) for o in body["obligations"]] == [
        (o.id, o.due.isoformat(), o.status) for o in local.obligations(NOW)
    ]
    for o in body["obligations"]:
        assert set(o) >= {"id", "due", "status", "strength", "clause"}
    assert "personal" not in body


def test_open_twice_is_a_conflict(client: TestClient) -> None:
    """Opening an id already stored is 409 and changes nothing."""
    _open(client)
    r = client.post("/api/complaints", json=opening(), headers=AUTH)
    assert r.status_code == 409
    assert client.get("/api/complaints/C-1", headers=AUTH).json()["version"] == 1


@pytest.mark.parametrize(
    "change",
    [
        {"received_at": "2024-06-12T10:00:00"},
        {"received_at": "yesterday"},
        {"complainant": "martian"},
        {"policy": "no-such-policy"},
        {"policy": "/etc/passwd.toml"},
        {"complaint_id": ""},
        {"complaint_id": "a/b"},
        {"hearing": "2024-06-01"},
        {"staff_named": -1},
        {"unexpected": 1},
        {"personal": {"name": 5}},
        {"personal": {"name": SECRET_NAME, "shoe_size": 9}},
    ],
)
def test_bad_openings_are_422(client: TestClient, change: dict[str, Any]) -> None:
    """A bad fact is 422 naming the problem, never echoing personal details."""
    r = client.post("/api/complaints", json=opening(**change), headers=AUTH)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "invalid"
    assert no_secret(r.text)
    assert client.get("/api/complaints/C-1", headers=AUTH).status_code == 404


def test_a_body_that_is_not_json_is_422(client: TestClient) -> None:
    """A body that does not parse is 422, not 500."""
    r = client.post(
        "/api/complaints",
        content=b"{not json",
        headers={**AUTH, "content-type": "application/json"},
    )
    assert r.status_code == 422


# --------------------------------------------------------------------- reading


def test_get_at_an_instant(client: TestClient) -> None:
    """GET with ?at= shows the obligations at that instant; without it, at the server's clock."""
    _open(client)
    early = client.get(
        "/api/complaints/C-1", params={"at": "2024-06-12T11:00:00+01:00"}, headers=AUTH
    ).json()
    assert {o["id"]: o["status"] for o in early["obligations"]}["forward-to-cst"] == "pending"
    now = client.get("/api/complaints/C-1", headers=AUTH).json()
    assert now["at"] == NOW.isoformat()
    assert {o["id"]: o["status"] for o in now["obligations"]}["forward-to-cst"] == "breached"


def test_unknown_complaint_is_404(client: TestClient) -> None:
    """An unknown id is 404 for reading and for appending."""
    assert client.get("/api/complaints/NOPE", headers=AUTH).status_code == 404
    r = _event(
        client,
        "NOPE",
        {"type": "forwarded-to-cst", "at": "2024-06-12T11:00:00+01:00", "expected_version": 1},
    )
    assert r.status_code == 404
    assert r.json()["error"] == "not-found"


@pytest.mark.parametrize("at", ["2024-06-12T10:00:00", "soon", "2024-13-01T00:00:00Z"])
def test_bad_instant_is_422(client: TestClient, at: str) -> None:
    """A naive or malformed ?at= is 422."""
    _open(client)
    r = client.get("/api/complaints/C-1", params={"at": at}, headers=AUTH)
    assert r.status_code == 422


# --------------------------------------------------------------------- events


def test_events_append_and_stale_versions_conflict(client: TestClient) -> None:
    """An event at the expected version is 200 with the new complaint; a stale one is 409."""
    _open(client)
    ok = _event(
        client,
        "C-1",
        {"type": "forwarded-to-cst", "at": "2024-06-12T11:00:00+01:00", "expected_version": 1},
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    assert ok.json()["state"] == "intake:with-cst"
    stale = _event(
        client,
        "C-1",
        {"type": "contact-made", "at": "2024-06-12T12:00:00+01:00", "expected_version": 1},
    )
    assert stale.status_code == 409
    assert stale.json()["error"] == "conflict"
    assert client.get("/api/complaints/C-1", headers=AUTH).json()["version"] == 2


def test_refused_event_is_422_with_reason(client: TestClient) -> None:
    """An event the procedure refuses is 422 carrying the rejection's reason; nothing stored."""
    _open(client)
    r = _event(
        client,
        "C-1",
        {"type": "complaint-closed", "at": "2024-06-12T11:00:00+01:00", "expected_version": 1},
    )
    assert r.status_code == 422
    assert r.json()["reason"]
    assert client.get("/api/complaints/C-1", headers=AUTH).json()["version"] == 1


def test_event_fields_follow_the_json_format(client: TestClient) -> None:
    """Event fields are those of docs/json.md (e.g. triaged's route, hearing-listed's date)."""
    _open(client)
    steps = [
        {"type": "forwarded-to-cst", "at": "2024-06-12T11:00:00+01:00"},
        {"type": "contact-made", "at": "2024-06-13T10:00:00+01:00", "method": "discussion"},
        {"type": "assessed", "at": "2024-06-13T11:00:00+01:00", "aspects": ["case-management"]},
        {"type": "triaged", "at": "2024-06-13T12:00:00+01:00", "route": "investigation"},
        {"type": "hearing-listed", "at": "2024-06-14T09:00:00+01:00", "hearing": "2024-09-02"},
    ]
    for version, step in enumerate(steps, 1):
        r = _event(client, "C-1", {**step, "expected_version": version})
        assert r.status_code == 200, r.text
    body = r.json()
    assert body["hearing"] == "2024-09-02"
    assert [e["type"] for e in body["events"]][-1] == "hearing-listed"


@pytest.mark.parametrize(
    "body",
    [
        {"type": "no-such-event", "at": "2024-06-12T11:00:00+01:00", "expected_version": 1},
        {"type": "complaint-opened", "at": "2024-06-12T11:00:00+01:00", "expected_version": 1},
        {"type": "triaged", "at": "2024-06-12T11:00:00+01:00", "expected_version": 1},
        {"type": "triaged", "at": "2024-06-12T11:00:00+01:00", "expected_version": 1, "route": 7},
        {"type": "forwarded-to-cst", "at": "2024-06-12T11:00:00", "expected_version": 1},
        {"type": "forwarded-to-cst", "at": "2024-06-12T11:00:00+01:00"},
        {"type": "forwarded-to-cst", "at": "2024-06-12T11:00:00+01:00", "expected_version": 0},
        {
            "type": "hearing-listed",
            "at": "2024-06-12T11:00:00+01:00",
            "expected_version": 1,
            "hearing": "next week",
        },
        {
            "type": "forwarded-to-cst",
            "at": "2024-06-12T11:00:00+01:00",
            "expected_version": 1,
            "colour": "blue",
        },
    ],
)
def test_malformed_events_are_422(client: TestClient, body: dict[str, Any]) -> None:
    """An unknown type, a missing or malformed field, or a naive time is 422."""
    _open(client)
    r = _event(client, "C-1", body)
    assert r.status_code == 422, r.text
    assert client.get("/api/complaints/C-1", headers=AUTH).json()["version"] == 1


def test_a_retried_event_id_is_harmless(client: TestClient) -> None:
    """The same event with the same event_id sent twice is stored once."""
    _open(client)
    event = {
        "type": "forwarded-to-cst",
        "at": "2024-06-12T11:00:00+01:00",
        "expected_version": 1,
        "event_id": "msg-1",
    }
    assert _event(client, "C-1", event).status_code == 200
    again = _event(client, "C-1", event)
    assert again.status_code == 200
    assert again.json()["version"] == 2


# --------------------------------------------------------------------- worklist and changes


def test_worklist_rows_and_filters(client: TestClient) -> None:
    """The worklist gives the store's rows; status and policy filter them; bad ones are 422."""
    _open(client, "C-1")
    _open(client, "C-2", policy="cafcass-2012")
    at = "2024-06-12T12:00:00+01:00"
    rows = client.get("/api/worklist", params={"at": at}, headers=AUTH).json()
    assert {r["complaint_id"] for r in rows} == {"C-1", "C-2"}
    for r in rows:
        assert set(r) >= {"complaint_id", "id", "due", "status", "strength", "clause"}
    dues = [r["due"] for r in rows]
    assert dues == sorted(dues)
    only = client.get(
        "/api/worklist", params={"at": at, "policy": "cafcass-2012"}, headers=AUTH
    ).json()
    assert {r["complaint_id"] for r in only} == {"C-2"}
    later = client.get(
        "/api/worklist",
        params={"at": "2024-06-20T12:00:00+01:00", "status": "breached"},
        headers=AUTH,
    ).json()
    assert later
    assert {r["status"] for r in later} == {"breached"}
    narrow = client.get(
        "/api/worklist", params={"at": at, "until": "2024-06-13"}, headers=AUTH
    ).json()
    assert all(r["due"] <= "2024-06-13" for r in narrow)
    for bad in ({"status": "sleepy"}, {"policy": "x"}, {"until": "tomorrow"}, {"limit": 0}):
        assert client.get("/api/worklist", params=bad, headers=AUTH).status_code == 422


def test_changes_and_cursor(client: TestClient) -> None:
    """The change feed lists changes in (after, until] and hands back a cursor that resumes."""
    _open(client)
    r = client.get(
        "/api/changes",
        params={"after": "2024-06-12T00:00:00+01:00", "until": "2024-06-20T00:00:00+01:00"},
        headers=AUTH,
    )
    assert r.status_code == 200
    rows = r.json()
    assert rows
    assert {row["complaint_id"] for row in rows} == {"C-1"}
    assert {row["status"] for row in rows} <= {"at-risk", "breached", "impossible", "extended"}
    cursor = r.headers["x-feed-cursor"]
    again = client.get(
        "/api/changes", params={"after": cursor, "until": "2024-06-20T00:00:00+01:00"}, headers=AUTH
    )
    assert again.status_code == 200
    assert again.json() == []
    everything = client.get(
        "/api/changes", params={"until": "2024-06-20T00:00:00+01:00"}, headers=AUTH
    )
    assert everything.json() == rows
    bad = client.get("/api/changes", params={"after": "then"}, headers=AUTH)
    assert bad.status_code == 422
    backwards = client.get(
        "/api/changes",
        params={"after": "2024-06-20T00:00:00Z", "until": "2024-06-01T00:00:00Z"},
        headers=AUTH,
    )
    assert backwards.status_code == 422


# --------------------------------------------------------------------- limits and failures


def test_large_bodies_are_refused(client: TestClient) -> None:
    """A body over the limit is 413, declared or streamed without a length."""
    big = opening(personal={"name": "x", "contact": "y", "text": "z" * 70_000})
    r = client.post("/api/complaints", json=big, headers=AUTH)
    assert r.status_code == 413

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b" " * 1024

    r = client.post(
        "/api/complaints", content=chunks(), headers={**AUTH, "content-type": "application/json"}
    )
    assert r.status_code == 413


def test_a_crash_is_a_generic_500_and_logs_no_message(
    store: ComplaintStore, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected exception answers 500 with a generic body; its message is not logged."""

    class Broken:
        def __getattr__(self, name: str) -> Any:
            def fail(*args: object, **kwargs: object) -> None:
                raise RuntimeError(f"database exploded near {SECRET_NAME}")

            return fail

    app = create_app(Broken(), token=TOKEN, clock=lambda: NOW)
    with caplog.at_level(logging.DEBUG), TestClient(app, raise_server_exceptions=False) as c:
        for method, path in (
            ("GET", "/api/complaints/C-1"),
            ("GET", "/api/worklist"),
            ("GET", "/"),
        ):
            r = c.request(method, path, headers=AUTH)
            assert r.status_code == 500
            assert "Traceback" not in r.text
            assert no_secret(r.text)
            assert "exploded" not in r.text
    assert no_secret(caplog.text)
    assert "RuntimeError" in caplog.text


def test_security_headers(client: TestClient) -> None:
    """Responses forbid framing, sniffing, referrers and any resource from another origin."""
    r = client.get("/api/health")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


# --------------------------------------------------------------------- pages


def test_pages_without_a_session_show_the_login_form(client: TestClient) -> None:
    """/ and /complaints/{id} without a session answer 401 with the login form."""
    _open(client)
    for path in ("/", "/complaints/C-1"):
        r = client.get(path)
        assert r.status_code == 401
        assert 'action="/login"' in r.text


def test_token_url_sets_a_strict_httponly_session(client: TestClient) -> None:
    """/login?token=... sets an HttpOnly, SameSite=Strict session cookie and drops the token."""
    r = client.get(f"/login?token={TOKEN}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie.lower()
    assert "samesite=strict" in cookie.lower()
    assert TOKEN not in cookie
    assert client.get("/").status_code == 200


def test_token_on_any_page_logs_in_and_redirects(client: TestClient) -> None:
    """A page URL carrying ?token= sets the session and redirects to itself without it."""
    _open(client)
    r = client.get(f"/complaints/C-1?token={TOKEN}&at=2024-06-13T10:00:00Z", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/complaints/C-1?at=2024-06-13T10%3A00%3A00Z"
    assert client.get("/complaints/C-1").status_code == 200


def test_wrong_token_url_is_refused(client: TestClient) -> None:
    """A wrong token in the URL is 401 and sets no session."""
    r = client.get("/login?token=nope-nope-nope", follow_redirects=False)
    assert r.status_code == 401
    assert SESSION_COOKIE not in r.headers.get("set-cookie", "")
    assert client.get("/").status_code == 401


def test_forged_session_cookie_is_refused(client: TestClient) -> None:
    """A session cookie not made by the server does not open pages."""
    client.cookies.set(SESSION_COOKIE, "abc.def")
    assert client.get("/").status_code == 401


def _csrf(html: str) -> str:
    marker = 'name="csrf" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_login_form_sets_the_session(client: TestClient) -> None:
    """Posting the login form with the token sets the session and returns to next=."""
    r = client.post(
        "/login", data={"token": TOKEN, "next": "/complaints/X"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/complaints/X"
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil", "x"])
def test_login_never_redirects_off_site(client: TestClient, target: str) -> None:
    """The login's next= only goes to this service's own pages."""
    r = client.post("/login", data={"token": TOKEN, "next": target}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_wrong_token_in_the_form_is_401(client: TestClient) -> None:
    """The login form with a wrong token is 401 and sets no session."""
    r = client.post("/login", data={"token": "wrong"})
    assert r.status_code == 401
    assert client.get("/").status_code == 401


def test_logout_needs_csrf(client: TestClient) -> None:
    """Log out works from the page's own form (with its CSRF token) and not without it."""
    client.get(f"/login?token={TOKEN}")
    page = client.get("/")
    assert client.post("/logout", data={}).status_code == 400
    assert client.get("/").status_code == 200
    r = client.post("/logout", data={"csrf": _csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.clear()
    assert client.get("/").status_code == 401


def test_worklist_page_groups_and_links(client: TestClient) -> None:
    """The worklist page shows its four sections, rows linking to their complaint."""
    _open(client, "C-1")
    _open(client, "C-2", received_at="2024-06-19T10:00:00+01:00")
    r = client.get("/", headers=AUTH)
    assert r.status_code == 200
    for group in ("overdue", "today", "at-risk", "next"):
        assert f'data-group="{group}"' in r.text
    assert 'href="/complaints/C-1"' in r.text
    assert 'href="/complaints/C-2"' in r.text
    filtered = client.get("/", params={"status": "breached"}, headers=AUTH)
    assert 'href="/complaints/C-2"' not in filtered.text
    assert client.get("/", params={"status": "nope"}, headers=AUTH).status_code == 422


def test_complaint_page_draws_the_timeline(client: TestClient) -> None:
    """The complaint page holds the inline SVG with a bar per obligation and the tables."""
    _open(client)
    api = client.get("/api/complaints/C-1", headers=AUTH).json()
    r = client.get("/complaints/C-1", headers=AUTH)
    assert r.status_code == 200
    assert "<svg" in r.text
    for o in api["obligations"]:
        assert f'data-id="{o["id"]}"' in r.text
        assert f'data-obligation="{o["id"]}"' in r.text
    assert client.get("/complaints/NOPE", headers=AUTH).status_code == 404


def test_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    """No page refers to a script or style sheet on another site; the CSS is served locally."""
    _open(client)
    for path in ("/", "/complaints/C-1", "/login"):
        html = client.get(path, headers=AUTH).text
        assert "<script" not in html
        assert 'src="http' not in html
        assert 'href="http' not in html
    css = client.get("/static/style.css")
    assert css.status_code == 200
    assert "text/css" in css.headers["content-type"]


def test_personal_details_never_leave(client: TestClient) -> None:
    """Personal details given on opening appear in no API answer and no page."""
    _open(client)
    _event(
        client,
        "C-1",
        {"type": "forwarded-to-cst", "at": "2024-06-12T11:00:00+01:00", "expected_version": 1},
    )
    later = (NOW + timedelta(days=3)).isoformat()
    answers = [
        client.get("/api/complaints/C-1", headers=AUTH),
        client.get("/api/complaints/C-1", params={"at": later}, headers=AUTH),
        client.get("/api/worklist", headers=AUTH),
        client.get("/api/changes", params={"after": "2024-01-01T00:00:00Z"}, headers=AUTH),
        client.get("/", headers=AUTH),
        client.get("/complaints/C-1", headers=AUTH),
    ]
    for r in answers:
        assert r.status_code == 200
        assert no_secret(r.text)


def test_the_default_instant_is_the_service_clock(store: ComplaintStore) -> None:
    """Without ?at= the service uses its own clock (here a fixed one), not the library's."""
    ticks = iter([datetime(2024, 6, 12, 12, 0, tzinfo=LONDON), NOW])
    app = create_app(store, token=TOKEN, clock=lambda: next(ticks))
    with TestClient(app) as c:
        c.post("/api/complaints", json=opening(), headers=AUTH)
        body = c.get("/api/complaints/C-1", headers=AUTH).json()
    assert body["at"] == NOW.isoformat()
