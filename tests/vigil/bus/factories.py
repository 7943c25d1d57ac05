"""Synthetic, harmless messages for the bus tests (never real crawled text)."""

from __future__ import annotations

import time

from vigil.bus import Topic, open_consumer
from vigil.schemas import Document, content_hash, document_id


def make_document(n: int, text: str | None = None) -> Document:
    url = f"https://news.example.org/item/{n}"
    body = text if text is not None else f"Weather report number {n}: mild and sunny."
    return Document(
        id=document_id(url), url=url, source_id="example-news", source_kind="rss",
        text=body, content_hash=content_hash(body),
    )


def number(document: Document) -> int:
    return int(str(document.url).rsplit("/", 1)[1])


def read_all(settings, topic: Topic, group: str, expect: int, timeout_s: float = 30.0) -> list:
    consumer = open_consumer(settings, group, [topic])
    records = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(records) < expect and time.monotonic() < deadline:
            records.extend(consumer.poll(1000, 0.5))
    finally:
        consumer.close()
    return records


def publish(settings, documents, raw: bytes | None = None) -> None:
    """Publish ``documents`` to raw-documents, then ``raw`` bytes as one more record if given."""
    from vigil.bus import open_publisher

    publisher = open_publisher(settings)
    for doc in documents:
        publisher.send(Topic.raw_documents, doc)
    if raw is not None:
        publisher.send_raw(Topic.raw_documents.full_name(settings.bus.topic_prefix), b"raw", raw)
    publisher.flush()
    publisher.close()
