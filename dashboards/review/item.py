"""One document as the reviewers see it: its stored row, its latest classification and its decisions,
read from the warehouse (``documents``, ``classifications``, ``review_decisions``; all read-only here)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from vigil.schemas import Evidence
from vigil.warehouse import Warehouse


@dataclass(frozen=True)
class StoredDocument:
    id: str
    url: str
    source_id: str
    source_kind: str
    post_id: str | None
    title: str | None
    author: str | None
    text: str
    content_hash: str
    language: str
    published_at: datetime | None
    fetched_at: datetime
    links: list[str]
    near_duplicate_signature: str
    extra: dict[str, Any]  # thread_title, quoted_text, views, forwarded_from, media
    raw: dict[str, Any]  # the row as stored (entities and extra parsed), for the raw JSON view

    @property
    def posted_at(self) -> datetime:
        return self.published_at or self.fetched_at

    @property
    def thread_title(self) -> str | None:
        return self.extra.get("thread_title") or None


@dataclass(frozen=True)
class StoredClassification:
    model_version: str
    scores: dict[str, float]
    labels: list[str]
    evidence: list[Evidence]
    language: str
    in_coverage: bool
    classified_at: datetime
    raw: dict[str, Any]


def load_document(warehouse: Warehouse, document_id: str) -> StoredDocument | None:
    rows = warehouse.query("SELECT * FROM documents FINAL WHERE id = {id:String}", {"id": document_id})
    if not rows:
        return None
    row = rows[0]
    extra, entities = _json(row["extra"], {}), _json(row["entities"], {})
    raw = {name: value for name, value in row.items() if not name.startswith("kafka_") and name != "ingested_at"}
    return StoredDocument(
        id=row["id"], url=row["url"], source_id=row["source_id"], source_kind=row["source_kind"], post_id=row["post_id"],
        title=row["title"], author=row["author"], text=row["text"], content_hash=row["content_hash"],
        language=row["language"], published_at=row["published_at"], fetched_at=row["fetched_at"],
        links=list(row["links"]), near_duplicate_signature=row["near_duplicate_signature"], extra=extra,
        raw=raw | {"extra": extra, "entities": entities})


def latest_classification(warehouse: Warehouse, document_id: str) -> StoredClassification | None:
    rows = warehouse.query("SELECT * FROM classifications FINAL WHERE document_id = {id:String} "
                           "ORDER BY classified_at DESC LIMIT 1", {"id": document_id})
    if not rows:
        return None
    row = rows[0]
    evidence = []
    for item in _json(row["evidence"], []):
        try:
            evidence.append(Evidence.model_validate(item))
        except ValidationError:
            continue  # written by an older or broken classifier: shown in the raw JSON only
    raw = {name: value for name, value in row.items() if not name.startswith("kafka_") and name != "ingested_at"}
    return StoredClassification(
        model_version=row["model_version"], scores={k: float(v) for k, v in row["scores"].items()},
        labels=list(row["labels"]), evidence=evidence, language=row["language"], in_coverage=bool(row["in_coverage"]),
        classified_at=row["classified_at"], raw=raw | {"evidence": _json(row["evidence"], [])})


def to_json(value: dict[str, Any]) -> str:
    """``value`` as indented JSON (times in ISO 8601), for the raw view."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True,
                      default=lambda v: v.isoformat() if isinstance(v, datetime) else str(v))


def _json(text: str, default: Any) -> Any:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return default
    return value if isinstance(value, type(default)) else default
