"""Per-category totals of one filter set over its range: each side of the compare page. With its
raw-scan twin."""

from __future__ import annotations

from dashboards.filters import Filters
from dashboards.queries.sql import (GRAINS, RAW_CATEGORIES, RAW_CATEGORY_FLAGGED, SCOPE, DashboardQuery, Grain,
                                    bound, period_grain, raw_scan)
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row


def _totals(grain: Grain) -> DashboardQuery:
    return DashboardQuery(
        f"category_totals[{grain.name}]",
        f"SELECT category, sum(flagged) AS flagged, sum(documents) AS documents FROM {grain.table} "
        "WHERE model_version = {model:String} "
        f"AND {grain.span()} AND {SCOPE} GROUP BY category HAVING documents != 0 ORDER BY category",
        f"SELECT category, countIf({RAW_CATEGORY_FLAGGED}) AS flagged, count() AS documents "
        f"FROM {raw_scan()} {RAW_CATEGORIES} "
        "GROUP BY category ORDER BY category",
    )


TOTALS = {key: _totals(grain) for key, grain in GRAINS.items() if key[0] == "day"}
QUERIES = tuple(TOTALS.values())


def category_totals(warehouse: Warehouse, filters: Filters, model: str) -> dict[str, Row]:
    """Per category (and ``any``: every classified document): flagged and documents."""
    query = TOTALS[("day", period_grain(filters).table)]
    return {row["category"]: row for row in warehouse.query(query.aggregate, bound(filters, model))}
