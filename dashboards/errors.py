"""How failures answer: a page in the user's language for people, JSON for programs (``paths.answers_json``).

- :class:`NotAuthenticated` (raised by the ``CurrentUser`` dependency): a redirect to the login page,
  which returns to the page asked for; 401 with ``WWW-Authenticate: Bearer`` on the API; for an htmx
  request, 401 with ``HX-Redirect`` so that the whole page goes to the login.
- ``HTTPException`` (403 from a role check or CSRF, 404, 409...): ``pages/error.html`` (or
  ``components/error.html`` for htmx), its ``detail`` translated; ``{"detail": ...}`` on the API.
- ``WarehouseError``: 503, the reason logged and not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from dashboards.i18n import N_
from dashboards.paths import LOGIN, answers_json
from dashboards.rendering import Renderer, is_htmx
from vigil.logs import get_logger
from vigil.warehouse import WarehouseError

log = get_logger(__name__)
# Starlette's own details, marked so that the catalogues translate them.
STANDARD_DETAILS = (N_("Not Found"), N_("Method Not Allowed"))
WAREHOUSE_UNAVAILABLE = N_("The warehouse is not available right now; try again in a minute.")


class NotAuthenticated(Exception):
    """The request has no signed-in user, and the route needs one."""


def install(app: FastAPI) -> None:
    app.add_exception_handler(NotAuthenticated, _not_authenticated)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(WarehouseError, _warehouse_error)  # type: ignore[arg-type]


def _not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
    if answers_json(request.url.path):
        return JSONResponse({"detail": "Not authenticated"}, 401, headers={"WWW-Authenticate": "Bearer"})
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = LOGIN + ("?" + urlencode({"next": here}) if here != "/" else "")
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, 303)


def _http_error(request: Request, exc: HTTPException) -> Response:
    return _error(request, exc.status_code, str(exc.detail), exc.headers)


def _warehouse_error(request: Request, exc: WarehouseError) -> Response:
    log.warning("warehouse unavailable", extra={"path": request.url.path, "reason": str(exc)})
    return _error(request, 503, WAREHOUSE_UNAVAILABLE, None)


def _error(request: Request, status: int, detail: str, headers: dict[str, str] | None) -> Response:
    if answers_json(request.url.path):
        return JSONResponse({"detail": detail}, status, headers=headers)
    renderer = Renderer.for_request(request, getattr(request.state, "identity", None))
    template = "components/error.html" if is_htmx(request) else "pages/error.html"
    return renderer.page(template, ErrorView(status, renderer.gettext(detail)), status_code=status, headers=headers)


@dataclass(frozen=True)
class ErrorView:
    status: int
    message: str  # translated
