"""Fixtures for the dashboards: an app on a fresh accounts database, users of each role, and clients
signed in as them; for the browser tests, the app served on 127.0.0.1, headless chromium and the
screenshots' folder (``browser.py``). The warehouse is not opened unless a test asks for it (and is marked)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
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
def app(request: pytest.FixtureRequest, tmp_path: Path) -> FastAPI:
    """The app on a fresh accounts database; a test marked ``warehouse`` gets the session warehouse
    (emptied) behind it, so pages that read the warehouse answer, and its own home (decisions taken
    in embedded mode add to the known-content bank under it)."""
    if request.node.get_closest_marker("warehouse") is None:
        return create_app(dashboards_settings(tmp_path))
    warehouse = request.getfixturevalue("warehouse")
    return create_app(load_settings(home=tmp_path, dashboards={"accounts_path": tmp_path / "accounts.sqlite3"},
                                    warehouse={"path": warehouse.path, "database": warehouse.database}))


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


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    """The app served on a free port of 127.0.0.1 (its base URL); a browser test marks itself ``browser``."""
    from tests.dashboards.browser import served

    with served(app) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[object]:
    """Headless chromium logging its console and network (``browser.chromium``)."""
    from tests.dashboards.browser import chromium

    with chromium() as chrome:
        yield chrome


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save screenshots: ``$VIGIL_TEST_ARTIFACTS``, else ``<pytest tmp>/screenshots``."""
    from tests.dashboards.browser import screenshots_dir

    return screenshots_dir(tmp_path_factory)
