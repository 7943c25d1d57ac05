"""The trends flow's logic on real chDB: spikes per series become alerts with drivers, once."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from flows.trends import detect_alerts, run_trends, store_alerts
from tests.flows.conftest import T0, seed_hours
from vigil.warehouse import Warehouse

pytestmark = pytest.mark.warehouse
NOW = T0 + timedelta(days=10, minutes=20)
SPIKE = NOW.replace(minute=0) - timedelta(hours=1)


def test_a_spike_raises_one_alert_naming_its_drivers_and_model(warehouse: Warehouse) -> None:
    seed_hours(warehouse, NOW, spike_at=SPIKE)
    alerts = detect_alerts(warehouse, NOW)
    assert [(a.category, a.source_id, a.window_start) for a in alerts] == [("racism", "synthetic-news", SPIKE)]
    alert = alerts[0]
    assert alert.model_version == "test-markers-1" and alert.drivers["model_version"] == "test-markers-1"
    assert alert.observed == 31 and alert.expected == 1 and alert.score >= 4
    assert alert.drivers["top_sources"] == [{"source_id": "synthetic-news", "flagged": 31}]
    assert "#synthcampaign" in [t["term"] for t in alert.drivers["top_terms"]]
    [cluster] = alert.drivers["near_duplicate_clusters"]  # signatures a few bits apart: one campaign
    assert cluster["documents"] == 30 and len(cluster["examples"]) == 3
    assert int(cluster["signature"], 16) ^ 0x00FF00FF00FF00FF < 4
    assert "racism in synthetic-news" in alert.summary

    assert run_trends(warehouse, NOW)["alerts_new"] == 1
    assert run_trends(warehouse, NOW + timedelta(minutes=15))["alerts_new"] == 0  # the same hour again
    stored = warehouse.query("SELECT drivers, model_version FROM alerts FINAL")
    assert len(stored) == 1 and json.loads(stored[0]["drivers"])["top_sources"][0]["flagged"] == 31


def test_quiet_series_and_a_new_model_version_raise_nothing(warehouse: Warehouse) -> None:
    seed_hours(warehouse, NOW)
    # A new model flags far more, but its series has no history yet: not a trend.
    seed_hours(warehouse, NOW, days=1, spike_at=SPIKE, model="test-markers-2", source="other-news")
    assert detect_alerts(warehouse, NOW) == []
    assert store_alerts(warehouse, []) == 0
