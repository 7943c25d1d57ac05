"""Turn a post into a Document: language, entities, outbound links and the near-duplicate signature."""

from __future__ import annotations

import re

from scrapy.crawler import Crawler

from crawlers.extract.entities import extract_entities
from crawlers.extract.links import absolute_links
from crawlers.items import RawPost
from vigil.language import identify
from vigil.schemas import Document
from vigil.text.simhash import simhash

_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+")


def enrich(item: RawPost, run_id: str | None = None) -> Document:
    """The Document for a post (pure: the same post always gives the same fields)."""
    language, confidence = identify(item.text)
    links = list(dict.fromkeys(item.links + absolute_links(_URL_IN_TEXT.findall(item.text), item.url)))
    return Document.build(
        url=item.url, text=item.text, source_id=item.source_id, source_kind=item.source_kind,
        post_id=item.post_id, title=item.title, author=item.author, published_at=item.published_at,
        language=language or item.language_hint, language_confidence=confidence,
        links=links, entities=extract_entities(item.text, links),
        near_duplicate_signature=simhash(item.text), tags=item.tags, crawl_run_id=run_id,
        thread_title=item.thread_title, quoted_text=item.quoted_text, views=item.views,
        forwarded_from=item.forwarded_from, media=item.media,
    )


class EnrichPipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.run_id = crawler.settings.get("VIGIL_RUN_ID")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "EnrichPipeline":
        return cls(crawler)

    def process_item(self, item: RawPost) -> Document:
        document = enrich(item, self.run_id)
        entities = document.entities
        for name in ("hashtags", "invite_links", "crypto_wallets", "payment_ids", "phones"):
            if getattr(entities, name):
                self.stats.inc_value(f"vigil/entities/{name}", len(getattr(entities, name)))
        return document
