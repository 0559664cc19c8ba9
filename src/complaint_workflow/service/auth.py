"""Access to the service: one shared token, a session cookie for pages, CSRF tokens for forms.

- The API takes ``Authorization: Bearer <token>`` only.
- Pages take the same header, or the session cookie ``cw_session`` set by the login form or by
  the login URL (``/login?token=...``). The cookie never holds the token itself: it is a random
  nonce and an HMAC of that nonce under the token, so it is checked without any server-side
  table and stops working when the token changes (restart with a new token to log everyone out).
- Every comparison is :func:`hmac.compare_digest`.
- The one form that acts on a session (log out) carries a CSRF token: an HMAC of the session
  cookie under the token; the cookie is also ``SameSite=Strict``. The login form needs none: a
  forged login would have to carry the token itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

__all__ = [
    "SESSION_COOKIE",
    "TokenAuth",
]

SESSION_COOKIE: Final = "cw_session"


class TokenAuth:
    """Checks bearer headers, session cookies and CSRF tokens against one secret token."""

    def __init__(self, token: str) -> None:
        if not isinstance(token, str) or len(token) < 8:
            raise ValueError("the service token must be a string of at least 8 characters")
        self._key = token.encode("utf-8")

    def token_ok(self, candidate: str | None) -> bool:
        """Whether ``candidate`` is the token (constant time)."""
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8", "replace"), self._key)

    def bearer_ok(self, header: str | None) -> bool:
        """Whether an ``Authorization`` header carries the token as a bearer token."""
        if not header:
            return False
        scheme, _, value = header.partition(" ")
        return scheme.lower() == "bearer" and self.token_ok(value.strip())

    def _mac(self, purpose: str, nonce: str) -> str:
        message = f"{purpose}:{nonce}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def new_session(self) -> str:
        """A fresh session cookie value: ``nonce.mac``."""
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self._mac('session', nonce)}"

    def session_ok(self, cookie: str | None) -> bool:
        """Whether a session cookie value was made by :meth:`new_session` under this token."""
        if not cookie or cookie.count(".") != 1:
            return False
        nonce, mac = cookie.split(".")
        return hmac.compare_digest(
            mac.encode("ascii", "replace"), self._mac("session", nonce).encode()
        )

    def csrf_for(self, cookie: str) -> str:
        """The CSRF token a form must send with this session cookie."""
        return self._mac("csrf", cookie)

    def csrf_ok(self, cookie: str | None, sent: str | None) -> bool:
        """Whether the form's CSRF token matches its cookie."""
        if not cookie or not sent:
            return False
        return hmac.compare_digest(sent.encode("ascii", "replace"), self.csrf_for(cookie).encode())
