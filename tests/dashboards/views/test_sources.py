"""The sources page's view model on the warehouse: activity and crawl health per source, the sources
reached through links and forwards that the registry lacks, and the graph."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dashboards.filters import Filters
from dashboards.views.filter_form import read_scope
from dashboards.views.labels import Labels
from dashboards.views.sources import source_list, sources_view
from tests.dashboards.warehouse_data import seed_sources
from tests.flows.conftest import T0
from vigil.warehouse import Warehouse

pytestmark = pytest.mark.warehouse
EN = Labels("en")
PERIOD = Filters(since=T0, until=T0 + timedelta(days=3))
NOW = T0 + timedelta(days=3)


def test_activity_and_crawl_health_per_source(warehouse: Warehouse) -> None:
    seed_sources(warehouse, NOW)
    found = source_list(warehouse, PERIOD, read_scope(warehouse, PERIOD), EN, now=NOW)
    rows = {row.source_id: row for row in found.sources}
    assert [row.source_id for row in found.sources][:2] == ["site-a", "site-b"]  # most flagged first
    a = rows["site-a"]
    assert (a.documents, a.flagged.after, a.share, a.runs, a.failed, a.errors, a.skipped) == (98, 48, 48.98, 2, 0, 1, 3)
    assert (a.health, a.last_good, a.leave_href) == ("ok", NOW - timedelta(minutes=37),
                                                     "/leave?url=https%3A%2F%2Fsite-a.example.org%2F")
    assert (rows["site-b"].health, rows["site-b"].last_error) == ("failing", "TimeoutError: slow")
    assert (rows["site-c"].health, rows["site-c"].runs, rows["site-c"].last_good) == ("never", 0, None)
    assert (rows["site-d"].health, rows["site-e"].health, rows["site-e"].registered) == ("stale", "unregistered", False)
    assert [h.health_label for h in (a, rows["site-b"], rows["site-c"])] == ["OK", "Failing", "Never crawled"]


def test_sources_reached_through_links_and_forwards_that_the_registry_lacks(warehouse: Warehouse) -> None:
    seed_sources(warehouse, NOW)
    found = source_list(warehouse, PERIOD, read_scope(warehouse, PERIOD), EN, now=NOW)
    discovered = {row.key: row for row in found.discovered}
    assert set(discovered) == {"unknown.example", "t.me/other_chan", "t.me/+abcdef", "Some Channel Name"}
    assert (discovered["unknown.example"].documents, discovered["unknown.example"].sources) == (2, ["site-a"])
    assert discovered["t.me/other_chan"].kinds == ["forwarded from"]
    assert discovered["unknown.example"].href.endswith("&link=unknown.example")


def test_the_graph_joins_registered_sources_and_the_most_linked_others(warehouse: Warehouse) -> None:
    seed_sources(warehouse, NOW)
    graph = sources_view(warehouse, PERIOD, EN, {}).graph
    nodes = {node["id"]: node for node in graph["nodes"]}
    assert {("site-a", "site-b", 1), ("site-a", "unknown.example", 2), ("site-b", "t.me/other_chan", 1)} <= {
        (link["source"], link["target"], link["value"]) for link in graph["links"]}
    assert ("site-a", "site-a") not in {(link["source"], link["target"]) for link in graph["links"]}  # own site
    assert (nodes["site-b"]["group"], nodes["unknown.example"]["group"]) == (0, 1)
    assert nodes["site-b"]["href"] == "/sources/site-b"
