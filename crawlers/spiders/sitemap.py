"""sitemap: sitemap indexes and sitemaps, fetching only pages whose lastmod moved since the last crawl."""

from __future__ import annotations

import re

from scrapy.http import Response

from crawlers.parse.sitemap import parse_sitemap
from crawlers.spiders.base import SourceSpider
from crawlers.state import CrawlState, state_for


class SitemapSpider(SourceSpider):
    kind = "sitemap"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._allow = [re.compile(p) for p in self.options.allow]
        self._scheduled = 0
        self._state: CrawlState | None = None
        self._owns_state = False

    @property
    def state(self) -> CrawlState:
        if self._state is None:
            self._state, self._owns_state = state_for(self.crawler.settings)
        return self._state

    def parse_start(self, response: Response):
        kind, entries = parse_sitemap(response.text, response.url)
        if kind == "index":
            for entry in entries:
                yield self.request(entry.url, self.parse_start)
            return
        for entry in entries:
            if self._allow and not any(p.search(entry.url) for p in self._allow):
                continue
            if entry.lastmod and self.state.lastmod(entry.url) == entry.lastmod:
                self.crawler.stats.inc_value("vigil/sitemap/unchanged_lastmod")
                continue
            if self._scheduled >= self.options.max_pages:
                self.crawler.stats.inc_value("vigil/sitemap/over_max_pages")
                continue
            self._scheduled += 1
            yield self.request(entry.url, self.parse_page, lastmod=entry.lastmod)

    def parse_page(self, response: Response):
        post = self.article(response)
        if post is not None:
            yield post
        lastmod = response.meta.get("lastmod")
        output = self.crawler.settings.get("VIGIL_OUTPUT")
        if lastmod and output is not None:
            output.lastmod(self.source.id, response.request.url, lastmod)

    def closed(self, reason: str) -> None:
        if self._state is not None and self._owns_state:
            self._state.close()
