"""The distributed mode's publisher: a kafka-python producer configured for at-least-once.

``acks=all`` with idempotence, bounded retries with backoff, compression,
batching and linger from ``settings.bus``. Every send is checked: a failed
delivery is remembered by the producer's callback and raised at the next send
or flush, so a message is never dropped silently.
"""

from __future__ import annotations

import threading

from kafka import KafkaProducer
from kafka.errors import KafkaError

from vigil.bus.codec import encode
from vigil.bus.errors import DeliveryError
from vigil.bus.metrics import PUBLISHED
from vigil.bus.records import MAX_MESSAGE_BYTES
from vigil.bus.topics import Topic
from vigil.logs import get_logger
from vigil.schemas import Message
from vigil.settings import BusSettings

log = get_logger(__name__)


def producer_config(bus: BusSettings) -> dict:
    """kafka-python producer settings for ``bus`` (a pure function, tested on its own)."""
    return {
        "bootstrap_servers": bus.bootstrap_servers.split(","),
        "client_id": bus.client_id,
        "acks": "all",
        "enable_idempotence": bus.producer_retries > 0,
        "retries": bus.producer_retries,
        "retry_backoff_ms": bus.retry_backoff_ms,
        "compression_type": None if bus.compression_type == "none" else bus.compression_type,
        "batch_size": bus.batch_size,
        "linger_ms": bus.linger_ms,
        "request_timeout_ms": bus.request_timeout_ms,
        "delivery_timeout_ms": max(120_000, bus.linger_ms + bus.request_timeout_ms),
        "max_block_ms": bus.request_timeout_ms,
        "max_request_size": MAX_MESSAGE_BYTES,  # a Document may be larger than the default 1 MiB
    }


class KafkaPublisher:
    """:class:`vigil.bus.Publisher` over Kafka."""

    def __init__(self, bus: BusSettings) -> None:
        self.prefix = bus.topic_prefix
        self._producer = KafkaProducer(**producer_config(bus))
        self._failures: list[BaseException] = []
        self._queued: dict[str, int] = {}  # sent since the last flush, per topic (for the metric)
        self._lock = threading.Lock()
        self._closed = False

    def send(self, topic: Topic, message: Message) -> None:
        key, value = encode(topic, message)
        self.send_raw(topic.full_name(self.prefix), key or None, value)

    def send_raw(self, topic_name: str, key: bytes | None, value: bytes) -> None:
        self._raise_failures()
        try:
            future = self._producer.send(topic_name, key=key, value=value)
        except KafkaError as exc:
            raise DeliveryError(f"could not queue a message for {topic_name}: {exc}") from exc
        future.add_errback(self._remember)
        self._queued[topic_name] = self._queued.get(topic_name, 0) + 1

    def _remember(self, error: BaseException) -> None:
        with self._lock:
            self._failures.append(error)

    def _raise_failures(self) -> None:
        with self._lock:
            failures, self._failures = self._failures, []
        if failures:
            raise DeliveryError(
                f"{len(failures)} message(s) were not acknowledged; first: {failures[0]!r}"
            ) from failures[0]

    def flush(self, timeout_s: float | None = None) -> None:
        try:
            self._producer.flush(timeout=timeout_s)
        except KafkaError as exc:
            raise DeliveryError(f"flush did not complete: {exc}") from exc
        queued, self._queued = self._queued, {}
        self._raise_failures()  # a failed flush counts nothing: the caller re-sends
        for topic_name, count in queued.items():
            PUBLISHED.labels(topic=topic_name).inc(count)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.flush()
        finally:
            self._producer.close()
