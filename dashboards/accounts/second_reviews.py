"""Second reviews: a sample of decisions goes, blind, to a second reviewer (``review.workflow`` picks
the sample; ``review.agreement`` compares the two decisions).

The second reviewer is an enabled reviewer or admin other than the first, the one with the fewest
open second reviews (ties broken at random); never the first reviewer (a CHECK constraint as well).
A document has at most one open second review. Until they decide, the second reviewer is *blind*:
the pages hide the document's earlier decisions from them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from dashboards.accounts.models import Role, to_datetime
from dashboards.accounts.store import AccountStore, now

DECIDERS = tuple(role.value for role in Role if role.includes(Role.reviewer))
_ASSIGN = f"""
INSERT INTO second_reviews (first_decision_id, document_id, first_reviewer_id, reviewer_id, assigned_at)
SELECT :decision_id, :document_id, :first, u.id, :at FROM users AS u
WHERE u.id != :first AND NOT u.disabled AND u.role IN ({", ".join(f"'{role}'" for role in DECIDERS)})
  AND NOT EXISTS (SELECT 1 FROM second_reviews WHERE document_id = :document_id AND completed_at IS NULL)
ORDER BY (SELECT count(*) FROM second_reviews AS s WHERE s.reviewer_id = u.id AND s.completed_at IS NULL), random()
LIMIT 1
ON CONFLICT DO NOTHING
"""


@dataclass(frozen=True)
class SecondReview:
    first_decision_id: str
    document_id: str
    first_reviewer_id: int
    reviewer_id: int
    assigned_at: datetime
    second_decision_id: str | None
    completed_at: datetime | None


def assign(store: AccountStore, document_id: str, first_decision_id: str, first_reviewer_id: int,
           at: float | None = None) -> SecondReview | None:
    """Send ``first_decision_id`` to a second reviewer; None when nobody else can review, or the
    document already has an open second review."""
    with store.connect() as db:
        db.execute(_ASSIGN, {"decision_id": first_decision_id, "document_id": document_id,
                             "first": first_reviewer_id, "at": now() if at is None else at})
        row = db.execute("SELECT * FROM second_reviews WHERE first_decision_id = ?", (first_decision_id,)).fetchone()
    return _review(row) if row else None


def open_for(store: AccountStore, reviewer_id: int) -> list[SecondReview]:
    """The second reviews waiting for ``reviewer_id``, oldest first."""
    with store.connect() as db:
        rows = db.execute("SELECT * FROM second_reviews WHERE reviewer_id = ? AND completed_at IS NULL "
                          "ORDER BY assigned_at, first_decision_id", (reviewer_id,))
        return [_review(row) for row in rows]


def blind_for(store: AccountStore, document_id: str, reviewer_id: int) -> SecondReview | None:
    """The open second review of ``document_id`` by ``reviewer_id``: while it is open, they are blind."""
    with store.connect() as db:
        row = db.execute("SELECT * FROM second_reviews WHERE document_id = ? AND reviewer_id = ? "
                         "AND completed_at IS NULL", (document_id, reviewer_id)).fetchone()
    return _review(row) if row else None


def complete(store: AccountStore, document_id: str, reviewer_id: int, decision_id: str,
             at: float | None = None) -> bool:
    """Record the second decision; False when ``reviewer_id`` had no open second review of the document."""
    with store.connect() as db:
        cursor = db.execute("UPDATE second_reviews SET second_decision_id = ?, completed_at = ? "
                            "WHERE document_id = ? AND reviewer_id = ? AND completed_at IS NULL",
                            (decision_id, now() if at is None else at, document_id, reviewer_id))
        return cursor.rowcount == 1


def completed(store: AccountStore) -> list[SecondReview]:
    """Every finished second review, oldest first."""
    with store.connect() as db:
        rows = db.execute("SELECT * FROM second_reviews WHERE completed_at IS NOT NULL ORDER BY completed_at")
        return [_review(row) for row in rows]


def _review(row: sqlite3.Row) -> SecondReview:
    return SecondReview(first_decision_id=row["first_decision_id"], document_id=row["document_id"],
                        first_reviewer_id=row["first_reviewer_id"], reviewer_id=row["reviewer_id"],
                        assigned_at=to_datetime(row["assigned_at"]),  # type: ignore[arg-type]
                        second_decision_id=row["second_decision_id"], completed_at=to_datetime(row["completed_at"]))


def open_count(store: AccountStore) -> int:
    """Second reviews assigned and not yet decided, everyone's."""
    with store.connect() as db:
        return db.execute("SELECT count(*) FROM second_reviews WHERE completed_at IS NULL").fetchone()[0]
