"""Hand each Document to the crawl's output channel (the parent delivers it to a file or the bus)."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from vigil.schemas import Document


class PublishPipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.output = crawler.settings.get("VIGIL_OUTPUT")
        if self.output is None:
            raise NotConfigured("VIGIL_OUTPUT is not set: nowhere to publish documents")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PublishPipeline":
        return cls(crawler)

    def process_item(self, item: Document) -> Document:
        self.output.document(item)
        self.stats.inc_value("vigil/documents/published")
        return item
