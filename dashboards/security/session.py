"""The session cookie: a small dict, signed with ``dashboards.secret_key`` (itsdangerous).

It holds the per-session CSRF token (``csrf``, present for every visitor, signed in or not) and,
once signed in, the id of a server-side session (``sid``, see ``accounts.sessions``). The cookie is
HttpOnly and SameSite=Lax, Secure when ``dashboards.secure_cookies`` is set or the request came over
HTTPS, and lives ``dashboards.session_max_age_s``. Routes read and change it as ``request.session``;
the cookie is written only when the dict changed.
"""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "vigil_session"


class SessionMiddleware:
    def __init__(self, app: ASGIApp, *, secret_key: str, max_age_s: int, secure: bool) -> None:
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret_key, salt="vigil.dashboards.session")
        self.max_age_s = max_age_s
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = self._load(HTTPConnection(scope).cookies.get(COOKIE))
        original = dict(session)
        scope["session"] = session
        secure = self.secure or scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session != original:
                MutableHeaders(scope=message).append("set-cookie", self._cookie(session, secure))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _load(self, raw: str | None) -> dict[str, Any]:
        if not raw:
            return {}
        try:
            data = self.serializer.loads(raw, max_age=self.max_age_s)
        except BadSignature:  # tampered, signed with another key, or expired
            return {}
        return data if isinstance(data, dict) else {}

    def _cookie(self, session: dict[str, Any], secure: bool) -> str:
        value, max_age = (self.serializer.dumps(session), self.max_age_s) if session else ("", 0)
        return (f"{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax"
                + ("; Secure" if secure else ""))
