"""Spider callbacks on saved pages: what each spider yields for a page, without a network."""

from __future__ import annotations

from scrapy import Request

from crawlers.items import RawPost
from crawlers.sources import Source
from crawlers.spiders import SPIDERS
from crawlers.state import CrawlState
from tests.crawlers.conftest import make_crawler, response_for, saved_page

BASE = "http://demo.example.org"


def spider_for(source: Source, settings: dict | None = None):
    crawler = make_crawler(settings)
    return SPIDERS[source.kind].from_crawler(crawler, source=source)


def split(output) -> tuple[list[RawPost], list[Request]]:
    items = list(output or [])
    return [i for i in items if isinstance(i, RawPost)], [i for i in items if isinstance(i, Request)]


def test_feed_spider_follows_items_with_the_robots_override():
    source = Source(id="feed", kind="rss", url=f"{BASE}/feeds/rss.xml", ignore_robots="agreed with the publisher")
    spider = spider_for(source)
    posts, requests = split(spider.parse_start(response_for(source.url, saved_page("feeds/rss.xml"), "application/xml")))
    assert posts == [] and len(requests) == 3
    assert requests[0].url == f"{BASE}/news/en-tolerance-festival.html"
    assert requests[0].meta["dont_obey_robotstxt"] is True and requests[0].meta["entry"].author == "Maria Lind"
    page = response_for(requests[0].url, saved_page("news/en-tolerance-festival.html"), **requests[0].meta)
    [post] = split(spider.parse_item(page))[0]
    assert post.source_kind == "rss" and post.title.startswith("Neighbours of many faiths")


def test_feed_spider_can_use_summaries_only():
    source = Source(id="feed", kind="rss", url=f"{BASE}/feeds/atom.xml", rss={"follow_links": False})
    posts, requests = split(spider_for(source).parse_start(
        response_for(source.url, saved_page("feeds/atom.xml"), "application/xml")))
    assert requests == [] and len(posts) == 3
    assert posts[0].text.startswith("В центральной городской библиотеке") and posts[0].author == "Сергей Лебедев"


def test_sitemap_spider_skips_pages_whose_lastmod_did_not_move(tmp_path):
    state_path = tmp_path / "state.sqlite3"
    state = CrawlState(state_path)
    state.record_pages([(f"{BASE}/news/en-tolerance-festival.html", "map", "2026-05-02")])
    state.close()
    source = Source(id="map", kind="sitemap", url=f"{BASE}/sitemaps/news.xml", sitemap={"allow": ["/news/en-"]})
    spider = spider_for(source, {"VIGIL_STATE_PATH": str(state_path)})
    _, requests = split(spider.parse_start(response_for(source.url, saved_page("sitemaps/news.xml"), "application/xml")))
    assert [r.url for r in requests] == [f"{BASE}/news/en-extremism-research.html"]
    assert requests[0].meta["lastmod"] == "2026-05-05"
    assert spider.crawler.stats.get_value("vigil/sitemap/unchanged_lastmod") == 1


def test_forum_spider_yields_posts_and_the_next_page():
    source = Source(id="board", kind="forum", url=f"{BASE}/forum/topic-7.html")
    posts, requests = split(spider_for(source).parse_start(
        response_for(source.url, saved_page("forum/topic-7.html"))))
    assert [(p.post_id, p.url, p.thread_title) for p in posts][0] == ("701", source.url, "Old mill on the river")
    assert [r.url for r in requests] == [f"{BASE}/forum/topic-7-page-2.html"]
    assert requests[0].meta["thread_url"] == source.url


def test_site_spider_stays_within_allow_deny_and_depth():
    source = Source(id="site", kind="site", url=f"{BASE}/index.html",
                    site={"allow": [r"/news/.+\.html"], "deny": ["koi8"], "depth": 1})
    spider = spider_for(source)
    posts, requests = split(spider.parse_start(response_for(source.url, saved_page("index.html"))))
    assert posts == []  # an index page is not an article
    assert sorted(r.url.rsplit("/", 1)[1] for r in requests) == [
        "en-extremism-research.html", "en-tolerance-festival.html", "ru-library-cp1251.html",
        "ru-migrants-bakery.html", "ru-river-wrong-charset.html"]
    deep = response_for(requests[0].url, saved_page("news/en-extremism-research.html"), depth=1)
    posts, requests = split(spider.parse_start(deep))
    assert len(posts) == 1 and requests == []


def test_telegram_spider_pages_back_until_the_limit():
    source = Source(id="channel", kind="telegram", url="https://t.me/s/riverside_daily", telegram={"max_pages": 2})
    spider = spider_for(source)
    posts, requests = split(spider.parse_start(response_for(source.url, saved_page("tg/riverside_daily.html"))))
    assert [p.post_id for p in posts] == ["5", "6", "7", "8"] and posts[1].views == 3200
    assert [r.url for r in requests] == ["https://t.me/s/riverside_daily?before=5"]
    older = response_for(requests[0].url, saved_page("tg/riverside_daily.html"), **requests[0].meta)
    assert split(spider.parse_start(older))[1] == []  # max_pages reached
