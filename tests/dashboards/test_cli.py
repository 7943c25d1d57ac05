"""`vigil users add|list|set-role|disable|enable` and `vigil serve` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboards.accounts.models import Role
from dashboards.accounts.passwords import verify_password
from dashboards.accounts.store import AccountStore
from dashboards.accounts.users import credentials, find_user
from tests.dashboards.conftest import PASSWORD
from vigil.cli import app


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "accounts.sqlite3"


def vigil(database: Path, *args: str, password: str | None = PASSWORD, input: str | None = None):
    env = {"VIGIL_DASHBOARDS__ACCOUNTS_PATH": str(database), "VIGIL_PASSWORD": password or ""}
    return CliRunner().invoke(app, list(args), env=env, input=input)


def test_add_list_set_role_disable_enable(database: Path) -> None:
    result = vigil(database, "users", "add", "ann", "--role", "reviewer")
    assert (result.exit_code, result.output.strip()) == (0, "added ann (reviewer)")
    store = AccountStore(database)
    found = credentials(store, "ann")
    assert found is not None and found[1].startswith("$argon2id$") and verify_password(found[1], PASSWORD)

    listed = vigil(database, "users", "list")
    assert listed.exit_code == 0 and "ann" in listed.output and "reviewer" in listed.output

    assert vigil(database, "users", "set-role", "ann", "admin").exit_code == 0
    assert find_user(store, "ann").role is Role.admin  # type: ignore[union-attr]
    assert vigil(database, "users", "disable", "ann").exit_code == 0
    assert find_user(store, "ann").disabled  # type: ignore[union-attr]
    assert "disabled" in vigil(database, "users", "list").output
    assert vigil(database, "users", "enable", "ann").exit_code == 0
    assert not find_user(store, "ann").disabled  # type: ignore[union-attr]


def test_set_password_replaces_the_password(database: Path) -> None:
    vigil(database, "users", "add", "ann", "--role", "analyst")
    result = vigil(database, "users", "set-password", "ann", password="another long password")
    assert result.exit_code == 0, result.output
    found = credentials(AccountStore(database), "ann")
    assert found is not None and verify_password(found[1], "another long password")
    assert not verify_password(found[1], PASSWORD)


def test_the_database_is_readable_by_its_owner_only(database: Path) -> None:
    vigil(database, "users", "add", "ann", "--role", "analyst")
    assert database.stat().st_mode & 0o077 == 0


def test_the_password_is_asked_for_twice_without_vigil_password(database: Path) -> None:
    result = vigil(database, "users", "add", "bob", "--role", "analyst", password=None,
                   input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden
    found = credentials(AccountStore(database), "bob")
    assert found is not None and verify_password(found[1], PASSWORD)


@pytest.mark.parametrize("args, password, message", [
    (("users", "add", "ann", "--role", "analyst"), "short", "at least"),
    (("users", "add", "ann smith", "--role", "analyst"), PASSWORD, "user name"),
    (("users", "set-role", "nobody", "admin"), PASSWORD, "no user named 'nobody'"),
    (("users", "disable", "nobody"), PASSWORD, "no user named 'nobody'"),
])
def test_mistakes_exit_2_with_a_reason(database: Path, args: tuple[str, ...], password: str, message: str) -> None:
    result = vigil(database, *args, password=password)
    assert result.exit_code == 2 and message in result.output


def test_a_taken_name_exits_2(database: Path) -> None:
    vigil(database, "users", "add", "ann", "--role", "analyst")
    result = vigil(database, "users", "add", "ANN", "--role", "admin")
    assert result.exit_code == 2 and "exists already" in result.output


def test_an_unknown_role_is_refused(database: Path) -> None:
    assert vigil(database, "users", "add", "ann", "--role", "king").exit_code == 2


def test_serve_is_a_command_with_host_and_port(database: Path) -> None:
    result = vigil(database, "serve", "--help")
    assert result.exit_code == 0 and "--host" in result.output and "--port" in result.output


def test_serve_refuses_a_bad_trusted_proxy(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_DASHBOARDS__TRUSTED_PROXIES", '["10.0.0.300"]')
    result = vigil(database, "serve")
    assert result.exit_code == 2 and "dashboards.trusted_proxies" in result.output
