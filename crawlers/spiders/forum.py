"""forum: thread pages, one post per document, following pagination; Discourse through its JSON API."""

from __future__ import annotations

import json

from scrapy.http import Response

from crawlers.parse import discourse
from crawlers.parse.forum_presets import PRESETS
from crawlers.parse.forum_thread import ForumPost, parse_thread
from crawlers.spiders.base import SourceSpider

DISCOURSE_BATCH = 20


class ForumSpider(SourceSpider):
    kind = "forum"
    stay_on_domains = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.selectors = self.options.selectors or PRESETS.get(self.options.engine)
        self._pages = 0

    async def start(self):
        if self.options.engine != "discourse":
            async for request in super().start():
                yield request
            return
        for url in self.source.start_urls:
            yield self.request(discourse.topic_json_url(url), self.parse_topic)

    def _post(self, url: str, post: ForumPost, thread_title: str | None):
        return self.post(url, post.text, post_id=post.post_id, author=post.author,
                         published_at=post.published_at, quoted_text=post.quoted_text,
                         thread_title=thread_title, title=thread_title, links=post.links)

    def parse_start(self, response: Response):
        self._pages += 1
        page = parse_thread(response.text, self.selectors, response.url)
        thread_url = response.meta.get("thread_url", response.url)
        title = page.title or response.meta.get("thread_title")
        for post in page.posts:
            yield self._post(thread_url, post, title)
        if page.next_page and self._pages < self.options.max_pages:
            yield self.request(page.next_page, self.parse_start, thread_url=thread_url, thread_title=title)

    def parse_topic(self, response: Response):
        topic = json.loads(response.text)
        thread_url = response.url.removesuffix(".json")
        yield from self._discourse_posts(topic.get("post_stream", {}).get("posts", []), thread_url,
                                         topic.get("title"), response.url)
        missing = discourse.missing_post_ids(topic)
        for start in range(0, len(missing), DISCOURSE_BATCH):
            batch = missing[start:start + DISCOURSE_BATCH]
            yield self.request(discourse.more_posts_url(response.url, topic["id"], batch), self.parse_more,
                               thread_url=thread_url, thread_title=topic.get("title"))

    def parse_more(self, response: Response):
        data = json.loads(response.text)
        yield from self._discourse_posts(data.get("post_stream", {}).get("posts", []),
                                         response.meta["thread_url"], response.meta["thread_title"], response.url)

    def _discourse_posts(self, posts: list[dict], thread_url: str, title: str | None, base_url: str):
        for post in discourse.parse_posts(posts, base_url):
            yield self._post(thread_url, post, title)
