"""The warehouse sink on odd input: valid documents with hostile text and extreme values are stored byte
for byte, and bad records on its topics become dead letters, counted in the run ledger, without
stopping the sink."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.bad_input import deep_json, document, oversized_document_json, read
from vigil.bus.consumer_loop import run_stage
from vigil.bus.memory import InProcessBus, InProcessConsumer, InProcessPublisher
from vigil.bus.topics import Topic
from vigil.schemas import Document
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located, write_documents
from vigil.warehouse.sink_consumer import sink_stages

pytestmark = pytest.mark.warehouse

ODD_TEXTS = {
    "nul and controls": "bread\x00 and\x01 butter\x7f",
    "sql and placeholders": "x'); DROP TABLE documents; -- {id:String} \\ \" ` $$ %s",
    "zero width and look-alikes": read("text/homoglyphs_zero_width.txt").decode(),
    "mojibake": read("text/mojibake.txt").decode(),
    "astral and bidi": "\U0001f35e \U0010ffff \u202eright-to-left\u202c \ufeff",
    "2 million characters": "хлеб " * 400_000,
}


def test_hostile_but_valid_documents_are_stored_byte_for_byte(warehouse: Warehouse) -> None:
    docs = [document(n, text=text) for n, text in enumerate(ODD_TEXTS.values())]
    docs.append(Document.build(url="https://news.example.org/dates", text="Dated far away.", source_id="bad-input",
                               source_kind="rss", published_at=datetime(9999, 12, 31, tzinfo=timezone.utc),
                               views=10**30))
    counts = write_documents(warehouse, [Located(d) for d in docs])
    assert counts.new == len(docs)
    stored = {r["id"]: r["text"] for r in warehouse.query("SELECT id, text FROM documents FINAL")}
    assert stored == {d.id: d.text for d in docs}
    assert write_documents(warehouse, [Located(d) for d in docs]).unchanged == len(docs)


def test_bad_records_on_the_sink_topics_are_dead_lettered_and_counted(warehouse: Warehouse) -> None:
    bus = InProcessBus(partitions=1)
    publisher = InProcessPublisher(bus, "t.")
    bad = [read("messages/document_wrong_types.json"), read("messages/not_json.bin"), deep_json(),
           oversized_document_json(), read("messages/lone_surrogate.json")]
    good = [document(n) for n in range(len(bad))]
    for doc, payload in zip(good, bad):
        publisher.send(Topic.raw_documents, doc)
        publisher.send_raw("t.raw-documents", b"bad", payload)
    publisher.send_raw("t.classifications", b"bad", read("messages/classification_wrong_types.json"))
    results = {}
    for stage in sink_stages(warehouse):
        consumer = InProcessConsumer(bus, f"sink-{stage.input.value}", [f"t.{stage.input.value}"])
        results[stage.input] = run_stage(stage, consumer, publisher, max_records=4, poll_timeout_s=0.05,
                                         stop_when_idle_s=0.2, handle_signals=False)
    assert (results[Topic.raw_documents].written, results[Topic.raw_documents].dead_letters) == (len(good), len(bad))
    assert results[Topic.classifications].dead_letters == 1
    assert warehouse.scalar("SELECT count() FROM documents FINAL") == len(good)
    assert warehouse.scalar("SELECT sum(count) FROM pipeline_counts WHERE stage = 'dead_lettered'") == len(bad)
    letters = InProcessConsumer(bus, "inspect", ["t.dlq.sink"]).poll(100, 0.05)
    assert len(letters) == len(bad) + 1
