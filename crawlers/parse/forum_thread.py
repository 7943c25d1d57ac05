"""Posts of a forum thread page: one record per post, its own text apart from what it quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from parsel import Selector

from crawlers.extract.dates import parse_datetime
from crawlers.extract.fragment import fragment_text
from crawlers.extract.links import absolute_links
from crawlers.sources import ForumSelectors

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class ForumPost:
    post_id: str
    text: str
    quoted_text: str | None
    author: str | None
    published_at: datetime | None
    links: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ThreadPage:
    title: str | None
    posts: list[ForumPost]
    next_page: str | None


def _first(node: Selector, query: str | None) -> str | None:
    """The first non-blank match, trying comma-separated alternatives in the order given."""
    if not query:
        return None
    for alternative in query.split(","):
        for value in node.css(alternative.strip()).getall():
            if value and value.strip():
                return value.strip()
    return None


def _post_id(raw: str | None) -> str | None:
    if not raw:
        return None
    digits = _DIGITS.findall(raw)
    return digits[-1] if digits else raw.strip()


def _outermost(quotes: list) -> list:
    roots = {q.root for q in quotes}
    return [q for q in quotes if not any(a in roots for a in q.root.iterancestors())]


def parse_post(node: Selector, selectors: ForumSelectors, base_url: str) -> ForumPost | None:
    post_id = _post_id(_first(node, selectors.post_id))
    body = node.css(selectors.body)
    if post_id is None or not body:
        return None
    body_root = body[0].root
    quotes = _outermost(body[0].css(selectors.quote)) if selectors.quote else []
    quoted = "\n".join(t for t in (fragment_text(q.root) for q in quotes) if t) or None
    hrefs = [a for a in body[0].css("a::attr(href)").getall()]
    return ForumPost(
        post_id=post_id,
        text=fragment_text(body_root, skip=[q.root for q in quotes]),
        quoted_text=quoted,
        author=_first(node, selectors.author),
        published_at=parse_datetime(_first(node, selectors.time)),
        links=absolute_links(hrefs, base_url),
    )


def parse_thread(html: str, selectors: ForumSelectors, base_url: str) -> ThreadPage:
    page = Selector(text=html)
    posts = [p for p in (parse_post(n, selectors, base_url) for n in page.css(selectors.post)) if p]
    next_href = _first(page, selectors.next_page)
    return ThreadPage(
        title=_first(page, selectors.thread_title),
        posts=posts,
        next_page=urljoin(base_url, next_href) if next_href else None,
    )
