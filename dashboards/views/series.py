"""Time series for the trend charts, built from the aggregate queries' rows.

Every bucket of the range is present: a bucket without flagged documents counts 0, and its share is
None (no data) when it has no documents at all, so a quiet hour is never drawn as a gap nor a gap as a
quiet hour. Each series names the documents behind it as a query string for ``/search``, without the
time, which the chart adds for the bucket clicked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from dashboards.filters import Filters
from dashboards.queries.sql import as_datetime
from dashboards.views.change import share
from vigil.warehouse.base import Row

STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(days=7)}


@dataclass(frozen=True)
class Point:
    bucket: datetime
    flagged: int
    documents: int
    share: float | None  # flagged as a percentage of the bucket's documents; None without documents


@dataclass(frozen=True)
class Series:
    key: str  # a category, language or source ('' for the rest)
    name: str  # translated
    search: str  # /search query string of its documents, without the time; '' when they are no filter
    total: int  # flagged in the whole range
    points: list[Point]


def buckets(filters: Filters) -> list[datetime]:
    """The start of every bucket that overlaps the range, at ``filters.granularity``."""
    first = filters.since.replace(minute=0, second=0, microsecond=0)
    if filters.granularity != "hour":
        first = first.replace(hour=0)
    if filters.granularity == "week":
        first -= timedelta(days=first.weekday())
    step, found = STEPS[filters.granularity], []
    while first < filters.until:
        found.append(first)
        first += step
    return found


def by_key(rows: Iterable[Row], key: str) -> dict[str, dict[datetime, Row]]:
    """Rows indexed by ``row[key]`` then by bucket (as a UTC datetime)."""
    found: dict[str, dict[datetime, Row]] = {}
    for row in rows:
        found.setdefault(row[key], {})[as_datetime(row["bucket"])] = row
    return found


def build(keys: Iterable[str], flagged: dict[str, dict[datetime, Row]], documents: Callable[[str, datetime], int],
          filters: Filters, name: Callable[[str], str], search: Callable[[str], str]) -> list[Series]:
    """One series per key, over every bucket: flagged from ``flagged``, documents from ``documents``."""
    found = []
    for key in keys:
        rows = flagged.get(key, {})
        points = []
        for bucket in buckets(filters):
            count, total = int(rows[bucket]["flagged"]) if bucket in rows else 0, documents(key, bucket)
            points.append(Point(bucket, count, total, share(count, total)))
        found.append(Series(key, name(key), search(key), sum(p.flagged for p in points), points))
    return found
