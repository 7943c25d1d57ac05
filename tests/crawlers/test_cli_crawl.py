import json

import pytest
from typer.testing import CliRunner

from crawlers.demo_site.serve import write_sources
from vigil.cli import app
from vigil.settings import get_settings


@pytest.fixture
def fast_env(monkeypatch, tmp_path):
    monkeypatch.setenv("VIGIL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VIGIL_CRAWL__DOWNLOAD_DELAY_S", "0")
    monkeypatch.setenv("VIGIL_CRAWL__AUTOTHROTTLE", "false")
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_sources_validate_reports_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - {id: x, kind: podcast, url: 'https://e.org/'}\n")
    result = CliRunner().invoke(app, ["sources", "validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: source 'x': kind:" in result.output


@pytest.mark.slow
def test_sources_list_and_crawl_to_jsonl(demo_site, tmp_path, fast_env):
    registry = write_sources(demo_site.base_url, tmp_path / "sources.yaml")
    runner = CliRunner()
    listed = runner.invoke(app, ["sources", "list", str(registry)])
    assert listed.exit_code == 0 and "demo-telegram" in listed.output
    assert runner.invoke(app, ["sources", "validate", str(registry)]).exit_code == 0
    out = tmp_path / "docs.jsonl"
    result = runner.invoke(app, ["crawl", "--sources", str(registry), "--source", "demo-telegram",
                                 "--source", "demo-discourse", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted({d["source_id"] for d in lines}) == ["demo-discourse", "demo-telegram"] and len(lines) == 12
    stats = json.loads((tmp_path / "docs.jsonl.stats.json").read_text())
    assert stats["sources"]["demo-discourse"]["documents_new"] == 4


def test_embedded_crawl_without_out_is_refused_rather_than_lost(demo_site, tmp_path, fast_env):
    registry = write_sources(demo_site.base_url, tmp_path / "sources.yaml")
    result = CliRunner().invoke(app, ["crawl", "--sources", str(registry), "--source", "demo-telegram"])
    assert result.exit_code == 2
    assert "pass --out FILE.jsonl" in result.output and "vigil run" in result.output
    assert not (tmp_path / "home" / "crawl_state").exists()  # nothing marked as delivered


@pytest.mark.kafka
def test_vigil_crawl_publishes_to_a_real_broker(demo_site, tmp_path, kafka_settings):
    import os
    import subprocess
    import sys

    from tests.vigil.bus.factories import read_all
    from vigil.bus import Topic
    from vigil.bus.codec import decode

    registry = write_sources(demo_site.base_url, tmp_path / "sources.yaml")
    env = {**os.environ, "VIGIL_HOME": str(tmp_path / "home"), "VIGIL_MODE": "distributed",
           "VIGIL_BUS__BOOTSTRAP_SERVERS": kafka_settings.bus.bootstrap_servers,
           "VIGIL_BUS__TOPIC_PREFIX": kafka_settings.bus.topic_prefix,
           "VIGIL_CRAWL__ALLOW_PRIVATE_NETWORKS": "true", "VIGIL_CRAWL__DOWNLOAD_DELAY_S": "0"}
    result = subprocess.run([sys.executable, "-m", "vigil", "crawl", "--sources", str(registry),
                             "--source", "demo-telegram"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_all(kafka_settings, Topic.raw_documents, "crawl-reader", 8)
    documents = [decode(Topic.raw_documents, r.value) for r in records]
    assert len(documents) == 8 and {d.source_id for d in documents} == {"demo-telegram"}
    assert {r.key.decode() for r in records} == {d.id for d in documents}  # keyed by document id
