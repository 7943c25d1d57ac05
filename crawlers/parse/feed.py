"""RSS 2.0 and Atom feeds: one entry per item, with its link, title, summary, author and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawlers.extract.dates import parse_datetime
from crawlers.extract.links import absolute_url
from crawlers.parse.xml import xml_selector


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None
    summary_html: str | None
    author: str | None
    published_at: datetime | None
    guid: str | None


def _text(node, query: str) -> str | None:
    value = node.xpath(query).get()
    return value.strip() if value and value.strip() else None


def _atom_link(entry) -> str | None:
    for link in entry.xpath("link"):
        if link.xpath("@rel").get() in (None, "alternate"):
            return link.xpath("@href").get()
    return None


def parse_feed(text: str, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS 2.0 or Atom feed; entries without an http(s) link (none, another scheme, one that
    does not parse) are left out."""
    feed = xml_selector(text)
    entries = []
    for item in feed.xpath("//channel/item"):
        link = absolute_url(_text(item, "link/text()") or _text(item, "guid[not(@isPermaLink='false')]/text()"),
                            base_url)
        if link:
            entries.append(FeedEntry(
                url=link, title=_text(item, "title/text()"),
                summary_html=_text(item, "encoded/text()") or _text(item, "description/text()"),
                author=_text(item, "creator/text()") or _text(item, "author/text()"),
                published_at=parse_datetime(_text(item, "pubDate/text()") or _text(item, "date/text()")),
                guid=_text(item, "guid/text()"),
            ))
    for entry in feed.xpath("//feed/entry"):
        link = absolute_url(_atom_link(entry), base_url)
        if link:
            entries.append(FeedEntry(
                url=link, title=_text(entry, "title/text()"),
                summary_html=_text(entry, "content/text()") or _text(entry, "summary/text()"),
                author=_text(entry, "author/name/text()"),
                published_at=parse_datetime(_text(entry, "published/text()") or _text(entry, "updated/text()")),
                guid=_text(entry, "id/text()"),
            ))
    return entries
