"""Reconciliation on real chDB: a batch lost between the bus and the sink is caught."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.crawl import LedgerOutput
from flows.reconcile import incomplete_windows, judge, reconcile
from tests.flows.conftest import T0, make_doc, marker_classify
from flows.store import StoreOutput
from vigil.warehouse import Warehouse


class DroppingSink(StoreOutput):
    """A store that loses its ``drop``-th flush on the floor (what a crashed consumer would do)."""

    def __init__(self, warehouse: Warehouse, drop: int) -> None:
        super().__init__(warehouse, marker_classify)
        self.drop, self.flushes = drop, 0

    def flush(self) -> None:
        self.flushes += 1
        if self.flushes == self.drop:
            self._buffer.clear()
            return
        super().flush()


@pytest.mark.warehouse
def test_a_dropped_batch_flags_its_window_and_only_its_window(warehouse: Warehouse) -> None:
    sink = LedgerOutput(DroppingSink(warehouse, drop=2), warehouse)
    for batch in range(3):  # three batches of ten, each in its own hour
        for i in range(10):
            sink.send(make_doc(batch * 10 + i, at=T0 + timedelta(hours=batch, minutes=i), run_id="run-a"))
        sink.flush()
    incomplete = reconcile(warehouse, T0 - timedelta(hours=1))
    assert [(w["window_start"], w["published"], w["stored"]) for w in incomplete] == [
        (T0 + timedelta(hours=1), 10, 0)]
    assert "10 published but neither stored nor dead-lettered" in incomplete[0]["reason"]
    flagged = incomplete_windows(warehouse, T0 - timedelta(hours=1))
    assert [(w["window_start"], w["run_id"]) for w in flagged] == [(T0 + timedelta(hours=1), "run-a")]
    assert warehouse.scalar("SELECT count() FROM documents FINAL") == 20


def test_judging_a_window() -> None:
    window = {"crawled": 13, "published": 10, "stored": 9, "classified": 7, "dead_lettered": 1}
    assert judge(window) == (False, "2 crawled but not published; 1 stored but not classified")
    assert judge({**window, "crawled": 11, "classified": 8}) == (True, "")


class FailingSink(StoreOutput):
    def flush(self) -> None:
        raise ConnectionError("broker went away")


@pytest.mark.warehouse
def test_a_failed_publish_leaves_its_window_crawled_but_not_published(warehouse: Warehouse) -> None:
    sink = LedgerOutput(FailingSink(warehouse, marker_classify), warehouse)
    at = T0 + timedelta(days=3)
    for i in range(7):
        sink.send(make_doc(500 + i, at=at, run_id="run-failed-publish"))
    with pytest.raises(ConnectionError):
        sink.flush()
    [window] = [w for w in reconcile(warehouse, at - timedelta(hours=1)) if w["run_id"] == "run-failed-publish"]
    assert (window["crawled"], window["published"], window["complete"]) == (7, 0, False)
    assert "7 crawled but not published" in window["reason"]
