"""Warehouse rows for the analysts' pages, written the way the pipeline writes them: documents and
their classifications through the sink (so the aggregates fill), the flows' own tables by insert.
The classifier is the flows' marker double: ``flag-<category>`` in a text flags that category."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from tests.flows.conftest import MODEL, T0, make_doc, marker_classify
from vigil.schemas import Document, Entities
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located, write_classifications, write_documents

__all__ = ["MODEL", "add_alert", "add_crawl_run", "add_incomplete_hour", "add_promotion", "add_source", "add_terms",
           "make_doc", "seed_sources", "store", "store_spread"]


def store(warehouse: Warehouse, docs: Sequence[Document], model: str = MODEL) -> list[Document]:
    """Write ``docs`` and their marker classifications by ``model`` through the sink."""
    write_documents(warehouse, [Located(d) for d in docs])
    write_classifications(warehouse, [Located(c) for c in marker_classify(docs, model)], {d.id: d for d in docs})
    return list(docs)


def store_spread(warehouse: Warehouse, start: datetime, days: int, model: str = MODEL) -> list[Document]:
    """Four documents an hour for ``days`` days from ``start`` over two sources and two languages:
    per hour one flagged 'racism', and every sixth hour one more flagged 'xenophobia' in Russian."""
    docs, i = [], 0
    for hour in range(days * 24):
        at = start + timedelta(hours=hour)
        texts = [("site-a", "en", f"council notes {i} flag-racism"), ("site-a", "en", f"weather report {i}"),
                 ("site-b", "ru", f"городские новости {i}"),
                 ("site-b", "ru", f"новости {i}" + (" flag-xenophobia" if hour % 6 == 0 else ""))]
        for k, (source, language, text) in enumerate(texts):
            docs.append(make_doc(i, at=at + timedelta(minutes=5 * k), source=source, language=language, text=text))
            i += 1
    return store(warehouse, docs, model)


def add_source(warehouse: Warehouse, source_id: str, kind: str = "site", url: str = "", enabled: bool = True,
               interval_minutes: int = 60) -> None:
    warehouse.insert("sources", [{"source_id": source_id, "kind": kind, "enabled": enabled,
                                  "url": url or f"https://{source_id}.example.org/", "config": "{}",
                                  "interval_minutes": interval_minutes}])


def add_crawl_run(warehouse: Warehouse, source_id: str, started_at: datetime, *, status: str = "ok",
                  errors: int = 0, skipped: dict[str, int] | None = None, error: str = "",
                  run_id: str = "") -> None:
    warehouse.insert("crawl_runs", [{
        "run_id": run_id or f"run-{started_at:%Y%m%d%H%M}", "source_id": source_id, "started_at": started_at,
        "finished_at": started_at + timedelta(minutes=3), "status": status, "crawled": 10, "published": 10,
        "dropped": sum((skipped or {}).values()), "errors": errors, "error": error,
        "stats": json.dumps({"skipped": skipped or {}}),
    }])


def add_alert(warehouse: Warehouse, alert_id: str, window_start: datetime, *, category: str = "racism",
              source_id: str = "site-a", language: str = "en", model: str = MODEL, late: bool = False,
              drivers: dict | None = None, observed: float = 30, expected: float = 1) -> None:
    warehouse.insert("alerts", [{
        "alert_id": alert_id, "raised_at": window_start + timedelta(hours=5 if late else 1),
        "window_start": window_start, "window_end": window_start + timedelta(hours=1), "category": category,
        "source_id": source_id, "language": language, "model_version": model, "observed": observed,
        "expected": expected, "score": 9.5, "method": "seasonal-robust-z", "late": late,
        "drivers": json.dumps(drivers if drivers is not None else {}), "summary": f"{category} in {source_id}",
    }])


def add_terms(warehouse: Warehouse, window_end: datetime, terms: Sequence[tuple[str, str, float]]) -> None:
    """An emerging-terms run over the day before ``window_end``: (language, term, z) each."""
    warehouse.insert("emerging_terms", [{
        "computed_at": window_end, "window_start": window_end - timedelta(days=1), "window_end": window_end,
        "language": language, "term": term, "kind": "hashtag" if term.startswith("#") else "word", "z_score": z,
        "recent_count": 12, "baseline_count": 1} for language, term, z in terms])


def add_incomplete_hour(warehouse: Warehouse, hour: datetime, reason: str = "3 crawled but not published") -> None:
    warehouse.insert("reconciliation", [{"window_start": hour, "run_id": "run-1", "crawled": 5, "published": 2,
                                         "classified": 2, "dead_lettered": 0, "stored": 2, "complete": False,
                                         "reason": reason}])


def add_promotion(warehouse: Warehouse, at: datetime, candidate: str, current: str = MODEL) -> None:
    warehouse.insert("model_decisions", [{"decided_at": at, "candidate_version": candidate,
                                          "current_version": current, "promoted": True, "reason": "better gate"}])


def seed_sources(warehouse: Warehouse, now: datetime) -> None:
    """Two days from T0 of :func:`store_spread` (site-a, site-b); a registry of site-a, site-b (a Telegram
    channel), site-c (never crawled) and site-d (last crawled 10 hours before ``now``); crawl runs (site-b's
    last one failed); and documents linking to and forwarded from sources, registered or not (site-e is
    known only from its documents)."""
    store_spread(warehouse, T0, days=2)  # site-a (en) and site-b (ru)
    add_source(warehouse, "site-a")
    add_source(warehouse, "site-b", kind="telegram", url="https://t.me/s/Site_B")
    add_source(warehouse, "site-c")
    add_source(warehouse, "site-d", interval_minutes=60)
    add_crawl_run(warehouse, "site-a", now - timedelta(hours=5), skipped={"robots_txt": 2, "too_big": 1})
    add_crawl_run(warehouse, "site-a", now - timedelta(minutes=40), errors=1)
    add_crawl_run(warehouse, "site-b", now - timedelta(hours=2))
    add_crawl_run(warehouse, "site-b", now - timedelta(hours=1), status="failed", error="TimeoutError: slow", errors=1)
    add_crawl_run(warehouse, "site-d", now - timedelta(hours=10))
    at = T0 + timedelta(hours=3)
    store(warehouse, [
        make_doc(10_100, at=at, source="site-a", text="see").model_copy(update={
            "links": ["https://t.me/site_b/55", "https://www.Unknown.example/x", "https://site-a.example.org/y"]}),
        make_doc(10_101, at=at, source="site-a", text="more").model_copy(update={
            "links": ["https://unknown.example/z", "javascript:alert(1)"]}),
        make_doc(10_102, at=at, source="site-b", text="fwd").model_copy(update={
            "forwarded_from": "https://t.me/Other_Chan/12",
            "entities": Entities(invite_links=["https://t.me/+AbCdEf"])}),
        make_doc(10_103, at=at, source="site-e", text="from elsewhere flag-racism").model_copy(update={
            "forwarded_from": "Some Channel Name"}),
    ])
