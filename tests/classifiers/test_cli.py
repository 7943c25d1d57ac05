"""The classifiers' commands as a user runs them: `vigil consume classify`, `vigil train`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

import vigil.warehouse
from classifiers.training.config import DEFAULT_CONFIG, load_config
from vigil.cli import app
from vigil.warehouse import WarehouseError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_consume_classify_serves_metrics_and_exits_when_idle(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vigil", "consume", "classify", "--idle-exit", "2", "--metrics-port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "VIGIL_HOME": str(tmp_path)})
    try:
        body, deadline = "", time.monotonic() + 120
        while not body and time.monotonic() < deadline and proc.poll() is None:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
            except OSError:
                time.sleep(0.2)
        out, err = proc.communicate(timeout=180)
    finally:
        proc.kill()
    assert "# TYPE vigil_bus_batch_seconds histogram" in body, err
    assert proc.returncode == 0, err
    assert "raw-documents: 0 consumed, 0 classified, 0 dead letters" in out


def test_train_without_config_uses_the_packaged_one_from_any_directory(tmp_path: Path, monkeypatch) -> None:
    import classifiers.training.run as training_run

    seen = {}

    def fake_training(config, reviews):
        seen["config"] = config
        return {"required_macro_f1": {}, "suite": {"max_identity_fpr": 0.0}}

    def no_warehouse(_settings):
        raise WarehouseError("no warehouse in this test")

    monkeypatch.setattr(training_run, "run_training", fake_training)
    monkeypatch.setattr(vigil.warehouse, "connect", no_warehouse)  # reviews are skipped with a warning
    monkeypatch.chdir(tmp_path)  # not the repository root: the default config must still be found
    result = CliRunner().invoke(app, ["train", "--data", str(tmp_path / "no-data")],
                                env={"VIGIL_HOME": str(tmp_path / "home")})
    assert result.exit_code == 0, result.output
    packaged = load_config(DEFAULT_CONFIG)
    assert seen["config"].model_version == packaged.model_version and seen["config"].method == packaged.method
    assert seen["config"].output_dir == tmp_path / "home" / "models" / packaged.model_version


@pytest.mark.parametrize("stage", ["sink", "feedback"])
def test_storing_consumers_refuse_embedded_mode_before_taking_the_warehouse(stage: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["consume", stage, "--idle-exit", "1"],
                                env={"VIGIL_HOME": str(tmp_path), "VIGIL_MODE": "embedded"})
    assert result.exit_code == 2
    assert "set VIGIL_MODE=distributed" in result.output
    assert not (tmp_path / "warehouse").exists()  # the refusal came before the warehouse was opened
