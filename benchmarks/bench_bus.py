"""Throughput of the bus versus a plain kafka-python loop, on the same broker and payloads.

Both sides do the same work per message: the producer serialises a Document
to JSON and sends it keyed by document id with the same producer settings
(acks=all, idempotence, compression, batch size, linger); the consumer polls,
validates each value back into a Document, and commits after each batch. The
bus adds the topic registry, per-message delivery checks, dead-letter
handling, metrics and the Stage/sink indirection. Target: ratio >= 0.8.

    .venv/bin/python benchmarks/bench_bus.py [--messages 20000] [--bootstrap HOST:PORT] [--json out.json]

Without --bootstrap it starts its own broker (vigil.bus.broker) and stops it.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
import uuid
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer

from vigil.bus import Stage, Topic, prepare_topics, run_stage
from vigil.bus.broker import Broker
from vigil.bus.kafka_consumer import KafkaConsumer as BusConsumer
from vigil.bus.kafka_consumer import consumer_config
from vigil.bus.kafka_publisher import KafkaPublisher, producer_config
from vigil.schemas import Document, content_hash, document_id
from vigil.settings import Settings, load_settings

FILLER = "The city council discussed road repairs, school meals and the new library hours. "


def documents(count: int) -> list[Document]:
    docs = []
    for n in range(count):
        url = f"https://news.example.org/bench/{n}"
        text = f"Item {n}. " + FILLER * 6
        docs.append(Document(id=document_id(url), url=url, source_id="bench", source_kind="rss",
                             text=text, content_hash=content_hash(text)))
    return docs


def settings_for(bootstrap: str) -> Settings:
    return load_settings(mode="distributed", bus={
        "bootstrap_servers": bootstrap, "topic_prefix": f"bench{uuid.uuid4().hex[:8]}.",
        "session_timeout_ms": 6000,
    })


def produce_bus(settings: Settings, docs: list[Document]) -> float:
    publisher = KafkaPublisher(settings.bus)
    started = time.perf_counter()
    for doc in docs:
        publisher.send(Topic.raw_documents, doc)
    publisher.flush()
    elapsed = time.perf_counter() - started
    publisher.close()
    return len(docs) / elapsed


def produce_plain(settings: Settings, docs: list[Document], topic: str) -> float:
    producer = KafkaProducer(**producer_config(settings.bus))
    started = time.perf_counter()
    for doc in docs:
        producer.send(topic, key=doc.id.encode(), value=doc.to_json_bytes())
    producer.flush()
    elapsed = time.perf_counter() - started
    producer.close()
    return len(docs) / elapsed


class CountingSink:
    def __init__(self, target: int, done: threading.Event) -> None:
        self.count, self.target, self.done = 0, target, done

    def write(self, results) -> None:
        self.count += len(results)
        if self.count >= self.target:
            self.done.set()


def consume_bus(settings: Settings, count: int) -> float:
    done = threading.Event()
    sink = CountingSink(count, done)
    consumer = BusConsumer(settings.bus, f"bench-bus-{uuid.uuid4().hex[:6]}",
                           [Topic.raw_documents.full_name(settings.bus.topic_prefix)])
    publisher = KafkaPublisher(settings.bus)
    stage = Stage("classify", Topic.raw_documents, lambda doc: [doc.id], sink)
    _wait_for_first(consumer._consumer)
    started = time.perf_counter()
    run_stage(stage, consumer, publisher, max_records=settings.bus.max_poll_records,
              poll_timeout_s=0.5, stop=done, handle_signals=False)
    elapsed = time.perf_counter() - started
    consumer.close()
    publisher.close()
    return sink.count / elapsed


def consume_plain(settings: Settings, topic: str, count: int) -> float:
    config = consumer_config(settings.bus, f"bench-plain-{uuid.uuid4().hex[:6]}")
    consumer = KafkaConsumer(topic, **config)
    _wait_for_first(consumer)
    seen = 0
    started = time.perf_counter()
    while seen < count:
        batch = consumer.poll(timeout_ms=500, max_records=settings.bus.max_poll_records)
        for records in batch.values():
            for record in records:
                Document.model_validate_json(record.value)
                seen += 1
        if batch:
            consumer.commit()
    elapsed = time.perf_counter() - started
    consumer.close()
    return seen / elapsed


def _wait_for_first(consumer) -> None:
    """Join the group and get an assignment before timing (both sides pay the same)."""
    deadline = time.monotonic() + 300  # a group join can take a minute on a loaded machine
    while not consumer.assignment() and time.monotonic() < deadline:
        consumer.poll(timeout_ms=1000, max_records=1, update_offsets=False)
    if not consumer.assignment():
        raise RuntimeError("the consumer got no partitions within 300 s: is the broker overloaded?")
    consumer.seek_to_beginning()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bootstrap", help="an existing broker; default: start one")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    broker = None
    if args.bootstrap is None:
        broker = Broker(Path(tempfile.mkdtemp(prefix="vigil-bench-kafka-")))
        broker.start()
    bootstrap = args.bootstrap or broker.bootstrap
    docs = documents(args.messages)
    size = sum(len(d.to_json_bytes()) for d in docs) / len(docs)
    print(f"broker {bootstrap}; {args.messages} documents of {size:.0f} bytes; best of {args.rounds} rounds")
    best = {"produce bus": 0.0, "produce plain": 0.0, "consume bus": 0.0, "consume plain": 0.0}
    try:
        for round_number in range(args.rounds):
            settings, plain = settings_for(bootstrap), settings_for(bootstrap)  # own topics each
            prepare_topics(settings)
            prepare_topics(plain)
            plain_topic = Topic.raw_documents.full_name(plain.bus.topic_prefix)
            steps = {
                "produce plain": lambda: produce_plain(plain, docs, plain_topic),
                "produce bus": lambda: produce_bus(settings, docs),
                "consume plain": lambda: consume_plain(plain, plain_topic, len(docs)),
                "consume bus": lambda: consume_bus(settings, len(docs)),
            }
            order = ["produce plain", "produce bus", "consume plain", "consume bus"]
            if round_number % 2:  # alternate who goes first, so warm-up favours neither
                order = ["produce bus", "produce plain", "consume bus", "consume plain"]
            for name in order:
                best[name] = max(best[name], steps[name]())
    finally:
        if broker is not None:
            broker.stop()
    figures = {"messages": args.messages, "rounds": args.rounds, "message_bytes": round(size)}
    for step in ("produce", "consume"):
        bus, plain = best[f"{step} bus"], best[f"{step} plain"]
        verdict = "ok" if bus / plain >= 0.8 else "BELOW TARGET"
        print(f"{step:8s} bus {bus:9.0f} msg/s   plain kafka-python {plain:9.0f} msg/s   "
              f"ratio {bus / plain:.2f} ({verdict}, target >= 0.80)")
        figures[step] = {"bus_msg_per_s": round(bus), "plain_msg_per_s": round(plain), "ratio": round(bus / plain, 3)}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
