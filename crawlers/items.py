"""``RawPost``: what a spider yields for one article, forum post or channel message.

Pipelines turn it into a :class:`vigil.schemas.Document`; spiders only fill in
what the page says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class RawPost:
    url: str
    text: str
    source_id: str
    source_kind: str
    post_id: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    thread_title: str | None = None
    quoted_text: str | None = None
    views: int | None = None
    forwarded_from: str | None = None
    media: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language_hint: str | None = None
    # Filled in by the dedupe pipeline.
    document_id: str | None = None
    content_hash: str | None = None
    change: str | None = None  # "new" | "changed"
