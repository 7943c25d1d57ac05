"""Fixtures for the dashboards: an app on a fresh accounts database, users of each role, and clients
signed in as them. The warehouse is not opened unless a test asks for it (and is marked)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role, User
from dashboards.accounts.passwords import hash_password
from dashboards.accounts.store import AccountStore
from dashboards.accounts.users import add_user
from dashboards.app import create_app
from vigil.settings import Settings, load_settings

PASSWORD = "correct horse battery staple"
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def dashboards_settings(tmp_path: Path, **dashboards: object) -> Settings:
    """Settings whose accounts database is under ``tmp_path``; ``dashboards`` overrides that section."""
    return load_settings(dashboards={"accounts_path": tmp_path / "accounts.sqlite3", **dashboards})


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return create_app(dashboards_settings(tmp_path))


@pytest.fixture
def accounts(app: FastAPI) -> AccountStore:
    return app.state.accounts


@pytest.fixture
def make_user(accounts: AccountStore) -> Callable[..., User]:
    def make(name: str = "ann", role: Role = Role.analyst, password: str = PASSWORD) -> User:
        return add_user(accounts, name, role, hash_password(password))

    return make


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False)


def csrf(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of ``client``'s session, read from a page's form."""
    response = client.get(path)
    found = _CSRF_FIELD.search(response.text)
    assert found, f"no CSRF field on {path} ({response.status_code})"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"name": name, "password": password, "csrf_token": csrf(client)})
    assert response.status_code == 303, response.text


@pytest.fixture
def signed_in(client: TestClient, make_user: Callable[..., User]) -> Callable[[Role], TestClient]:
    """``signed_in(role)``: the client, signed in as a new user named after ``role``."""

    def as_role(role: Role) -> TestClient:
        make_user(role.value, role)
        sign_in(client, role.value)
        return client

    return as_role
