"""CSS selectors for the forum engines Vigil knows (their default themes)."""

from __future__ import annotations

from crawlers.sources import ForumSelectors

PRESETS: dict[str, ForumSelectors] = {
    "phpbb": ForumSelectors(
        post="div.post", post_id="::attr(id)", body="div.content",
        author=".author .username::text, .author strong a::text, .author strong::text",
        time=".author time::attr(datetime), .author::text", quote="blockquote",
        thread_title="h2.topic-title a::text, h2.topic-title::text",
        next_page="a[rel='next']::attr(href), .pagination li.next a::attr(href)",
    ),
    "xenforo": ForumSelectors(
        post="article.message--post", post_id="::attr(data-content)", body=".message-body .bbWrapper",
        author="::attr(data-author)", time="time.u-dt::attr(datetime)",
        quote="blockquote.bbCodeBlock--quote", thread_title="h1.p-title-value::text",
        next_page="a.pageNav-jump--next::attr(href)",
    ),
    "vbulletin": ForumSelectors(
        post="li.postcontainer, li.postbitlegacy", post_id="::attr(id)", body="blockquote.postcontent",
        author="a.username strong::text, a.username::text", time="span.date::text",
        quote="div.bbcode_quote", thread_title="span.threadtitle a::text, span.threadtitle::text",
        next_page="a[rel='next']::attr(href)",
    ),
}
