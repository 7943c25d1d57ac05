"""What the pages' queries share: the twin type, the grains of the aggregates, the filter fragments and
the raw scan the twins read.

Every fragment here is a constant of the code; values are always bound (``{name:Type}``). The
parameters of the aggregate queries and their twins:

    model      model version (String)            since, until   the range (DateTime64, until exclusive)
    category   the flagged category, or ``any``  source, language   one each, '' for all
    prev_since the start of the previous period (top-N tables)    top   how many rows (UInt32)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dashboards.filters import Filters
from vigil.timeutil import as_utc

TIME = "DateTime64(3, 'UTC')"
SCOPE = ("({source:String} = '' OR source_id = {source:String}) "
         "AND ({language:String} = '' OR language = {language:String})")
# A raw row is flagged (for the bound category) when it has that label, or any label for 'any'.
RAW_FLAGGED = "if({category:String} = 'any', length(labels) > 0, has(labels, {category:String}))"
# The aggregates' categories of a raw row, as the materialized views unfold them.
RAW_CATEGORIES = "ARRAY JOIN arrayConcat(['any'], CAST(labels, 'Array(String)')) AS category"
RAW_CATEGORY_FLAGGED = "category != 'any' OR length(labels) > 0"


@dataclass(frozen=True)
class DashboardQuery:
    """One query the pages run over the aggregates, and its raw-scan twin: the same answer computed
    from the deduplicated documents and classifications. Tests check that they agree; the warehouse
    benchmark times both."""

    name: str
    aggregate: str
    raw: str


@dataclass(frozen=True)
class Grain:
    """Where a query reads its buckets: an aggregate table and the bucket expression over it, with
    the same bucket computed from a raw row's time ``at``."""

    name: str
    table: str  # counts_hourly or counts_daily
    bucket: str
    raw_bucket: str

    def at_least(self, param: str) -> str:
        """The table's rows at or after the moment bound as ``param``."""
        column = "hour" if self.table == "counts_hourly" else "day"
        value = f"{{{param}:{TIME}}}"
        return f"{column} >= {value}" if column == "hour" else f"day >= toDate({value})"

    def span(self, lower: str = "since") -> str:
        """The table's rows in [``lower``, until)."""
        if self.table == "counts_hourly":
            return f"hour >= {{{lower}:{TIME}}} AND hour < {{until:{TIME}}}"
        return f"day >= toDate({{{lower}:{TIME}}}) AND day < toDate({{until:{TIME}}})"


_HOUR = "toDateTime64(toStartOfHour(at), 3, 'UTC')"
GRAINS: dict[tuple[str, str], Grain] = {
    ("hour", "counts_hourly"): Grain("hour", "counts_hourly", "hour", _HOUR),
    ("day", "counts_hourly"): Grain("day-of-hours", "counts_hourly", "toDate(hour)", "toDate(at)"),
    ("week", "counts_hourly"): Grain("week-of-hours", "counts_hourly", "toMonday(hour)", "toMonday(toDate(at))"),
    ("day", "counts_daily"): Grain("day", "counts_daily", "day", "toDate(at)"),
    ("week", "counts_daily"): Grain("week", "counts_daily", "toMonday(day)", "toMonday(toDate(at))"),
}


def series_grain(filters: Filters) -> Grain:
    """The grain of a time series at ``filters.granularity``: the daily aggregate when it answers the
    range exactly, else the hourly one."""
    table = "counts_daily" if filters.day_aligned and filters.granularity != "hour" else "counts_hourly"
    return GRAINS[(filters.granularity, table)]


def period_grain(filters: Filters) -> Grain:
    """The grain of a total over the range (its buckets do not matter, only the table)."""
    return GRAINS[("day", "counts_daily" if filters.day_aligned else "counts_hourly")]


def raw_scan(lower: str = "since") -> str:
    """The deduplicated documents classified by ``{model}``, in [``lower``, until) and in scope."""
    return (
        "(SELECT c.labels AS labels, d.source_id AS source_id, d.language AS language, "
        " ifNull(d.author, '') AS author, coalesce(d.published_at, d.fetched_at) AS at "
        " FROM (SELECT document_id, labels FROM classifications FINAL WHERE model_version = {model:String}) AS c "
        " INNER JOIN (SELECT id, source_id, language, author, published_at, fetched_at FROM documents FINAL) AS d "
        " ON d.id = c.document_id "
        f" WHERE at >= {{{lower}:{TIME}}} AND at < {{until:{TIME}}} AND {SCOPE})"
    )


def bound(filters: Filters, model: str, **extra: Any) -> dict[str, Any]:
    """The parameters of an aggregate query (and its twin) for ``filters`` read with ``model``."""
    return dict(model=model, since=filters.since, until=filters.until, category=filters.flagged_category,
                source=filters.source, language=filters.language, **extra)


def as_datetime(bucket: Any) -> datetime:
    """A bucket (a Date from the daily table, a DateTime64 from the hourly one) as a UTC datetime."""
    if isinstance(bucket, datetime):
        return as_utc(bucket)
    return as_utc(datetime(bucket.year, bucket.month, bucket.day))
