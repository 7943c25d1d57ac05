"""Scrapy settings built from Vigil's typed settings (``vigil.settings.CrawlSettings``).

Nothing here is read from a Scrapy ``settings.py`` convention file: the crawl
child builds its settings with :func:`scrapy_settings`, so one typed object
drives politeness and safety for every spider.
"""

from __future__ import annotations

from typing import Any

from crawlers.pipelines import PIPELINES
from vigil.settings import CrawlSettings


def scrapy_settings(crawl: CrawlSettings, **extra: Any) -> dict[str, Any]:
    """Scrapy settings for one crawl; ``extra`` adds the VIGIL_* run objects (output, state path)."""
    settings: dict[str, Any] = {
        "BOT_NAME": "vigil",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS": 16,
        # Pipelines are synchronous: a hundred item workers per response (the default) only cost time.
        "CONCURRENT_ITEMS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "DOWNLOAD_DELAY": crawl.download_delay_s,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay_s, 0.01),
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_domain),
        "DOWNLOAD_TIMEOUT": crawl.download_timeout_s,
        "DOWNLOAD_MAXSIZE": crawl.max_response_bytes,
        "DOWNLOAD_WARNSIZE": min(crawl.max_response_bytes, 4 * 1024 * 1024),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": crawl.retry_times,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524],
        "VIGIL_RETRY_BACKOFF_S": crawl.retry_backoff_s,
        "VIGIL_ALLOW_PRIVATE_NETWORKS": crawl.allow_private_networks,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,  # no control port listening while crawling hostile sites
        "REDIRECT_MAX_TIMES": 5,
        "LOG_LEVEL": "INFO",
        "DEFAULT_DROPITEM_LOG_LEVEL": "DEBUG",  # drops are expected (unchanged documents) and counted
        # Only http(s): no file://, ftp:// or s3:// from a hostile page's links.
        "DOWNLOAD_HANDLERS": {"file": None, "ftp": None, "s3": None, "data": None},
        "DOWNLOADER_MIDDLEWARES": {
            "crawlers.middlewares.private_networks.PrivateNetworkGuard": 50,
            "crawlers.middlewares.content_gate.ContentGate": 60,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawlers.middlewares.backoff_retry.BackoffRetry": 550,
        },
        "ITEM_PIPELINES": dict(PIPELINES),
        "EXTENSIONS": {"crawlers.report.SourceReport": 500},
    }
    settings.update(extra)
    return settings
