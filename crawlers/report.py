"""Per-source crawl stats: pages, bytes, documents new/changed/unchanged, errors and skips by kind.

Inside the crawl child, :class:`SourceReport` (a Scrapy extension) reports each
fetched page for the progress display and sends the source's final stats when
its spider closes; :func:`summarise` turns Scrapy's stats into
:class:`SourceStats`, the record the flows and dashboards read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response


@dataclass
class SourceStats:
    source_id: str
    pages: int = 0
    bytes: int = 0
    documents_new: int = 0
    documents_changed: int = 0
    documents_unchanged: int = 0
    documents_duplicate: int = 0
    documents_published: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    finish_reason: str | None = None
    peak_memory_bytes: int | None = None  # of the whole crawl process (Scrapy's memusage extension)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarise(source_id: str, stats: dict[str, Any]) -> SourceStats:
    """SourceStats from one spider's Scrapy stats."""
    def prefixed(prefix: str) -> dict[str, int]:
        return {k[len(prefix):]: int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)}

    errors = prefixed("vigil/errors/")
    errors.update({f"parse/{k}": v for k, v in prefixed("spider_exceptions/").items() if "/" not in k})
    skipped = prefixed("vigil/skipped/")
    if stats.get("robotstxt/forbidden"):
        skipped["robots_txt"] = int(stats["robotstxt/forbidden"])
    if stats.get("vigil/refused/private_address"):
        errors["private_address"] = int(stats["vigil/refused/private_address"])
    return SourceStats(
        source_id=source_id,
        pages=int(stats.get("response_received_count", 0)),
        bytes=int(stats.get("downloader/response_bytes", 0)),
        documents_new=int(stats.get("vigil/documents/new", 0)),
        documents_changed=int(stats.get("vigil/documents/changed", 0)),
        documents_unchanged=int(stats.get("vigil/documents/unchanged", 0)),
        documents_duplicate=int(stats.get("vigil/documents/duplicate", 0)),
        documents_published=int(stats.get("vigil/documents/published", 0)),
        errors=errors,
        skipped=skipped,
        finish_reason=stats.get("finish_reason"),
        peak_memory_bytes=stats.get("memusage/max"),
    )


class SourceReport:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.output = crawler.settings.get("VIGIL_OUTPUT")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SourceReport":
        extension = cls(crawler)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def response_received(self, response: Response, request, spider: Spider) -> None:
        if self.output is not None:
            self.output.page(spider.name, len(response.body))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = dict(self.crawler.stats.get_stats())
        stats.setdefault("finish_reason", reason)
        if self.output is not None:
            self.output.stats(spider.name, summarise(spider.name, stats).as_dict())
