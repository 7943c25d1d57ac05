"""What every spider shares: one source per spider, polite requests, counted failures, article items."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers.errors import error_kind
from crawlers.extract.article import extract_article
from crawlers.items import RawPost
from crawlers.sources import Source


class SourceSpider(scrapy.Spider):
    """A spider for one registry source; the spider's name is the source id."""

    kind: ClassVar[str]
    stay_on_domains: ClassVar[bool] = False

    def __init__(self, source: Source, **kwargs: Any):
        super().__init__(name=source.id, **kwargs)
        self.source = source
        self.options = source.options()
        if self.stay_on_domains:
            self.allowed_domains = source.domains

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.start_urls:
            yield self.request(url, self.parse_start)

    def parse_start(self, response: Response):
        raise NotImplementedError

    def request(self, url: str, callback: Callable, **meta: Any) -> scrapy.Request:
        """A request that carries the source's robots.txt policy and counts its failures."""
        if self.source.ignore_robots:
            meta["dont_obey_robotstxt"] = True
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta)

    def on_error(self, failure: Failure) -> None:
        kind = error_kind(failure.value)
        if kind is not None:
            self.crawler.stats.inc_value(f"vigil/errors/{kind}")
            self.logger.warning("request failed (%s): %s", kind, failure.getErrorMessage())

    def post(self, url: str, text: str, **fields: Any) -> RawPost:
        return RawPost(url=url, text=text, source_id=self.source.id, source_kind=self.kind,
                       tags=list(self.source.tags), language_hint=self.source.language, **fields)

    def article(self, response: Response, **fields: Any) -> RawPost | None:
        """The page's article as a post, or None (counted) when it has no main text.

        What the page states (title, author, time) wins over ``fields`` from a feed or sitemap.
        """
        found = extract_article(response.text, response.url)
        if found is None:
            self.crawler.stats.inc_value("vigil/skipped/no_main_text")
            return None
        page = {"title": found.title, "author": found.author, "published_at": found.published_at}
        fields.update({name: value for name, value in page.items() if value is not None})
        return self.post(found.canonical_url or response.url, found.text, links=found.links, **fields)
