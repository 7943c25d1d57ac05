"""Open the bus the settings ask for: the process-wide in-process bus (embedded mode) or Kafka.

These are the only functions a stage, a crawler pipeline or a route calls to
reach the bus; nothing else looks at ``settings.mode`` for it.
"""

from __future__ import annotations

from vigil.bus.base import Consumer, Publisher
from vigil.bus.topics import Topic
from vigil.settings import Mode, Settings


def open_publisher(settings: Settings) -> Publisher:
    """A publisher for ``settings.mode``; close it (or use ``with closing(...)``) to flush.

    On Kafka the registry's topics are created first if missing (once per process)."""
    if settings.mode is Mode.embedded:
        from vigil.bus.memory import InProcessPublisher, process_bus

        return InProcessPublisher(process_bus(settings.bus.partitions), settings.bus.topic_prefix)
    from vigil.bus.kafka_publisher import KafkaPublisher

    _prepare_once(settings)
    return KafkaPublisher(settings.bus)


def open_consumer(settings: Settings, group: str, topics: list[Topic]) -> Consumer:
    """A member of consumer group ``group`` (prefixed by ``bus.client_id``) reading ``topics``."""
    names = [topic.full_name(settings.bus.topic_prefix) for topic in topics]
    full_group = f"{settings.bus.client_id}.{group}"
    if settings.mode is Mode.embedded:
        from vigil.bus.memory import InProcessConsumer, process_bus

        return InProcessConsumer(process_bus(settings.bus.partitions), full_group, names)
    from vigil.bus.kafka_consumer import KafkaConsumer

    _prepare_once(settings)
    return KafkaConsumer(settings.bus, full_group, names)


_prepared: set[tuple[str, str]] = set()


def _prepare_once(settings: Settings) -> None:
    """Create the topics the first time this process reaches a cluster (the broker does not
    auto-create them, so a producer starting before any consumer would otherwise fail)."""
    target = (settings.bus.bootstrap_servers, settings.bus.topic_prefix)
    if target not in _prepared:
        prepare_topics(settings)
        _prepared.add(target)


def prepare_topics(settings: Settings) -> list[str]:
    """Create the registry's topics if missing (Kafka only: in-process topics need no creation)."""
    if settings.mode is Mode.embedded:
        return []
    from vigil.bus.admin import ensure_topics

    return ensure_topics(settings.bus)
