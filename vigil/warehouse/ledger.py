"""The run ledger: what each stage says it handled, per crawl run and hour.

Reconciliation compares the claims of consecutive stages (crawled, published,
stored, classified, dead-lettered), each recorded by the stage itself after
its write succeeded, so a batch lost between two stages shows up as an
incomplete window instead of a quiet dip in a trend. Hours are those of the
documents' ``fetched_at``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timezone

from vigil.timeutil import hour_number
from vigil.warehouse.base import Warehouse

STAGES = ("crawled", "published", "stored", "classified", "dead_lettered")


def record_counts(warehouse: Warehouse, stage: str, items: Iterable[tuple[str, datetime]]) -> int:
    """Record one ``stage`` count per (run id, hour) of ``items`` (each a run id and a moment)."""
    # Counted by the hour's number since the epoch, and each distinct hour turned into a datetime once: a
    # batch of thousands of documents spans a few hours, and this runs for every batch of every stage.
    by_number = Counter(
        (run_id, int(moment.timestamp() // 3600) if moment.tzinfo else hour_number(moment))
        for run_id, moment in items)
    return record_tally(warehouse, stage, Counter({
        (run_id, datetime.fromtimestamp(number * 3600, timezone.utc)): n for (run_id, number), n in by_number.items()}))


def record_tally(warehouse: Warehouse, stage: str, counts: Counter[tuple[str, datetime]]) -> int:
    """Record ``counts`` (documents per run id and hour) as ``stage``; the only writer of ``pipeline_counts``."""
    if stage not in STAGES:
        raise ValueError(f"unknown ledger stage {stage!r}; one of {STAGES}")
    rows = [{"run_id": run_id, "hour": hour, "stage": stage, "count": n} for (run_id, hour), n in counts.items()]
    if rows:
        warehouse.insert("pipeline_counts", rows)
    return sum(counts.values())
