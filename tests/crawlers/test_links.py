"""Outbound links: any href resolves to an http(s) URL that Scrapy can request, or is left out."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from scrapy import Request

from crawlers.extract.links import absolute_links, absolute_url, outbound_links
from tests.crawlers.strategies import LINKS, links

BASE = "https://news.example.org/news/a.html"


def test_hrefs_that_do_not_parse_or_lead_elsewhere_are_left_out():
    assert absolute_links(LINKS, BASE) == [
        "https://example.org/x", "https://news.example.org/a?b=c", "https://news.example.org/ok", BASE,
        "https://news.example.org/news/ht!tp:/x", "https://news.example.org/news/%zz"]  # the last two: paths
    assert outbound_links(LINKS, BASE) == ["https://example.org/x"]
    assert [absolute_url(h, BASE) for h in ("http://[::1", "http://a:99999/", "http:///nohost", None)] == [None] * 4


@settings(max_examples=200, deadline=None)
@given(hrefs=st.lists(links, max_size=8),
       base=st.sampled_from([BASE, "http://[::1]:8080/", "https://xn--e1afmkfd.xn--p1ai/"]))
@example(hrefs=["http://[::1", "http://a:99999/"], base=BASE)
def test_any_href_gives_a_url_scrapy_can_request_or_nothing(hrefs, base):
    found = absolute_links(hrefs, base)
    assert len(found) == len(set(found)) and all("#" not in url for url in found)
    for url in found:
        assert url.startswith(("http://", "https://")) and Request(url)
    assert set(outbound_links(hrefs, base)) <= set(found)
