"""The in-process bus of the embedded mode: Kafka's semantics, one process, no broker.

Topics are split into partitions by key hash like Kafka's; consumer groups
commit offsets explicitly and share partitions among their members, so the
same consumer loop, dead-letter handling and tests run on either bus. Records
live in memory for the life of the process.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections import defaultdict

from vigil.bus.codec import encode
from vigil.bus.metrics import PUBLISHED
from vigil.bus.records import Record, TopicPartition
from vigil.bus.topics import Topic
from vigil.schemas import Message


class InProcessBus:
    """Partitioned, append-only logs plus committed group offsets, guarded by one lock."""

    def __init__(self, partitions: int = 3) -> None:
        self.partitions = partitions
        self._logs: dict[str, list[list[Record]]] = {}
        self._committed: dict[str, dict[TopicPartition, int]] = defaultdict(dict)
        self._members: dict[str, list["InProcessConsumer"]] = defaultdict(list)
        self._changed = threading.Condition()

    def append(self, topic: str, key: bytes | None, value: bytes) -> Record:
        with self._changed:
            log = self._log(topic)
            partition = zlib.crc32(key) % len(log) if key else sum(map(len, log)) % len(log)
            record = Record(topic, partition, len(log[partition]), key, value, int(time.time() * 1000))
            log[partition].append(record)
            self._changed.notify_all()
        return record

    def _log(self, topic: str) -> list[list[Record]]:
        if topic not in self._logs:
            self._logs[topic] = [[] for _ in range(self.partitions)]
        return self._logs[topic]

    def end_offsets(self, topic: str) -> dict[TopicPartition, int]:
        with self._changed:
            return {(topic, p): len(part) for p, part in enumerate(self._log(topic))}

    def read(self, position: TopicPartition, offset: int, limit: int) -> list[Record]:
        topic, partition = position
        return self._log(topic)[partition][offset: offset + limit]

    def committed(self, group: str, position: TopicPartition) -> int:
        return self._committed[group].get(position, 0)

    def commit(self, group: str, offsets: dict[TopicPartition, int]) -> None:
        with self._changed:
            self._committed[group].update(offsets)

    def join(self, consumer: "InProcessConsumer") -> None:
        with self._changed:
            self._members[consumer.group].append(consumer)

    def leave(self, consumer: "InProcessConsumer") -> None:
        with self._changed:
            if consumer in self._members[consumer.group]:
                self._members[consumer.group].remove(consumer)

    def assigned(self, consumer: "InProcessConsumer") -> list[TopicPartition]:
        """Round-robin share of the group's partitions, recomputed as members come and go."""
        members = self._members[consumer.group]
        if consumer not in members:
            return []
        everything = sorted(
            (topic, p) for topic in consumer.topics for p in range(len(self._log(topic)))
        )
        return everything[members.index(consumer):: len(members)]

    def wait(self, timeout_s: float) -> None:
        with self._changed:
            self._changed.wait(timeout_s)


class InProcessPublisher:
    """:class:`vigil.bus.Publisher` over an :class:`InProcessBus`: appends are acknowledged at once."""

    def __init__(self, bus: InProcessBus, prefix: str = "") -> None:
        self.bus = bus
        self.prefix = prefix

    def send(self, topic: Topic, message: Message) -> None:
        key, value = encode(topic, message)
        self.send_raw(topic.full_name(self.prefix), key or None, value)

    def send_raw(self, topic_name: str, key: bytes | None, value: bytes) -> None:
        self.bus.append(topic_name, key, value)
        PUBLISHED.labels(topic=topic_name).inc()

    def flush(self, timeout_s: float | None = None) -> None:
        return None

    def close(self) -> None:
        return None


class InProcessConsumer:
    """:class:`vigil.bus.Consumer` over an :class:`InProcessBus`, one member of ``group``."""

    def __init__(self, bus: InProcessBus, group: str, topics: list[str]) -> None:
        self.bus, self.group, self.topics = bus, group, list(topics)
        self._positions: dict[TopicPartition, int] = {}
        bus.join(self)

    def poll(self, max_records: int, timeout_s: float) -> list[Record]:
        deadline = time.monotonic() + timeout_s
        while True:
            records = self._read(max_records)
            remaining = deadline - time.monotonic()
            if records or remaining <= 0:
                return records
            self.bus.wait(min(remaining, 0.1))

    def _read(self, max_records: int) -> list[Record]:
        with self.bus._changed:
            owned = self.bus.assigned(self)
            # A partition newly owned starts at the group's committed offset (a rebalance).
            self._positions = {
                tp: self._positions.get(tp, self.bus.committed(self.group, tp)) for tp in owned
            }
            records: list[Record] = []
            for position in owned:
                if len(records) >= max_records:
                    break
                batch = self.bus.read(position, self._positions[position], max_records - len(records))
                if batch:
                    self._positions[position] = batch[-1].offset + 1
                    records.extend(batch)
            return records

    def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.bus.commit(self.group, offsets)

    def lag(self) -> dict[TopicPartition, int]:
        lags = {}
        for topic in self.topics:
            for position, end in self.bus.end_offsets(topic).items():
                if position in self._positions:
                    lags[position] = end - self._positions[position]
        return lags

    def assignment(self) -> set[TopicPartition]:
        return set(self._positions)

    def close(self) -> None:
        self.bus.leave(self)


_process_bus: InProcessBus | None = None
_process_bus_lock = threading.Lock()


def process_bus(partitions: int = 3) -> InProcessBus:
    """The process-wide in-process bus, made on first use."""
    global _process_bus
    with _process_bus_lock:
        if _process_bus is None:
            _process_bus = InProcessBus(partitions)
        return _process_bus


def reset_process_bus() -> None:
    """Forget every record and offset (tests; a fresh embedded run)."""
    global _process_bus
    with _process_bus_lock:
        _process_bus = None
