"""The dashboards' FastAPI application: ``create_app(settings)``.

``PUBLIC`` routers are open to anonymous visitors; every router in ``SIGNED_IN`` requires a
signed-in user (default deny). Every request passes the CSRF check (an app-wide dependency), and
every response gets the security headers. Static files, vendored JavaScript included, are served
from ``/static``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from dashboards import errors
from dashboards.accounts.store import AccountStore
from dashboards.deps import get_current_user
from dashboards.paths import STATIC_PREFIX
from dashboards.routes import account, admin_system, admin_users, api, api_docs, auth, health, overview
from dashboards.routes import audit, items, leave, queue, review_api
from dashboards.routes import alerts, compare, export, search, sources
from dashboards.security.csrf import check_csrf
from dashboards.security.headers import SecurityHeadersMiddleware
from dashboards.security.identity import proxy_networks
from dashboards.security.session import SessionMiddleware
from vigil.settings import Settings

STATIC = Path(__file__).parent / "static"
PUBLIC = (health.router, auth.router)
SIGNED_IN = (overview.router, account.router, admin_users.router, admin_system.router, api.router,
             api_docs.router, queue.router, items.router, audit.router, leave.router, review_api.router,
             overview.api, compare.router, compare.api, alerts.router, alerts.api, sources.router, sources.api,
             search.router, search.api, export.router)


def create_app(settings: Settings) -> FastAPI:
    """The app for ``settings``; its accounts database is created if missing."""
    app = FastAPI(title="Vigil", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(check_csrf)])
    app.state.settings = settings
    app.state.accounts = AccountStore.for_settings(settings)
    app.state.trusted_proxies = proxy_networks(settings.dashboards)
    for router in PUBLIC:
        app.include_router(router)
    for router in SIGNED_IN:
        app.include_router(router, dependencies=[Depends(get_current_user)])
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    dashboards = settings.dashboards
    app.add_middleware(SessionMiddleware, secret_key=dashboards.secret_key.get_secret_value(),
                       max_age_s=dashboards.session_max_age_s, secure=dashboards.secure_cookies)
    app.add_middleware(SecurityHeadersMiddleware)  # added last: outermost, so every response has them
    return app
