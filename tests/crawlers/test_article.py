"""Article extraction on saved pages: main text without navigation, sidebars, footers, ads or scripts."""

from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from crawlers.extract.article import extract_article
from tests.crawlers.conftest import saved_page
from tests.crawlers.strategies import html_like

URL = "http://news.example.org/news/en-tolerance-festival.html"


def test_main_text_and_metadata():
    article = extract_article(saved_page("news/en-tolerance-festival.html").decode(), URL)
    assert article is not None
    assert "volunteers from the mosque, the synagogue and the parish church" in article.text
    assert "A group of Tajik migrants" in article.text
    for boilerplate in ("Most read", "ADVERTISEMENT", "Copyright 2026", "Privacy", "About us", "SCRIPT-INJECTED"):
        assert boilerplate not in article.text
    assert article.title == "Neighbours of many faiths share a street festival"
    assert article.author == "Maria Lind"
    assert article.published_at == datetime(2026, 5, 2, 9, 30, tzinfo=timezone.utc)
    assert article.canonical_url == URL
    assert article.links == ["https://council.example.org/gallery/unityfest-2026"]


def test_print_copy_names_the_original_as_canonical():
    article = extract_article(saved_page("print/en-tolerance-festival.html").decode(),
                              "http://news.example.org/print/en-tolerance-festival.html")
    assert article.canonical_url == URL


def test_cross_host_canonical_is_ignored():
    html = saved_page("news/en-extremism-research.html").decode().replace(
        'href="/news/en-extremism-research.html"', 'href="https://attacker.example.com/x"')
    assert extract_article(html, "http://news.example.org/a").canonical_url is None


def test_page_without_main_text():
    assert extract_article("<html><head><title>x</title></head><body><script>var a;</script></body></html>", URL) is None


@settings(max_examples=100, deadline=None)
@given(html=html_like | st.text())
def test_any_text_gives_an_article_or_none(html):
    article = extract_article(html, URL)
    assert article is None or (article.text and all(link.startswith("http") for link in article.links))
