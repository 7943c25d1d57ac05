"""The bus against a real Apache Kafka broker (one per session; topics unique per test)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.vigil.bus.factories import make_document, number, read_all
from vigil.bus import (
    TOPICS, DeadLetter, DeliveryError, Stage, Topic, open_consumer, open_publisher, prepare_topics,
    run_stage, run_stages,
)
from vigil.bus.codec import decode
from vigil.bus.kafka_publisher import KafkaPublisher
from vigil.schemas import examples

pytestmark = pytest.mark.kafka
ROOT = Path(__file__).resolve().parents[3]


class ListSink:
    def __init__(self) -> None:
        self.values: list = []
        self.lock = threading.Lock()

    def write(self, results) -> None:
        with self.lock:
            self.values.extend(result.value for result in results)


def publish_documents(settings, numbers) -> None:
    publisher = open_publisher(settings)
    for n in numbers:
        publisher.send(Topic.raw_documents, make_document(n))
    publisher.close()


def test_topics_are_created_once_idempotently(kafka_settings):
    created = prepare_topics(kafka_settings)
    assert sorted(created) == sorted(t.full_name(kafka_settings.bus.topic_prefix) for t in Topic)
    assert prepare_topics(kafka_settings) == []


def test_every_schema_example_round_trips_through_kafka(kafka_settings):
    prepare_topics(kafka_settings)
    by_schema = {spec.schema.schema_name: topic for topic, spec in TOPICS.items()
                 if spec.schema is not None and topic.value.startswith("dlq.") is False}
    sent = {}
    publisher = open_publisher(kafka_settings)
    for name, _version, data in examples():
        topic = by_schema[name]
        message = TOPICS[topic].schema.model_validate(data)
        publisher.send(topic, message)
        sent[topic] = message
    publisher.close()
    for topic, message in sent.items():
        [record] = read_all(kafka_settings, topic, "roundtrip", expect=1)
        assert record.key == message.key().encode()
        assert decode(topic, record.value) == message


def test_poison_and_invalid_messages_land_in_the_dead_letter_topic_while_the_rest_flows(kafka_settings):
    prepare_topics(kafka_settings)
    publisher = open_publisher(kafka_settings)
    for n in range(50):
        publisher.send(Topic.raw_documents, make_document(n, text="poison" if n == 17 else None))
    raw = Topic.raw_documents.full_name(kafka_settings.bus.topic_prefix)
    publisher.send_raw(raw, b"bad", b'{"schema_version": 1, "text": 42}')
    publisher.close()

    def process(document):
        if document.text == "poison":
            raise RuntimeError("model crashed on this input")
        return [number(document)]

    sink = ListSink()
    counts = run_stages(kafka_settings, lambda _publisher: [Stage("classify", Topic.raw_documents, process, sink)],
                        stop_when_idle_s=2.0, poll_timeout_s=0.5)["classify"]

    assert sorted(sink.values) == [n for n in range(50) if n != 17]
    assert counts.dead_letters == 2
    letters = [decode(Topic.dlq_classify, r.value)
               for r in read_all(kafka_settings, Topic.dlq_classify, "inspect", expect=2)]
    by_kind = {letter.kind: letter for letter in letters}
    assert set(by_kind) == {"processing", "validation"}
    assert by_kind["processing"].reason == "model crashed on this input"
    assert decode(Topic.raw_documents, by_kind["processing"].payload()).text == "poison"
    assert "text: Input should be a valid string" in by_kind["validation"].reason
    assert by_kind["validation"].payload() == b'{"schema_version": 1, "text": 42}'
    assert all(isinstance(letter, DeadLetter) and letter.topic == raw for letter in letters)


def test_a_consumer_killed_mid_batch_and_restarted_loses_nothing(kafka_settings, tmp_path):
    prepare_topics(kafka_settings)
    total, batch = 600, 50
    publish_documents(kafka_settings, range(total))
    out = tmp_path / "numbers.txt"
    env = {**os.environ, "VIGIL_MODE": "distributed", "PYTHONPATH": str(ROOT),
           "VIGIL_BUS__BOOTSTRAP_SERVERS": kafka_settings.bus.bootstrap_servers,
           "VIGIL_BUS__TOPIC_PREFIX": kafka_settings.bus.topic_prefix,
           "VIGIL_BUS__CLIENT_ID": kafka_settings.bus.client_id,
           "VIGIL_BUS__SESSION_TIMEOUT_MS": "6000", "VIGIL_BUS__MAX_POLL_RECORDS": str(batch)}
    command = [sys.executable, "-m", "tests.vigil.bus.stage_worker", str(out)]

    worker = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_lines(out)) < 2 * batch:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    done_before_kill = len(_lines(out))
    assert 0 < done_before_kill < total, "the kill must land mid-stream"

    subprocess.run(command + ["4"], env=env, cwd=ROOT, check=True, timeout=120)
    numbers = [int(line) for line in _lines(out)]
    assert set(numbers) == set(range(total)), "every message is processed"
    assert len(numbers) - total <= batch, "duplicates only from the one uncommitted batch"


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_no_acknowledged_message_is_lost_when_the_broker_restarts(kafka_settings, kafka_broker):
    prepare_topics(kafka_settings)
    acked: list[int] = []
    failed: list[int] = []
    finished = threading.Event()

    def produce() -> None:
        publisher = KafkaPublisher(kafka_settings.bus)
        try:
            for start in range(0, 3000, 20):
                chunk = range(start, start + 20)
                try:
                    for n in chunk:
                        publisher.send(Topic.raw_documents, make_document(n))
                    publisher.flush(timeout_s=120)
                    acked.extend(chunk)
                except DeliveryError:
                    failed.extend(chunk)
                time.sleep(0.005)
        finally:
            publisher.close()
            finished.set()

    producer = threading.Thread(target=produce)
    producer.start()
    while len(acked) < 200:
        time.sleep(0.05)
    kafka_broker.stop()
    acked_while_down = len(acked)
    time.sleep(1)
    kafka_broker.start()
    producer.join(timeout=240)
    assert finished.is_set()
    assert acked_while_down < 3000, "the broker must go down while the producer runs"
    assert len(acked) + len(failed) == 3000 and len(acked) > 200
    records = read_all(kafka_settings, Topic.raw_documents, "verify", expect=len(acked), timeout_s=60)
    seen = {number(decode(Topic.raw_documents, r.value)) for r in records}
    assert set(acked) <= seen


def test_two_consumers_in_one_group_share_the_partitions_and_see_each_message_once(kafka_settings):
    prepare_topics(kafka_settings)
    sinks = [ListSink(), ListSink()]
    consumers = [open_consumer(kafka_settings, "classify", [Topic.raw_documents]) for _ in sinks]
    stop = threading.Event()
    dead_letters = open_publisher(kafka_settings)
    threads = [
        threading.Thread(target=run_stage, kwargs=dict(
            stage=Stage("classify", Topic.raw_documents, lambda d: [number(d)], sink),
            consumer=consumer, dead_letters=dead_letters, poll_timeout_s=0.2, stop=stop,
            handle_signals=False))
        for sink, consumer in zip(sinks, consumers)
    ]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 120  # two joins and a rebalance, on a machine that may be loaded
        while time.monotonic() < deadline:
            a, b = (consumer.assignment() for consumer in consumers)
            if a and b and not a & b and len(a | b) == kafka_settings.bus.partitions:
                break
            time.sleep(0.1)
        else:
            states = [(c._consumer.group_metadata(), sorted(c.assignment())) for c in consumers]
            pytest.fail(f"the group never settled on two members: {states}")
        publish_documents(kafka_settings, range(300))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(len(s.values) for s in sinks) < 300:
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
        for consumer in consumers:
            consumer.close()
        dead_letters.close()
    first, second = (sink.values for sink in sinks)
    assert first and second
    assert sorted(first + second) == list(range(300))
