"""Passwords are stored as Argon2id hashes, never as themselves."""

from __future__ import annotations

import pytest

from dashboards.accounts.models import Role
from dashboards.accounts.passwords import MIN_LENGTH, WeakPassword, hash_password, rehashed, verify_password
from dashboards.accounts.store import AccountStore
from dashboards.accounts.users import credentials
from tests.dashboards.conftest import PASSWORD


def test_the_stored_hash_is_argon2id_and_never_the_password(accounts: AccountStore, make_user) -> None:
    make_user("ann", Role.analyst)
    with accounts.connect() as db:
        stored = db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PASSWORD.encode() not in accounts.path.read_bytes()
    found = credentials(accounts, "ann")
    assert found is not None and found[1] == stored


def test_verify_accepts_the_password_only() -> None:
    stored = hash_password(PASSWORD)
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, PASSWORD + "x")
    assert not verify_password("not a hash", PASSWORD)
    assert rehashed(stored, PASSWORD) is None  # made with today's parameters


def test_short_passwords_are_refused() -> None:
    with pytest.raises(WeakPassword):
        hash_password("x" * (MIN_LENGTH - 1))
