"""Producer and consumer settings come from settings.bus; unmarked tests cannot reach Kafka."""

from __future__ import annotations

import pytest

from tests.plugins.services import ServiceNotMarked
from vigil.bus.kafka_consumer import consumer_config
from vigil.bus.kafka_publisher import KafkaPublisher, producer_config
from vigil.settings import BusSettings


def test_the_producer_is_configured_for_at_least_once_delivery():
    config = producer_config(BusSettings(compression_type="zstd", batch_size=1234, linger_ms=7,
                                         producer_retries=5, retry_backoff_ms=300))
    assert config["acks"] == "all" and config["enable_idempotence"] is True
    assert (config["retries"], config["retry_backoff_ms"]) == (5, 300)
    assert (config["compression_type"], config["batch_size"], config["linger_ms"]) == ("zstd", 1234, 7)


def test_no_retries_means_no_idempotence_and_none_means_no_compression():
    config = producer_config(BusSettings(producer_retries=0, compression_type="none"))
    assert config["enable_idempotence"] is False and config["compression_type"] is None


def test_consumers_commit_only_when_told_and_start_from_the_earliest_record():
    config = consumer_config(BusSettings(max_poll_records=42, session_timeout_ms=9000, max_poll_interval_ms=60_000),
                             "vigil.classify")
    assert config["max_poll_interval_ms"] == 60_000
    assert config["enable_auto_commit"] is False
    assert config["auto_offset_reset"] == "earliest"
    assert (config["group_id"], config["max_poll_records"]) == ("vigil.classify", 42)
    assert config["heartbeat_interval_ms"] * 3 <= config["session_timeout_ms"]


def test_a_test_without_the_kafka_marker_cannot_build_a_kafka_client():
    with pytest.raises(ServiceNotMarked, match="pytest.mark.kafka"):
        KafkaPublisher(BusSettings())
