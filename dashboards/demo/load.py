"""The demo's history into the warehouse, through the owners' own functions.

Documents and classifications go through the warehouse sink (``write_documents``,
``write_classifications``), so the hourly and daily aggregates count them exactly as they count
crawled documents; the sources and the model promotion through the flows' writers of those tables
(``flows.crawl.record_sources``, ``flows.retrain.record``). The demo writes no table itself.

Generated documents are the ones whose source id starts with ``history.SOURCE_PREFIX``; that is how
a second ``vigil demo`` finds them (:func:`stored_history`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from dashboards.demo.history import RUN_ID, SOURCE_PREFIX, HistoryPlan, HistorySource, Labelled
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located, write_classifications, write_documents

BATCH = 2000  # documents per sink call


@dataclass
class StoredHistory:
    """What the warehouse holds of the generated history."""

    documents: int = 0
    flagged: int = 0
    sources: int = 0
    first: datetime | None = None
    last: datetime | None = None
    model_versions: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return asdict(self)


def stored_history(warehouse: Warehouse) -> StoredHistory:
    """Counts of the generated documents stored (zero when there are none)."""
    row = warehouse.query(
        "SELECT count() AS documents, uniqExact(source_id) AS sources, min(published_at) AS first, "
        "max(published_at) AS last FROM documents WHERE startsWith(source_id, {prefix:String})",
        dict(prefix=SOURCE_PREFIX))[0]
    if not row["documents"]:
        return StoredHistory()
    labels = warehouse.query(
        "SELECT model_version, countIf(length(labels) > 0) AS flagged FROM classifications "
        "WHERE document_id IN (SELECT id FROM documents WHERE startsWith(source_id, {prefix:String})) "
        "GROUP BY model_version ORDER BY min(classified_at)", dict(prefix=SOURCE_PREFIX))
    return StoredHistory(row["documents"], sum(r["flagged"] for r in labels), row["sources"], row["first"],
                         row["last"], tuple(r["model_version"] for r in labels))


@dataclass
class Written:
    documents: int = 0
    classifications: int = 0
    unchanged: int = 0


def write_history(warehouse: Warehouse, plan: HistoryPlan, *, batch: int = BATCH,
                  on_day: Callable[[int, Written], None] | None = None) -> Written:
    """Generate the plan day by day and store it in batches of about ``batch`` documents;
    ``on_day(index, written so far)`` after each day. Writing a day twice stores nothing twice
    (the sink skips what it holds), so an interrupted run can simply start again."""
    written, pending = Written(), []
    for index in range(plan.days):
        pending.extend(plan.day(index))
        if len(pending) >= batch or index == plan.days - 1:
            _store(warehouse, pending, written)
            pending = []
        if on_day is not None:
            on_day(index, written)
    return written


def _store(warehouse: Warehouse, items: list[Labelled], written: Written) -> None:
    documents = {item.document.id: item.document for item in items}
    counts = write_documents(warehouse, [Located(d) for d in documents.values()])
    labels = write_classifications(warehouse, [Located(item.classification) for item in items], documents)
    written.documents += counts.new + counts.changed
    written.unchanged += counts.unchanged
    written.classifications += labels.classified + labels.reclassified


def register_sources(warehouse: Warehouse, plan: HistoryPlan, interval_minutes: int) -> int:
    """The generated sources in the ``sources`` table, disabled: nothing can crawl them."""
    from crawlers.sources import Source
    from flows.crawl import record_sources

    return record_sources(warehouse, [_registry_entry(s, Source) for s in plan.sources], interval_minutes)


def _registry_entry(source: HistorySource, model: type) -> object:
    languages = [language for language, _ in source.languages]
    return model(id=source.id, kind=source.kind, url=f"https://{source.id}.example.org/",
                 language=languages[0] if len(languages) == 1 else None,
                 tags=["demo", "synthetic", source.genre], enabled=False)


def record_model_change(warehouse: Warehouse, plan: HistoryPlan) -> bool:
    """The promotion of ``plan.model_after`` over ``plan.model_before`` in ``model_decisions``, at
    the change; False when it is there already."""
    from flows.retrain import decide, record

    known = warehouse.scalar(
        "SELECT count() FROM model_decisions WHERE candidate_version = {after:String} "
        "AND current_version = {before:String} AND decided_at = {at:DateTime64(3, 'UTC')}",
        dict(after=plan.model_after, before=plan.model_before, at=plan.change_at))
    if known:
        return False
    candidate = {"required_macro_f1": {"en": 0.812, "ru": 0.797}, "split": "test", "demo": True}
    current = {"required_macro_f1": {"en": 0.781, "ru": 0.774}, "split": "test"}
    record(warehouse, decide(candidate, current), plan.model_after, plan.model_before, candidate,
           decided_at=plan.change_at)
    return True


def live_model_version(warehouse: Warehouse) -> str | None:
    """The model that labelled the crawled (not generated) documents most recently, if any."""
    return warehouse.scalar(
        "SELECT model_version FROM classification_events WHERE NOT startsWith(source_id, {prefix:String}) "
        "AND crawl_run_id != {run:String} ORDER BY recorded_at DESC LIMIT 1",
        dict(prefix=SOURCE_PREFIX, run=RUN_ID))


def plan_record(plan: HistoryPlan) -> str:
    """The plan as JSON, so that an interrupted demo resumes the same history."""
    return json.dumps({"seed": plan.seed, "end": plan.end.isoformat(), "days": plan.days,
                       "model_before": plan.model_before, "model_after": plan.model_after,
                       "change_days_ago": plan.change_days_ago})


def plan_from_record(text: str) -> HistoryPlan:
    data = json.loads(text)
    return HistoryPlan(seed=data["seed"], end=datetime.fromisoformat(data["end"]), days=data["days"],
                       model_before=data["model_before"], model_after=data["model_after"],
                       change_days_ago=data["change_days_ago"])
