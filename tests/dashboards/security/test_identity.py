"""Trusted-header single sign-on: off by default, and believed only from a trusted proxy."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.accounts.passwords import hash_password
from dashboards.accounts.users import add_user, set_disabled
from dashboards.app import create_app
from tests.dashboards.conftest import PASSWORD, dashboards_settings

HEADER = "X-Forwarded-User"


@pytest.fixture
def sso_app(tmp_path: Path) -> FastAPI:
    app = create_app(dashboards_settings(tmp_path, trusted_header=HEADER, trusted_proxies=["10.0.0.0/8", "::1"]))
    add_user(app.state.accounts, "ann", Role.reviewer, hash_password(PASSWORD))
    return app


def _get(app: FastAPI, address: str, path: str = "/", user: str = "ann"):
    client = TestClient(app, client=(address, 40000), follow_redirects=False)
    return client.get(path, headers={HEADER: user})


def test_the_header_signs_in_from_a_trusted_proxy(sso_app: FastAPI) -> None:
    response = _get(sso_app, "10.1.2.3", "/account")
    assert response.status_code == 200
    assert 'class="account-link">ann<' in response.text
    assert 'action="/logout"' not in response.text  # the proxy decides when a session ends
    assert _get(sso_app, "::1", "/api/v1/me").json()["role"] == "reviewer"


@pytest.mark.parametrize("address", ["192.168.1.5", "11.0.0.1", "testclient"])
def test_the_header_is_ignored_from_anywhere_else(sso_app: FastAPI, address: str) -> None:
    response = _get(sso_app, address)
    assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_an_unknown_or_disabled_name_is_refused(sso_app: FastAPI) -> None:
    assert _get(sso_app, "10.1.2.3", user="mallory").status_code == 403
    set_disabled(sso_app.state.accounts, 1, True)
    assert _get(sso_app, "10.1.2.3").status_code == 403


def test_the_header_means_nothing_when_the_mode_is_off(app: FastAPI, make_user) -> None:
    make_user("ann")
    assert _get(app, "10.1.2.3").status_code == 303


def test_a_bad_proxy_address_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="dashboards.trusted_proxies"):
        create_app(dashboards_settings(tmp_path, trusted_proxies=["not-an-address"]))
