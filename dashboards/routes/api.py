"""The JSON API under ``/api/v1``, for programs and the browser alike: a session cookie (with the
CSRF header on changes) or ``Authorization: Bearer <personal API token>``. Its OpenAPI description
is ``/api/v1/openapi.json`` (API routes only), shown by ``/api/docs``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from dashboards import route_table
from dashboards.accounts.models import Role
from dashboards.deps import CurrentUser
from dashboards.paths import API_PREFIX

router = APIRouter(prefix=API_PREFIX, tags=["account"])


class Me(BaseModel):
    name: str
    role: Role
    locale: str | None


@router.get("/me")
def me(user: CurrentUser) -> Me:
    """The user the request is signed in as, with their role."""
    return Me(name=user.name, role=user.role, locale=user.locale)


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request) -> dict[str, Any]:
    return api_schema(request.app)


def api_schema(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI description of the API routes, built once per app."""
    if not getattr(app.state, "api_schema", None):
        routes = [route for route in route_table.routes(app) if (route.path or "").startswith(API_PREFIX + "/")]
        schema = get_openapi(title="Vigil API", version="1", routes=routes,
                             description="Personal API tokens are made on your account page.")
        schema.setdefault("components", {})["securitySchemes"] = {
            "token": {"type": "http", "scheme": "bearer", "description": "a personal API token"}}
        schema["security"] = [{"token": []}]
        app.state.api_schema = schema
    return app.state.api_schema
