"""Parse the date spellings found in feeds, sitemaps, meta tags and forum posts."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y, %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
            "%b %d, %Y %I:%M %p", "%d %b %Y, %H:%M", "%a %b %d, %Y %I:%M %p")


def parse_datetime(value: str | None) -> datetime | None:
    """A timezone-aware datetime (UTC when the text names no zone), or None when unreadable."""
    if not value:
        return None
    text = re.sub(r"\s+", " ", value).strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            for fmt in _FORMATS:
                try:
                    parsed = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
