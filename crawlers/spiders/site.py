"""site: a crawl from start URLs, following links on the source's domains within allow/deny, depth and page limits."""

from __future__ import annotations

import re

from scrapy.http import Response

from crawlers.extract.links import absolute_links
from crawlers.spiders.base import SourceSpider

MIN_ARTICLE_CHARS = 200  # shorter main text is a listing or navigation page, not an article


class SiteSpider(SourceSpider):
    kind = "site"
    stay_on_domains = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._allow = [re.compile(p) for p in self.options.allow]
        self._deny = [re.compile(p) for p in self.options.deny]
        self._scheduled = len(self.source.start_urls)

    def wanted(self, url: str) -> bool:
        if any(p.search(url) for p in self._deny):
            return False
        return not self._allow or any(p.search(url) for p in self._allow)

    def parse_start(self, response: Response):
        post = self.article(response)
        if post is not None and len(post.text) >= MIN_ARTICLE_CHARS:
            yield post
        if response.meta.get("depth", 0) >= self.options.depth:
            return
        for url in absolute_links(response.css("a::attr(href)").getall(), response.url):
            if not self.wanted(url):
                continue
            if self._scheduled >= self.options.max_pages:
                self.crawler.stats.inc_value("vigil/site/over_max_pages")
                return
            self._scheduled += 1
            yield self.request(url, self.parse_start)
