"""Downloader middleware that refuses requests to private, loopback and link-local hosts.

Redirects pass through it again, so a public page cannot redirect the crawler
inwards either.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from crawlers.addresses import PrivateAddressError, check_host


class PrivateAddressRefused(IgnoreRequest):
    pass


class PrivateNetworkGuard:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        # crawl.allow_private_networks, the one switch (crawlers.settings maps it here)
        self.allowed = crawler.settings.getbool("VIGIL_ALLOW_PRIVATE_NETWORKS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "PrivateNetworkGuard":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if self.allowed:
            return None
        try:
            check_host(urlsplit(request.url).hostname or "")
        except PrivateAddressError as exc:
            self.crawler.stats.inc_value("vigil/refused/private_address")
            raise PrivateAddressRefused(str(exc)) from None
        return None
