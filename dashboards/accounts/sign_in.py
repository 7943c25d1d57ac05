"""The password check behind the login form, with the rate limit and rehashing."""

from __future__ import annotations

from dashboards.accounts import passwords, rate_limit
from dashboards.accounts.models import User
from dashboards.accounts.store import AccountStore
from dashboards.accounts.users import credentials, record_sign_in
from vigil.settings import DashboardsSettings


class SignInError(Exception):
    """The name and password do not open an enabled account (the message never says which)."""


class TooManyAttempts(Exception):
    """The rate limit refuses this name from this address for now."""


def sign_in(store: AccountStore, settings: DashboardsSettings, name: str, password: str, address: str) -> User:
    """The enabled account ``name`` if ``password`` is its password; record failures against the limit.

    Raises :class:`TooManyAttempts` before checking anything once the limit is reached, and
    :class:`SignInError` for an unknown name, a wrong password or a disabled account alike.
    """
    if rate_limit.is_limited(store, name, address, limit=settings.login_attempts, window_s=settings.login_window_s):
        raise TooManyAttempts(name)
    found = credentials(store, name)
    if found is None:
        passwords.waste_time(password)
    ok = found is not None and passwords.verify_password(found[1], password)
    if not ok or found is None or found[0].disabled:
        rate_limit.record_failure(store, name, address, window_s=settings.login_window_s)
        raise SignInError(name)
    user, stored = found
    rate_limit.clear_failures(store, name, address)
    record_sign_in(store, user.id, passwords.rehashed(stored, password))
    return user
