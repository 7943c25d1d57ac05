"""Crawling as the flows see it: which sources are due, one crawl per source, its run recorded.

The crawler itself is :func:`crawlers.run.crawl`; this module decides when a
source is due (its last finished run is older than the crawl interval), wraps
the crawl's output so the ledger learns how many documents were published per
run and hour, and records each source's stats (or its failure) in ``crawl_runs``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from crawlers.outputs import DocumentOutput
from vigil.schemas import Document
from vigil.timeutil import hour_of
from vigil.warehouse import Warehouse
from vigil.warehouse.ledger import record_tally


@dataclass
class LedgerOutput:
    """Forwards documents to ``inner`` and records them in the run ledger at each flush: as
    ``crawled`` before the flush and as ``published`` once it succeeded, so a flush that fails
    leaves crawled > published and reconciliation flags the window."""

    inner: DocumentOutput
    warehouse: Warehouse
    sent: Counter = field(default_factory=Counter)
    total: int = 0

    def send(self, document: Document) -> None:
        self.inner.send(document)
        self.sent[(document.crawl_run_id or "", hour_of(document.fetched_at))] += 1

    def flush(self) -> None:
        batch, self.sent = self.sent, Counter()
        record_tally(self.warehouse, "crawled", batch)
        self.inner.flush()  # if this raises, the batch stays crawled and never published
        record_tally(self.warehouse, "published", batch)
        self.total += sum(batch.values())


def record_sources(warehouse: Warehouse, sources: Sequence[Any], interval_minutes: int) -> int:
    """Snapshot the registry into ``sources`` (the latest snapshot per id wins)."""
    return warehouse.insert("sources", [
        {"source_id": s.id, "kind": s.kind, "url": s.start_urls[0], "enabled": s.enabled,
         "interval_minutes": getattr(s, "interval_minutes", None) or interval_minutes,
         "config": s.model_dump_json()}
        for s in sources
    ])


def last_finished(warehouse: Warehouse) -> dict[str, datetime]:
    rows = warehouse.query(
        "SELECT source_id, max(finished_at) AS last FROM crawl_runs FINAL "
        "WHERE status = 'ok' AND finished_at IS NOT NULL GROUP BY source_id"
    )
    return {r["source_id"]: r["last"] for r in rows}


def due_sources(warehouse: Warehouse, sources: Sequence[Any], now: datetime, interval_minutes: int) -> list[Any]:
    """Sources never crawled successfully, or whose last good run finished an interval ago (the
    source's own ``interval_minutes`` if it sets one, else ``interval_minutes``)."""
    last = last_finished(warehouse)

    def cutoff(source: Any) -> datetime:
        return now - timedelta(minutes=getattr(source, "interval_minutes", None) or interval_minutes)

    return [s for s in sources if s.id not in last or last[s.id] <= cutoff(s)]


def run_row(run_id: str, source_id: str, started_at: datetime, stats: Any | None, error: str = "") -> dict:
    """The ``crawl_runs`` row of one source's crawl (``stats``: crawlers.report.SourceStats or None)."""
    data = stats.as_dict() if stats is not None else {}
    errors = sum((data.get("errors") or {}).values())
    return {
        "run_id": run_id, "source_id": source_id, "started_at": started_at,
        "finished_at": datetime.now(timezone.utc), "status": "failed" if error else "ok",
        "crawled": int(data.get("documents_new", 0) + data.get("documents_changed", 0)
                       + data.get("documents_unchanged", 0) + data.get("documents_duplicate", 0)),
        "published": int(data.get("documents_published", 0)),
        "dropped": int(data.get("documents_duplicate", 0)) + sum((data.get("skipped") or {}).values()),
        "errors": int(errors) + bool(error), "error": error[:2000],
        "stats": json.dumps(data, ensure_ascii=False, default=str),
    }


def record_runs(warehouse: Warehouse, rows: list[dict]) -> int:
    return warehouse.insert("crawl_runs", rows)


def runs_of(warehouse: Warehouse, run_id: str) -> list[dict]:
    return warehouse.query(
        "SELECT source_id, status, crawled, published, errors, error FROM crawl_runs FINAL "
        "WHERE run_id = {run:String} ORDER BY source_id", dict(run=run_id))


def crawl_source(settings: Any, warehouse: Warehouse, source: Any, output: DocumentOutput, run_id: str) -> dict:
    """Crawl one source into ``output`` (wrapped in a :class:`LedgerOutput`); record and return its run row.

    A crawl that raises is recorded as a failed run, then raised again, so the
    flow's task can retry a transient failure (the crawl flow gathers its
    tasks' outcomes, so one failing source does not stop the others). A crawler
    that exits with an error code, or whose spider did not finish (a SIGTERM makes
    Scrapy shut down gracefully and exit 0), is recorded as a failed run and returned.
    """
    from crawlers.run import crawl

    started = datetime.now(timezone.utc)
    ledger = LedgerOutput(output, warehouse)
    try:
        report = crawl([source], ledger, settings, run_id=run_id)
    except Exception as exc:
        record_runs(warehouse, [run_row(run_id, source.id, started, None, f"{type(exc).__name__}: {exc}")])
        raise
    error = report.problem
    row = run_row(run_id, source.id, started, report.sources.get(source.id), error)
    record_runs(warehouse, [row])
    return row
