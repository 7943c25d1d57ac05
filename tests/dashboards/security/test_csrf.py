"""Every state-changing request carries the session's CSRF token, or gets 403."""

from __future__ import annotations

import re

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.accounts.tokens import create_token
from dashboards.accounts.users import find_user
from dashboards.deps import CurrentUser
from dashboards.route_table import routes
from tests.dashboards.conftest import csrf

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def test_every_state_changing_route_refuses_a_request_without_the_token(app: FastAPI, signed_in) -> None:
    client = signed_in(Role.admin)
    checked = 0
    for route in routes(app):
        for method in sorted(UNSAFE & (route.methods or set())):
            path = re.sub(r"\{[^}]+\}", "1", route.path)
            for data in ({}, {"csrf_token": "forged"}):
                response = client.request(method, path, data=data)
                assert response.status_code == 403, (method, path, data, response.status_code)
            checked += 1
    assert checked >= 8


def test_the_token_is_accepted_as_form_field_or_header(signed_in) -> None:
    client = signed_in(Role.analyst)
    token = csrf(client, "/account")
    assert client.post("/account/tokens", data={"name": "a", "csrf_token": token}).status_code == 201
    assert client.post("/account/tokens", data={"name": "b"}, headers={"X-CSRF-Token": token}).status_code == 201


def test_api_requests_with_a_bearer_token_need_no_csrf_token(app: FastAPI, accounts, signed_in) -> None:
    router = APIRouter(prefix="/api/v1")

    @router.post("/echo")
    def echo(user: CurrentUser) -> dict[str, str]:
        return {"name": user.name}

    app.include_router(router)
    client = signed_in(Role.analyst)
    _, secret = create_token(accounts, find_user(accounts, "analyst").id, "t")  # type: ignore[union-attr]
    assert client.post("/api/v1/echo").status_code == 403  # the cookie alone: CSRF applies
    fresh = TestClient(app)
    assert fresh.post("/api/v1/echo", headers={"Authorization": f"Bearer {secret}"}).json() == {"name": "analyst"}
