"""The I/O tasks record a failure and raise it, so Prefect's retries fire; the crawl flow still
reports every source. The logic on real chDB, then real Prefect runs with the retry delays at 0."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from crawlers.run import CrawlReport
from crawlers.sources import load_sources
from flows import definitions
from flows.alerts import Channel, deliver_alerts, log_file_channel
from flows.crawl import crawl_source, runs_of
from flows.store import StoreOutput
from flows.trends import Alert, store_alerts
from tests.flows.conftest import MODEL, T0, Webhook, marker_classify
from vigil.warehouse import EmbeddedWarehouse, Warehouse

SOURCE_IDS = ("broken", "fine", "flaky")


def one_alert(warehouse: Warehouse) -> None:
    store_alerts(warehouse, [Alert(T0, "racism", "synthetic-news", "en", MODEL, 31.0, 1.0, 9.5)])


def write_registry(path: Path) -> Path:
    """Three sources that are never fetched (the tests replace the crawler)."""
    sources = [{"id": i, "kind": "rss", "url": f"http://127.0.0.1:9/{i}.xml"} for i in SOURCE_IDS]
    path.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    return path


def fake_crawler(attempts: Counter):
    """A crawler stand-in: 'broken' fails with a client error, 'flaky' with a reset connection on
    its first attempt only, the rest crawl nothing and exit 0."""

    def crawl(sources, output, settings, *, run_id, **_):
        source_id = sources[0].id
        attempts[source_id] += 1
        if source_id == "broken":
            raise ValueError("feed option not understood")
        if source_id == "flaky" and attempts[source_id] == 1:
            raise ConnectionResetError("connection reset by peer")
        return CrawlReport(run_id=run_id, started_at="", exit_code=0)

    return crawl


@pytest.mark.warehouse
def test_a_crawl_that_raises_is_recorded_as_failed_and_raised_again(
        warehouse: Warehouse, settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: Counter = Counter()
    monkeypatch.setattr("crawlers.run.crawl", fake_crawler(attempts))
    flaky = load_sources(write_registry(tmp_path / "sources.yaml"), only=["flaky"])[0]
    with pytest.raises(ConnectionResetError):
        crawl_source(settings, warehouse, flaky, StoreOutput(warehouse, marker_classify), "run-raise")
    [row] = runs_of(warehouse, "run-raise")
    assert row["status"] == "failed" and row["error"] == "ConnectionResetError: connection reset by peer"
    assert crawl_source(settings, warehouse, flaky, StoreOutput(warehouse, marker_classify), "run-raise")["status"] \
        == "ok"
    assert [r["status"] for r in runs_of(warehouse, "run-raise")] == ["ok"]  # the retry's row replaces it


@pytest.mark.warehouse
def test_a_failing_channel_is_raised_after_every_delivery_is_recorded(warehouse: Warehouse, tmp_path: Path) -> None:
    one_alert(warehouse)
    sent: list[dict] = []

    def down(message: dict) -> None:
        raise TimeoutError("webhook timed out")

    log_file = log_file_channel(tmp_path / "alerts.jsonl")
    with pytest.raises(TimeoutError):
        deliver_alerts(warehouse, [Channel("webhook", down), log_file], raise_failure=True)
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1  # the next channel still got it
    assert deliver_alerts(warehouse, [Channel("webhook", sent.append), log_file], raise_failure=True) \
        == {"webhook_sent": 1}  # the retry sends only what is pending
    assert len(sent) == 1 and len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1


@pytest.fixture(scope="module")
def prefect_harness():
    """A temporary local Prefect server for this module's flow runs."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def settings_file(warehouse: EmbeddedWarehouse, tmp_path: Path):
    """A flow run's settings file naming the session warehouse (reached in process by ``connect``)."""
    def write(**flows) -> str:
        path = tmp_path / "vigil.yaml"
        config = {"warehouse": {"path": str(warehouse.path), "database": warehouse.database},
                  "flows": {"alert_log_file": str(tmp_path / "alerts.jsonl"), **flows}}
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        return str(path)

    return write


@pytest.mark.prefect
@pytest.mark.warehouse
@pytest.mark.slow
def test_a_transient_delivery_failure_is_retried_by_prefect(
        prefect_harness, warehouse: Warehouse, settings_file, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    one_alert(warehouse)
    hook = Webhook(fail_first=1)
    monkeypatch.setattr(definitions, "deliver_task", definitions.deliver_task.with_options(retry_delay_seconds=0))
    try:
        state = definitions.alerts_flow(settings_file=settings_file(alert_webhook_url=hook.url), return_state=True)
    finally:
        hook.shutdown()
    assert state.is_completed()
    assert state.result() == {"webhook_sent": 1}  # the second attempt; the first sent the log file's copy
    assert hook.posts == 2 and len(hook.received) == 1
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1
    assert warehouse.query("SELECT channel, ok FROM alert_deliveries FINAL ORDER BY channel") == [
        {"channel": "log_file", "ok": True}, {"channel": "webhook", "ok": True}]


@pytest.mark.prefect
@pytest.mark.warehouse
@pytest.mark.slow
def test_the_crawl_flow_retries_a_transient_failure_and_reports_a_failed_source(
        prefect_harness, warehouse: Warehouse, settings_file, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: Counter = Counter()
    monkeypatch.setattr("crawlers.run.crawl", fake_crawler(attempts))
    monkeypatch.setattr("classifiers.classify.default_classifier", lambda settings: marker_classify)
    monkeypatch.setattr(definitions, "crawl_source_task",
                        definitions.crawl_source_task.with_options(retry_delay_seconds=0))
    state = definitions.crawl_flow(sources_file=str(write_registry(tmp_path / "sources.yaml")),
                                   settings_file=settings_file(), return_state=True)
    assert state.is_completed()  # a failed source is reported, not raised
    rows = {r["source_id"]: r for r in state.result()}
    assert sorted(rows) == list(SOURCE_IDS)
    assert rows["fine"]["status"] == "ok" and attempts["fine"] == 1
    assert rows["flaky"]["status"] == "ok" and attempts["flaky"] == 2  # retried by Prefect
    assert rows["broken"]["status"] == "failed" and attempts["broken"] == 1  # a client error is not retried
    assert rows["broken"]["error"] == "ValueError: feed option not understood"
    recorded = runs_of(warehouse, rows["fine"]["run_id"])
    assert {r["source_id"]: r["status"] for r in recorded} == {"broken": "failed", "fine": "ok", "flaky": "ok"}
