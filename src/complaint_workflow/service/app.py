"""The ASGI application: a JSON API under ``/api`` and server-rendered pages, over a store.

``create_app(store, token=...)`` builds it; :func:`complaint_workflow.service.serve` runs it
with uvicorn. The store is any object with the methods of
:class:`complaint_workflow.store.ComplaintStore` (``add``, ``get``, ``append``, ``worklist``,
``changes``). The service is the shell: it alone reads the clock (``clock``, default the
wall clock in Europe/London) and passes instants to the library.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable
from datetime import datetime, time
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..calendar import LONDON, WorkingDayCalendar, as_london
from ..complaint import Complaint
from ..errors import (
    ComplaintNotFound,
    ComplaintWorkflowError,
    ConcurrencyError,
    DuplicateComplaintError,
    EventRejected,
    StoreError,
)
from ..history import event_from_dict, event_to_dict
from ..personal import PersonalDetails
from ..policy import Policy
from ..store import FeedCursor
from .auth import TokenAuth
from .core import (
    Invalid,
    PageLogin,
    Service,
    parse_day,
    parse_instant,
    policy_of,
    row_to_dict,
    statuses_of,
)
from .models import ComplaintOut, ErrorOut, EventIn, OpenIn, RowOut

__all__ = ["DEFAULT_MAX_BODY", "Service", "complaint_out", "create_app", "row_to_dict"]

log = logging.getLogger("complaint_workflow.service")

DEFAULT_MAX_BODY: Final = 64 * 1024
"""Largest request body accepted, in bytes (413 beyond)."""


_ERRORS: Final[dict[int, str]] = {
    400: "bad-request",
    401: "unauthorized",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "invalid",
    500: "internal",
    503: "unavailable",
}


def _error(status: int, detail: str, reason: str | None = None) -> JSONResponse:
    body = ErrorOut(error=_ERRORS.get(status, "error"), detail=detail, reason=reason)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


class _Guard:
    """Outermost safety net: any exception becomes a generic 500; its message is never logged
    (it might carry input), only its type and where it was raised."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            where = "".join(traceback.format_tb(exc.__traceback__)[-3:])
            log.error(
                "internal error %s on %s %s\n%s",
                type(exc).__name__,
                scope.get("method"),
                scope.get("path"),
                where,
            )
            if not started:
                response = _error(500, "internal error: the request was not completed")
                await response(scope, receive, send)


class _BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = _error(413, f"the request body is over {self.limit} bytes")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _error(400, "a bad Content-Length")(scope, receive, send)
                    return
                if declared > self.limit:
                    await too_large(scope, receive, send)
                    return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


_SECURITY_HEADERS: Final = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}


def complaint_out(complaint: Complaint, at: datetime) -> dict[str, Any]:
    """The API's view of a complaint at ``at``: never its personal details."""
    situation = complaint.situation
    return {
        "id": complaint.id,
        "version": complaint.version,
        "state": complaint.state,
        "states": complaint.states,
        "policy": complaint.policy.id,
        "eligibility": complaint.eligibility,
        "finished": complaint.finished,
        "deemed_receipt": complaint.deemed_receipt.isoformat(),
        "hearing": None if situation.hearing is None else situation.hearing.isoformat(),
        "at": at.isoformat(),
        "obligations": [o.to_dict() for o in complaint.obligations(at)],
        "events": [event_to_dict(e) for e in complaint.history],
    }


def _describe_security(app: FastAPI) -> None:
    """Say in the OpenAPI description that every operation but health needs the bearer token."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            schema.setdefault("components", {})["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer"}
            }
            error = {
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
                }
            }
            common = {
                "400": "a body that cannot be read",
                "401": "no or a wrong bearer token",
                "413": "a body over the size limit",
                "503": "the store is not available",
            }
            for path, operations in schema.get("paths", {}).items():
                for operation in operations.values():
                    public = path == "/api/health"
                    operation["security"] = [] if public else [{"bearer": []}]
                    for code, text in common.items():
                        if not (public and code == "401"):
                            operation["responses"].setdefault(code, {"description": text, **error})
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    store: Any,
    *,
    token: str,
    clock: Callable[[], datetime] | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    calendar: WorkingDayCalendar | None = None,
) -> FastAPI:
    """The service over ``store``, guarded by ``token`` (see :mod:`.auth`).

    ``clock`` gives the server's "now" (an aware datetime; default the wall clock): the only
    place the service reads the time. ``max_body`` bounds request bodies. ``calendar`` is used
    for the worklist's horizon (default England and Wales).
    """
    svc = Service(
        store=store,
        auth=TokenAuth(token),
        now=clock or (lambda: datetime.now(LONDON)),
        calendar=calendar or WorkingDayCalendar.england_and_wales(),
    )
    auth, now, call = svc.auth, svc.now, svc.call
    from .pages import Pages

    pages = Pages(svc)

    app = FastAPI(
        title="complaint-workflow reference service",
        version="1",
        summary="Complaints under the Cafcass procedure: open, record events, see what is due.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )

    # --------------------------------------------------------------- errors

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        # Name where and what, never the input itself (it may be personal).
        problems = []
        for error in exc.errors()[:5]:
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
            problems.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
        return _error(422, "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if request.url.path.startswith("/api") or exc.status_code == 405:
            return _error(exc.status_code, detail)
        return pages.error(request, exc.status_code, detail)

    @app.exception_handler(Invalid)
    async def _invalid(request: Request, exc: Invalid) -> Response:
        if request.url.path.startswith("/api"):
            return _error(422, exc.detail)
        return pages.error(request, 422, exc.detail)

    @app.exception_handler(ComplaintWorkflowError)
    async def _library(request: Request, exc: ComplaintWorkflowError) -> Response:
        # The library's messages name ids, fields and dates, never personal details.
        if isinstance(exc, StoreError):
            status, detail = 503, "the store is not available; try again later"
        elif isinstance(exc, ComplaintNotFound):
            status, detail = 404, "no such complaint"
        else:
            status, detail = 422, str(exc)
        if request.url.path.startswith("/api"):
            return _error(status, detail)
        return pages.error(request, status, detail)

    @app.exception_handler(PageLogin)
    async def _login_needed(request: Request, exc: PageLogin) -> Response:
        return pages.login(request, exc.message, 401)

    # --------------------------------------------------------------- middleware

    @app.middleware("http")
    async def _guard_api(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        public = path == "/api/health" and request.method in ("GET", "HEAD")
        under_api = path == "/api" or path.startswith("/api/")
        if under_api and not public and not auth.bearer_ok(request.headers.get("authorization")):
            return _error(401, "send Authorization: Bearer <token>")
        response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    # --------------------------------------------------------------- API

    @app.get("/api/health", tags=["service"])
    async def health() -> dict[str, str]:
        """Whether the service is up (no token needed)."""
        return {"status": "ok"}

    @app.post(
        "/api/complaints",
        status_code=201,
        response_model=ComplaintOut,
        responses={409: {"model": ErrorOut}, 422: {"model": ErrorOut}, 401: {"model": ErrorOut}},
        tags=["complaints"],
    )
    async def open_complaint(body: OpenIn) -> Response:
        """Open a complaint from the facts known on receipt; personal details are kept apart."""
        if body.policy not in Policy.builtin_ids():
            return _error(422, f"policy must be a built-in id: {', '.join(Policy.builtin_ids())}")
        personal = None if body.personal is None else PersonalDetails(**body.personal.model_dump())
        try:
            complaint = Complaint.open(
                complaint_id=body.complaint_id,
                complainant=body.complainant,
                received_at=body.received_at,
                policy=body.policy,
                channel=body.channel,
                case_ongoing=body.case_ongoing,
                involvement_ended=body.involvement_ended,
                hearing=body.hearing,
                staff_named=body.staff_named,
                linked_to=body.linked_to,
                personal=personal,
            )
            await call(store.add, complaint)
        except EventRejected as exc:
            return _error(422, str(exc), exc.reason)
        except DuplicateComplaintError:
            return _error(409, f"complaint {body.complaint_id!r} already exists")
        except ComplaintWorkflowError as exc:
            return _error(422, str(exc))
        at = max(as_london(now()), as_london(complaint.last_at))
        return JSONResponse(complaint_out(complaint, at), status_code=201)

    @app.get(
        "/api/complaints/{complaint_id}",
        response_model=ComplaintOut,
        responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}, 401: {"model": ErrorOut}},
        tags=["complaints"],
    )
    async def get_complaint(
        complaint_id: str,
        at: str | None = Query(default=None, description="ISO date-time with offset; default now"),
    ) -> Response:
        """The complaint and its obligations at ``at`` (default: the server's clock)."""
        instant = parse_instant(at, "at") or now()
        complaint = await svc.load(complaint_id)
        try:
            return JSONResponse(complaint_out(complaint, as_london(instant)))
        except ComplaintWorkflowError as exc:
            return _error(422, str(exc))

    @app.post(
        "/api/complaints/{complaint_id}/events",
        response_model=ComplaintOut,
        responses={
            404: {"model": ErrorOut},
            409: {"model": ErrorOut},
            422: {"model": ErrorOut},
            401: {"model": ErrorOut},
        },
        tags=["complaints"],
    )
    async def append_event(complaint_id: str, body: EventIn) -> Response:
        """Record an event; 409 when ``expected_version`` is stale, 422 when it is refused."""
        data = body.model_dump(mode="json", exclude={"expected_version"})
        if data.get("event_id") is None:
            data.pop("event_id", None)
        if data["type"] == "complaint-opened":  # pragma: no cover - excluded by the schema
            return _error(422, "open a complaint with POST /api/complaints")
        try:
            event = event_from_dict(data)
        except ComplaintWorkflowError as exc:
            return _error(422, str(exc))
        except Exception as exc:  # cattrs' structuring errors: name the kind only
            return _error(
                422,
                f"the {data['type']} event has a missing or malformed field "
                f"({type(exc).__name__}); see docs/json.md",
            )
        try:
            complaint: Complaint = await call(
                store.append, complaint_id, event, expected_version=body.expected_version
            )
        except EventRejected as exc:
            return _error(422, str(exc), exc.reason)
        except ComplaintNotFound:
            return _error(404, f"no complaint {complaint_id!r}")
        except ConcurrencyError:
            return _error(
                409,
                f"expected_version {body.expected_version} is stale: "
                "GET the complaint and try again",
            )
        except ComplaintWorkflowError as exc:
            return _error(422, str(exc))
        at = max(as_london(now()), as_london(complaint.last_at))
        return JSONResponse(complaint_out(complaint, at))

    @app.get(
        "/api/worklist",
        response_model=list[RowOut],
        responses={422: {"model": ErrorOut}, 401: {"model": ErrorOut}},
        tags=["worklist"],
    )
    async def worklist(
        at: str | None = Query(default=None, description="ISO date-time; default now"),
        until: str | None = Query(
            default=None, description="a date (or date-time); default 7 working days after at"
        ),
        status: Annotated[list[str] | None, Query(description="repeatable")] = None,
        policy: str | None = Query(default=None),
        limit: int | None = Query(default=None, ge=1, le=10_000),
    ) -> Response:
        """Every obligation not met at ``at`` and due on or before ``until``, by due date."""
        instant = as_london(parse_instant(at, "at") or now())
        horizon = parse_day(until, "until") or svc.horizon(instant)
        rows = await svc.worklist(instant, horizon, statuses_of(status), policy_of(policy), limit)
        return JSONResponse(rows)

    @app.get(
        "/api/changes",
        response_model=list[RowOut],
        responses={422: {"model": ErrorOut}, 401: {"model": ErrorOut}},
        tags=["worklist"],
    )
    async def changes(
        after: str | None = Query(
            default=None,
            description="an ISO date-time with offset, or the cursor of the previous call "
            "(the X-Feed-Cursor header, ISO-DATETIME@SEQUENCE): changes strictly after it; "
            "default the start of the calendar (every change so far)",
        ),
        until: str | None = Query(default=None, description="ISO date-time; default now"),
    ) -> Response:
        """Every change of an obligation to at-risk, breached, impossible or extended in
        ``(after, until]``, in order: a scheduler's durable timer. Pass the ``X-Feed-Cursor``
        header of one answer as ``after`` of the next to see every change exactly once."""
        start: datetime | FeedCursor
        if after is None:
            start = datetime.combine(svc.calendar.first_day, time(0), tzinfo=LONDON)
        elif "@" in after:
            try:
                start = FeedCursor.parse(after)
            except ComplaintWorkflowError as exc:
                raise Invalid(str(exc)) from None
        else:
            start = parse_instant(after, "after") or now()
        end = as_london(parse_instant(until, "until") or now())
        rows = await call(store.changes, after=start, until=end)
        cursor = getattr(rows, "cursor", None)
        headers = None if cursor is None else {"X-Feed-Cursor": str(cursor)}
        return JSONResponse([row_to_dict(r) for r in rows], headers=headers)

    # --------------------------------------------------------------- pages

    pages.install(app)
    _describe_security(app)

    # Outermost first: the guard catches anything, then the body limit.
    app.add_middleware(_BodyLimit, limit=max_body)
    app.add_middleware(_Guard)
    return app
