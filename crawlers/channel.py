"""The crawl child's output: one JSON object per line on a pipe the parent reads.

Message types: ``doc`` (a Document), ``page`` (a response was fetched, with its
size), ``lastmod`` (a sitemap URL was crawled at this lastmod) and ``stats``
(a source's final counts). Keeping the protocol this small lets the parent
deliver documents while the child is still crawling.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import IO, Any

from vigil.schemas import Document


class ChannelWriter:
    def __init__(self, stream: IO[str]):
        self._stream = stream
        self._lock = threading.Lock()

    def __deepcopy__(self, memo: dict) -> "ChannelWriter":
        return self  # Scrapy deep-copies its settings; the writer is shared, not copied

    def _send(self, message: dict[str, Any]) -> None:
        line = json.dumps(message, ensure_ascii=False, default=str)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def document(self, document: Document) -> None:
        self._send({"t": "doc", "source": document.source_id, "doc": document.model_dump(mode="json")})

    def page(self, source_id: str, size: int) -> None:
        self._send({"t": "page", "source": source_id, "bytes": size})

    def lastmod(self, source_id: str, url: str, lastmod: str) -> None:
        self._send({"t": "lastmod", "source": source_id, "url": url, "lastmod": lastmod})

    def stats(self, source_id: str, stats: dict[str, Any]) -> None:
        self._send({"t": "stats", "source": source_id, "stats": stats})


def read_messages(stream: IO[str]) -> Iterator[dict[str, Any]]:
    """Messages from a child's output, as they arrive; a torn last line is ignored."""
    for line in stream:
        line = line.strip()
        if not line:
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            continue
