"""Sign-in sessions, kept server-side so that signing out, or disabling an account, ends them at once.

The browser holds only a random session id inside the signed session cookie; the database keeps
its sha256, the user and the expiry (``dashboards.session_max_age_s`` after sign-in).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from dashboards.accounts.models import User, to_datetime
from dashboards.accounts.store import AccountStore, now
from dashboards.accounts.users import get_user


def start_session(store: AccountStore, user_id: int, max_age_s: int) -> str:
    """Open a session for ``user_id``; return its id (secret: it goes into the signed cookie only)."""
    session_id = secrets.token_urlsafe(32)
    started = now()
    with store.connect() as db:
        db.execute("DELETE FROM sessions WHERE expires_at < ?", (started,))
        db.execute("INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   (_digest(session_id), user_id, started, started + max_age_s))
    return session_id


def session_user(store: AccountStore, session_id: str) -> tuple[User, datetime] | None:
    """The enabled user of an unexpired session, and when it started; None otherwise."""
    with store.connect() as db:
        row = db.execute("SELECT user_id, created_at FROM sessions WHERE id_hash = ? AND expires_at > ?",
                         (_digest(session_id), now())).fetchone()
    user = get_user(store, row["user_id"]) if row else None
    if user is None or user.disabled:
        return None
    return user, to_datetime(row["created_at"])  # type: ignore[return-value]


def end_session(store: AccountStore, session_id: str) -> None:
    with store.connect() as db:
        db.execute("DELETE FROM sessions WHERE id_hash = ?", (_digest(session_id),))


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()
