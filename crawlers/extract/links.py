"""Outbound links: where a page or post points, resolved to absolute http(s) URLs."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def absolute_url(href: str | None, base_url: str) -> str | None:
    """``href`` resolved against ``base_url`` when that makes an http(s) URL; None for no href, another
    scheme, or one that does not parse (``http://[::1``, a port over 65535)."""
    href = (href or "").strip()
    if not href:
        return None
    try:
        url = urljoin(base_url, href)
        parts = urlsplit(url)
        web = parts.scheme in {"http", "https"} and bool(parts.hostname) and (parts.port or 0) >= 0
    except ValueError:  # reading .port raises it too, for a port over 65535
        return None
    return url if web else None


def absolute_links(hrefs: list[str], base_url: str) -> list[str]:
    """Resolve hrefs against the page URL, keep http(s) ones, drop fragments, repeats and hrefs that
    do not parse."""
    found = []
    for href in hrefs:
        href = (href or "").strip()
        if href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = absolute_url(href, base_url)
        if url:
            found.append(url.split("#", 1)[0])
    return list(dict.fromkeys(found))


def outbound_links(hrefs: list[str], base_url: str) -> list[str]:
    """Links that leave the page's host: what analysts follow to other sites and channels."""
    host = (urlsplit(base_url).hostname or "").lower()
    return [u for u in absolute_links(hrefs, base_url) if (urlsplit(u).hostname or "").lower() != host]
