"""Admins list accounts, change roles, disable and enable them; never their own."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.accounts.users import find_user
from tests.dashboards.conftest import sign_in


def _csrf(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/users").text).group(1)


def test_the_list_shows_every_account_with_its_role(signed_in, make_user) -> None:
    make_user("bob", Role.reviewer)
    page = signed_in(Role.admin).get("/admin/users").text
    assert page.count('<tr id="user-') == 2
    assert re.search(r'<option value="reviewer" selected>Reviewer</option>', page)


def test_role_changes_and_disabling_take_effect_at_once(signed_in, make_user, accounts, app) -> None:
    bob = make_user("bob", Role.analyst)
    bob_client = TestClient(app, follow_redirects=False)
    sign_in(bob_client, "bob")
    assert bob_client.get("/admin/users").status_code == 403

    admin = signed_in(Role.admin)
    response = admin.post(f"/admin/users/{bob.id}/role", data={"role": "admin", "csrf_token": _csrf(admin)})
    assert (response.status_code, response.headers["location"]) == (303, "/admin/users")
    assert bob_client.get("/admin/users").status_code == 200

    admin.post(f"/admin/users/{bob.id}/disable", data={"csrf_token": _csrf(admin)})
    assert find_user(accounts, "bob").disabled
    assert bob_client.get("/").status_code == 303  # signed out
    admin.post(f"/admin/users/{bob.id}/enable", data={"csrf_token": _csrf(admin)})
    assert not find_user(accounts, "bob").disabled


def test_htmx_gets_the_changed_row_alone(signed_in, make_user) -> None:
    bob = make_user("bob", Role.analyst)
    admin = signed_in(Role.admin)
    response = admin.post(f"/admin/users/{bob.id}/disable",
                          headers={"HX-Request": "true", "X-CSRF-Token": _csrf(admin)})
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="user-{bob.id}" class="disabled">')
    assert f'action="/admin/users/{bob.id}/enable"' in response.text


def test_an_admin_cannot_demote_or_disable_themselves(signed_in, accounts) -> None:
    admin = signed_in(Role.admin)
    me = find_user(accounts, "admin")
    token = _csrf(admin)
    assert admin.post(f"/admin/users/{me.id}/role", data={"role": "analyst", "csrf_token": token}).status_code == 409
    assert admin.post(f"/admin/users/{me.id}/disable", data={"csrf_token": token}).status_code == 409
    assert find_user(accounts, "admin").role is Role.admin


def test_unknown_users_and_roles(signed_in) -> None:
    admin = signed_in(Role.admin)
    token = _csrf(admin)
    assert admin.post("/admin/users/999/disable", data={"csrf_token": token}).status_code == 404
    assert admin.post("/admin/users/1/role", data={"role": "king", "csrf_token": token}).status_code == 422
