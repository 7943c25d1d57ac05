"""`vigil -c FILE ...` reaches what the command runs: the flows get the file, not the defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.deployments import declared
from vigil.settings import load_settings


def test_declared_deployments_carry_the_settings_file(tmp_path: Path) -> None:
    config = tmp_path / "prod.yaml"
    config.write_text("flows:\n  spike_min_count: 7\n", encoding="utf-8")
    settings = load_settings(config)
    assert settings.config_file == config.resolve() and settings.flows.spike_min_count == 7
    assert {d.parameters.get("settings_file") for d in declared(settings)} == {str(config.resolve())}
    assert all("settings_file" not in d.parameters for d in declared(load_settings()))


@pytest.mark.prefect
@pytest.mark.warehouse
@pytest.mark.slow
def test_flows_run_uses_the_config_file_given_with_c(tmp_path: Path) -> None:
    prod_warehouse, home = tmp_path / "prod-warehouse", tmp_path / "home"
    config = tmp_path / "prod.yaml"
    config.write_text(f"warehouse:\n  path: {prod_warehouse}\n  database: prod\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIGIL_", "PREFECT_API_URL"))}
    result = subprocess.run(
        [sys.executable, "-m", "vigil", "-c", str(config), "flows", "run", "reconciliation"],
        capture_output=True, text=True, timeout=400, env={**env, "VIGIL_HOME": str(home)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "0"  # no incomplete windows in an empty warehouse
    # The flow run read prod.yaml: its warehouse is the configured one, the default was never made.
    assert prod_warehouse.is_dir() and any(prod_warehouse.iterdir())
    assert not (home / "warehouse").exists()
