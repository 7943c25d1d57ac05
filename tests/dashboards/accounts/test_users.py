"""Accounts in the dashboards' SQLite database."""

from __future__ import annotations

import pytest

from dashboards.accounts.models import Role
from dashboards.accounts.passwords import hash_password
from dashboards.accounts.sessions import session_user, start_session
from dashboards.accounts.store import AccountStore
from dashboards.accounts.users import (
    AccountError, find_user, get_user, list_users, set_disabled, set_password_hash, set_preferences, set_role,
)


def test_names_are_unique_whatever_their_case(make_user) -> None:
    make_user("Ann")
    with pytest.raises(AccountError, match="exists already"):
        make_user("ann")


def test_malformed_names_are_refused(make_user) -> None:
    with pytest.raises(AccountError, match="user name"):
        make_user("ann smith")


def test_roles_include_the_roles_below_them() -> None:
    assert Role.admin.includes(Role.reviewer) and Role.admin.includes(Role.analyst)
    assert Role.reviewer.includes(Role.analyst) and not Role.reviewer.includes(Role.admin)
    assert not Role.analyst.includes(Role.reviewer)


def test_role_preferences_and_listing(accounts: AccountStore, make_user) -> None:
    ann = make_user("ann", Role.analyst)
    make_user("bob", Role.reviewer)
    set_role(accounts, ann.id, Role.admin)
    set_preferences(accounts, ann.id, locale="ru", blur_media=False)
    changed = find_user(accounts, "ANN")
    assert changed is not None and (changed.role, changed.locale, changed.blur_media) == (Role.admin, "ru", False)
    assert [user.name for user in list_users(accounts)] == ["ann", "bob"]


def test_disabling_ends_the_users_sessions(accounts: AccountStore, make_user) -> None:
    ann = make_user()
    session_id = start_session(accounts, ann.id, 3600)
    assert session_user(accounts, session_id) is not None
    set_disabled(accounts, ann.id, True)
    assert session_user(accounts, session_id) is None
    set_disabled(accounts, ann.id, False)
    assert session_user(accounts, session_id) is None  # enabling again does not revive it
    assert get_user(accounts, ann.id).disabled is False  # type: ignore[union-attr]


def test_a_new_password_ends_the_users_sessions(accounts: AccountStore, make_user) -> None:
    ann = make_user()
    session_id = start_session(accounts, ann.id, 3600)
    set_password_hash(accounts, ann.id, hash_password("a new long password"))
    assert session_user(accounts, session_id) is None


def test_an_expired_session_has_no_user(accounts: AccountStore, make_user) -> None:
    ann = make_user()
    session_id = start_session(accounts, ann.id, -1)
    assert session_user(accounts, session_id) is None


def test_the_schema_is_created_once_and_kept(accounts: AccountStore, make_user) -> None:
    make_user()
    again = AccountStore(accounts.path)
    assert [user.name for user in list_users(again)] == ["ann"]
