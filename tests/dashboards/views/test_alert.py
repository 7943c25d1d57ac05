"""One alert's view model on the warehouse: its drivers, each linked to its documents, and the series'
hours around it; drivers that are not JSON read as none."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboards.views.alert import alert_view
from dashboards.views.labels import Labels
from tests.dashboards.warehouse_data import MODEL, add_alert, store_spread
from tests.flows.conftest import T0
from vigil.warehouse import Warehouse

pytestmark = pytest.mark.warehouse
EN = Labels("en")
DRIVERS = {"top_sources": [{"source_id": "site-a", "flagged": 30}, "not an object"],
           "top_terms": [{"term": "#synthcampaign", "kind": "hashtag", "z": 6.1, "recent": 28}],
           "near_duplicate_clusters": [{"signature": "00ff", "documents": 12, "examples": ["d1", "d2", "d3"]}],
           "model_version": MODEL}


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_one_alert_with_what_drove_it(warehouse: Warehouse, accounts) -> None:
    store_spread(warehouse, T0 - timedelta(days=1), days=3)
    add_alert(warehouse, "spike", T0 + timedelta(hours=5), drivers=DRIVERS)
    view = alert_view(warehouse, accounts, "spike", EN)
    detail = view.detail
    assert [(s.source_id, s.flagged) for s in detail.top_sources] == [("site-a", 30)]
    assert _query(detail.top_terms[0].href)["q"] == ["#synthcampaign"]
    assert [(c.documents, [e.href for e in c.examples]) for c in detail.clusters] == [
        (12, ["/items/d1", "/items/d2", "/items/d3"])]
    assert view.chart["step"] == "hour" and view.chart["areas"] == [
        {"from": int((T0 + timedelta(hours=5)).timestamp() * 1000),
         "to": int((T0 + timedelta(hours=6)).timestamp() * 1000),
         "label": "Alert window"}]
    assert [s["name"] for s in view.chart["series"]] == ["Racism"]
    assert len(view.chart["series"][0]["data"]) == 8 * 24 + 1  # 7 days before, the window's day
    assert alert_view(warehouse, accounts, "no-such-alert", EN) is None


def test_drivers_that_are_not_json_are_no_drivers(warehouse: Warehouse, accounts) -> None:
    add_alert(warehouse, "broken", T0 + timedelta(hours=5))
    warehouse.insert("alerts", [{**warehouse.query("SELECT * FROM alerts FINAL WHERE alert_id = 'broken'")[0],
                                 "drivers": "[1, 2", "raised_at": T0 + timedelta(hours=7)}])
    detail = alert_view(warehouse, accounts, "broken", EN).detail
    assert (detail.top_sources, detail.top_terms, detail.clusters, detail.model_version) == ([], [], [], MODEL)
