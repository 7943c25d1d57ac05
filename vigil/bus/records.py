"""``Record``: one message as a consumer receives it, whichever bus carried it.

The consumer loop, the dead-letter writer and the sinks see only this shape, so
the in-process bus and Kafka are interchangeable behind them.
"""

from __future__ import annotations

from dataclasses import dataclass

TopicPartition = tuple[str, int]
# The largest record the bus carries: the producer's request limit and the ``max.message.bytes`` of the
# topics it creates. A Document's text alone may take 8 MB (2,000,000 characters of up to 4 bytes).
MAX_MESSAGE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Record:
    topic: str  # full topic name, prefix included
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    timestamp_ms: int = 0

    @property
    def position(self) -> TopicPartition:
        return (self.topic, self.partition)


def next_offsets(records: list[Record]) -> dict[TopicPartition, int]:
    """The offsets to commit after ``records``: one past the last record of each partition."""
    offsets: dict[TopicPartition, int] = {}
    for record in records:
        offsets[record.position] = max(offsets.get(record.position, 0), record.offset + 1)
    return offsets
