"""The compare page's view model: two periods, or two filter sets, per category."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from dashboards.filters import Filters
from dashboards.views.compare import compare_filters, compare_view, comparison
from dashboards.views.labels import Labels
from tests.dashboards.warehouse_data import MODEL, make_doc, store, store_spread
from tests.flows.conftest import T0
from vigil.warehouse import Warehouse

EN = Labels("en")


def test_side_a_defaults_to_the_period_before_b() -> None:
    a, b = compare_filters({"b_start": "2026-05-11", "b_end": "2026-05-20", "b_source": "x", "a_source": "y"},
                           date(2026, 5, 31))
    assert (b.since, b.until, b.source) == (datetime(2026, 5, 11, tzinfo=timezone.utc),
                                            datetime(2026, 5, 21, tzinfo=timezone.utc), "x")
    assert (a.since, a.until, a.source) == (datetime(2026, 5, 1, tzinfo=timezone.utc), b.since, "y")
    a, b = compare_filters({"a_start": "2026-01-01", "a_end": "2026-01-31"}, date(2026, 5, 31))
    assert (a.since.month, a.until.month, b.until.date()) == (1, 2, date(2026, 6, 1))


@pytest.mark.warehouse
def test_two_periods_per_category(warehouse: Warehouse) -> None:
    store_spread(warehouse, T0, days=2)  # a day: 96 documents, 24 racism, 4 xenophobia
    store(warehouse, [make_doc(9000 + i, at=T0 + timedelta(days=1, hours=i), text="z flag-financing")
                      for i in range(2)])
    a = Filters(since=T0, until=T0 + timedelta(days=1))
    b = Filters(since=T0 + timedelta(days=1), until=T0 + timedelta(days=2))
    found = {row.key: row for row in comparison(warehouse, a, b, MODEL, MODEL, EN).rows}
    assert (found[""].label, found[""].change.before, found[""].change.after, found[""].a_share) == (
        "All documents", 96, 98, None)
    racism = found["racism"]
    assert (racism.change.delta, racism.change.percent, racism.a_share, racism.b_share, racism.share_points) == (
        0, 0.0, 25.0, 24.49, -0.51)
    assert (found["financing"].change.before, found["financing"].change.after, found["financing"].change.percent,
            found["financing"].change.trend) == (0, 2, None, "new")
    assert (found["incitement"].change.percent, found["incitement"].change.trend) == (None, "none")
    assert (found["any"].change.before, found["any"].change.after) == (28, 30)
    assert racism.a_href == f"/search?start=2026-05-04&end=2026-05-04&category=racism&model={MODEL}"


@pytest.mark.warehouse
def test_two_filter_sets_over_one_period(warehouse: Warehouse) -> None:
    store_spread(warehouse, T0, days=1)
    period = Filters(since=T0, until=T0 + timedelta(days=1))
    view = compare_view(warehouse, period.with_(source="site-a"), period.with_(source="site-b"), EN, {})
    found = {row.key: row for row in view.comparison.rows}
    racism = found["racism"].change
    assert (racism.before, racism.after, racism.percent) == (24, 0, -100.0)
    assert (found["xenophobia"].change.before, found["xenophobia"].change.after) == (0, 4)
    bars = view.chart["series"]
    assert [s["name"] for s in bars] == ["A", "B"] and len(bars[0]["data"]) == 9
    assert bars[1]["data"][view.chart["categories"].index("Xenophobia")]["value"] == 4
