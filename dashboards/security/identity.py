"""Who is asking: one of three ways, tried in this order.

1. Trusted-header single sign-on (off unless ``dashboards.trusted_header`` is set): the header names
   the user, and is believed only when the request comes straight from an address in
   ``dashboards.trusted_proxies``; from anywhere else the header is ignored (and logged).
2. On ``/api/v1/...``: ``Authorization: Bearer <personal API token>`` (and nothing else when that
   header is present).
3. The session cookie's server-side session, opened by the login form.

The user's role and state are read from the accounts database on every request, so a role change
or a disabled account takes effect at once.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from fastapi import HTTPException, Request

from dashboards.accounts.models import User
from dashboards.accounts.sessions import session_user
from dashboards.accounts.store import AccountStore
from dashboards.accounts.tokens import token_user
from dashboards.accounts.users import find_user
from dashboards.i18n import N_
from dashboards.paths import API_PREFIX
from vigil.logs import get_logger
from vigil.settings import DashboardsSettings

log = get_logger(__name__)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Identity:
    user: User
    via: str  # "session", "token" or "header"
    session_started: datetime | None = None


def proxy_networks(settings: DashboardsSettings) -> tuple[Network, ...]:
    """``dashboards.trusted_proxies`` parsed; a bad entry is a settings error naming it."""
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in settings.trusted_proxies)
    except ValueError as exc:
        raise ValueError(f"dashboards.trusted_proxies (env VIGIL_DASHBOARDS__TRUSTED_PROXIES): {exc}") from None


def identify(request: Request, store: AccountStore, settings: DashboardsSettings,
             proxies: tuple[Network, ...]) -> Identity | None:
    """The signed-in user of ``request``, or None for an anonymous one."""
    if settings.trusted_header and (name := request.headers.get(settings.trusted_header)):
        if _from(request, proxies):
            user = find_user(store, name.strip())
            if user is None or user.disabled:
                raise HTTPException(403, N_("Your single sign-on name has no active Vigil account; ask an admin."))
            return Identity(user, "header")
        log.warning("ignored the trusted header from an untrusted address",
                    extra={"header": settings.trusted_header, "address": _address(request)})
    if request.url.path.startswith(API_PREFIX + "/") and "authorization" in request.headers:
        scheme, _, secret = request.headers["authorization"].partition(" ")
        user = token_user(store, secret.strip()) if scheme.lower() == "bearer" and secret.strip() else None
        return Identity(user, "token") if user else None
    session_id = request.session.get("sid")
    found = session_user(store, session_id) if isinstance(session_id, str) else None
    return Identity(found[0], "session", found[1]) if found else None


def _from(request: Request, proxies: tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(_address(request))
    except ValueError:
        return False
    return any(address in network for network in proxies)


def _address(request: Request) -> str:
    return request.client.host if request.client else ""
