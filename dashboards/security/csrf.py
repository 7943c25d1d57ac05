"""CSRF protection: every POST, PUT, PATCH or DELETE carries the session's CSRF token, as the form
field ``csrf_token`` or the header ``X-CSRF-Token`` (htmx sends it from ``base.html``), or is
refused with 403.

:func:`check_csrf` is an application-wide dependency, so every route, present and future, is
covered. The only exemption: API requests that authenticate with ``Authorization: Bearer``, which
a browser never adds on its own to a cross-site request.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

from dashboards.i18n import N_
from dashboards.paths import API_PREFIX

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS or _bearer_api_request(request):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORMS):
        value = (await request.form()).get(FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise HTTPException(403, N_("The form has expired or did not come from this site. Reload the page and try again."))


def _bearer_api_request(request: Request) -> bool:
    return (request.url.path.startswith(API_PREFIX + "/")
            and request.headers.get("authorization", "").lower().startswith("bearer "))
