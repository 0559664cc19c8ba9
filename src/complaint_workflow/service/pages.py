"""The caseworkers' pages: the worklist (``/``) and one complaint (``/complaints/{id}``).

Server-rendered with Jinja2 (autoescaped), no script, no external resource: the style sheet
is served from the package at ``/static/style.css``. Plain links and forms only, so every page
works from the keyboard; the layout reflows at 200% zoom.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from importlib import resources
from typing import Annotated, Any, Final
from urllib.parse import parse_qs, urlencode

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from ..calendar import as_london
from ..obligations import STATUSES
from ..policy import Policy
from ..timeline import svg
from .auth import SESSION_COOKIE
from .core import PageLogin, Service, parse_instant, policy_of, statuses_of

__all__ = ["GROUPS", "Pages", "group_rows"]

GROUPS: Final = (
    ("overdue", "Overdue, breached or impossible"),
    ("today", "Due today"),
    ("at-risk", "At risk"),
    ("next", "Due in the next 7 working days"),
)
"""The worklist's sections, in order."""

_SAFE_NEXT: Final = ("/", "/complaints/")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("complaint_workflow.service", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _style() -> bytes:
    return resources.files("complaint_workflow.service").joinpath("static/style.css").read_bytes()


def group_rows(rows: list[dict[str, Any]], today: date) -> dict[str, list[dict[str, Any]]]:
    """Split worklist rows into the page's sections (each row in exactly one)."""
    groups: dict[str, list[dict[str, Any]]] = {key: [] for key, _ in GROUPS}
    for row in rows:
        due = date.fromisoformat(str(row["due"]))
        status = row["status"]
        if status in ("breached", "impossible") or due < today:
            groups["overdue"].append(row)
        elif due == today:
            groups["today"].append(row)
        elif status == "at-risk":
            groups["at-risk"].append(row)
        else:
            groups["next"].append(row)
    return groups


def _safe_next(target: str | None) -> str:
    """Only a path of this service, never another site (``//host`` or ``scheme:``)."""
    if not target or not target.startswith(_SAFE_NEXT) or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return "/"
    return target


class Pages:
    """Renders the pages and checks page sessions."""

    def __init__(self, service: Service) -> None:
        self.svc = service

    # --------------------------------------------------------------- rendering

    def render(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200
    ) -> Response:
        """A template as an HTML response."""
        template = _environment().get_template(name)
        values = {"path": request.url.path, "logged_in": False, "csrf": "", **context}
        html = template.render(**values)
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, status: int, message: str) -> Response:
        """An error page (its message names ids and fields only, never personal details)."""
        session = request.cookies.get(SESSION_COOKIE)
        logged = self.svc.auth.session_ok(session)
        return self.render(
            request,
            "error.html",
            {
                "status": status,
                "message": message,
                "logged_in": logged,
                "csrf": self.svc.auth.csrf_for(session) if logged and session else "",
            },
            status,
        )

    def login(self, request: Request, message: str, status: int) -> Response:
        """The login form, returning to the page asked for."""
        target = request.url.path
        if request.url.query:
            kept = [(k, v) for k, v in parse_qs(request.url.query).items() if k != "token"]
            if kept:
                target += "?" + urlencode([(k, x) for k, vs in kept for x in vs])
        return self.render(
            request,
            "login.html",
            {"message": message, "next": _safe_next(request.query_params.get("next") or target)},
            status,
        )

    def _session(self, request: Request) -> str | None:
        """The session cookie when valid; ``""`` for a valid bearer header; else ``None``."""
        cookie = request.cookies.get(SESSION_COOKIE)
        if self.svc.auth.session_ok(cookie):
            return cookie
        if self.svc.auth.bearer_ok(request.headers.get("authorization")):
            return ""
        return None

    def _signed_in(self, request: Request, target: str) -> Response:
        response = RedirectResponse(_safe_next(target), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            self.svc.auth.new_session(),
            httponly=True,
            samesite="strict",
            path="/",
            secure=request.url.scheme == "https",
        )
        return response

    async def _gate(self, request: Request) -> str | Response:
        """The session for a page, a redirect that consumes a token URL, or the login form."""
        token = request.query_params.get("token")
        if token is not None:
            if not self.svc.auth.token_ok(token):
                raise PageLogin("That token is not right.")
            kept = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + (f"?{urlencode(kept)}" if kept else "")
            return self._signed_in(request, target)
        session = self._session(request)
        if session is None:
            raise PageLogin("")
        return session

    # --------------------------------------------------------------- routes

    def install(self, app: FastAPI) -> None:
        """Add the page routes to ``app``."""
        svc = self.svc

        @app.get("/static/style.css", include_in_schema=False)
        async def style() -> Response:
            return Response(
                _style(), media_type="text/css", headers={"cache-control": "max-age=3600"}
            )

        @app.get("/login", include_in_schema=False)
        async def login_form(request: Request) -> Response:
            token = request.query_params.get("token")
            if token is not None:
                if not svc.auth.token_ok(token):
                    return self.login(request, "That token is not right.", 401)
                return self._signed_in(request, request.query_params.get("next") or "/")
            if self._session(request) is not None:
                return RedirectResponse(_safe_next(request.query_params.get("next")), 303)
            return self.login(request, "", 200)

        @app.post("/login", include_in_schema=False)
        async def login_submit(request: Request) -> Response:
            form = parse_qs((await request.body()).decode("utf-8", "replace"))
            # No CSRF token here: a forged login would have to carry the token itself.
            token = (form.get("token") or [""])[0]
            target = (form.get("next") or ["/"])[0]
            if not svc.auth.token_ok(token):
                return self.login(request, "That token is not right.", 401)
            return self._signed_in(request, target)

        @app.post("/logout", include_in_schema=False)
        async def logout(request: Request) -> Response:
            form = parse_qs((await request.body()).decode("utf-8", "replace"))
            session = request.cookies.get(SESSION_COOKIE)
            if not svc.auth.session_ok(session) or not svc.auth.csrf_ok(
                session, (form.get("csrf") or [""])[0]
            ):
                return self.error(request, 400, "log out from the page's own button")
            response = RedirectResponse("/login", status_code=303)
            response.delete_cookie(SESSION_COOKIE, path="/")
            return response

        @app.get("/", include_in_schema=False, response_class=HTMLResponse)
        async def worklist_page(
            request: Request,
            at: str | None = Query(default=None),
            status: Annotated[list[str] | None, Query()] = None,
            policy: str | None = Query(default=None),
        ) -> Response:
            gate = await self._gate(request)
            if isinstance(gate, Response):
                return gate
            instant = as_london(parse_instant(at, "at") or svc.now())
            chosen = statuses_of(status)
            chosen_policy = policy_of(policy)
            until = svc.horizon(instant)
            rows = await svc.worklist(instant, until, chosen, chosen_policy)
            groups = group_rows(rows, instant.date())
            return self.render(
                request,
                "worklist.html",
                {
                    "at": instant,
                    "at_text": "" if at is None else at,
                    "until": until,
                    "groups": [(key, title, groups[key]) for key, title in GROUPS],
                    "statuses": [s for s in STATUSES if s not in ("met", "met-late")],
                    "chosen": set(chosen or ()),
                    "policies": Policy.builtin_ids(),
                    "policy": chosen_policy or "",
                    "count": len(rows),
                    "logged_in": bool(gate),
                    "csrf": svc.auth.csrf_for(gate) if gate else "",
                },
            )

        @app.get("/complaints/{complaint_id}", include_in_schema=False, response_class=HTMLResponse)
        async def complaint_page(
            request: Request, complaint_id: str, at: str | None = Query(default=None)
        ) -> Response:
            gate = await self._gate(request)
            if isinstance(gate, Response):
                return gate
            instant = as_london(parse_instant(at, "at") or svc.now())
            complaint = await svc.load(complaint_id)
            obligations = complaint.obligations(instant)
            picture = Markup(svg(complaint, instant))
            return self.render(
                request,
                "complaint.html",
                {
                    "complaint": complaint,
                    "at": instant,
                    "at_text": "" if at is None else at,
                    "obligations": obligations,
                    "events": list(complaint.history),
                    "picture": picture,
                    "logged_in": bool(gate),
                    "csrf": svc.auth.csrf_for(gate) if gate else "",
                    "fmt_day": _day,
                    "fmt_instant": _instant,
                },
            )


def _day(d: date | None) -> str:
    return "" if d is None else f"{d:%a %d %b %Y}"


def _instant(t: datetime | None) -> str:
    return "" if t is None else f"{as_london(t):%a %d %b %Y %H:%M}"
