"""What the trend charts mark: model promotions (``model_decisions``) and the hours whose data the
reconciliation found incomplete (``reconciliation``), within a range."""

from __future__ import annotations

from datetime import datetime

from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row


def promotions(warehouse: Warehouse, since: datetime, until: datetime) -> list[Row]:
    """(decided_at, candidate_version, current_version, reason) of every promotion in [since, until)."""
    return warehouse.query(
        "SELECT decided_at, candidate_version, current_version, reason FROM model_decisions WHERE promoted "
        "AND decided_at >= {since:DateTime64(3, 'UTC')} AND decided_at < {until:DateTime64(3, 'UTC')} "
        "ORDER BY decided_at", dict(since=since, until=until))


def incomplete_hours(warehouse: Warehouse, since: datetime, until: datetime) -> list[Row]:
    """(window_start, reasons) of every hour in [since, until) that a run's latest verdict calls incomplete."""
    return warehouse.query(
        "SELECT window_start, arraySort(groupUniqArray(reason)) AS reasons FROM reconciliation FINAL "
        "WHERE NOT complete AND window_start >= {since:DateTime64(3, 'UTC')} "
        "AND window_start < {until:DateTime64(3, 'UTC')} GROUP BY window_start ORDER BY window_start",
        dict(since=since, until=until))
