"""Emerging terms per language: flagged texts of a recent window against a baseline period.

See :mod:`flows.terms` for the method. Only the current model's flagged
documents are read (the model with the latest counts), so a model change does
not shift the vocabulary under comparison.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flows.terms import Term, log_odds, term_counts
from vigil.logs import counted_step, get_logger
from vigil.warehouse import Warehouse

log = get_logger(__name__)
_FLAGGED_TEXTS = (
    "SELECT language, text FROM documents FINAL WHERE id IN ("
    " SELECT document_id FROM classification_events WHERE sign > 0 AND length(labels) > 0"
    " AND model_version = {model:String} AND event_at >= {start:DateTime64(3, 'UTC')}"
    " AND event_at < {end:DateTime64(3, 'UTC')}) LIMIT {limit:UInt32}"
)


def current_model_version(warehouse: Warehouse) -> str | None:
    """The model version with the most recent counts."""
    return warehouse.scalar(
        "SELECT model_version FROM counts_daily GROUP BY model_version ORDER BY max(day) DESC, "
        "sum(documents) DESC LIMIT 1"
    )


def flagged_texts(warehouse: Warehouse, model: str, start: datetime, end: datetime,
                  limit: int = 20_000) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for row in warehouse.query(_FLAGGED_TEXTS, dict(model=model, start=start, end=end, limit=limit)):
        texts.setdefault(row["language"] or "", []).append(row["text"])
    return texts


def emerging_terms(warehouse: Warehouse, now: datetime, window_hours: int = 24,
                   baseline_days: int = 7) -> dict[str, list[Term]]:
    """Rising terms per language in the last ``window_hours`` against the ``baseline_days`` before."""
    model = current_model_version(warehouse)
    if model is None:
        return {}
    end = now
    start = end - timedelta(hours=window_hours)
    recent = flagged_texts(warehouse, model, start, end)
    baseline = flagged_texts(warehouse, model, start - timedelta(days=baseline_days), start)
    return {lang: log_odds(term_counts(texts), term_counts(baseline.get(lang, [])))
            for lang, texts in recent.items()}


def store_terms(warehouse: Warehouse, found: dict[str, list[Term]], now: datetime, window_hours: int = 24) -> int:
    computed = datetime.now(timezone.utc)
    rows = [
        {"computed_at": computed, "window_start": now - timedelta(hours=window_hours), "window_end": now,
         "language": lang, "term": t.term, "kind": t.kind, "z_score": t.z, "recent_count": t.recent,
         "baseline_count": t.baseline}
        for lang, terms in found.items() for t in terms
    ]
    return warehouse.insert("emerging_terms", rows)


def run_emerging_terms(warehouse: Warehouse, now: datetime, window_hours: int = 24) -> int:
    with counted_step(log, "emerging_terms") as counts:
        counts["terms"] = store_terms(warehouse, emerging_terms(warehouse, now, window_hours), now, window_hours)
        return counts["terms"]
