"""Fixtures for the crawler tests: the demo site on 127.0.0.1, saved pages, a bare Scrapy crawler."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawlers.demo_site.serve import SITE, DemoSite
from vigil.settings import Settings, load_settings


@pytest.fixture(scope="session")
def demo_site() -> Iterator[DemoSite]:
    with DemoSite() as site:
        yield site


@pytest.fixture(scope="session", autouse=True)
def allow_private_networks() -> Iterator[None]:
    """The demo site lives on 127.0.0.1, which the crawler refuses unless told otherwise."""
    previous = os.environ.get("VIGIL_ALLOW_PRIVATE_NETWORKS")
    os.environ["VIGIL_ALLOW_PRIVATE_NETWORKS"] = "1"
    yield
    if previous is None:
        os.environ.pop("VIGIL_ALLOW_PRIVATE_NETWORKS", None)
    else:
        os.environ["VIGIL_ALLOW_PRIVATE_NETWORKS"] = previous


def fast_settings(home: Path, **crawl) -> Settings:
    """Settings for crawling a local server: no politeness delays, quick retries."""
    options = {"download_delay_s": 0, "autothrottle": False, "retry_backoff_s": 0.05, **crawl}
    return load_settings(home=home, crawl=options)


def saved_page(path: str) -> bytes:
    """A page of the demo site as stored on disk (spider tests on saved pages)."""
    return (SITE / path).read_bytes()


def response_for(url: str, body: bytes, content_type: str = "text/html; charset=utf-8", **meta):
    request = Request(url, meta=meta)
    cls = {"text/html": HtmlResponse, "application/xml": XmlResponse}.get(content_type.split(";")[0], TextResponse)
    return cls(url=url, body=body, headers={"Content-Type": content_type}, request=request, encoding="utf-8")


def make_crawler(settings: dict | None = None):
    """A configured but not running Scrapy crawler with these settings."""
    return get_crawler(settings_dict=settings or {})


@pytest.fixture
def crawler():
    """A configured but not running Scrapy crawler (stats and settings for components)."""
    return get_crawler(settings_dict={})
