"""Running the service: the token, the login URL, uvicorn, a log that never shows the token."""

from __future__ import annotations

import logging
import os
import re
import secrets
import socket
import sys
from typing import Any, Final, TextIO
from urllib.parse import quote

__all__ = ["TOKEN_VARIABLE", "login_url", "serve"]

TOKEN_VARIABLE: Final = "COMPLAINT_WORKFLOW_TOKEN"
"""The environment variable holding the service token; when unset the server makes one."""

_TOKEN_IN_URL: Final = re.compile(r"(token=)[^&\s\"]*")


class _RedactToken(logging.Filter):
    """Hide ``token=...`` in access-log lines (the login URL carries it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_URL.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_URL.sub(r"\1[redacted]", record.msg)
        return True


def _check_free(host: str, port: int) -> None:
    """Raise OSError now if ``host:port`` cannot be bound (uvicorn would exit the process)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def login_url(host: str, port: int, token: str | None) -> str:
    """The address to open in a browser; with the token when the server made it."""
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}/"
    return base if token is None else f"{base}login?token={quote(token)}"


def serve(
    db_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    out: TextIO | None = None,
    **uvicorn_options: Any,
) -> None:
    """Open the store at ``db_url`` and serve the app until interrupted.

    The token is ``token``, else ``$COMPLAINT_WORKFLOW_TOKEN``, else a new random one, which
    is then printed inside the login URL (as Jupyter does). Binds to loopback by default.
    """
    import uvicorn

    from ..store import ComplaintStore
    from .app import create_app

    stream = out or sys.stdout
    _check_free(host, port)
    given = token or os.environ.get(TOKEN_VARIABLE) or None
    secret = given or secrets.token_urlsafe(32)
    store = ComplaintStore.open(db_url)
    try:
        app = create_app(store, token=secret)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level=uvicorn_options.pop("log_level", "warning"),
            server_header=False,
            **uvicorn_options,
        )
        server = uvicorn.Server(config)
        logging.getLogger("uvicorn.access").addFilter(_RedactToken())
        if given is None:
            stream.write(
                f"complaint-workflow: serving on http://{host}:{port}/\n"
                f"open this URL to log in (it carries the token):\n"
                f"    {login_url(host, port, secret)}\n"
            )
        else:
            stream.write(
                f"complaint-workflow: serving on {login_url(host, port, None)} "
                f"(log in with the token from {TOKEN_VARIABLE})\n"
            )
        stream.flush()
        server.run()
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()
