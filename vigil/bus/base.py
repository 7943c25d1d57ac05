"""The bus interface every stage uses, whatever carries the messages (Kafka or in-process)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from vigil.bus.records import Record, TopicPartition
from vigil.bus.topics import Topic
from vigil.schemas import Message


@runtime_checkable
class Publisher(Protocol):
    """Sends schema-checked messages keyed by document id."""

    def send(self, topic: Topic, message: Message) -> None:
        """Queue one message; raise on a delivery failure (never drop silently)."""

    def send_raw(self, topic_name: str, key: bytes | None, value: bytes) -> None:
        """Queue bytes as they are to a full topic name (dead-letter replay, tests)."""

    def flush(self, timeout_s: float | None = None) -> None:
        """Block until every queued message is acknowledged; raise if any failed."""

    def close(self) -> None:
        """Flush and release the connection."""


@runtime_checkable
class Consumer(Protocol):
    """Reads records of a consumer group; offsets are committed only when asked."""

    def poll(self, max_records: int, timeout_s: float) -> list[Record]:
        """Up to ``max_records`` records, waiting at most ``timeout_s`` for the first."""

    def commit(self, offsets: dict[TopicPartition, int]) -> None:
        """Record ``offsets`` (the next offset to read, per partition) for the group."""

    def lag(self) -> dict[TopicPartition, int]:
        """Records not yet read, per assigned partition (as far as this consumer knows)."""

    def assignment(self) -> set[TopicPartition]:
        """The partitions this consumer currently owns."""

    def close(self) -> None:
        """Leave the group (without committing anything)."""
