"""Retry 429 and 5xx responses (and network errors) after a growing pause.

Scrapy's own retry middleware re-queues at once, which hammers a struggling
server. This one waits ``retry_backoff_s * 2**attempt`` seconds (or the
server's Retry-After, when shorter than a minute) before re-queueing.
"""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.response import response_status_message

MAX_DELAY_S = 60.0


def backoff_delay(base_s: float, attempt: int, retry_after: bytes | None = None) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first)."""
    if retry_after:
        try:
            return min(float(retry_after.decode("ascii").strip()), MAX_DELAY_S)
        except ValueError:
            pass
    return min(base_s * 2 ** attempt, MAX_DELAY_S)


class BackoffRetry(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.base_s = settings.getfloat("VIGIL_RETRY_BACKOFF_S", 2.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        attempt = request.meta.get("retry_times", 0)
        await asyncio.sleep(backoff_delay(self.base_s, attempt, response.headers.get(b"Retry-After")))
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        """Network errors (timeouts, refused or dropped connections) wait like 5xx before the retry."""
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        attempt = request.meta.get("retry_times", 0)
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(backoff_delay(self.base_s, attempt))
        return retry
