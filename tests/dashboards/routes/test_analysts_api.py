"""The analysts' data under /api/v1: the same view models as the pages, listed in the OpenAPI
description, readable with a personal API token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.accounts.tokens import create_token
from dashboards.accounts.users import find_user
from tests.dashboards.warehouse_data import MODEL, add_alert, store_spread
from tests.flows.conftest import T0

RANGE = "start=2026-05-04&end=2026-05-06"


def test_the_openapi_description_lists_the_analysts_api(signed_in) -> None:
    schema = signed_in(Role.analyst).get("/api/v1/openapi.json").json()
    assert {"/api/v1/trends", "/api/v1/compare", "/api/v1/alerts", "/api/v1/alerts/{alert_id}", "/api/v1/sources",
            "/api/v1/sources/{source_id}", "/api/v1/documents"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/documents"]["get"]["parameters"]}
    assert {"start", "end", "category", "source", "language", "model", "q", "link", "page"} <= parameters


@pytest.mark.warehouse
def test_the_pages_data_as_json(warehouse, signed_in) -> None:
    store_spread(warehouse, T0, days=3)
    add_alert(warehouse, "spike", T0 + timedelta(hours=5))
    client = signed_in(Role.analyst)
    trends = client.get(f"/api/v1/trends?{RANGE}&granularity=week").json()
    racism = trends["by_category"][0]
    assert (trends["model"], racism["key"], racism["total"]) == (MODEL, "racism", 72)
    assert racism["points"] == [{"bucket": "2026-05-04T00:00:00Z", "flagged": 72, "documents": 288, "share": 25.0}]
    compare = client.get("/api/v1/compare?b_start=2026-05-05&b_end=2026-05-05").json()
    assert [r["key"] for r in compare["rows"][:3]] == ["", "any", "incitement"]
    racism = next(r for r in compare["rows"] if r["key"] == "racism")
    assert racism["change"] == {"before": 24, "after": 24, "delta": 0, "percent": 0.0, "trend": "same"}
    alerts = client.get(f"/api/v1/alerts?{RANGE}").json()
    assert [a["alert_id"] for a in alerts["live"]] == ["spike"] and alerts["late"] == []
    assert client.get("/api/v1/alerts/spike").json()["alert"]["documents_href"].startswith("/search?")
    assert client.get("/api/v1/alerts/nope").json() == {"detail": "No such alert."}
    assert {s["source_id"] for s in client.get(f"/api/v1/sources?{RANGE}").json()["sources"]} == {"site-a", "site-b"}
    assert client.get(f"/api/v1/sources/site-b?{RANGE}").json()["documents"]["total"] == 144
    documents = client.get(f"/api/v1/documents?{RANGE}&q=flag-xenophobia").json()
    assert (documents["total"], documents["per_page"]) == (12, 25)
    assert documents["documents"][0]["href"] == f"/items/{documents['documents'][0]['id']}"


@pytest.mark.warehouse
def test_a_personal_token_reads_the_api(warehouse, app, accounts, make_user) -> None:
    store_spread(warehouse, T0, days=1)
    make_user("bot", Role.analyst)
    _, secret = create_token(accounts, find_user(accounts, "bot").id, "script")  # type: ignore[union-attr]
    response = TestClient(app).get("/api/v1/documents?start=2026-05-04&end=2026-05-04&category=racism",
                                   headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json()["total"] == 24
