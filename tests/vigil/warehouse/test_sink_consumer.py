"""`vigil sink`'s library function on the in-process bus and real chDB."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests.flows.conftest import T0, make_doc, marker_classify
from vigil.bus import Topic, open_publisher
from vigil.bus.memory import reset_process_bus
from vigil.warehouse.sink import backfill_events
from vigil.warehouse.sink_consumer import run_sink
from vigil.warehouse import Warehouse


@pytest.mark.warehouse
def test_run_sink_consumes_both_topics_and_dead_letters_a_bad_record(warehouse: Warehouse,
                                                                     warehouse_settings) -> None:
    reset_process_bus()
    publisher = open_publisher(warehouse_settings)
    docs = [make_doc(i, at=T0 + timedelta(minutes=i), text=f"n {i} flag-terrorism_justification" * (i % 2))
            for i in range(12)]
    for doc in docs:
        publisher.send(Topic.raw_documents, doc)
    for item in marker_classify(docs):
        publisher.send(Topic.classifications, item)
    publisher.send_raw(Topic.classifications.full_name(warehouse_settings.bus.topic_prefix), b"k", b"{not json")
    publisher.flush()
    counts = run_sink(warehouse_settings, threading.Event(), stop_when_idle_s=0.5)
    assert counts["raw-documents"].written == 12
    assert counts["classifications"].written == 12 and counts["classifications"].dead_letters == 1
    assert warehouse.scalar("SELECT count() FROM documents FINAL") == 12
    backfill_events(warehouse, T0 - timedelta(days=1))  # classifications that overtook their documents
    assert warehouse.scalar("SELECT sum(flagged) FROM counts_daily WHERE category = 'any'") == 6
    reset_process_bus()


@pytest.mark.warehouse
def test_a_dead_lettered_document_is_recorded_for_reconciliation(warehouse: Warehouse, warehouse_settings) -> None:
    import json

    from flows.reconcile import reconcile

    reset_process_bus()
    at = T0 + timedelta(days=20)
    good = make_doc(7001, at=at, run_id="run-dlq")
    broken = json.loads(good.model_dump_json())
    broken["url"] = "not a url"  # fails validation; run id and time still readable
    publisher = open_publisher(warehouse_settings)
    publisher.send(Topic.raw_documents, good)
    publisher.send_raw(Topic.raw_documents.full_name(warehouse_settings.bus.topic_prefix), b"k",
                       json.dumps(broken).encode())
    publisher.flush()
    warehouse.insert("pipeline_counts", [{"run_id": "run-dlq", "hour": at.replace(minute=0), "stage": "published",
                                          "count": 2}])
    counts = run_sink(warehouse_settings, threading.Event(), stop_when_idle_s=0.5)
    assert counts["raw-documents"].dead_letters == 1
    reconcile(warehouse, at - timedelta(hours=1))
    row = warehouse.query("SELECT published, stored, dead_lettered FROM reconciliation FINAL "
                          "WHERE run_id = 'run-dlq'")[0]
    assert (row["published"], row["stored"], row["dead_lettered"]) == (2, 1, 1)  # complete: nothing lost
    reset_process_bus()


@pytest.mark.warehouse
def test_the_sink_gathers_polls_into_batches_of_its_setting(warehouse: Warehouse) -> None:
    from vigil.bus import Batching
    from vigil.settings import load_settings
    from vigil.warehouse.sink_consumer import sink_batching, sink_stages

    reset_process_bus()
    settings = load_settings(warehouse={"path": warehouse.path, "database": warehouse.database,
                                        "sink_batch_messages": 10, "sink_batch_wait_s": 0.5, "sink_batch_mb": 2},
                             bus={"max_poll_records": 4, "partitions": 1})
    assert sink_batching(settings) == Batching(10, 2 * 2**20, 0.5)
    assert {stage.batching for stage in sink_stages(warehouse, sink_batching(settings))} == {sink_batching(settings)}
    assert sink_batching(load_settings()) == Batching(10_000, 64 * 2**20, 1.0)  # the defaults
    publisher = open_publisher(settings)
    for doc in [make_doc(8000 + i, at=T0 + timedelta(minutes=i)) for i in range(23)]:
        publisher.send(Topic.raw_documents, doc)
    publisher.flush()
    counts = run_sink(settings, threading.Event(), stop_when_idle_s=0.5)
    # polls of 4 gathered into writes of 10: three batches, where each poll alone would have been six
    assert counts["raw-documents"].batches == 3 and counts["raw-documents"].written == 23
    assert warehouse.scalar("SELECT count() FROM documents FINAL WHERE id IN {ids:Array(String)}",
                            {"ids": [make_doc(8000 + i, at=T0).id for i in range(23)]}) == 23
    reset_process_bus()
