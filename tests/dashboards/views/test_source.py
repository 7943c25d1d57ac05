"""One source's view model on the warehouse: its crawl runs, its links both ways and its documents."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dashboards.filters import Filters
from dashboards.views.filter_form import read_scope
from dashboards.views.labels import Labels
from dashboards.views.source import source_detail
from tests.dashboards.warehouse_data import seed_sources
from tests.flows.conftest import T0
from vigil.warehouse import Warehouse

pytestmark = pytest.mark.warehouse
EN = Labels("en")
PERIOD = Filters(since=T0, until=T0 + timedelta(days=3))
NOW = T0 + timedelta(days=3)


def test_one_source_its_runs_links_and_documents(warehouse: Warehouse) -> None:
    seed_sources(warehouse, NOW)
    scope = read_scope(warehouse, PERIOD)
    b = source_detail(warehouse, "site-b", PERIOD, scope, 1, EN, now=NOW)
    assert b is not None
    assert [(r.status, r.error) for r in b.runs] == [("failed", "TimeoutError: slow"), ("ok", "")]
    assert [(link.name, link.source_href, link.kind, link.documents) for link in b.linked_from] == [
        ("site-a", "/sources/site-a", "links to", 1)]
    assert {link.name for link in b.links_to} == {"t.me/other_chan", "t.me/+abcdef"}
    assert b.documents.total == 97 and b.documents.documents[0].source_id == "site-b"
    assert b.documents.documents[0].at >= b.documents.documents[-1].at
    assert source_detail(warehouse, "no-such-source", PERIOD, scope, 1, EN) is None
