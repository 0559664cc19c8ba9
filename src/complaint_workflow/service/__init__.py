"""The reference service: a JSON API and caseworkers' pages over a complaint store.

Needs the ``service`` extra (``pip install 'complaint-workflow[service]'``): FastAPI, uvicorn
and Jinja2. ``create_app(store, token=...)`` builds the ASGI app; ``serve(db_url, ...)``
opens the store and runs it (``complaint-workflow serve --db URL``). See docs/service.md.
"""

from __future__ import annotations

from .app import DEFAULT_MAX_BODY, create_app
from .server import TOKEN_VARIABLE, login_url, serve

__all__ = ["DEFAULT_MAX_BODY", "TOKEN_VARIABLE", "create_app", "login_url", "serve"]
