"""The `vigil` command, run as a user runs it (a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vigil.warehouse import available_migrations

VIGIL = [sys.executable, "-m", "vigil"]


def run(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VIGIL, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "VIGIL_HOME": str(home), **env})


def test_help_lists_every_command_with_a_description(tmp_path: Path) -> None:
    result = run("--help", home=tmp_path)
    assert result.returncode == 0, result.stderr
    entries = [line for line in result.stdout.split("Commands:")[1].splitlines()
               if line.startswith("  ") and not line.startswith("   ")]
    assert {"migrate", "status", "warehouse"} <= {line.split()[0] for line in entries}
    for line in entries:
        assert len(line.split()) > 1, f"command without a description: {line!r}"
        assert "unavailable" not in line, f"a command group could not load: {line!r}"


@pytest.mark.warehouse
def test_migrate_then_status_reports_tables(tmp_path: Path) -> None:
    first = run("migrate", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "applied 0001_core_tables" in first.stdout
    again = run("migrate", home=tmp_path)
    assert "up to date" in again.stdout

    status = run("status", "--json", home=tmp_path)
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["settings"]["mode"] == "embedded"
    assert report["settings"]["dashboards"]["secret_key"] == "**********"
    checks = {c["service"]: c for c in report["checks"]}
    assert checks["warehouse"]["ok"] is True
    assert checks["kafka"]["ok"] is None
    assert report["tables"]["schema_migrations"] == len(available_migrations())
    assert report["tables"]["documents"] == 0


@pytest.mark.warehouse
def test_status_human_output_and_unreachable_kafka(tmp_path: Path) -> None:
    result = run("status", home=tmp_path, VIGIL_MODE="distributed", VIGIL_BUS__BOOTSTRAP_SERVERS="127.0.0.1:1",
                 COLUMNS="200")
    assert result.returncode == 1  # something required is unreachable
    assert "Reachability" in result.stdout
    assert "unreachable" in result.stdout and "127.0.0.1:1" in result.stdout


def test_invalid_settings_stop_the_command_with_a_clear_message(tmp_path: Path) -> None:
    result = run("status", home=tmp_path, VIGIL_WAREHOUSE__BACKEND="postgres")
    assert result.returncode == 2
    assert "warehouse.backend (env VIGIL_WAREHOUSE__BACKEND)" in result.stderr


@pytest.mark.warehouse
def test_query_binds_parameters(tmp_path: Path) -> None:
    assert run("migrate", home=tmp_path).returncode == 0
    result = run("warehouse", "query", "SELECT {n:UInt32} + 1 AS answer, {s:String} AS s",
                 "-p", "n=41", "-p", "s=it's", home=tmp_path, COLUMNS="200")
    assert result.returncode == 0, result.stderr
    assert "42" in result.stdout and "it's" in result.stdout
