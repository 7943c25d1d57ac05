"""``Document``: what crawlers emit, one per page, post or channel message."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field, HttpUrl, model_validator

from vigil.schemas.base import Message, utcnow
from vigil.schemas.identity import canonical_url, content_hash, document_id

SourceKind = Literal["rss", "sitemap", "site", "forum", "telegram", "file"]


class Entities(Message):
    """Identifiers analysts track, pulled out of the text and links."""

    hashtags: list[str] = Field(default_factory=list)
    invite_links: list[str] = Field(default_factory=list)
    crypto_wallets: list[str] = Field(default_factory=list)
    payment_ids: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)


class Document(Message):
    schema_name: ClassVar[str] = "document"

    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[0-9a-f]{32}$", description="document_id(url, post_id)")
    url: HttpUrl
    source_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)
    source_kind: SourceKind
    post_id: str | None = Field(default=None, max_length=200)
    text: str = Field(max_length=2_000_000)
    content_hash: str = Field(pattern=r"^[0-9a-f]{32}$")
    fetched_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None
    title: str | None = None
    author: str | None = None
    language: str | None = Field(default=None, description="ISO 639-1 code")
    language_confidence: float | None = Field(default=None, ge=0, le=1)
    links: list[str] = Field(default_factory=list)
    entities: Entities = Field(default_factory=Entities)
    near_duplicate_signature: str | None = Field(default=None, description="64-bit SimHash, hex")
    tags: list[str] = Field(default_factory=list)
    crawl_run_id: str | None = None
    # Forum posts and channel messages.
    thread_title: str | None = None
    quoted_text: str | None = None
    views: int | None = Field(default=None, ge=0)
    forwarded_from: str | None = None
    media: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_hashes(self) -> "Document":
        expected = document_id(str(self.url), self.post_id)
        if self.id != expected:
            raise ValueError(f"id {self.id} does not match document_id(url, post_id) = {expected}")
        if self.content_hash != content_hash(self.text):
            raise ValueError("content_hash does not match the text")
        return self

    @classmethod
    def build(cls, *, url: str, text: str, source_id: str, source_kind: SourceKind,
              post_id: str | None = None, **fields: object) -> "Document":
        """Make a Document, computing its id and content hash."""
        return cls(
            id=document_id(url, post_id),
            url=canonical_url(url),
            post_id=post_id,
            text=text,
            content_hash=content_hash(text),
            source_id=source_id,
            source_kind=source_kind,
            **fields,
        )

    def key(self) -> str:
        return self.id
