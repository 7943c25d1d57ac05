"""The session cookie: signed, HttpOnly, SameSite=Lax, Secure when asked or over HTTPS; server-side
sessions end at sign-out."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.app import create_app
from dashboards.security.session import COOKIE
from tests.dashboards.conftest import csrf, dashboards_settings, sign_in


def _cookie_header(client: TestClient) -> str:
    return client.get("/login").headers["set-cookie"]


def _replace_cookie(client: TestClient, value: str) -> None:
    client.cookies.clear()
    client.cookies.set(COOKIE, value, domain="testserver.local")


def test_the_cookie_is_httponly_and_samesite_lax(client: TestClient) -> None:
    header = _cookie_header(client)
    assert header.startswith(f"{COOKIE}=")
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header


def test_the_cookie_is_secure_when_configured_or_over_https(tmp_path: Path) -> None:
    app = create_app(dashboards_settings(tmp_path, secure_cookies=True))
    assert "Secure" in _cookie_header(TestClient(app, follow_redirects=False))
    https = TestClient(create_app(dashboards_settings(tmp_path)), base_url="https://testserver", follow_redirects=False)
    assert "Secure" in _cookie_header(https)


def test_a_tampered_cookie_is_an_anonymous_one(client: TestClient, make_user) -> None:
    make_user("ann")
    sign_in(client, "ann")
    value = client.cookies[COOKIE]
    assert client.get("/account").status_code == 200
    _replace_cookie(client, value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1])
    assert client.get("/").status_code == 303


def test_signing_in_renews_the_csrf_token(client: TestClient, make_user) -> None:
    make_user("ann")
    before = csrf(client)
    sign_in(client, "ann")
    assert csrf(client, "/account") != before


def test_sign_out_ends_the_session_even_for_a_copied_cookie(signed_in) -> None:
    client = signed_in(Role.analyst)
    copied = client.cookies[COOKIE]
    _replace_cookie(client, copied)
    assert client.get("/account").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf(client, "/account")})
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert client.get("/").status_code == 303
    _replace_cookie(client, copied)
    assert client.get("/").headers["location"] == "/login"
