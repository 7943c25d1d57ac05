"""User accounts: add, find, list; change role, password, preferences; disable and enable."""

from __future__ import annotations

import re
import sqlite3

from dashboards.accounts.models import Role, User, to_datetime
from dashboards.accounts.store import AccountStore, now

NAME = re.compile(r"[\w.@+-]{1,64}")


class AccountError(ValueError):
    """A change to accounts that cannot be made; the message says why."""


def add_user(store: AccountStore, name: str, role: Role, password_hash: str) -> User:
    """Create an enabled account; refuse a name that is taken (case-insensitively) or malformed."""
    if not NAME.fullmatch(name):
        raise AccountError(f"user name {name!r}: use 1 to 64 letters, digits and . _ @ + -")
    try:
        with store.connect() as db:
            cursor = db.execute("INSERT INTO users (name, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                                (name, password_hash, role.value, now()))
    except sqlite3.IntegrityError:
        raise AccountError(f"user {name!r} exists already") from None
    return get_user(store, cursor.lastrowid)  # type: ignore[arg-type, return-value]


def get_user(store: AccountStore, user_id: int) -> User | None:
    with store.connect() as db:
        row = db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    return _user(row) if row else None


def find_user(store: AccountStore, name: str) -> User | None:
    """The account named ``name`` (case-insensitively), disabled or not."""
    found = credentials(store, name)
    return found[0] if found else None


def credentials(store: AccountStore, name: str) -> tuple[User, str] | None:
    """The account named ``name`` and its stored password hash, for the sign-in check only."""
    with store.connect() as db:
        row = db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    return (_user(row), row["password_hash"]) if row else None


def list_users(store: AccountStore) -> list[User]:
    with store.connect() as db:
        return [_user(row) for row in db.execute("SELECT * FROM users ORDER BY name COLLATE NOCASE")]


def set_role(store: AccountStore, user_id: int, role: Role) -> None:
    _update(store, user_id, "role = ?", role.value)


def set_disabled(store: AccountStore, user_id: int, disabled: bool) -> None:
    """Disable (or enable again) an account; disabling ends its sessions. Its tokens stop working
    while it is disabled, since every token check reads the account."""
    _update(store, user_id, "disabled = ?", int(disabled))
    if disabled:
        with store.connect() as db:
            db.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))


def set_password_hash(store: AccountStore, user_id: int, password_hash: str) -> None:
    """Replace an account's password (hashed by the caller); its sessions end."""
    _update(store, user_id, "password_hash = ?", password_hash)
    with store.connect() as db:
        db.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))


def set_preferences(store: AccountStore, user_id: int, *, locale: str | None, blur_media: bool) -> None:
    with store.connect() as db:
        db.execute("UPDATE users SET locale = ?, blur_media = ? WHERE id = ?", (locale, int(blur_media), user_id))


def set_locale(store: AccountStore, user_id: int, locale: str) -> None:
    _update(store, user_id, "locale = ?", locale)


def record_sign_in(store: AccountStore, user_id: int, new_hash: str | None = None) -> None:
    """Note a successful sign-in; store ``new_hash`` when the old one needed rehashing."""
    with store.connect() as db:
        db.execute("UPDATE users SET last_sign_in_at = ?, password_hash = coalesce(?, password_hash) WHERE id = ?",
                   (now(), new_hash, user_id))


def _update(store: AccountStore, user_id: int, assignment: str, value: object) -> None:
    with store.connect() as db:
        if db.execute(f"UPDATE users SET {assignment} WHERE id = ?", (value, user_id)).rowcount != 1:
            raise AccountError(f"no user with id {user_id}")


def _user(row: sqlite3.Row) -> User:
    return User(id=row["id"], name=row["name"], role=Role(row["role"]), locale=row["locale"],
                blur_media=bool(row["blur_media"]), disabled=bool(row["disabled"]),
                created_at=to_datetime(row["created_at"]),  # type: ignore[arg-type]
                last_sign_in_at=to_datetime(row["last_sign_in_at"]))
