"""Server-side sessions in signed cookies, their CSRF tokens, and the login form's own token.

The cookie holds a random session id and its HMAC-SHA256 under the store's secret (made once
per store, so every worker signs alike); the store keeps only the id's SHA-256, the user and
the CSRF token. A session ends after :data:`IDLE_SECONDS` without a request, at logout
(deleted server-side), or when its user is disabled; logging in always makes a new id (the
old one, if any, is deleted: no session fixation). The cookie is HttpOnly, SameSite=Lax, and
Secure when the request came over HTTPS.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from ..store.users import SessionRecord, UserRecord

COOKIE = "hmip_session"
LOGIN_COOKIE = "hmip_login"            # the login form's CSRF token (before any session)
#: Assumption: 30 minutes without a request ends a session (OWASP's session management
#: cheat sheet: 15-30 minutes for sensitive applications); case capture saves on every answer,
#: so an inspector at work never reaches it.
IDLE_SECONDS = 30 * 60
TOUCH_EVERY = 60                         # seconds: last_seen is written at most this often


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class Sessions:
    def __init__(self, store: Any) -> None:
        self.store = store
        self.key = store.secret("cookie-signing").encode()

    def sign(self, value: str) -> str:
        mac = hmac.new(self.key, value.encode(), hashlib.sha256).hexdigest()
        return f"{value}.{mac}"

    def unsign(self, signed: str | None) -> str | None:
        if not signed or "." not in signed:
            return None
        value, _, mac = signed.rpartition(".")
        expected = hmac.new(self.key, value.encode(), hashlib.sha256).hexdigest()
        return value if hmac.compare_digest(mac, expected) else None

    def start(self, user: UserRecord, replaces: str | None) -> str:
        """A new session for ``user`` (ending ``replaces``, the cookie sent, if any); the cookie value."""
        session_id = secrets.token_urlsafe(32)
        old = self.unsign(replaces)
        self.store.end_idle_sessions(time.time() - IDLE_SECONDS)      # the store keeps no dead ones
        self.store.create_session(_digest(session_id), user.id, secrets.token_urlsafe(32), time.time(),
                                  replaces=_digest(old) if old else None)
        return self.sign(session_id)

    def find(self, cookie: str | None) -> SessionRecord | None:
        """The live session the cookie names, or None (unsigned, unknown, idle too long, or its
        user disabled); a live one's last use is recorded."""
        return self.check(cookie, None)[0]

    def check(self, cookie: str | None, inspection: str | None) -> tuple[SessionRecord | None, bool]:
        """(the live session, as :meth:`find`; whether its user holds a grant on ``inspection``),
        read afresh from the store in one query on every request: nothing is cached, so a
        logout, an expiry or a disabled user takes effect at once."""
        session_id = self.unsign(cookie)
        if session_id is None:
            return None, False
        digest = _digest(session_id)
        record, granted = self.store.web_request(digest, inspection)
        now = time.time()
        if record is None or record.user.disabled:
            return None, False
        if now - record.last_seen > IDLE_SECONDS:
            self.store.end_session(digest)
            return None, False
        if now - record.last_seen > TOUCH_EVERY:
            self.store.touch_session(digest, now)
        return record, granted

    def end(self, cookie: str | None) -> None:
        session_id = self.unsign(cookie)
        if session_id is not None:
            self.store.end_session(_digest(session_id))

    def login_token(self) -> tuple[str, str]:
        """(form token, cookie value) for the login form: the cookie holds the token signed."""
        token = secrets.token_urlsafe(24)
        return token, self.sign(token)

    def login_token_ok(self, form_token: str, cookie: str | None) -> bool:
        expected = self.unsign(cookie)
        return bool(expected) and hmac.compare_digest(expected or "", form_token or "")


def csrf_ok(record: SessionRecord, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(record.csrf, given or "")
