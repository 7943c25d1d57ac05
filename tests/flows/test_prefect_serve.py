"""Unattended: a real local Prefect server, `vigil flows serve` on a short interval, and a
scheduled trends run that completes on its own with its alert in the warehouse."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.vigil.warehouse.conftest import run_child
from vigil.settings import load_settings
from vigil.warehouse import connect

pytestmark = [pytest.mark.prefect, pytest.mark.warehouse, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str, body: dict | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _wait(what: str, check, timeout_s: float, procs: list[subprocess.Popen]) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for proc in procs:
            assert proc.poll() is None, f"{proc.args[:4]} exited with {proc.returncode} while waiting for {what}"
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


def _stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    return proc.stdout.read() if proc.stdout else ""


@pytest.fixture
def prefect_server(tmp_path: Path):
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": "false"}
    proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    api = f"http://127.0.0.1:{port}/api"
    try:
        _wait("the Prefect server", lambda: _get_json(f"{api}/health"), 120, [proc])
        yield api
    finally:
        _stop(proc)


def test_a_served_deployment_runs_on_schedule_unattended(prefect_server: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    seeded = run_child(f"""
        from datetime import datetime, timedelta, timezone
        from tests.flows.conftest import seed_hours
        from vigil.warehouse import EmbeddedWarehouse, migrate
        wh = EmbeddedWarehouse.open({str(home / "warehouse")!r}, "vigil")
        migrate(wh)
        now = datetime.now(timezone.utc)
        seed_hours(wh, now, spike_at=now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1))
        wh.close()
    """, timeout=180)
    assert seeded.returncode == 0, seeded.stderr
    env = {**os.environ, "VIGIL_HOME": str(home), "PREFECT_API_URL": prefect_server,
           "PREFECT_HOME": str(tmp_path / "prefect-client"), "PREFECT_RUNNER_POLL_FREQUENCY": "2",
           "VIGIL_FLOWS__ALERT_LOG_FILE": str(home / "alerts.jsonl"), "VIGIL_LOG_FORMAT": "console"}
    serve = subprocess.Popen([sys.executable, "-m", "vigil", "flows", "serve", "trends", "--every-seconds", "5",
                              "--crash-orphans"],  # as vigil up runs it: nothing was left behind here
                             env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        def completed_runs() -> list:
            runs = _get_json(f"{prefect_server}/flow_runs/filter",
                             {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}, "limit": 10})
            return [r for r in runs if r.get("deployment_id")]

        runs = _wait("a scheduled trends run to complete", completed_runs, 240, [serve])
        assert runs[0]["auto_scheduled"] is True  # started by the schedule, not by anyone
        limits = {c["name"]: c["limit"] for c in _get_json(f"{prefect_server}/v2/concurrency_limits/filter", {})
                  if c["name"].startswith("vigil-")}
        assert limits == {"vigil-warehouse": 2, "vigil-model": 1}  # created by `vigil flows serve`
        with connect(load_settings(home=home)) as warehouse:
            assert type(warehouse).__name__ == "RemoteWarehouse"  # `vigil flows serve` owns and serves it
            alerts = warehouse.query("SELECT category, source_id, model_version FROM alerts FINAL")
            delivered = warehouse.scalar("SELECT count() FROM alert_deliveries FINAL WHERE ok")
        assert alerts == [{"category": "racism", "source_id": "synthetic-news", "model_version": "test-markers-1"}]
        assert delivered == 1
        assert len((home / "alerts.jsonl").read_text().splitlines()) == 1  # later runs do not repeat it
    finally:
        output = _stop(serve)
    assert "trends" in output
    assert "could not look for flow runs" not in output  # the sweep for runs left behind ran
