"""The demo's history in the warehouse: written through the sink, it gives the trends step its
alerts (the injected spikes, nothing else) and the reviewers a queue; a second demo finds it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from dashboards.demo.history import SOURCE_PREFIX, HistoryPlan
from dashboards.demo.load import (plan_record, record_model_change, register_sources, stored_history,
                                  write_history)
from dashboards.demo.run import history_plan, history_record_path, review_queue
from flows.emerging import run_emerging_terms
from flows.trends import run_trends
from vigil.settings import Settings, load_settings

pytestmark = pytest.mark.warehouse
END = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def settings(warehouse, tmp_path: Path) -> Settings:
    return load_settings(home=tmp_path, warehouse={"path": warehouse.path, "database": warehouse.database})


@pytest.mark.slow
def test_the_history_gives_alerts_on_its_spikes_and_a_review_queue(warehouse) -> None:
    plan = HistoryPlan(seed=11, end=END, model_before="model-a", model_after="model-b")
    written = write_history(warehouse, plan)
    stored = stored_history(warehouse)
    assert written.documents == written.classifications == stored.documents > 20_000
    assert stored.sources == len(plan.sources) and stored.model_versions == ("model-a", "model-b")
    assert stored.first >= plan.start and stored.last < plan.end

    # The aggregates count exactly what the sink wrote.
    assert warehouse.scalar("SELECT sum(documents) FROM counts_daily WHERE category = 'any'") == stored.documents
    assert warehouse.scalar("SELECT sum(flagged) FROM counts_daily WHERE category = 'any'") == stored.flagged

    trends = run_trends(warehouse, END + timedelta(minutes=10))
    alerts = warehouse.query("SELECT source_id, category, window_start, model_version, late, drivers "
                             "FROM alerts FINAL ORDER BY window_start")
    assert trends["alerts_new"] == len(alerts) == len(plan.spikes)
    assert [(a["source_id"], a["category"], a["window_start"], a["model_version"]) for a in alerts] == \
        [(s.source_id, s.category, s.hour, s.model_version) for s in plan.spikes]
    assert [a["late"] for a in alerts] == [True] * (len(alerts) - 1) + [False]  # the last one is live
    clusters = json.loads(alerts[0]["drivers"])["near_duplicate_clusters"]
    assert clusters[0]["documents"] == plan.spikes[0].documents  # the campaign, as one cluster
    assert run_emerging_terms(warehouse, END) > 0

    queue = review_queue(warehouse)
    assert stored.flagged < queue < stored.documents / 5
    assert warehouse.scalar("SELECT count() FROM classifications FINAL WHERE length(labels) > 0 "
                            "AND NOT needs_review") == 0


def test_writing_again_stores_nothing_twice_and_the_demo_finds_what_is_stored(warehouse, settings) -> None:
    plan, resume = history_plan(settings, warehouse, seed=5)
    assert plan is not None and not resume and plan.days == 60  # nothing stored: a new history up to now
    small = HistoryPlan(seed=5, end=END, days=3, change_days_ago=1)
    first = write_history(warehouse, small)
    again = write_history(warehouse, small)
    assert first.documents > 500 and (again.documents, again.classifications) == (0, 0)
    assert again.unchanged == first.documents
    assert warehouse.scalar("SELECT sum(documents) FROM counts_daily WHERE category = 'any'") == first.documents

    # Generated documents and no record (or a complete one): stored. An incomplete record: resume it.
    assert history_plan(settings, warehouse, seed=5) == (None, False)
    path = history_record_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"plan": plan_record(small), "complete": False}), encoding="utf-8")
    assert history_plan(settings, warehouse, seed=99) == (small, True)
    path.write_text(json.dumps({"plan": plan_record(small), "complete": True}), encoding="utf-8")
    assert history_plan(settings, warehouse, seed=99) == (None, False)

    assert record_model_change(warehouse, small) and not record_model_change(warehouse, small)
    decision = warehouse.query("SELECT * FROM model_decisions")
    assert len(decision) == 1 and decision[0]["promoted"] and decision[0]["decided_at"] == small.change_at
    assert (decision[0]["current_version"], decision[0]["candidate_version"]) == (small.model_before, small.model_after)

    register_sources(warehouse, small, 60)
    sources = warehouse.query("SELECT source_id, kind, enabled FROM sources FINAL ORDER BY source_id")
    assert len(sources) == len(small.sources) and all(s["source_id"].startswith(SOURCE_PREFIX) for s in sources)
    assert not any(s["enabled"] for s in sources) and {"forum", "telegram"} <= {s["kind"] for s in sources}
