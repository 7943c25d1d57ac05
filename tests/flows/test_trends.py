"""The trends flow's logic on real chDB: spikes per series become alerts with drivers, once,
in every hour whose counts changed, however late its documents arrived."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from flows import trends
from flows.trends import Alert, Watermark, detect_alerts, hours_to_judge, run_trends, store_alerts
from tests.flows.conftest import T0, make_doc, marker_classify, seed_hours
from vigil.timeutil import hour_of
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located, write_classifications, write_documents

pytestmark = pytest.mark.warehouse
NOW = T0 + timedelta(days=10, minutes=20)
SPIKE = NOW.replace(minute=0) - timedelta(hours=1)


def first_judgment(warehouse: Warehouse, now: datetime) -> list[Alert]:
    """The alerts of a first judgment at ``now``: every hour stored so far."""
    return detect_alerts(warehouse, now, hours_to_judge(warehouse, Watermark(), hour_of(now)))


def campaign(warehouse: Warehouse, hour: datetime, *, first_id: int, docs: int = 30) -> None:
    """A copy-paste campaign in ``hour``: ``docs`` flagged reposts, stored now (as a crawl would)."""
    posts = [make_doc(first_id + k, at=hour + timedelta(minutes=k % 60), author=f"late-sock-{k % 4}",
                      text=f"#secondwave repeated slogan variant {k % 3} flag-racism") for k in range(docs)]
    write_documents(warehouse, [Located(d) for d in posts])
    write_classifications(warehouse, [Located(c) for c in marker_classify(posts)], {d.id: d for d in posts})


def stored_alerts(warehouse: Warehouse) -> list[tuple[datetime, bool]]:
    return [(hour_of(r["window_start"]), r["late"])
            for r in warehouse.query("SELECT window_start, late FROM alerts FINAL ORDER BY window_start")]


def test_a_spike_raises_one_alert_naming_its_drivers_and_model(warehouse: Warehouse) -> None:
    seed_hours(warehouse, NOW, spike_at=SPIKE)
    alerts = first_judgment(warehouse, NOW)
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
    assert first_judgment(warehouse, NOW) == []
    assert store_alerts(warehouse, []) == 0


def test_a_first_crawl_with_history_alerts_on_every_campaign_and_marks_the_old_one_late(
        warehouse: Warehouse) -> None:
    """The issue's scenario: a channel crawled once with `vigil run`, its posts carrying a campaign
    ten days ago and another two hours ago, all stored at once now."""
    old, recent = hour_of(NOW) - timedelta(days=10), hour_of(NOW) - timedelta(hours=2)
    seed_hours(warehouse, NOW, days=18, spike_at=old)
    campaign(warehouse, recent, first_id=100_000)

    first = run_trends(warehouse, NOW)
    assert first["alerts_new"] == 2
    assert stored_alerts(warehouse) == [(old, True), (recent, False)]
    assert run_trends(warehouse, NOW + timedelta(minutes=10))["alerts_new"] == 0
    assert len(stored_alerts(warehouse)) == 2


def test_a_delayed_crawl_is_judged_when_it_arrives_and_nothing_else_is_judged_again(
        warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trends, "SETTLE", timedelta(0))  # no overlap: the watermark alone decides
    seed_hours(warehouse, NOW)
    assert run_trends(warehouse, NOW) == {"backfilled": 0, "judged": 8 * 24, "spikes": 0, "alerts_new": 0}
    assert run_trends(warehouse, NOW + timedelta(minutes=10))["judged"] == 0  # nothing changed since

    two_days_ago = hour_of(NOW) - timedelta(days=2)  # judged quiet; its campaign is crawled only now
    campaign(warehouse, two_days_ago, first_id=100_000)
    later = NOW + timedelta(hours=1)
    assert run_trends(warehouse, later) == {"backfilled": 0, "judged": 1, "spikes": 1, "alerts_new": 1}
    assert stored_alerts(warehouse) == [(two_days_ago, True)]
    assert run_trends(warehouse, later + timedelta(minutes=10))["judged"] == 0
