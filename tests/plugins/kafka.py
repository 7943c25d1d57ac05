"""Kafka for tests: one real broker per session, and a guard for unmarked tests.

The ``kafka_broker`` fixture starts an Apache Kafka 4 broker (vigil.bus.broker)
once per session on free ports. Where it cannot start, kafka tests skip with a
message that says how to get one; with ``CI=true`` they fail instead, so CI
never goes green without having run them. A test that builds a kafka-python
client without ``@pytest.mark.kafka`` fails (see tests/plugins/services.py), and
a kafka test that leaves a client open fails: kafka-python keeps a network thread
per client that retries a stopped broker, logging, for the rest of the session.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.plugins.services import GUARDED
from vigil.bus.broker import Broker
from vigil.bus.kafka_jars import HOW_TO_GET_A_BROKER, BrokerError
from vigil.settings import Settings, load_settings

KAFKA_CLIENTS = (
    "kafka:KafkaProducer.__init__", "kafka:KafkaConsumer.__init__", "kafka:KafkaAdminClient.__init__",
)
GUARDED["kafka"] = sorted(set(GUARDED.get("kafka", [])) | set(KAFKA_CLIENTS))


@pytest.fixture(scope="session")
def kafka_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """A running single-node broker for the whole session (stopped at the end)."""
    broker = Broker(tmp_path_factory.mktemp("kafka"))
    try:
        broker.start()
    except BrokerError as exc:
        message = f"no Kafka broker: {exc}\n({HOW_TO_GET_A_BROKER})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield broker
    broker.stop()


def kafka_io_threads() -> set[threading.Thread]:
    """The live network threads of kafka-python clients (one per open producer, consumer or admin client)."""
    return {t for t in threading.enumerate() if t.name.startswith("kafka-io-") and t.is_alive()}


@pytest.fixture(autouse=True)
def kafka_clients_closed(request: pytest.FixtureRequest) -> Iterator[None]:
    """A kafka test closes every client it opened (checked after its other fixtures are torn down)."""
    if request.node.get_closest_marker("kafka") is None:
        yield
        return
    before = kafka_io_threads()
    yield
    deadline = time.monotonic() + 5.0
    while (left := kafka_io_threads() - before) and time.monotonic() < deadline:
        time.sleep(0.1)
    if left:
        pytest.fail(f"kafka clients left open by the test: {sorted(t.name for t in left)}", pytrace=False)


@pytest.fixture
def kafka_settings(request: pytest.FixtureRequest, kafka_broker: Broker, vigil_home: Path) -> Settings:
    """Distributed-mode settings on the session broker, with topics and consumer groups unique to this test."""
    if request.node.get_closest_marker("kafka") is None:
        pytest.fail("the `kafka_settings` fixture needs @pytest.mark.kafka on the test")
    # Topics and consumer groups of this test's own: a member some earlier test left in a shared
    # group (its heartbeat still running) would hold up every rebalance of that group.
    unique = uuid.uuid4().hex[:10]
    return load_settings(
        mode="distributed",
        bus={
            "bootstrap_servers": kafka_broker.bootstrap,
            "topic_prefix": f"t{unique}.",
            "client_id": f"vigil-test-{unique}",
            "session_timeout_ms": 6000,
            "linger_ms": 5,
            "request_timeout_ms": 10_000,
        },
    )
