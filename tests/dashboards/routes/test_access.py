"""Who reaches what, checked over ``app.routes`` so that every route added later is covered too."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.paths import answers_json
from dashboards.route_table import routes
from tests.dashboards.conftest import csrf

# The only routes an anonymous visitor may use (static files are a mount, not a route).
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/healthz"), ("GET", "/readyz")}


def _requests(app: FastAPI, prefix: str = "/") -> list[tuple[str, str, str]]:
    """(method, route path, a concrete path) for every route under ``prefix``."""
    return [(method, route.path, re.sub(r"\{[^}]+\}", "1", route.path))
            for route in routes(app) if (route.path or "").startswith(prefix)
            for method in sorted((route.methods or set()) - {"HEAD"})]


def test_anonymous_visitors_reach_only_the_public_routes(app: FastAPI, client: TestClient) -> None:
    token = csrf(client)
    checked = 0
    for method, path, concrete in _requests(app):
        if (method, path) in PUBLIC:
            continue
        response = client.request(method, concrete, data=None if method == "GET" else {"csrf_token": token})
        if answers_json(path):
            assert response.status_code == 401, (method, path)
            assert response.headers["www-authenticate"] == "Bearer"
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login"), (method, path)
        checked += 1
    assert checked >= 10


def test_the_login_redirect_comes_back_to_the_page_asked_for(client: TestClient) -> None:
    assert client.get("/account?tab=1").headers["location"] == "/login?next=%2Faccount%3Ftab%3D1"


def test_htmx_requests_are_sent_to_the_login_page_whole(client: TestClient) -> None:
    response = client.get("/account", headers={"HX-Request": "true"})
    assert (response.status_code, response.headers["hx-redirect"]) == (401, "/login?next=%2Faccount")


@pytest.mark.parametrize("role", [Role.analyst, Role.reviewer])
def test_only_admins_reach_the_admin_pages(app: FastAPI, signed_in, role: Role) -> None:
    client = signed_in(role)
    token = csrf(client, "/account")
    requests = _requests(app, "/admin")
    assert requests
    for method, path, concrete in requests:
        response = client.request(method, concrete, data=None if method == "GET" else {"csrf_token": token})
        assert response.status_code == 403, (role, method, path)
    assert "Your role does not give access to this page." in client.get("/admin/users").text


@pytest.mark.warehouse  # the overview reads it
@pytest.mark.parametrize("role", list(Role))
def test_every_role_reaches_the_overview_account_and_api(signed_in, role: Role) -> None:
    client = signed_in(role)
    for path in ("/", "/account", "/api/docs", "/api/v1/me", "/api/v1/openapi.json"):
        assert client.get(path).status_code == 200, path
    assert (client.get("/admin/users").status_code == 200) == (role is Role.admin)


@pytest.mark.warehouse
def test_the_header_shows_only_what_the_role_may_use(signed_in) -> None:
    client = signed_in(Role.analyst)
    page = client.get("/").text
    assert 'href="/" aria-current="page">Overview<' in page
    assert 'href="/admin/users"' not in page
    assert 'href="/compare">Compare<' in page and 'href="/audit"' not in page  # the reviewers' pages are not theirs


@pytest.mark.warehouse
def test_the_admin_sees_the_admin_entry(signed_in) -> None:
    page = signed_in(Role.admin).get("/").text
    assert 'href="/admin/users">Users<' in page and 'href="/admin/system">System<' in page
