"""The login form: sign in, wrong passwords, the rate limit, sign out."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.dashboards.conftest import PASSWORD, csrf


def _login(client: TestClient, name: str, password: str, next: str = "/"):
    return client.post("/login", data={"name": name, "password": password, "next": next, "csrf_token": csrf(client)})


def test_signing_in_goes_to_the_page_asked_for(client: TestClient, make_user) -> None:
    make_user("ann")
    response = _login(client, "ann", PASSWORD, next="/account")
    assert (response.status_code, response.headers["location"]) == (303, "/account")
    assert client.get("/account").status_code == 200
    assert client.get("/login").headers["location"] == "/"  # signed in already


def test_next_never_leads_off_the_site(client: TestClient, make_user) -> None:
    make_user("ann")
    assert _login(client, "ann", PASSWORD, next="https://evil.example/").headers["location"] == "/"


def test_a_wrong_password_shows_the_form_again(client: TestClient, make_user) -> None:
    make_user("ann")
    response = _login(client, "ann", "wrong password!")
    assert response.status_code == 401
    assert "Wrong user name or password." in response.text and 'value="ann"' in response.text
    assert client.get("/").status_code == 303


def test_too_many_failures_get_429(client: TestClient, make_user) -> None:
    make_user("ann")
    for _ in range(5):
        assert _login(client, "ann", "wrong password!").status_code == 401
    response = _login(client, "ann", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert client.get("/").status_code == 303


def test_signing_out_clears_the_session(client: TestClient, make_user) -> None:
    make_user("ann")
    _login(client, "ann", PASSWORD)
    response = client.post("/logout", data={"csrf_token": csrf(client, "/account")})
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    assert client.get("/").status_code == 303
    assert client.get("/api/v1/me").status_code == 401
