"""`vigil kafka ...` and `vigil dlq ...` as a user runs them."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.vigil.bus.factories import make_document
from vigil.bus import Stage, Topic, open_publisher, prepare_topics, run_stages
from vigil.cli import app
from vigil.settings import get_settings

runner = CliRunner()


@pytest.fixture
def env_settings(monkeypatch):
    """Point the CLI's settings (read from the environment) at ``values``."""
    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"VIGIL_{name.upper()}", value)
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


def test_dlq_commands_refuse_the_embedded_mode(env_settings):
    env_settings(mode="embedded")
    result = runner.invoke(app, ["dlq", "inspect", "classify"])
    assert result.exit_code == 1
    assert "VIGIL_MODE=distributed" in result.output


def test_kafka_status_without_a_broker_says_how_to_start_one(env_settings, tmp_path):
    env_settings(home=str(tmp_path))
    result = runner.invoke(app, ["kafka", "status"])
    assert result.exit_code == 1
    assert "vigil kafka start" in result.output


@pytest.mark.kafka
def test_inspect_then_replay_a_dead_letter_topic(kafka_settings, env_settings):
    prepare_topics(kafka_settings)
    publisher = open_publisher(kafka_settings)
    publisher.send(Topic.raw_documents, make_document(1, text="poison"))
    publisher.send(Topic.raw_documents, make_document(2))
    publisher.close()

    def fail_on_poison(document):
        if document.text == "poison":
            raise RuntimeError("stage bug")
        return []

    run_stages(kafka_settings, lambda _publisher: [Stage("classify", Topic.raw_documents, fail_on_poison, _NoSink())],
               stop_when_idle_s=1.0, poll_timeout_s=0.3)
    bus = kafka_settings.bus
    env_settings(mode="distributed", bus__bootstrap_servers=bus.bootstrap_servers,
                 bus__topic_prefix=bus.topic_prefix, bus__client_id=bus.client_id,
                 bus__session_timeout_ms="6000")

    inspected = runner.invoke(app, ["dlq", "inspect", "dlq.classify"])
    assert inspected.exit_code == 0, inspected.output
    assert "processing  RuntimeError" in inspected.output and "stage bug" in inspected.output
    assert "1 dead letter(s): processing=1" in inspected.output
    assert "poison" not in inspected.output  # payloads are not printed

    refused = runner.invoke(app, ["dlq", "replay", "classify", "--policy", "everything"])
    assert refused.exit_code == 1
    replayed = runner.invoke(app, ["dlq", "replay", "classify", "--policy", "re-send"])
    assert replayed.exit_code == 0, replayed.output
    assert f"re-sent 1 ({bus.topic_prefix}raw-documents=1)" in replayed.output
    again = runner.invoke(app, ["dlq", "replay", "classify", "--policy", "re-send"])
    assert "read 0, re-sent 0" in again.output


class _NoSink:
    def write(self, results) -> None:
        assert not results


@pytest.mark.kafka
def test_kafka_start_status_stop(kafka_broker, env_settings, tmp_path):
    """A second broker, the user's way (the session broker only proves the jars are there)."""
    env_settings(home=str(tmp_path), bus__bootstrap_servers=kafka_broker.bootstrap)  # taken: not reused
    started = runner.invoke(app, ["kafka", "start"])
    try:
        assert started.exit_code == 0, started.output
        assert "ready at 127.0.0.1:" in started.output
        assert "export VIGIL_BUS__BOOTSTRAP_SERVERS=127.0.0.1:" in started.output
        assert "already running" in runner.invoke(app, ["kafka", "start"]).output
        status = runner.invoke(app, ["kafka", "status"])
        assert status.exit_code == 0 and ": ready (" in status.output
    finally:
        stopped = runner.invoke(app, ["kafka", "stop"])
    assert "stopped the broker" in stopped.output
    assert runner.invoke(app, ["kafka", "status"]).exit_code == 1
