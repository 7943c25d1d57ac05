"""telegram: a public channel's preview pages (t.me/s/<channel>), one document per message, paging back with ?before=."""

from __future__ import annotations

from scrapy.http import Response

from crawlers.parse.telegram import page_url, parse_channel_page
from crawlers.spiders.base import SourceSpider


class TelegramSpider(SourceSpider):
    kind = "telegram"

    def parse_start(self, response: Response):
        pages = response.meta.get("pages", 1)
        channel_url = response.meta.get("channel_url", response.url.split("?", 1)[0])
        page = parse_channel_page(response.text, response.url)
        for message in page.messages:
            if not message.text and not message.media:
                continue
            yield self.post(message.url, message.text or " ".join(message.media), post_id=message.message_id,
                            author=page.title or message.channel, published_at=message.published_at,
                            views=message.views, forwarded_from=message.forwarded_from,
                            links=message.links, media=message.media)
        if page.before and pages < self.options.max_pages:
            yield self.request(page_url(channel_url, page.before), self.parse_start,
                               pages=pages + 1, channel_url=channel_url)
