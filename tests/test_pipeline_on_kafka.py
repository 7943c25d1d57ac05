"""Distributed mode end to end on a real broker: raw documents -> classify -> classifications ->
sink -> chDB, with a poison record dead-lettered and a full redelivery leaving the counts exact."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests.flows.conftest import T0, make_doc, marker_classify
from tests.vigil.bus.factories import publish, read_all
from vigil.bus import Topic
from vigil.bus.codec import decode
from vigil.warehouse.sink import backfill_events
from classifiers.consumer import run_classify
from vigil.warehouse.sink_consumer import run_sink
from vigil.warehouse import Warehouse

pytestmark = [pytest.mark.kafka, pytest.mark.warehouse]


def test_documents_flow_through_kafka_into_the_warehouse_once(kafka_settings, warehouse: Warehouse,
                                                               warehouse_settings) -> None:
    settings = kafka_settings.model_copy(update={"warehouse": warehouse_settings.warehouse})
    docs = [make_doc(i, at=T0 + timedelta(minutes=i), text=f"report {i}" + (" flag-xenophobia" if i % 4 == 0 else ""))
            for i in range(20)]
    publish(settings, docs, raw=b'{"schema_version": 1, "id": "not a document"}')

    classified = run_classify(settings, threading.Event(), stop_when_idle_s=3.0, classify=marker_classify)
    assert (classified.written, classified.dead_letters) == (20, 1)
    sunk = run_sink(settings, threading.Event(), stop_when_idle_s=3.0)
    assert sunk["raw-documents"].written == 20 and sunk["raw-documents"].dead_letters == 1
    assert sunk["classifications"].written == 20

    rows = warehouse.query("SELECT count() AS n, min(kafka_offset) AS low, countIf(kafka_partition >= 0) AS located "
                           "FROM documents FINAL")[0]
    assert (rows["n"], rows["located"]) == (20, 20) and rows["low"] >= 0  # partition and offset kept
    flagged = "SELECT sum(flagged) FROM counts_daily WHERE category = 'xenophobia'"
    backfill_events(warehouse, T0 - timedelta(days=1))  # classifications that overtook their documents
    assert warehouse.scalar(flagged) == 5
    [letter] = read_all(settings, Topic.dlq_sink, "dlq-reader", 1)
    assert decode(Topic.dlq_sink, letter.value).kind == "validation"

    publish(settings, docs)  # a full redelivery of the same documents and their classifications
    run_classify(settings, threading.Event(), stop_when_idle_s=3.0, classify=marker_classify)
    again = run_sink(settings, threading.Event(), stop_when_idle_s=3.0)
    assert again["raw-documents"].consumed == 20 and again["classifications"].consumed == 20
    assert warehouse.scalar("SELECT count() FROM documents FINAL") == 20
    backfill_events(warehouse, T0 - timedelta(days=1))
    assert warehouse.scalar(flagged) == 5  # the aggregates did not double count
