"""Sitemaps and sitemap indexes: ``(loc, lastmod)`` pairs and which of the two a file is."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from crawlers.parse.xml import xml_selector


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str | None


def parse_sitemap(text: str, base_url: str) -> tuple[str, list[SitemapEntry]]:
    """``("index", child sitemaps)`` or ``("urlset", pages)``; ``("unknown", [])`` for anything else."""
    doc = xml_selector(text)
    for kind, query in (("index", "/sitemapindex/sitemap"), ("urlset", "/urlset/url")):
        nodes = doc.xpath(query)
        if nodes or doc.xpath(query.rsplit("/", 1)[0]):
            entries = []
            for node in nodes:
                loc = (node.xpath("loc/text()").get() or "").strip()
                if loc:
                    lastmod = (node.xpath("lastmod/text()").get() or "").strip() or None
                    entries.append(SitemapEntry(urljoin(base_url, loc), lastmod))
            return kind, entries
    return "unknown", []
