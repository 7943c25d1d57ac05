"""Name the kind of a failed request, for the per-source error counts."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_errors

from crawlers.middlewares.content_gate import SkippedContent
from crawlers.middlewares.private_networks import PrivateAddressRefused


def error_kind(exception: BaseException) -> str | None:
    """A short stats key for a request failure, or None when it is already counted as a skip."""
    if isinstance(exception, SkippedContent):
        return None
    if isinstance(exception, PrivateAddressRefused):
        return None  # counted by the guard itself
    if isinstance(exception, HttpError):
        return f"http_{exception.response.status}"
    if isinstance(exception, IgnoreRequest):
        return None  # robots.txt and offsite refusals have their own Scrapy stats
    if isinstance(exception, DownloadCancelledError):
        return "too_large" if "max size" in str(exception) or "maxsize" in str(exception) else "cancelled"
    if isinstance(exception, (DownloadTimeoutError, twisted_errors.TimeoutError, twisted_errors.TCPTimedOutError)):
        return "timeout"
    if isinstance(exception, (CannotResolveHostError, twisted_errors.DNSLookupError)):
        return "dns"
    if isinstance(exception, (DownloadConnectionRefusedError, twisted_errors.ConnectError)):
        return "connection"
    if isinstance(exception, ResponseDataLossError):
        return "data_loss"
    return type(exception).__name__
