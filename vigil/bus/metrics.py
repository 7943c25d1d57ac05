"""The bus's counters, in their own Prometheus registry; consumers serve them on ``/metrics``, with
their liveness and readiness on ``/healthz`` and ``/readyz`` (:mod:`vigil.bus.health`)
(:func:`serve_metrics`, ``vigil consume STAGE --metrics-port N``)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    make_wsgi_app,
)
from prometheus_client.exposition import ThreadingWSGIServer

from vigil.bus.health import HEALTH, Health

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


def serve_metrics(port: int, host: str = "0.0.0.0", *, stall_after_s: float = 300.0,
                  health: Health = HEALTH) -> WSGIServer:
    """Serve every bus metric for Prometheus on ``http://host:port/metrics``, and the process's
    ``/healthz`` and ``/readyz`` (200, else 503; JSON), on a daemon thread; return the server."""
    server = make_server(host, port, health_app(make_wsgi_app(REGISTRY), health, stall_after_s),
                         ThreadingWSGIServer, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    return server


def health_app(metrics: Callable, health: Health, stall_after_s: float) -> Callable:
    """A WSGI app: ``/healthz`` and ``/readyz`` from ``health``, everything else from ``metrics``."""
    probes = {"/healthz": health.liveness, "/readyz": health.readiness}

    def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        probe = probes.get(environ.get("PATH_INFO", ""))
        if probe is None:
            return metrics(environ, start_response)
        ok, body = probe(stall_after_s)
        data = json.dumps(body).encode()
        start_response("200 OK" if ok else "503 Service Unavailable",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    return app


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # probes every few seconds: not worth a line
        pass
