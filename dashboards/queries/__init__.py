"""The dashboards' SQL, one module per page; the pages own it (``views`` call these functions).

Trend queries read the aggregates (``counts_hourly`` / ``counts_daily``), so they stay fast at any
size; each of them is a :class:`~dashboards.queries.sql.DashboardQuery` with its raw-scan twin, listed
in :data:`QUERIES`, which ``tests/dashboards/queries/`` checks for agreement and
``benchmarks/bench_warehouse.py`` times. What the aggregates cannot answer (documents and their text,
alerts, crawl runs, links between sources) reads its own tables, as narrowly as it can.
"""

from __future__ import annotations

from dashboards.queries import compare, overview
from dashboards.queries.sql import DashboardQuery

QUERIES: tuple[DashboardQuery, ...] = (*overview.QUERIES, *compare.QUERIES)

__all__ = ["QUERIES", "DashboardQuery"]
