"""The bus's counters, in their own Prometheus registry; consumers serve them on ``/metrics``
(:func:`serve_metrics`, ``vigil consume STAGE --metrics-port N``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

PUBLISHED = Counter(
    "vigil_bus_published_messages", "Messages acknowledged by the bus, per topic (counted at flush).",
    ["topic"], registry=REGISTRY,
)
MESSAGES_IN = Counter(
    "vigil_bus_consumed_messages", "Records a stage read from its input topic.",
    ["stage", "topic"], registry=REGISTRY,
)
MESSAGES_OUT = Counter(
    "vigil_bus_written_results", "Results a stage handed to its sink.",
    ["stage"], registry=REGISTRY,
)
DEAD_LETTERS = Counter(
    "vigil_bus_dead_letters", "Records a stage sent to its dead-letter topic, by failure kind.",
    ["stage", "kind"], registry=REGISTRY,
)
CONSUMER_LAG = Gauge(
    "vigil_bus_consumer_lag", "Records not yet read by a stage, per partition.",
    ["stage", "topic", "partition"], registry=REGISTRY,
)
BATCH_SECONDS = Histogram(
    "vigil_bus_batch_seconds", "Time from a batch's poll to its commit.",
    ["stage"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)


def serve_metrics(port: int, host: str = "0.0.0.0") -> None:
    """Serve every bus metric for Prometheus on ``http://host:port/metrics`` (a daemon thread)."""
    from prometheus_client import start_http_server

    start_http_server(port, addr=host, registry=REGISTRY)
