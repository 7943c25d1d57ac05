"""The password check with its rate limit."""

from __future__ import annotations

import pytest

from dashboards.accounts.sign_in import SignInError, TooManyAttempts, sign_in
from dashboards.accounts.store import AccountStore
from dashboards.accounts.users import find_user, set_disabled
from tests.dashboards.conftest import PASSWORD
from vigil.settings import DashboardsSettings

LIMITS = DashboardsSettings(login_attempts=3, login_window_s=60)


def test_the_right_password_signs_in_and_notes_when(accounts: AccountStore, make_user) -> None:
    make_user("ann")
    assert sign_in(accounts, LIMITS, "ANN", PASSWORD, "10.0.0.1").name == "ann"
    assert find_user(accounts, "ann").last_sign_in_at is not None  # type: ignore[union-attr]


@pytest.mark.parametrize("name, password", [("ann", "wrong password!"), ("nobody", PASSWORD)])
def test_a_wrong_name_or_password_fails_alike(accounts: AccountStore, make_user, name: str, password: str) -> None:
    make_user("ann")
    with pytest.raises(SignInError):
        sign_in(accounts, LIMITS, name, password, "10.0.0.1")


def test_a_disabled_account_cannot_sign_in(accounts: AccountStore, make_user) -> None:
    ann = make_user("ann")
    set_disabled(accounts, ann.id, True)
    with pytest.raises(SignInError):
        sign_in(accounts, LIMITS, "ann", PASSWORD, "10.0.0.1")


def test_failures_per_name_and_address_are_limited(accounts: AccountStore, make_user) -> None:
    make_user("ann")
    for _ in range(LIMITS.login_attempts):
        with pytest.raises(SignInError):
            sign_in(accounts, LIMITS, "ann", "wrong password!", "10.0.0.1")
    with pytest.raises(TooManyAttempts):  # even with the right password
        sign_in(accounts, LIMITS, "Ann", PASSWORD, "10.0.0.1")
    assert sign_in(accounts, LIMITS, "ann", PASSWORD, "10.0.0.2").name == "ann"  # another address


def test_failures_leave_the_window(accounts: AccountStore, make_user) -> None:
    make_user("ann")
    instant = DashboardsSettings(login_attempts=1, login_window_s=1)
    with pytest.raises(SignInError):
        sign_in(accounts, instant, "ann", "wrong password!", "10.0.0.1")
    with accounts.connect() as db:
        db.execute("UPDATE login_failures SET at = at - 5")
    assert sign_in(accounts, instant, "ann", PASSWORD, "10.0.0.1").name == "ann"
