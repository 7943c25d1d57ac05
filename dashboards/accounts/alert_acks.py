"""Alert acknowledgements: an analyst marks a spike alert as seen, with an optional note; who and when
are stored in the accounts database. The first acknowledgement stands (a second one changes nothing)."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from dashboards.accounts.models import to_datetime
from dashboards.accounts.store import AccountStore, now

NOTE_MAX = 500
_SELECT = ("SELECT a.alert_id, a.note, a.acknowledged_at, u.name AS user_name FROM alert_acks AS a "
           "JOIN users AS u ON u.id = a.user_id")


@dataclass(frozen=True)
class Acknowledgement:
    alert_id: str
    user_name: str
    acknowledged_at: datetime
    note: str


def acknowledge(store: AccountStore, alert_id: str, user_id: int, note: str = "") -> Acknowledgement:
    """Acknowledge ``alert_id`` as ``user_id``, unless it is already; return the acknowledgement that stands."""
    with store.connect() as db:
        db.execute("INSERT INTO alert_acks (alert_id, user_id, note, acknowledged_at) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (alert_id) DO NOTHING", (alert_id, user_id, note.strip()[:NOTE_MAX], now()))
        row = db.execute(f"{_SELECT} WHERE a.alert_id = ?", (alert_id,)).fetchone()
    return _acknowledgement(row)


def acknowledgements(store: AccountStore, alert_ids: Collection[str]) -> dict[str, Acknowledgement]:
    """The acknowledgements of those of ``alert_ids`` that have one (at most a few hundred ids: one
    bound parameter each)."""
    if not alert_ids:
        return {}
    wanted = sorted(set(alert_ids))
    with store.connect() as db:
        rows = db.execute(f"{_SELECT} WHERE a.alert_id IN ({', '.join('?' * len(wanted))})", wanted).fetchall()
    return {row["alert_id"]: _acknowledgement(row) for row in rows}


def _acknowledgement(row: sqlite3.Row) -> Acknowledgement:
    return Acknowledgement(alert_id=row["alert_id"], user_name=row["user_name"],
                           acknowledged_at=to_datetime(row["acknowledged_at"]),  # type: ignore[arg-type]
                           note=row["note"])
