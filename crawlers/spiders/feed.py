"""rss: RSS 2.0 and Atom feeds, each item followed to its page for the full text."""

from __future__ import annotations

from parsel import Selector
from scrapy.http import Response

from crawlers.extract.fragment import fragment_text
from crawlers.parse.feed import FeedEntry, parse_feed
from crawlers.spiders.base import SourceSpider


class FeedSpider(SourceSpider):
    kind = "rss"

    def parse_start(self, response: Response):
        entries = parse_feed(response.text, response.url)
        self.crawler.stats.inc_value("vigil/feed/entries", len(entries))
        if not entries:  # not a feed, or a feed cut before its first complete entry
            self.crawler.stats.inc_value("vigil/skipped/no_feed_entries")
        for entry in entries:
            if self.options.follow_links:
                yield self.request(entry.url, self.parse_item, entry=entry)
            else:
                yield from self._from_summary(entry)

    def parse_item(self, response: Response):
        entry: FeedEntry = response.meta["entry"]
        post = self.article(response, title=entry.title, author=entry.author, published_at=entry.published_at)
        if post is not None:
            yield post
        else:
            yield from self._from_summary(entry)

    def _from_summary(self, entry: FeedEntry):
        if entry.summary_html:
            body = Selector(text=entry.summary_html).css("body")  # none for a comment or a lone <head>
            text = fragment_text(body[0].root) if body else ""
            yield self.post(entry.url, text, title=entry.title, author=entry.author,
                            published_at=entry.published_at)
