"""Acknowledging an alert: a POST with the session's CSRF token; who and when are stored and shown."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from dashboards.accounts.alert_acks import acknowledgements
from dashboards.accounts.models import Role
from tests.dashboards.conftest import csrf
from tests.dashboards.warehouse_data import add_alert
from tests.flows.conftest import T0

pytestmark = pytest.mark.warehouse


def test_an_acknowledgement_is_stored_with_who_and_when(warehouse, signed_in, accounts) -> None:
    add_alert(warehouse, "spike", T0 + timedelta(hours=5))
    client = signed_in(Role.analyst)
    token = csrf(client, "/alerts/spike")
    before = time.time()
    response = client.post("/alerts/spike/acknowledge", data={"note": "a known campaign", "csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (303, "/alerts/spike")
    stored = acknowledgements(accounts, ["spike"])["spike"]
    assert (stored.user_name, stored.note) == ("analyst", "a known campaign")
    assert before - 1 <= stored.acknowledged_at.timestamp() <= time.time() + 1
    page = client.get("/alerts/spike").text
    assert "Acknowledged by analyst on" in page and "a known campaign" in page and 'action="/alerts/spike/' not in page
    listed = client.get("/alerts?start=2026-05-04&end=2026-05-04").text
    assert "analyst, " in listed


def test_without_the_csrf_token_nothing_is_stored(warehouse, signed_in, accounts) -> None:
    add_alert(warehouse, "spike", T0 + timedelta(hours=5))
    client = signed_in(Role.analyst)
    for data in ({}, {"csrf_token": "forged"}):
        assert client.post("/alerts/spike/acknowledge", data=data).status_code == 403
    assert acknowledgements(accounts, ["spike"]) == {}


def test_an_unknown_alert_cannot_be_acknowledged(warehouse, signed_in, accounts) -> None:
    client = signed_in(Role.reviewer)
    response = client.post("/alerts/nope/acknowledge", data={"csrf_token": csrf(client, "/alerts")})
    assert response.status_code == 404 and acknowledgements(accounts, ["nope"]) == {}
