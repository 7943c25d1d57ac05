"""Stored documents and classifications for the reviewers' tests (synthetic text, never crawled)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from vigil.schemas import CATEGORIES, Classification, Document, Evidence
from vigil.text.simhash import simhash
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located, write_classifications, write_documents

NOW = datetime.now(timezone.utc).replace(microsecond=0)
TEXT = "They are vermin and must be driven out of our city, every last one of them."


def stored_item(warehouse: Warehouse, n: int, text: str = TEXT, labels: Sequence[str] = ("xenophobia",),
                scores: dict[str, float] | None = None, evidence: Sequence[Evidence] = (), hours_old: float = 1.0,
                source_id: str = "example-forum", source_kind: str = "forum", url: str | None = None,
                post_id: str | None = None, language: str = "en", model_version: str = "test-model",
                **fields: object) -> Document:
    """Store a document with its SimHash, as the crawler does, and, unless ``labels`` is None, its
    classification; return the document."""
    doc = Document.build(url=url or f"https://forum.example.org/thread/{n}", text=text, source_id=source_id,
                         source_kind=source_kind, post_id=post_id, language=language,  # type: ignore[arg-type]
                         published_at=NOW - timedelta(hours=hours_old), fetched_at=NOW,
                         near_duplicate_signature=simhash(text), **fields)
    write_documents(warehouse, [Located(doc)])
    if labels is not None:
        given = scores or {}
        all_scores = {c: given.get(c, 0.9 if c in labels else 0.05) for c in CATEGORIES}
        write_classifications(warehouse, [Located(Classification(
            document_id=doc.id, model_version=model_version, scores=all_scores, labels=list(labels),
            evidence=list(evidence), language=language, needs_review=bool(labels),
            classified_at=NOW))])
    return doc
