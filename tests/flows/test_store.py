"""The embedded store: each flush stores, classifies and stores labels, and says so with its counts."""

from __future__ import annotations

import logging

import pytest

from flows.store import StoreOutput
from tests.flows.conftest import T0, make_doc, marker_classify
from vigil.warehouse import Warehouse


@pytest.mark.warehouse
def test_a_flush_stores_and_labels_its_batch_and_logs_its_counts_and_times(warehouse: Warehouse, caplog) -> None:
    caplog.set_level(logging.INFO, logger="flows.store")
    store = StoreOutput(warehouse, marker_classify)
    docs = [make_doc(i, at=T0) for i in range(5)]
    docs[1] = make_doc(1, at=T0, text="a post with flag-incitement in it")
    for doc in docs:
        store.send(doc)
    store.flush()
    store.send(docs[0])  # redelivered: stored already, written again as nothing new
    store.flush()
    store.flush()  # nothing buffered: no batch, no line

    assert warehouse.scalar("SELECT count() FROM documents FINAL") == 5
    assert warehouse.scalar("SELECT count() FROM classifications FINAL") == 5
    assert (store.counts.new, store.counts.unchanged, store.counts.classified) == (5, 1, 5)
    assert store.flagged["incitement"] == 1
    lines = [r for r in caplog.records if r.getMessage().startswith("store batch ok")]
    assert [(r.documents, r.new, r.flagged) for r in lines] == [(5, 5, 1), (1, 0, 0)]
    assert all(r.store_ms >= 0 and r.classify_ms >= 0 and r.labels_ms >= 0 and r.seconds >= 0 for r in lines)
