"""Topics created idempotently at start, with the partitions the registry or settings ask and room for
records up to ``MAX_MESSAGE_BYTES`` (the broker's default is 1 MiB)."""

from __future__ import annotations

from collections.abc import Iterable

from kafka import KafkaAdminClient
from kafka.errors import TopicAlreadyExistsError

from vigil.bus.records import MAX_MESSAGE_BYTES
from vigil.bus.topics import TOPICS, Topic
from vigil.logs import get_logger
from vigil.settings import BusSettings

log = get_logger(__name__)


def ensure_topics(bus: BusSettings, topics: Iterable[Topic] = tuple(Topic)) -> list[str]:
    """Create the missing ones of ``topics``; return the full names created (none if all exist)."""
    wanted = {
        topic.full_name(bus.topic_prefix): TOPICS[topic].partitions or bus.partitions for topic in topics
    }
    admin = KafkaAdminClient(
        bootstrap_servers=bus.bootstrap_servers.split(","), client_id=bus.client_id,
        request_timeout_ms=bus.request_timeout_ms,
    )
    try:
        missing = sorted(set(wanted) - set(admin.list_topics()))
        if not missing:
            return []
        new = {
            name: {"num_partitions": wanted[name], "replication_factor": bus.replication_factor,
                   "configs": {"max.message.bytes": str(MAX_MESSAGE_BYTES)}}
            for name in missing
        }
        try:
            admin.create_topics(new, timeout_ms=bus.request_timeout_ms, wait_for_metadata=True)
        except TopicAlreadyExistsError:
            pass  # created meanwhile by another process: that is the point of idempotence
        log.info("created topics", extra={"topics": missing})
        return missing
    finally:
        admin.close()
