"""Personal API tokens: a random secret shown once, stored as its sha256, sent as ``Authorization:
Bearer <secret>``. A token acts as its user with the user's current role; revoking it, or disabling
the user, stops it at once."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3

from dashboards.accounts.models import ApiToken, User, to_datetime
from dashboards.accounts.store import AccountStore, now
from dashboards.accounts.users import get_user

PREFIX = "vgl_"
NAME_MAX = 80


def create_token(store: AccountStore, user_id: int, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user_id`` named ``name``; return it and its secret (never stored)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    with store.connect() as db:
        cursor = db.execute(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
            (user_id, name.strip()[:NAME_MAX] or "token", _digest(secret), secret[:len(PREFIX) + 4], now()))
        row = db.execute("SELECT * FROM api_tokens WHERE id = ?", (cursor.lastrowid,)).fetchone()
    return _token(row), secret


def list_tokens(store: AccountStore, user_id: int) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included."""
    with store.connect() as db:
        rows = db.execute("SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC",
                          (user_id,))
        return [_token(row) for row in rows]


def revoke_token(store: AccountStore, user_id: int, token_id: int) -> bool:
    """Revoke one of ``user_id``'s own tokens; False when it has no such live token."""
    with store.connect() as db:
        cursor = db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                            (now(), token_id, user_id))
        return cursor.rowcount == 1


def token_user(store: AccountStore, secret: str) -> User | None:
    """The enabled user a live token belongs to (and note its use); None for anything else."""
    with store.connect() as db:
        row = db.execute("SELECT id, user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                         (_digest(secret),)).fetchone()
        if row is not None:
            db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (now(), row["id"]))
    user = get_user(store, row["user_id"]) if row else None
    return user if user is not None and not user.disabled else None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _token(row: sqlite3.Row) -> ApiToken:
    return ApiToken(id=row["id"], user_id=row["user_id"], name=row["name"], prefix=row["prefix"],
                    created_at=to_datetime(row["created_at"]),  # type: ignore[arg-type]
                    last_used_at=to_datetime(row["last_used_at"]), revoked_at=to_datetime(row["revoked_at"]))
