"""The overview's queries over the aggregates: flagged documents over time per category, per language
and per leading source, and the tables with the period before. Each has its raw-scan twin
(``sql.DashboardQuery``); the source page and the alert page draw their charts with the same ones."""

from __future__ import annotations

from dashboards.filters import Filters
from dashboards.queries.sql import (GRAINS, RAW_CATEGORIES, RAW_CATEGORY_FLAGGED, RAW_FLAGGED, SCOPE, TIME,
                                    DashboardQuery, Grain, bound, period_grain, raw_scan, series_grain)
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row

_IN_CATEGORY = "model_version = {model:String} AND category IN ('any', {category:String})"
_FLAGGED = "sumIf(flagged, category = {category:String})"
_ALL = "sumIf(documents, category = 'any')"


def _by_category(grain: Grain) -> DashboardQuery:
    return DashboardQuery(
        f"series_by_category[{grain.name}]",
        f"SELECT {grain.bucket} AS bucket, category, sum(flagged) AS flagged, sum(documents) AS documents "
        f"FROM {grain.table} WHERE model_version = {{model:String}} AND {grain.span()} AND {SCOPE} "
        "GROUP BY bucket, category HAVING documents != 0 ORDER BY bucket, category",
        f"SELECT {grain.raw_bucket} AS bucket, category, countIf({RAW_CATEGORY_FLAGGED}) AS flagged, "
        f"count() AS documents FROM {raw_scan()} {RAW_CATEGORIES} GROUP BY bucket, category ORDER BY bucket, category",
    )


def _by_language(grain: Grain) -> DashboardQuery:
    return DashboardQuery(
        f"series_by_language[{grain.name}]",
        f"SELECT {grain.bucket} AS bucket, language, {_FLAGGED} AS flagged, {_ALL} AS documents "
        f"FROM {grain.table} WHERE {_IN_CATEGORY} AND {grain.span()} AND {SCOPE} "
        "GROUP BY bucket, language HAVING documents != 0 ORDER BY bucket, language",
        f"SELECT {grain.raw_bucket} AS bucket, language, countIf({RAW_FLAGGED}) AS flagged, count() AS documents "
        f"FROM {raw_scan()} GROUP BY bucket, language ORDER BY bucket, language",
    )


def _by_source(grain: Grain) -> DashboardQuery:
    """Per bucket, the ``top`` sources with the most flagged documents in the range; the rest as ''."""
    leaders = (f"SELECT source_id FROM {grain.table} WHERE model_version = {{model:String}} "
               f"AND category = {{category:String}} AND {grain.span()} AND {SCOPE} GROUP BY source_id "
               "HAVING sum(flagged) > 0 ORDER BY sum(flagged) DESC, source_id LIMIT {top:UInt32}")
    raw_leaders = (f"SELECT source_id FROM {raw_scan()} GROUP BY source_id HAVING countIf({RAW_FLAGGED}) > 0 "
                   f"ORDER BY countIf({RAW_FLAGGED}) DESC, source_id LIMIT {{top:UInt32}}")
    return DashboardQuery(
        f"series_by_source[{grain.name}]",
        f"SELECT {grain.bucket} AS bucket, if(source_id IN ({leaders}), source_id, '') AS source, "
        f"{_FLAGGED} AS flagged, {_ALL} AS documents FROM {grain.table} "
        f"WHERE {_IN_CATEGORY} AND {grain.span()} AND {SCOPE} "
        "GROUP BY bucket, source HAVING documents != 0 ORDER BY bucket, source",
        f"SELECT {grain.raw_bucket} AS bucket, if(source_id IN ({raw_leaders}), source_id, '') AS source, "
        f"countIf({RAW_FLAGGED}) AS flagged, count() AS documents FROM {raw_scan()} "
        "GROUP BY bucket, source ORDER BY bucket, source",
    )


def _top(dimension: str, grain: Grain) -> DashboardQuery:
    """Per ``dimension`` value: flagged in the range (``current``) and in the period before
    (``previous``, from ``prev_since``), and all documents in the range (``total``)."""
    recent = grain.at_least("since")
    return DashboardQuery(
        f"top_by_{dimension}[{grain.name}]",
        f"SELECT {dimension} AS key, sumIf(flagged, category = {{category:String}} AND {recent}) AS current, "
        f"sumIf(flagged, category = {{category:String}} AND NOT ({recent})) AS previous, "
        f"sumIf(documents, category = 'any' AND {recent}) AS total FROM {grain.table} "
        f"WHERE {_IN_CATEGORY} AND {grain.span('prev_since')} AND {SCOPE} GROUP BY key "
        "HAVING current != 0 OR previous != 0 OR total != 0 ORDER BY current DESC, previous DESC, key "
        "LIMIT {top:UInt32}",
        f"SELECT {dimension} AS key, countIf({RAW_FLAGGED} AND at >= {{since:{TIME}}}) AS current, "
        f"countIf({RAW_FLAGGED} AND at < {{since:{TIME}}}) AS previous, countIf(at >= {{since:{TIME}}}) AS total "
        f"FROM {raw_scan('prev_since')} GROUP BY key HAVING current != 0 OR previous != 0 OR total != 0 "
        "ORDER BY current DESC, previous DESC, key LIMIT {top:UInt32}",
    )


def _category_change(grain: Grain) -> DashboardQuery:
    """Per category (and ``any``: every classified document): flagged (``current``, ``previous``) and
    documents (``total``, ``total_previous``)."""
    recent = grain.at_least("since")
    return DashboardQuery(
        f"category_change[{grain.name}]",
        f"SELECT category, sumIf(flagged, {recent}) AS current, sumIf(flagged, NOT ({recent})) AS previous, "
        f"sumIf(documents, {recent}) AS total, sumIf(documents, NOT ({recent})) AS total_previous "
        f"FROM {grain.table} "
        f"WHERE model_version = {{model:String}} AND {grain.span('prev_since')} AND {SCOPE} GROUP BY category "
        "HAVING current != 0 OR previous != 0 OR total != 0 OR total_previous != 0 ORDER BY category",
        f"SELECT category, countIf(({RAW_CATEGORY_FLAGGED}) AND at >= {{since:{TIME}}}) AS current, "
        f"countIf(({RAW_CATEGORY_FLAGGED}) AND at < {{since:{TIME}}}) AS previous, "
        f"countIf(at >= {{since:{TIME}}}) AS total, countIf(at < {{since:{TIME}}}) AS total_previous "
        f"FROM {raw_scan('prev_since')} {RAW_CATEGORIES} GROUP BY category "
        "HAVING current != 0 OR previous != 0 OR total != 0 OR total_previous != 0 ORDER BY category",
    )


BY_CATEGORY = {key: _by_category(grain) for key, grain in GRAINS.items()}
BY_LANGUAGE = {key: _by_language(grain) for key, grain in GRAINS.items()}
BY_SOURCE = {key: _by_source(grain) for key, grain in GRAINS.items()}
_PERIOD_GRAINS = {key: grain for key, grain in GRAINS.items() if key[0] == "day"}
TOP_SOURCES = {key: _top("source_id", grain) for key, grain in _PERIOD_GRAINS.items()}
TOP_LANGUAGES = {key: _top("language", grain) for key, grain in _PERIOD_GRAINS.items()}
CATEGORY_CHANGE = {key: _category_change(grain) for key, grain in _PERIOD_GRAINS.items()}
QUERIES = (*BY_CATEGORY.values(), *BY_LANGUAGE.values(), *BY_SOURCE.values(), *TOP_SOURCES.values(),
           *TOP_LANGUAGES.values(), *CATEGORY_CHANGE.values())
SPLITS = {"category": BY_CATEGORY, "language": BY_LANGUAGE, "source": BY_SOURCE}


def series(warehouse: Warehouse, filters: Filters, model: str, split: str, top: int = 8) -> list[Row]:
    """Rows (bucket, category|language|source, flagged, documents) of the series split by ``split``."""
    grain = series_grain(filters)
    query = SPLITS[split][(filters.granularity, grain.table)]
    return warehouse.query(query.aggregate, bound(filters, model, top=top))


def top(warehouse: Warehouse, filters: Filters, model: str, dimension: str, limit: int = 10) -> list[Row]:
    """Rows (key, current, previous, total) by ``dimension`` (``source`` or ``language``), most flagged first."""
    grain = period_grain(filters)
    queries = TOP_SOURCES if dimension == "source" else TOP_LANGUAGES
    return warehouse.query(queries[("day", grain.table)].aggregate,
                           bound(filters, model, prev_since=filters.previous().since, top=limit))


def category_change(warehouse: Warehouse, filters: Filters, model: str) -> dict[str, Row]:
    """Per category (and ``any``): flagged and documents in the range and the period before."""
    query = CATEGORY_CHANGE[("day", period_grain(filters).table)]
    rows = warehouse.query(query.aggregate, bound(filters, model, prev_since=filters.previous().since))
    return {row["category"]: row for row in rows}
