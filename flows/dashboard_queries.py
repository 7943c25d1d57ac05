"""The trend queries the dashboards run, each over the aggregates, with its raw-scan equivalent.

The aggregate form reads ``counts_daily`` / ``counts_hourly`` (kept current by
materialized views); the raw form computes the same answer from the
deduplicated documents and classifications, which is what the dashboards would
otherwise scan. The benchmark times both; tests check they agree.
Parameters: ``model`` (model version), ``since`` and ``until`` (DateTime64),
``category``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DashboardQuery:
    name: str
    aggregate: str
    raw: str


_RAW = (
    "(SELECT c.labels AS labels, d.source_id AS source_id, d.language AS language, d.author AS author, "
    " coalesce(d.published_at, d.fetched_at) AS at "
    " FROM (SELECT document_id, labels FROM classifications FINAL WHERE model_version = {model:String}) AS c "
    " INNER JOIN (SELECT id, source_id, language, author, published_at, fetched_at FROM documents FINAL) AS d "
    " ON d.id = c.document_id "
    " WHERE at >= {since:DateTime64(3, 'UTC')} AND at < {until:DateTime64(3, 'UTC')})"
)

QUERIES: tuple[DashboardQuery, ...] = (
    DashboardQuery(
        "flagged_per_category_per_day",
        "SELECT day, category, sum(flagged) AS flagged FROM counts_daily WHERE model_version = {model:String} "
        "AND category != 'any' AND day >= toDate({since:DateTime64(3, 'UTC')}) "
        "AND day < toDate({until:DateTime64(3, 'UTC')}) GROUP BY day, category ORDER BY day, category",
        f"SELECT toDate(at) AS day, arrayJoin(labels) AS category, count() AS flagged FROM {_RAW} "
        "GROUP BY day, category ORDER BY day, category",
    ),
    DashboardQuery(
        "top_sources_flagged",
        "SELECT source_id, flagged, documents FROM (SELECT source_id, sumIf(c.flagged, category != 'any') AS flagged, "
        "sumIf(c.documents, category = 'any') AS documents, sumIf(c.flagged, category = 'any') AS any_flagged "
        "FROM counts_daily AS c WHERE model_version = {model:String} AND day >= toDate({since:DateTime64(3, 'UTC')}) "
        "AND day < toDate({until:DateTime64(3, 'UTC')}) GROUP BY source_id "
        "ORDER BY any_flagged DESC, source_id LIMIT 20)",
        f"SELECT source_id, sum(length(labels)) AS flagged, count() AS documents FROM {_RAW} "
        "GROUP BY source_id ORDER BY countIf(length(labels) > 0) DESC, source_id LIMIT 20",
    ),
    DashboardQuery(
        "hourly_series_by_language",
        "SELECT hour, language, sum(flagged) AS flagged FROM counts_hourly WHERE model_version = {model:String} "
        "AND category = {category:String} AND hour >= {since:DateTime64(3, 'UTC')} "
        "AND hour < {until:DateTime64(3, 'UTC')} GROUP BY hour, language ORDER BY hour, language",
        f"SELECT toDateTime64(toStartOfHour(at), 3, 'UTC') AS hour, language, count() AS flagged FROM {_RAW} "
        "WHERE has(labels, {category:String}) GROUP BY hour, language ORDER BY hour, language",
    ),
    DashboardQuery(
        "flagged_authors_per_category",
        "SELECT category, uniqMerge(flagged_authors) AS authors FROM counts_daily "
        "WHERE model_version = {model:String} AND category != 'any' "
        "AND day >= toDate({since:DateTime64(3, 'UTC')}) AND day < toDate({until:DateTime64(3, 'UTC')}) "
        "GROUP BY category ORDER BY category",
        f"SELECT arrayJoin(labels) AS category, uniq(author) AS authors FROM {_RAW} WHERE author != '' "
        "GROUP BY category ORDER BY category",
    ),
    DashboardQuery(
        "flagged_share_per_language",
        "SELECT language, sumIf(flagged, category = 'any') AS flagged, sumIf(documents, category = 'any') AS total "
        "FROM counts_daily WHERE model_version = {model:String} AND day >= toDate({since:DateTime64(3, 'UTC')}) "
        "AND day < toDate({until:DateTime64(3, 'UTC')}) GROUP BY language ORDER BY language",
        f"SELECT language, countIf(length(labels) > 0) AS flagged, count() AS total FROM {_RAW} "
        "GROUP BY language ORDER BY language",
    ),
)
