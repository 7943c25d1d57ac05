"""Main text and metadata of an article page, with trafilatura.

trafilatura drops navigation, sidebars, footers and ads; its output keeps the
article's links as ``<ref>`` elements, from which the outbound links are taken
so that links in menus and footers do not count. Metadata prefers what the page
states explicitly (Open Graph and article meta tags, ``<time>``) over guesses.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import trafilatura
from parsel import Selector
from trafilatura.settings import use_config

from crawlers.extract.dates import parse_datetime
from crawlers.extract.links import outbound_links

for _noisy in ("trafilatura", "htmldate"):  # "discarding data" on every listing page is not news
    logging.getLogger(_noisy).setLevel(logging.ERROR)
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # its timeout uses signals, which need the main thread
_SPACES = re.compile(r"[ \t\u00a0]+")
FALLBACK_BELOW_CHARS = 200  # a fast extraction shorter than this is retried with the fallbacks

_PUBLISHED = ("meta[property='article:published_time']::attr(content)",
              "meta[name='pubdate']::attr(content)", "meta[itemprop='datePublished']::attr(content)",
              "time[datetime]::attr(datetime)")
_TITLE = ("meta[property='og:title']::attr(content)",)
_AUTHOR = ("meta[name='author']::attr(content)", "meta[property='article:author']::attr(content)",
           "[rel='author']::text")


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    canonical_url: str | None = None
    links: list[str] = field(default_factory=list)


def _first(selector: Selector, queries: tuple[str, ...]) -> str | None:
    for query in queries:
        value = selector.css(query).get()
        if value and value.strip():
            return value.strip()
    return None


def canonical_link(selector: Selector, url: str) -> str | None:
    """The page's rel=canonical URL when it stays on the page's own host (others could be spoofed)."""
    href = selector.css("link[rel='canonical']::attr(href)").get()
    if not href:
        return None
    try:
        canonical = urljoin(url, href.strip())
        same_host = (urlsplit(canonical).hostname or "") == (urlsplit(url).hostname or "")
    except ValueError:  # an href that does not parse as a URL
        return None
    return canonical if same_host and urlsplit(canonical).scheme in {"http", "https"} else None


def _block_text(element) -> str:
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def _extract(html: str, url: str, *, fast: bool):
    return trafilatura.bare_extraction(
        html, url=url, fast=fast, with_metadata=True, include_links=True, include_comments=False,
        include_images=False, favor_precision=True, config=_CONFIG,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def extract_article(html: str, url: str) -> Article | None:
    """The article on an HTML page, or None when the page has no main text."""
    result = _extract(html, url, fast=True)
    if result is None or result.body is None or len(result.text or "") < FALLBACK_BELOW_CHARS:
        result = _extract(html, url, fast=False)  # the slower fallback extractors, for odd layouts
    if result is None or result.body is None:
        return None
    blocks = [_block_text(child) for child in result.body]
    text = "\n".join(b for b in blocks if b)
    if not text:
        return None
    hrefs = [ref.get("target", "") for ref in result.body.iter("ref")]
    page = Selector(text=html)
    published = parse_datetime(_first(page, _PUBLISHED)) or parse_datetime(result.date)
    return Article(
        text=text,
        title=_first(page, _TITLE) or result.title,
        author=_first(page, _AUTHOR) or result.author,
        published_at=published,
        canonical_url=canonical_link(page, url),
        links=outbound_links(hrefs, url),
    )
