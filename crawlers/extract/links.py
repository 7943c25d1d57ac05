"""Outbound links: where a page or post points, resolved to absolute http(s) URLs."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def absolute_links(hrefs: list[str], base_url: str) -> list[str]:
    """Resolve hrefs against the page URL, keep http(s) ones, drop fragments and repeats."""
    found = []
    for href in hrefs:
        href = (href or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if urlsplit(url).scheme in {"http", "https"}:
            found.append(url)
    return list(dict.fromkeys(found))


def outbound_links(hrefs: list[str], base_url: str) -> list[str]:
    """Links that leave the page's host: what analysts follow to other sites and channels."""
    host = (urlsplit(base_url).hostname or "").lower()
    return [u for u in absolute_links(hrefs, base_url) if (urlsplit(u).hostname or "").lower() != host]
