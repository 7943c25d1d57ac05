"""The Prefect shells: deployments declared once, retry condition, failure notification."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest

from flows.definitions import notify_failure, transient_only
from flows.deployments import declared, to_deployments
from vigil.settings import load_settings


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


def test_a_failed_flow_run_notifies_the_channels_of_its_settings_file(tmp_path) -> None:
    config = tmp_path / "prod.yaml"
    config.write_text(f"flows:\n  alert_log_file: {tmp_path / 'alerts.jsonl'}\n", encoding="utf-8")
    run = SimpleNamespace(name="quiet-fox", id="1234", parameters={"settings_file": str(config)})
    notify_failure(SimpleNamespace(name="trends"), run,
                   SimpleNamespace(name="Failed", message="WarehouseError: unreachable"))
    note = json.loads((tmp_path / "alerts.jsonl").read_text())
    assert note["kind"] == "notification" and note["title"] == "flow run quiet-fox of trends failed"
    assert note["message"] == "WarehouseError: unreachable"


@pytest.mark.prefect
@pytest.mark.slow
def test_a_real_failing_flow_run_sends_its_notification(tmp_path) -> None:
    """`vigil flows run` on an unreachable warehouse: Prefect marks the run failed and the
    on_failure hook writes the notification to the alert log."""
    import os
    import subprocess
    import sys

    log = tmp_path / "alerts.jsonl"
    env = {**os.environ, "VIGIL_HOME": str(tmp_path), "VIGIL_FLOWS__ALERT_LOG_FILE": str(log),
           "VIGIL_WAREHOUSE__BACKEND": "server", "VIGIL_WAREHOUSE__PORT": "1",
           "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": ""}
    result = subprocess.run([sys.executable, "-m", "vigil", "flows", "run", "retention"], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0, result.stdout
    notes = [json.loads(line) for line in log.read_text().splitlines()]
    assert [n["kind"] for n in notes] == ["notification"]
    assert notes[0]["flow"] == "retention" and notes[0]["state"] == "Failed"
    assert "warehouse" in notes[0]["message"].lower() or "connect" in notes[0]["message"].lower()


def test_a_flow_runs_step_counts_are_logged_under_prefects_root_level(tmp_path, monkeypatch) -> None:
    import logging

    from flows.definitions import settings_from
    from vigil.logs import PROJECT_LOGGERS

    (tmp_path / "vigil.yaml").write_text(f"home: {tmp_path}\nlog_level: INFO\n")
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", logging.WARNING)  # as Prefect's logging.yml leaves it in a flow run
    for name in PROJECT_LOGGERS:
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    assert not logging.getLogger("flows.store").isEnabledFor(logging.INFO)
    settings_from(str(tmp_path / "vigil.yaml"))
    assert all(logging.getLogger(f"{name}.child").isEnabledFor(logging.INFO) for name in PROJECT_LOGGERS)
    assert not logging.getLogger("kafka").isEnabledFor(logging.INFO)  # others keep the root's level
