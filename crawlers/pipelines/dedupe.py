"""Emit a document only when it is new or its content changed since the last crawl.

The crawl state (read only here) maps document ids to the content hash last
delivered; within one run, a document seen twice (one article under two URLs
with the same canonical link, a post on two overlapping pages) is emitted once.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawlers.items import RawPost
from crawlers.state import CrawlState, state_for
from vigil.schemas import content_hash, document_id


class DedupePipeline:
    def __init__(self, crawler: Crawler, state: CrawlState, owns_state: bool = True):
        self.stats = crawler.stats
        self.state, self.owns_state = state, owns_state
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "DedupePipeline":
        return cls(crawler, *state_for(crawler.settings))

    def process_item(self, item: RawPost) -> RawPost:
        item.document_id = document_id(item.url, item.post_id)
        item.content_hash = content_hash(item.text)
        if item.document_id in self.seen:
            self.stats.inc_value("vigil/documents/duplicate")
            raise DropItem(f"already emitted in this run: {item.url} {item.post_id or ''}")
        self.seen.add(item.document_id)
        previous = self.state.content_hash(item.document_id)
        if previous == item.content_hash:
            self.stats.inc_value("vigil/documents/unchanged")
            raise DropItem(f"unchanged since the last crawl: {item.url} {item.post_id or ''}")
        item.change = "new" if previous is None else "changed"
        self.stats.inc_value(f"vigil/documents/{item.change}")
        return item

    def close_spider(self) -> None:
        if self.owns_state:
            self.state.close()
