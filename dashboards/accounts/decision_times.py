"""How long each decision took: from the moment its reviewer claimed the item to the decision.

``review_decisions`` in the warehouse says who decided what and when; only the dashboards know when
the item was claimed, so they keep this one number per decision here (the agreement page shows each
reviewer's median).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from dashboards.accounts.store import AccountStore


def record(store: AccountStore, decision_id: str, user_id: int, document_id: str,
           claimed_at: datetime, decided_at: datetime) -> None:
    with store.connect() as db:
        db.execute("INSERT OR IGNORE INTO decision_times (decision_id, user_id, document_id, claimed_at, decided_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   (decision_id, user_id, document_id, claimed_at.timestamp(), decided_at.timestamp()))


def seconds_by_reviewer(store: AccountStore) -> dict[str, list[float]]:
    """Each reviewer's decision times in seconds, by user name."""
    found: dict[str, list[float]] = defaultdict(list)
    with store.connect() as db:
        for row in db.execute("SELECT u.name, t.decided_at - t.claimed_at AS seconds FROM decision_times AS t "
                              "JOIN users AS u ON u.id = t.user_id ORDER BY t.decided_at"):
            found[row["name"]].append(max(0.0, row["seconds"]))
    return dict(found)
