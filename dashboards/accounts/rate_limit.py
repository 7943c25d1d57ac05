"""The sign-in rate limit: after ``limit`` failed sign-ins for one user name from one address within
``window_s`` seconds, further tries are refused until the oldest failure leaves the window."""

from __future__ import annotations

from dashboards.accounts.store import AccountStore, now


def is_limited(store: AccountStore, name: str, address: str, *, limit: int, window_s: int) -> bool:
    with store.connect() as db:
        failures = db.execute("SELECT count(*) FROM login_failures WHERE name = ? AND address = ? AND at > ?",
                              (name.casefold(), address, now() - window_s)).fetchone()[0]
    return failures >= limit


def record_failure(store: AccountStore, name: str, address: str, *, window_s: int) -> None:
    """Count one failed sign-in (and forget those that have left the window)."""
    at = now()
    with store.connect() as db:
        db.execute("DELETE FROM login_failures WHERE at <= ?", (at - window_s,))
        db.execute("INSERT INTO login_failures (name, address, at) VALUES (?, ?, ?)", (name.casefold(), address, at))


def clear_failures(store: AccountStore, name: str, address: str) -> None:
    """Forget the failures of a name and address that has just signed in."""
    with store.connect() as db:
        db.execute("DELETE FROM login_failures WHERE name = ? AND address = ?", (name.casefold(), address))
