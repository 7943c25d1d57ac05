"""What `vigil up` plans to run: the parts per mode, their tiers, probes and the environment that
points every child at the warehouse's owner and the bus."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from vigil.settings import load_settings
from vigil.supervisor.parts import PlanError, free_port, plan, usable_cores


def settings_for(tmp_path: Path, **overrides):
    config = tmp_path / "vigil.yaml"
    config.write_text(f"home: {tmp_path / 'home'}\ndashboards: {{port: {free_port()}}}\n", encoding="utf-8")
    return load_settings(config, **overrides)


def test_embedded_runs_the_owner_prefect_the_scheduler_and_the_dashboard(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    parts = plan(settings, distributed=False, flows=["crawl"])
    specs = {spec.name: spec for spec in parts.specs}
    assert list(specs) == ["warehouse", "prefect", "scheduler", "dashboard"]
    assert [specs[name].tier for name in specs] == [1, 1, 2, 2]
    for spec in parts.specs:  # each child is `python -m vigil --config FILE ...`, logging under <home>/run/logs
        assert spec.argv[:5] == (sys.executable, "-m", "vigil", "--config", str(settings.config_file))
        assert spec.log_file == settings.home / "run" / "logs" / f"{spec.name}.log"
        assert spec.env["VIGIL_MODE"] == "embedded" and spec.liveness is not None
    owner, dashboard = specs["warehouse"], specs["dashboard"]
    token = owner.env["VIGIL_WAREHOUSE__PASSWORD"]
    port = owner.argv[owner.argv.index("--port") + 1]
    assert "VIGIL_WAREHOUSE__BACKEND" not in owner.env  # the owner opens chDB; the others reach it as a server
    assert owner.liveness.headers == {"X-ClickHouse-Key": token}
    for name in ("scheduler", "dashboard"):
        env = specs[name].env
        assert (env["VIGIL_WAREHOUSE__BACKEND"], env["VIGIL_WAREHOUSE__PORT"], env["VIGIL_WAREHOUSE__PASSWORD"]) == (
            "server", port, token)
        assert env["VIGIL_FLOWS__PREFECT_API_URL"] == parts.meta["prefect_api_url"]
    # its own Prefect server: the scheduler is the only one, and crashes what the one before left running
    assert specs["scheduler"].argv[5:] == ("flows", "serve", "crawl", "--grace", "30", "--crash-orphans")
    assert specs["scheduler"].stop_timeout_s == 45  # the grace for its flow runs, and some
    assert dashboard.readiness.url.endswith("/readyz") and dashboard.liveness.url.endswith("/healthz")


def test_distributed_adds_the_consumers_and_a_broker_when_none_answers(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, bus={"bootstrap_servers": f"127.0.0.1:{free_port()}"},
                            flows={"prefect_api_url": "http://prefect.example:4200/api"})
    parts = plan(settings, distributed=True, classifiers=2)
    specs = {spec.name: spec for spec in parts.specs}
    assert list(specs) == ["kafka", "warehouse", "classify-1", "classify-2", "sink", "feedback", "scheduler",
                           "dashboard"]  # Prefect's server is the configured one
    kafka = specs["kafka"]
    assert kafka.tier == 0 and kafka.argv[5:8] == ("kafka", "start", "--foreground")
    assert kafka.liveness.url == f"tcp://{parts.meta['bootstrap_servers']}"
    for name in ("classify-1", "classify-2", "sink", "feedback"):
        spec = specs[name]
        port = spec.argv[spec.argv.index("--metrics-port") + 1]
        assert spec.argv[5:7] == ("consume", name.split("-")[0])
        assert spec.liveness.url == f"http://127.0.0.1:{port}/healthz"
        assert spec.readiness.url == f"http://127.0.0.1:{port}/readyz"
        assert spec.env["VIGIL_MODE"] == "distributed"
        assert spec.env["VIGIL_BUS__BOOTSTRAP_SERVERS"] == parts.meta["bootstrap_servers"]
        assert spec.env["VIGIL_WAREHOUSE__BACKEND"] == "server"
    assert specs["scheduler"].env["VIGIL_FLOWS__PREFECT_API_URL"] == "http://prefect.example:4200/api"
    assert "--crash-orphans" not in specs["scheduler"].argv  # that server may have other schedulers
    # two classify consumers share the cores; the other parts are left to their defaults
    share = str(max(1, usable_cores() // 2))
    assert [specs[n].env.get("VIGIL_CLASSIFIER__THREADS") for n in ("classify-1", "classify-2", "sink")] == \
        [share, share, None]


@pytest.mark.parametrize(("classifiers", "threads", "expected"), [(1, 0, None), (3, 2, None), (64, 0, "1")])
def test_classify_consumers_get_threads_only_when_several_share_the_cores_unasked(
        tmp_path: Path, classifiers: int, threads: int, expected: str | None) -> None:
    settings = settings_for(tmp_path, bus={"bootstrap_servers": f"127.0.0.1:{free_port()}"},
                            classifier={"threads": threads})
    parts = plan(settings, distributed=True, classifiers=classifiers)
    found = {spec.env.get("VIGIL_CLASSIFIER__THREADS") for spec in parts.specs if spec.name.startswith("classify-")}
    assert found == {expected}  # a number in the settings is the children's too: they read the same file


def test_a_remote_broker_that_does_not_answer_is_an_error(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, bus={"bootstrap_servers": "192.0.2.1:9092"})
    with pytest.raises(PlanError, match="vigil up starts one only on this machine"):
        plan(settings, distributed=True)


def test_a_dashboards_port_in_use_is_an_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        settings = settings_for(tmp_path, dashboards={"port": taken.getsockname()[1]})
        with pytest.raises(PlanError, match="is in use"):
            plan(settings, distributed=False)
