"""The account page: preferences, the language switch, API tokens (with and without htmx)."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.accounts.users import find_user, set_role

SECRET = re.compile(r'<code class="secret">(vgl_[^<]+)</code>')


def test_preferences_are_stored(signed_in, accounts) -> None:
    client = signed_in(Role.reviewer)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
    response = client.post("/account/preferences", data={"locale": "ru", "csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (303, "/account")
    user = find_user(accounts, "reviewer")
    assert user.locale == "ru" and user.blur_media is False  # unchecked box
    client.post("/account/preferences", data={"locale": "", "blur_media": "true", "csrf_token": token})
    user = find_user(accounts, "reviewer")
    assert user.locale is None and user.blur_media is True


def test_an_unknown_language_is_refused(signed_in) -> None:
    client = signed_in(Role.analyst)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
    assert client.post("/account/language", data={"locale": "xx", "csrf_token": token}).status_code == 400


def _csrf(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)


def test_a_token_is_shown_once_works_as_its_user_and_stops_when_revoked(app: FastAPI, accounts, signed_in) -> None:
    client = signed_in(Role.reviewer)
    created = client.post("/account/tokens", data={"name": "nightly export", "csrf_token": _csrf(client)})
    assert created.status_code == 201
    secret = SECRET.search(created.text).group(1)
    page = client.get("/account").text
    assert "nightly export" in page and secret not in page  # shown once

    api = TestClient(app)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/me", headers=bearer).json() == {"name": "reviewer", "role": "reviewer", "locale": None}
    set_role(accounts, find_user(accounts, "reviewer").id, Role.admin)
    assert api.get("/api/v1/me", headers=bearer).json()["role"] == "admin"  # the user's role, as it is now
    assert api.get("/account", headers=bearer, follow_redirects=False).status_code == 303  # API only

    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', page).group(1)
    revoked = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": _csrf(client)})
    assert (revoked.status_code, revoked.headers["location"]) == (303, "/account")
    assert api.get("/api/v1/me", headers=bearer).status_code == 401
    assert client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": _csrf(client)}).status_code == 404


def test_htmx_gets_the_tokens_component_alone(signed_in) -> None:
    client = signed_in(Role.analyst)
    headers = {"HX-Request": "true", "X-CSRF-Token": _csrf(client)}
    response = client.post("/account/tokens", data={"name": "t"}, headers=headers)
    assert response.status_code == 201
    assert response.text.lstrip().startswith('<section class="card" id="api-tokens">')
    assert "<html" not in response.text and SECRET.search(response.text)
    token_id = re.search(r'/account/tokens/(\d+)/revoke', response.text).group(1)
    revoked = client.post(f"/account/tokens/{token_id}/revoke", headers=headers)
    assert revoked.status_code == 200 and "revoked" in revoked.text and "<html" not in revoked.text


def test_someone_elses_token_cannot_be_revoked(app: FastAPI, signed_in, make_user, accounts) -> None:
    from dashboards.accounts.tokens import create_token

    other = make_user("bob")
    token, _ = create_token(accounts, other.id, "bob's")
    client = signed_in(Role.admin)
    assert client.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": _csrf(client)}).status_code == 404
