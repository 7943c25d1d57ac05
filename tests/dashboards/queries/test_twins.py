"""Every aggregate query of the pages gives the same answer as its raw scan of the deduplicated data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dashboards.queries import QUERIES
from tests.dashboards.warehouse_data import MODEL, store_spread
from tests.flows.conftest import T0, seed_hours
from vigil.warehouse import Warehouse


def _rounded(rows: list[dict]) -> list[dict]:
    return [{k: (round(v) if isinstance(v, float) else v) for k, v in row.items()} for row in rows]


@pytest.mark.warehouse
def test_aggregates_agree_with_raw_scans(warehouse: Warehouse) -> None:
    now = T0 + timedelta(days=3)
    seed_hours(warehouse, now, days=3, spike_at=now - timedelta(hours=5))
    seed_hours(warehouse, now, days=2, source="second-site")
    store_spread(warehouse, T0, days=3)
    since, until = T0 + timedelta(days=1), now
    scopes = [dict(category="racism", source="", language="", top=2),
              dict(category="any", source="site-b", language="ru", top=1),
              dict(category="xenophobia", source="", language="ru", top=8)]
    checked = 0
    for scope in scopes:
        bound = dict(model=MODEL, since=since, until=until, prev_since=since - timedelta(days=1), **scope)
        for query in QUERIES:
            aggregate = _rounded(warehouse.query(query.aggregate, bound))
            raw = _rounded(warehouse.query(query.raw, bound))
            assert aggregate and aggregate == raw, (query.name, scope)
            checked += 1
    assert checked == 3 * len(QUERIES) >= 3 * 20
