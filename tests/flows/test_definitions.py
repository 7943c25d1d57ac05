"""The Prefect shells: deployments declared once, retry condition, failure notification."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest

from flows.definitions import notify_failure, transient_only
from flows.deployments import declared, to_deployments
from vigil.settings import get_settings, load_settings


def test_every_flow_has_one_declared_deployment_and_schedule() -> None:
    settings = load_settings(flows={"trends_interval_minutes": 10})
    names = [d.name for d in declared(settings)]
    assert names == ["crawl", "trends", "alerts", "emerging-terms", "reconciliation", "retention", "retrain",
                     "rescore"]
    deployments = {d.name: d for d in to_deployments(settings)}
    assert deployments["trends"].schedules[0].schedule.interval == timedelta(minutes=10)
    assert deployments["retention"].schedules[0].schedule.cron == "30 3 * * *"
    assert deployments["rescore"].schedules == []
    assert all(d.concurrency_limit == 1 for d in deployments.values())
    fast = to_deployments(settings, ["trends"], every_override=timedelta(seconds=5))
    assert [d.schedules[0].schedule.interval for d in fast] == [timedelta(seconds=5)]
    with pytest.raises(ValueError, match="unknown deployments"):
        to_deployments(settings, ["nope"])


class _State:
    def __init__(self, exc: BaseException | None) -> None:
        self.exc = exc

    def result(self):
        if self.exc is not None:
            raise self.exc
        return 1


def test_only_transient_failures_are_retried() -> None:
    assert transient_only(None, None, _State(ConnectionResetError("reset"))) is True
    assert transient_only(None, None, _State(TimeoutError())) is True
    assert transient_only(None, None, _State(ValueError("bad sources file"))) is False
    assert transient_only(None, None, _State(None)) is False


def test_a_failed_flow_run_notifies_the_channels(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VIGIL_FLOWS__ALERT_LOG_FILE", str(tmp_path / "alerts.jsonl"))
    get_settings.cache_clear()
    try:
        notify_failure(SimpleNamespace(name="trends"), SimpleNamespace(name="quiet-fox", id="1234"),
                       SimpleNamespace(name="Failed", message="WarehouseError: unreachable"))
    finally:
        get_settings.cache_clear()
    note = json.loads((tmp_path / "alerts.jsonl").read_text())
    assert note["kind"] == "notification" and note["title"] == "flow run quiet-fox of trends failed"
    assert note["message"] == "WarehouseError: unreachable"
