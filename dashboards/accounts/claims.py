"""Claims: one reviewer per queue item at a time, for ``dashboards.claim_minutes``.

Opening an item claims it. A claim is free to take when there is none, when its holder is the one
asking (which renews it), when it has expired, or when its holder has decided: after a decision the
claim stays, marked decided, until it expires, only to keep the item out of everyone's queue while
the decision travels to the warehouse (through Kafka in distributed mode).

Taking a claim is one conditional upsert (:data:`_TAKE`): SQLite runs it atomically, so of two
reviewers racing for a free item exactly one inserts or changes the row; the other's condition fails.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from dashboards.accounts.models import to_datetime
from dashboards.accounts.store import AccountStore, now

_TAKE = """
INSERT INTO claims (document_id, user_id, claimed_at, expires_at) VALUES (:document_id, :user_id, :at, :until)
ON CONFLICT (document_id) DO UPDATE SET
    claimed_at = CASE WHEN claims.user_id = excluded.user_id AND claims.expires_at > excluded.claimed_at
                      AND claims.decided_at IS NULL THEN claims.claimed_at ELSE excluded.claimed_at END,
    user_id = excluded.user_id, expires_at = excluded.expires_at, decided_at = NULL
WHERE claims.user_id = excluded.user_id OR claims.expires_at <= excluded.claimed_at OR claims.decided_at IS NOT NULL
"""
_SELECT = ("SELECT c.*, u.name AS user_name FROM claims AS c JOIN users AS u ON u.id = c.user_id "
           "WHERE c.document_id = ? AND c.expires_at > ?")


@dataclass(frozen=True)
class Claim:
    document_id: str
    user_id: int
    user_name: str
    claimed_at: datetime
    expires_at: datetime
    decided_at: datetime | None  # set once its holder decided; the claim then only hides the item


def claim(store: AccountStore, document_id: str, user_id: int, minutes: int, at: float | None = None) -> Claim:
    """Take (or renew) the claim on ``document_id`` for ``user_id`` if it is free; return whoever holds
    it now: ``user_id`` when taken, else the other reviewer."""
    at = now() if at is None else at
    with store.connect() as db:
        db.execute(_TAKE, {"document_id": document_id, "user_id": user_id, "at": at, "until": at + minutes * 60})
        holder = db.execute(_SELECT, (document_id, at)).fetchone()
    return _claim(holder)


def current(store: AccountStore, document_id: str, at: float | None = None) -> Claim | None:
    """The live claim on ``document_id``, or None."""
    with store.connect() as db:
        row = db.execute(_SELECT, (document_id, now() if at is None else at)).fetchone()
    return _claim(row) if row else None


def release(store: AccountStore, document_id: str, user_id: int) -> bool:
    """Give up ``user_id``'s undecided claim on ``document_id``; False when they held none."""
    with store.connect() as db:
        cursor = db.execute("DELETE FROM claims WHERE document_id = ? AND user_id = ? AND decided_at IS NULL",
                            (document_id, user_id))
        return cursor.rowcount == 1


def mark_decided(store: AccountStore, document_id: str, user_id: int, minutes: int,
                 at: float | None = None) -> Claim | None:
    """Note that ``user_id`` decided their claimed item: it stays hidden from the queue for ``minutes``.
    Return the claim as it was taken (its ``claimed_at`` times the decision), None without one."""
    at = now() if at is None else at
    with store.connect() as db:
        row = db.execute(_SELECT + " AND c.user_id = ? AND c.decided_at IS NULL", (document_id, at, user_id)).fetchone()
        if row is None:
            return None
        db.execute("UPDATE claims SET decided_at = ?, expires_at = ? WHERE document_id = ?",
                   (at, at + minutes * 60, document_id))
    return _claim(row)


def hidden_from(store: AccountStore, user_id: int, at: float | None = None) -> list[str]:
    """Documents the queue does not offer ``user_id``: others' live claims, and every recently decided one."""
    with store.connect() as db:
        rows = db.execute("SELECT document_id FROM claims WHERE expires_at > ? AND (user_id != ? OR decided_at IS NOT NULL)",
                          (now() if at is None else at, user_id))
        return sorted(row["document_id"] for row in rows)


def _claim(row: sqlite3.Row) -> Claim:
    return Claim(document_id=row["document_id"], user_id=row["user_id"], user_name=row["user_name"],
                 claimed_at=to_datetime(row["claimed_at"]),  # type: ignore[arg-type]
                 expires_at=to_datetime(row["expires_at"]),  # type: ignore[arg-type]
                 decided_at=to_datetime(row["decided_at"]))
