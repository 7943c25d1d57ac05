"""The overview's view model on the warehouse: the series per category, language and source, raw and
as shares, at each granularity; the tables against the period before; what the charts mark."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dashboards.filters import Filters
from dashboards.queries import overview as queries
from dashboards.views.filter_form import read_scope
from dashboards.views.labels import Labels
from dashboards.views.overview import category_series, category_table, overview_view, split_series, top_rows
from tests.dashboards.warehouse_data import (MODEL, add_incomplete_hour, add_promotion, make_doc, store,
                                             store_spread)
from tests.flows.conftest import T0
from vigil.warehouse import Warehouse

pytestmark = pytest.mark.warehouse
EN = Labels("en")
DAYS = Filters(since=T0, until=T0 + timedelta(days=3))  # T0 is a Monday


def test_flagged_per_category_per_day_week_and_hour(warehouse: Warehouse) -> None:
    store_spread(warehouse, T0, days=3)  # a day: 96 documents, 24 racism, 4 xenophobia
    series = category_series(warehouse, DAYS, MODEL, EN)
    assert [(s.key, s.name, s.total) for s in series] == [("racism", "Racism", 72), ("xenophobia", "Xenophobia", 12)]
    assert [(p.flagged, p.documents, p.share) for p in series[0].points] == [(24, 96, 25.0)] * 3
    assert series[0].search == f"category=racism&model={MODEL}"
    week = category_series(warehouse, DAYS.with_(granularity="week"), MODEL, EN)
    assert [(p.bucket, p.flagged) for p in week[0].points] == [(T0, 72)]
    hours = category_series(warehouse, DAYS.with_(granularity="hour", category="xenophobia"), MODEL, EN)
    assert len(hours[0].points) == 72 and sum(p.flagged for p in hours[0].points[:12]) == 2
    half_day = DAYS.with_(until=T0 + timedelta(hours=12))  # not whole days: read from the hourly counts
    assert [p.flagged for p in category_series(warehouse, half_day, MODEL, EN)[0].points] == [12]


def test_flagged_per_language_and_per_leading_source(warehouse: Warehouse) -> None:
    store_spread(warehouse, T0, days=3)
    languages = split_series(warehouse, DAYS, MODEL, EN, "language")
    assert [(s.name, s.total, s.points[0].share) for s in languages] == [("English", 72, 50.0), ("Russian", 12, 8.33)]
    assert languages[1].search == f"category=any&language=ru&model={MODEL}"
    sources = split_series(warehouse, DAYS.with_(category="xenophobia"), MODEL, EN, "source")
    assert [(s.key, s.name, s.total) for s in sources] == [("site-b", "site-b", 12), ("", "Other sources", 0)]
    assert sources[1].search == ""  # the rest is no filter: its points link nowhere
    leader_and_rest = queries.series(warehouse, DAYS, MODEL, "source", top=1)
    assert {row["source"] for row in leader_and_rest} == {"site-a", ""}


def test_tables_and_headlines_against_the_period_before(warehouse: Warehouse) -> None:
    store_spread(warehouse, T0 - timedelta(days=3), days=6)
    store(warehouse, [make_doc(10_000 + i, at=T0 + timedelta(hours=i), source="site-c", text="x flag-racism")
                      for i in range(3)])
    rows, headlines = category_table(warehouse, DAYS, MODEL, EN)
    racism = rows[0]
    assert (racism.key, racism.flagged.before, racism.flagged.after, racism.flagged.percent) == ("racism", 72, 75, 4.2)
    assert racism.href.startswith("/search?start=2026-05-04&end=2026-05-06&category=racism")
    assert [(h.label, h.value, h.delta) for h in headlines] == [
        ("Documents", 291, 3), ("Flagged", 87, 3), ("Flagged share", 29.9, 0.73)]
    sources = top_rows(warehouse, DAYS, MODEL, EN, "source")
    assert [(r.key, r.flagged.before, r.flagged.after, r.flagged.trend) for r in sources] == [
        ("site-a", 72, 72, "same"), ("site-b", 12, 12, "same"), ("site-c", 0, 3, "new")]
    assert "&category=any&source=site-c&" in sources[2].href
    languages = top_rows(warehouse, DAYS.with_(language="ru"), MODEL, EN, "language")
    assert [(r.label, r.documents, r.share) for r in languages] == [("Russian", 144, 8.33)]


def test_model_changes_and_incomplete_data_are_marked(warehouse: Warehouse) -> None:
    store_spread(warehouse, T0, days=3)
    store(warehouse, [make_doc(20_000 + i, at=T0 + timedelta(days=2, hours=i), text="y") for i in range(3)],
          model="m-2")
    add_promotion(warehouse, T0 + timedelta(days=1, hours=6), "m-2")
    for hour in (10, 11, 30):
        add_incomplete_hour(warehouse, T0 + timedelta(hours=hour))
    view = overview_view(warehouse, DAYS, EN, {})
    assert view.trends.model == MODEL  # the model with the most recent counts, the most documents on a tie
    marks = [(m.kind, m.start, m.end, m.label) for m in view.trends.marks]
    assert marks == [
        ("promotion", T0 + timedelta(days=1, hours=6), None, "Model m-2 promoted"),
        ("model", T0 + timedelta(days=2), None, "Model m-2 begins"),
        ("incomplete", T0 + timedelta(hours=10), T0 + timedelta(hours=12), "Incomplete data"),
        ("incomplete", T0 + timedelta(hours=30), T0 + timedelta(hours=31), "Incomplete data")]
    chart = view.charts["by_category"]
    assert len(chart["lines"]) == 2 and len(chart["areas"]) == 2
    assert chart["series"][0]["data"][0] == [int(T0.timestamp() * 1000), 24]
    assert read_scope(warehouse, DAYS.with_(model="m-2")).sources == ["synthetic-news"]


def test_an_empty_warehouse_has_no_data(warehouse: Warehouse) -> None:
    view = overview_view(warehouse, DAYS, EN, {})
    assert not view.has_data and view.trends.by_category == [] and view.trends.model == ""
