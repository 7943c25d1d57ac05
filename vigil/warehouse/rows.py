"""Message schemas to warehouse rows: pure functions, one per table."""

from __future__ import annotations

import json

from vigil.schemas import Classification, Document, ReviewDecision
from vigil.warehouse.base import Row

# Document fields that have no column of their own travel in the `extra` JSON column.
_DOCUMENT_EXTRA = ("thread_title", "quoted_text", "views", "forwarded_from", "media")


def document_row(doc: Document, partition: int = -1, offset: int = -1) -> Row:
    return {
        "id": doc.id,
        "url": str(doc.url),
        "source_id": doc.source_id,
        "source_kind": doc.source_kind,
        "post_id": doc.post_id,
        "title": doc.title,
        "author": doc.author,
        "text": doc.text,
        "content_hash": doc.content_hash,
        "language": doc.language or "",
        "language_confidence": doc.language_confidence,
        "published_at": doc.published_at,
        "fetched_at": doc.fetched_at,
        "links": list(doc.links),
        "entities": doc.entities.model_dump_json(),
        "near_duplicate_signature": doc.near_duplicate_signature or "",
        "tags": list(doc.tags),
        "crawl_run_id": doc.crawl_run_id or "",
        "extra": json.dumps({k: getattr(doc, k) for k in _DOCUMENT_EXTRA if getattr(doc, k)}, ensure_ascii=False),
        "schema_version": doc.schema_version,
        "kafka_partition": partition,
        "kafka_offset": offset,
    }


def classification_row(item: Classification, partition: int = -1, offset: int = -1) -> Row:
    return {
        "document_id": item.document_id,
        "model_version": item.model_version,
        "scores": dict(item.scores),
        "labels": list(item.labels),
        "evidence": json.dumps([e.model_dump(mode="json") for e in item.evidence], ensure_ascii=False),
        "language": item.language or "",
        "in_coverage": item.in_coverage,
        "needs_review": item.needs_review,
        "classified_at": item.classified_at,
        "schema_version": item.schema_version,
        "kafka_partition": partition,
        "kafka_offset": offset,
    }


def review_row(item: ReviewDecision, partition: int = -1, offset: int = -1) -> Row:
    return {
        "decision_id": item.decision_id,
        "document_id": item.document_id,
        "reviewer": item.reviewer,
        "verdict": item.verdict,
        "labels": list(item.labels),
        "model_version": item.model_version or "",
        "note": item.note or "",
        "decided_at": item.decided_at,
        "schema_version": item.schema_version,
        "kafka_partition": partition,
        "kafka_offset": offset,
    }


TABLE_ROWS = {Document: ("documents", document_row), Classification: ("classifications", classification_row),
              ReviewDecision: ("review_decisions", review_row)}
