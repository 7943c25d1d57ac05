"""`vigil run` on the crawlers' demo site, twice: every document is stored once."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.demo_site.serve import DemoSite, write_sources
from flows.crawl import crawl_source, due_sources, runs_of
from flows.run_once import run_everything
from tests.flows.conftest import marker_classify
from flows.store import StoreOutput
from vigil.warehouse import Warehouse

pytestmark = [pytest.mark.warehouse, pytest.mark.slow]


def _settings(warehouse_settings, home: Path):
    return warehouse_settings.model_copy(update={
        "home": home,
        "crawl": warehouse_settings.crawl.model_copy(update={"allow_private_networks": True,
                                                              "download_delay_s": 0.0}),
    })


def test_run_twice_stores_every_document_once(warehouse: Warehouse, warehouse_settings, tmp_path: Path) -> None:
    settings = _settings(warehouse_settings, tmp_path)
    with DemoSite() as site:
        sources = write_sources(site.base_url, tmp_path / "sources.yaml")
        first = run_everything(settings, warehouse, sources, classify=marker_classify)
        stored = warehouse.scalar("SELECT count() FROM documents FINAL")
        second = run_everything(settings, warehouse, sources, classify=marker_classify)
    assert first.documents_new == stored > 20
    assert first.sources == 8 and not first.sources_failed
    assert second.documents_new == 0 and second.documents_changed == 0
    assert warehouse.scalar("SELECT count() FROM documents") == stored  # no second copy, even before merges
    assert warehouse.scalar("SELECT uniqExact(id) FROM documents") == stored
    assert warehouse.scalar("SELECT sum(documents) FROM counts_daily WHERE category = 'any'") == stored
    assert first.incomplete_windows == 0 and second.incomplete_windows == 0
    assert len(runs_of(warehouse, first.run_id)) == 8
    assert warehouse.scalar("SELECT count() FROM sources FINAL") == 8
    # an article both the sitemap and the site crawl reach is delivered twice: stored once, counted once as
    # new and once as unchanged, wherever the delivery batches were cut
    published = sum(r["published"] for r in runs_of(warehouse, first.run_id))
    assert first.documents_new + first.documents_unchanged == published == first.classified
    lines = "\n".join(first.lines())
    assert f"documents: {stored} new, 0 changed, {first.documents_unchanged} unchanged" in lines
    assert "alerts raised: 0" in lines


def test_the_crawl_flow_logic_records_each_source_and_survives_a_failing_one(
        warehouse: Warehouse, warehouse_settings, tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from crawlers.sources import load_sources

    settings = _settings(warehouse_settings, tmp_path)
    with DemoSite() as site:
        registry = write_sources(site.base_url, tmp_path / "sources.yaml")
        sources = {s.id: s for s in load_sources(registry)}
        broken = sources["demo-rss"].model_copy(update={"id": "demo-broken", "url": "http://127.0.0.1:9/none.xml"})
        now = datetime.now(timezone.utc)
        assert [s.id for s in due_sources(warehouse, [sources["demo-rss"]], now, 60)] == ["demo-rss"]
        rows = [crawl_source(settings, warehouse, source, StoreOutput(warehouse, marker_classify), "run-flow")
                for source in (broken, sources["demo-rss"])]
    assert rows[1]["status"] == "ok" and rows[1]["published"] == 3
    assert rows[0]["source_id"] == "demo-broken" and rows[0]["errors"] >= 1
    assert warehouse.scalar("SELECT count() FROM documents FINAL WHERE source_id = 'demo-rss'") == 3
    later = datetime.now(timezone.utc)
    assert due_sources(warehouse, [sources["demo-rss"]], later, 60) == []
    assert [s.id for s in due_sources(warehouse, [sources["demo-rss"]], later + timedelta(hours=2), 60)] \
        == ["demo-rss"]
    daily = sources["demo-rss"].model_copy(update={"interval_minutes": 24 * 60})  # its own, longer interval
    assert due_sources(warehouse, [daily], later + timedelta(hours=2), 60) == []
    assert [s.id for s in due_sources(warehouse, [daily], later + timedelta(hours=25), 60)] == ["demo-rss"]
