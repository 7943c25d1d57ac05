"""The dashboards' aggregate queries give the same answers as raw scans of the deduplicated data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.dashboard_queries import QUERIES
from tests.flows.conftest import MODEL, T0, seed_hours
from vigil.warehouse import Warehouse


@pytest.mark.warehouse
def test_aggregates_agree_with_raw_scans(warehouse: Warehouse) -> None:
    now = T0 + timedelta(days=3)
    seed_hours(warehouse, now, days=3, spike_at=now - timedelta(hours=5))
    seed_hours(warehouse, now, days=2, source="second-site")
    bound = dict(model=MODEL, since=T0, until=now, category="racism")
    for query in QUERIES:
        aggregate = warehouse.query(query.aggregate, bound)
        raw = warehouse.query(query.raw, bound)
        assert aggregate and [{k: (v if not isinstance(v, float) else round(v)) for k, v in r.items()}
                              for r in aggregate] == raw, query.name
