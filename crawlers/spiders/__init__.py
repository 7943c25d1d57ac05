"""One small spider per source kind, over the shared :class:`~crawlers.spiders.base.SourceSpider`."""

from __future__ import annotations

from crawlers.spiders.base import SourceSpider
from crawlers.spiders.feed import FeedSpider
from crawlers.spiders.forum import ForumSpider
from crawlers.spiders.site import SiteSpider
from crawlers.spiders.sitemap import SitemapSpider
from crawlers.spiders.telegram import TelegramSpider

SPIDERS: dict[str, type[SourceSpider]] = {
    spider.kind: spider for spider in (FeedSpider, SitemapSpider, SiteSpider, ForumSpider, TelegramSpider)
}

__all__ = ["SPIDERS", "SourceSpider"]
