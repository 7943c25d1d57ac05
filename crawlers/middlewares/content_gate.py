"""Downloader middleware: only HTML, feeds and JSON reach the spiders; the rest is counted.

The Content-Type header is not trusted alone: a body with NUL bytes or mostly
control characters is binary whatever it claims to be. Text bodies are decoded
here once (see :mod:`crawlers.extract.decode`) and handed on as UTF-8, so every
spider sees correctly decoded text.
"""

from __future__ import annotations

import gzip
import io

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from crawlers.extract.decode import decode_body

PARSED_TYPES = {
    "text/html": HtmlResponse, "application/xhtml+xml": HtmlResponse,
    "application/rss+xml": XmlResponse, "application/atom+xml": XmlResponse,
    "application/xml": XmlResponse, "text/xml": XmlResponse,
    "application/json": TextResponse,
}

GZIP_TYPES = {"application/gzip", "application/x-gzip"}
# Every byte except the control characters that never appear in text (tab, newlines, form feed are fine).
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13))


class SkippedContent(IgnoreRequest):
    """A response that is not parsed; ``reason`` is the stats key suffix."""

    def __init__(self, reason: str, url: str):
        self.reason = reason
        super().__init__(f"skipped {url}: {reason}")


def looks_binary(body: bytes) -> bool:
    head = body[:4096]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))
    return bool(head) and controls / len(head) > 0.05


def media_type(response: Response) -> str:
    raw = response.headers.get(b"Content-Type", b"").decode("latin-1")
    return raw.split(";", 1)[0].strip().lower()


class ContentGate:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE") or 10 * 1024 * 1024

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ContentGate":
        return cls(crawler)

    def _skip(self, reason: str, request: Request) -> SkippedContent:
        self.crawler.stats.inc_value(f"vigil/skipped/{reason}")
        return SkippedContent(reason, request.url)

    def _gunzip(self, body: bytes, request: Request) -> bytes:
        """Decompress at most ``max_response_bytes``; a bomb or a broken file is skipped."""
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
                data = stream.read(self.max_bytes + 1)
        except (OSError, EOFError):
            raise self._skip("bad_gzip", request) from None
        if len(data) > self.max_bytes:
            raise self._skip("gzip_too_large", request)
        return data

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 300 or request.url.endswith("/robots.txt"):
            return response
        kind = media_type(response)
        if kind.endswith("+json"):
            kind = "application/json"
        body = response.body
        if kind in GZIP_TYPES or (body[:2] == b"\x1f\x8b" and request.url.endswith(".gz")):
            body = self._gunzip(body, request)  # sitemap.xml.gz and friends
            kind = "application/xml"
        response_class = PARSED_TYPES.get(kind)
        if response_class is None:
            raise self._skip(f"content_type/{kind or 'none'}", request)
        if looks_binary(body):
            raise self._skip("binary_body", request)
        text, _ = decode_body(body, response.headers.get(b"Content-Type", b"").decode("latin-1"))
        return response_class(url=response.url, status=response.status, headers=response.headers,
                              body=text.encode("utf-8"), encoding="utf-8", request=request,
                              flags=response.flags, certificate=response.certificate,
                              ip_address=response.ip_address, protocol=response.protocol)
