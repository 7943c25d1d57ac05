"""Rescore: reclassify a time range (or everything) with a model version, resumably.

Documents are read in id order in batches; after each batch is classified and
written, a checkpoint records the last id done, so a rescore that stops (a
crash, a deploy) resumes where it was instead of starting over. Writes go
through :func:`vigil.warehouse.sink.write_classifications`, so the new model's
counts land in their own series (the aggregates are keyed by model version).
"""

from __future__ import annotations

import json
from datetime import datetime

from classifiers.classify import Classify
from vigil.logs import counted_step, get_logger
from vigil.schemas import Document, Entities
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located, write_classifications

log = get_logger(__name__)
_COLUMNS = ("id, url, source_id, source_kind, post_id, title, author, text, language, language_confidence, "
            "published_at, fetched_at, links, entities, near_duplicate_signature, tags, crawl_run_id, extra")


def document_from_row(row: dict) -> Document:
    """A stored document back as a :class:`Document` (the inverse of ``rows.document_row``)."""
    extra = json.loads(row.get("extra") or "{}")
    return Document.build(
        url=row["url"], post_id=row["post_id"], text=row["text"], source_id=row["source_id"],
        source_kind=row["source_kind"], title=row["title"], author=row["author"], language=row["language"] or None,
        language_confidence=row["language_confidence"], published_at=row["published_at"],
        fetched_at=row["fetched_at"], links=list(row["links"]),
        entities=Entities.model_validate_json(row["entities"] or "{}"),
        near_duplicate_signature=row["near_duplicate_signature"] or None, tags=list(row["tags"]),
        crawl_run_id=row["crawl_run_id"] or None, **extra,
    )


def checkpoint(warehouse: Warehouse, job_id: str) -> dict | None:
    rows = warehouse.query(
        "SELECT last_document_id, rescored, done FROM rescore_checkpoints FINAL WHERE job_id = {job:String}",
        dict(job=job_id))
    return rows[0] if rows else None


def rescore(warehouse: Warehouse, classify: Classify, model_version: str, *, job_id: str,
            since: datetime | None = None, until: datetime | None = None, batch_size: int = 256,
            max_batches: int | None = None) -> dict:
    """Classify the documents fetched in [since, until) (all when None) not yet done by ``job_id``.

    ``max_batches`` stops early (the checkpoint keeps the place); a finished job is a no-op.
    """
    state = checkpoint(warehouse, job_id) or {"last_document_id": "", "rescored": 0, "done": False}
    if state["done"]:
        return {"rescored": int(state["rescored"]), "done": True, "batches": 0}
    last, rescored, batches = state["last_document_id"], int(state["rescored"]), 0
    window = ("AND fetched_at >= {since:DateTime64(3, 'UTC')} " if since else "") + \
             ("AND fetched_at < {until:DateTime64(3, 'UTC')} " if until else "")
    with counted_step(log, "rescore", job_id=job_id, model_version=model_version) as counts:
        while max_batches is None or batches < max_batches:
            rows = warehouse.query(
                f"SELECT {_COLUMNS} FROM documents FINAL WHERE id > {{last:String}} {window}"
                "ORDER BY id LIMIT {n:UInt32}",
                dict(last=last, n=batch_size, **{k: v for k, v in (("since", since), ("until", until)) if v}))
            if not rows:
                break
            docs = [document_from_row(r) for r in rows]
            results = [c.model_copy(update={"model_version": model_version}) for c in classify(docs)]
            write_classifications(warehouse, [Located(c) for c in results], {d.id: d for d in docs})
            last, rescored, batches = rows[-1]["id"], rescored + len(rows), batches + 1
            _save(warehouse, job_id, model_version, last, rescored, False)
            counts["rescored"] += len(rows)
        done = max_batches is None or batches < max_batches
        if done:
            _save(warehouse, job_id, model_version, last, rescored, True)
    return {"rescored": rescored, "done": done, "batches": batches}


def _save(warehouse: Warehouse, job_id: str, model: str, last: str, rescored: int, done: bool) -> None:
    warehouse.insert("rescore_checkpoints", [{"job_id": job_id, "model_version": model, "last_document_id": last,
                                              "rescored": rescored, "done": done}])
