"""A Discourse topic from its public JSON API (``/t/<id>.json`` and ``/t/<id>/posts.json``)."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from parsel import Selector

from crawlers.extract.dates import parse_datetime
from crawlers.extract.fragment import fragment_text
from crawlers.extract.links import absolute_links
from crawlers.parse.forum_thread import ForumPost

_TOPIC = re.compile(r"/t/(?:[^/]+/)?(\d+)")


def topic_json_url(url: str) -> str:
    """The JSON URL of a topic given its page or JSON URL."""
    parts = urlsplit(url)
    match = _TOPIC.search(parts.path)
    if not match:
        raise ValueError(f"{url} is not a Discourse topic URL (/t/<slug>/<id>)")
    return f"{parts.scheme}://{parts.netloc}/t/{match.group(1)}.json"


def more_posts_url(topic_url: str, topic_id: int, post_ids: list[int]) -> str:
    parts = urlsplit(topic_url)
    query = urlencode([("post_ids[]", i) for i in post_ids])
    return f"{parts.scheme}://{parts.netloc}/t/{topic_id}/posts.json?{query}"


def parse_posts(posts: list[dict], base_url: str) -> list[ForumPost]:
    found = []
    for raw in posts:
        cooked = Selector(text=raw.get("cooked") or "<p></p>")
        body = cooked.css("body") or cooked
        quotes = cooked.css("aside.quote")
        found.append(ForumPost(
            post_id=str(raw["id"]),
            text=fragment_text(body[0].root, skip=[q.root for q in quotes]),
            quoted_text="\n".join(fragment_text(q.root) for q in quotes) or None,
            author=raw.get("name") or raw.get("username"),
            published_at=parse_datetime(raw.get("created_at")),
            links=absolute_links(cooked.css("a::attr(href)").getall(), base_url),
        ))
    return found


def missing_post_ids(topic: dict) -> list[int]:
    """Ids in the topic's post stream that its first page did not include."""
    stream = topic.get("post_stream", {})
    loaded = {p["id"] for p in stream.get("posts", [])}
    return [i for i in stream.get("stream", []) if i not in loaded]
