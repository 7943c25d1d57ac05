"""The warning page before leaving for a link found in crawled content (``/leave?url=...``)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.review.wellbeing import outside_url


@dataclass(frozen=True)
class LeaveView:
    url: str  # as given, shown as text
    target: str | None  # the link to follow; None when the URL may not be opened


def leave_view(url: str) -> LeaveView:
    return LeaveView(url, outside_url(url))
