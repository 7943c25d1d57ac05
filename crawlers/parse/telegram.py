"""Messages of a public Telegram channel preview page (``t.me/s/<channel>``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawlers.extract.dates import parse_datetime
from crawlers.extract.fragment import fragment_text
from crawlers.extract.links import absolute_links

_BACKGROUND = re.compile(r"background-image:\s*url\(['\"]?([^'\")]+)")
_SCALE = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


@dataclass(frozen=True)
class ChannelMessage:
    channel: str
    message_id: str
    url: str
    text: str
    published_at: datetime | None
    views: int | None
    forwarded_from: str | None
    links: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ChannelPage:
    title: str | None
    messages: list[ChannelMessage]
    before: str | None  # the ?before= value of the next (older) page


def parse_views(text: str | None) -> int | None:
    """``"1.2K"`` -> 1200; None when absent or unreadable."""
    if not text:
        return None
    value = text.strip().upper().replace(",", "")
    scale = _SCALE.get(value[-1:], 1)
    try:
        return int(float(value.rstrip("KMB")) * scale)
    except ValueError:
        return None


def _media(node: Selector, base_url: str) -> list[str]:
    found = []
    for style in node.css(".tgme_widget_message_photo_wrap::attr(style), "
                          ".tgme_widget_message_video_thumb::attr(style)").getall():
        found.extend(_BACKGROUND.findall(style))
    found.extend(node.css("video::attr(src), .tgme_widget_message_document_wrap::attr(href)").getall())
    return absolute_links(found, base_url)


def parse_message(node: Selector, base_url: str) -> ChannelMessage | None:
    data_post = node.attrib.get("data-post", "")
    channel, _, message_id = data_post.partition("/")
    if not message_id.isdigit():
        return None
    text_node = node.css(".tgme_widget_message_text")
    text = fragment_text(text_node[0].root) if text_node else ""
    forwarded = node.css(".tgme_widget_message_forwarded_from_name")
    forwarded_from = None
    if forwarded:
        forwarded_from = forwarded[0].attrib.get("href") or fragment_text(forwarded[0].root) or None
    host = urlsplit(base_url)
    return ChannelMessage(
        channel=channel, message_id=message_id,
        url=f"{host.scheme}://{host.netloc}/{channel}/{message_id}",
        text=text,
        published_at=parse_datetime(node.css(".tgme_widget_message_date time::attr(datetime)").get()),
        views=parse_views(node.css(".tgme_widget_message_views::text").get()),
        forwarded_from=forwarded_from,
        links=absolute_links(text_node.css("a::attr(href)").getall(), base_url) if text_node else [],
        media=_media(node, base_url),
    )


def parse_channel_page(html: str, base_url: str) -> ChannelPage:
    page = Selector(text=html)
    messages = [m for m in (parse_message(n, base_url) for n in page.css("div.tgme_widget_message[data-post]")) if m]
    before = page.css("a.tme_messages_more::attr(data-before)").get()
    return ChannelPage(title=page.css(".tgme_channel_info_header_title ::text").get(), messages=messages,
                       before=before)


def page_url(channel_url: str, before: str) -> str:
    return urljoin(channel_url, f"?before={before}")
