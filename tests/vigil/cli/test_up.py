"""`vigil up --status` as a user reads it: each part, its pid, uptime and restarts, from the state file."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from typer.testing import CliRunner

from vigil.cli import app
from vigil.settings import get_settings
from vigil.supervisor.process import start_ticks
from vigil.supervisor.state import write_state

runner = CliRunner()


def invoke(home: Path, *args: str):
    get_settings.cache_clear()
    try:
        return runner.invoke(app, ["up", *args], env={"VIGIL_HOME": str(home), "COLUMNS": "200"})
    finally:
        get_settings.cache_clear()


def test_status_without_a_supervisor_says_so(tmp_path: Path) -> None:
    result = invoke(tmp_path, "--status")
    assert result.exit_code == 1 and "vigil up has not run" in result.output


def test_status_shows_each_part_with_its_pid_uptime_and_restarts(tmp_path: Path) -> None:
    me, ticks = os.getpid(), start_ticks(os.getpid())
    started = (datetime.now(timezone.utc) - timedelta(minutes=3)).isoformat()
    write_state(tmp_path / "run" / "up.json", {
        "supervisor": {"pid": me, "ticks": ticks, "state": "running", "mode": "embedded", "ready": False,
                       "started_at": started, "dashboards": "http://127.0.0.1:8000/"},
        "parts": [
            {"name": "warehouse", "state": "ready", "pid": me, "ticks": ticks, "started_at": started,
             "restarts": 0, "ready": True, "detail": ""},
            {"name": "dashboard", "state": "backoff", "pid": None, "ticks": None, "started_at": None,
             "restarts": 2, "ready": False, "detail": "exited with code 1 after 0.5s"},
        ],
    })
    result = invoke(tmp_path, "--status")
    assert result.exit_code == 0, result.output
    warehouse = next(line for line in result.output.splitlines() if "warehouse" in line)
    assert str(me) in warehouse and "3m0" in warehouse and "yes" in warehouse
    dashboard = next(line for line in result.output.splitlines() if "dashboard" in line and "backoff" in line)
    assert " 2 " in dashboard and "exited with code 1" in dashboard
    state = json.loads(invoke(tmp_path, "--status", "--json").stdout)
    assert state["running"] is True
    assert [(p["name"], p["alive"]) for p in state["parts"]] == [("warehouse", True), ("dashboard", False)]
    assert state["parts"][0]["uptime_s"] >= 180


def test_status_of_a_supervisor_that_died(tmp_path: Path) -> None:
    write_state(tmp_path / "run" / "up.json", {
        "supervisor": {"pid": 2 ** 22 + 1, "ticks": 1, "state": "running", "updated_at": "2026-11-30T00:00:00+00:00"},
        "parts": [{"name": "warehouse", "state": "ready", "pid": 2 ** 22 + 2, "ticks": 1, "restarts": 0}],
    })
    result = invoke(tmp_path, "--status")
    assert result.exit_code == 1 and "vigil up is not running" in result.output
