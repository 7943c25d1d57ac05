"""What surrounds a document: its neighbours in the same thread or channel, and its copies elsewhere.

- **Thread.** A forum post's thread is the posts stored under the same thread URL and source (the
  forum spider gives every post of a thread the thread's URL and its own ``post_id``); a Telegram
  message's channel is its source. The :data:`EACH_SIDE` posts before and after it in time are shown.
  Other documents (articles) have no thread.
- **Near-duplicates.** Other documents with the same ``content_hash`` (identical normalised text),
  or whose 64-bit SimHash (``vigil.text.simhash``) is at most ``NEAR_DUPLICATE_BITS`` bits away. As
  SimHash is too coarse on single sentences, texts under :data:`SIMHASH_MIN_CHARS` characters are
  matched by their content hash only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dashboards.review.item import StoredDocument
from vigil.text.simhash import NEAR_DUPLICATE_BITS, simhash
from vigil.warehouse import Warehouse

EACH_SIDE = 3
DUPLICATES = 20
SIMHASH_MIN_CHARS = 200
SNIPPET_CHARS = 300
_POSTED = "coalesce(published_at, fetched_at)"
_FIELDS = f"id, source_id, author, title, {_POSTED} AS posted_at, substring(text, 1, {SNIPPET_CHARS}) AS snippet"


@dataclass(frozen=True)
class RelatedDocument:
    id: str
    source_id: str
    author: str | None
    title: str | None
    posted_at: datetime
    snippet: str
    distance: int | None = None  # SimHash bits apart (near-duplicates); 0 with the same content hash


def thread(warehouse: Warehouse, doc: StoredDocument) -> tuple[list[RelatedDocument], list[RelatedDocument]]:
    """The posts just before and just after ``doc`` in its thread or channel, both in time order."""
    if doc.source_kind == "telegram":
        scope = "source_id = {source:String}"
    elif doc.post_id is not None:
        scope = "source_id = {source:String} AND url = {url:String}"
    else:
        return [], []
    params = {"source": doc.source_id, "url": doc.url, "at": doc.posted_at, "id": doc.id}
    before = warehouse.query(
        f"SELECT {_FIELDS} FROM documents FINAL WHERE {scope} AND ({_POSTED}, id) < ({{at:DateTime64(3, 'UTC')}}, "
        f"{{id:String}}) ORDER BY posted_at DESC, id DESC LIMIT {EACH_SIDE}", params)
    after = warehouse.query(
        f"SELECT {_FIELDS} FROM documents FINAL WHERE {scope} AND ({_POSTED}, id) > ({{at:DateTime64(3, 'UTC')}}, "
        f"{{id:String}}) ORDER BY posted_at, id LIMIT {EACH_SIDE}", params)
    return [_related(row) for row in reversed(before)], [_related(row) for row in after]


def near_duplicates(warehouse: Warehouse, doc: StoredDocument) -> list[RelatedDocument]:
    """Copies of ``doc`` elsewhere: the same content hash first, then by SimHash distance."""
    signature = doc.near_duplicate_signature or simhash(doc.text)
    use_simhash = len(doc.text) >= SIMHASH_MIN_CHARS and int(signature, 16) != 0
    rows = warehouse.query(
        f"SELECT {_FIELDS}, content_hash = {{hash:String}} AS same_hash, "
        "if(near_duplicate_signature IN ('', '0000000000000000'), 64, "
        "bitHammingDistance(reinterpretAsUInt64(reverse(unhex(near_duplicate_signature))), {signature:UInt64})) "
        "AS distance FROM documents FINAL WHERE id != {id:String} "
        "AND (same_hash OR ({use_simhash:Bool} AND distance <= {bits:UInt8})) "
        f"ORDER BY same_hash DESC, distance, posted_at DESC LIMIT {DUPLICATES}",
        {"hash": doc.content_hash, "signature": int(signature, 16), "id": doc.id, "use_simhash": use_simhash,
         "bits": NEAR_DUPLICATE_BITS})
    return [_related(row, 0 if row["same_hash"] else int(row["distance"])) for row in rows]


def _related(row: dict[str, Any], distance: int | None = None) -> RelatedDocument:
    return RelatedDocument(id=row["id"], source_id=row["source_id"], author=row["author"], title=row["title"],
                           posted_at=row["posted_at"], snippet=row["snippet"], distance=distance)
