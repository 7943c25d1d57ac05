"""`vigil run` end to end through the CLI, with the real classifier, on the demo site."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from crawlers.demo_site.serve import DemoSite, write_sources
from vigil.cli import app
from vigil.settings import get_settings

pytestmark = [pytest.mark.warehouse, pytest.mark.slow]


def test_vigil_run_prints_a_summary_and_stores_everything_once(warehouse, tmp_path, monkeypatch) -> None:
    for name, value in {"VIGIL_WAREHOUSE__PATH": str(warehouse.path),
                        "VIGIL_WAREHOUSE__DATABASE": warehouse.database,
                        "VIGIL_CRAWL__ALLOW_PRIVATE_NETWORKS": "true", "VIGIL_CRAWL__DOWNLOAD_DELAY_S": "0",
                        "VIGIL_HOME": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        with DemoSite() as site:
            sources = write_sources(site.base_url, tmp_path / "sources.yaml")
            first = runner.invoke(app, ["run", "--sources", str(sources), "--json"])
            second = runner.invoke(app, ["run", "--sources", str(sources)])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout[first.stdout.index("{"):])
    assert summary["documents_new"] > 20 and summary["classified"] == summary["documents_new"] + summary["documents_unchanged"]
    assert summary["model_versions"] and summary["sources"] == 8
    assert second.exit_code == 0, second.output
    assert "documents: 0 new, 0 changed, 0 unchanged" in second.stdout
    assert warehouse.scalar("SELECT count() FROM documents") == summary["documents_new"]
