"""Security headers on every response: pages, static files, errors, the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dashboards.security.headers import CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/login", "/", "/static/css/app.css", "/no-such-page", "/api/v1/me", "/healthz"])
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_the_policy_allows_nothing_inline_or_from_elsewhere() -> None:
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_pages_are_not_cached_but_static_files_may_be(client: TestClient) -> None:
    assert client.get("/login").headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/css/app.css").headers.get("cache-control", "")
