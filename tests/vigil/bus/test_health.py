"""A consumer's /healthz and /readyz: its loop coming round, its group, and the checks of what it needs."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.vigil.bus.factories import make_document
from vigil.bus import Stage, Topic
from vigil.bus.consumer_loop import run_stage
from vigil.bus.health import HEALTH, Health
from vigil.bus.memory import InProcessBus, InProcessConsumer, InProcessPublisher
from vigil.bus.metrics import serve_metrics


def get(url: str) -> tuple[int, dict | str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read().decode(), exc.code
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


@pytest.fixture
def served():
    """``served(health)``: its base URL, with the metrics, /healthz and /readyz (a stall after 0.5 s)."""
    servers = []

    def serve(health: Health) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        servers.append(serve_metrics(port, "127.0.0.1", stall_after_s=0.5, health=health))
        return f"http://127.0.0.1:{port}"

    yield serve
    for server in servers:
        server.shutdown()


def test_a_starting_consumer_is_alive_but_not_ready(served) -> None:
    base = served(Health())
    assert get(f"{base}/healthz") == (200, {"status": "ok", "stages": {}})
    status, body = get(f"{base}/readyz")
    assert status == 503 and body["status"] == "not ready"
    status, metrics = get(f"{base}/metrics")
    assert status == 200 and "# TYPE vigil_bus_batch_seconds histogram" in metrics


def test_ready_in_its_group_with_its_checks_passing_and_dead_when_its_loop_stalls(served) -> None:
    health = Health()
    base = served(health)
    health.beat("classify", in_group=False)  # polling, still joining its group
    assert get(f"{base}/healthz")[0] == 200 and get(f"{base}/readyz")[0] == 503
    health.beat("classify", in_group=True)
    status, body = get(f"{base}/readyz")
    assert status == 200 and body["stages"]["classify"]["in_group"] is True
    health.add_check("warehouse", lambda: (False, "connection refused"))
    status, body = get(f"{base}/readyz")
    assert status == 503 and body["checks"] == {"warehouse": {"ok": False, "detail": "connection refused"}}
    health.add_check("warehouse", lambda: (True, "answers"))
    assert get(f"{base}/readyz")[0] == 200
    time.sleep(0.6)  # no round for longer than stall_after_s: a hung loop
    status, body = get(f"{base}/healthz")
    assert status == 503 and body["status"] == "stalled" and body["stages"]["classify"]["last_round_s"] >= 0.5
    assert get(f"{base}/readyz")[0] == 503
    health.beat("classify", in_group=True)
    health.ended("classify")  # the stage's loop returned (or raised): the process is no use any more
    assert get(f"{base}/healthz")[0] == 503


def test_the_consumer_loop_reports_each_round(served) -> None:
    HEALTH.clear()
    base = served(HEALTH)
    bus = InProcessBus(partitions=1)
    InProcessPublisher(bus).send(Topic.raw_documents, make_document(1))

    class Sink:
        def write(self, results) -> None:
            pass

    stop = threading.Event()
    stage = Stage("classify", Topic.raw_documents, lambda document: [document], Sink())
    consumer = InProcessConsumer(bus, "classify", ["raw-documents"])
    loop = threading.Thread(target=run_stage, args=(stage, consumer, InProcessPublisher(bus)),
                            kwargs={"stop": stop, "poll_timeout_s": 0.05, "handle_signals": False})
    loop.start()
    try:
        deadline = time.monotonic() + 10
        while get(f"{base}/readyz")[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        status, body = get(f"{base}/readyz")
        assert status == 200 and body["stages"]["classify"]["in_group"] is True
    finally:
        stop.set()
        loop.join(10)
    assert get(f"{base}/healthz")[0] == 503  # the loop ended
    HEALTH.clear()
