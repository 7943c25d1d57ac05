"""Sitemaps and sitemap indexes: ``(loc, lastmod)`` pairs and which of the two a file is."""

from __future__ import annotations

from dataclasses import dataclass

from crawlers.extract.links import absolute_url
from crawlers.parse.xml import xml_selector


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str | None


def parse_sitemap(text: str, base_url: str) -> tuple[str, list[SitemapEntry]]:
    """``("index", child sitemaps)`` or ``("urlset", pages)``; ``("unknown", [])`` for anything else.
    A ``<loc>`` that is not an http(s) URL is left out."""
    doc = xml_selector(text)
    for kind, query in (("index", "/sitemapindex/sitemap"), ("urlset", "/urlset/url")):
        nodes = doc.xpath(query)
        if nodes or doc.xpath(query.rsplit("/", 1)[0]):
            entries = []
            for node in nodes:
                url = absolute_url(node.xpath("loc/text()").get(), base_url)
                if url:
                    lastmod = (node.xpath("lastmod/text()").get() or "").strip() or None
                    entries.append(SitemapEntry(url, lastmod))
            return kind, entries
    return "unknown", []
