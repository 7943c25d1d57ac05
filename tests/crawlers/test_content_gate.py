import gzip

import pytest
from scrapy import Request
from scrapy.http import Response

from crawlers.middlewares.backoff_retry import backoff_delay
from crawlers.middlewares.content_gate import ContentGate, SkippedContent, looks_binary
from tests.crawlers.conftest import make_crawler, saved_page


def respond(url, body, content_type):
    return Response(url, body=body, headers={"Content-Type": content_type}, request=Request(url))


def test_html_is_decoded_to_utf8(crawler):
    url = "http://e.org/news/ru-football-koi8.html"
    out = ContentGate.from_crawler(crawler).process_response(
        Request(url), respond(url, saved_page("news/ru-football-koi8.html"), "text/html; charset=koi8-r"))
    assert out.encoding == "utf-8" and "областной турнир" in out.text


@pytest.mark.parametrize("body,content_type,reason", [
    (saved_page("files/annual-report.pdf"), "application/pdf", "content_type/application/pdf"),
    (bytes(range(256)) * 4, "text/html", "binary_body"),
    (b"hello", "", "content_type/none"),
])
def test_other_content_is_skipped_and_counted(crawler, body, content_type, reason):
    url = "http://e.org/x"
    with pytest.raises(SkippedContent):
        ContentGate.from_crawler(crawler).process_response(Request(url), respond(url, body, content_type))
    assert crawler.stats.get_value(f"vigil/skipped/{reason}") == 1


def test_binary_sniffing_and_backoff():
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00") and not looks_binary("Привет".encode())
    assert [backoff_delay(2.0, n) for n in range(3)] == [2.0, 4.0, 8.0]
    assert backoff_delay(2.0, 10) == 60.0 and backoff_delay(2.0, 0, b"7") == 7.0


def test_gzipped_sitemap_is_unpacked_and_bombs_are_refused():
    url = "http://e.org/sitemap.xml.gz"
    gate = ContentGate.from_crawler(make_crawler({"DOWNLOAD_MAXSIZE": 4096}))
    out = gate.process_response(Request(url), respond(url, gzip.compress(saved_page("sitemaps/news.xml")),
                                                      "application/gzip"))
    assert "<urlset" in out.text
    with pytest.raises(SkippedContent, match="gzip_too_large"):
        gate.process_response(Request(url), respond(url, gzip.compress(b"<a/>" * 5000), "application/x-gzip"))
