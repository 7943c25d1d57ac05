from datetime import datetime, timezone

from hypothesis import example, given, settings
from hypothesis import strategies as st
from scrapy import Request

from crawlers.parse.feed import parse_feed
from crawlers.parse.sitemap import parse_sitemap
from tests.crawlers.conftest import saved_page
from tests.crawlers.strategies import feed_like

BASE = "http://news.example.org/feeds/rss.xml"


def test_rss_items():
    entries = parse_feed(saved_page("feeds/rss.xml").decode(), BASE)
    assert [e.url for e in entries] == [
        "http://news.example.org/news/en-tolerance-festival.html",
        "http://news.example.org/news/en-extremism-research.html",
        "http://news.example.org/news/ru-migrants-bakery.html"]
    assert entries[0].author == "Maria Lind"
    assert entries[0].published_at == datetime(2026, 5, 2, 9, 30, tzinfo=timezone.utc)
    assert "volunteers from the mosque" in entries[0].summary_html


def test_atom_entries():
    entries = parse_feed(saved_page("feeds/atom.xml").decode(), BASE)
    assert entries[0].url == "http://news.example.org/news/ru-library-cp1251.html"
    assert entries[0].author == "Сергей Лебедев" and entries[0].guid == "urn:demo:ru-library-cp1251"


def test_feed_with_a_non_utf8_declaration_given_as_text():
    xml = '<?xml version="1.0" encoding="windows-1251"?><rss><channel><item><title>Привет</title><link>/a</link></item></channel></rss>'
    assert parse_feed(xml, BASE)[0].title == "Привет"


def test_sitemap_index_and_urlset():
    kind, entries = parse_sitemap(saved_page("sitemap_index.xml").decode(), "http://n.org/sitemap_index.xml")
    assert (kind, entries[0].url) == ("index", "http://n.org/sitemaps/news.xml")
    kind, entries = parse_sitemap(saved_page("sitemaps/news.xml").decode(), "http://n.org/sitemaps/news.xml")
    assert kind == "urlset" and len(entries) == 6
    assert entries[0].lastmod == "2026-05-02"
    assert parse_sitemap("<html/>", "http://n.org/") == ("unknown", [])


@settings(max_examples=200, deadline=None)
@given(text=feed_like | st.text())
@example(text="<rss><channel><item><title>&#xD83D;&#xDE00;</title><link>http://a.org/&#xD800;</link></item></channel></rss>")
def test_any_text_parses_as_a_feed_and_a_sitemap_whose_urls_can_be_requested(text):
    for entry in parse_feed(text, BASE):
        Request(entry.url)  # raises ValueError on a URL Scrapy cannot fetch
        assert entry.published_at is None or entry.published_at.tzinfo is not None
    kind, entries = parse_sitemap(text, BASE)
    assert kind in ("index", "urlset", "unknown")
    for entry in entries:
        Request(entry.url)
