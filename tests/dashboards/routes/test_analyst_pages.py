"""The analysts' pages through the app: who may read them, their filters kept in the URL, links from
every number to its documents, and crawled text shown escaped."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest

from dashboards.accounts.models import Role
from tests.dashboards.warehouse_data import MODEL, add_alert, add_source, make_doc, store, store_spread
from tests.flows.conftest import T0

pytestmark = pytest.mark.warehouse
RANGE = "start=2026-05-04&end=2026-05-06"
PAGES = ["/", "/compare", "/alerts", "/alerts/spike", "/sources", "/sources/site-a", "/search"]
HOSTILE = ('<script>alert(1)</script> and <img src=x onerror=alert(1)> '
           '<a href="javascript:alert(1)">click</a> flag-racism')


def _seed(warehouse) -> None:
    store_spread(warehouse, T0, days=3)
    add_source(warehouse, "site-a")
    add_alert(warehouse, "spike", T0 + timedelta(hours=5))


def _charts(page: str) -> list[dict]:
    return [json.loads(html.unescape(found)) for found in re.findall(r"data-chart='([^']*)'", page)]


@pytest.mark.parametrize("role", [Role.analyst, Role.reviewer])
def test_analysts_and_reviewers_read_every_page(warehouse, signed_in, role: Role) -> None:
    _seed(warehouse)
    client = signed_in(role)
    for path in PAGES:
        response = client.get(f"{path}?{RANGE}")
        assert response.status_code == 200, path
        assert 'src="/static/js/charts.js"' in response.text, path
    for link in ("/compare", "/alerts", "/sources", "/search"):
        assert f'href="{link}"' in client.get("/").text  # in the header's navigation


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    for path in PAGES + ["/export/documents"]:
        response = client.get(f"{path}?{RANGE}")
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), path


def test_the_filters_live_in_the_url(warehouse, signed_in) -> None:
    _seed(warehouse)
    query = f"{RANGE}&category=xenophobia&language=ru&granularity=week&measure=share"
    page = signed_in(Role.analyst).get(f"/?{query}").text
    assert 'name="start" value="2026-05-04"' in page and 'name="end" value="2026-05-06"' in page
    for name, value in (("category", "xenophobia"), ("language", "ru"), ("granularity", "week"),
                        ("measure", "share")):
        assert re.search(rf'<select name="{name}">.*?<option value="{value}" selected>', page, re.DOTALL), name
    assert html.escape(f"/export/categories?{query}&format=csv") in page
    chart = _charts(page)[0]
    assert (chart["measure"], chart["step"], [s["name"] for s in chart["series"]]) == ("share", "week", ["Xenophobia"])
    assert chart["series"][0]["query"] == f"category=xenophobia&language=ru&model={MODEL}"


def test_every_number_links_to_its_documents(warehouse, signed_in) -> None:
    _seed(warehouse)
    client = signed_in(Role.analyst)
    page = client.get(f"/?{RANGE}").text
    link = html.unescape(re.search(r'<a href="(/search\?[^"]*category=racism[^"]*)">72</a>', page).group(1))
    found = client.get(link).text
    assert "<h2>Documents found: 72" in found
    hour = client.get(f"/search?start=2026-05-04T05:00&end=2026-05-04T06:00&category=racism&model={MODEL}").text
    assert "<h2>Documents found: 1 " in hour  # what a click on an hour's point opens


def test_crawled_text_is_shown_escaped(warehouse, signed_in) -> None:
    doc = make_doc(1, at=T0 + timedelta(hours=1), source="site-x", text=HOSTILE).model_copy(
        update={"title": "<script>alert(2)</script>", "links": ["javascript:alert(3)"]})
    store(warehouse, [doc])
    client = signed_in(Role.analyst)
    for path in (f"/search?{RANGE}&q=alert", f"/search?{RANGE}&q=click", f"/sources/site-x?{RANGE}",
                 f"/sources?{RANGE}"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert 'href="javascript:' not in page.lower() and "onerror=alert(1)>" not in page, path
    search = client.get(f"/search?{RANGE}&q=click").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in search and "&lt;img src=x onerror=alert(1)&gt;" in search
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;<mark>click</mark>" in search
    assert f'href="/items/{doc.id}"' in search and "&lt;script&gt;alert(2)&lt;/script&gt;" in search
    source = client.get(f"/sources/site-x?{RANGE}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source and f'href="/items/{doc.id}"' in source


def test_unknown_alerts_sources_and_downloads_are_not_found(warehouse, signed_in) -> None:
    client = signed_in(Role.analyst)
    for path in ("/alerts/nope", "/sources/nope", "/export/nope"):
        assert client.get(path).status_code == 404, path
