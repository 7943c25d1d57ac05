"""The broker's configuration and jar lookup, without starting Java."""

from __future__ import annotations

import base64
import socket

import pytest

from vigil.bus.broker import Broker, cluster_id, configured_ports, preferred_port, server_properties
from vigil.bus.kafka_jars import BrokerError, kafka_libs, kafka_version


def test_the_pom_names_a_kafka_4_version():
    assert kafka_version().startswith("4.")


def test_server_properties_listen_on_loopback_only(tmp_path):
    text = server_properties(tmp_path / "data", 19092, 19093)
    assert "listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093" in text
    assert "advertised.listeners=PLAINTEXT://127.0.0.1:19092" in text
    assert "process.roles=broker,controller" in text
    assert "auto.create.topics.enable=false" in text
    assert "0.0.0.0" not in text


def test_a_work_directory_keeps_its_ports_across_restarts(tmp_path):
    (tmp_path / "server.properties").write_text(server_properties(tmp_path / "data", 19092, 19093))
    assert configured_ports(tmp_path / "server.properties") == {"PLAINTEXT": 19092, "CONTROLLER": 19093}
    broker = Broker(tmp_path)
    assert (broker.port, broker.controller_port) == (19092, 19093)
    assert Broker(tmp_path / "fresh").port not in (0, 19092)


def test_cluster_ids_are_16_bytes_of_url_safe_base64():
    for _ in range(50):
        value = cluster_id()
        assert len(base64.urlsafe_b64decode(value + "==")) == 16
        assert not value.startswith("-")


def test_kafka_home_must_be_an_unpacked_kafka(tmp_path, monkeypatch):
    monkeypatch.setenv("KAFKA_HOME", str(tmp_path))
    with pytest.raises(BrokerError, match="not an unpacked Kafka"):
        kafka_libs()
    (tmp_path / "libs").mkdir()
    (tmp_path / "libs" / "kafka_2.13-4.1.1.jar").write_bytes(b"")
    assert kafka_libs() == tmp_path / "libs"


def test_missing_jars_are_not_fetched_when_asked_not_to(tmp_path, monkeypatch):
    monkeypatch.delenv("KAFKA_HOME", raising=False)
    monkeypatch.setenv("VIGIL_KAFKA_CACHE", str(tmp_path))
    with pytest.raises(BrokerError, match="run `vigil kafka start` once"):
        kafka_libs(fetch=False)


def test_the_settings_port_is_preferred_when_free_and_replaced_when_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert preferred_port(f"127.0.0.1:{port}") != port
    assert preferred_port(f"localhost:{port}") == port
