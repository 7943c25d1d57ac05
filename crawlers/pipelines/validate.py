"""Drop posts that cannot become a Document (no text, bad URL); cap oversized text."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawlers.items import RawPost
from vigil.schemas import canonical_url

MAX_TEXT_CHARS = 2_000_000  # Document.text's limit


class ValidatePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ValidatePipeline":
        return cls(crawler)

    def _drop(self, reason: str, item: RawPost) -> DropItem:
        self.stats.inc_value(f"vigil/dropped/{reason}")
        return DropItem(f"{reason}: {item.url}")

    def process_item(self, item: RawPost) -> RawPost:
        if not item.text.strip():
            raise self._drop("empty_text", item)
        try:
            canonical_url(item.url)
        except ValueError:
            raise self._drop("bad_url", item) from None
        if len(item.text) > MAX_TEXT_CHARS:
            item.text = item.text[:MAX_TEXT_CHARS]
            self.stats.inc_value("vigil/validate/text_truncated")
        return item
