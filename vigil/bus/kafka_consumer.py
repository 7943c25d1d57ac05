"""The distributed mode's consumer: a kafka-python group member that commits only when told.

Auto-commit is off: the consumer loop commits after the batch's results and
dead letters are written, which is what makes delivery at least once.
"""

from __future__ import annotations

from kafka import KafkaConsumer as _KafkaPythonConsumer
from kafka import TopicPartition as _TP
from kafka.errors import CommitFailedError, KafkaError
from kafka.structs import MemberState, OffsetAndMetadata

from vigil.bus.errors import CommitError
from vigil.bus.records import Record, TopicPartition
from vigil.settings import BusSettings


def consumer_config(bus: BusSettings, group: str) -> dict:
    """kafka-python consumer settings for one group member (a pure function)."""
    return {
        "bootstrap_servers": bus.bootstrap_servers.split(","),
        "client_id": bus.client_id,
        "group_id": group,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "max_poll_records": bus.max_poll_records,
        "request_timeout_ms": bus.request_timeout_ms,
        "retry_backoff_ms": bus.retry_backoff_ms,
        "session_timeout_ms": bus.session_timeout_ms,
        "max_poll_interval_ms": bus.max_poll_interval_ms,
        "heartbeat_interval_ms": min(3000, bus.session_timeout_ms // 3),
        "allow_auto_create_topics": False,
    }


class KafkaConsumer:
    """:class:`vigil.bus.Consumer` over Kafka, subscribed to ``topics`` (full names)."""

    def __init__(self, bus: BusSettings, group: str, topics: list[str]) -> None:
        self._consumer = _KafkaPythonConsumer(*topics, **consumer_config(bus, group))
        self._read_up_to: dict[TopicPartition, int] = {}

    def poll(self, max_records: int, timeout_s: float) -> list[Record]:
        fetched = self._consumer.poll(timeout_ms=int(timeout_s * 1000), max_records=max_records)
        records = [
            Record(r.topic, r.partition, r.offset, r.key, r.value if r.value is not None else b"",
                   r.timestamp or 0)
            for batch in fetched.values()
            for r in batch
        ]
        for record in records:
            self._read_up_to[record.position] = record.offset + 1
        return records

    def commit(self, offsets: dict[TopicPartition, int]) -> None:
        if not offsets:
            return
        try:
            self._consumer.commit(
                {_TP(topic, partition): OffsetAndMetadata(offset, "", -1)
                 for (topic, partition), offset in offsets.items()}
            )
        except (CommitFailedError, KafkaError) as exc:
            raise CommitError(f"offsets not committed: {exc}") from exc

    def lag(self) -> dict[TopicPartition, int]:
        lags = {}
        for tp in self._consumer.assignment():
            end = self._consumer.highwater(tp)
            if end is not None and (tp.topic, tp.partition) in self._read_up_to:
                lags[(tp.topic, tp.partition)] = max(0, end - self._read_up_to[(tp.topic, tp.partition)])
        return lags

    def assignment(self) -> set[TopicPartition]:
        return {(tp.topic, tp.partition) for tp in self._consumer.assignment()}

    def in_stable_group(self) -> bool:
        """A member of a group that has settled (with or without partitions for this member)."""
        return self._consumer.group_metadata().state == MemberState.STABLE

    def close(self) -> None:
        self._consumer.close(autocommit=False)
