"""Downloads: CSV and Parquet of a page's tables and of the documents a search finds, named after the
filters, holding what the page shows; CSV cells that would run as formulas are defused."""

from __future__ import annotations

import io
from datetime import timedelta

import pandas as pd
import pytest

from dashboards.accounts.models import Role
from tests.dashboards.warehouse_data import MODEL, add_alert, make_doc, store, store_spread
from tests.flows.conftest import T0

pytestmark = pytest.mark.warehouse


def _get(client, path: str) -> tuple[str, bytes]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    return disposition.split('filename="')[1].rstrip('"'), response.content


def test_the_documents_of_a_search_as_csv_and_parquet(warehouse, signed_in) -> None:
    store_spread(warehouse, T0, days=3)
    client = signed_in(Role.analyst)
    query = "start=2026-05-04&end=2026-05-05&category=xenophobia&language=ru"
    name, content = _get(client, f"/export/documents?{query}")
    assert name == "vigil-documents_2026-05-04_2026-05-05_xenophobia_ru.csv"
    csv = pd.read_csv(io.BytesIO(content))
    assert len(csv) == 8 and set(csv["categories"]) == {"xenophobia"} and set(csv["language"]) == {"ru"}
    assert list(csv.columns) == ["id", "published", "source", "language", "categories", "title", "url", "item",
                                 "excerpt"]
    assert csv["item"][0] == f"/items/{csv['id'][0]}"
    name, content = _get(client, f"/export/documents?{query}&format=parquet")
    assert name.endswith("_xenophobia_ru.parquet")
    parquet = pd.read_parquet(io.BytesIO(content))
    assert sorted(parquet["id"]) == sorted(csv["id"]) and list(parquet["categories"][0]) == ["xenophobia"]
    assert isinstance(parquet["published"].dtype, pd.DatetimeTZDtype) and str(parquet["published"].dt.tz) == "UTC"


def test_a_table_holds_what_the_page_shows(warehouse, signed_in) -> None:
    store_spread(warehouse, T0 - timedelta(days=3), days=6)
    client = signed_in(Role.analyst)
    name, content = _get(client, "/export/categories?start=2026-05-04&end=2026-05-06&format=parquet")
    assert name == "vigil-categories_2026-05-04_2026-05-06.parquet"
    table = pd.read_parquet(io.BytesIO(content)).set_index("category")
    assert table.loc["racism", ["flagged", "previous_period", "change", "documents"]].tolist() == [72, 72, 0, 288]
    assert pd.isna(table.loc["incitement", "change_percent"])  # from zero there is no percentage
    name, content = _get(client, "/export/trends-by-language?start=2026-05-04&end=2026-05-06&granularity=hour")
    assert name == "vigil-trends-by-language_2026-05-04_2026-05-06_hour.csv"
    series = pd.read_csv(io.BytesIO(content))
    assert len(series) == 2 * 72 and series.groupby("language")["flagged"].sum().to_dict() == {"en": 72, "ru": 12}
    name, _ = _get(client, "/export/compare?a_start=2026-05-01&a_end=2026-05-03&b_start=2026-05-04&b_end=2026-05-06"
                           "&b_source=site-a")
    assert name == "vigil-compare_2026-05-01_2026-05-03_vs_2026-05-04_2026-05-06_site-a.csv"


@pytest.mark.parametrize("dataset", ["trends-by-category", "trends-by-source", "top-sources", "top-languages",
                                     "alerts", "emerging-terms", "sources", "discovered-sources", "crawl-runs"])
def test_every_table_downloads_in_both_formats(warehouse, signed_in, dataset: str) -> None:
    add_alert(warehouse, "spike", T0 + timedelta(hours=5))
    store(warehouse, [make_doc(1, at=T0, source="site-a", text="x flag-racism")])
    client = signed_in(Role.analyst)
    query = "start=2026-05-04&end=2026-05-04&source=site-a"
    _, csv = _get(client, f"/export/{dataset}?{query}")
    _, parquet = _get(client, f"/export/{dataset}?{query}&format=parquet")
    assert list(pd.read_csv(io.BytesIO(csv)).columns) == list(pd.read_parquet(io.BytesIO(parquet)).columns)


def test_csv_cells_that_would_run_as_formulas_are_defused(warehouse, signed_in) -> None:
    doc = make_doc(1, at=T0, source="site-a", text="=HYPERLINK(\"http://evil.example\") flag-racism")
    store(warehouse, [doc.model_copy(update={"title": "@SUM(1+1)"})])
    _, content = _get(signed_in(Role.analyst), f"/export/documents?start=2026-05-04&end=2026-05-04&model={MODEL}")
    row = pd.read_csv(io.BytesIO(content)).iloc[0]
    assert row["title"] == "'@SUM(1+1)" and row["excerpt"].startswith("'=HYPERLINK")
