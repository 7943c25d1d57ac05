"""Versioned message schemas shared by producers and consumers."""

from __future__ import annotations

import json
from importlib import resources

from vigil.schemas.base import Message
from vigil.schemas.classification import CATEGORIES, Classification, Evidence
from vigil.schemas.document import Document, Entities
from vigil.schemas.identity import canonical_url, content_hash, document_id, normalise_text
from vigil.schemas.review import ReviewDecision

SCHEMAS: dict[str, type[Message]] = {
    model.schema_name: model for model in (Document, Classification, ReviewDecision)
}


def example(schema_name: str, version: int = 1) -> dict:
    """The JSON example kept in the repository for one schema version."""
    path = resources.files("vigil.schemas") / "examples" / f"{schema_name}.v{version}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def examples() -> list[tuple[str, int, dict]]:
    """Every (schema name, version, example) kept in the repository."""
    found = []
    for entry in sorted((resources.files("vigil.schemas") / "examples").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            name, version, _ = entry.name.rsplit(".", 2)
            found.append((name, int(version.lstrip("v")), json.loads(entry.read_text(encoding="utf-8"))))
    return found


__all__ = [
    "CATEGORIES", "SCHEMAS", "Classification", "Document", "Entities", "Evidence", "Message",
    "ReviewDecision", "canonical_url", "content_hash", "document_id", "example", "examples",
    "normalise_text",
]
